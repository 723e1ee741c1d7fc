"""The ``src/`` folder of another git revision, for the benchmarks that measure it side by side with this checkout
(``--against REV`` / ``--baseline REV``): taken with ``git archive``, model files included; nothing is checked out."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def revision_src(rev: str, dest: Path) -> Path:
    """The ``src`` folder of git revision ``rev``, unpacked into ``dest`` (made if missing)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"
