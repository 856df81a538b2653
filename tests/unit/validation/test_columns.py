"""The text rules check() applies whatever the database (see validation/columns.py)."""

from __future__ import annotations

import pytest

from pulumi_powerjob.validation.columns import java_length, text_problem


@pytest.mark.parametrize(
    ("text", "units"),
    [("n" * 255, 255), ("\U0001f600" * 127, 254), ("\U0001f600" * 128, 256), ("\u4e2d", 1)],
)
def test_lengths_count_utf16_code_units_as_h2_does(text: str, units: int) -> None:
    assert java_length(text) == units


@pytest.mark.parametrize(
    ("text", "rule"),
    [("a\x00b", "NUL (U+0000)"), ("\x00", "PostgreSQL refuses"), ("a\ud800", "lone surrogate")],
)
def test_text_no_database_stores_is_named(text: str, rule: str) -> None:
    problem = text_problem(text)
    assert problem is not None and rule in problem


@pytest.mark.parametrize("text", ["", "plain", "\x01\x1b[0m", "\U0001f600", "a\u2028b", "\ufeff"])
def test_other_text_passes(text: str) -> None:
    assert text_problem(text) is None
