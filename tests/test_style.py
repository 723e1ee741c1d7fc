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


def test_mypy_finds_nothing():
    proc = _run([*_tool("mypy")])  # its cache (.mypy_cache, ignored by git) makes a second run fast
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout


def test_mypy_would_fail_on_a_type_error(tmp_path):
    """The configuration checks something: the same mypy rejects a module with a wrong return type."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f() -> int:\n    return 'x'\n", encoding="utf-8")
    proc = _run([*_tool("mypy"), "--config-file", str(ROOT / "pyproject.toml"), "--no-incremental",
                 "--cache-dir", "/dev/null", str(bad)])
    assert proc.returncode == 1 and "incompatible return value" in proc.stdout.lower()


def _imports() -> dict[str, set[str]]:
    """mscbib module → the mscbib modules it imports (at the top or inside a function, as farm-studio counts)."""
    import ast

    src = ROOT / "src"
    mods = {}
    for p in src.rglob("*.py"):
        parts = list(p.relative_to(src).with_suffix("").parts)
        mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        pkg = m if p.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(pkg.split(".")[: len(pkg.split(".")) - node.level + 1]) if node.level else ""
                mod = ".".join(x for x in (base, node.module or "") if x)
                subs = [f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in mods]
                targets = subs if len(subs) == len(node.names) else [mod, *subs]  # `from . import x`: x itself
            else:
                continue
            graph[m] |= {t for t in targets if t in mods and t != m}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


#: Circles of other areas, still open on 2026-12-01 (issue 17's pipeline half; the HTML reader asks the page readers)
KNOWN_CIRCLES = [{"mscbib.build", "mscbib.refs"}, {"mscbib.sources", "mscbib.sources.html"}]


def test_no_new_import_circle():
    """validate → check/checks → validate and validate ↔ plugins were a circle; none may come back."""
    graph = _imports()
    assert {"mscbib.validate", "mscbib.check.checks", "mscbib.plugins", "mscbib.registry"} <= set(graph)
    assert "mscbib.validate" in graph["mscbib.check.checks"]  # check reuses validate's checks, one way
    new = [c for c in _circles(graph) if not any(c <= known for known in KNOWN_CIRCLES)]
    assert new == []
    graph["mscbib.validate"].add("mscbib.check.checks")  # the old import: found as a circle again
    assert any({"mscbib.validate", "mscbib.check.checks"} <= c for c in _circles(graph))
