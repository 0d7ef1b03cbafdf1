"""Vote tallies: "voted 5-4", "a 52-48 vote", "passed 7 to 2", "by 320 votes to 250".

Requires: a parsed spaCy Doc (token text, lower_, lemma_, pos_, tag_, whitespace_).
Assigns: nothing; ``read_tally`` returns the sides of a tally as character spans, which
quantities.py reports as quantities.

A tally is reported as two quantity spans, one per side, each with unit "votes": "voted
5-4" gives "5" (value 5) and "4" (value 4), in the order written. A claim's ``normalized``
holds one float ``value``, and ``upper`` means a range, so neither "5-4" nor value 5 with
upper 4 would say what the article says; two spans can each be checked against a source.
A pair of whole numbers is a tally only beside a vote word: a voting verb or "vote" before
it in the same clause ("voted", "passed the bill", "ruled", "by a vote of"), or a vote noun
right after it ("a 52-48 vote", "a 5-4 decision"). Sport scores ("won 3-1", "beat them
2-0"), years ("2019-2020"), pairs that count something else ("passed 3 to 4 cars") and
numbers glued into longer codes ("555-123-4567") are not tallies.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from workers.pipeline.numtables import (
    HYPHENS,
    PERCENT_WORDS,
    SCALES,
    TALLY_TOKEN_RE,
    VOTE_NOUNS_AFTER,
    VOTE_NOUNS_BEFORE,
    VOTE_VERBS,
)
from workers.pipeline.numwords import is_year_like

VOTE_REACH = 6  # tokens searched back from a tally for its voting verb
Side = tuple[int, int, float]  # start char, end char, votes


@dataclass(frozen=True, slots=True)
class Tally:
    """The two sides of a vote tally and the token index after it."""

    sides: tuple[Side, Side]
    end: int


def read_tally(doc: Doc, i: int, hi: int) -> Tally | None:
    """Read a vote tally starting at token i, or return None."""
    pair = _read_pair(doc, i, hi)
    if pair is None or _glued_to_more(doc, i, pair.end, hi) or _counts_other(doc, pair.end, hi):
        return None
    if any(is_year_like(str(int(side[2]))) for side in pair.sides):
        return None
    after = pair.end < hi and doc[pair.end].lower_ in VOTE_NOUNS_AFTER
    return pair if after or _vote_before(doc, i) else None


def _read_pair(doc: Doc, i: int, hi: int) -> Tally | None:
    """Read "5-4" (one token or three), "7 to 2" or "320 votes to 250" at token i."""
    tok = doc[i]
    match = TALLY_TOKEN_RE.match(tok.text)
    if match is not None:
        first = (tok.idx + match.start(1), tok.idx + match.end(1), float(match.group(1)))
        second = (tok.idx + match.start(2), tok.idx + match.end(2), float(match.group(2)))
        return Tally((first, second), i + 1)
    if not _whole(tok.text):
        return None
    k = i + 1
    if k < hi and doc[k].lower_ == "votes":
        k += 1
    if k + 1 >= hi:
        return None
    glued = k == i + 1 and doc[k].text in HYPHENS and not (tok.whitespace_ or doc[k].whitespace_)
    if not (glued or doc[k].lower_ == "to") or not _whole(doc[k + 1].text):
        return None
    last = doc[k - 1]
    first = (tok.idx, last.idx + len(last.text), float(tok.text))
    other = doc[k + 1]
    second = (other.idx, other.idx + len(other.text), float(other.text))
    return Tally((first, second), k + 2)


def _whole(text: str) -> bool:
    """Say whether a token is a plain count of votes ("5", "219"; not "05" or "3.5")."""
    return text.isdigit() and len(text) <= 6 and (text == "0" or text[0] != "0")


def _glued_to_more(doc: Doc, i: int, end: int, hi: int) -> bool:
    """Say whether the pair is part of a longer code ("555-123-4567", "3-5-year")."""
    before = i >= 1 and doc[i - 1].text in HYPHENS and not doc[i - 1].whitespace_
    after = end < hi and doc[end].text in HYPHENS and not doc[end - 1].whitespace_
    return before or after


def _counts_other(doc: Doc, end: int, hi: int) -> bool:
    """Say whether the pair counts something else ("3 to 4 cars", "3-5 million")."""
    for m in range(end, min(end + 2, hi)):
        tok = doc[m]
        if tok.lower_ in VOTE_NOUNS_AFTER:
            return False
        if tok.pos_ == "NOUN" or tok.lower_ in SCALES or tok.lower_ in PERCENT_WORDS:
            return True
        if tok.pos_ != "ADJ":
            return False
    return False


def _vote_before(doc: Doc, i: int) -> bool:
    """Say whether the clause before token i votes ("voted", "passed the bill", "a vote of")."""
    for m in range(i - 1, max(i - 1 - VOTE_REACH, -1), -1):
        tok = doc[m]
        if tok.is_punct:
            return False
        if tok.lemma_.lower() in VOTE_NOUNS_BEFORE and tok.pos_ in ("NOUN", "PROPN"):
            return True
        if tok.pos_ == "VERB":
            return tok.lemma_.lower() in VOTE_VERBS
    return False
