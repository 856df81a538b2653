"""Job lifecycle through the real engine (Automation API), step by step, each step judged
by the mutations that reached the real server (H2; the steps are in tests/support/lifecycle.py,
shared with the PostgreSQL run in test_database_postgres.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import PowerJobApp, RecordingProxy
from tests.support.lifecycle import lifecycle_on

pytestmark = [pytest.mark.integration, pytest.mark.engine]


def test_job_lifecycle_counts_one_mutation_per_declared_change(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    lifecycle_on(tmp_path, pulumi_bin, powerjob_app, recording_proxy)
