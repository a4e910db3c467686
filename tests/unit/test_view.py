"""A view carries its unit tree: a snapshot and a geography of different structures cannot meet.

Commit ccab15b fixed cached goal, map and pack functions that took the geography from the
session's filters instead of from the view they were keyed by: the figures of one structure
were named and scoped with the other structure's tree. These tests pin that the pair can no
longer be put together: a view's reads take no tree, a view refuses a tree of another
structure, and a scoped view measures its scope in the tree it reads in.
"""

from __future__ import annotations

import inspect

import polars as pl
import pytest

from dashboard import access, reform, structure, view
from dashboard.access import VIEWER, Access, ScopedView
from dashboard.geography import LEVELS_2025, Geography
from dashboard.snapshot import load_snapshot

# 00331 is Phường Hoàng Mai in the 2025 units and a ward of Quận Hoàng Mai in the old ones.
SHARED_CODE = "00331"
HOANG_MAI = "008"  # Quận Hoàng Mai (old units)
OLD_SCOPE = Access(VIEWER, (HOANG_MAI,))
NEW_SCOPE = Access(VIEWER, (SHARED_CODE,), access.NEW)
INDICATORS = ["addicts_managed"]


@pytest.fixture(scope="module")
def new_geo() -> Geography:
    return reform.geography_2025()


@pytest.fixture(scope="module")
def v2(reform_snapshot, geography):
    return load_snapshot(reform_snapshot, geography)


@pytest.fixture(scope="module")
def new_view(v2, new_geo):
    return view.load_view(v2, structure.NEW, new_geo)


@pytest.fixture(scope="module")
def old_view(v2, geography):
    return view.load_view(v2, structure.LEGACY, geography)


def test_no_read_of_a_view_takes_a_unit_tree():
    readers = ("monthly", "summarize", "rollups", "units_with_data", "scan", "allows", "restricted")
    for cls in (view.View, view.SnapshotView, ScopedView):
        for name in readers:
            params = inspect.signature(getattr(cls, name)).parameters
            assert "geography" not in params, f"{cls.__name__}.{name} takes a geography"
            assert all("Geography" not in str(p.annotation) for p in params.values()), (cls, name)


def test_a_view_is_read_in_the_tree_of_its_own_structure(v2, geography, new_geo, new_view, old_view):
    assert new_view.geography is new_geo and new_view.structure == structure.NEW
    assert old_view.geography is geography and old_view.structure == structure.LEGACY
    assert new_view.view_id == f"{v2.snapshot_id}@{structure.NEW}" and old_view.view_id == v2.snapshot_id
    assert isinstance(new_view, view.View) and isinstance(new_view.restricted(NEW_SCOPE), view.View)
    # The one code names a different ward in each tree, and each view answers for its own.
    assert new_geo.name(SHARED_CODE) != geography.name(SHARED_CODE)
    new = new_view.summarize([SHARED_CODE], INDICATORS, "year", (2026, 2026))
    assert not new.is_empty()
    assert (
        new["value"].to_list()
        == v2.summarize(new_geo, [SHARED_CODE], INDICATORS, "year", (2026, 2026))["value"].to_list()
    )


def test_a_view_refuses_a_tree_of_the_other_structure(v2, demo_snapshots, geography, new_geo):
    moved_new = structure.restructure(v2, structure.NEW)
    moved_old = structure.restructure(v2, structure.LEGACY)
    with pytest.raises(ValueError, match="cơ cấu"):
        view.open_view(moved_new, geography)
    with pytest.raises(ValueError, match="cơ cấu"):
        view.open_view(moved_old, new_geo)
    with pytest.raises(ValueError, match="cơ cấu"):
        view.load_view(v2, structure.NEW, geography)
    version_1 = demo_snapshots["2025-12-31"]  # all in the old units
    with pytest.raises(ValueError, match="cơ cấu"):
        version_1.in_geography(new_geo)
    with pytest.raises(ValueError, match="cơ cấu"):
        version_1.summarize(new_geo, [SHARED_CODE], INDICATORS)
    # A version 2 snapshot holds both structures: it opens in either.
    assert v2.in_geography(new_geo).geography.levels == LEVELS_2025
    assert v2.in_geography(geography).structure == structure.LEGACY


def test_a_scoped_view_never_reads_outside_its_scope_in_its_own_tree(new_view, old_view):
    # A scope of the 2025 units on the 2025 view: its ward only, never the neighbour or the city.
    ward = new_view.restricted(NEW_SCOPE)
    assert ward.geography is new_view.geography
    assert not ward.summarize([SHARED_CODE], INDICATORS, "year", (2026, 2026)).is_empty()
    assert ward.summarize(["00337", "01"], INDICATORS, "year", (2026, 2026)).is_empty()
    assert set(ward.status["commune_code"]) <= {SHARED_CODE}
    assert ward.scan().select(pl.col("unit_code").unique()).collect()["unit_code"].to_list() == [SHARED_CODE]
    # The same scope on the old view sees nothing, though 00331 is a code of the old tree too.
    elsewhere = old_view.restricted(NEW_SCOPE)
    assert elsewhere.summarize([SHARED_CODE, HOANG_MAI, "VN"], INDICATORS).is_empty()
    assert elsewhere.status.is_empty() and elsewhere.rollups().is_empty()
    assert elsewhere.monthly([SHARED_CODE], INDICATORS).is_empty()
    # And a scope of old units on the 2025 view: nothing, not the new Phường Hoàng Mai.
    district = new_view.restricted(OLD_SCOPE)
    assert district.summarize([SHARED_CODE, HOANG_MAI], INDICATORS).is_empty()
    assert district.scan().collect().is_empty()
    # On its own (old) view the old-unit scope reads its district and the old ward below it.
    own = old_view.restricted(OLD_SCOPE)
    assert not own.summarize([HOANG_MAI], INDICATORS, "year", (2024, 2024)).is_empty()
    assert own.allows(SHARED_CODE) and not district.allows(SHARED_CODE)


def test_the_app_loads_each_view_with_the_tree_of_its_own_id(reform_dir, v2):
    from dashboard.ui import loaders

    folder = str(reform_dir)
    new_id = view.view_id(v2.snapshot_id, structure.NEW)
    for view_id, levels in ((new_id, LEVELS_2025), (v2.snapshot_id, ("province", "district", "commune"))):
        for scope in (access.FULL_ACCESS, NEW_SCOPE, OLD_SCOPE):
            loaded = loaders.load(folder, view_id, scope)
            assert loaded.view_id == view_id
            assert loaded.geography.levels == levels
            assert loaded.geography is loaders.geography_of(view_id)
