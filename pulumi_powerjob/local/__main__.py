"""``python -m pulumi_powerjob.local``: same as the ``powerjob-local`` console script."""

from __future__ import annotations

from pulumi_powerjob.local.cli import main

raise SystemExit(main())
