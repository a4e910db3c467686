"""Sign-in and the signed-in user's Access (the Streamlit layer, dashboard/ui/).

Without an access file sign-in is off and everyone is a data manager for the whole country (the
bundled demo). With one (``.streamlit/access.toml`` or ``$DASHBOARD_ACCESS_FILE``):

- ``mode = "oidc"``: Streamlit's own ``st.login``/``st.user`` (OpenID Connect; the provider's
  settings live in ``.streamlit/secrets.toml [auth]``); users are keyed by e-mail.
- ``mode = "password"``: streamlit-authenticator, bcrypt-hashed passwords in its YAML file; users
  are keyed by user name. Passwords are never handled here beyond checking they are hashes.
  A sign-in lives in the server's session only: no re-login cookie is written or read, so
  "Đăng xuất" (or closing the tab) ends it for good and a copied cookie signs nobody in. Failed
  sign-ins are throttled per user name and per client address (``access.SignInThrottle``).

The user's Access is worked out again on every run from who is signed in; a run that has not
got that far sees nothing (``NO_ACCESS``), so a forgotten check fails closed.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from dashboard.access import (
    FULL_ACCESS,
    VIEWER,
    Access,
    AccessConfig,
    AccessConfigError,
    SignInThrottle,
    access_file,
    load_config,
    scope_geography,
)
from dashboard.formatting import md_text
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import t

NO_ACCESS = Access(VIEWER, ())
_ACCESS = "_auth_access"  # session state; no widget has this key, so a browser cannot set it
_USER = "_auth_user"
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
_LOCKED = "_auth_locked"  # seconds left of a lockout, for the message of this run
_SIGNED_IN = "_auth_signed_in"  # the password was right in this run: draw the page without the form
USER_LIMIT, CLIENT_LIMIT = 5, 20  # failures in a row before a lockout (a client may serve several users)


@st.cache_resource(show_spinner=False)
def throttles() -> tuple[SignInThrottle, SignInThrottle]:
    """The failed sign-ins of this server process: per user name, per client address."""
    return SignInThrottle(limit=USER_LIMIT), SignInThrottle(limit=CLIENT_LIMIT)


@st.cache_resource(show_spinner=False, max_entries=2)
def _config(path: str, stamp: int, _geography: Geography) -> AccessConfig:
    return load_config(Path(path), _geography)


def config(geography: Geography) -> AccessConfig | None:
    """The access configuration, re-read when the file changes; None when sign-in is off."""
    path = access_file()
    if path is None:
        return None
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise AccessConfigError(f"Không đọc được tệp phân quyền {path}: {exc}") from exc
    return _config(str(path), stamp, geography)


def current(geography: Geography) -> Access:
    """The Access of this run's user: full without sign-in, else what ``sign_in`` found (or nothing)."""
    try:
        cfg = config(geography)
    except AccessConfigError:
        return NO_ACCESS
    if cfg is None:
        return FULL_ACCESS
    found = st.session_state.get(_ACCESS)
    return found if isinstance(found, Access) else NO_ACCESS


def sign_in(geography: Geography, lang: str) -> Access:
    """Make sure someone allowed is signed in (else show the sign-in form and stop); return their Access.

    Draws the signed-in user, their role and units, and a sign-out button in the sidebar.
    """
    st.session_state.pop(_ACCESS, None)
    try:
        cfg = config(geography)
    except AccessConfigError as exc:
        st.error(t("auth.config_error", lang, error=str(exc)))
        st.stop()
    if cfg is None:
        return FULL_ACCESS
    if cfg.mode == "oidc":
        user, sign_out = _oidc_user(cfg, lang)
    else:
        user, sign_out = _password_user(cfg, lang)
    access = cfg.access_for(user)
    if access is None:
        st.error(t("auth.not_listed", lang, user=md_text(user)))
        sign_out()
        st.stop()
    st.session_state[_ACCESS] = access
    st.session_state[_USER] = user
    named_in = scope_geography(access, geography)  # the old units, or the 2025 ones for such a scope
    units = ", ".join(
        t("scope.country", lang) if u == COUNTRY_CODE else named_in.name(u) for u in access.units
    )
    st.sidebar.caption(
        t("auth.signed_in", lang, user=md_text(user))
        + "  \n"
        + t("auth.scope", lang, role=t(f"auth.role.{access.role}", lang), units=units)
    )
    sign_out()
    return access


def _oidc_user(cfg: AccessConfig, lang: str):
    if not st.user.get("is_logged_in", False):
        st.title(t("auth.title", lang))
        st.write(t("auth.intro", lang))
        if st.button(t("auth.login", lang), type="primary", key="_auth_login"):
            st.login(cfg.provider) if cfg.provider else st.login()
        st.stop()

    def sign_out() -> None:
        if st.sidebar.button(t("auth.logout", lang), key="_auth_logout", icon=":material/logout:"):
            st.logout()

    return str(st.user.get("email") or ""), sign_out


def _password_user(cfg: AccessConfig, lang: str):
    import streamlit_authenticator as stauth
    import yaml

    try:
        settings = yaml.safe_load(cfg.credentials.read_text(encoding="utf-8"))
        users = settings["credentials"]["usernames"]
        cookie = settings["cookie"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        st.error(t("auth.config_error", lang, error=f"{cfg.credentials}: {exc}"))
        st.stop()
    plain = [name for name, u in users.items() if not str(u.get("password", "")).startswith(_BCRYPT_PREFIXES)]
    if plain:
        # Only bcrypt hashes: a plain password in the file would be a password kept in clear.
        error = f"{cfg.credentials}: mật khẩu chưa được băm (bcrypt) cho {', '.join(plain)}"
        st.error(t("auth.config_error", lang, error=error))
        st.stop()
    if len(str(cookie.get("key", ""))) < 32:
        # The cookie is a JWT signed with this key (HMAC-SHA256): shorter keys are guessable.
        error = f"{cfg.credentials}: cookie.key phải dài ít nhất 32 ký tự"
        st.error(t("auth.config_error", lang, error=error))
        st.stop()
    fields = {
        "Form name": t("auth.title", lang),
        "Username": t("auth.username", lang),
        "Password": t("auth.password", lang),
        "Login": t("auth.login", lang),
    }
    st.session_state.pop(_LOCKED, None)
    try:
        # Expiry 0: the library writes no re-login cookie.
        authenticator = stauth.Authenticate(
            {"usernames": users}, cookie["name"], cookie["key"], 0, auto_hash=False
        )
        # … and reads none: a token copied before "Đăng xuất", or forged (alg "none", HS512), is
        # never decoded, so a sign-in is the server's session and nothing a browser can replay.
        authenticator.cookie_controller.get_cookie = lambda: None
        _throttle(authenticator.authentication_controller)
        authenticator.login(location="main", fields=fields, key="_auth_form")
    except Exception:  # noqa: BLE001 - whatever the sign-in library raises: a plain message, no traceback
        st.session_state["authentication_status"] = None
        st.error(t("auth.failed", lang))
        st.stop()
    if st.session_state.pop(_SIGNED_IN, False):
        st.rerun()  # this run drew the form before the password was checked
    status = st.session_state.get("authentication_status")
    locked = st.session_state.get(_LOCKED)
    if locked:
        st.error(t("auth.locked", lang, seconds=math.ceil(locked)))
    elif status is False:
        st.error(t("auth.wrong_password", lang))
    if not status:
        st.info(t("auth.intro", lang))
        st.stop()

    def sign_out() -> None:
        authenticator.logout(t("auth.logout", lang), "sidebar", key="_auth_logout")

    return str(st.session_state.get("username") or ""), sign_out


def _throttle(controller) -> None:
    """Check the lockouts before the library checks a password, and count what it finds."""
    check = controller.login
    per_user, per_client = throttles()
    client = ("client", st.context.ip_address or "")

    def login(username=None, password=None, *args, **kwargs):
        if not username:
            return check(username, password, *args, **kwargs)
        user = ("user", str(username).strip().lower())
        wait = max(per_user.wait([user]), per_client.wait([client]))
        if wait > 0:
            st.session_state[_LOCKED] = wait
            st.session_state["authentication_status"] = False
            return False
        ok = bool(check(username, password, *args, **kwargs))
        per_user.record([user], ok)
        per_client.record([client], ok)
        st.session_state[_SIGNED_IN] = ok
        return ok

    controller.login = login
