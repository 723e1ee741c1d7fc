"""The pandoc programs this machine has, by major version, for the compile tests and ``benchmarks/consumers.py``:
Debian's ``pandoc`` (2.17 on the build machines) on the ``PATH``, and the 3.x binary the ``pypandoc_binary`` wheel
(the ``test`` extra) bundles inside its package (``pypandoc/files/pandoc``: nothing is downloaded). A version that
is not there is simply absent from :func:`pandocs`; the callers skip it and say so."""

from __future__ import annotations

import functools
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

__all__ = ["pandocs", "PANDOC_MAJORS"]

#: the major versions the consumers are checked with (issue 18: "pandoc 2.17 and 3.x")
PANDOC_MAJORS = ("2", "3")


def _bundled() -> str | None:
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        exe = Path(folder) / "files" / "pandoc"
        if exe.is_file():
            return str(exe)
    return None


def _version(exe: str) -> str | None:
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"pandoc(?:\.exe)?\s+(\d+(?:\.\d+)*)", out)
    return m.group(1) if m else None


@functools.lru_cache(maxsize=1)
def pandocs() -> dict[str, tuple[str, str]]:
    """``{major: (executable, full version)}``, e.g. ``{"2": ("/usr/bin/pandoc", "2.17.1.1"), "3": (…, "3.9")}``;
    the first found of each major version (the ``PATH``'s before the wheel's)."""
    found: dict[str, tuple[str, str]] = {}
    for exe in (shutil.which("pandoc"), _bundled()):
        version = _version(exe) if exe else None
        if exe and version:
            found.setdefault(version.split(".")[0], (exe, version))
    return found
