"""The sidebar filter bar and the URL, both ways.

The URL is the single source of truth for the view. Each run:

1. reads ``st.query_params`` (all values of repeatable keys);
2. if navigation dropped the query string (clicking a page in ``st.navigation``'s menu
   opens that page with an empty one), puts back the parameters of the last view;
3. parses them with :func:`rasd.filters.parse_params` (never raises; what it ignores
   comes back as notices);
4. sets the widgets (keys ``filter_*``) to the parsed values, then draws them;
5. a widget's ``on_change`` callback writes the new view to the URL with
   :func:`rasd.filters.to_params`; the rerun that follows starts again at 1.

So opening a copied link, changing a widget and switching pages all go through the same
parse, and what is on screen is always what the URL says. Business rules (what a valid
date or id is, how values are bounded) live in :mod:`rasd.filters`.

The sidebar's "link to this view" (:func:`render_share_link`) is the page's address plus
the canonical parameters and ``ds=<dataset id>``; a link opened after a rebuild says that
the numbers may differ (``rasd.filters`` reports ``dataset_changed``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import streamlit as st

from components.arabic import isolate_inline
from components.i18n import LANGS, t
from components.text import is_safe_url, md_escape
from rasd.filters import KNOWN_KEYS, MAX_VALUE_CHARS, Filters, parse_params, to_params

KEY_OUTLETS = "filter_outlets"
KEY_FROM = "filter_from"
KEY_TO = "filter_to"
KEY_Q = "filter_q"
KEY_LANG = "filter_lang"
#: Canonical parameters of the last view, to restore after navigation drops them.
KEY_LAST_PARAMS = "filter_last_params"

_LANG_NAMES = {"ar": "العربية", "en": "English"}
# Date inputs need bounds; these are wide enough for any news archive, and a URL date
# outside them widens them rather than failing.
_MIN_DATE = date(1900, 1, 1)
_MAX_DATE = date(2100, 12, 31)


def read_url() -> dict[str, list[str]]:
    """Current query parameters, each key with all its values."""
    params = st.query_params
    return {key: list(params.get_all(key)) for key in params}


def write_url(params: Mapping[str, Sequence[str]]) -> None:
    """Replace the query string with ``params`` (only if it differs)."""
    new = {key: list(values) for key, values in params.items() if values}
    if read_url() != new:
        st.query_params.from_dict(new)


def _restore_if_dropped(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    last = st.session_state.get(KEY_LAST_PARAMS)
    if last and not any(key in raw for key in KNOWN_KEYS):
        restored = {key: list(values) for key, values in last.items()}
        write_url(restored)
        return restored
    return raw


def url_lang() -> str:
    """The UI language the URL (or the last view, after a page switch) asks for.

    Read without side effects, for what is drawn before the dataset is opened (sign-in).
    """
    raw = read_url()
    if not any(key in raw for key in KNOWN_KEYS):
        raw = st.session_state.get(KEY_LAST_PARAMS) or raw
    return parse_params({"lang": raw.get("lang", [])}).lang


def current_filters(
    *,
    known_outlets: Iterable[str] | None = None,
    known_entities: Iterable[str] | None = None,
    known_types: Iterable[str] | None = None,
    dataset_id: str | None = None,
) -> Filters:
    """The view the URL describes (restored after a page switch), with its notices.

    Also records the canonical parameters so the next page switch can restore them.
    ``dataset_id`` is the loaded dataset's id: a link's ``ds`` that differs gets a notice.
    """
    raw = _restore_if_dropped(read_url())
    filters = parse_params(
        raw,
        known_outlets=known_outlets,
        known_entities=known_entities,
        known_types=known_types,
        dataset_id=dataset_id,
    )
    st.session_state[KEY_LAST_PARAMS] = to_params(filters)
    return filters


def _url_filters() -> Filters:
    """The URL as it stands, parsed without dataset checks (callbacks only)."""
    return parse_params(read_url())


def _apply_widgets() -> None:
    """``on_change``: write the widgets' values (and the rest of the URL's view) to the URL."""
    state = st.session_state
    lang = state.get(KEY_LANG, "ar")
    changed = _url_filters().with_(
        outlets=tuple(state.get(KEY_OUTLETS) or ()),
        date_from=state.get(KEY_FROM),
        date_to=state.get(KEY_TO),
        q=(state.get(KEY_Q) or "").strip(),
        lang=lang if lang in LANGS else "ar",
        dataset=None,  # a changed view is no longer the one the link's dataset id was for
    )
    write_url(to_params(changed))


def _clear() -> None:
    """``on_click`` of the clear button: keep only the language."""
    lang = _url_filters().lang
    write_url(to_params(Filters(lang=lang)))


def set_article(article_id: str | None) -> None:
    """Open (or, with ``None``, close) an article in the reader: the URL's ``article``.

    Safe in a widget callback: the rest of the view is kept as the URL has it.
    """
    write_url(to_params(_url_filters().with_(article=article_id or None, dataset=None)))


def _set(key: str, value: Any) -> None:
    # Only before the widget is drawn in this run; skipping equal values avoids churn.
    if st.session_state.get(key, object()) != value:
        st.session_state[key] = value


def render_sidebar(
    filters: Filters,
    *,
    outlet_names: Mapping[str, str],
    lang: str,
    item_names: Mapping[str, str] | None = None,
) -> None:
    """Draw the global filters in the sidebar, set to ``filters``.

    Args:
        filters: the parsed view (from :func:`current_filters`).
        outlet_names: outlet id → display name, in list order (empty when there is no data).
        lang: UI language for the labels.
        item_names: entity or event-type id → its name in ``lang``, for the captions that
            say which of them the link filters by (ids without a name are shown as ids).
    """
    options = list(outlet_names) + [o for o in filters.outlets if o not in outlet_names]
    _set(KEY_OUTLETS, list(filters.outlets))
    _set(KEY_FROM, filters.date_from)
    _set(KEY_TO, filters.date_to)
    _set(KEY_Q, filters.q)
    _set(KEY_LANG, filters.lang)

    def outlet_label(outlet_id: str) -> str:
        return outlet_names.get(outlet_id, outlet_id)

    low = min(d for d in (_MIN_DATE, filters.date_from, filters.date_to) if d is not None)
    high = max(d for d in (_MAX_DATE, filters.date_from, filters.date_to) if d is not None)
    sidebar = st.sidebar
    sidebar.header(t("filters_header", lang))
    sidebar.radio(
        t("filter_lang", lang),
        options=list(LANGS),
        format_func=_LANG_NAMES.__getitem__,
        horizontal=True,
        key=KEY_LANG,
        on_change=_apply_widgets,
    )
    sidebar.multiselect(
        t("filter_outlets", lang),
        options=options,
        format_func=outlet_label,
        placeholder=t("filter_outlets_placeholder", lang),
        key=KEY_OUTLETS,
        on_change=_apply_widgets,
    )
    sidebar.date_input(
        t("filter_from", lang),
        min_value=low,
        max_value=high,
        format="YYYY-MM-DD",
        key=KEY_FROM,
        on_change=_apply_widgets,
        help=t("filter_dates_help", lang),
    )
    sidebar.date_input(
        t("filter_to", lang),
        min_value=low,
        max_value=high,
        format="YYYY-MM-DD",
        key=KEY_TO,
        on_change=_apply_widgets,
    )
    sidebar.text_input(
        t("filter_q", lang),
        max_chars=MAX_VALUE_CHARS,
        key=KEY_Q,
        on_change=_apply_widgets,
        help=t("filter_q_help", lang),
    )
    names = item_names or {}
    for key, ids in (
        ("filter_entities_active", filters.entities),
        ("filter_types_active", filters.types),
    ):
        if ids:
            shown = _LIST_SEP[lang].join(isolate_inline(names.get(i, i)) for i in ids)
            sidebar.caption(t(key, lang, value=md_escape(shown)))
    sidebar.button(t("filter_clear", lang), key="filter_clear", on_click=_clear)


_LIST_SEP = {"ar": "، ", "en": ", "}


# -- link to this view --------------------------------------------------------------------


def _app_url() -> str | None:
    """The page's address as the browser reports it (``st.context.url``), if it is sane.

    It comes from the browser, so it is only ever displayed: never fetched, never put in HTML.
    """
    try:
        url = st.context.url
    except Exception:  # no browser context (e.g. AppTest): fall back to a relative link
        return None
    if not url or not is_safe_url(url):
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") or "/", "", ""))


def share_link(
    filters: Filters,
    *,
    dataset_id: str | None,
    page_path: str,
    base_url: str | None = None,
) -> str:
    """The URL of this exact view: page, every filter, the selection, language and ``ds``.

    Args:
        filters: the parsed view.
        dataset_id: the loaded dataset's id (replaces any ``ds`` the URL had).
        page_path: the page's ``url_path`` (``""`` for the default page); used for a
            relative link when ``base_url`` is ``None``.
        base_url: absolute address of the page (scheme, host and path, no query).
    """
    params = to_params(filters.with_(dataset=dataset_id or None))
    query = urlencode([(k, v) for k, vs in params.items() for v in vs], quote_via=quote)
    base = base_url if base_url is not None else f"/{page_path}"
    return f"{base}?{query}" if query else base


def render_share_link(
    filters: Filters, *, dataset_id: str | None, page_path: str, lang: str
) -> None:
    """The sidebar's "link to this view": the link in a code box (it has a copy button)."""
    base = _app_url()
    link = share_link(filters, dataset_id=dataset_id, page_path=page_path, base_url=base)
    box = st.sidebar.expander(t("share_link", lang), icon=":material/link:")
    with box, st.container(key="share_link"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("share_link_help", lang))
        if base is None:
            st.caption(t("share_link_relative", lang))
