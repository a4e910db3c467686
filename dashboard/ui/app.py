"""Entry script: the shared sidebar filters, then routing to the pages. Pages lay out; dashboard/ computes.

It lives here, not at the repository root, so that no folder named ``pages`` sits beside it:
Streamlit's old file-based routing (``PagesManager.uses_pages_directory``) stays off by itself
and this file's ``st.navigation`` is the only router, so a copied link such as
``/so-sanh?district=…`` opens its page with no "Page not found" dialog. The pages themselves
stay in the top-level ``pages/`` folder. Streamlit puts this file's folder on ``sys.path``; no
module here shares its name with an importable top-level module (tests/test_ui_layer.py checks).
"""

from pathlib import Path

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import filters, serve, widgets

ROOT = Path(__file__).resolve().parents[2]  # the repository: pages/ is at its top
st.set_page_config(page_title=t("app.title"), page_icon=":material/shield:", layout="wide")
PAGES_MADE = "_pages_made"  # session state: the st.Page objects of this session, by language
OVERVIEW = "tong-quan"  # the default page's url_path (its page() line below): also opened by this path


def navigation(lang: str):
    """The pages, titled in ``lang``; called by the sidebar before the sign-in form can stop the run,
    so that a link to a page still opens that page once the user has signed in."""

    def page(path: str, title_key: str, icon: str, url_path: str, default: bool = False) -> st.Page:
        return st.Page(ROOT / path, title=t(title_key, lang), icon=icon, url_path=url_path, default=default)

    serve.open_default_page_by_its_path(OVERVIEW)
    # The session's pages, made once per language: making a page resolves its file's path, and
    # nine of them on every run was 2% of the server's time under load. Kept per session, not
    # shared: Streamlit marks the chosen page on the object itself during a run.
    made = st.session_state.setdefault(PAGES_MADE, {})
    if lang not in made:
        made.clear()
        made[lang] = pages(page)
    return st.navigation(made[lang], position="sidebar")


def pages(page) -> list[st.Page]:
    """The pages in menu order, made by ``page``."""
    # One line per page, in menu order. The url_paths are the addresses of saved links: keep them.
    return [
        page("pages/tong_quan.py", "page.overview", ":material/dashboard:", "tong-quan", default=True),
        page("pages/xu_huong.py", "page.trends", ":material/trending_up:", "xu-huong"),
        page("pages/so_sanh.py", "page.districts", ":material/leaderboard:", "so-sanh"),
        page("pages/muc_tieu.py", "page.goals", ":material/flag:", "muc-tieu"),
        page("pages/ban_do.py", "page.map", ":material/map:", "ban-do"),
        page("pages/du_lieu.py", "page.data", ":material/database:", "du-lieu"),
        page("pages/xuat_bao_cao.py", "page.export", ":material/ios_share:", "xuat-bao-cao"),
        page("pages/trinh_chieu.py", "page.present", ":material/slideshow:", "trinh-chieu"),
        page("pages/ket_luan.py", "page.meetings", ":material/task_alt:", "ket-luan"),
    ]


chosen = filters.sidebar_filters(route=navigation)
st.set_page_config(page_title=t("app.title", chosen.lang))
st.html(widgets.PHONE_CSS)
filters.routed_page().run()
filters.finish_run()
