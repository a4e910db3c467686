"""Entry point: the shared sidebar filters, then routing to the pages. Pages lay out; dashboard/ computes."""

import streamlit as st

from dashboard import serve
from dashboard.i18n import t
from dashboard.ui import widgets as ui

# Also when started with plain `streamlit run app.py`: from the next run on, only this file's
# navigation routes (see dashboard/serve.py for why; `make run` sets it before the first run).
serve.use_entry_file_navigation()
st.set_page_config(page_title=t("app.title"), page_icon=":material/shield:", layout="wide")
OVERVIEW = "tong-quan"  # the default page's url_path (its page() line below): also opened by this path


def navigation(lang: str):
    """The pages, titled in ``lang``; called by the sidebar before the sign-in form can stop the run,
    so that a link to a page still opens that page once the user has signed in."""

    def page(path: str, title_key: str, icon: str, url_path: str, default: bool = False) -> st.Page:
        return st.Page(path, title=t(title_key, lang), icon=icon, url_path=url_path, default=default)

    serve.open_default_page_by_its_path(OVERVIEW)
    # One line per page. url_path uses hyphens: Streamlit also registers every file in pages/ under
    # its file name ("tong_quan"), and a st.Page with that same path would be run without this file.
    pages = [
        page("pages/1_tong_quan.py", "page.overview", ":material/dashboard:", "tong-quan", default=True),
        page("pages/2_xu_huong.py", "page.trends", ":material/trending_up:", "xu-huong"),
        page("pages/3_so_sanh.py", "page.districts", ":material/leaderboard:", "so-sanh"),
        page("pages/5_muc_tieu.py", "page.goals", ":material/flag:", "muc-tieu"),
        page("pages/4_ban_do.py", "page.map", ":material/map:", "ban-do"),
        page("pages/7_du_lieu.py", "page.data", ":material/database:", "du-lieu"),
        page("pages/5_xuat_bao_cao.py", "page.export", ":material/ios_share:", "xuat-bao-cao"),
        page("pages/6_trinh_chieu.py", "page.present", ":material/slideshow:", "trinh-chieu"),
        page("pages/8_ket_luan.py", "page.meetings", ":material/task_alt:", "ket-luan"),
    ]
    return st.navigation(pages, position="sidebar")


filters = ui.sidebar_filters(route=navigation)
st.set_page_config(page_title=t("app.title", filters.lang))
ui.routed_page().run()
ui.finish_run()
