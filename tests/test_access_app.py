"""AppTest with sign-in on: a signed-in viewer (Quận Hoàng Mai) and a data manager, identity mocked.

OIDC users come through ``AppTest.user`` (what ``st.user`` reads); the password mode's session
is what streamlit-authenticator leaves in session state after a good password.
"""

from __future__ import annotations

from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui_auth
from dashboard.access import ACCESS_FILE_ENV, COMPLEMENT_LABEL
from dashboard.formatting import md_text
from dashboard.i18n import t

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT = 120
VIEWER_EMAIL, MANAGER_EMAIL, STRANGER = "hoangmai@example.vn", "quanly@example.vn", "ai.do@example.vn"
HOANG_MAI, NAM_TU_LIEM = "Quận Hoàng Mai", "Quận Nam Từ Liêm"

ACCESS_TOML = f"""
mode = "oidc"

[users."{VIEWER_EMAIL}"]
role = "viewer"
units = ["008"]

[users."{MANAGER_EMAIL}"]
role = "data_manager"
units = ["VN"]
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
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    if query_params:
        at.query_params.update(query_params)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info",
                                  "error", "code") for e in at.get(kind)]  # fmt: skip
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
    assert not at.metric and not at.get("plotly_chart") and not at.selectbox


def test_a_user_the_file_does_not_list_sees_nothing(oidc_env):
    at = run_as(STRANGER)
    assert any(t("auth.not_listed", user=md_text(STRANGER)) == e.value for e in at.error)
    assert not at.metric and not at.selectbox


@pytest.mark.parametrize("page", [None, "pages/2_xu_huong.py", "pages/3_so_sanh.py", "pages/4_ban_do.py",
                                  "pages/5_muc_tieu.py", "pages/5_xuat_bao_cao.py"])  # fmt: skip
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
    at.switch_page("pages/5_xuat_bao_cao.py").run()
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
    at = run_as(VIEWER_EMAIL, "pages/7_du_lieu.py")
    assert_clean(at)
    assert not at.get("file_uploader")
    assert t("data.import_managers_only") in texts(at)
    assert t("data.import") not in [h.value for h in at.header]


def test_data_manager_sees_the_import_section_and_every_province(oidc_env):
    at = run_as(MANAGER_EMAIL, "pages/7_du_lieu.py")
    assert_clean(at)
    assert at.get("file_uploader")
    assert t("data.import") in [h.value for h in at.header]
    assert "Toàn quốc" in at.selectbox(key="province").options
    assert len(at.selectbox(key="province").options) == 4


def test_compare_page_table_hides_small_commune_counts_for_the_viewer(oidc_env):
    at = run_as(VIEWER_EMAIL, "pages/3_so_sanh.py", query_params={"indicator": "Nạn nhân bị mua bán trở về"})
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
    assert not at.metric  # the sign-in form only
    assert t("auth.password") in [i.label for i in at.text_input]
    at.text_input[0].input("hoangmai")
    at.text_input[1].input("sai-mat-khau")
    at.button[0].click().run()
    assert not at.metric
    at.text_input[0].input("hoangmai")
    at.text_input[1].input("mat-khau-thu")
    at.button[0].click().run()
    assert_clean(at)
    assert HOANG_MAI in at.title[0].value, [e.value for e in at.title]
    assert at.metric
    assert NAM_TU_LIEM not in texts(at)
    # Signing out ends the session: the next run is the sign-in form again, with no figures.
    next(b for b in at.sidebar.button if b.label == t("auth.logout")).click().run()
    at.run()
    assert not at.metric and t("auth.password") in [i.label for i in at.text_input]


def test_twelve_wrong_passwords_lock_the_user_out_even_with_the_right_one(password_env):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    for _ in range(12):
        sign_in(at, "hoangmai", "sai-mat-khau")
        assert_clean(at)
    sign_in(at, "hoangmai", "mat-khau-thu")
    assert_clean(at)
    assert not at.metric
    locked = t("auth.locked", seconds=0).split(":")[0]
    assert any(e.value.startswith(locked) for e in at.error), [e.value for e in at.error]
    # Another browser (a new session) of the same user is locked out too.
    other = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    other.run()
    sign_in(other, "hoangmai", "mat-khau-thu")
    assert not other.metric and any(e.value.startswith(locked) for e in other.error)


@pytest.fixture
def oidc_reform_env(reform_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _sign_in_on(reform_dir, tmp_path, monkeypatch)


@pytest.mark.parametrize("page", [None, "pages/2_xu_huong.py", "pages/4_ban_do.py", "pages/5_muc_tieu.py"])
def test_a_viewer_scoped_to_old_units_stays_in_them_on_a_version_2_snapshot(oidc_reform_env, page):
    # Scopes are set in old units: the viewer of Quận Hoàng Mai reads the 2026 snapshot by
    # former district, with no structure switch and a caption saying why.
    at = run_as(VIEWER_EMAIL, page, query_params={"structure": t("structure.2025")})
    assert_clean(at)
    assert not [r for r in at.radio if r.key == "structure"]
    assert at.multiselect(key="district").options == [HOANG_MAI]
    shown = texts(at)
    assert t("structure.restricted") in shown
    assert HOANG_MAI in at.title[0].value and NAM_TU_LIEM not in shown
