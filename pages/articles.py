"""Articles: the filtered list and a reader with provenance.

DOM contract (for browser tests): the list is one ``<table class="rasd-articles">`` inside
``div.rasd-articles-scroll``; each listed article is a ``<tr class="rasd-article"
data-article-id="…" data-outlet-id="…">`` (plus ``rasd-copy`` / ``rasd-selected``) with
cells ``td.rasd-title`` (its link opens the reader: ``?…&article=<id>``), ``td.rasd-outlet``
(outlet name), ``td.rasd-date`` (date at its precision) and ``td.rasd-basis``. The reader shows the text in ``div.rasd-article-text`` (one
``<p dir="rtl">`` per paragraph) and provenance in ``dl.rasd-provenance``. The selected
article is ``?article=<article_id>`` in the URL and the selectbox ``articles_reader``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import filters as filter_bar
from components.arabic import isolate_inline
from components.data import query
from components.export import export_buttons
from components.i18n import format_date, label_for, t
from components.page import start
from components.text import (
    ListRow,
    article_html,
    articles_list_html,
    esc,
    evidence_html,
    md_escape,
    query_href,
    safe_link,
)
from rasd.filters import to_params

#: Rows listed at once; the count above the list says how many match in all.
LIST_LIMIT = 500
READER_KEY = "articles_reader"

ctx = start("articles")
lang, filters = ctx.lang, ctx.filters


def _href(article_id: str) -> str:
    return query_href(to_params(filters.with_(article=article_id)))


def _on_reader_change() -> None:
    filter_bar.set_article(st.session_state.get(READER_KEY) or None)


total = query(ctx.loaded, "count_articles", filters)
listed = query(ctx.loaded, "articles", filters, limit=LIST_LIMIT)
no_title = t("no_title", lang)

labels: dict[str, str] = {"": t("reader_placeholder", lang)}
rows: list[ListRow] = []
for raw in listed.to_dict("records"):
    rec = {
        k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in raw.items()
    }
    has_title = isinstance(rec["title"], str) and bool(rec["title"].strip())
    title = rec["title"] if has_title else no_title
    date_label = format_date(rec["published_at"], rec["published_precision"], lang)
    outlet = rec["outlet"] or rec["outlet_id"]
    is_copy = isinstance(rec["duplicate_of"], str)
    rows.append(
        ListRow(
            article_id=rec["article_id"],
            outlet_id=rec["outlet_id"],
            outlet=outlet,
            title=title,
            has_title=has_title,
            date_label=date_label,
            basis_label=label_for("basis", rec["published_basis"], lang),
            is_copy=is_copy,
            href=_href(rec["article_id"]),
            selected=rec["article_id"] == filters.article,
        )
    )
    labels[rec["article_id"]] = f"{title} — {outlet} — {date_label}"

list_col, reader_col = st.columns([3, 2], gap="medium")

with list_col:
    st.caption(t("articles_count", lang, total=total))
    if total > len(rows):
        st.caption(t("articles_truncated", lang, shown=len(rows)))
    if rows:
        headers = {
            "title": t("col_title", lang),
            "outlet": t("col_outlet", lang),
            "date": t("col_published", lang),
            "basis": t("col_basis", lang),
        }
        st.html(articles_list_html(rows, headers=headers, copy_label=t("duplicate_marker", lang)))
        export_buttons(listed, name="articles", key="articles_list", lang=lang)
    else:
        st.info(t("no_articles", lang))

record: dict[str, Any] | None = None
if filters.article:
    record = query(ctx.loaded, "article", filters.article)
    if record is not None and filters.article not in labels:
        outside = record.get("title") or no_title
        labels[filters.article] = f"{outside} — {record.get('outlet') or record['outlet_id']}"

options = list(labels)
wanted = filters.article if filters.article in labels else ""
if st.session_state.get(READER_KEY) != wanted:
    st.session_state[READER_KEY] = wanted


def _provenance(rec: dict[str, Any]) -> str:
    items: list[tuple[str, str]] = [
        (t("prov_outlet", lang), esc(rec.get("outlet") or rec["outlet_id"])),
        (t("prov_article_id", lang), f"<code>{esc(rec['article_id'])}</code>"),
        (t("prov_source_ref", lang), f"<code>{esc(rec.get('source_ref'))}</code>"),
    ]
    url = rec.get("url")
    if url:
        link = safe_link(url)
        if not link.startswith("<a "):
            link += f" <small>{esc(t('url_not_link', lang))}</small>"
        items.append((t("prov_url", lang), link))
    else:
        items.append((t("prov_url", lang), esc(t("none_value", lang))))
    precision = rec.get("published_precision")
    items += [
        (t("prov_published", lang), esc(format_date(rec.get("published_at"), precision, lang))),
        (t("prov_precision", lang), esc(label_for("precision", precision, lang))),
        (t("prov_basis", lang), esc(label_for("basis", rec.get("published_basis"), lang))),
        (
            t("prov_evidence", lang),
            evidence_html(rec.get("published_evidence"), lang=lang),
        ),
    ]
    original = rec.get("duplicate_of")
    if original:
        kind = label_for("kind", rec.get("duplicate_kind"), lang)
        items.append(
            (
                t("prov_duplicate_of", lang),
                f'<a href="{esc(_href(original))}" target="_self">'
                f"{esc(t('prov_open_original', lang))}</a> "
                f"<code>{esc(original)}</code> ({esc(kind)})",
            )
        )
    items.append((t("prov_chars", lang), esc(rec.get("n_chars"))))
    body = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items)
    return f'<dl class="rasd-provenance">{body}</dl>'


with reader_col:
    st.selectbox(
        t("reader_select", lang),
        options=options,
        format_func=lambda a: labels.get(a, a),
        key=READER_KEY,
        on_change=_on_reader_change,
    )
    if filters.article and record is None:
        value = isolate_inline(md_escape(filters.article))
        st.warning(t("reader_not_found", lang, value=value))
    elif record is not None:
        if filters.article not in set(listed["article_id"]):
            st.info(t("reader_outside_filters", lang))
        st.subheader(md_escape(record.get("title") or no_title), anchor=False)
        st.html(_provenance(record))
        text = record.get("text")
        if text:
            st.html(article_html(text))
        else:
            st.caption(t("reader_empty_text", lang))
