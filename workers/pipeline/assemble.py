"""Assemble: from a parsed Doc to claim records, calling each stage in turn.

requires: a parsed Doc (sentences, tags, entities) and the anchor date. assigns: nothing;
returns ``ClaimRecord`` objects in text order. Each sentence is processed once: its spans are
found once and shared out to the units that contain them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from schemas.claims import ClaimRecord, Span, TextRange
from workers.pipeline.anchoring import absolute_phrase
from workers.pipeline.checkworthiness import CheckworthinessScorer
from workers.pipeline.claim_types import (
    classify,
    is_announcement,
    is_opinion,
    is_unsupported_view,
)
from workers.pipeline.clauses import ClaimUnit, split_units
from workers.pipeline.dates import DateMention, back_references, find_dates
from workers.pipeline.entities import EntityIndex
from workers.pipeline.names import is_dateline, label_of, untagged_actors
from workers.pipeline.quantities import find_quantities
from workers.pipeline.references import (
    ArticleMemory,
    resolve_demonstrative,
    resolve_description,
    resolve_leading_pronoun,
    resolve_measure_owner,
    resolve_owners,
    resolve_places,
    resolve_short_names,
    resolve_speaker,
)
from workers.pipeline.segment import SegmentConfig, candidate_sentences
from workers.pipeline.spans import entity_spans, quote_spans, quote_speaker
from workers.pipeline.statements import build_statement

CHECKABLE = frozenset({"quantity", "date", "entity"})
FIGURES = frozenset({"quantity", "date"})
ANNOUNCED_SCORE = 0.6
# A wire dateline: place in capitals, a date, an optional agency in brackets, a dash.
DATELINE = re.compile(r"[A-Z][A-Z .'-]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*(?:\([^)]{1,40}\))?"
                      r"\s*[-–—]+\s*")
CONTEXT_SENTENCES = 8  # at most this many sentences of this and the previous paragraph
_ATTRIBUTED = frozenset({"attribution", "reported"})
# A label in brackets that says nothing checkable: party and state ("(D-NM)", "(R-Texas)",
# "(Lab, Leeds)") or a stock ticker ("(NYSE: IBM)"); statements leave it out.
BRACKET_LABEL = re.compile(
    r"\s*\((?:[A-Z][A-Za-z.]{0,4}\s?[-–]\s?[A-Z][A-Za-z.]{0,12}(?:[-–]\d{1,2})?"
    r"|(?:Lab|Con|Dem|Rep|Ind|LD|SNP|Green)\.?,\s?[A-Z][A-Za-z .]{1,24}"
    r"|(?:NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX|AMEX|LON|FTSE)\s?:\s?[A-Z][A-Z.]{0,6})\)")


def sentence_spans(sent: SpacySpan, text: str, anchor: date,
                   periods: dict[str, DateMention] | None = None
                   ) -> tuple[list[Span], list[DateMention]]:
    """Every checkable span of one sentence, in text order, and its dates as found
    (``periods``: the month and quarter named last, for "during the month")."""
    quantities = [
        Span(kind="quantity", text=text[q.start : q.end], start=q.start, end=q.end,
             normalized=q.normalized())
        for q in find_quantities(sent)
    ]
    dates = find_dates(sent, anchor)
    if periods is not None:
        dates = sorted(dates + back_references(sent, text, periods, dates),
                       key=lambda d: d.start)
    spans = quantities + [
        Span(kind="date", text=text[d.start : d.end], start=d.start, end=d.end,
             normalized=d.normalized())
        for d in dates
    ]
    spans += entity_spans(sent) + quote_spans(sent)
    return sorted(spans, key=lambda s: (s.start, s.end)), dates


def assemble_claims(doc: Doc, *, anchor: date, scorer: CheckworthinessScorer,
                    segment: SegmentConfig, text: str | None = None) -> list[ClaimRecord]:
    """Claim records of a parsed Doc (``text``: its ``doc.text``, when the caller has it)."""
    claims: list[ClaimRecord] = []
    before: list[SpacySpan] = []  # the previous paragraph's sentences
    current: list[SpacySpan] = []  # this paragraph's sentences so far
    text = doc.text if text is None else text  # rebuilt by spaCy on every access: once
    entities = EntityIndex(doc)  # sentences whose .ents is a look-up, not a walk of the Doc
    # The organisations and places the article has named so far, each once, latest last.
    orgs: dict[str, None] = {}
    places: dict[str, None] = {}
    memory = ArticleMemory()  # named phrases and actions, for descriptions out of sight
    periods: dict[str, DateMention] = {}  # the month and quarter named last
    for sent in map(entities.sentence, candidate_sentences(doc, segment)):
        if current and "\n" in text[current[-1].end_char : sent.start_char]:
            before, current = current, []
        context = [*before, *current][-CONTEXT_SENTENCES:]
        claims.extend(_sentence_claims(sent, text, anchor, scorer, context, orgs.keys(),
                                       places.keys(), memory, periods))
        current.append(sent)
        memory.remember(sent)
        ents = [e for e in sent.ents if not is_dateline(e) and _capitalised(e.text)]
        _remember(orgs, [e.text for e in ents if label_of(e) == "ORG"])
        _remember(orgs, untagged_actors(sent))
        _remember(places, [e.text for e in ents if label_of(e) == "GPE"])
    return claims


def _capitalised(name: str) -> bool:
    """A name has a capital ("the county health department", tagged GPE, is no name)."""
    return any(word[:1].isupper() for word in name.split())


def _remember(names: dict[str, None], new: list[str]) -> None:
    """Add names, moving one named again to the end (the most recent mention is last)."""
    for name in new:
        names.pop(name, None)
        names[name] = None


def _sentence_claims(sent: SpacySpan, text: str, anchor: date, scorer: CheckworthinessScorer,
                     previous: list[SpacySpan], orgs: Collection[str],
                     places: Collection[str],
                     memory: ArticleMemory | None = None,
                     periods: dict[str, DateMention] | None = None) -> list[ClaimRecord]:
    spans, dates = sentence_spans(sent, text, anchor, periods)
    units = split_units(sent)
    scores = unit_scores(sent, units, scorer)
    speaker = quote_speaker(sent) if any(s.kind == "quote" for s in spans) else None
    records = []
    embedded = [u for u in units if u.clause is not None]
    for unit, score in zip(units, scores, strict=True):
        # A relative clause or appositive owns its spans: the unit around it does not repeat
        # them, and its statement leaves the clause out ("The company now runs 140 shops").
        # Its antecedent's figures stay the outer unit's ("$1.1 million, the biggest cheque").
        nested = [] if unit.clause is not None else [
            e for e in embedded if e.clause and unit.start <= e.clause[0]
            and e.clause[1] <= unit.end]
        inside = [s for s in spans if unit.start <= s.start and s.end <= unit.end
                  and not any(e.clause and e.clause[0] <= s.start and s.end <= e.clause[1]
                              for e in nested)
                  and not (unit.clause is not None and s.kind in FIGURES
                           and s.end <= unit.clause[0])]
        checkable = any(s.kind in CHECKABLE for s in inside)
        if unit.kind == "reported" and not checkable:
            continue  # the attribution unit carries what was said
        if not checkable and unit.kind != "attribution" and score < 0.5:
            continue
        record = _record(sent, text, unit, inside, dates, score, previous, orgs, places,
                         speaker=resolve_speaker(sent, unit.speaker or speaker, previous[-2:]),
                         attributed=unit.kind in _ATTRIBUTED,
                         removed=[_removal(text, e, unit) for e in nested], memory=memory)
        if not _says_itself_twice(record.statement):
            records.append(record)
    return records


def _says_itself_twice(statement: str, words: int = 5) -> bool:
    """A rewrite gone wrong on a bad parse: the same five words twice ("One in five of the
    3,100 people ... is roughly one in five of the 3,100 people ...")."""
    tokens = statement.lower().split()
    seen: set[tuple[str, ...]] = set()
    for i in range(len(tokens) - words + 1):
        gram = tuple(tokens[i : i + words])
        if gram in seen:
            return True
        seen.add(gram)
    return False


def unit_scores(sent: SpacySpan, units: list[ClaimUnit],
                scorer: CheckworthinessScorer) -> list[float]:
    """Each unit scored on its own words; an attribution takes the score of what was said.

    An announced decision is check-worthy whatever its words score (``ANNOUNCED_SCORE``).
    """
    doc = sent.doc
    has_reported = any(u.kind == "reported" for u in units)
    scores: list[float | None] = []
    for unit in units:
        if has_reported and unit.kind == "attribution":
            scores.append(None)  # filled in below, no need to score it
            continue
        span = doc.char_span(unit.start, unit.end, alignment_mode="expand") or sent
        score = scorer.score(span)
        scores.append(max(score, ANNOUNCED_SCORE) if is_announcement(span) else score)
    if not has_reported:
        return [s for s in scores if s is not None]
    said = max(s for u, s in zip(units, scores, strict=True)
               if u.kind == "reported" and s is not None)
    return [said if s is None else s for s in scores]


def apply_policy(score: float, types: list[str], spans: list[Span], *,
                 opinion: bool = False) -> float:
    """A prediction without a checkable figure, or an opinion without a figure or date, is
    not a claim (kept below 0.5)."""
    if "prediction" in types and not any(s.kind == "quantity" for s in spans):
        return min(score, 0.45)
    if opinion and not any(s.kind in ("quantity", "date") for s in spans):
        return min(score, 0.45)
    return score


def is_headline(sent: SpacySpan, text: str) -> bool:
    """A line of its own with no closing stop: "Halvorsen reports weak second quarter"."""
    end = sent.end_char
    closed = text[sent.start_char:end].rstrip().rstrip("\"'”’)]").endswith((".", "!", "?", ":"))
    line_ends = end >= len(text) or text[end:end + 200].lstrip(" \t").startswith(("\n", "\r"))
    lead = sent.start_char  # walk back over spaces, not text[:start] (a copy of the article)
    while lead > 0 and text[lead - 1] in " \t":
        lead -= 1
    line_starts = sent.start_char == 0 or (lead > 0 and text[lead - 1] == "\n")
    return not closed and line_ends and line_starts


def _word_before(text: str, start: int) -> str:
    words = text[max(0, start - 24) : start].split()
    return words[-1].strip("(,—–-") if words else ""


def _removal(text: str, inner: ClaimUnit, unit: ClaimUnit) -> tuple[int, int, str]:
    """The edit that leaves an interrupting clause and its commas out of a statement; an
    appositive that is a name stands in for its description instead ("The bill's sponsor,
    Sen. Ana Velasquez, said" -> "Sen. Ana Velasquez said")."""
    assert inner.clause is not None
    start, end = inner.clause
    if end >= unit.end:
        return end, end, ""  # at the unit's end the unit already stops before it
    name = text[start:end]
    while start > 0 and text[start - 1] in " \t([—–-,":
        start -= 1
    while end < unit.end and text[end] in " \t)]—–-,":
        end += 1
    name = name.split(",")[0].strip()  # "Little Lanterns, which runs ...": the name
    if inner.kind == "appositive" and _is_name(name) and unit.start <= inner.start < start:
        return inner.start, end, name + " "
    return start, end, " "


def _is_name(text: str) -> bool:
    """ "Sen. Ana Velasquez", "SITCA": words that are each capitalised (one word needs a
    second capital or to be more than a letter: "Acme", not "A")."""
    words = text.split()
    if len(words) == 1:
        return len(words[0]) > 1 and words[0][:1].isupper() and words[0][1:2].isalpha()
    # a title's small words stay lower-case inside it: "The Gull and the Lantern"
    return len(words) >= 2 and words[-1][:1].isupper() and all(
        w[:1].isupper() or (0 < i < len(words) - 1 and w in TITLE_SMALL_WORDS)
        for i, w in enumerate(words))


# Lower-case words a name or title may hold between its capitalised ones.
TITLE_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "a", "an", "de",
                               "du", "la", "van", "von", "der"})


def _subject_edit(sent: SpacySpan, unit: ClaimUnit, previous: list[SpacySpan],
                  orgs: Collection[str], places: Collection[str],
                  memory: ArticleMemory | None = None) -> tuple[int, int, str] | None:
    """The edit that names the unit's subject, if it needs one."""
    return (resolve_leading_pronoun(sent, unit, previous, orgs, places, memory)
            or resolve_description(sent, unit, previous, orgs, places, memory)
            or resolve_demonstrative(sent, unit, previous)
            or resolve_measure_owner(sent, unit, previous, orgs, memory))


def _shared_subject(sent: SpacySpan, text: str, unit: ClaimUnit, previous: list[SpacySpan],
                    orgs: Collection[str], places: Collection[str],
                    memory: ArticleMemory | None = None) -> str:
    """The subject a conjunct shares with the one before it, named as that one names it."""
    assert unit.shared_subject is not None
    start, end = unit.shared_subject
    probe = replace(unit, start=start, end=end, kind="sentence", shared_subject=None)
    edit = _subject_edit(sent, probe, previous, orgs, places, memory)
    if edit is None or not start <= edit[0] <= edit[1] <= end:
        return text[start:end]
    return text[start:edit[0]] + edit[2] + text[edit[1]:end]


def _record(sent: SpacySpan, text: str, unit: ClaimUnit, spans: list[Span],
            dates: list[DateMention], score: float, previous: list[SpacySpan],
            orgs: Collection[str], places: Collection[str], *,
            speaker: str | None, attributed: bool,
            removed: list[tuple[int, int, str]],
            memory: ArticleMemory | None = None) -> ClaimRecord:
    tokens = [t for t in sent if unit.start <= t.idx < unit.end]
    # Clauses left out first (outermost wins), then absolute dates, then a named subject.
    dateline = DATELINE.match(text, unit.start, unit.end)
    if dateline is not None:  # "OSLO, March 3 (Wire) - ": where it was filed, not the claim
        removed = [*removed, (unit.start, dateline.end(), "")]
    removed = [*removed, *((m.start(), m.end(), "") for m in
                           BRACKET_LABEL.finditer(text, unit.start, unit.end))]
    removals = sorted((r for r in removed if r[0] < r[1]), key=lambda r: (r[0], -r[1]))
    edits: list[tuple[int, int, str] | None] = [*removals]
    if not is_headline(sent, text):  # a headline's wording stays as it is
        edits += [(d.start, d.end, absolute_phrase(text[d.start : d.end], d,
                                                   after=_word_before(text, d.start)))
                  for d in dates if d.relative and unit.start <= d.start and d.end <= unit.end]
    edits.append(_subject_edit(sent, unit, previous, orgs, places, memory))
    if unit.shared_subject is not None:  # "... and plans to reach 600": who plans
        edits.append((unit.start, unit.start,
                      _shared_subject(sent, text, unit, previous, orgs, places, memory) + " "))
    edits += resolve_places(sent, unit, previous, orgs, places, memory)  # "cost the county 92p"
    edits += resolve_owners(sent, unit, previous, orgs, memory)  # "of the chain's revenue"
    edits += resolve_short_names(sent, unit, memory)  # "Rovers" after "Halbury Rovers"
    replacements: list[tuple[int, int, str]] = []
    for edit in edits:
        if edit is not None and not any(r[0] < edit[1] and edit[0] < r[1]
                                        or r[0] == r[1] == edit[0] for r in replacements):
            replacements.append(edit)
    types = classify(tokens, spans, attributed=attributed)
    return ClaimRecord(
        text=text[unit.start : unit.end], start=unit.start, end=unit.end,
        statement=build_statement(text, unit, replacements=replacements),
        sentence=TextRange(start=sent.start_char, end=sent.end_char),
        checkworthiness=round(apply_policy(score, types, spans, opinion=is_opinion(tokens)
                                           or is_unsupported_view(tokens, spans)), 4),
        types=types,  # type: ignore[arg-type]
        spans=spans, speaker=speaker if attributed or speaker else None,
    )
