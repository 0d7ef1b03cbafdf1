"""Cut a source's text into passages of a few sentences, keeping offsets.

Pure and regex-based: the service never loads the spaCy pipeline. Sentences end at ``.``,
``!``, ``?`` or ``…`` (closing quotes and brackets included) followed by white space and a
character that can open a sentence; common abbreviations (``Mr.``, ``U.S.``, ``Jan.``) and
initials do not end one, except that ``U.S.``, ``Inc.`` and the like do before a usual sentence
opener ("moved to the U.S. The firm"). Blank lines end paragraphs, and a passage never spans
two. A passage holds up to ``max_sentences`` sentences and ``max_chars`` characters; a
sentence longer than that is cut at white space. Every piece satisfies
``text[start:end] == piece.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s+(\S))")
_LAST_WORD = re.compile(r"([^\W\d_][\w.]*)\.$")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft no nos vs etc e.g i.e u.s u.k u.n u.s.a inc ltd co corp "
    "gov gen col lt sgt rep sen jan feb mar apr jun jul aug sep sept oct nov dec approx est "
    "fig al dept univ".split()
)

# Abbreviations that also end sentences ("moved to the U.S. The firm ..."): they end one when
# the next word is a usual sentence opener.
_FINAL_ABBREVIATIONS = frozenset("u.s u.k u.n u.s.a inc ltd co corp etc".split())
_OPENERS = frozenset(
    "the a an it its he she they we i in on at but and this that these those there his her "
    "their our its after before when while if as for however meanwhile yet so".split()
)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


@dataclass(frozen=True)
class TextPiece:
    """A range of a text and the characters in it."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[TextPiece]:
    """Sentences of ``text``, stripped of surrounding white space, in order."""
    pieces: list[TextPiece] = []
    for para_start, para_end in _paragraphs(text):
        start = para_start
        for match in _SENTENCE_END.finditer(text, para_start, para_end):
            if _is_boundary(text, match):
                pieces.append(_piece(text, start, match.end()))
                start = match.end()
        pieces.append(_piece(text, start, para_end))
    return [p for p in pieces if p.text]


def split_passages(text: str, *, max_sentences: int = 3, max_chars: int = 600) -> list[TextPiece]:
    """Passages of up to ``max_sentences`` sentences and ``max_chars`` characters."""
    passages: list[TextPiece] = []
    group: list[TextPiece] = []
    for sentence in _short_sentences(text, max_chars):
        if group and (
            len(group) == max_sentences
            or sentence.end - group[0].start > max_chars
            or _paragraph_between(text, group[-1].end, sentence.start)
        ):
            passages.append(_piece(text, group[0].start, group[-1].end))
            group = []
        group.append(sentence)
    if group:
        passages.append(_piece(text, group[0].start, group[-1].end))
    return passages


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _paragraph_between(text: str, end: int, start: int) -> bool:
    return _PARAGRAPH_BREAK.search(text, end, start) is not None


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    following = match.group(1)
    if following.islower() or following in ",;:)":
        return False
    if text[match.start()] != "." or match.end() - match.start() > 1:
        return True
    word = _LAST_WORD.search(text, max(0, match.start() - 20), match.end())
    if word is None:
        return True
    token = word.group(1).lower()
    single_initial = len(token) == 1 and word.group(1).isupper()
    if token in _FINAL_ABBREVIATIONS:
        following_word = _NEXT_WORD.match(text, match.end())
        return following_word is not None and following_word.group(1).lower() in _OPENERS
    return not (single_initial or token in _ABBREVIATIONS)


def _short_sentences(text: str, max_chars: int) -> Iterator[TextPiece]:
    for sentence in split_sentences(text):
        start = sentence.start
        while sentence.end - start > max_chars:
            cut = text.rfind(" ", start + 1, start + max_chars)
            cut = cut if cut > start else start + max_chars
            yield _piece(text, start, cut)
            start = cut
        yield _piece(text, start, sentence.end)


def _piece(text: str, start: int, end: int) -> TextPiece:
    """The range ``start:end`` with white space trimmed from both ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return TextPiece(start, end, text[start:end])
