"""Optional sign-in: off by default; when ``[auth]`` is configured (or RASD_REQUIRE_LOGIN=1)
no page, filter or figure is drawn before ``st.user.is_logged_in``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from components import auth
from components.i18n import MESSAGES
from rasd.config import Settings

ROOT = Path(__file__).resolve().parents[1]

PROVIDER = {
    "client_id": "rasd-client",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-string-for-tests-only",
    **PROVIDER,
}


def test_providers_in_an_auth_section() -> None:
    assert auth.providers_in({}) == ()
    assert auth.providers_in(AUTH) == (None,)
    named = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    assert auth.providers_in({**named, "okta": PROVIDER, "entra": PROVIDER}) == ("okta", "entra")
    # shared settings missing, or a provider missing a key: not configured
    assert auth.providers_in(PROVIDER) == ()
    assert auth.providers_in({**AUTH, "client_secret": ""}) == ()


def test_required_follows_the_secrets_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(auth, "_auth_section", lambda: AUTH)
    for env, expected in ((None, True), ("0", False), ("1", True)):
        if env is None:
            monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
        else:
            monkeypatch.setenv("RASD_REQUIRE_LOGIN", env)
        assert auth.config(Settings.from_env()).required is expected
    monkeypatch.setattr(auth, "_auth_section", lambda: {})
    monkeypatch.delenv("RASD_REQUIRE_LOGIN")
    assert auth.config(Settings.from_env()) == auth.AuthConfig(required=False, providers=())
    monkeypatch.setenv("RASD_REQUIRE_LOGIN", "1")
    assert auth.config(Settings.from_env()) == auth.AuthConfig(required=True, providers=())


# -- the gate in the app ------------------------------------------------------------------


def run_app(
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    secrets: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    page: str = "overview",
    lang: str = "en",
) -> AppTest:
    monkeypatch.setenv("RASD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    at.query_params["lang"] = lang
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_gated(at: AppTest, lang: str = "en") -> None:
    """Only the sign-in screen: no page title, no filters, no figures, no link."""
    assert [t.value for t in at.title] == [MESSAGES["app_name"][lang]]
    assert [i.value for i in at.info] == [MESSAGES["auth_required"][lang]]
    assert at.button(key="auth_login_default").label == MESSAGES["auth_sign_in"][lang]
    assert not at.sidebar.children or not list(at.sidebar)
    assert not at.get("multiselect") and not at.metric and not at.get("plotly_chart")
    assert not at.code and not at.get("html")


@pytest.mark.parametrize("page", ["overview", "articles", "data"])
def test_configured_sign_in_gates_every_page(
    page: str, factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
    at = run_app(factory_dataset, monkeypatch, secrets={"auth": AUTH}, page=page)
    assert_gated(at)


def test_the_gate_speaks_arabic_by_default(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
    at = run_app(factory_dataset, monkeypatch, secrets={"auth": AUTH}, lang="ar")
    assert_gated(at, "ar")


def test_named_providers_get_a_button_each(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    secrets = {"auth": {**shared, "okta": PROVIDER, "entra": PROVIDER}}
    at = run_app(factory_dataset, monkeypatch, secrets=secrets)
    labels = {str(b.key): b.label for b in at.button}
    assert labels == {
        "auth_login_okta": "Sign in with okta",
        "auth_login_entra": "Sign in with entra",
    }
    assert not at.get("multiselect") and not at.metric


@pytest.mark.parametrize(
    ("section", "key", "expected"),
    [
        (AUTH, "auth_login_default", ()),
        ({**{k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}, "okta": PROVIDER},
         "auth_login_okta", ("okta",)),
    ],
)  # fmt: skip
def test_the_sign_in_button_calls_st_login(
    section: dict[str, Any],
    key: str,
    expected: tuple[str, ...],
    factory_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(streamlit, "login", lambda *args: calls.append(args))
    at = run_app(factory_dataset, monkeypatch, secrets={"auth": section})
    at.button(key=key).click().run()
    assert calls == [expected]
    assert not at.get("multiselect") and not at.metric  # still gated until the IdP returns


def test_a_signed_in_user_sees_the_app_and_can_sign_out(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
    user = {"is_logged_in": True, "name": "Hala *H*", "email": "hala@example.org"}
    at = run_app(factory_dataset, monkeypatch, secrets={"auth": AUTH}, user=user, page="articles")
    assert at.title[0].value == "Articles"
    assert at.multiselect(key="filter_outlets") is not None
    captions = [c.value for c in at.sidebar.caption]
    assert r"Signed in as Hala \*H\*" in captions  # the name is escaped Markdown
    at.button(key="auth_logout").click().run()
    assert not at.exception
    at.run()  # the browser is sent to /auth/logout; the next run has no user
    assert_gated(at)


def test_no_secrets_means_no_sign_in(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASD_REQUIRE_LOGIN", raising=False)
    at = run_app(factory_dataset, monkeypatch)
    assert at.title[0].value == "Overview"
    assert not [b for b in at.button if str(b.key).startswith("auth_")]


def test_required_but_not_configured_fails_closed(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASD_REQUIRE_LOGIN", "1")
    at = run_app(factory_dataset, monkeypatch)
    assert [e.value for e in at.error] == [MESSAGES["auth_not_configured"]["en"]]
    assert [t.value for t in at.title] == ["Rasd"]
    assert not at.button and not at.get("multiselect") and not at.metric


def test_sign_in_can_be_switched_off_explicitly(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASD_REQUIRE_LOGIN", "0")
    at = run_app(factory_dataset, monkeypatch, secrets={"auth": AUTH})
    assert at.title[0].value == "Overview"


def test_the_gate_function_with_a_stub_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """``gate`` returns for a signed-in user and stops for anyone else (no app needed)."""
    stops: list[bool] = []

    def fake_stop() -> None:
        stops.append(True)
        raise RuntimeError("stopped")

    monkeypatch.setattr(auth, "_stop", fake_stop)
    monkeypatch.setattr(streamlit, "title", lambda *a, **k: None)
    monkeypatch.setattr(streamlit, "info", lambda *a, **k: None)
    monkeypatch.setattr(streamlit, "button", lambda *a, **k: False)
    required = auth.AuthConfig(required=True, providers=(None,))
    monkeypatch.setattr(auth, "is_logged_in", lambda: True)
    auth.gate("en", auth=required)
    assert stops == []
    monkeypatch.setattr(auth, "is_logged_in", lambda: False)
    with pytest.raises(RuntimeError, match="stopped"):
        auth.gate("en", auth=required)
    auth.gate("en", auth=auth.AuthConfig(required=False, providers=(None,)))
    assert stops == [True]


def test_the_secrets_example_documents_working_sections() -> None:
    """Uncommenting the example's sections gives a configuration the gate accepts."""
    import re
    import tomllib

    example = (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    assert "[auth]" not in re.sub(r"(?m)^#.*$", "", example)  # off by default
    lines = re.findall(r"(?m)^# ((?:\[auth[^\]]*\])|(?:[a-z_]+ = .*))$", example)
    section = tomllib.loads("\n".join(lines))["auth"]
    assert set(PROVIDER) | {"redirect_uri", "cookie_secret"} <= set(section)
    assert auth.providers_in(section) == (None, "microsoft", "okta")
    assert section["redirect_uri"].endswith("/oauth2callback")
