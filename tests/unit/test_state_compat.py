"""State written by the release before the core moved out (a375646) still drives the providers.

The engine stores each dynamic provider pickled (dill) in the resource's ``__provider`` input.
These blobs were recorded from a375646's ``serialize_provider``: they must load into the same
classes, and today's providers must pickle to the very same text, so an upgraded stack's
inputs do not change at all.
"""

from __future__ import annotations

import base64

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_powerjob.providers.app import AppProvider
from pulumi_powerjob.providers.base import PowerJobProvider
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.job_set import JobSetProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider
from tests.support.release import PROVIDER_BLOBS

RECORDED: dict[type[PowerJobProvider], str] = {
    provider: PROVIDER_BLOBS[provider.__name__]
    for provider in (JobProvider, WorkflowProvider, AppProvider, JobSetProvider)
}


@pytest.mark.parametrize("provider", list(RECORDED), ids=lambda c: c.__name__)
def test_a_provider_pickled_by_the_earlier_release_loads_as_the_same_class(
    provider: type[PowerJobProvider],
) -> None:
    loaded = dill.loads(base64.b64decode(RECORDED[provider]))
    assert type(loaded) is provider
    assert vars(loaded) == {}


@pytest.mark.parametrize("provider", list(RECORDED), ids=lambda c: c.__name__)
def test_a_provider_pickles_to_the_text_the_earlier_release_stored(
    provider: type[PowerJobProvider],
) -> None:
    assert serialize_provider(provider()) == RECORDED[provider]
