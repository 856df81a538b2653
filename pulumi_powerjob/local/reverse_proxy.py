"""A real reverse proxy on loopback: Debian's nginx (installed when missing) serving
``http(s)://127.0.0.1:<port><prefix>/`` for an upstream server, as a load balancer in front
of PowerJob does. With a ``PrivateCA`` it speaks TLS with a certificate that CA issued."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_powerjob.local.certificates import PrivateCA
from pulumi_powerjob.local.daemon import Daemon, ensure_program

PACKAGE = "nginx"


class ReverseProxy(Daemon):
    """nginx forwarding ``<prefix>/<path>`` to ``<upstream>/<path>`` for each prefix."""

    name = "nginx"

    def __init__(
        self,
        upstream: str,
        prefixes: Sequence[str] = ("/powerjob",),
        *,
        ca: PrivateCA | None = None,
        port: int | None = None,
    ) -> None:
        super().__init__(port)
        self.upstream = upstream.rstrip("/")
        self.prefixes = tuple("/" + p.strip("/") for p in prefixes)
        self.ca = ca

    def address(self, prefix: str | None = None, host: str = "127.0.0.1") -> str:
        """The base address a client is given: ``https://127.0.0.1:<port>/powerjob``
        (``host`` may be ``localhost``: the certificate names both)."""
        scheme = "https" if self.ca is not None else "http"
        return f"{scheme}://{host}:{self.port}{prefix or self.prefixes[0]}"

    def command(self) -> Sequence[str]:
        program = ensure_program("nginx", PACKAGE)
        listen = f"127.0.0.1:{self.port}"
        tls = ""
        if self.ca is not None:
            cert, key = self.ca.issue("nginx")
            listen += " ssl"
            tls = f"ssl_certificate {cert}; ssl_certificate_key {key};"
        locations = "".join(
            f"location {prefix}/ {{ proxy_pass {self.upstream}/; }}\n" for prefix in self.prefixes
        )
        work = self.work_dir
        temp = " ".join(
            f"{kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi")
        )
        config = work / "nginx.conf"
        config.write_text(
            f"""daemon off;
master_process off;
worker_processes 1;
pid {work / "nginx.pid"};
error_log {self.log_path} info;
events {{ worker_connections 128; }}
http {{
  access_log {work / "access.log"};
  {temp} uwsgi_temp_path {work / "uwsgi"}; scgi_temp_path {work / "scgi"};
  client_max_body_size 0;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_read_timeout 600s;
  proxy_buffering off;
  server {{
    listen {listen};
    {tls}
    {locations}
  }}
}}
""",
            encoding="utf-8",
        )
        return [program, "-p", str(work), "-e", str(self.log_path), "-c", str(config)]
