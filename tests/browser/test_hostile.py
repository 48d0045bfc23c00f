"""Untrusted articles in a real browser: a corpus whose outlet names, titles, URLs, body text
and even file names are script-injection attempts goes through the real ``rasd build``
(so payloads also reach entities' sentences, event evidence and quarantine records), and
every page, every reader and the entity and event views are opened in Chromium. Nothing may
run and no injected element may exist.

Also: with sign-in configured, an anonymous visitor reaches no page's data, whatever URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from playwright.sync_api import Page

from tests.browser.conftest import REPO_ROOT, StartServer
from tests.browser.helpers import wait_for_app

pytestmark = pytest.mark.browser

PWN = "window.__pwned=1"
SCRIPT = f"<script>{PWN};alert(1)</script>"
IMG = f'<img src=x onerror="{PWN};alert(1)">'
IFRAME = f'<iframe src="javascript:{PWN}"></iframe>'
SVG = f"<svg onload={PWN}>"
# Enough plain words that cleaning keeps each article (the build's minimum length), and
# names the gazetteer knows, so entities, mentions and events are extracted around them.
FILLER = (
    "وقال مسؤولون إن الزيارة تناولت التعاون الاقتصادي والعسكري بين البلدين وسط متابعة "
    "دولية واسعة لنتائجها خلال الأيام المقبلة."
)
RECORDS = [
    {
        "outlet": f"{SCRIPT}وكالة<b onmouseover=alert(1)>",
        "title": f"{IMG} بوتين يصل إلى بيونغ يانغ",
        "url": f"javascript:{PWN}",
        "published_at": "2024-06-19",
        "text": f"وصل الرئيس الروسي فلاديمير بوتين إلى بيونغ يانغ يوم 19 يونيو 2024 {IMG}.\n"
        f"ووقّع بوتين وكيم جونغ أون معاهدة شراكة في بيونغ يانغ {SCRIPT}.\n"
        f"{IFRAME} [اضغط](javascript:alert(1)) **غامق** :red[x] $x$ {FILLER}",
    },
    {
        "outlet": "<a href=javascript:alert(1)>منفذ</a>",
        "title": SCRIPT,
        "url": "JaVaScRiPt:alert(1)",
        "published_at": "2024-06-20",
        "text": f"قال كيم جونغ أون إن روسيا حليف استراتيجي. {IMG}\n"
        f"اجتمع وزير الخارجية سيرغي لافروف مع نظيره في موسكو في 20 يونيو 2024. {FILLER}",
    },
    {
        "outlet": "الأهرام",
        "title": "زيارة بوتين <svg onload=alert(1)>",
        "url": 'https://ahram.example/a1" onmouseover="alert(1)',
        "published_at": "2024-06-18",
        "text": f"زار بوتين كوريا الشمالية. {SVG}\nوقّع الزعيمان اتفاقية في 19 يونيو 2024. {FILLER}",
    },
    # too short: quarantined, so the payload also reaches the quarantine table's detail
    {"outlet": SCRIPT, "title": IMG, "text": f"{IMG} {SCRIPT}"},
]

# Every element and attribute in the page that could run script, or that a payload would
# have created. Streamlit's own DOM has no inline handlers, no javascript: URLs, no iframes.
_FIND_INJECTED = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} ${name}=${attr.value.slice(0, 60)}`);
      if (urlAttrs.includes(name) && (value.startsWith('javascript:') || value.includes('__pwned')))
        bad.push(`${el.tagName} ${name}=${attr.value.slice(0, 60)}`);
    }
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' && /__pwned|alert\\(/.test(el.textContent)) bad.push('inline script');
    if (['iframe', 'object', 'embed', 'frame'].includes(tag)) bad.push(`${tag} ${el.src || ''}`);
    if (tag === 'img' && el.getAttribute('src') === 'x') bad.push('img src=x');
    if (tag === 'b' && el.closest('[data-testid="stSidebar"], table, dl')) bad.push('b from data');
  }
  return bad;
}"""


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("hostile-raw")
    # the file name is data too: it is shown as each record's source
    (raw / "<img src=x onerror=window.__pwned=1>.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    out = tmp_path_factory.mktemp("hostile-built") / "processed"
    command = [sys.executable, "-m", "rasd.cli", "build", str(raw), "--out", str(out), "--quiet"]
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def hostile_url(streamlit_server: StartServer, hostile_build: Path) -> str:
    return streamlit_server(hostile_build)


def views(data: Path) -> list[str]:
    """Every page, the reader of every article, and the entity and event views."""
    articles = pd.read_parquet(data / "articles.parquet")
    mentions = pd.read_parquet(data / "mentions.parquet")
    events = pd.read_parquet(data / "events.parquet")
    paths = [f"/{p}" for p in ("", "timeline", "sources", "entities", "articles", "data")]
    paths += [f"/articles?article={a}" for a in articles["article_id"]]
    paths += [f"/articles?outlet={quote(articles['outlet_id'].iat[0])}&lang=en"]
    if len(mentions):
        paths.append(f"/entities?entity={sorted(mentions['entity_id'].unique())[0]}")
    if len(events):
        event = events.iloc[0]
        paths.append(f"/timeline?type={event['event_type']}&event={event['cluster_id']}")
    paths.append("/sources?lang=en")
    return paths


def check(page: Page, url: str, dialogs: list[str]) -> str:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_timeout(300)  # an onerror/onload handler would have fired by now
    assert dialogs == [], (url, dialogs)
    assert page.evaluate("typeof window.__pwned") == "undefined", url
    assert page.evaluate(_FIND_INJECTED) == [], url
    assert page.locator("[data-testid='stException']").count() == 0, url
    return str(page.evaluate("document.body.textContent"))


def test_the_build_kept_the_payloads(hostile_build: Path) -> None:
    """The corpus really is hostile after cleaning (else the browser test proves nothing)."""
    articles = pd.read_parquet(hostile_build / "articles.parquet")
    text = "\n".join(articles["text"]) + "\n".join(articles["title"].dropna())
    assert "<script>" in text and "onerror=" in text and "<iframe" in text
    assert any(o.startswith("<script>") for o in articles["outlet"])
    assert articles["url"].str.lower().str.startswith("javascript:").any()
    assert len(pd.read_parquet(hostile_build / "mentions.parquet")) > 0
    assert "<script>" in "".join(pd.read_parquet(hostile_build / "events.parquet")["evidence"])
    assert len(pd.read_parquet(hostile_build / "quarantine.parquet")) >= 1


def test_nothing_runs_on_any_page(page: Page, hostile_url: str, hostile_build: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    seen: dict[str, str] = {}
    for path in views(hostile_build):
        seen[path] = check(page, f"{hostile_url}{path}", dialogs)
    # The payloads were on screen, as text.
    articles = pd.read_parquet(hostile_build / "articles.parquet")
    first = articles.iloc[0]["article_id"]
    reader = seen[f"/articles?article={first}"]
    assert "<script>window.__pwned" in reader or "<img src=x onerror" in reader
    assert any("javascript:" in text for text in seen.values())
    assert "<script>" in seen["/articles"]


def test_english_ui_and_language_switch_stay_inert(
    page: Page, hostile_url: str, hostile_build: Path
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    first = pd.read_parquet(hostile_build / "articles.parquet").iloc[0]["article_id"]
    check(page, f"{hostile_url}/articles?lang=en&article={first}", dialogs)
    page.get_by_text("العربية").first.click()  # the language radio: a rerun, not a reload
    wait_for_app(page)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate(_FIND_INJECTED) == []


# -- sign-in: nothing before it --------------------------------------------------------------

SECRETS = """\
[auth]
redirect_uri = "http://127.0.0.1:8501/oauth2callback"
cookie_secret = "only-for-tests-0123456789abcdef0123456789"
client_id = "rasd-test"
client_secret = "only-for-tests"
# Port 9 (discard): nothing answers, so no identity provider is ever reached.
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


def test_with_sign_in_an_anonymous_visitor_sees_no_data(
    page: Page,
    streamlit_server: StartServer,
    hostile_build: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    secrets = tmp_path_factory.mktemp("auth") / "secrets.toml"
    secrets.write_text(SECRETS, encoding="utf-8")
    url = streamlit_server(hostile_build, env={"STREAMLIT_SECRETS_FILES": str(secrets)})
    first = pd.read_parquet(hostile_build / "articles.parquet").iloc[0]["article_id"]
    for path in ("/", "/articles", f"/articles?article={first}&lang=en", "/data", "/entities"):
        page.goto(f"{url}{path}")
        wait_for_app(page)
        main = page.inner_text("[data-testid='stMain']")
        assert "sign in" in main.lower() or "تسجيل الدخول" in main, path
        assert page.locator("[data-testid='stSidebar']").count() == 0, path
        assert page.locator("[data-testid='stSidebarNav']").count() == 0, path
        assert page.locator("table.rasd-articles, [data-testid='stMetric']").count() == 0
        assert "الأهرام" not in page.evaluate("document.body.textContent"), path
    page.goto(f"{url}/?lang=en")
    wait_for_app(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_timeout(1500)
    assert any("/auth/login?provider=" in r for r in requests), requests
