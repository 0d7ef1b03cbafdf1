"""Figures of change: "doubled", "nearly tripled", and the change between two given figures.

Requires: a parsed sentence and its quantity spans, annotated by ``measures`` (``unit_key``,
``role``, ``time``). Assigns: nothing; returns new quantity span dicts with ``unit`` "times"
and ``role`` "change", so that "nearly doubled" in a claim meets "rose from 41,000 in 2022 to
78,000 in 2023" in a source (a factor of 1.90). A derived change has the time of its later
figure and, as ``base``, the time of its earlier one.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

FACTOR_VERBS = {"double": 2.0, "triple": 3.0, "treble": 3.0, "quadruple": 4.0, "halve": 0.5}
NEAR_WORDS = frozenset({"nearly", "almost", "roughly", "about", "around"})


def factor_figures(sent: Span, covered: set[int]) -> list[dict[str, Any]]:
    """Figures for "doubled", "nearly tripled", "halved": a change by a factor."""
    found = []
    for token in sent:
        factor = FACTOR_VERBS.get(token.lemma_.lower())
        if factor is None or token.pos_ != "VERB" or token.i in covered:
            continue
        near = next((c.lower_ for c in token.children
                     if c.dep_ == "advmod" and c.lower_ in NEAR_WORDS), None)
        comparator = "<" if near in ("nearly", "almost") else "~" if near else "="
        text = f"{near} {token.text}" if near else token.text
        found.append({"kind": "quantity", "text": text, "start": token.idx,
                      "end": token.idx + len(token.text), "role": "change",
                      "normalized": {"value": factor, "upper": None, "unit": "times",
                                     "comparator": comparator}})
    return found


def derived_changes(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The factor between an earlier figure and the current one it is paired with."""
    found = []
    for earlier in figures:
        if earlier.get("role") != "earlier" or not earlier.get("unit_key"):
            continue
        later = next((f for f in figures if f is not earlier and f.get("role") == "current"
                      and f.get("unit_key") == earlier["unit_key"]
                      and f.get("_root") == earlier.get("_root")), None)
        before, after = earlier["normalized"].get("value"), (later or {}).get(
            "normalized", {}).get("value")
        if later is None or not before or after is None or before <= 0:
            continue
        ratio = after / before
        first, second = sorted((earlier, later), key=lambda f: f["start"])
        found.append({
            "kind": "quantity", "text": f"{ratio:.2f} times ({earlier['text']} to "
                                        f"{later['text']})",
            "start": first["start"], "end": second["end"], "derived": True,
            "normalized": {"value": round(ratio, 4), "upper": None, "unit": "times",
                           "comparator": "="},
            "unit_key": "times", "kinds": [], "role": "change", "nouns": later.get("nouns", []),
            "names": later.get("names", []),
            "time": later.get("time"), "base": earlier.get("time"),
        })
    return found
