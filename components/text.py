"""Safe HTML for article text, links and the article list.

Everything that comes from the data (titles, outlet names, body text, URLs) is escaped here
before it reaches ``st.html``; Streamlit's sanitiser is a second line of defence, not the
first. Links are only made for ``http``/``https`` URLs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

#: Paragraph markup: right-to-left base, but ``plaintext`` lets a paragraph that starts with
#: Latin text (a quoted English statement) take its own direction.
PARAGRAPH_OPEN = '<p dir="rtl" style="unicode-bidi: plaintext; text-align: right">'

_SAFE_SCHEMES = frozenset({"http", "https"})
_CSS_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
# Browsers drop tabs and newlines inside URLs ("java\tscript:"); any control character or
# whitespace in a URL is reason enough not to make it a link.
_URL_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f]")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Highlight:
    """A span of the article text to mark: ``[start, end)`` character offsets."""

    start: int
    end: int
    css_class: str
    title: str = ""


# Characters Streamlit's Markdown gives meaning to: CommonMark punctuation, ``:`` (colour
# directives, emoji and icon codes) and ``$`` (LaTeX).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$:&])")


def md_escape(value: object) -> str:
    """Backslash-escape a value for ``st.markdown``, ``st.warning`` and friends.

    For untrusted values (URL parameters, file names) spliced into Markdown messages.
    """
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


def esc(value: object) -> str:
    """HTML-escape any value for element content or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def is_safe_url(url: str | None) -> bool:
    """True when ``url`` is an absolute http(s) URL with a host and no control characters."""
    if not url or _URL_BAD_CHARS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _SAFE_SCHEMES and bool(parts.netloc)


def safe_link(url: str | None, label: str | None = None, *, new_tab: bool = True) -> str:
    """An ``<a>`` for an http(s) URL; any other URL comes back as escaped text, not a link.

    Args:
        url: the URL from the data (untrusted).
        label: link text (defaults to the URL itself).
        new_tab: open the link in a new tab (external pages) or this one.
    """
    text = esc(label if label is not None else (url or ""))
    if not is_safe_url(url):
        return f'<span class="rasd-url-text">{text}</span>'
    target = ' target="_blank"' if new_tab else ""
    return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow"{target}>{text}</a>'


def _normalise_highlights(
    highlights: Iterable[Highlight | Sequence[Any]], length: int
) -> list[Highlight]:
    spans: list[Highlight] = []
    for item in highlights:
        if isinstance(item, Highlight):
            span = item
        else:
            start, end, css_class, *rest = item
            span = Highlight(int(start), int(end), str(css_class), str(rest[0]) if rest else "")
        start, end = max(0, span.start), min(length, span.end)
        if start >= end or not _CSS_CLASS.match(span.css_class):
            continue  # empty, outside the text, or a class name we will not emit
        spans.append(Highlight(start, end, span.css_class, span.title))
    return spans


@dataclass
class _Node:
    span: Highlight
    children: list[_Node] = field(default_factory=list)


def _nest(spans: list[Highlight]) -> list[_Node]:
    """Arrange spans in a tree: contained spans nest, crossing spans are skipped."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        while stack and stack[-1].span.end <= span.start:
            stack.pop()
        if stack and span.end > stack[-1].span.end:
            continue  # crosses the enclosing span's end: cannot be drawn as nested markup
        node = _Node(span)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _clip(nodes: list[_Node], lo: int, hi: int) -> list[_Node]:
    """The parts of ``nodes`` inside ``[lo, hi)`` (one paragraph)."""
    clipped = []
    for node in nodes:
        start, end = max(node.span.start, lo), min(node.span.end, hi)
        if start < end:
            piece = Highlight(start, end, node.span.css_class, node.span.title)
            clipped.append(_Node(piece, _clip(node.children, start, end)))
    return clipped


def _render(text: str, start: int, end: int, nodes: list[_Node]) -> str:
    out: list[str] = []
    pos = start
    for node in nodes:
        span = node.span
        out.append(esc(text[pos : span.start]))
        title = f' title="{esc(span.title)}"' if span.title else ""
        out.append(f'<mark class="{span.css_class}"{title}>')
        out.append(_render(text, span.start, span.end, node.children))
        out.append("</mark>")
        pos = span.end
    out.append(esc(text[pos:end]))
    return "".join(out)


def article_html(
    text: str | None,
    *,
    highlights: Iterable[Highlight | Sequence[Any]] = (),
) -> str:
    """The article body as escaped, right-to-left HTML paragraphs.

    Every line of ``text`` becomes ``<p dir="rtl" style="unicode-bidi: plaintext;
    text-align: right">`` with its content escaped. ``highlights`` are
    ``(start, end, css_class, title)`` spans at character offsets into ``text`` (as stored in
    ``mentions`` and ``events``); a span inside another is nested, a span crossing another's
    end is skipped, and a span across paragraphs is split at the paragraph break.
    """
    text = text or ""
    tree = _nest(_normalise_highlights(highlights, len(text)))
    paragraphs = []
    for match in _PARAGRAPH.finditer(text):
        lo, hi = match.span()
        if not text[lo:hi].strip():
            continue
        body = _render(text, lo, hi, _clip(tree, lo, hi))
        paragraphs.append(f"{PARAGRAPH_OPEN}{body}</p>")
    return '<div class="rasd-article-text" lang="ar">' + "".join(paragraphs) + "</div>"


def query_href(params: Mapping[str, Sequence[str]], path: str = "") -> str:
    """A relative link to ``path`` with ``params`` as its (encoded) query string."""
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    return f"{path}?{query}" if query else (path or "?")


@dataclass(frozen=True)
class ListRow:
    """One row of the article list, already translated (but not escaped)."""

    article_id: str
    outlet_id: str
    outlet: str
    title: str
    has_title: bool
    date_label: str
    basis_label: str
    is_copy: bool
    href: str
    selected: bool = False


def articles_list_html(
    rows: Sequence[ListRow], *, headers: Mapping[str, str], copy_label: str
) -> str:
    """The article list as an escaped HTML table (in a horizontally scrolling ``div``).

    ``<table class="rasd-articles">`` with one ``<tr class="rasd-article"
    data-article-id=… data-outlet-id=…>`` per article and cells ``td.rasd-title`` (a link that
    opens the reader), ``td.rasd-outlet``, ``td.rasd-date`` and ``td.rasd-basis``.
    """
    head = "".join(
        f'<th scope="col">{esc(headers[key])}</th>' for key in ("title", "outlet", "date", "basis")
    )
    body = []
    for row in rows:
        classes = ["rasd-article"]
        if row.selected:
            classes.append("rasd-selected")
        if row.is_copy:
            classes.append("rasd-copy")
        title_class = "rasd-title" if row.has_title else "rasd-title rasd-no-title"
        copy = (
            f' <small class="rasd-copy-marker">({esc(copy_label)})</small>' if row.is_copy else ""
        )
        body.append(
            f'<tr class="{" ".join(classes)}" data-article-id="{esc(row.article_id)}" '
            f'data-outlet-id="{esc(row.outlet_id)}">'
            f'<td class="{title_class}" dir="auto">'
            f'<a href="{esc(row.href)}" target="_self">{esc(row.title)}</a>{copy}</td>'
            f'<td class="rasd-outlet" dir="auto">{esc(row.outlet)}</td>'
            f'<td class="rasd-date">{esc(row.date_label)}</td>'
            f'<td class="rasd-basis">{esc(row.basis_label)}</td>'
            "</tr>"
        )
    return (
        '<div class="rasd-articles-scroll">'
        f'<table class="rasd-articles"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# published_evidence is "<kind>: <words>" with a fixed set of kinds (rasd.ingest.EVIDENCE_KINDS).
_EVIDENCE_KINDS = (
    (re.compile(r"^impossible date in field (?P<column>.+)$"), "evidence_impossible_field"),
    (re.compile(r"^not a date in field (?P<column>.+)$"), "evidence_not_a_date_field"),
    (re.compile(r"^field (?P<column>.+)$"), "evidence_field"),
    (re.compile(r"^impossible printed date$"), "evidence_impossible_printed"),
    (re.compile(r"^printed$"), "evidence_printed"),
    (re.compile(r"^under the headline$"), "evidence_under_headline"),
    (re.compile(r"^page header, not used$"), "evidence_page_header"),
)


def evidence_html(evidence: str | None, *, lang: str) -> str:
    """A date's evidence in the UI language: the kind translated, the source words quoted as
    written (escaped, in their own bidi isolate so Arabic and digits keep their order)."""
    from components.i18n import t

    if not evidence:
        return esc(t("none_value", lang))
    kind, sep, words = evidence.partition(": ")
    for pattern, key in _EVIDENCE_KINDS:
        match = pattern.match(kind) if sep else None
        if match:
            label = t(key, lang, **{k: v for k, v in match.groupdict().items()})
            return f'{esc(label)}: <bdi dir="auto">«{esc(words)}»</bdi>'
    return f'<bdi dir="auto">{esc(evidence)}</bdi>'
