"""The quickstart, end to end: a local PowerJob server, the real `pulumi` CLI on the
top-level project, and the number of server-side mutations each step caused.

Run through `scripts/demo` (which installs the venv and the engine first).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from pathlib import Path

import httpx

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import REPO, PulumiCli, engine_bin, offline_env
from pulumi_powerjob.local.proxy import RecordingProxy
from pulumi_powerjob.local.table import render_table


def say(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default="4.3.9", help="PowerJob server version")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    args = parser.parse_args()

    say("Pulumi engine")
    bin_dir = engine_bin()
    print(f"using {bin_dir}")
    app, password = "quickstart", secrets.token_urlsafe(12)
    server = LocalServer(args.version)
    say(f"starting PowerJob {args.version} (H2 in memory)")
    server.start()
    rows: list[list[str]] = []
    try:
        server.create_app(app, password)
        print(f"server {server.address}, app {app!r}")
        with RecordingProxy(server.address) as proxy, tempfile.TemporaryDirectory() as tmp:
            env = offline_env(Path(tmp), bin_dir, str(REPO / ".venv" / "bin" / "python"))
            cli = PulumiCli(REPO, env, stack="demo")
            cli.init(
                {"powerjob:address": proxy.address, "powerjob:appName": app},
                {"powerjob:password": password},
            )
            steps = [
                ("pulumi preview --diff", cli.preview),
                ("pulumi up", cli.up),
                ("pulumi up (again: no change)", cli.up),
                ("pulumi refresh", cli.refresh),
            ]
            for title, step in steps:
                say(title)
                proxy.reset()
                started = time.monotonic()
                print(step())
                mutations = proxy.mutations()
                rows.append(
                    [
                        title,
                        f"{time.monotonic() - started:.1f}",
                        str(len(proxy.records)),
                        str(sum(mutations.values())),
                        ", ".join(f"{k} x{v}" for k, v in sorted(mutations.items())) or "-",
                    ]
                )
            outputs = json.loads(cli.run("stack", "output", "--json"))
            cli.remove()
        say("server-side requests per step (counted by a recording proxy)")
        print(render_table(["step", "seconds", "requests", "mutations", "by path"], rows))
        say("the jobs, as /openApi/fetchJob shows them")
        with httpx.Client(base_url=server.address) as http:
            app_id = http.post("/openApi/assert", data={"appName": app, "password": password})
            for key in ("nightly_report_job_id", "reindex_job_id"):
                job = http.post(
                    "/openApi/fetchJob",
                    data={"jobId": outputs[key], "appId": app_id.json()["data"]},
                ).json()["data"]
                print(
                    f"job {job['id']}: {job['jobName']!r} status={job['status']} "
                    f"timeExpression={job['timeExpression']!r} "
                    f"nextTriggerTime={job['nextTriggerTime']}"
                )
        if args.keep:
            print(f"\nserver left running at {server.address} (pid {server.pid})")
    finally:
        if not args.keep:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
