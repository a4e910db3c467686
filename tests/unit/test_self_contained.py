"""The repository stands alone: no module, script or test reaches for a path outside it.

A fresh clone with nothing beside it must pass `make test`. Two checks: every path the code builds
from ``__file__`` (``parents[N]``, ``.parent`` chains, ``..`` in a string) resolves inside the
repository, and the whole suite collects from a copy of the tracked files placed alone in an empty
folder (where a read of ``../shared`` at import time fails as it did for a new user).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("dashboard", "pages", "tests", "scripts")
DOTDOT = re.compile(r"(^|[/\\])\.\.([/\\]|$)")


def _tracked_files() -> list[Path]:
    """The files git tracks (the clone a new user gets), or every file when git is not there."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return [p.relative_to(ROOT) for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts]
    return [Path(name) for name in out.split("\0") if name and (ROOT / name).is_file()]


def _python_sources() -> list[Path]:
    files: list[Path] = []
    for folder in SOURCE_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f.exists()]


def _parent_depth(node: ast.AST) -> int | None:
    """How far up from ``__file__`` an expression climbs, or None when it is not built from it.

    ``Path(__file__).resolve().parents[2]`` → 3, ``Path(__file__).parent.parent`` → 2,
    ``Path(__file__).resolve()`` → 0 (the file itself).
    """
    depth = 0
    while True:
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            if node.value.attr != "parents" or not isinstance(node.slice, ast.Constant):
                return None
            depth += int(node.slice.value) + 1
            node = node.value.value
        elif isinstance(node, ast.Attribute) and node.attr == "parent":
            depth += 1
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr
            in {
                "resolve",
                "absolute",
            }
        ):
            node = node.func.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Path":
            if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "__file__":
                return depth
            return None
        else:
            return None


def escapes(path: Path, source: str | None = None) -> list[str]:
    """Every place in ``path`` (or ``source`` read as if it stood there) whose path leaves the repository."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    found = []
    for node in ast.walk(tree):
        depth = _parent_depth(node) if isinstance(node, ast.Subscript | ast.Attribute) else None
        if depth is not None and depth > 0:
            target = path.parents[min(depth, len(path.parents)) - 1]
            if not target.is_relative_to(ROOT):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTDOT.search(node.value):
            if "\n" in node.value or " " in node.value.strip():
                continue  # prose (a docstring or a message), not a path
            target = (path.parent / node.value).resolve()
            if not target.is_relative_to(ROOT):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize(
    "source, expected",
    [
        ('from pathlib import Path\nX = Path(__file__).resolve().parents[0] / "data"\n', False),
        ('from pathlib import Path\nX = Path(__file__).resolve().parents[5] / "shared"\n', True),
        ("from pathlib import Path\nX = Path(__file__).parent.parent.parent.parent.parent.parent\n", True),
        ('X = "data/reference/units.parquet"\n', False),
        ('X = "../../../../shared/domain/seed_facts.csv"\n', True),
        ('X = "../app.py"\n', False),
    ],
)
def test_the_scan_catches_an_escape(source, expected):
    """The scanner itself, on source read as if it stood two folders deep in the repository."""
    assert bool(escapes(ROOT / "tests" / "data" / "probe.py", source)) is expected


def test_no_source_reaches_outside_the_repository():
    found = [hit for path in _python_sources() for hit in escapes(path)]
    assert found == [], "đường dẫn ra ngoài kho mã:\n" + "\n".join(found)


def test_the_seed_figures_are_the_projects_own():
    """The demo's reference figures are a file of the repository, one row a figure with its report."""
    seed = ROOT / "tests" / "data" / "seed_facts.csv"
    header = seed.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["source", "province"]
    assert Path("tests/data/seed_facts.csv") in _tracked_files()


def test_the_suite_collects_from_a_clone_with_nothing_beside_it(tmp_path):
    """Collection (every test module imported) from a copy alone in an empty folder."""
    clone = tmp_path / "lone" / "clone"
    for rel in _tracked_files():
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, clone / rel)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(clone), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"\d+ tests? collected", result.stdout)
