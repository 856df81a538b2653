"""The top-level Pulumi program: deploys examples/quickstart (see README)."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).parent / "examples" / "quickstart" / "__main__.py"))
