"""The core's marker for a value not known yet is the engine's wire sentinel."""

from __future__ import annotations

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from pulumi_powerjob.providers import unknowns as face
from pulumi_powerjob.reconcile import unknowns as core


def test_the_core_marker_is_the_engine_sentinel() -> None:
    assert core.MARKER == UNKNOWN


def test_the_face_maps_the_engine_unknown_to_the_core_marker_and_back() -> None:
    value = {"a": [1, Unknown()], "b": "x"}  # type: ignore[no-untyped-call]
    marked = face.to_marker(value)
    assert marked == {"a": [1, core.MARKER], "b": "x"}
    assert core.is_unknown(marked)
    assert not core.is_unknown({"a": [1], "b": "x"})
    assert isinstance(face.to_engine(marked)["a"][1], Unknown)
