"""A real forward (egress) proxy on loopback: Debian's tinyproxy, installed when missing.

Point ``HTTP_PROXY`` / ``HTTPS_PROXY`` at ``address`` and the client's requests go through
it; each one it relays carries ``Via: 1.1 <VIA_NAME> (tinyproxy/...)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_powerjob.local.daemon import Daemon, ensure_program

VIA_NAME = "powerjob-egress"
PACKAGE = "tinyproxy-bin"  # the program without the system service (Debian 12); else tinyproxy


class ForwardProxy(Daemon):
    """tinyproxy on ``127.0.0.1:<port>``: plain HTTP forwarding, and CONNECT (HTTPS tunnels)
    to ``connect_ports`` only, as egress proxies restrict it (none given: any port)."""

    name = "tinyproxy"

    def __init__(self, port: int | None = None, *, connect_ports: Sequence[int] = ()) -> None:
        super().__init__(port)
        self.connect_ports = tuple(connect_ports)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> Sequence[str]:
        program = ensure_program("tinyproxy", PACKAGE)
        config = self.work_dir / "tinyproxy.conf"
        config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "Listen 127.0.0.1",
                    "Timeout 120",
                    "MaxClients 64",
                    "Allow 127.0.0.1",
                    f'ViaProxyName "{VIA_NAME}"',
                    f'LogFile "{self.log_path}"',
                    "LogLevel Connect",
                    f'PidFile "{self.work_dir / "tinyproxy.pid"}"',
                    *(f"ConnectPort {port}" for port in self.connect_ports),
                    "",
                ]
            ),
            encoding="utf-8",
        )
        return [program, "-d", "-c", str(config)]

    def requests(self) -> list[str]:
        """The request lines tinyproxy took, from its log (``CONNECT 127.0.0.1:8443 HTTP/1.1``
        opens a tunnel, which may carry many HTTPS requests)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        marker = "): "
        return [
            line.split(marker, 1)[1]
            for line in text.splitlines()
            if "Request (file descriptor" in line and marker in line
        ]
