"""The Streamlit layer is dashboard/ui/: the rest of dashboard/ is plain Python, and the entry
script's folder (which Streamlit puts on sys.path) shadows no module."""

from __future__ import annotations

import ast
import importlib.machinery
import sys
import tomllib
from pathlib import Path

import pytest

from dashboard.ui import serve

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"
UI = DASHBOARD / "ui"
# Modules outside dashboard/ui/ that must import Streamlit, and why.
STREAMLIT_OUTSIDE_UI = {
    # The benchmark times every page through Streamlit's AppTest, as the app tests do: a measuring
    # tool run from the command line (python -m dashboard bench), never part of a page run.
    "bench.py": "streamlit.testing",
    # The load test's client speaks Streamlit's websocket protocol to a running server, so it
    # builds and reads Streamlit's own messages (streamlit.proto); it draws nothing.
    "stclient.py": "streamlit.proto",
}


def _streamlit_imports(path: Path) -> list[str]:
    """The Streamlit modules ``path`` imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [n for n in names if n.split(".")[0].startswith("streamlit")]
    return found


def test_nothing_outside_the_ui_package_imports_streamlit():
    outside = sorted(p for p in DASHBOARD.rglob("*.py") if UI not in p.parents)
    assert outside, "no module found outside dashboard/ui/"
    offenders = {
        p.relative_to(ROOT).as_posix(): imports
        for p in outside
        if (imports := _streamlit_imports(p)) and p.name not in STREAMLIT_OUTSIDE_UI
    }
    assert offenders == {}, "Streamlit belongs in dashboard/ui/"
    for name, module in STREAMLIT_OUTSIDE_UI.items():
        # The exceptions still need it (else they leave the list), and only the part named.
        imports = _streamlit_imports(DASHBOARD / name)
        assert imports and all(m == "streamlit" or m.startswith(module + ".") for m in imports), name


def test_the_ui_package_is_where_streamlit_is():
    assert all(_streamlit_imports(p) for p in UI.glob("*.py") if p.name not in {"__init__.py", "serve.py"})
    # The package itself imports nothing: `from dashboard.ui import serve` (the CLI) stays light.
    assert not ast.parse((UI / "__init__.py").read_text(encoding="utf-8")).body[1:]


def test_the_entry_scripts_folder_shadows_no_module():
    # Streamlit puts the entry script's folder first on sys.path for the server's whole life: a
    # module there named like a top-level one (a library's, the standard library's) would be
    # imported in its place by anything that asks for that name.
    folder = serve.APP.parent
    elsewhere = [p for p in sys.path if p and Path(p).resolve() != folder]
    for path in folder.glob("*.py"):
        name = path.stem
        if name == "__init__":
            continue
        assert name not in sys.stdlib_module_names, name
        spec = importlib.machinery.PathFinder.find_spec(name, elsewhere)
        # A plain folder of that name (data/, tests/data/: a namespace, no loader) is no module.
        assert spec is None or spec.loader is None, f"{name}: {spec.origin}"


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_define_no_cached_loader_of_their_own(page):
    # Every cached loader is in dashboard/ui/ (loaders.py, or the page's own ui module), keyed
    # by the user's scope there (tests/test_access.py checks those).
    tree = ast.parse(page.read_text(encoding="utf-8"))
    cached = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and any("cache_" in ast.unparse(d) for d in node.decorator_list)
    ]
    assert cached == []
    assert not page.name[0].isdigit(), "page files are named without a number (the menu order is the entry's)"


def test_every_package_of_dashboard_is_installed():
    # `pip install -e .` (make) installs the packages pyproject names: a subpackage left out
    # would import from a checkout and fail from an installed copy.
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = sorted(".".join(p.parent.relative_to(ROOT).parts) for p in DASHBOARD.rglob("__init__.py"))
    assert sorted(listed["packages"]) == found
