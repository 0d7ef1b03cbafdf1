"""What a figure counts: its unit, read from the words around it where the number stands bare.

Requires: a parsed Doc and the token span of a quantity (``measures`` calls it). Assigns:
nothing; ``unit_of`` returns the unit key (``compare.normalize_unit``) and the words that say
which kind ("cases of torture": torture; "300,000 manufacturing jobs": manufacturing).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from workers.evidence.compare import normalize_unit

PLURAL_TAGS = frozenset({"NNS", "NNPS"})
KIND_IGNORED = frozenset({"more", "other", "many", "several", "such", "few", "total", "about",
                          "number", "figure", "amount", "level", "rate", "share", "new",
                          "overall", "estimated", "average", "annual", "current", "latest"})


def unit_of(tokens: Span, root: Token, unit: str | None) -> tuple[str | None, list[str]]:
    """A figure's unit key and the words that say which kind ("cases of torture": torture).

    A bare number takes the plural noun its clause is about: "Road deaths fell to 312".
    """
    if unit is None:
        whole = _unit_of_whole(tokens)
        if whole is not None:  # "29 of our 60 years": 29 years
            return normalize_unit(whole.lower_), _kind_words(whole)
        counted = _counted_after(tokens)
        if counted is not None:
            return normalize_unit(counted.lower_), _kind_words(counted)
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")
                        and plural(c)), None)
        if subject is None or tokens.root.dep_ not in ("pobj", "dobj", "attr", "npadvmod"):
            return None, []
        return normalize_unit(subject.lower_), _kind_words(subject)
    head = tokens[-1]
    if head.text != unit and not unit.isalpha():
        return normalize_unit(unit), []
    following = _counted_after(tokens) if head.tag_ not in PLURAL_TAGS else None
    if following is not None:  # "300,000 manufacturing jobs" read as 300,000 "manufacturing"
        return normalize_unit(following.lower_), sorted({*_kind_words(following), unit.lower()})
    return normalize_unit(unit), _kind_words(head)


def plural(noun: Token) -> bool:
    """A plural noun, also where the tagger took a capitalised one for singular
    ("Homicides in Fennick fell")."""
    if noun.tag_ in PLURAL_TAGS:
        return True
    word = noun.lower_
    return noun.tag_ in ("NN", "NNP") and word.endswith("s") and not word.endswith(
        ("ss", "us", "is", "ics", "news"))


def _unit_of_whole(tokens: Span) -> Token | None:
    """The noun of "N of our M years": the part is counted in the whole's unit."""
    doc = tokens.doc
    after = doc[tokens.end : min(len(doc), tokens.end + 5)]
    if not len(after) or after[0].lower_ != "of":
        return None
    for token in after[1:]:
        if token.tag_ in PLURAL_TAGS:
            return token
        if not (token.like_num or token.pos_ in ("DET", "PRON", "ADJ")):
            return None
    return None


def _counted_after(tokens: Span) -> Token | None:
    """The plural noun a bare number counts: "214 confirmed measles cases" counts cases."""
    doc = tokens.doc
    for token in doc[tokens.end : min(len(doc), tokens.end + 4)]:
        if token.tag_ in PLURAL_TAGS and token.dep_ != "compound":
            return token
        if token.pos_ not in ("ADJ", "NOUN", "PROPN") and token.tag_ != "VBN":
            return None
    return None


def _kind_words(noun: Token) -> list[str]:
    words = [c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")
             and c.pos_ in ("NOUN", "ADJ", "VERB") and c.lemma_.lower() not in KIND_IGNORED]
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
        words += [g.lemma_.lower() for g in prep.children if g.dep_ == "pobj"
                  and g.pos_ == "NOUN"]
    return sorted(set(words))
