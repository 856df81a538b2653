"""Existing PowerJob estates: adopt them into a program (``import``), find copied jobs
(``doctor``). Run as ``python -m pulumi_powerjob import|doctor``."""

from __future__ import annotations

from pulumi_powerjob.estate.doctor import CopySet, find_copies, fix, ids_in_state, report
from pulumi_powerjob.estate.importer import Estate, read_estate, render_program

__all__ = [
    "CopySet",
    "Estate",
    "find_copies",
    "fix",
    "ids_in_state",
    "read_estate",
    "render_program",
    "report",
]
