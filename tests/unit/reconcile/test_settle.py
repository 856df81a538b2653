"""``settle``: the read behind a lost mutation is asked again while no answer comes."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from pulumi_powerjob.errors import ApiError, OutcomeUnknownError, TransportError
from pulumi_powerjob.reconcile import settle as settling
from pulumi_powerjob.reconcile.settle import find_created, settle
from pulumi_powerjob.settings import ConnectionSettings

SETTINGS = ConnectionSettings(
    addresses=("http://pj.test",), app_name="a", password=SecretStr("pw"), reconcile_timeout=10
)
LOST = OutcomeUnknownError("saveJob", "no answer in time (ReadTimeout) after the request was sent")


class FakeTime:
    """``time.monotonic`` and ``time.sleep`` of the module, without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(settling, "monotonic", fake.monotonic)
    monkeypatch.setattr(settling, "sleep", fake.sleep)
    return fake


def test_a_read_that_fails_while_the_server_restarts_is_asked_again_until_it_answers(
    clock: FakeTime,
) -> None:
    answers: list[object] = [TransportError("fetchJob", "could not connect")] * 3 + ["live"]

    def read() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return str(answer)

    assert settle(read, SETTINGS, LOST, advice="run again") == "live"
    assert clock.pauses == [0.5, 1.0, 2.0], "backs off, doubling"


def test_a_server_that_never_answers_leaves_the_outcome_unknown_with_the_advice(
    clock: FakeTime,
) -> None:
    def read() -> str:
        raise TransportError("fetchJob", "HTTP 502")

    with pytest.raises(OutcomeUnknownError, match="for 10 s the server could not say") as caught:
        settle(read, SETTINGS, LOST, advice="adopt it with adopt_id")
    assert caught.value.endpoint == "saveJob"
    assert "adopt it with adopt_id" in str(caught.value)
    assert caught.value.__cause__ is LOST
    assert clock.now == pytest.approx(10.0), "gives up at reconcile_timeout, not before"
    assert max(clock.pauses) <= 5.0


def test_an_answer_that_refuses_is_not_asked_again(clock: FakeTime) -> None:
    calls = 0

    def read() -> str:
        nonlocal calls
        calls += 1
        raise ApiError("fetchJob", "can't find job by jobId: 7")

    with pytest.raises(ApiError):
        settle(read, SETTINGS, LOST, advice="")
    assert calls == 1
    assert clock.pauses == []


def test_a_create_that_shows_late_is_found_once_it_shows(clock: FakeTime) -> None:
    searches: list[list[int]] = [[], [], [7]]
    found = find_created(
        lambda: searches.pop(0), SETTINGS, LOST, advice="", several=str, none="none made"
    )
    assert found == 7
    assert clock.pauses == [0.5, 0.5]


def test_several_matches_are_reported_never_guessed(clock: FakeTime) -> None:
    with pytest.raises(OutcomeUnknownError, match=r"jobs \[3, 4\]") as caught:
        find_created(
            lambda: [3, 4], SETTINGS, LOST, advice="", several=lambda ids: f"jobs {ids}", none=""
        )
    assert caught.value.endpoint == "saveJob"
    assert clock.pauses == []


def test_no_match_after_the_read_timeout_says_nothing_was_made(clock: FakeTime) -> None:
    with pytest.raises(OutcomeUnknownError, match="none made") as caught:
        find_created(list, SETTINGS, LOST, advice="", several=str, none="none made")
    assert caught.value.__cause__ is LOST
    assert clock.now == pytest.approx(SETTINGS.read_timeout)


def test_a_search_that_writes_is_asked_once_after_the_read_timeout(clock: FakeTime) -> None:
    searches: list[float] = []

    def search() -> list[int]:
        searches.append(clock.now)
        return []

    with pytest.raises(OutcomeUnknownError, match="none made"):
        find_created(search, SETTINGS, LOST, advice="", several=str, none="none made", writes=True)
    assert searches == [SETTINGS.read_timeout]
