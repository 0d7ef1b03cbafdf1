"""Clause splitter stage: cut one parsed sentence into claim units.

Requires: a spaCy ``Span`` for one sentence of a Doc parsed with a dependency parser
(``token.dep_``, ``token.head``, ``token.lemma_``, ``token.pos_``).
Assigns: nothing on the Doc; returns ``ClaimUnit`` records (char offsets into ``doc.text``).

Decisions:

- Every unit is one contiguous span, trimmed of edge spaces, commas, dashes, stops and
  unbalanced quotes or brackets, so ``doc.text[unit.start:unit.end]`` is the unit's text.
- Relative clause (``who``/``which``/``that`` as subject, or ``whose``): one "relative"
  unit from the start of the antecedent noun phrase to the end of the clause
  ("Arvind Krishna, who took over the chief executive role in April", subject
  "Arvind Krishna"), as the claim record shows claims; if something other than punctuation
  sits between the antecedent and the pronoun, the unit starts at the pronoun. Clauses whose
  pronoun is an object ("the report which the ministry published") are not split out, nor are
  restrictive ones (no comma, dash or bracket before the pronoun, and an antecedent that is
  not a name: "any use which does not respect privacy" says nothing about any use).
- Appositive: one "appositive" unit from the antecedent to the end of the appositive
  ("Arvind Krishna, IBM's chief executive since 2020", subject "Arvind Krishna"). A label in
  brackets with no describing word ("Sen. Ana Ruiz (D-NM)", "(NYSE: IBM)") is not a unit;
  nor is the label of "called the bill "a giveaway"", a name split at a slash ("41P/Okonski"),
  a measure in counted parts ("2 hours, 19 minutes and 40 seconds"), or an event counted
  with a possessive ("a penalty from Sam Ode, his 14th goal": no "Sam Ode is his goal"),
  or a name right after its common noun with nothing between ("fined budget carrier
  Flycrest Air C$2.6 million": the carrier's name, not "Budget carrier is Flycrest Air").
- "Y, X said" where the parse hangs the speaker X on Y: the noun phrase before "said" (with
  the title or name set off beside it) is the speaker; appositives that run from Y into the
  speaker are dropped.
- A comma splice is not one whose second subject is set off by commas ("Clean Water Comes
  First, a British charity, has flown in ..." is one clause about a name).
- Reported speech ("X said (that) Y", "Y, X said", "according to X, Y"): an "attribution"
  unit over the whole sentence and a "reported" unit over Y (without "that"), both with
  speaker X. If Y is itself coordinated, each conjunct is its own "reported" unit. If Y is not
  contiguous (an "according to" phrase mid-sentence), only the attribution unit is returned.
- Coordinated independent clauses (each conjunct has its own subject): one "coordinated"
  unit per conjunct and no sentence unit.
- Otherwise one unit for the sentence: kind "main" when relative clauses or appositives at the
  end of the sentence can be cut off leaving a shorter contiguous main clause, else "sentence"
  (also when the main clause is interrupted by a relative clause).
- ``root`` is the clause head: the relative/reported/conjunct verb, the appositive noun, the
  speech verb for "X said", the main verb for "according to" and sentence units.
- No unit starts or ends inside a name: a unit that cuts an entity of its sentence
  (``token.ent_iob``) is widened to the entity's first and last word (not onto punctuation
  the NER put at its edge), never across a line break or the sentence edge.
- Units come back in text order (by start, longer first); identical spans are kept once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from workers.pipeline.boundaries import LINE_BREAKS

# Verbs of saying. Their subject is the speaker of reported speech and, in
# ``spans.quote_speaker``, of a quote ("...," Krishna said).
SAY_LEMMAS = frozenset(
    "say tell add announce claim state report note argue insist warn write explain declare".split()
)
# Verbs that introduce reported speech ("X said (that) Y", "the report found that Y"): the verbs
# of saying and verbs of stance or finding. Quotes keep to SAY_LEMMAS: "A photograph shows a
# "..." sign" names no speaker.
SPEECH_LEMMAS = SAY_LEMMAS | frozenset(
    "estimate predict confirm stress acknowledge admit reveal maintain allege contend assert "
    "suggest show find".split()
)
# Verbs that frame another clause ("..., I think"): a clause before them is not spliced on.
FRAME_LEMMAS = SPEECH_LEMMAS | frozenset(
    "think believe know hope fear expect doubt guess suppose feel reckon understand hear mean "
    "see agree bet wish worry remember realize realise assume imagine".split()
)
# Verbs that characterise rather than report ("called the plan "a giveaway"").
CHARACTERISE_LEMMAS = frozenset({"call", "describe", "label", "dub", "brand", "term", "hail",
                                 "praise", "criticise", "criticize", "condemn", "welcome"})
FIGURE_LABELS = frozenset({"DATE", "MONEY", "PERCENT", "CARDINAL", "QUANTITY"})
SUBJECT_RELATIVES = frozenset({"who", "which", "that"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "NUM"})
LEFT_NP_DEPS = frozenset({"det", "compound", "amod", "poss", "nummod", "quantmod", "nmod",
                          "predet", "case", "flat"})
RIGHT_NP_DEPS = frozenset({"prep", "compound", "flat", "nummod", "case", "cc", "conj"})
LEAD_STRIP = frozenset({",", ";", ":", ".", "-", "–", "—"})
TRAIL_STRIP = frozenset({",", ";", ":", ".", "-", "–", "—", "…", "..."})
OPENERS = {"(": ")", "[": "]", "“": "”", "‘": "’", "«": "»"}
PLACE_LABELS = frozenset({"GPE", "LOC"})
TIME_LABELS = frozenset({"DATE", "TIME"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their"})
# Units a measure may be written in several counted parts of ("2 hours, 19 minutes").
MEASURE_UNITS = frozenset(
    "year month week day hour minute second foot feet inch pound ounce stone yard mile "
    "metre meter centimetre centimeter".split())
SEPARATORS = frozenset({",", "(", "[", "-", "–", "—", ";"})
CLOSERS = {close: open_ for open_, close in OPENERS.items()}
KIND_ORDER = {"attribution": 0, "sentence": 1, "main": 1, "relative": 2, "appositive": 2,
              "coordinated": 3, "reported": 3}


@dataclass(frozen=True, slots=True)
class ClaimUnit:
    """One checkable piece of a sentence, as a contiguous character span of the Doc text."""

    start: int
    end: int
    kind: str
    subject: str | None
    speaker: str | None
    root: int
    clause: tuple[int, int] | None = None  # relative/appositive: the clause after its subject
    # a conjunct that shares the subject of the one before it: that subject's char range
    shared_subject: tuple[int, int] | None = None


def split_units(sent: Span) -> list[ClaimUnit]:
    """Split one parsed sentence into claim units, in text order."""
    doc = sent.doc
    whole = _trim(doc, sent.start, sent.end)
    if whole is None:
        return []
    units, cut = _embedded_units(sent)
    wrapped = _wrapped_speech(sent)
    if wrapped is not None:  # the opinion around it is no claim: only what was said is
        said_by, said_lo, said_hi, said = wrapped
        units.extend(_clause_units(doc, said_lo, said_hi, said, "reported", said_by))
        return _ordered(_whole_names(sent, units))
    speech = _reported_speech(sent)
    if speech is not None:
        speaker, lo, hi, head = speech
        # an appositive running from what was said into the speaker is a parse slip ("46
        # million pounds, nearly twice the estimate, the minister, Jo Ames, said")
        lo_c, hi_c = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]) if hi > lo else doc[lo].idx
        units = [u for u in units if not (lo_c <= u.start < hi_c < u.end)]
        units.append(_unit(doc, whole, "attribution", sent.root.i, speaker=speaker))
        if head is not None:
            units.extend(_clause_units(doc, lo, hi, head, "reported", speaker))
    else:
        parts = _clause_units(doc, whole[0], whole[1], sent.root, "coordinated", None)
        if len(parts) > 1:
            units.extend(parts)
        else:
            units.append(_main_unit(doc, whole, cut, sent.root.i))
    return _ordered(_whole_names(sent, units))


def _unit(doc: Doc, rng: tuple[int, int], kind: str, root: int, *,
          subject: str | None = None, speaker: str | None = None) -> ClaimUnit:
    """Build a unit from a trimmed token range [i, j)."""
    start, end = _chars(doc, rng)
    return ClaimUnit(start=start, end=end, kind=kind, subject=subject, speaker=speaker, root=root)


def _chars(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    """Character offsets of a token range [i, j)."""
    last = doc[rng[1] - 1]
    return doc[rng[0]].idx, last.idx + len(last.text)


def _text(doc: Doc, rng: tuple[int, int]) -> str:
    """Doc text covered by a token range (doc.text itself is rebuilt on every access)."""
    return doc[rng[0]:rng[1]].text


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int] | None:
    """Shrink [i, j) past edge spaces, separators and unbalanced quotes; None if nothing is left."""
    while True:
        i0, j0 = i, j
        while i < j and (doc[i].is_space or doc[i].text in LEAD_STRIP):
            i += 1
        while i < j and (doc[j - 1].is_space or doc[j - 1].text in TRAIL_STRIP
                         or doc[j - 1].dep_ == "cc"):
            j -= 1
        if i < j and _unbalanced(doc, i, j, i):
            i += 1
        if i < j and _unbalanced(doc, i, j, j - 1):
            j -= 1
        if (i, j) == (i0, j0):
            break
    if not any(not (doc[k].is_punct or doc[k].is_space) for k in range(i, j)):
        return None
    return i, j


def _unbalanced(doc: Doc, i: int, j: int, k: int) -> bool:
    """True if the quote or bracket at token k has no partner inside [i, j)."""
    text = doc[k].text
    if text == '"':
        return sum(1 for t in range(i, j) if doc[t].text == '"') % 2 == 1
    if text in OPENERS and k == i:
        return all(doc[t].text != OPENERS[text] for t in range(k + 1, j))
    if text in CLOSERS and k == j - 1:
        return all(doc[t].text != CLOSERS[text] for t in range(i, k))
    return False


def _noun_phrase(tok: Token, limit: int) -> tuple[int, int]:
    """Token range of the plain noun phrase headed by tok (no clauses), ending before limit."""
    i = tok.i
    for child in reversed(list(tok.lefts)):
        if child.dep_ not in LEFT_NP_DEPS or child.right_edge.i != i - 1:
            break
        i = child.left_edge.i
    j = tok.i + 1
    for child in tok.rights:
        if (child.dep_ not in RIGHT_NP_DEPS or child.left_edge.i != j
                or child.right_edge.i >= limit):
            break
        j = child.right_edge.i + 1
    return i, min(j, limit)


def _only_punct(doc: Doc, i: int, j: int) -> bool:
    """True if every token in [i, j) is punctuation or space."""
    return all(doc[k].is_punct or doc[k].is_space for k in range(i, j))


def _embedded_units(sent: Span) -> tuple[list[ClaimUnit], list[tuple[int, int]]]:
    """Relative-clause and appositive units, and the token ranges they cut from the main clause."""
    units: list[ClaimUnit] = []
    cut: list[tuple[int, int]] = []
    for tok in sent:
        if tok.dep_ == "relcl":
            found = _relative(sent, tok)
        elif tok.dep_ == "appos":
            found = _appositive(sent, tok)
        else:
            continue
        if found is not None:
            units.append(found[0])
            cut.append(found[1])
    return units, cut


def _relative(sent: Span, verb: Token) -> tuple[ClaimUnit, tuple[int, int]] | None:
    """A relative-clause unit for a relcl verb whose pronoun is its subject (or "whose")."""
    doc, ant = sent.doc, verb.head
    first = doc[verb.left_edge.i]
    is_subject = (first.lower_ in SUBJECT_RELATIVES and first.dep_ in SUBJECT_DEPS
                  and first.head.i == verb.i) or first.lower_ == "whose"
    if ant.pos_ not in NOMINAL_POS or ant.i >= first.i or not is_subject:
        return None
    if _restrictive(doc, ant, first):
        return None
    found = _with_antecedent(sent, ant, first.i, verb.right_edge.i + 1, "relative", verb.i)
    name = _given_name(ant, first.i)
    if found is None or name is None:
        return found
    unit, cut = found
    return replace(unit, subject=name), cut


def _given_name(ant: Token, limit: int) -> str | None:
    """The name a common noun is given before its relative clause ("a charity named X")."""
    for child in ant.children:
        if child.dep_ == "acl" and child.lemma_ in ("name", "call") and child.i < limit:
            for name in child.children:
                if name.dep_ in ("oprd", "attr", "dobj") and name.pos_ == "PROPN":
                    return ant.doc[name.left_edge.i : name.right_edge.i + 1].text
    return None


def _restrictive(doc: Doc, ant: Token, pronoun: Token) -> bool:
    """A defining relative clause: no separator before the pronoun, and no name before it.

    "a charity named Brightwater that runs 30 shelters" is about Brightwater (a name), so it
    is kept; "any use which does not respect privacy" narrows "any use" and asserts nothing.
    """
    separated = pronoun.i > 0 and doc[pronoun.i - 1].text in SEPARATORS
    named = (ant.pos_ == "PROPN" and ant.text[:1].isupper()
             or _given_name(ant, pronoun.i) is not None)
    return not separated and not named and pronoun.lower_ != "whose"


def _appositive(sent: Span, noun: Token) -> tuple[ClaimUnit, tuple[int, int]] | None:
    """An appositive unit: the antecedent noun phrase and the appositive after it."""
    ant = noun.head
    if ant.pos_ not in NOMINAL_POS or noun.left_edge.i <= ant.i:
        return None
    if _bracketed_label(sent.doc, noun):
        return None
    if ant.ent_type_ in PLACE_LABELS and noun.ent_type_ in PLACE_LABELS:
        return None  # "Pellworth, Indiana" locates a place; it asserts nothing
    if ant.pos_ == "NUM" or noun.pos_ == "NUM":
        return None  # "51 (about four in five)", "practices, 51": a figure restated or a parse slip
    if ant.ent_type_ in TIME_LABELS:
        return None  # "fell to 4.1 percent in July, the lowest rate since 2008" ranks the
        # figure; "July is the lowest rate since 2008" would be a claim the article never made
    if ant.dep_ in ("dobj", "oprd") and ant.head.lemma_.lower() in CHARACTERISE_LEMMAS:
        return None  # "called the bill "a manual written by lawyers"": a label, not a fact
    if _glued(sent.doc, ant.i, noun.left_edge.i):
        return None  # "41P/Okonski", "Smith-Jones": one name the tokenizer split
    if noun.left_edge.i == ant.i + 1 and noun.pos_ == "PROPN" and ant.pos_ == "NOUN":
        return None  # "fined budget carrier Flycrest Air": the noun's name, set off by nothing
    if _counted_unit(ant) and _counted_unit(noun):
        return None  # "2 hours, 19 minutes and 40 seconds", "6 feet, 2 inches": one measure
    if any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in noun.children) and any(
            t.ent_type_ == "ORDINAL" for t in noun.subtree):
        return None  # "a penalty from Sam Ode, his 14th goal": counts an event, not him
    end = noun.right_edge.i + 1
    if end < sent.end and sent.doc[end].text in CLOSERS:
        end += 1
    return _with_antecedent(sent, ant, noun.left_edge.i, end, "appositive", noun.i)


def _glued(doc: Doc, i: int, j: int) -> bool:
    """True if no space separates tokens i..j (one written word split into pieces)."""
    return i < j and all(doc[k].whitespace_ == "" for k in range(i, j))


def _counted_unit(tok: Token) -> bool:
    """A unit of measure counted by a number ("19 minutes", "2 inches")."""
    return tok.lemma_.lower() in MEASURE_UNITS and any(
        c.dep_ == "nummod" and c.like_num for c in tok.children)


def _bracketed_label(doc: Doc, noun: Token) -> bool:
    """An appositive in brackets that only labels ("(D-NM)", "(NYSE: IBM)"), describing nothing."""
    lo = noun.left_edge.i
    while lo >= 0 and doc[lo].text not in OPENERS:  # the bracket the appositive stands in
        if doc[lo].text in CLOSERS or doc[lo].is_sent_start and lo < noun.left_edge.i:
            return False
        lo -= 1
    if lo < 0:
        return False
    hi = noun.right_edge.i + 1
    while hi < len(doc) and doc[hi].text not in CLOSERS and not doc[hi].is_sent_start:
        hi += 1
    return not any(t.is_alpha and t.is_lower and len(t) > 2 for t in doc[lo + 1 : hi])


def _with_antecedent(sent: Span, ant: Token, lo: int, hi: int, kind: str,
                     root: int) -> tuple[ClaimUnit, tuple[int, int]] | None:
    """Unit from the antecedent's noun phrase (if only punctuation separates it) to hi."""
    doc = sent.doc
    np_lo, np_hi = _noun_phrase(ant, lo)
    np_lo, hi = max(np_lo, sent.start), min(hi, sent.end)
    subject_rng = _trim(doc, np_lo, np_hi)
    if subject_rng is None:
        return None
    start = np_lo if _only_punct(doc, np_hi, lo) else lo
    rng = _trim(doc, start, hi)
    if rng is None or (kind == "appositive" and start == lo):
        return None
    unit = _unit(doc, rng, kind, root, subject=_text(doc, subject_rng))
    clause = _trim(doc, lo, hi)
    if clause is not None:
        unit = replace(unit, clause=_chars(doc, clause))
    return unit, (lo, hi)


def _reported_speech(sent: Span) -> tuple[str, int, int, Token | None] | None:
    """(speaker, start, end, clause head) of reported speech in the sentence, if any."""
    doc, root = sent.doc, sent.root
    if root.lemma_.lower() in SPEECH_LEMMAS:
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        comp = next((c for c in root.children if c.dep_ == "ccomp"), None)
        if subj is not None and comp is not None:
            lo, hi = comp.left_edge.i, comp.right_edge.i + 1
            if lo <= root.i < hi:
                return None
            while lo < hi and doc[lo].dep_ == "mark" and doc[lo].head.i == comp.i:
                lo += 1
            return _speaker(sent, subj), lo, hi, comp
    return _according_to(sent) or _trailing_speaker(sent)


def _trailing_speaker(sent: Span) -> tuple[str, int, int, Token | None] | None:
    """ "Y, X said." parsed with no subject for "said" (X hung on Y as an appositive): the
    speaker is the noun phrase before the verb, with the title or name set off beside it
    ("the transport minister, Jo Ames"); what was said runs from the start to the speaker."""
    doc, root = sent.doc, sent.root
    if root.lemma_.lower() not in SAY_LEMMAS or any(c.dep_ in SUBJECT_DEPS for c in root.children):
        return None
    if not _only_punct(doc, root.i + 1, sent.end):
        return None
    k = root.i - 1
    while k > sent.start and (doc[k].is_punct or doc[k].is_space):
        k -= 1
    last = doc[k]
    if k <= sent.start or last.pos_ not in ("NOUN", "PROPN") or doc[k + 1].text != ",":
        return None
    if last.dep_ == "compound" or last.head.i > k:
        return None
    lo = _noun_phrase(last, root.i)[0]
    head = last.head
    if (last.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN") and head.i < lo
            and (last.ent_type_ in ("PERSON", "ORG") or head.ent_type_ in ("PERSON", "ORG"))):
        h_lo, h_hi = _noun_phrase(head, lo)
        if _only_punct(doc, h_hi, lo) and not _has_figure(doc, (h_lo, h_hi)) and not any(
                doc[m].dep_ == "nummod" for m in range(h_lo, h_hi)):
            lo = h_lo
    rng = _trim(doc, sent.start, lo)
    speaker = _trim(doc, lo, root.i)
    if rng is None or speaker is None or doc[lo - 1].text != ",":
        return None
    comp = next((c for c in root.children if c.dep_ == "ccomp"
                 and rng[0] <= c.i < rng[1]), None)
    return _text(doc, speaker), rng[0], rng[1], comp


def _wrapped_speech(sent: Span) -> tuple[str, int, int, Token] | None:
    """Speech inside an opinion wrapper: "X called the growth "remarkable" and said (that) Y"
    gives (speaker X, start and end of Y, Y's head); None for any other sentence."""
    root = sent.root
    if root.lemma_.lower() not in CHARACTERISE_LEMMAS:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    said = next((c for c in root.children if c.dep_ == "conj" and c.i > root.i
                 and c.lemma_.lower() in SPEECH_LEMMAS
                 and not any(g.dep_ in SUBJECT_DEPS for g in c.children)), None)
    comp = None if said is None else next(
        (c for c in said.children if c.dep_ == "ccomp" and c.i > said.i), None)
    if subj is None or comp is None:
        return None
    lo, hi = comp.left_edge.i, comp.right_edge.i + 1
    while lo < hi and sent.doc[lo].dep_ == "mark" and sent.doc[lo].head.i == comp.i:
        lo += 1
    return _speaker(sent, subj), lo, hi, comp


def _speaker(sent: Span, tok: Token) -> str:
    """Text of the speaker's noun phrase."""
    rng = _noun_phrase(tok, sent.end)
    trimmed = _trim(sent.doc, *rng) or (tok.i, tok.i + 1)
    return _text(sent.doc, trimmed)


def _according_to(sent: Span) -> tuple[str, int, int, Token | None] | None:
    """Speaker and reported range for an "according to X" phrase."""
    for tok in sent:
        if tok.lower_ != "according":
            continue
        prep = next((c for c in tok.rights if c.lower_ == "to"), None)
        obj = None if prep is None else next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None:
            return None
        lo, hi = tok.left_edge.i, tok.right_edge.i + 1
        rest = (hi, sent.end) if _only_punct(sent.doc, sent.start, lo) else (sent.start, lo)
        contiguous = _only_punct(sent.doc, sent.start, lo) or _only_punct(sent.doc, hi, sent.end)
        head = sent.root if contiguous and not lo <= sent.root.i < hi else None
        return _speaker(sent, obj), rest[0], rest[1], head
    return None


def _clause_units(doc: Doc, lo: int, hi: int, head: Token, kind: str,
                  speaker: str | None) -> list[ClaimUnit]:
    """One unit per independent conjunct of head within [lo, hi), or one unit for the range."""
    heads = sorted(_conjuncts(head), key=lambda t: t.i)
    bounds = [lo]
    for before, tok in zip(heads, heads[1:], strict=False):
        # a head whose subtree holds the clause before it (a comma splice) starts after that
        start = tok.left_edge.i
        bounds.append(before.right_edge.i + 1 if start <= before.i else start)
    bounds.append(hi)
    ranges = [_trim(doc, a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
    ordered = all(a < b for a, b in zip(bounds, bounds[1:], strict=False))
    if len(heads) > 1 and ordered and all(r is not None for r in ranges):
        return [_unit(doc, r, kind, t.i, speaker=speaker)
                for r, t in zip(ranges, heads, strict=True) if r is not None]
    whole = _trim(doc, lo, hi)
    if whole is None:
        return []
    shared = _shared_subject_units(doc, whole, head, kind, speaker)
    if shared:
        return shared
    return [_unit(doc, whole, "reported" if kind == "reported" else "sentence", head.i,
                  speaker=speaker)]


def _shared_subject_units(doc: Doc, whole: tuple[int, int], head: Token, kind: str,
                          speaker: str | None) -> list[ClaimUnit]:
    """Two facts under one subject ("Ardwell Hospital hired 420 nurses in 2023 and plans to
    reach 600 by 2026"): one unit per verb when each holds a figure and the second verb
    ends the range; the second unit carries the subject it shares (``shared_subject``)."""
    lo, hi = whole
    subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    conj = next((c for c in head.children if c.dep_ == "conj" and c.i > head.i
                 and c.pos_ in ("VERB", "AUX")
                 and not any(g.dep_ in SUBJECT_DEPS for g in c.children)), None)
    if subj is None or conj is None:
        return []
    if not (lo <= subj.left_edge.i and subj.i < head.i < conj.left_edge.i < hi):
        return []
    if not _only_punct(doc, conj.right_edge.i + 1, hi) or not any(
            doc[k].dep_ == "cc" for k in range(head.i + 1, conj.left_edge.i)):
        return []
    first = _trim(doc, lo, conj.left_edge.i)
    second = _trim(doc, conj.left_edge.i, hi)
    if first is None or second is None or not (_has_figure(doc, first)
                                                and _has_figure(doc, second)):
        return []
    subject = _trim(doc, *_noun_phrase(subj, head.i))
    if subject is None:
        return []
    kind = "reported" if kind == "reported" else "coordinated"
    return [_unit(doc, first, kind, head.i, speaker=speaker),
            replace(_unit(doc, second, kind, conj.i, subject=_text(doc, subject),
                          speaker=speaker), shared_subject=_chars(doc, subject))]


def _has_figure(doc: Doc, rng: tuple[int, int]) -> bool:
    """Whether a token range holds a number or a date."""
    return any(doc[k].like_num or doc[k].ent_type_ in FIGURE_LABELS for k in range(*rng))


def _conjuncts(head: Token) -> list[Token]:
    """head and the heads of independent clauses joined to it (by a conjunction or a comma)."""
    found = [head]
    for child in head.children:
        if not any(c.dep_ in SUBJECT_DEPS for c in child.children):
            continue
        if child.dep_ == "conj" or _is_spliced(head, child):
            found.extend(_conjuncts(child))
    return found


def _is_spliced(head: Token, child: Token) -> bool:
    """A clause before head, joined by a comma alone ("Sales rose 5%, profits fell 2%").

    spaCy parses the first clause of a comma splice as a ccomp of the second verb.
    """
    if child.dep_ != "ccomp" or child.i > head.i or head.lemma_.lower() in FRAME_LEMMAS:
        return False
    subj = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
    edge = -1 if subj is None else subj.right_edge.i
    if (subj is not None and child.i < subj.i < head.i and edge < head.i
            and "," in (head.doc[edge].text, head.doc[edge + 1].text)
            and head.doc[subj.left_edge.i].lower_ in ("a", "an", "the")):
        return False  # "Clean Water Comes First, a British charity, has flown in": a name
    after = child.right_edge.i + 1
    return after < head.i and head.doc[after].text in (",", ";")


def _main_unit(doc: Doc, whole: tuple[int, int], cut: list[tuple[int, int]],
               root: int) -> ClaimUnit:
    """The main clause without trailing relative clauses/appositives, else the sentence."""
    if cut and doc[root].pos_ in ("VERB", "AUX"):
        first = min(lo for lo, _ in cut)
        tail_cut = all(
            doc[k].is_punct or doc[k].is_space or any(lo <= k < hi for lo, hi in cut)
            for k in range(first, whole[1])
        )
        main = _trim(doc, whole[0], first) if tail_cut else None
        if main is not None and main != whole and main[0] <= root < main[1]:
            return _unit(doc, main, "main", root)
    return _unit(doc, whole, "sentence", root)


def _whole_names(sent: Span, units: list[ClaimUnit]) -> list[ClaimUnit]:
    """Units widened so that none starts or ends inside an entity (a name cut in two)."""
    doc = sent.doc
    if not any(t.ent_iob == 1 for t in sent):  # 1: inside an entity, after its first token
        return units
    first = {t.idx: t.i for t in sent}
    last = {t.idx + len(t): t.i for t in sent}
    widened = []
    for unit in units:
        i, j = first.get(unit.start), last.get(unit.end)
        if i is None or j is None:
            widened.append(unit)
            continue
        k = i
        while k > sent.start and doc[k].ent_iob == 1 and not _line_break(doc[k - 1]):
            k -= 1
            i = i if doc[k].is_space or doc[k].is_punct else k
        k = j
        while k + 1 < sent.end and doc[k + 1].ent_iob == 1 and not _line_break(doc[k + 1]):
            k += 1
            j = j if doc[k].is_space or doc[k].is_punct else k
        start, end = _chars(doc, (i, j + 1))
        if (start, end) != (unit.start, unit.end):
            clause = unit.clause
            if clause is not None and clause[1] == unit.end:
                clause = (clause[0], end)
            unit = replace(unit, start=start, end=end, clause=clause)
        widened.append(unit)
    return widened


def _line_break(tok: Token) -> bool:
    return tok.is_space and not LINE_BREAKS.isdisjoint(tok.text)


def _ordered(units: list[ClaimUnit]) -> list[ClaimUnit]:
    """Sort units by position (longer first) and keep one unit per span."""
    units.sort(key=lambda u: (u.start, -u.end, KIND_ORDER.get(u.kind, 9)))
    kept: list[ClaimUnit] = []
    for unit in units:
        if kept and (kept[-1].start, kept[-1].end) == (unit.start, unit.end):
            if kept[-1].kind in ("sentence", "main"):
                kept[-1] = unit
            continue
        kept.append(unit)
    return kept
