"""A real reverse proxy on loopback: Debian's nginx (installed when missing) serving
``http(s)://127.0.0.1:<port><prefix>/`` for one upstream server or a group of them (round
robin), as a load balancer in front of PowerJob does. With a ``PrivateCA`` it speaks TLS with
a certificate that CA issued.

Which requests nginx gives to the next server is written out, not left to the default:
``proxy_next_upstream error timeout`` *without* ``non_idempotent``. A request moves on when the
connection could not be opened (nothing was sent: safe for any method) or when an upstream
failed before answering a GET/HEAD; a POST that reached a server which then died is answered
502, never sent to the next one. Every OpenAPI mutation is a POST, so one change stays one
mutation even when a server dies holding it (the client then settles by reading).
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_powerjob.local.certificates import PrivateCA
from pulumi_powerjob.local.daemon import Daemon, ensure_program

PACKAGE = "nginx"


class ReverseProxy(Daemon):
    """nginx forwarding ``<prefix>/<path>`` to ``<upstream>/<path>`` for each prefix; with
    several upstreams (``http://host:port`` each), to one of them in turn."""

    name = "nginx"

    def __init__(
        self,
        upstream: str | Sequence[str],
        prefixes: Sequence[str] = ("/powerjob",),
        *,
        ca: PrivateCA | None = None,
        port: int | None = None,
    ) -> None:
        super().__init__(port)
        upstreams = [upstream] if isinstance(upstream, str) else list(upstream)
        self.upstreams = tuple(u.rstrip("/") for u in upstreams)
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
        if len(self.upstreams) == 1:
            group, target = "", self.upstreams[0]
        else:
            members = " ".join(f"server {u.split('://', 1)[1]};" for u in self.upstreams)
            group, target = f"upstream powerjob {{ {members} }}", "http://powerjob"
        locations = "".join(
            f"location {prefix}/ {{ proxy_pass {target}/; }}\n" for prefix in self.prefixes
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
  # the next server only when nothing reached one, or for a GET/HEAD: never a POST that ran
  proxy_next_upstream error timeout;
  {group}
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
