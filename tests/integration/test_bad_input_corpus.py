"""The bad-input corpus (tests/support/bad_inputs.py) through ``JobProvider``, case by case.

A case ``check()`` refuses must name a field and a rule, and nothing may reach the server
(the recording proxy sees no request at all). A case it accepts is created with exactly one
``saveJob``, read back through ``provider.read`` equal to the checked inputs, and deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.providers.job import JobProvider
from tests.support import RecordingProxy
from tests.support.bad_inputs import CORPORA, BadInput

pytestmark = pytest.mark.integration
SAVE = "/openApi/saveJob"
JOBS = CORPORA["job"]


@pytest.fixture(scope="module")
def proxy(powerjob_server: LocalServer) -> Iterator[RecordingProxy]:
    """One proxy for the whole corpus; each case starts from ``reset()``."""
    with RecordingProxy(powerjob_server.address) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def provider(powerjob_server: LocalServer, proxy: RecordingProxy) -> JobProvider:
    """One provider, on an app of its own (so other tests' jobs never enter its reads)."""
    name, password = f"corpus-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    powerjob_server.create_app(name, password)
    provider = JobProvider()
    config = {
        "powerjob:address": proxy.address,
        "powerjob:appName": name,
        "powerjob:password": password,
    }
    provider.configure(ConfigureRequest(Config(config, "corpus")))
    return provider


def test_the_corpus_has_at_least_100_named_cases_of_both_outcomes() -> None:
    names = [case.name for case in JOBS]
    assert len(names) >= 100
    assert len(set(names)) == len(names)
    rejected = sum(case.rejected_at is not None for case in JOBS)
    assert rejected >= 30 and len(names) - rejected >= 30


@pytest.mark.parametrize("case", JOBS.cases, ids=lambda case: case.name)
def test_a_bad_input_is_refused_at_preview_or_round_trips(
    provider: JobProvider, proxy: RecordingProxy, case: BadInput
) -> None:
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
