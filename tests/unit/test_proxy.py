"""The recording proxy against a tiny loopback upstream: forwarding, counting, each fault."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

import httpx
import pytest

from tests.support import Fault, Record, RecordingProxy, wait_until


class Seen(NamedTuple):
    method: str
    path: str
    header_names: list[str]
    body: bytes


class Upstream:
    """A loopback HTTP server that notes every request and answers a ResultDTO."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with upstream.lock:
                    upstream.seen.append(Seen(self.command, self.path, list(self.headers), body))
                    number = len(upstream.seen)
                payload = json.dumps({"success": True, "data": number, "message": None}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-POWERJOB-AUTH-PASSED", "true")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self) -> int:
        with self.lock:
            return len(self.seen)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    thread = threading.Thread(
        target=server.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.server.shutdown()
    thread.join()
    server.server.server_close()


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[RecordingProxy]:
    with RecordingProxy(upstream.address) as recording:
        yield recording


@pytest.fixture
def client(proxy: RecordingProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.address, timeout=30.0, trust_env=False) as http:
        yield http


def test_request_is_forwarded_answered_and_recorded(upstream, proxy, client):
    response = client.post("/openApi/fetchJob?appId=3", data={"jobId": "7"})

    assert response.status_code == 200
    assert response.json() == {"success": True, "data": 1, "message": None}
    assert upstream.seen[0].path == "/openApi/fetchJob?appId=3"
    assert upstream.seen[0].body == b"jobId=7"
    assert proxy.records == [Record("POST", "/openApi/fetchJob", "appId=3", b"jobId=7", 200)]
    assert proxy.records[0].params() == {"appId": "3", "jobId": "7"}
    assert proxy.count("fetchJob") == 1
    assert proxy.count("saveJob") == 0


def test_header_names_keep_their_case_in_both_directions(upstream, client):
    response = client.post("/openApi/saveJob", json={}, headers={"X-POWERJOB-APP-ID": "5"})

    assert "X-POWERJOB-APP-ID" in upstream.seen[0].header_names
    assert (b"X-POWERJOB-AUTH-PASSED", b"true") in response.headers.raw


def test_mutations_counts_only_mutating_paths(proxy, client):
    for path in ("/openApi/saveJob", "/openApi/fetchJob", "/openApi/runJob", "/openApi/runJob"):
        client.post(path)
    client.post("/appInfo/save", json={})
    client.post("/openApi/assert")

    assert proxy.mutations() == Counter(
        {"/openApi/runJob": 2, "/openApi/saveJob": 1, "/appInfo/save": 1}
    )


def test_dropped_response_means_the_request_ran(upstream, proxy, client):
    proxy.inject("/saveJob", Fault.DROP_RESPONSE_AFTER_EXECUTE)

    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/openApi/saveJob", json={"jobName": "x"})

    assert upstream.count() == 1
    assert proxy.mutations() == Counter({"/openApi/saveJob": 1})
    assert client.post("/openApi/saveJob", json={}).status_code == 200  # armed once only


def test_bad_gateway_never_reaches_the_server(upstream, proxy, client):
    proxy.inject("/saveJob", Fault.BAD_GATEWAY_BEFORE_FORWARD, times=2)

    statuses = [client.post("/openApi/saveJob", json={}).status_code for _ in range(3)]

    assert statuses == [502, 502, 200]
    assert upstream.count() == 1
    assert proxy.count("/saveJob") == 1


def test_a_fault_can_wait_for_the_kth_request(upstream, proxy, client):
    proxy.inject("/saveJob", Fault.BAD_GATEWAY_BEFORE_FORWARD, after=2)

    statuses = [client.post("/openApi/saveJob", json={}).status_code for _ in range(4)]

    assert statuses == [200, 200, 502, 200]
    assert upstream.count() == 3


def test_reset_after_execute_resets_the_connection(upstream, proxy, client):
    proxy.inject("/deleteJob", Fault.RESET)

    with pytest.raises(httpx.ReadError):
        client.post("/openApi/deleteJob", data={"jobId": "1"})

    assert upstream.count() == 1
    assert proxy.mutations() == Counter({"/openApi/deleteJob": 1})


def test_delay_holds_the_answer_until_the_client_gives_up_after_the_request_ran(upstream):
    # the guard is far away: only the client's leaving can end the hold before it
    with RecordingProxy(upstream.address, delay_s=600.0) as proxy:
        proxy.inject("/runJob", Fault.DELAY)
        timeout = httpx.Timeout(30.0, read=0.5)
        with (
            httpx.Client(base_url=proxy.address, timeout=timeout) as impatient,
            pytest.raises(httpx.ReadTimeout),
        ):
            impatient.post("/openApi/runJob", data={"jobId": "1"})

        wait_until(lambda: proxy.in_flight == 0, what="the held answer let go")
        assert proxy.count("/runJob") == 1
        assert upstream.count() == 1


def test_delay_still_answers_a_patient_client(upstream):
    with RecordingProxy(upstream.address, delay_s=0.01) as proxy:
        proxy.inject("/fetchJob", Fault.DELAY)
        with httpx.Client(base_url=proxy.address, timeout=30.0) as patient:
            assert patient.post("/openApi/fetchJob").json()["success"] is True


def test_faults_match_by_path_suffix_only(proxy, client):
    proxy.inject("/saveWorkflow", Fault.BAD_GATEWAY_BEFORE_FORWARD)

    assert client.post("/openApi/saveJob", json={}).status_code == 200
    assert client.post("/openApi/saveWorkflow", json={}).status_code == 502


def test_concurrent_requests_are_all_forwarded_and_recorded(upstream, proxy, client):
    def send(i: int) -> int:
        response: httpx.Response = client.post("/openApi/saveJob", json={"i": i})
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, range(200)))

    assert statuses == [200] * 200
    assert upstream.count() == 200
    assert proxy.mutations() == Counter({"/openApi/saveJob": 200})
    assert sorted(json.loads(r.body)["i"] for r in proxy.records) == list(range(200))


def test_request_limit_answers_503_without_forwarding(upstream):
    with RecordingProxy(upstream.address, max_requests=2) as proxy, httpx.Client() as http:
        statuses = [http.post(f"{proxy.address}/openApi/fetchJob").status_code for _ in range(3)]

    assert statuses == [200, 200, 503]
    assert upstream.count() == 2


def test_reset_forgets_records_and_faults(proxy, client):
    client.post("/openApi/saveJob", json={})
    proxy.inject("/saveJob", Fault.BAD_GATEWAY_BEFORE_FORWARD)

    proxy.reset()

    assert proxy.records == []
    assert client.post("/openApi/saveJob", json={}).status_code == 200


def test_unreachable_upstream_is_a_bad_gateway_and_not_recorded():
    with RecordingProxy("http://127.0.0.1:9") as proxy, httpx.Client() as http:
        response = http.post(f"{proxy.address}/openApi/saveJob", json={})

    assert response.status_code == 502
    assert proxy.records == []


def _cut_off(proxy: RecordingProxy, body_sent: bytes) -> None:
    """A client that announces 16 bytes of body, sends ``body_sent`` and dies."""
    host, port = proxy.address.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(
            b"POST /openApi/deleteJob HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 16\r\n\r\n"
            + body_sent
        )


@pytest.mark.parametrize("body_sent", [b"", b"jobId=17"], ids=["no-body", "half-a-body"])
def test_regress_21_a_request_cut_off_in_its_body_is_counted_as_cut_and_not_forwarded(
    upstream, proxy, client, body_sent
):
    # a client killed between writing the headers and the body (the engine killed in a
    # JobSet's destroy): forwarded with its length corrected, the stub became a complete
    # deleteJob with no jobId, which the server refused and the test took for a delete of
    # no job of the set
    _cut_off(proxy, body_sent)
    wait_until(lambda: proxy.cut, what="the cut request to be seen")
    (cut,) = proxy.cut

    assert (cut.path, cut.body, cut.status) == ("/openApi/deleteJob", body_sent, 0)
    assert upstream.count() == 0 and proxy.records == [] and proxy.mutations() == Counter()
    assert client.post("/openApi/deleteJob", data={"jobId": "17"}).status_code == 200
    assert upstream.seen[0].body == b"jobId=17"
    proxy.reset()
    assert proxy.cut == []


def test_in_flight_counts_a_request_until_its_answer_is_done_with(proxy, client):
    """What a test waits for before counting after a killed client: 0 requests in flight."""
    held, release = threading.Event(), threading.Event()

    def hold(record: Record) -> Fault | None:
        held.set()
        release.wait(30)
        return None

    proxy.on_forwarded = hold
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(client.post, "/openApi/saveJob", json={})
        wait_until(held.is_set, what="the request at the hook")
        assert proxy.in_flight == 1 and len(proxy.records) == 1
        release.set()
        assert answer.result().status_code == 200
    wait_until(lambda: proxy.in_flight == 0, what="the answer relayed")
    proxy.on_forwarded = None
    proxy.inject("/saveJob", Fault.BAD_GATEWAY_BEFORE_FORWARD)
    assert client.post("/openApi/saveJob", json={}).status_code == 502
    wait_until(lambda: proxy.in_flight == 0, what="the refused request done with")
