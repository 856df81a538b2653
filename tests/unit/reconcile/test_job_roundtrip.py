"""Round trip with recorded payloads: what we send, read back, equals what was declared.

This is what keeps diffs from being perpetual.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob.models import JobInfoDTO, SaveJobInfoRequest
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, request_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec

FIXTURES = Path(__file__).parents[2] / "fixtures" / "powerjob-4.3.9"
PAIRS = [
    ("saveJob-api", "fetchJob-api"),
    ("saveJob-cron", "fetchJob-cron"),
    ("saveJob-fixed-rate", "fetchJob-fixed-rate"),
    ("saveJob-fixed-delay", "fetchJob-fixed-delay"),
    ("saveJob-daily-time-interval", "fetchJob-daily-time-interval"),
    ("saveJob-full", "fetchJob-full"),
]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize(("sent", "fetched"), PAIRS, ids=[p[0] for p in PAIRS])
def test_recorded_echo_reads_back_as_the_declaration(sent: str, fetched: str) -> None:
    request = SaveJobInfoRequest.model_validate(_load(sent)["request"]["json"])
    declared = request_to_spec(request)
    echoed = dto_to_spec(JobInfoDTO.model_validate(_load(fetched)["response"]["data"]))
    assert echoed == declared


@pytest.mark.parametrize(("sent", "fetched"), PAIRS, ids=[p[0] for p in PAIRS])
def test_spec_to_request_and_back_is_identity(sent: str, fetched: str) -> None:
    spec = dto_to_spec(JobInfoDTO.model_validate(_load(fetched)["response"]["data"]))
    assert request_to_spec(spec_to_request(spec, app_id=1, job_id=7)) == spec


def test_every_spec_field_reaches_the_wire() -> None:
    """A spec field forgotten in the mapping would be silently dropped on every save."""
    spec = dto_to_spec(JobInfoDTO.model_validate(_load("fetchJob-full")["response"]["data"]))
    assert all(
        v not in (None, [], 0) for k, v in spec.model_dump().items() if k != "enabled"
    ), "the full fixture must set every field for this test to mean anything"
    wire = spec_to_request(spec, app_id=1).model_dump(exclude_none=True)
    mapped = {"enabled": "enable", "lifecycle": "life_cycle"}
    missing = [f for f in JobSpec.model_fields if mapped.get(f, f) not in wire]
    assert missing == []


def test_update_sends_explicit_empty_configs() -> None:
    """The server keeps alarm/log/advanced configs it is not sent; so we always send them."""
    spec = JobSpec.model_validate(
        {"job_name": "n", "time_expression_type": "API", "processor_info": "p"}
    )
    wire = spec_to_request(spec, app_id=1, job_id=3).model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    assert wire["alarmConfig"] == {
        "alertThreshold": 0,
        "statisticWindowLen": 0,
        "silenceWindowLen": 0,
    }
    assert wire["logConfig"] == {}
    assert wire["advancedRuntimeConfig"] == {}
    assert wire["notifyUserIds"] == []
    assert wire["lifeCycle"] == {}
    assert wire["enable"] is True
