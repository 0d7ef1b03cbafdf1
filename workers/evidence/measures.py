"""What each figure of a parsed text measures: unit, the words around it, its time and role.

Requires: a parsed Doc and its spans from ``passages.parse_spans`` (quantities and dates with
character offsets into the Doc). Assigns: extra keys on those span dicts, JSON-safe so that
they are cached with them:

- a quantity gets ``unit_key`` (its unit, or the unit of the figure it is elliptical for:
  "1.6 million containers in 2021, 1.9 million in 2022") and ``kinds`` ("cases of torture"),
  ``nouns`` (lemmas of its clause: what is counted), ``names`` (entity names of its clause, else of
  its sentence), ``time`` (the date it is a figure for, or None) and ``role``: ``current``,
  ``earlier`` ("up from 1.6 million", "compared with eight"), ``target`` ("plans to reach
  4,000", "will hire 300") or ``change`` ("rose 5 percent", "doubled");
- a date gets ``role``: ``time`` (the time of a figure), ``reference`` ("since 1998"),
  ``report`` (when something was said or published: "a report released on Tuesday") or
  ``event`` (when the claimed thing happened), with the ``verbs`` and ``nouns`` of its clause.

``MEASURES_VERSION`` is stored on every span, so spans cached by an older version are parsed
again rather than read without these keys.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span, Token

from workers.evidence.changes import derived_changes, factor_figures
from workers.evidence.units import unit_of

MEASURES_VERSION = 1
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl"})
NAME_LABELS = frozenset({"ORG", "GPE", "PERSON", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "LAW"})
MODALS = frozenset({"will", "would", "could", "may", "might", "shall", "should"})
TARGET_VERBS = frozenset({"plan", "aim", "expect", "target", "forecast", "project", "hope",
                          "intend", "want", "seek", "pledge", "promise", "aspire", "predict",
                          "commit", "vow", "propose"})
TARGET_NOUNS = frozenset({"target", "goal", "aim", "forecast", "projection", "plan", "pledge",
                          "promise", "ambition", "prediction"})
CHANGE_VERBS = frozenset({"rise", "fall", "increase", "decrease", "grow", "drop", "climb",
                          "jump", "surge", "decline", "slide", "cut", "raise", "lower", "shrink",
                          "soar", "plunge", "slip", "gain", "lose", "reduce", "boost", "expand",
                          "contract", "dip", "tumble", "rebound"})
CHANGE_NOUNS = frozenset({"raise", "increase", "rise", "cut", "drop", "fall", "decline", "growth",
                          "reduction", "hike", "jump", "gain", "loss", "decrease", "surge"})
REPORT_VERBS = frozenset({"say", "report", "release", "publish", "announce", "tell", "state",
                          "write", "add", "issue", "unveil", "post", "present", "confirm"})
REPORT_NOUNS = frozenset({"report", "statement", "survey", "study", "release", "announcement",
                          "data", "figure", "analysis", "briefing", "interview", "bulletin"})
DIFFERENCE_WORDS = frozenset({"more", "fewer", "less", "higher", "lower", "extra",
                              "additional"})
REFERENCE_WORDS = frozenset({"since", "until", "till", "before", "after"})
_EARLIER = re.compile(r"\b(?:from|compared (?:with|to)|versus|vs\.?|against|than|previous"
                      r"|prior|earlier|last)\s*(?:about |around |nearly |almost |just )?$")
_WHOLE = re.compile(r"(?:\d\s+(?:out\s+)?of\s+(?:our|the|its|their|his|her|a|an|all)?|\bper)\s*$")
_TARGET_BEFORE = re.compile(r"\b(?:to reach|target of|goal of|aim of|to hit|to get to"
                            r"|to raise it to|to bring it to)\s*$")


def annotate(doc: Doc, spans: list[dict[str, Any]], anchor: date | None = None
             ) -> list[dict[str, Any]]:
    """The spans with the keys of the module docstring, plus figures for "doubled" and for the
    change between an earlier and a later figure ("from 41,000 in 2022 to 78,000 in 2023")."""
    added: list[dict[str, Any]] = []
    asked: dict[str, Any] | None = None
    for sent in doc.sents:
        inside = [s for s in spans if sent.start_char <= s["start"] < sent.end_char]
        added += _annotate_sentence(doc, sent, inside, anchor)
        if asked is not None:
            _answer(inside, asked)
        asked = _question(sent, inside)
    result = sorted(spans + added, key=lambda s: (s["start"], s["end"]))
    for span in result:
        span["measures"] = MEASURES_VERSION
    return result


def annotated(spans: Sequence[dict[str, Any]] | None) -> bool:
    """True when spans carry this version's measure keys (every quantity and date has them)."""
    if spans is None:
        return False
    return all(s.get("measures") == MEASURES_VERSION for s in spans
               if s.get("kind") in ("quantity", "date"))


def _tokens(doc: Doc, span: dict[str, Any]) -> Span | None:
    return doc.char_span(span["start"], span["end"], alignment_mode="expand")


def clause_root(token: Token) -> Token:
    """The verb (or sentence root) heading the clause a token is in."""
    while token.dep_ not in CLAUSE_DEPS or (token.dep_ != "ROOT"
                                             and token.pos_ not in ("VERB", "AUX")):
        if token.head is token:
            break
        token = token.head
    return token


def _clause_tokens(root: Token) -> list[Token]:
    return [t for t in root.subtree if clause_root(t).i == root.i]


def _has_subject(root: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
               for c in root.children)


def _noun_between(doc: Doc, previous: dict[str, Any], tokens: Span, covered: set[int]) -> bool:
    """True when a noun stands between two figures: the second one counts something else."""
    last = _tokens(doc, previous)
    start = last[-1].i + 1 if last is not None and len(last) else tokens[0].i
    return any(t.pos_ in ("NOUN", "PROPN") and t.i not in covered
               for t in doc[start : tokens[0].i])


def _annotate_sentence(doc: Doc, sent: Span, spans: list[dict[str, Any]],
                       anchor: date | None) -> list[dict[str, Any]]:
    figures = [s for s in spans if s["kind"] == "quantity"]
    dates = [s for s in spans if s["kind"] == "date"]
    names = [s for s in spans if s["kind"] == "entity" and s.get("label") in NAME_LABELS]
    covered = {t.i for s in figures + dates for t in (_tokens(doc, s) or [])}
    question = sent.text.rstrip().endswith("?")
    for date_span in dates:
        _date_role(doc, date_span)
        if question:
            date_span["role"] = "question"
    factors = factor_figures(sent, covered)
    figures = sorted(figures + factors, key=lambda f: f["start"])
    previous: dict[str, Any] | None = None
    for index, figure in enumerate(figures):
        tokens = _tokens(doc, figure)
        if tokens is None or not len(tokens):
            continue
        root = clause_root(tokens.root)
        clause = _clause_tokens(root)
        nouns = [t.lemma_.lower() for t in clause if t.pos_ in ("NOUN", "PROPN")
                 and t.i not in covered and t.ent_type_ not in NAME_LABELS]
        if root.dep_ in ("acl", "relcl") and root.head.pos_ in ("NOUN", "PROPN"):
            nouns.append(root.head.lemma_.lower())  # "a population exceeding 200 million"
        unit = figure["normalized"].get("unit")
        elliptical = unit is None and previous is not None and previous.get("unit_key") and (
            not _noun_between(doc, previous, tokens, covered)) and (
            previous["_root"] == root.i or not _has_subject(root))
        if elliptical and previous is not None:
            figure["unit_key"] = previous["unit_key"]
            figure["kinds"] = previous["kinds"]
            nouns += previous["nouns"]
        else:
            figure["unit_key"], figure["kinds"] = unit_of(tokens, root, unit)
        if figure["unit_key"] and figure["unit_key"].isalpha() and len(figure["unit_key"]) > 3:
            nouns.insert(0, figure["unit_key"])
        later = figures[index + 1]["start"] if index + 1 < len(figures) else sent.end_char
        figure["nouns"] = list(dict.fromkeys(nouns))  # in text order
        figure["names"] = _names(names, clause) or sorted({n["text"] for n in names})
        figure["time"] = _time_of(figure, dates, later, previous)
        figure["role"] = "question" if question else figure.get("role") or _role(
            doc, tokens, root, figure)
        figure["_root"] = root.i
        if anchor is not None and figure["time"] is None and _present(root):
            figure["now"] = anchor.isoformat()
        previous = figure
    _share_trailing_times(figures)
    derived = derived_changes(figures)
    since = next((d["normalized"] for d in dates if d["text"].lower().startswith("since")
                  or doc.text[:d["start"]].rstrip().lower().endswith("since")), None)
    for figure in figures:
        figure.pop("_root", None)
    if since is not None:
        for factor in factors:
            factor["base"] = since
    return factors + derived


def _question(sent: Span, spans: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What a question asks about, for the figures of the answer after it; None otherwise."""
    if not sent.text.rstrip().endswith("?"):
        return None
    dates = [s["normalized"] for s in spans if s["kind"] == "date"]
    return {"nouns": [t.lemma_.lower() for t in sent if t.pos_ in ("NOUN", "PROPN")
                      and t.ent_type_ not in NAME_LABELS],
            "names": sorted({s["text"] for s in spans if s["kind"] == "entity"
                             and s.get("label") in NAME_LABELS}),
            "time": dict(dates[0], text=dates[0]["value"]) if len(dates) == 1 else None}


def _answer(spans: list[dict[str, Any]], asked: dict[str, Any]) -> None:
    """"What was Nigeria's population in 2020? 206 million.": the answer's figures are about
    what the question asks (a question's own figures assert nothing)."""
    for figure in (s for s in spans if s["kind"] == "quantity" and "nouns" in s):
        figure["nouns"] = list(dict.fromkeys(figure["nouns"] + asked["nouns"]))
        figure["names"] = figure["names"] or asked["names"]
        if figure.get("time") is None and asked["time"] is not None:
            figure["time"] = asked["time"]
            figure.pop("now", None)


def _present(root: Token) -> bool:
    """True for a clause in the present ("has", "carries", "has fallen"): a figure for now."""
    tags = [root.tag_] + [c.tag_ for c in root.children if c.dep_ in ("aux", "auxpass")]
    return tags[-1] in ("VBZ", "VBP") if len(tags) > 1 else root.tag_ in ("VBZ", "VBP")


def _share_trailing_times(figures: list[dict[str, Any]]) -> None:
    """"940 burglaries and 1,240 vehicle thefts in 2023": the date belongs to both."""
    for index, figure in enumerate(figures):
        if figure.get("time") is not None or "_root" not in figure:
            continue
        later = next((f for f in figures[index + 1:] if f.get("_root") == figure["_root"]), None)
        if later is not None and later.get("time") and later.get("role") == figure.get("role"):
            figure["time"] = later["time"]
            figure.pop("now", None)


def _names(names: list[dict[str, Any]], clause: list[Token]) -> list[str]:
    positions = {t.idx for t in clause}
    return sorted({n["text"] for n in names if n["start"] in positions})


def _date_role(doc: Doc, date: dict[str, Any]) -> None:
    tokens = _tokens(doc, date)
    if tokens is None or not len(tokens):
        date.update(role="event", verbs=[], nouns=[])
        return
    first = tokens[0]
    before = doc[first.i - 1].lower_ if first.i > 0 else ""
    root = clause_root(tokens.root)
    clause = _clause_tokens(root)
    head = tokens.root.head
    counts = any(t.like_num and t.i not in range(tokens.start, tokens.end) for t in clause)
    reported = (root.lemma_.lower() in REPORT_VERBS and not counts) or any(
        t.lemma_.lower() in REPORT_NOUNS for t in (head, head.head))
    if first.lower_ in REFERENCE_WORDS or before in REFERENCE_WORDS:
        role = "reference"
    elif reported:
        role = "report"
    else:
        role = "event"
    date.update(role=role, verbs=sorted({t.lemma_.lower() for t in clause if t.pos_ == "VERB"}),
                nouns=sorted({t.lemma_.lower() for t in clause if t.pos_ == "NOUN"}))


def _time_of(figure: dict[str, Any], dates: list[dict[str, Any]], later: int,
             previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """The date right after the figure (before the next one), else the one just before it."""
    for when in dates:
        if figure["end"] <= when["start"] < later and when["role"] in ("event", "time"):
            when["role"] = "time"
            return dict(when["normalized"], text=when["text"])
    floor = previous["end"] if previous else -1
    for when in reversed(dates):
        if floor <= when["start"] < figure["start"] and when["role"] in ("event", "time"):
            when["role"] = "time"
            return dict(when["normalized"], text=when["text"])
    return None


def _role(doc: Doc, tokens: Span, root: Token, figure: dict[str, Any]) -> str:
    start = tokens[0].i
    window = doc[max(tokens.sent.start, start - 4) : start].text.lower()
    if _EARLIER.search(window):
        return "earlier"
    if _WHOLE.search(window):
        return "whole"  # "29 of our 60 years": 60 is the whole, not the claimed figure
    after = doc[tokens[-1].i + 1 : tokens[-1].i + 3]
    number = next((t.i for t in tokens if t.like_num), tokens[0].i)
    if any(t.lower_ in DIFFERENCE_WORDS for t in doc[number + 1 : tokens[-1].i + 1]) or any(
            t.lower_ in DIFFERENCE_WORDS for t in after[:1]) or (
            len(after) > 1 and after[1].lower_ == "than" and after[0].lower_ in DIFFERENCE_WORDS):
        return "change"  # "100,000 more cases than", "twice as many"
    if _TARGET_BEFORE.search(window):
        return "target"
    lemma = root.lemma_.lower()
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in root.children) or (
        lemma in TARGET_VERBS or (root.dep_ == "xcomp" and root.head.lemma_.lower()
                                  in TARGET_VERBS)):
        return "target"
    if any(t.lemma_.lower() in TARGET_NOUNS for t in doc[max(tokens.sent.start, start - 3):start]):
        return "target"
    time = figure.get("time")
    past = root.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in root.children
                                             if c.dep_ == "aux")
    if time and str(time.get("text", "")).lower().startswith("by ") and not past:
        return "target"  # "4,000 by 2028"; "had built 2 billion by 2021" is a past status
    before = doc[start - 1].lower_ if start > tokens.sent.start else ""
    if figure["unit_key"] in ("%", "pp", "times") and lemma in CHANGE_VERBS and before != "to":
        return "change"
    if figure["unit_key"] in ("%", "pp") and tokens.root.head.lemma_.lower() in CHANGE_NOUNS:
        return "change"  # "a 67% pay raise"
    return "current"


