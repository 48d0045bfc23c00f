"""Distinctive vocabulary: tokens, stop words, light clitic handling, weighted log-odds.

Which words does one outlet use more than the others? Raw frequencies answer "which words
are common" and favour big outlets; a plain log-odds ratio is dominated by rare words. The
weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' words", Political Analysis 16(4), section 3.5) shrinks each word's log-odds
toward what the whole corpus does and divides by its standard error, so a word ranks high
only when the evidence that this outlet over-uses it is strong.

For group ``i`` (one outlet) against ``j`` (every other outlet in the filtered set), word
``w`` with counts ``y_iw``, ``y_jw``, group sizes ``n_i``, ``n_j`` and prior
``α_w = prior_scale · (y_iw + y_jw)`` (the whole compared corpus), ``α_0 = Σ_w α_w``::

    δ̂_w = log((y_iw + α_w) / (n_i + α_0 − y_iw − α_w))
         − log((y_jw + α_w) / (n_j + α_0 − y_jw − α_w))
    σ̂²_w ≈ 1 / (y_iw + α_w) + 1 / (y_jw + α_w)
    z_w = δ̂_w / √σ̂²_w

Tokens are taken from ``articles.text_norm`` (already folded by
:func:`rasd.normalize.normalize_for_search`). Clitic handling is deliberately light: the
proclitic article combinations of Larkey, Ballesteros & Connell's "light10" stemmer
(2007) — ال وال بال كال فال لل, plus a few two-conjunction forms — are removed, and a bare
conjunction و only when the rest of the word is itself a word of the corpus. No suffixes
are removed: suffix stripping yields stems that are not words and merges meanings
(ة/ات/ين), while prefix variants (الرئيس، والرئيس، للرئيس) are pure syntax and are what
splits counts most. Terms are shown in their most frequent written form, not as keys.

The same rules run in DuckDB for the query layer (:mod:`rasd.query_sources` builds its SQL
from the constants here); a test checks that both give the same counts.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rasd.config import Settings
from rasd.normalize import normalize_for_search

STOPWORDS_FILE = "stopwords_ar.txt"

#: A token is a maximal run of letters and digits (Unicode categories L and N). DuckDB's
#: RE2 spells it ``[\p{L}\p{N}]+``; Python's ``re`` has no ``\p``, ``[^\W_]`` is the same set.
TOKEN_RE = re.compile(r"[^\W_]+")
TOKEN_SQL_RE = r"[\p{L}\p{N}]+"
#: Written words in the original text, with their combining marks (for display forms).
WRITTEN_SQL_RE = r"[\p{L}\p{M}\p{N}]+"
#: Tashkeel and tatweel: dropped from a display form so variants of one spelling merge.
_MARKS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")
#: Shorter tokens are single letters left by punctuation or abbreviations (أ.ب).
MIN_TOKEN_CHARS = 2

#: Article-bearing proclitic strings, longest first (light10 set plus double conjunctions).
#: Folded like text_norm (no hamza), so they compare with tokens directly.
ARTICLE_PREFIXES: tuple[str, ...] = (
    "وبال",
    "وكال",
    "فبال",
    "ولل",
    "فلل",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
)
#: Conjunction removed only when what remains is itself a word of the corpus (guard).
CONJUNCTION = "و"
#: Never leave a stem shorter than this (الله → له, الدم → دم would be wrong or noise).
MIN_STEM_CHARS = 3

#: Clitics that may precede a stop word and leave it a stop word (وفي، فقد، بها، لذلك).
STOP_PREFIXES: tuple[str, ...] = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
#: Only stop words at least this long get clitic variants: one-letter stems would match
#: real words.
MIN_STOP_STEM_CHARS = 2


@dataclass(frozen=True)
class StopWords:
    """Folded stop words and the folded words that must never be stopped."""

    words: frozenset[str]
    keep: frozenset[str] = frozenset()

    def expanded(self) -> frozenset[str]:
        """The stop words plus their clitic forms (و/ف/ب/ل/ك + word), minus ``keep``."""
        out = set(self.words)
        for word in self.words:
            if len(word) >= MIN_STOP_STEM_CHARS:
                out.update(prefix + word for prefix in STOP_PREFIXES)
        return frozenset(out - self.keep)


def parse_stopwords(text: str) -> StopWords:
    """Read the stop-word file format: one word a line, ``#`` comments, ``!`` exceptions."""
    words: set[str] = set()
    keep: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        target = keep if line.startswith("!") else words
        folded = normalize_for_search(line.lstrip("!"))
        if folded:
            target.add(folded)
    return StopWords(frozenset(words - keep), frozenset(keep))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> StopWords:
    # The one file this module reads: a declarative lexicon beside the gazetteer, read once
    # per process (rasd/io.py handles corpus inputs and build outputs, not lexicons).
    return parse_stopwords(Path(path).read_text(encoding="utf-8"))


def load_stopwords(path: Path | None = None) -> StopWords:
    """The bundled Arabic news stop words (``data/gazetteer/stopwords_ar.txt``), cached."""
    if path is None:
        path = Settings.from_env().gazetteer_dir / STOPWORDS_FILE
    return _load(str(path))


def tokenize(text: str) -> list[str]:
    """Search-normalised word tokens of ``text`` (runs of letters and digits)."""
    return TOKEN_RE.findall(normalize_for_search(text))


def display_form(written: str) -> str:
    """A written word as a label: without tashkeel and tatweel, otherwise as written."""
    return _MARKS_RE.sub("", written)


def is_word(token: str) -> bool:
    """True for tokens worth counting: at least two characters, at least one letter."""
    return len(token) >= MIN_TOKEN_CHARS and any(ch.isalpha() for ch in token)


def term_key(token: str, vocabulary: Container[str]) -> str:
    """The counting key of a folded, non-stop ``token``: light proclitic removal.

    Args:
        token: a token from :func:`tokenize` (already folded).
        vocabulary: the corpus's tokens; guards the removal of a bare conjunction و, which
            is only removed when the rest (or the rest with ال) is a corpus word too.

    Returns:
        ``token`` without an article-bearing prefix (والرئيس → رئيس), or without a leading
        و when guarded (وروسيا → روسيا), or ``token`` unchanged.
    """
    for prefix in ARTICLE_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= MIN_STEM_CHARS:
            return token[len(prefix) :]
    if token.startswith(CONJUNCTION) and len(token) - len(CONJUNCTION) >= MIN_STEM_CHARS:
        rest = token[len(CONJUNCTION) :]
        if rest in vocabulary or "ال" + rest in vocabulary:
            return rest
    return token


def count_terms(texts: Iterable[str], stopwords: StopWords) -> Counter[str]:
    """Term counts of ``texts`` (reference implementation; the query layer uses DuckDB).

    Stop words (with clitic forms) are dropped before and after :func:`term_key`.
    """
    stop = stopwords.expanded()
    tokens: Counter[str] = Counter()
    for text in texts:
        tokens.update(t for t in tokenize(text) if is_word(t) and t not in stop)
    vocabulary = set(tokens)
    terms: Counter[str] = Counter()
    for token, n in tokens.items():
        key = term_key(token, vocabulary)
        if key not in stop:
            terms[key] += n
    return terms


def log_odds(
    counts: pd.DataFrame,
    *,
    group_totals: pd.Series | None = None,
    term_totals: pd.Series | None = None,
    prior_scale: float = 1.0,
) -> pd.DataFrame:
    """Weighted log-odds of each group against all other groups (informative prior).

    Args:
        counts: long frame ``group, term, count`` (one row per group and term; absent rows
            are zero counts).
        group_totals: ``n_i`` per group (index: group). Defaults to the sum of ``counts``;
            pass it when ``counts`` holds only some terms of each group.
        term_totals: ``y_iw + y_jw`` per term (index: term), the whole compared corpus.
            Defaults to the sum of ``counts`` over groups.
        prior_scale: ``α_w = prior_scale · term_total``; 1.0 gives the prior the weight of
            the corpus itself (Monroe et al.'s informative prior from the whole corpus).

    Returns:
        A new frame: the input columns plus ``count_rest``, ``n_group``, ``n_rest``,
        ``alpha``, ``delta``, ``variance`` and ``z``. Terms of a group with no other group
        to compare with get no score (empty result for a single group).
    """
    if prior_scale <= 0:
        raise ValueError("prior_scale must be positive")
    frame = counts[["group", "term", "count"]].copy()
    frame["count"] = frame["count"].astype("float64")
    if group_totals is None:
        group_totals = frame.groupby("group")["count"].sum()
    if term_totals is None:
        term_totals = frame.groupby("term")["count"].sum()
    group_totals = group_totals.astype("float64")
    term_totals = term_totals.astype("float64")
    if len(group_totals) < 2 or frame.empty:
        return frame.iloc[0:0].assign(
            count_rest=[], n_group=[], n_rest=[], alpha=[], delta=[], variance=[], z=[]
        )
    corpus = float(group_totals.sum())
    alpha0 = prior_scale * corpus
    # by position in the totals (one look-up of the distinct keys), not a map of each row's
    # Arrow-backed string
    frame["n_group"] = _lookup(frame["group"], group_totals)
    frame["n_rest"] = corpus - frame["n_group"]
    total = _lookup(frame["term"], term_totals)
    frame["count_rest"] = total - frame["count"]
    frame["alpha"] = prior_scale * total
    y_i, y_j, alpha = frame["count"], frame["count_rest"], frame["alpha"]
    with np.errstate(divide="ignore", invalid="ignore"):
        odds_i = (y_i + alpha) / (frame["n_group"] + alpha0 - y_i - alpha)
        odds_j = (y_j + alpha) / (frame["n_rest"] + alpha0 - y_j - alpha)
        frame["delta"] = np.log(odds_i) - np.log(odds_j)
        frame["variance"] = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
        frame["z"] = frame["delta"] / np.sqrt(frame["variance"])
    finite = pd.Series(np.isfinite(frame["z"].to_numpy()), index=frame.index)
    return frame.loc[finite].reset_index(drop=True)


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """``keys.map(values)`` (NaN where a key is missing), through the keys' codes."""
    codes, uniques = pd.factorize(keys)
    found = values.reindex(uniques).to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(keys), np.nan)
    present = codes >= 0
    out[present] = found[codes[present]]
    return pd.Series(out, index=keys.index)


def top_terms(scored: pd.DataFrame, *, k: int = 20, min_z: float = -math.inf) -> pd.DataFrame:
    """The ``k`` highest-z terms of each group (z at least ``min_z``), best first."""
    if scored.empty:
        return scored.copy()
    kept = scored[scored["z"] >= min_z]
    ordered = kept.sort_values(["group", "z", "term"], ascending=[True, False, True])
    best: pd.DataFrame = ordered.groupby("group", sort=False).head(k)
    return best.reset_index(drop=True)
