"""`curl` transcripts recorded from real PowerJob 5.1 servers: parse them, replay them.

A transcript is a list of `### title` sections. Each holds `$ curl ...` commands, each
followed by its answer: a full HTTP response when curl ran with `-i`, otherwise the body
alone. A response block without a command re-sends the previous request. Other lines are
kept as notes (the server version, a decoded JWT payload, a final table of jobs).

`replay()` sends every recorded request, in order, to a PowerJob 5.1 *emulation* prepared
like the recorded server (same app, same next ids, clock set from the recorded `Date`s).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from tests.support.emulation51 import ManualClock, PowerJob51Emulation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "powerjob-5.1"
AUTH_HEADERS_PLACEHOLDER = "<auth headers>"
_OPTION = re.compile(r" (?=-(?:X|H|d|i|sS)(?: |$))")


@dataclass(frozen=True)
class RecordedRequest:
    """One `curl` command line, with shell quoting undone."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    auth_headers_placeholder: bool  # the transcript abbreviated the X-POWERJOB-* headers
    shows_headers: bool  # `curl -i`: the response headers were recorded

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class RecordedResponse:
    """A recorded answer; `status` and `headers` are None when curl ran without `-i`."""

    status: int | None
    headers: tuple[tuple[str, str], ...] | None
    body: str

    def header(self, name: str) -> str | None:
        assert self.headers is not None, "recorded without -i"
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class RecordedExchange:
    """A request and its answer; `request` is None for "the same call again"."""

    section: str
    request: RecordedRequest | None
    response: RecordedResponse


@dataclass
class Section:
    title: str
    notes: list[str] = field(default_factory=list)
    exchanges: list[RecordedExchange] = field(default_factory=list)


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "'" else text


def parse_curl(line: str) -> RecordedRequest:
    """Parse `$ curl -sS [-i] -X POST URL [-H 'K: V']... [<auth headers>] [-d BODY]`."""
    assert line.startswith("$ curl ")
    method, url, body = "GET", "", None
    headers: list[tuple[str, str]] = []
    placeholder = AUTH_HEADERS_PLACEHOLDER in line
    shows_headers = False
    for part in _OPTION.split(line[len("$ curl ") :].replace(f" {AUTH_HEADERS_PLACEHOLDER}", "")):
        option, _, value = part.partition(" ")
        if option == "-i":
            shows_headers = True
        elif option == "-X":
            method, _, url = value.partition(" ")
        elif option == "-H":
            name, _, header_value = _unquote(value).partition(":")
            headers.append((name.strip(), header_value.strip()))
        elif option == "-d":
            body = _unquote(value)
    if body is not None and method == "GET":
        method = "POST"
    return RecordedRequest(method, url.strip(), tuple(headers), body, placeholder, shows_headers)


def parse_transcript(text: str) -> list[Section]:
    sections: list[Section] = []
    lines = text.splitlines()
    pending: RecordedRequest | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("### "):
            sections.append(Section(line[4:].strip()))
        elif line.startswith("$ curl "):
            pending = parse_curl(line)
        elif line.startswith("HTTP/1.1 "):
            headers: list[tuple[str, str]] = []
            while i < len(lines) and lines[i].strip():
                name, _, value = lines[i].partition(":")
                headers.append((name.strip(), value.strip()))
                i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            response = RecordedResponse(int(line.split()[1]), tuple(headers), lines[i])
            i += 1
            sections[-1].exchanges.append(RecordedExchange(sections[-1].title, pending, response))
            pending = None
        elif line.strip() and pending is not None:
            sections[-1].exchanges.append(
                RecordedExchange(sections[-1].title, pending, RecordedResponse(None, None, line))
            )
            pending = None
        elif line.strip():
            sections[-1].notes.append(line)
    return sections


def load(name: str) -> list[Section]:
    """Sections of `tests/fixtures/powerjob-5.1/<name>.txt`."""
    return parse_transcript((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ replay


@dataclass(frozen=True)
class ReplayedExchange:
    """A recorded exchange and the emulation's answer to the same request."""

    recorded: RecordedExchange
    response: httpx.Response
    executed: int  # handler runs this request caused in the emulation
    new_jobs: int


@dataclass
class Replay:
    """A transcript replayed against an emulation, and that emulation afterwards."""

    emulation: PowerJob51Emulation
    sections: list[Section]
    exchanges: list[ReplayedExchange]
    token_issued_at: float  # clock reading when the replayed /authApp issued the token

    def note(self, title_prefix: str) -> str:
        return next(s for s in self.sections if s.title.startswith(title_prefix)).notes[0]


def probe_job(app_id: int, **overrides: Any) -> dict[str, Any]:
    """The CRON job the recordings save."""
    body = {
        "appId": app_id, "jobName": "probe-job", "jobParams": "", "timeExpressionType": "CRON",
        "timeExpression": "0 0 * * * ?", "executeType": "STANDALONE", "processorType": "BUILT_IN",
        "processorInfo": "tech.powerjob.samples.Noop", "enable": True,
    }  # fmt: skip
    return body | overrides


class _Replayer:
    def __init__(
        self,
        sections: list[Section],
        emulation: PowerJob51Emulation,
        clock: ManualClock,
        password: str,
    ) -> None:
        self.sections, self.emulation, self.clock = sections, emulation, clock
        self.http = httpx.Client(
            transport=httpx.WSGITransport(app=emulation), base_url="http://emulation"
        )
        self.recorded = [e for s in sections for e in s.exchanges]
        auth_call = self.recorded[0]
        assert auth_call.request is not None and auth_call.request.path.endswith("/authApp")
        self.app_name = json.loads(auth_call.request.body or "")["appName"]
        self.app_id: int = auth_call.response.json()["data"]["appId"]
        self.password = password
        self.token: str | None = None
        self.token_issued_at = clock.now

    def _authed(self, token: str | None, app_id: int) -> dict[str, str]:
        return {"X-POWERJOB-APP-ID": str(app_id), "X-POWERJOB-ACCESS-TOKEN": token or ""}

    def _first_data(self, suffix: str) -> int | None:
        found = (
            e.response.json()
            for e in self.recorded
            if e.request and e.request.path.endswith(suffix)
        )
        return next((r["data"] for r in found if r["success"]), None)

    def seed(self) -> None:
        """Make the recorded ids the next ones, the way they came about on the real server."""
        fillers = [
            self.emulation.add_app(f"filler-{i}", "filler-pw") for i in range(1, self.app_id)
        ]
        assert self.emulation.add_app(self.app_name, self.password) == self.app_id
        first_job, first_wf = (
            self._first_data("/saveJob") or 1,
            self._first_data("/saveWorkflow") or 1,
        )
        if first_job == 1 and first_wf == 1:
            return
        md5 = hashlib.md5(b"filler-pw").hexdigest()
        auth = {"appName": "filler-1", "encryptedPassword": md5, "encryptType": "md5"}
        token = self.http.post("/openApi/authApp", json=auth).json()["data"]["token"]
        headers = self._authed(token, fillers[0])
        for _ in range(first_job - 1):  # jobs of earlier probes, in other apps
            saved = self.http.post("/openApi/saveJob", json=probe_job(fillers[0]), headers=headers)
            assert saved.json()["success"]
        for _ in range(first_wf - 1):  # a create refused for its DAG still uses up its id
            wf = {"appId": fillers[0], "wfName": "filler", "timeExpressionType": "API"}
            refused = self.http.post("/openApi/saveWorkflow", json=wf, headers=headers)
            assert refused.json()["message"] == "PowerJobException: illegal DAG"

    def _request(self, request: RecordedRequest) -> tuple[list[tuple[str, str]], bytes]:
        token_header = "x-powerjob-access-token"
        headers = [
            (k, (self.token or v) if k.lower() == token_header and v != "bogus" else v)
            for k, v in request.headers
        ]
        if request.auth_headers_placeholder:
            headers += list(self._authed(self.token, self.app_id).items())
        body = request.body or ""
        if body and request.header("Content-Type") is None:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))  # curl -d
        body = body.replace("<md5 hex>", hashlib.md5(self.password.encode()).hexdigest())
        api_job = probe_job(
            self.app_id, jobName="before-expiry", timeExpressionType="API", timeExpression=None
        )
        body = body.replace("{...API job...}", json.dumps(api_job))
        return headers, body.encode()

    def _job_made_off_the_record(self, request: RecordedRequest) -> None:
        """Before c2 the recorder saved the job its workflow node uses; do the same."""
        job_id = json.loads(request.body or "")[0]["jobId"]
        if job_id not in {j["id"] for j in self.emulation.jobs}:
            headers = self._authed(self.token, self.app_id)
            saved = self.http.post("/openApi/saveJob", json=probe_job(self.app_id), headers=headers)
            assert saved.json()["data"] == job_id

    def run(self) -> Replay:
        replayed: list[ReplayedExchange] = []
        previous: RecordedRequest | None = None
        for exchange in self.recorded:
            request = exchange.request or previous
            assert request is not None
            if exchange.response.headers is not None:
                self.clock.set_http_date(exchange.response.header("Date") or "")
            if request.path.endswith("/addWorkflowNode"):
                self._job_made_off_the_record(request)
            headers, body = self._request(request)
            runs, jobs = self.emulation.executed(request.path), len(self.emulation.jobs)
            response = self.http.request(
                request.method, request.path, headers=headers, content=body
            )
            new_runs, new_jobs = (
                self.emulation.executed(request.path) - runs,
                len(self.emulation.jobs) - jobs,
            )
            replayed.append(ReplayedExchange(exchange, response, new_runs, new_jobs))
            data = response.json().get("data")
            if request.path.endswith("/authApp") and isinstance(data, dict) and self.token is None:
                self.token, self.token_issued_at = data["token"], self.clock.now
            previous = request
        return Replay(self.emulation, self.sections, replayed, self.token_issued_at)


def replay(
    name: str,
    version: Literal["5.1.0", "5.1.1"],
    auth_enabled: bool,
    *,
    jwt_expire_seconds: int = 604800,
    password: str | None = None,
) -> Replay:
    """Replay `<name>.txt` against an emulation configured like the recorded server.

    `password` is needed only where the transcript hides it (it is otherwise read from the
    authApp section title).
    """
    sections = load(name)
    clock = ManualClock()
    first = next(e.response for s in sections for e in s.exchanges if e.response.headers)
    clock.set_http_date(first.header("Date") or "")
    emulation = PowerJob51Emulation(
        version, auth_enabled, clock=clock, jwt_expire_seconds=jwt_expire_seconds
    )
    titled = re.search(r"password '([^']+)'", " ".join(s.title for s in sections))
    secret = titled.group(1) if titled else password
    assert secret is not None, "the transcript hides the password: pass one"
    replayer = _Replayer(sections, emulation, clock, secret)
    replayer.seed()
    return replayer.run()
