"""AppTest with sign-in on: a signed-in viewer (Quận Hoàng Mai) and a data manager, identity mocked.

OIDC users come through ``AppTest.user`` (what ``st.user`` reads); the password mode's session
is what streamlit-authenticator leaves in session state after a good password.
"""

from __future__ import annotations

import json
from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import importing, reform
from dashboard.access import ACCESS_FILE_ENV, COMPLEMENT_LABEL
from dashboard.formatting import md_text
from dashboard.i18n import t
from dashboard.ui import auth as ui_auth
from tests.support.apptest import open_menus, run_app
from tests.support.cards import card_values, grids

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "ui" / "app.py"
TIMEOUT = 120
VIEWER_EMAIL, MANAGER_EMAIL, STRANGER = "hoangmai@example.vn", "quanly@example.vn", "ai.do@example.vn"
HOANG_MAI, NAM_TU_LIEM = "Quận Hoàng Mai", "Quận Nam Từ Liêm"
# Viewers scoped in the 2025 units: one new ward of Hà Nội (code 00331, which in the old units is
# a ward of Quận Hoàng Mai) and one new province (Thành phố Đà Nẵng: old Đà Nẵng + old Quảng Nam).
WARD_EMAIL, PROVINCE_EMAIL = "phuonghoangmai@example.vn", "danang@example.vn"
NEW_WARD, NEW_WARD_CODE, DA_NANG = "Phường Hoàng Mai", "00331", "Thành phố Đà Nẵng"
COMMUNES = "communes_2025"  # the URL parameter and widget key of the new communes

ACCESS_TOML = f"""
mode = "oidc"

[users."{VIEWER_EMAIL}"]
role = "viewer"
units = ["008"]

[users."{MANAGER_EMAIL}"]
role = "data_manager"
units = ["VN"]

[users."{WARD_EMAIL}"]
role = "viewer"
structure = "2025"
units = ["{NEW_WARD_CODE}"]

[users."{PROVINCE_EMAIL}"]
role = "viewer"
structure = "2025"
units = ["48"]
"""


def _sign_in_on(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sign-in on (ACCESS_TOML) over the data folder ``data_dir``; returns the access file."""
    path = tmp_path / "access.toml"
    path.write_text(ACCESS_TOML, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    monkeypatch.setenv(ACCESS_FILE_ENV, str(path))
    return path


@pytest.fixture
def oidc_env(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _sign_in_on(demo_dir, tmp_path, monkeypatch)


def run_as(email: str | None, page: str | None = None, query_params: dict | None = None) -> AppTest:
    user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return run_app(page, query_params, user=user)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info",
                                  "error", "code") for e in at.get(kind)]  # fmt: skip
    parts += grids(at)  # the headline cards, tooltips included
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    for table in at.table:
        parts.append(table.value.to_csv())
    # The out-of-scope notice names what was asked for; everything else must not.
    refused = t("notice.out_of_scope", name="").split(";")[0].strip()
    return "\n".join(str(p) for p in parts if not str(p).startswith(refused))


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_signed_out_sees_the_sign_in_page_and_no_figures(oidc_env):
    at = run_as(None)
    assert_clean(at)
    assert at.title[0].value == t("auth.title")
    assert [b.label for b in at.button] == [t("auth.login")]
    assert not card_values(at) and not at.get("plotly_chart") and not at.selectbox


def test_a_user_the_file_does_not_list_sees_nothing(oidc_env):
    at = run_as(STRANGER)
    assert any(t("auth.not_listed", user=md_text(STRANGER)) == e.value for e in at.error)
    assert not card_values(at) and not at.selectbox


@pytest.mark.parametrize("page", [None, "pages/xu_huong.py", "pages/so_sanh.py", "pages/ban_do.py",
                                  "pages/muc_tieu.py", "pages/xuat_bao_cao.py"])  # fmt: skip
def test_viewer_sees_only_hoang_mai(oidc_env, page):
    at = run_as(VIEWER_EMAIL, page)
    assert_clean(at)
    assert at.selectbox(key="province").options == ["Thành phố Hà Nội"]
    assert at.multiselect(key="district").options == [HOANG_MAI]
    shown = texts(at)
    assert HOANG_MAI in at.title[0].value
    assert NAM_TU_LIEM not in shown and "Tỉnh Quảng Nam" not in shown
    assert t("auth.signed_in", user=md_text(VIEWER_EMAIL)) in shown


@pytest.mark.parametrize(
    "params,name",
    [
        ({"district": NAM_TU_LIEM}, NAM_TU_LIEM),
        ({"province": "Tỉnh Quảng Nam"}, "Tỉnh Quảng Nam"),
        ({"province": "Toàn quốc"}, "Toàn quốc"),
        ({"province": "Thành phố Hà Nội", "district": [HOANG_MAI, NAM_TU_LIEM]}, NAM_TU_LIEM),
    ],
)
def test_viewer_asking_for_another_unit_by_url_gets_a_notice_and_their_own(oidc_env, params, name):
    at = run_as(VIEWER_EMAIL, query_params=params)
    assert_clean(at)
    assert any(t("notice.out_of_scope", name=name) == w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    assert HOANG_MAI in at.title[0].value
    assert NAM_TU_LIEM not in texts(at)
    at.switch_page(str(ROOT / "pages/xuat_bao_cao.py")).run()
    assert HOANG_MAI in at.title[0].value and NAM_TU_LIEM not in texts(at)


def test_viewer_forcing_the_district_widget_still_gets_their_own(oidc_env):
    # What a hand-made request could send: a district code the widget never offered.
    for forced in (["019"], ["008", "019"]):
        at = run_as(VIEWER_EMAIL)
        at.multiselect(key="district").set_value(forced).run()
        assert_clean(at)
        assert at.multiselect(key="district").value in ([], ["008"])  # Streamlit drops what it never offered
        assert HOANG_MAI in at.title[0].value
        assert NAM_TU_LIEM not in texts(at)


def test_viewer_has_no_import_section_and_a_scoped_comparison(oidc_env):
    at = run_as(VIEWER_EMAIL, "pages/du_lieu.py")
    assert_clean(at)
    assert not at.get("file_uploader")
    assert t("data.import_managers_only") in texts(at)
    assert t("data.import") not in [h.value for h in at.header]


def test_data_manager_sees_the_import_section_and_every_province(oidc_env):
    at = run_as(MANAGER_EMAIL, "pages/du_lieu.py")
    assert_clean(at)
    # The newest snapshot is the demo: the upload waits for the base to be chosen.
    assert not at.get("file_uploader")
    at.selectbox(key="import_base").set_value(importing.NEWEST).run()
    assert at.get("file_uploader")
    assert t("data.import") in [h.value for h in at.header]
    assert "Toàn quốc" in at.selectbox(key="province").options
    assert len(at.selectbox(key="province").options) == 4


def test_compare_page_table_hides_small_commune_counts_for_the_viewer(oidc_env):
    at = run_as(VIEWER_EMAIL, "pages/so_sanh.py", query_params={"indicator": "Nạn nhân bị mua bán trở về"})
    assert_clean(at)
    table = at.dataframe[0].value
    values = table[t("column.value")].tolist()
    assert "<5" in values, values
    numbers = [int(v) for v in values if v not in ("<5", COMPLEMENT_LABEL)]
    assert all(v == 0 or v >= 5 for v in numbers)


@pytest.fixture
def password_env(demo_dir, tmp_path, monkeypatch):
    hashed = bcrypt.hashpw(b"mat-khau-thu", bcrypt.gensalt(rounds=4)).decode()
    (tmp_path / "auth.yaml").write_text(
        "credentials:\n  usernames:\n    hoangmai:\n      name: Hoàng Mai\n      email: hm@example.vn\n"
        f"      password: '{hashed}'\ncookie:\n  name: bcd_test\n"
        "  key: test-signing-key-of-at-least-32-bytes-0123456789\n  expiry_days: 1\n",
        encoding="utf-8",
    )
    (tmp_path / "access.toml").write_text(
        'mode = "password"\ncredentials = "auth.yaml"\n[users.hoangmai]\nrole = "viewer"\nunits = ["008"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(demo_dir))
    monkeypatch.setenv(ACCESS_FILE_ENV, str(tmp_path / "access.toml"))
    ui_auth.throttles.clear()  # the failed sign-ins of this process: each test starts afresh
    yield
    ui_auth.throttles.clear()


def sign_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_password_mode_signed_in_viewer(password_env):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert_clean(at)
    assert not card_values(at)  # the sign-in form only
    assert t("auth.password") in [i.label for i in at.text_input]
    at.text_input[0].input("hoangmai")
    at.text_input[1].input("sai-mat-khau")
    at.button[0].click().run()
    assert not card_values(at)
    at.text_input[0].input("hoangmai")
    at.text_input[1].input("mat-khau-thu")
    at.button[0].click().run()
    assert_clean(at)
    assert HOANG_MAI in at.title[0].value, [e.value for e in at.title]
    assert card_values(at)
    assert NAM_TU_LIEM not in texts(at)
    # Signing out ends the session: the next run is the sign-in form again, with no figures.
    next(b for b in at.sidebar.button if b.label == t("auth.logout")).click().run()
    at.run()
    assert not card_values(at) and t("auth.password") in [i.label for i in at.text_input]


def test_twelve_wrong_passwords_lock_the_user_out_even_with_the_right_one(password_env):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    for _ in range(12):
        sign_in(at, "hoangmai", "sai-mat-khau")
        assert_clean(at)
    sign_in(at, "hoangmai", "mat-khau-thu")
    assert_clean(at)
    assert not card_values(at)
    locked = t("auth.locked", seconds=0).split(":")[0]
    assert any(e.value.startswith(locked) for e in at.error), [e.value for e in at.error]
    # Another browser (a new session) of the same user is locked out too.
    other = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    other.run()
    sign_in(other, "hoangmai", "mat-khau-thu")
    assert not card_values(other) and any(e.value.startswith(locked) for e in other.error)


@pytest.fixture
def oidc_reform_env(reform_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _sign_in_on(reform_dir, tmp_path, monkeypatch)


@pytest.mark.parametrize("page", [None, "pages/xu_huong.py", "pages/ban_do.py", "pages/muc_tieu.py"])
def test_a_viewer_scoped_to_old_units_stays_in_them_on_a_version_2_snapshot(oidc_reform_env, page):
    # Scopes are set in old units: the viewer of Quận Hoàng Mai reads the 2026 snapshot by
    # former district, with no structure switch and a caption saying why.
    at = run_as(VIEWER_EMAIL, page, query_params={"structure": t("structure.2025")})
    assert_clean(at)
    assert not [r for r in at.radio if r.key == "structure"]
    assert at.multiselect(key="district").options == [HOANG_MAI]
    shown = texts(at)
    assert t("structure.restricted", units=HOANG_MAI) in shown
    fixed = t("notice.structure_fixed", name=t("structure.2025"), own=t("structure.legacy"))
    assert fixed in [w.value for w in at.warning]
    assert HOANG_MAI in at.title[0].value and NAM_TU_LIEM not in shown


# --------------------------------------------------------------------------- scopes in the 2025 units

ALL_PAGES = [None, "pages/xu_huong.py", "pages/so_sanh.py", "pages/ban_do.py", "pages/muc_tieu.py",
             "pages/xuat_bao_cao.py", "pages/trinh_chieu.py", "pages/du_lieu.py"]  # fmt: skip


def _names_outside(own: set[str]) -> list[str]:
    """Names of the units of the demo's new provinces (and the provinces) a scoped user must not see.

    The province that holds the user's units is named (it is picked in the sidebar); a name that
    is part of one of the user's own names (Phường Hoàng Mai / Hoàng Mai) is left out.
    """
    geo = reform.geography_2025()
    codes = ["01", "11", "48"] + [c for p in ("01", "11", "48") for c in geo.descendants(p, "commune")]
    above = {a for c in own for a in geo.ancestors(c)}
    names = {geo.name(c) for c in codes if c not in own and c not in above}
    owned = {geo.name(c) for c in own}
    return sorted(n for n in names if not any(n in o for o in owned))


def on_the_wire(at: AppTest) -> str:
    """Everything the page sent: texts, tables, chart figures (JSON), the map's payload, widget options."""
    parts = [texts(at)]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    parts += [m.proto.json for m in at.get("deck_gl_json_chart")]
    for kind in ("selectbox", "multiselect", "radio"):
        parts += [json.dumps(list(w.options), ensure_ascii=False) for w in at.get(kind)]
    parts += [b.proto.label + b.proto.help for b in at.get("download_button")]
    return "\n".join(parts)


def assert_scoped_to(at: AppTest, own: set[str]) -> None:
    wire = on_the_wire(open_menus(at))  # the download menus opened: their buttons are on the wire too
    leaked = [n for n in _names_outside(own) if n in wire]
    assert not leaked, leaked[:10]


@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_viewer_of_a_new_ward_is_served_in_the_new_units_on_every_page(oidc_reform_env, page):
    at = run_as(WARD_EMAIL, page)
    assert_clean(at)
    # The switch is shown fixed on the new units, with the reason; the old units are never offered.
    switch = [r for r in at.radio if r.label == t("filter.structure")]
    assert [r.options for r in switch] == [[t("structure.2025")]] and switch[0].disabled
    assert t("structure.fixed_new", units=NEW_WARD) in texts(at)
    assert at.selectbox(key="province").options == ["Thành phố Hà Nội"]
    assert at.multiselect(key=COMMUNES).options == [NEW_WARD]
    assert not at.get("multiselect") or all(m.key != "district" for m in at.multiselect)
    if page not in ("pages/du_lieu.py",):
        assert NEW_WARD.lower() in at.title[0].value.lower(), at.title[0].value
    assert_scoped_to(at, {NEW_WARD_CODE})
    assert t("auth.scope", role=t("auth.role.viewer"), units=NEW_WARD) in texts(at)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_viewer_of_a_new_province_sees_its_communes_and_nothing_else(oidc_reform_env, page):
    at = run_as(PROVINCE_EMAIL, page)
    assert_clean(at)
    geo = reform.geography_2025()
    communes = geo.descendants("48", "commune")
    assert at.selectbox(key="province").options == [DA_NANG]
    assert at.multiselect(key=COMMUNES).options == [geo.name(c) for c in communes]
    if page not in ("pages/du_lieu.py",):
        assert DA_NANG.lower() in at.title[0].value.lower(), at.title[0].value
    assert_scoped_to(at, {"48", *communes})
    wire = on_the_wire(at)
    assert "Thành phố Hà Nội" not in wire and "Tỉnh Điện Biên" not in wire


@pytest.mark.parametrize(
    "email,params,name",
    [
        (WARD_EMAIL, {COMMUNES: "Phường Hoàng Liệt"}, "Phường Hoàng Liệt"),
        (WARD_EMAIL, {"province": "Toàn quốc"}, "Toàn quốc"),
        (WARD_EMAIL, {"province": DA_NANG}, DA_NANG),
        (PROVINCE_EMAIL, {"province": "Thành phố Hà Nội"}, "Thành phố Hà Nội"),
        (PROVINCE_EMAIL, {"province": "Thành phố Hà Nội", COMMUNES: NEW_WARD}, "Thành phố Hà Nội"),
    ],
)
def test_a_new_unit_viewer_asking_for_another_unit_by_url_gets_a_notice_and_their_own(
    oidc_reform_env, email, params, name
):
    at = run_as(email, query_params=params)
    assert_clean(at)
    assert any(t("notice.out_of_scope", name=name) == w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    own = {NEW_WARD_CODE} if email == WARD_EMAIL else {"48", *reform.geography_2025().descendants("48")}
    assert_scoped_to(at, own)
    for page in ("pages/muc_tieu.py", "pages/xuat_bao_cao.py", "pages/ban_do.py"):
        at.switch_page(str(ROOT / page)).run()
        assert_clean(at)
        assert_scoped_to(at, own)


def test_a_new_unit_viewer_cannot_reach_the_old_units_by_link_or_widget(oidc_reform_env):
    # The old units by link: the structure stays new, and a district of the old units names nothing.
    at = run_as(WARD_EMAIL, query_params={"structure": t("structure.legacy"), "district": HOANG_MAI})
    assert_clean(at)
    fixed = t("notice.structure_fixed", name=t("structure.legacy"), own=t("structure.2025"))
    assert fixed in [w.value for w in at.warning]
    assert "structure" not in at.query_params
    assert not [m for m in at.multiselect if m.key == "district"]
    assert NEW_WARD in at.title[0].value and HOANG_MAI not in at.title[0].value
    assert_scoped_to(at, {NEW_WARD_CODE})
    # A hand-made widget state naming a neighbouring ward is dropped.
    at.multiselect(key=COMMUNES).set_value(["00337"]).run()
    assert_clean(at)
    assert at.multiselect(key=COMMUNES).value in ([], [NEW_WARD_CODE])
    assert_scoped_to(at, {NEW_WARD_CODE})


def test_a_new_unit_viewer_on_a_version_1_snapshot_stays_in_the_new_units(oidc_reform_env):
    # The snapshot of 2025-12-31 holds the old units only: it is converted, and still scoped.
    at = run_as(WARD_EMAIL, "pages/xu_huong.py", query_params={"snapshot": "2025-12-31"})
    assert_clean(at)
    assert at.selectbox(key="snapshot").value == "2025-12-31"
    assert at.multiselect(key=COMMUNES).options == [NEW_WARD]
    assert at.get("plotly_chart")
    assert_scoped_to(at, {NEW_WARD_CODE})


def test_the_snapshot_comparison_of_a_new_unit_viewer_is_scoped(oidc_reform_env):
    # 2025-12-31 (old units, converted) against 2026-10-31: the months revised or added, in Đà Nẵng only.
    at = run_as(PROVINCE_EMAIL, "pages/du_lieu.py")
    assert_clean(at)
    assert not at.get("file_uploader")
    assert (at.selectbox(key="compare_old").value, at.selectbox(key="compare_new").value) == (
        "2025-12-31",
        "2026-10-31",
    )
    assert at.dataframe, "no comparison table"
    assert_scoped_to(at, {"48", *reform.geography_2025().descendants("48")})


def test_a_scope_mixing_old_and_new_units_is_refused_at_sign_in(reform_dir, tmp_path, monkeypatch):
    path = _sign_in_on(reform_dir, tmp_path, monkeypatch)
    path.write_text(
        ACCESS_TOML + f'\n[users."tron@example.vn"]\nrole = "viewer"\nstructure = "2025"\n'
        f'units = ["{NEW_WARD_CODE}", "008"]\n',
        encoding="utf-8",
    )
    at = run_as(WARD_EMAIL)
    assert_clean(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "tron@example.vn" in errors[0]
    assert "008 (Quận Hoàng Mai) là đơn vị cũ" in errors[0]
    assert not card_values(at) and not at.get("plotly_chart") and not at.selectbox


def test_small_commune_counts_are_hidden_for_a_new_province_viewer(oidc_reform_env):
    at = run_as(PROVINCE_EMAIL, "pages/so_sanh.py", query_params={"indicator": "Nạn nhân bị mua bán trở về"})
    assert_clean(at)
    values = at.dataframe[0].value[t("column.value")].tolist()
    assert "<5" in values, values
    assert all(v == "<5" or float(v) == 0 or float(v) >= 5 for v in values)
    assert_scoped_to(at, {"48", *reform.geography_2025().descendants("48")})
