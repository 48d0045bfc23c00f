"""Nothing the app declares makes a viewer's browser fetch from a third-party host.

Browser-free: reads ``app.py``, the page list, ``.streamlit/config.toml`` and Streamlit's own
front-end bundle. Streamlit 1.67 turns a ``:material/<name>:`` *favicon* into
``https://fonts.gstatic.com/…/<name>/default/24px.svg``, and a page's ``st.Page`` icon becomes
the favicon whenever ``st.set_page_config`` has not set one yet; ``:material/`` icons drawn
in the page (buttons, expanders) use the Material Symbols font Streamlit serves itself.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import streamlit

from components.page import PAGES

ROOT = Path(__file__).resolve().parents[1]
STATIC = Path(streamlit.__file__).parent / "static" / "static"


def _page_icon_in_app() -> object:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "set_page_config"
    ]
    assert len(calls) == 1, "app.py calls st.set_page_config once"
    icon = next((k.value for k in calls[0].keywords if k.arg == "page_icon"), None)
    assert isinstance(icon, ast.Constant), "page_icon is a literal"
    return icon.value


def test_the_favicon_is_drawn_by_the_browser_not_fetched() -> None:
    icon = _page_icon_in_app()
    assert isinstance(icon, str) and icon
    assert not icon.startswith(":material/"), icon
    assert not re.match(r"(?i)^[a-z]+://", icon), icon


def test_no_page_icon_is_a_material_icon() -> None:
    """``components.page.pages_for`` gives each ``st.Page`` the icon listed in ``PAGES``."""
    icons = [icon for _, _, _, icon in PAGES]
    assert all(icon and not icon.startswith(":material/") for icon in icons), icons


def test_streamlit_serves_the_material_font_itself() -> None:
    """``:material/`` icons on buttons and expanders are glyphs of a font this app serves."""
    css = "".join(p.read_text(encoding="utf-8") for p in (STATIC / "css").glob("*.css"))
    face = re.search(r"@font-face\{font-family:Material Symbols Rounded;[^}]*\}", css)
    assert face, "Streamlit no longer bundles the Material Symbols font"
    src = re.search(r"url\(([^)]+)\)", face.group(0))
    assert src and src.group(1).startswith("../media/"), face.group(0)
    assert (STATIC / "media" / src.group(1).removeprefix("../media/")).is_file()


def test_the_only_third_party_asset_in_streamlits_front_end_is_the_material_favicon() -> None:
    hosts = re.compile(r"https://fonts\.(?:gstatic|googleapis)\.com[^`'\"]*")
    found = [
        match.group(0)
        for path in (STATIC / "js").glob("*.js")
        for match in hosts.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert found, "the favicon URL moved: re-check what Streamlit fetches"
    assert all("materialsymbolsrounded" in url and url.endswith("24px.svg") for url in found), found


def test_theme_fonts_are_served_by_the_app() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    faces = config["theme"]["fontFaces"]
    assert faces
    for face in faces:
        url = face["url"]
        assert url.startswith("app/static/"), url
        assert (ROOT / "static" / url.removeprefix("app/static/")).is_file(), url
