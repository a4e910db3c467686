"""The tests' own layout: a folder a tier, shared code in tests/support, no test imports another.

What two test modules share lives in ``tests/support`` and is imported as ``tests.support…``;
a test module importing another (``from test_browser import …``, ``from tests.conftest import …``)
ties their order, fixtures and tiers together, so it is refused here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import TIERS

TESTS = Path(__file__).resolve().parents[1]


def _is_test_module(name: str) -> bool:
    """``name`` (dotted) names a test module or a conftest: ``tests.test_app``, ``test_browser``."""
    return any(part.startswith("test_") or part == "conftest" for part in name.split("."))


def imported_test_modules(source: str) -> list[str]:
    """The test modules (and conftests) ``source`` imports, by import statement or by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _is_test_module(node.module):
            found.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"importorskip", "import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _is_test_module(node.args[0].value)
        ):
            found.append(node.args[0].value)
    return found


def _sources() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "data" not in p.relative_to(TESTS).parts)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tests.test_importing import workbook\n", ["tests.test_importing"]),
        ("from test_browser import running_server\n", ["test_browser"]),
        ("def f():\n    from tests.conftest import EMPTY_STATUS\n", ["tests.conftest"]),
        ("import conftest\n", ["conftest"]),
        ('import pytest\nm = pytest.importorskip("test_browser")\n', ["test_browser"]),
        ("from tests.support.data import workbook\nfrom tests.support import postgres\n", []),
        ("from dashboard import importing\n", []),
    ],
)
def test_an_import_of_a_test_module_is_found(source, expected):
    assert imported_test_modules(source) == expected


def test_no_test_module_imports_another():
    offenders = {
        str(path.relative_to(TESTS)): found
        for path in _sources()
        if (found := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert not offenders, f"move what they share to tests/support: {offenders}"


def test_every_test_module_sits_in_a_tier_folder_under_a_name_of_its_own():
    modules = sorted(TESTS.rglob("test_*.py"))
    assert modules
    misplaced = [str(p.relative_to(TESTS)) for p in modules if p.relative_to(TESTS).parts[0] not in TIERS]
    assert not misplaced, f"put these in one of tests/{{{','.join(TIERS)}}}: {misplaced}"
    # Tier folders are not packages: pytest imports a test module by its file name alone.
    names = [p.name for p in modules]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_each_collected_test_carries_the_marker_of_its_tier(request):
    for item in request.session.items:
        if not item.path.is_relative_to(TESTS):
            continue
        tier = item.path.relative_to(TESTS).parts[0]
        marked = {tier_name for tier_name in TIERS if item.get_closest_marker(tier_name)}
        assert marked == {tier}, (item.nodeid, marked)
