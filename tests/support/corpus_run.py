"""The bad-input corpus (tests/support/bad_inputs.py) run through ``JobProvider`` on a server.

A case ``check()`` refuses must name a field and a rule, and nothing may reach the server
(the recording proxy sees no request at all). A case it accepts is created with exactly one
``saveJob``, read back through ``provider.read`` equal to the checked inputs, and deleted.
Used on H2 (test_bad_input_corpus.py) and on PostgreSQL (test_database_postgres.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.providers.job import JobProvider
from tests.support import RecordingProxy
from tests.support.bad_inputs import CORPORA, BadInput

SAVE = "/openApi/saveJob"
JOBS = CORPORA["job"]


def corpus_provider(server: LocalServer, proxy: RecordingProxy) -> JobProvider:
    """A provider through ``proxy``, on an app of its own (other tests' jobs stay out)."""
    name, password = f"corpus-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    server.create_app(name, password)
    provider = JobProvider()
    config = {
        "powerjob:address": proxy.address,
        "powerjob:appName": name,
        "powerjob:password": password,
    }
    provider.configure(ConfigureRequest(Config(config, "corpus")))
    return provider


def refused_offline_or_round_trips(
    provider: JobProvider, proxy: RecordingProxy, case: BadInput
) -> None:
    """Assert the case's outcome (see the module docstring)."""
    proxy.reset()
    handled = proxy.handled
    result = provider.check({}, JOBS.declaration(case))
    assert proxy.handled == handled and proxy.records == [], "check() must stay offline"
    failures = {f.property: f.reason for f in result.failures}
    if case.rejected_at is not None:
        assert case.rejected_at in failures, failures
        assert all(field and reason.strip() for field, reason in failures.items())
        return
    assert failures == {}
    inputs = result.inputs
    created = provider.create(inputs)
    try:
        assert proxy.mutations() == {SAVE: 1}
        outs: dict[str, Any] = dict(created.outs or {})
        read = provider.read(created.id, outs)
        assert read.id == created.id
        assert read.inputs == inputs
    finally:
        provider.delete(created.id, inputs)
