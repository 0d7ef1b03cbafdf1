"""Sentence boundaries set before the parser: the ``claimdesk_sentences`` component.

requires: tokens only (it runs first in ``load_nlp``). assigns: ``token.is_sent_start`` on
every token, True or False; spaCy's parser keeps boundaries set before it, so names whose
words read like a clause ("Doctors Without Borders say", "Save the Children found") are no
longer cut, and ``doc.sents`` follows these rules:

- A line break always ends a sentence: a headline, a dateline line, a list item or a
  paragraph without a full stop is its own sentence. The whitespace (``"\\n\\n"`` is a token
  of its own) stays at the end of the sentence before it; the next word starts one.
- ``.``, ``!``, ``?`` or ``…`` (a run of them, with the closing quotes and brackets attached
  after them) followed by white space ends a sentence when the next token can open one (not a
  lower-case word, not ``,;:)``). A quoted sentence followed by its speech tag stays one
  sentence: ``"... record," she said.`` (lower case) and ``"Why?" Ruiz asked.`` (a speech verb
  within the next few words).
- Abbreviations, whether the tokenizer keeps the period (``Sen.``, ``U.S.``, ``Inc.``) or
  splits it off (``etc`` ``.``, ``Tex`` ``.``; ``load_nlp`` keeps ``No.``, ``Lt.``, ``Col.``
  and the other titles whole, see ``keep_abbreviations_whole``):

  - titles before a name (``Mr.``, ``Sen.``, ``Rep.``, ``Gov.``, ``Dr.``, ``Gen.``, ``Lt.``
    ...), ``vs.``, ``e.g.``, ``i.e.``, ``approx.`` never end a sentence;
  - ``No.``, ``Nos.``, ``Fig.``, ``Vol.``, ``pp.`` do not before a number ("No. 5");
  - ``U.S.`` and other dotted acronyms (``U.K.``, ``a.m.``, ``D.C.``), initials (``J.``),
    company suffixes (``Inc.``, ``Corp.``, ``Ltd.``, ``Co.``), ``Jr.``, ``St.``, ``etc.``,
    months, weekdays and US state abbreviations (``Calif.``, ``Mo.``) end a sentence only
    before a usual sentence opener ("moved to the U.S. The firm ..."), so wire datelines
    ("ST. LOUIS, Mo. (AP) - The ...", "OSLO, Jan. 3 (Wire) - The ...") stay whole.

The same rules, character-level, split evidence passages in ``service/store/passages.py``.
One pass over the tokens, bounded look-ahead, boundaries written with one ``Doc.from_array``
(``Token.is_sent_start``'s setter scans the whole Doc on every call).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

SENTENCE_COMPONENT = "claimdesk_sentences"

LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # as str.splitlines
TERMINALS = frozenset(".!?…")
CLOSERS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
QUOTES = frozenset({'"', "'", "”", "’", "»"})
OPENING = frozenset({'"', "'", "“", "‘", "(", "[", "«"})
NO_OPEN = frozenset(",;:)]}”’»%.!?…")

# Titles before a name: never end a sentence (compared lower-cased, written capitalised).
TITLES = frozenset(
    "mr mrs ms mx dr prof sen sens rep reps gov gen lt col sgt capt cmdr adm maj brig cpl pvt "
    "rev hon pres supt det insp atty messrs mme mlle fr".split()
)
# Written in lower case, never end a sentence.
NEVER_FINAL = frozenset("vs v e.g i.e cf approx incl esp viz resp".split())
# Before a number they are not sentence ends ("No. 5", "pp. 3-4").
NUMBERED = frozenset("no nos fig figs vol vols pp p".split())
# Capitalised abbreviations that end a sentence before a usual opener ("Acme Inc. The firm").
CAPITAL_FINAL = frozenset(
    "inc ltd co corp cos plc llc llp bros jr sr st mt ft ave rd blvd dept univ assn "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo "
    "mont neb nev okla ore pa tenn tex va vt wash wis wyo".split()
)
LOWER_FINAL = frozenset("etc al".split())
# Words that usually open a sentence: after an abbreviation that may end one, they decide.
OPENERS = frozenset(
    "the a an it its he she they we i you in on at but and or this that these those there his "
    "her their our my your after before when while if as for however meanwhile yet so also then "
    "now since despite although though because under with by from according last earlier later "
    "some many most both all each what why how who officials".split()
)
# Speech verbs of a tag after a quote ('"Why?" Ruiz asked.'): no sentence end before the tag.
SPEECH_TAGS = frozenset(
    "said says asked asks told tells added adds wrote writes replied replies explained noted "
    "insisted warned shouted recalled argued admitted".split()
)
TAG_WINDOW = 5


class Stop(Enum):
    """What the word before a period says about the period."""

    NEVER = "never"  # an abbreviation inside a sentence ("Sen.", "vs.")
    NUMBERED = "numbered"  # not an end before a number ("No. 5")
    OPENER = "opener"  # an end only before a usual sentence opener ("U.S.", "Inc.")
    PLAIN = "plain"  # a full stop


def classify_period(word: str, *, never: frozenset[str] = frozenset()) -> Stop:
    """The kind of stop a period after ``word`` (the word without its period) makes."""
    if not word or not word[0].isalpha():
        return Stop.PLAIN
    lower = word.lower()
    if lower in never or lower in NEVER_FINAL:
        return Stop.NEVER
    if "." in word:
        return Stop.OPENER  # U.S, a.m, D.C, Ph.D
    if len(word) == 1:
        if word == "p":
            return Stop.NUMBERED
        return Stop.OPENER if word.isupper() else Stop.PLAIN  # an initial
    if word[0].isupper():
        if lower in TITLES:
            return Stop.NEVER
        if lower in CAPITAL_FINAL:
            return Stop.OPENER
    if lower in NUMBERED:
        return Stop.NUMBERED
    if lower in LOWER_FINAL:
        return Stop.OPENER
    return Stop.PLAIN


def sentence_starts(words: Sequence[str], spaced: Sequence[bool], *,
                    never: frozenset[str] = frozenset()) -> list[bool]:
    """For each token (its text, and whether a space follows it): does it start a sentence?"""
    n = len(words)
    starts = [False] * n
    if n:
        starts[0] = True
    pending = False
    i = 0
    while i < n:
        word = words[i]
        if word.isspace():
            pending = pending or not LINE_BREAKS.isdisjoint(word)
            i += 1
            continue
        if pending:
            starts[i], pending = True, False
        end = _sentence_end(words, spaced, i, never)
        if end is None:
            i += 1
        else:
            pending, i = True, end
    return starts


def _stop_kind(words: Sequence[str], spaced: Sequence[bool], i: int,
               never: frozenset[str]) -> Stop | None:
    """The stop token i makes, or None if it is no sentence-final punctuation."""
    word = words[i]
    if all(c in TERMINALS for c in word):
        if word == "." and i > 0 and not spaced[i - 1]:
            return classify_period(words[i - 1], never=never)  # "No" "." as split by spaCy
        return Stop.PLAIN
    if word.endswith(".") and word[0].isalpha():
        kind = classify_period(word[:-1], never=never)
        return Stop.OPENER if kind is Stop.PLAIN else kind  # a tokenizer exception: "Calif."
    return None


def _sentence_end(words: Sequence[str], spaced: Sequence[bool], i: int,
                  never: frozenset[str]) -> int | None:
    """Index just past the sentence-final run at token i if a sentence ends there, else None."""
    kind = _stop_kind(words, spaced, i, never)
    if kind is None or kind is Stop.NEVER:
        return None
    n, j, quoted = len(words), i + 1, False
    while j < n and not spaced[j - 1] and (words[j] in CLOSERS
                                           or all(c in TERMINALS for c in words[j])):
        quoted = quoted or words[j] in QUOTES
        j += 1
    if j >= n or not (spaced[j - 1] or words[j].isspace()):
        return None  # the end of the text, or no space after: "U.S.-based", "end.The"
    k = j
    while k < n and words[k].isspace():
        k += 1
    if k >= n:
        return None
    following = words[k]
    if kind is Stop.NUMBERED and following[0].isdigit():
        return None
    if kind is Stop.OPENER:
        if following in OPENING and k + 1 < n:
            following = words[k + 1]
        return j if following[0].isupper() and following.lower() in OPENERS else None
    if following[0].islower() or following[0] in NO_OPEN:
        return None
    if quoted and _speech_tag(words, k):
        return None
    return j


def _speech_tag(words: Sequence[str], k: int) -> bool:
    """True if a speech verb follows within a few words from k, before any punctuation."""
    for word in words[k : k + TAG_WINDOW]:
        if word.lower() in SPEECH_TAGS:
            return True
        if not word[0].isalnum():
            return False
    return False


class SentenceBoundaries:
    """The ``claimdesk_sentences`` component: rule-based sentence starts on every token."""

    def __init__(self, *, abbreviations: Iterable[str] = ()) -> None:
        self.never = frozenset(a.lower().rstrip(".") for a in abbreviations)

    def __call__(self, doc: Doc) -> Doc:
        starts = self.predict(doc)
        self.set_annotations(doc, starts)
        return doc

    def predict(self, doc: Doc) -> list[bool]:
        words = [t.text for t in doc]
        spaced = [bool(t.whitespace_) for t in doc]
        return sentence_starts(words, spaced, never=self.never)

    def set_annotations(self, doc: Doc, starts: list[bool]) -> None:
        if not starts:
            return
        values: Any = numpy.array([1 if s else -1 for s in starts], dtype=numpy.int64)
        doc.from_array([SENT_START], values.astype(numpy.uint64))  # -1 wraps, as spaCy stores it


def make_sentence_boundaries(nlp: Language, name: str,
                             abbreviations: list[str]) -> SentenceBoundaries:
    """Factory of ``claimdesk_sentences``; ``abbreviations`` adds words that never end one."""
    return SentenceBoundaries(abbreviations=abbreviations)


def register_components() -> None:
    """Register claimdesk's spaCy factories (once; calling again does nothing)."""
    if not Language.has_factory(SENTENCE_COMPONENT):
        Language.factory(SENTENCE_COMPONENT, default_config={"abbreviations": []},
                         requires=[], assigns=["token.is_sent_start"],
                         func=make_sentence_boundaries)


def add_sentence_boundaries(nlp: Language) -> Language:
    """Put ``claimdesk_sentences`` first in ``nlp``, before the parser (once), and keep the
    abbreviations that never end a sentence whole in its tokenizer."""
    register_components()
    keep_abbreviations_whole(nlp)
    if SENTENCE_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(SENTENCE_COMPONENT, first=True)
    return nlp


def keep_abbreviations_whole(nlp: Language) -> None:
    """One token for "No.", "Lt.", "Col." ... as spaCy already has for "Sen.", "Dr.", "Inc.".

    spaCy's tokenizer splits the period off some titles and "No.", and the parser then reads the
    lone "." as a word ("the world No . 3"). Only capitalised titles and numbering words are
    added: they never end a sentence, while "etc." or "Tex." may and keep spaCy's split.
    """
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return  # a custom tokenizer has no special cases
    for word in sorted(TITLES | (NUMBERED - {"p", "pp"})):
        form = word.capitalize() + "."
        tokenizer.add_special_case(form, [{ORTH: form}])
