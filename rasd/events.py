"""Events in Arabic news text: what happened, when it happened, who, where, and the evidence.

:func:`extract_events` reads one article. Per sentence it finds triggers from the
declarative lexicon (:mod:`rasd.event_lexicon`), drops those the text does not assert
(conditions, negation, speculation, allegations), and dates each trigger with the date
expressions of *its own sentence* (:func:`rasd.dates.tag_dates`):

* a trigger takes the nearest date expression unless a relation word (عقب، بعد، قبل، حيث …)
  or another trigger stands between them ("صادق المجلس عقب تصديق الدوما في 24 أكتوبر": the
  date is the Duma's);
* a date printed in a reporting clause ("قال … يوم الإثنين إن …") is the date of the remark,
  not of what is reported after أن/إن;
* a date after منذ starts a duration ("منذ عام 2000"): never an event's date;
* a trigger without a date of its own shares the date of the nearest dated trigger of the
  sentence when nothing separates them ("بعد محادثات …، وقع الزعيمان اتفاقية … اليوم");
* otherwise the event is undated. The publication date is never used as an event date: only
  expressions such as اليوم or أمس resolved against it.

Triggers of one type that share a date in one sentence are one event mention; its evidence
is the sentence. Actors and the place come from entity mentions in the sentence.

:func:`cluster_events` groups mentions of the same real-world event across articles: same
type, compatible dates (with a per-type tolerance), and shared actors or similar wording.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain, combinations
from typing import Any

import pandas as pd

from rasd import event_lexicon as lex
from rasd.dates import (
    DateExpression,
    _CandidateScan,
    _finditer_at,
    _fold_for_tagging,
    _Hits,
    _scan_patterns,
    _tag_folded,
)
from rasd.normalize import tokens as search_tokens
from rasd.sentences import split_sentences


@dataclass(frozen=True)
class EventMention:
    """One event reported in one sentence of one article.

    Attributes:
        event_type: an id from :data:`rasd.event_lexicon.EVENT_TYPES`.
        date_start: first day the event may have happened (None: undated).
        date_end: last day the event may have happened.
        date_precision: day, week, month, quarter, year, decade or unknown.
        date_basis: explicit, relative (resolved against the publication date), inferred
            (a field the text leaves out, from the publication date) or unknown.
        actor_ids: entity ids of the actors, in order of appearance.
        location_id: entity id of the place, or None.
        evidence: the sentence that reports the event.
        evidence_start: offset of the sentence in the article text.
        evidence_end: offset just past the sentence.
        confidence: between 0 and 1.
    """

    event_type: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    date_basis: str
    actor_ids: tuple[str, ...]
    location_id: str | None
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float


# -- compiled lexicon ---------------------------------------------------------------------------

_CLITICS = r"(?:[وف])?(?:[بلك])?"
_TRIGGER_RX = re.compile(
    r"(?<![\w])"
    + _CLITICS
    + "(?:"
    + "|".join(f"(?P<t{i}>{t.pattern})" for i, t in enumerate(lex.TRIGGERS))
    + r")(?![\w])"
)
_TRIGGER_FULL = [re.compile(t.pattern) for t in lex.TRIGGERS]
_REQUIRES = [re.compile(t.requires) if t.requires else None for t in lex.TRIGGERS]
_EXCLUDE_BEFORE = [re.compile(t.exclude_before) if t.exclude_before else None for t in lex.TRIGGERS]
_EXCLUDE_AFTER = [re.compile(t.exclude_after) if t.exclude_after else None for t in lex.TRIGGERS]
_SCOPE_RX = re.compile(rf"(?<![\w]){_CLITICS}(?:{lex.CONDITIONAL}|{lex.SPECULATIVE})(?![\w])")
_CLAUSE_END = re.compile(r"[،,؛;:.!?؟]")
_SPEC_AFTER = re.compile(lex.SPECULATIVE_AFTER)
_HYPOTHETICAL_AFTER = re.compile(lex.HYPOTHETICAL_AFTER)
_NEGATION = re.compile(lex.NEGATION)
_FUTURE = re.compile(lex.FUTURE)
_RELATION = re.compile(rf"(?<![\w])[وف]?{lex.RELATION_WORDS}(?![\w])")
_RELATION_TAIL = re.compile(rf"(?<![\w])[وف]?{lex.RELATION_WORDS}\s+(?:ال)?$")
_COMPLEMENTIZER = re.compile(rf"(?<![\w]){lex.COMPLEMENTIZER}(?![\w])")
_SINCE = re.compile(lex.SINCE)
_QUOTE = re.compile('["«“”:]')
_LOCATIVE = re.compile(lex.LOCATIVE)
#: Per trigger: its event only counts when dated (the trigger's or its event type's rule).
_NEEDS_DATE = tuple(
    t.needs_date or lex.EVENT_TYPES_BY_ID[t.event_type].needs_date for t in lex.TRIGGERS
)
#: Per trigger: its event type and weight. Read for every kept trigger of every article;
#: a tuple index is cheaper than ``lex.TRIGGERS[i].weight`` through the ``spec`` property.
_EVENT_TYPE = tuple(t.event_type for t in lex.TRIGGERS)
_WEIGHT = tuple(t.weight for t in lex.TRIGGERS)


@dataclass
class _Date:
    expr: DateExpression
    start: int  # folded offsets
    end: int
    since: bool = False
    report_of: list[tuple[int, int]] = field(default_factory=list)  # (verb start, compl. end)


@dataclass
class _Trigger:
    index: int  # into lex.TRIGGERS
    start: int  # folded offsets
    end: int
    future: bool = False
    date: DateExpression | None = None  # own or shared date
    date_obj: _Date | None = None  # the same, with its place in the sentence
    own: bool = False
    vague: bool = False
    shared: bool = False

    @property
    def spec(self) -> lex.Trigger:
        return lex.TRIGGERS[self.index]


class _Folded:
    """Folded article text and offset maps both ways."""

    def __init__(self, text: str) -> None:
        self.text, self.offsets = _fold_for_tagging(text)
        self.length = len(text)

    def to_original(self, pos: int) -> int:
        if self.offsets is None:
            return pos
        return self.offsets.to_original(pos)

    def to_folded(self, pos: int) -> int:
        if self.offsets is None:
            return pos
        return self.offsets.to_folded(pos)


# -- extraction ---------------------------------------------------------------------------------


def extract_events(
    text: str,
    mentions: Sequence[Any],
    *,
    dct: date | None,
    entity_types: Mapping[str, str],
) -> list[EventMention]:
    """Event mentions in one article's clean text, in text order.

    Args:
        text: the clean article body (offsets of the result point into it).
        mentions: entity mentions with ``entity_id``, ``start`` and ``end`` (may be empty).
        dct: the article's publication date, when known (resolves اليوم، أمس …).
        entity_types: entity id → PERSON/ORG/GPE/LOC/FAC, for actor and place roles.

    Returns:
        One :class:`EventMention` per event type and date per sentence.
    """
    if not text.strip():
        return []
    folded = _Folded(text)
    f = folded.text
    hits = _event_scan().scan(f)  # triggers, modal markers and the tagger's rules
    triggers = _find_triggers(f, hits)
    if not triggers:
        return []
    scopes = _modal_scopes(f, hits)
    # The asserted triggers of each sentence first: dates are tagged (the costliest step)
    # only for an article that reports at least one event.
    asserted: list[tuple[int, int, int, int, list[_Trigger]]] = []
    t_pos = [t.start for t in triggers]
    for s_start, s_end in split_sentences(text):
        fs, fe = folded.to_folded(s_start), folded.to_folded(s_end - 1) + 1
        first = bisect.bisect_left(t_pos, fs)
        if first == len(t_pos):
            break  # no trigger in this sentence or any later one
        if t_pos[first] >= fe:
            continue  # a sentence without a trigger: skip it before any list is built
        kept = [
            t
            for t in triggers[first : bisect.bisect_left(t_pos, fe, first)]
            if t.end <= fe and _asserted(f, t, fs, fe, scopes)
        ]
        if kept:
            asserted.append((s_start, s_end, fs, fe, kept))
    if not asserted:
        return []
    dates = [
        _Date(expr, folded.to_folded(expr.start), folded.to_folded(expr.end - 1) + 1)
        for expr in _tag_folded(text, f, folded.offsets, dct, hits)
    ]
    for d in dates:
        d.since = bool(_SINCE.search(f, max(0, d.start - 8), d.start))
    by_mention = sorted(mentions, key=lambda m: (int(m.start), int(m.end)))
    mention_starts = [int(m.start) for m in by_mention]
    events: list[EventMention] = []
    d_pos = [d.start for d in dates]
    for s_start, s_end, fs, fe, kept in asserted:
        sentence_dates = [
            d
            for d in dates[bisect.bisect_left(d_pos, fs) : bisect.bisect_left(d_pos, fe)]
            if d.end <= fe
        ]
        if sentence_dates:  # else no trigger gets a date: nothing to mark, win or share
            _mark_report_dates(f, kept, sentence_dates, fe)
            _date_triggers(f, kept, sentence_dates)
        lo, hi = (
            bisect.bisect_left(mention_starts, s_start),
            bisect.bisect_left(mention_starts, s_end),
        )
        sentence_mentions = [m for m in by_mention[lo:hi] if int(m.end) <= s_end]
        events.extend(
            _events_of_sentence(text, folded, kept, sentence_mentions, entity_types, s_start, s_end)
        )
    return events


# Where triggers and modal markers may start: see rasd.dates._CandidateScan. A trigger is
# tried only where one of its (clitic +) prefixes occurs, with a regex of just the triggers
# possible there, in lexicon order: the first alternative that matches is the same as in
# _TRIGGER_RX, since the left-out ones cannot match at that position.
_SCAN: list[_CandidateScan] = []


def _event_scan() -> _CandidateScan:
    if not _SCAN:
        patterns: dict[Any, str] = {
            i: f"{_CLITICS}(?:{t.pattern})" for i, t in enumerate(lex.TRIGGERS)
        }
        patterns["scope"] = _SCOPE_RX.pattern
        patterns.update(_scan_patterns())  # one pass over the text serves the tagger too
        _SCAN.append(_CandidateScan(patterns))
    return _SCAN[0]


_SUB_TRIGGER_RX: dict[frozenset[int], re.Pattern[str]] = {}
#: Distinct sets of triggers possible at one position remembered (a few hundred in practice).
_SUB_TRIGGER_CACHE_SIZE = 20_000


def _sub_trigger_rx(indices: frozenset[int]) -> re.Pattern[str]:
    rx = _SUB_TRIGGER_RX.get(indices)
    if rx is None:
        rx = re.compile(
            r"(?<![\w])"
            + _CLITICS
            + "(?:"
            + "|".join(f"(?P<t{i}>{lex.TRIGGERS[i].pattern})" for i in sorted(indices))
            + r")(?![\w])"
        )
        if len(_SUB_TRIGGER_RX) < _SUB_TRIGGER_CACHE_SIZE:
            _SUB_TRIGGER_RX[indices] = rx
    return rx


def _trigger_groups(scan: _CandidateScan) -> dict[int, frozenset[int]]:
    """Per hit group of ``scan``, the triggers (lexicon indices) it may start."""
    if not _TRIGGER_GROUPS:
        for group, members in scan.members.items():
            triggers = frozenset(c for c in members if isinstance(c, int))
            if triggers:
                _TRIGGER_GROUPS[group] = triggers
    return _TRIGGER_GROUPS


_TRIGGER_GROUPS: dict[int, frozenset[int]] = {}


def _trigger_matches(f: str, hits: _Hits | None) -> Iterator[re.Match[str]]:
    """``_TRIGGER_RX.finditer(f)``, trying only the triggers possible at each position."""
    scan = _event_scan()
    if hits is None or any(isinstance(c, int) for c in scan.unfiltered):
        yield from _TRIGGER_RX.finditer(f)
        return
    groups = _trigger_groups(scan)
    at: dict[int, frozenset[int]] = {}
    for group, starts in hits.by_group.items():
        members = groups.get(group)
        if members is None:
            continue
        for p in starts:
            possible = at.get(p)
            at[p] = members if possible is None else possible | members
    last = 0
    for p in sorted(at):
        if p < last:
            continue
        match = _sub_trigger_rx(at[p]).match(f, p)
        if match is not None:
            yield match
            last = match.end()


def _find_triggers(f: str, hits: _Hits | None = None) -> list[_Trigger]:
    found: list[_Trigger] = []
    for match in _trigger_matches(f, hits):
        name = match.lastgroup or ""
        start, end = match.span(name)
        # Triggers sharing a surface (أطلق: a test or an attack) are all tried on it.
        for i in _triggers_of(f[start:end]):
            found.append(_Trigger(i, start, end))
    return found


_SURFACES: dict[str, tuple[int, ...]] = {}
#: Distinct trigger surfaces remembered (a corpus repeats a few thousand at most).
_SURFACE_CACHE_SIZE = 50_000


def _triggers_of(surface: str) -> tuple[int, ...]:
    cached = _SURFACES.get(surface)
    if cached is None:
        cached = tuple(i for i, full in enumerate(_TRIGGER_FULL) if full.fullmatch(surface))
        if len(_SURFACES) < _SURFACE_CACHE_SIZE:
            _SURFACES[surface] = cached
    return cached


def _modal_scopes(f: str, hits: _Hits | None = None) -> list[tuple[int, int]]:
    """Spans governed by a condition or speculation: from the marker to its clause's end."""
    scopes: list[tuple[int, int]] = []
    markers = (
        _SCOPE_RX.finditer(f)
        if hits is None or "scope" in _event_scan().unfiltered
        else _finditer_at(_SCOPE_RX, f, hits.get("scope"), 0, len(f))
    )
    for match in markers:
        end = _CLAUSE_END.search(f, match.end())
        stop = len(f) if end is None else end.start()
        newline = f.find("\n", match.end(), stop)
        scopes.append((match.start(), stop if newline < 0 else newline))
    return scopes


def _asserted(f: str, t: _Trigger, fs: int, fe: int, scopes: list[tuple[int, int]]) -> bool:
    """True when the sentence asserts the trigger's event (requirements, modality)."""
    i = t.index
    spec = lex.TRIGGERS[i]
    # The modal scopes first: a plain comparison, cheaper than the regexes below (the checks
    # only ever reject, so their order does not change the answer).
    for lo, hi in scopes:
        if lo <= t.start < hi and (lo >= fs or hi > fs):
            return False
    requires = _REQUIRES[i]
    if requires is not None:
        after = requires.search(f, t.end, min(fe, t.end + spec.window))
        before = spec.requires_before and requires.search(
            f, max(fs, t.start - spec.window), t.start
        )
        if not (after or before):
            return False
    exclude_before = _EXCLUDE_BEFORE[i]
    if exclude_before is not None and exclude_before.search(f, max(fs, t.start - 30), t.start):
        return False
    exclude_after = _EXCLUDE_AFTER[i]
    if exclude_after is not None and exclude_after.search(f, t.end, min(fe, t.end + spec.window)):
        return False
    if _NEGATION.search(f, max(fs, t.start - 12), t.start):
        return False
    if _SPEC_AFTER.match(f, t.end, min(fe, t.end + 15)):
        return False
    clause_end = _CLAUSE_END.search(f, t.end, fe)
    if _HYPOTHETICAL_AFTER.search(f, t.end, clause_end.start() if clause_end else fe):
        return False
    t.future = bool(_FUTURE.search(f, max(fs, t.start - 25), t.start)) or f.startswith(
        ("سي", "ست", "سن"), t.start
    )
    return True


def _mark_report_dates(f: str, kept: list[_Trigger], dates: list[_Date], fe: int) -> None:
    """Dates between a reporting verb and its أن/إن date the report, not what it reports."""
    for t in kept:
        if not t.spec.reporting and t.spec.event_type != "statement":
            continue
        comp = _COMPLEMENTIZER.search(f, t.end, fe)
        if comp is None:
            continue
        for d in dates:
            if t.end <= d.start and d.end <= comp.start():
                d.report_of.append((t.start, comp.end()))


def _between(f: str, a_end: int, b_start: int) -> str:
    return f[a_end:b_start] if a_end < b_start else ""


def _usable(d: _Date, t: _Trigger) -> bool:
    if d.since:
        return False
    return not any(t.start >= comp_end for _, comp_end in d.report_of)


def _date_triggers(f: str, kept: list[_Trigger], dates: list[_Date]) -> None:
    # 1. Each date goes to the nearest trigger it can date (nothing between them: no relation
    #    word, no other trigger); a trigger's own date is the nearest date it won.
    won: dict[int, list[tuple[int, _Date]]] = defaultdict(list)
    for d in dates:
        best: tuple[int, int, _Trigger] | None = None
        for t in kept:
            if not _usable(d, t):
                continue
            lo_end, hi_start = (t.end, d.start) if t.end <= d.start else (d.end, t.start)
            between = _between(f, lo_end, hi_start)
            if _RELATION.search(between):
                continue
            if t.spec.reporting and t.end <= d.start and _QUOTE.search(between):
                continue  # a date inside the quoted words is not when they were said
            if any(
                o is not t
                and lo_end <= o.start
                and o.end <= hi_start
                and (o.start, o.end) != (t.start, t.end)
                for o in kept
            ):
                continue
            gap = max(0, hi_start - lo_end)
            rank = (gap, 0 if t.end <= d.start else 1)  # ties: the trigger before the date
            if best is None or rank < best[:2]:
                best = (rank[0], rank[1], t)
        if best is not None:
            gap, _, winner = best
            # Triggers sharing the winner's span (أطلق as test and as attack) win it too.
            for t in kept:
                if (t.start, t.end) == (winner.start, winner.end):
                    won[id(t)].append((gap, d))
    for t in kept:
        if won[id(t)]:
            _, d = min(won[id(t)], key=lambda item: item[0])
            t.date, t.date_obj, t.own, t.vague = d.expr, d, True, d.expr.vague
    # 2. Triggers without one share the nearest dated trigger's date, unless a relation word
    #    separates them (one that heads the sharing trigger itself is allowed: "قال … اليوم،
    #    عقب محادثات" dates the talks too), and never a report's date past its أن/إن.
    sources = [t for t in kept if t.own and not t.vague and t.date_obj is not None]
    for t in kept:
        if t.own:
            continue
        best_source: tuple[int, _Trigger] | None = None
        for s in sources:
            assert s.date_obj is not None
            if not _usable(s.date_obj, t):
                continue
            lo_end, hi_start = (t.end, s.start) if t.end <= s.start else (s.end, t.start)
            relations = list(_RELATION.finditer(_between(f, lo_end, hi_start)))
            if relations:
                heads_t = (
                    s.end <= t.start
                    and len(relations) == 1
                    and _RELATION_TAIL.search(f, max(0, t.start - 14), t.start) is not None
                )
                if not heads_t:
                    continue
            gap = max(0, hi_start - lo_end)
            if best_source is None or gap < best_source[0]:
                best_source = (gap, s)
        if best_source is not None:
            s = best_source[1]
            t.date, t.date_obj, t.shared = s.date, s.date_obj, True


def _date_key(t: _Trigger) -> tuple[Any, ...] | None:
    expr = t.date
    if expr is None or expr.vague:
        return None
    bounds = expr.bounds()
    if bounds is None:
        return ("unresolved", t.date_obj.start if t.date_obj else -1)
    return (bounds, expr.precision)


def _events_of_sentence(
    text: str,
    folded: _Folded,
    kept: list[_Trigger],
    sentence_mentions: list[Any],
    entity_types: Mapping[str, str],
    s_start: int,
    s_end: int,
) -> list[EventMention]:
    groups: dict[tuple[str, tuple[Any, ...] | None], list[_Trigger]] = defaultdict(list)
    for t in kept:
        if _NEEDS_DATE[t.index] and not (t.own and t.date is not None and not t.vague):
            continue
        groups[(_EVENT_TYPE[t.index], _date_key(t))].append(t)
    out: list[EventMention] = []
    evidence = text[s_start:s_end]  # the same sentence for every group: sliced once
    for (event_type, _key), members in groups.items():
        lead = max(members, key=_lead_rank)
        expr = next((t.date for t in members if t.date is not None and not t.vague), None)
        bounds = expr.bounds() if expr is not None else None
        if bounds is not None and expr is not None:
            d_start, d_end, precision, basis = bounds[0], bounds[1], expr.precision, expr.basis
        else:
            d_start, d_end, precision, basis = None, None, "unknown", "unknown"
        # to_original never decreases, so the earliest trigger maps to the earliest offset.
        first = folded.to_original(min(t.start for t in members))
        actors, place = _roles(text, folded, sentence_mentions, entity_types, first)
        confidence = max(_WEIGHT[t.index] for t in members)
        if bounds is not None:
            confidence += 0.1 if lead.own else -0.05
        if all(t.future for t in members):
            confidence -= 0.1
        if actors:
            confidence += 0.05
        out.append(
            _event_mention(
                event_type=event_type,
                date_start=d_start,
                date_end=d_end,
                date_precision=precision,
                date_basis=basis,
                actor_ids=actors,
                location_id=place,
                evidence=evidence,
                evidence_start=s_start,
                evidence_end=s_end,
                confidence=round(min(0.99, max(0.05, confidence)), 2),
            )
        )
    if len(out) > 1:
        # Every mention here has the same evidence_start, so ordering by event type alone
        # (a stable sort) is the text order the caller expects.
        out.sort(key=_event_type_of)
    return out


def _event_mention(**fields: Any) -> EventMention:
    """``EventMention(**fields)`` without the frozen dataclass's per-field
    ``object.__setattr__`` (as :func:`rasd.entities._mention` does for entity mentions).

    The same class and fields, equal to the constructor's result and still immutable;
    an article yields a dozen or more event mentions, each built here.
    """
    mention = _new(EventMention)
    mention.__dict__.update(fields)
    return mention


_new = object.__new__


def _lead_rank(t: _Trigger) -> tuple[bool, float]:
    """The trigger that leads a group: one with its own date first, then the weightiest."""
    return t.own, _WEIGHT[t.index]


def _event_type_of(e: EventMention) -> str:
    return e.event_type


def _roles(
    text: str,
    folded: _Folded,
    mentions: list[Any],
    entity_types: Mapping[str, str],
    trigger_start: int,
) -> tuple[tuple[str, ...], str | None]:
    """Actors (people, organisations, states) and the place of an event in its sentence."""
    place: str | None = None
    best_distance = math.inf
    for m in mentions:
        kind = entity_types.get(str(m.entity_id))
        if kind not in lex.PLACE_TYPES:
            continue
        fstart = folded.to_folded(int(m.start))
        if not _LOCATIVE.search(folded.text, max(0, fstart - 12), fstart):
            continue
        # Prefer a place after the trigger ("زار … إلى موسكو"), then the nearest before it.
        distance = int(m.start) - trigger_start
        score = distance if distance >= 0 else 10_000 - distance
        if score < best_distance:
            best_distance, place = score, str(m.entity_id)
    actors: list[str] = []
    for m in mentions:
        entity_id = str(m.entity_id)
        if (
            entity_types.get(entity_id) in lex.ACTOR_TYPES
            and entity_id != place
            and entity_id not in actors
        ):
            actors.append(entity_id)
    return tuple(actors[:8]), place


def event_id(article_id: str, event: EventMention) -> str:
    """Stable id of an event mention: its article, type and evidence offsets."""
    key = f"{article_id}|{event.event_type}|{event.evidence_start}|{event.date_start}"
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# -- clustering across articles ---------------------------------------------------------------

#: Words too common in news sentences to say two reports are about the same event.
_STOP = frozenset(
    " ".join(
        (
            "في من الي علي عن مع ان او ثم قد لا لم لن ما هو هي هذا هذه ذلك تلك التي الذي",
            "الذين كان كانت يكون تكون كما بعد قبل خلال بين حيث وقال قال قالت اليوم امس عام",
            "العام الماضي الاسبوع الشهر يوم وفق بحسب حسب ايضا كل اي غير عند منذ حتي اذا وهو وهي",
        )
    ).split(" ")
)
#: Keys (an actor, a word) shared by more mentions than this are not used to *find*
#: candidate pairs (they are still scored); bounds the work on a million-article corpus.
MAX_POSTING = 60
#: Only a mention's rarest words are used to find candidates (all are used to score).
RARE_WORDS = 8
#: Rare-word similarity (IDF-weighted Jaccard of evidence words) needed to join reports
#: whose dates agree and that name no shared actor.
SIM_DATED = 0.10
#: … to join undated reports with similar actors (a story about the same two leaders
#: mentions many of their meetings: the words must agree too) …
SIM_UNDATED_ACTORS = 0.15
#: … and to join undated reports that name no actors at all.
SIM_UNDATED = 0.18
#: Actor similarity (IDF-weighted Jaccard: Putin in every article of a Putin corpus says
#: little, a foreign minister named once says a lot) needed to join undated reports.
ACTORS_UNDATED = 0.5
#: Types an article rarely reports twice about the same parties: an undated mention there
#: joins the article's other mention of the type when actors and wording allow.
ONE_PER_ARTICLE = frozenset(
    {
        "agreement_signed",
        "missile_test",
        "election",
        "resumption",
        "sanction",
        "military_deployment",
        "arms_transfer",
        "ceasefire",
        "protest",
    }
)


def _fold_g(token: str) -> str:
    # Transliterated names vary in how they write g (جونغ / جونج / يونج); fold for matching.
    return token.replace("غ", "ج").replace("گ", "ج")


_TOKEN_KEYS: dict[str, str | None] = {}
#: Distinct tokens remembered (a news vocabulary is a few hundred thousand words).
_TOKEN_CACHE_SIZE = 500_000


def _token_key(token: str) -> str | None:
    """The clustering key of one search token (clitic off, g folded), or None to skip it."""
    for prefix in ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف"):
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            token = token[len(prefix) :]
            break
    if len(token) >= 3 and token not in _STOP and not token.isdigit():
        return _fold_g(token)
    return None


def _content_keys(evidence: str) -> list[str]:
    """:func:`_content_tokens` as a list, in the order the set is built."""
    out: list[str] = []
    known = _TOKEN_KEYS
    for token in search_tokens(evidence):
        # One dict lookup per token: a cached key is None or at least three letters, so ""
        # can only mean "not cached yet".
        key = known.get(token, "")
        if key == "":
            key = _token_key(token)
            if len(known) < _TOKEN_CACHE_SIZE:
                known[token] = key
        if key is not None:
            out.append(key)
    return out


def evidence_keys(evidence: str) -> list[str]:
    """The words :func:`cluster_events` compares in an evidence sentence (clitics off, g
    folded, stop words and numbers dropped), in order; computed once per mention at build
    time for :mod:`rasd.event_clusters`."""
    return _content_keys(evidence)


def _content_tokens(evidence: str) -> set[str]:
    return set(_content_keys(evidence))


_PREC_RANK = {p: i for i, p in enumerate(("day", "week", "month", "quarter", "year", "decade"))}


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    try:
        if pd.isna(value):  # None, NaN, NaT (NaT is a datetime subclass: test it first)
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _weighted_jaccard(a: set[str], b: set[str], weight: Mapping[str, float]) -> float:
    shared = a & b
    if not shared:
        return 0.0
    return sum(weight.get(t, 1.0) for t in shared) / sum(weight.get(t, 1.0) for t in a | b)


@dataclass
class _Cluster:
    rows: list[int]
    start: date | None  # where the dated reports agree (None: all undated)
    end: date | None


def cluster_events(events: pd.DataFrame) -> list[str]:
    """A cluster id per row: rows with the same id report the same real-world event.

    Args:
        events: one row per event mention with ``event_type, date_start, date_end,
            date_precision, actor_ids, evidence, article_id``; ``evidence_start`` is used
            when present.

    Two mentions are one event when they have the same type, their date ranges overlap (with
    the type's tolerance; an undated mention fits any date) and the evidence agrees:

    * both dated: a shared actor, or similar rare words, or the same multi-year span;
    * otherwise: similar actors *and* words (or, without actors, very similar words); an
      undated mention of a type an article rarely reports twice (a signing, a test) joins
      the same article's mention when nothing contradicts it.

    Pairs are joined most similar first, and a join never puts dated reports that disagree
    into one cluster, so an undated mention cannot bridge the 1949 and the 2024 treaties.

    Returns:
        Cluster ids, stable across corpora: a hash of the type, the cluster's earliest
        finest-dated day and its core actors (or, without actors, its rarest words).
    """
    n = len(events)
    if n == 0:
        return []
    types = [str(v) for v in events["event_type"]]
    starts = [_as_date(v) for v in events["date_start"]]
    ends = [_as_date(v) or starts[i] for i, v in enumerate(events["date_end"])]
    precisions = [str(v) for v in events["date_precision"]]
    actors = [set(_as_list(v)) for v in events["actor_ids"]]
    articles = [str(v) for v in events["article_id"]]
    # Reports share sentences (one sentence, several event types; wire copy in many
    # outlets): tokenise each distinct evidence once. Every row still gets its own set,
    # built in the same order, so set iteration (and every float sum) is as before.
    keys_of: dict[str, list[str]] = {}
    evidence_keys: list[list[str]] = []
    for v in events["evidence"]:
        text = str(v or "")
        keys = keys_of.get(text)
        if keys is None:
            keys = keys_of[text] = _content_keys(text)
        evidence_keys.append(keys)
    words = [set(keys) for keys in evidence_keys]
    positions = (
        [0 if _missing(v) else int(v) for v in events["evidence_start"]]
        if "evidence_start" in events
        else list(range(n))
    )
    word_idf = _idf(words)
    actor_idf = _idf(actors)
    tolerance = {t: _tolerance(t) for t in set(types)}

    # Candidate pairs: same type, the exact same span, or (in a shared time bucket when both
    # are dated) at least two shared keys among actors and rare words. Keys shared by too
    # many mentions are skipped (see MAX_POSTING): the work grows with the corpus, not its
    # square.
    rare_of: dict[int, list[str]] = {}
    mass_of: dict[int, float] = {}
    rare_words: list[list[str]] = []
    word_mass: list[float] = []
    for keys, bag in zip(evidence_keys, words, strict=True):
        rare = rare_of.get(id(keys))
        if rare is None:
            rare = rare_of[id(keys)] = sorted(bag, key=lambda t: (-word_idf.get(t, 0.0), t))[
                :RARE_WORDS
            ]
            mass_of[id(keys)] = sum(word_idf.get(t, 1.0) for t in bag)
        rare_words.append(rare)
        word_mass.append(mass_of[id(keys)])
    actor_mass = [sum(actor_idf.get(t, 1.0) for t in bag) for bag in actors]
    # _overlaps and _mass_jaccard, inlined below (millions of pairs on a large corpus): day
    # numbers instead of dates, the same float operations in the same order.
    first_day = [None if d is None else d.toordinal() for d in starts]
    last_day = [None if d is None else d.toordinal() for d in ends]
    word_weight, actor_weight = word_idf.get, actor_idf.get
    buckets_of: dict[tuple[date | None, date | None, int], list[str]] = {}
    parent = list(range(n))
    clusters = {i: _Cluster([i], starts[i], ends[i]) for i in range(n)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Every candidate key includes the type, so types never meet: each is paired, scored and
    # joined on its own (the same joins as one global pass; a fraction of the memory).
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, type_i in enumerate(types):
        by_type[type_i].append(i)
    for type_i, rows in by_type.items():
        slack = tolerance[type_i]
        postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in rows:
            # Mentions of one article always meet (an article has a few dozen at most).
            postings[("span", "article", articles[i])].append(i)
            span_key = (starts[i], ends[i], slack)
            buckets = buckets_of.get(span_key)
            if buckets is None:
                buckets = _time_buckets(starts[i], ends[i], slack) or ["undated"]
                if buckets[0] != "undated":
                    buckets.append("undated")  # dated mentions also meet undated ones
                buckets_of[span_key] = buckets
            if buckets[0] != "undated":
                postings[("span", f"{starts[i]}:{ends[i]}")].append(i)
            for bucket in buckets:
                for a in actors[i]:
                    postings[(bucket, "a", a)].append(i)
                for w in rare_words[i]:
                    postings[(bucket, "w", w)].append(i)
        usable = [(key, m) for key, m in postings.items() if 1 < len(m) <= MAX_POSTING]
        del postings
        strong = set(
            chain.from_iterable(combinations(m, 2) for key, m in usable if key[0] == "span")
        )
        shared = Counter(
            chain.from_iterable(combinations(m, 2) for key, m in usable if key[0] != "span")
        )
        del usable
        pairs = strong | {pair for pair, count in shared.items() if count >= 2}
        del shared, strong
        one_per_article = type_i in ONE_PER_ARTICLE
        scored: list[tuple[float, int, int]] = []
        for i, j in pairs:
            same_article = articles[i] == articles[j]
            if same_article and positions[i] == positions[j]:
                continue  # one sentence, two dates: the extractor already told them apart
            a0, a1, b0, b1 = first_day[i], last_day[i], first_day[j], last_day[j]
            if (
                a0 is not None
                and a1 is not None
                and b0 is not None
                and b1 is not None
                and not (a0 <= b1 + slack and b0 <= a1 + slack)
            ):
                continue
            common = words[i] & words[j]
            if common:
                inter = sum(word_weight(t, 1.0) for t in common)
                word_sim = inter / (word_mass[i] + word_mass[j] - inter)
            else:
                word_sim = 0.0
            actors_i, actors_j = actors[i], actors[j]
            common = actors_i & actors_j
            if common:
                inter = sum(actor_weight(t, 1.0) for t in common)
                actor_sim = inter / (actor_mass[i] + actor_mass[j] - inter)
            else:
                actor_sim = 0.0
            # Is it one event? (the rules of the docstring, inlined: millions of pairs)
            both_actors = bool(actors_i) and bool(actors_j)
            shared_actor = bool(common)
            start_i, start_j = starts[i], starts[j]
            if start_i is not None and start_j is not None:
                end_i = ends[i]
                multi_year = (
                    precisions[i] in ("year", "decade")
                    and (start_i, end_i) == (start_j, ends[j])
                    and end_i is not None
                    and end_i.year > start_i.year
                )
                same = (
                    multi_year
                    or shared_actor
                    or (not both_actors and word_sim >= SIM_DATED)
                    or (word_sim >= 2 * SIM_DATED)
                )
            elif same_article and one_per_article:
                same = not both_actors or shared_actor
            elif both_actors:
                same = actor_sim >= ACTORS_UNDATED and word_sim >= SIM_UNDATED_ACTORS
            else:
                same = word_sim >= SIM_UNDATED
            if same:
                scored.append((word_sim + actor_sim, i, j))
        del pairs
        scored.sort(key=lambda item: (-item[0], item[1], item[2]))

        # Single link, most similar first, never joining dated reports that disagree.
        for _, i, j in scored:
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            ci, cj = clusters[ri], clusters[rj]
            joined = _agree(ci, cj, slack)
            if joined is None:
                continue
            parent[rj] = ri
            ci.rows.extend(cj.rows)
            ci.start, ci.end = joined
            del clusters[rj]

    ids = [""] * n
    seen: Counter[str] = Counter()
    for root in sorted(clusters, key=lambda r: min(clusters[r].rows)):
        rows = clusters[root].rows
        if len(rows) == 1:  # most clusters: _cluster_id of one row, from what is known
            cid = _single_cluster_id(types[root], starts[root], precisions[root], actors[root])
            if cid is None:  # no actors: its rarest words (rare_words is sorted the same way)
                what = "~" + ",".join(sorted(rare_words[root][:4]))
                cid = _cluster_key(types[root], _date_key_of(starts[root], precisions[root]), what)
        else:
            cid = _cluster_id(types[root], rows, starts, precisions, actors, words, word_idf)
        seen[cid] += 1
        if seen[cid] > 1:
            cid = f"{cid}-{seen[cid]}"
        for row in rows:
            ids[row] = cid
    return ids


def _time_buckets(start: date | None, end: date | None, tolerance: int) -> list[str]:
    """Weeks (for spans up to two months) and years a dated mention may meet others in."""
    if start is None or end is None:
        return []
    lo, hi = start - timedelta(days=tolerance), end + timedelta(days=tolerance)
    buckets = [f"y{y}" for y in range(lo.year, min(hi.year, lo.year + 30) + 1)]
    if (hi - lo).days <= 62:
        day = lo - timedelta(days=lo.weekday())
        while day <= hi:
            iso = day.isocalendar()
            buckets.append(f"w{iso[0]}-{iso[1]}")
            day += timedelta(days=7)
    return buckets


def _mass_jaccard(
    a: set[str], b: set[str], weight: Mapping[str, float], mass_a: float, mass_b: float
) -> float:
    """IDF-weighted Jaccard with the bags' total weights precomputed."""
    shared = a & b
    if not shared:
        return 0.0
    inter = sum(weight.get(t, 1.0) for t in shared)
    return inter / (mass_a + mass_b - inter)


def _idf(bags: Sequence[set[str]]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for bag in bags:
        counts.update(bag)
    total = len(bags)
    return {key: math.log(1 + total / c) for key, c in counts.items()}


def _overlaps(a0: date | None, a1: date | None, b0: date | None, b1: date | None, tol: int) -> bool:
    if a0 is None or b0 is None or a1 is None or b1 is None:
        return True
    slack = timedelta(days=tol)
    return a0 <= b1 + slack and b0 <= a1 + slack


def _agree(a: _Cluster, b: _Cluster, tolerance: int) -> tuple[date | None, date | None] | None:
    """The joined cluster's agreed date span, or None when the dated reports disagree."""
    if a.start is None or a.end is None:
        return b.start, b.end
    if b.start is None or b.end is None:
        return a.start, a.end
    if not _overlaps(a.start, a.end, b.start, b.end, tolerance):
        return None
    start, end = max(a.start, b.start), min(a.end, b.end)
    # Within the tolerance the spans may not intersect (18 vs 19 June): keep both days.
    return (start, end) if start <= end else (min(a.start, b.start), max(a.end, b.end))


def _tolerance(event_type: str) -> int:
    spec = lex.EVENT_TYPES_BY_ID.get(event_type)
    return spec.tolerance_days if spec else 1


def _cluster_id(
    event_type: str,
    rows: list[int],
    starts: list[date | None],
    precisions: list[str],
    actors: list[set[str]],
    words: list[set[str]],
    word_idf: Mapping[str, float],
) -> str:
    dated = [i for i in rows if starts[i] is not None]
    if dated:
        finest = min(_PREC_RANK.get(precisions[i], 99) for i in dated)
        first = min(
            d
            for i in dated
            if _PREC_RANK.get(precisions[i], 99) == finest
            if (d := starts[i]) is not None
        )
        date_key = f"{first.isoformat()}/{finest}"
    else:
        date_key = "undated"
    counts: Counter[str] = Counter()
    for i in rows:
        counts.update(actors[i])
    core = sorted(a for a, k in counts.items() if 2 * k >= len(rows)) or sorted(counts)[:3]
    if core:
        what = ",".join(core)
    else:
        bag: Counter[str] = Counter()
        for i in rows:
            bag.update(words[i])
        rare = sorted(bag, key=lambda t: (-bag[t] * word_idf.get(t, 0.0), t))[:4]
        what = "~" + ",".join(sorted(rare))
    return _cluster_key(event_type, date_key, what)


def _cluster_key(event_type: str, date_key: str, what: str) -> str:
    key = f"{event_type}|{date_key}|{what}"
    return "evc-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _date_key_of(start: date | None, precision: str) -> str:
    """The date part of a one-row cluster's id (see :func:`_cluster_id`)."""
    if start is None:
        return "undated"
    return f"{start.isoformat()}/{_PREC_RANK.get(precision, 99)}"


def _single_cluster_id(
    event_type: str, start: date | None, precision: str, actors: set[str]
) -> str | None:
    """:func:`_cluster_id` of a one-row cluster with actors (None: it has none)."""
    if not actors:
        return None
    return _cluster_key(event_type, _date_key_of(start, precision), ",".join(sorted(actors)))


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [str(v) for v in value]
    except TypeError:
        return []
