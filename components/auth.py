"""Optional sign-in with ``st.login`` (OpenID Connect), off by default.

Sign-in is required when ``.streamlit/secrets.toml`` has an ``[auth]`` section with a
provider (``client_id`` in ``[auth]`` itself, or in ``[auth.<name>]`` sections; see
``.streamlit/secrets.toml.example``), or when ``RASD_REQUIRE_LOGIN=1``. ``RASD_REQUIRE_LOGIN=0``
turns it off even when ``[auth]`` is configured. Required but not configured fails closed:
the page says what is missing and shows nothing else.

``app.py`` calls :func:`gate` before it reads the dataset or draws anything else; a visitor
who is not signed in sees the app name, one sentence and a sign-in button per provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st

from components.i18n import t
from components.text import md_escape
from rasd.config import Settings

_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class AuthConfig:
    """What the secrets and environment say about sign-in.

    Attributes:
        required: every page needs a signed-in user.
        providers: named providers (``[auth.<name>]``); ``(None,)`` for the unnamed
            ``[auth]`` provider; empty when sign-in is not configured.
    """

    required: bool
    providers: tuple[str | None, ...]

    @property
    def configured(self) -> bool:
        return bool(self.providers)


def _auth_section() -> Mapping[str, Any]:
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        section = st.secrets.get("auth")
    except Exception:  # an unreadable secrets file means "not configured", never a crash
        return {}
    return section if isinstance(section, Mapping) else {}


def providers_in(section: Mapping[str, Any]) -> tuple[str | None, ...]:
    """Providers an ``[auth]`` section configures (``None`` is the unnamed one)."""
    if not section.get("redirect_uri") or not section.get("cookie_secret"):
        return ()
    found: list[str | None] = []
    if all(section.get(k) for k in _PROVIDER_KEYS):
        found.append(None)
    for name, value in section.items():
        if isinstance(value, Mapping) and all(value.get(k) for k in _PROVIDER_KEYS):
            found.append(str(name))
    return tuple(found)


def config(settings: Settings | None = None) -> AuthConfig:
    """Sign-in settings from ``st.secrets`` and ``RASD_REQUIRE_LOGIN``."""
    settings = settings or Settings.from_env()
    providers = providers_in(_auth_section())
    required = settings.require_login if settings.require_login is not None else bool(providers)
    return AuthConfig(required=required, providers=providers)


def is_logged_in() -> bool:
    """Whether this session has a signed-in user (``st.user.is_logged_in``)."""
    try:
        return bool(st.user.get("is_logged_in", False))
    except Exception:  # no user info at all: not signed in
        return False


def _stop() -> NoReturn:
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def gate(lang: str, *, auth: AuthConfig | None = None) -> None:
    """Return when the visitor may see the app; otherwise show sign-in and stop the run."""
    auth = auth or config()
    if not auth.required or is_logged_in():
        return
    st.title(t("app_name", lang))
    if not auth.configured:
        st.error(t("auth_not_configured", lang))
        _stop()
    st.info(t("auth_required", lang))
    for provider in auth.providers:
        label = (
            t("auth_sign_in", lang)
            if provider is None
            else t("auth_sign_in_with", lang, provider=md_escape(provider))
        )
        st.button(
            label,
            key=f"auth_login_{provider or 'default'}",
            type="primary",
            icon=":material/login:",
            on_click=_login,
            args=(provider,),
        )
    _stop()


def _login(provider: str | None) -> None:
    # A callback, not ``if st.button(...)``: it runs before the rerun, whatever page that
    # rerun lands on.
    if provider is None:
        st.login()
    else:
        st.login(provider)


def render_account(lang: str, *, auth: AuthConfig | None = None) -> None:
    """In the sidebar: who is signed in, and a sign-out button (only when sign-in is on)."""
    auth = auth or config()
    if not auth.configured or not is_logged_in():
        return
    who = st.user.get("name") or st.user.get("email") or ""
    st.sidebar.caption(t("auth_signed_in_as", lang, name=md_escape(who)))
    st.sidebar.button(
        t("auth_sign_out", lang), key="auth_logout", icon=":material/logout:", on_click=st.logout
    )
