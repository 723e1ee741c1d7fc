"""The project's habits, run by CI's one pytest command: `ruff check src tests` and `mypy` (the typed public API,
``py.typed``), each as configured in pyproject.toml. Skipped, naming why, when the tool is not installed
(both are in the ``test`` extra)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    """The tool beside this Python (the project's virtualenv), else on PATH; skip when neither has it."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [found]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_ruff_finds_nothing():
    proc = _run([*_tool("ruff"), "check", "--no-cache", "src", "tests"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_code_is_formatted():
    """`ruff format` (120 columns, pyproject.toml) leaves every file as it is: run it before you commit."""
    proc = _run([*_tool("ruff"), "format", "--check", "--no-cache", "src", "tests", "benchmarks", "scripts"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_finds_nothing():
    proc = _run([*_tool("mypy")])  # its cache (.mypy_cache, ignored by git) makes a second run fast
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout


def test_mypy_would_fail_on_a_type_error(tmp_path):
    """The configuration checks something: the same mypy rejects a module with a wrong return type."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f() -> int:\n    return 'x'\n", encoding="utf-8")
    proc = _run(
        [
            *_tool("mypy"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            str(bad),
        ]
    )
    assert proc.returncode == 1 and "incompatible return value" in proc.stdout.lower()
