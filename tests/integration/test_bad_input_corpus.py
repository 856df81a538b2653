"""The bad-input corpus (tests/support/bad_inputs.py) through ``JobProvider``, case by case,
on the H2 server: refused offline naming a field and a rule, or created with exactly one
``saveJob`` and read back as checked (tests/support/corpus_run.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.providers.job import JobProvider
from tests.support import RecordingProxy
from tests.support.bad_inputs import BadInput
from tests.support.corpus_run import JOBS, corpus_provider, refused_offline_or_round_trips

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def proxy(powerjob_server: LocalServer) -> Iterator[RecordingProxy]:
    """One proxy for the whole corpus; each case starts from ``reset()``."""
    with RecordingProxy(powerjob_server.address) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def provider(powerjob_server: LocalServer, proxy: RecordingProxy) -> JobProvider:
    return corpus_provider(powerjob_server, proxy)


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
    refused_offline_or_round_trips(provider, proxy, case)
