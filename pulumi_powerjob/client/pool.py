"""One client per connection settings, per process (the provider process serves 4 threads)."""

from __future__ import annotations

import threading

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.settings import ConnectionSettings

_CLIENTS: dict[ConnectionSettings, PowerJobClient] = {}
_LOCK = threading.Lock()


def client_for(settings: ConnectionSettings) -> PowerJobClient:
    """The process-wide client for ``settings``, built on first use."""
    with _LOCK:
        client = _CLIENTS.get(settings)
        if client is None:
            client = _CLIENTS[settings] = PowerJobClient(settings)
        return client
