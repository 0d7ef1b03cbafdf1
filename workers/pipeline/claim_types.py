"""Claim types after Full Fact's typology, from the unit's spans and words.

requires: the unit's tokens (tagger, lemmatizer, parser, NER) and its spans. assigns: a sorted
list of ``quantity``, ``temporal``, ``comparison``, ``causal``, ``prediction``,
``attribution``, ``law_rule``; ``other`` when none applies.

An announced decision, commitment or policy of a named organisation or person ("Telenord will
no longer sell ...", "the council plans to cut 400 jobs", "we have decided to close") is not a
``prediction``: whether it was announced is checkable (``is_announcement``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Token

from schemas.claims import Span

_CAUSAL = frozenset({"cause", "because", "lead", "result", "due", "blame", "trigger", "drive",
                     "thank", "attribute", "contribute", "responsible", "consequence"})
_PREDICT = frozenset({"forecast", "predict", "project", "expect", "will", "anticipate",
                      "estimate", "likely"})
_LAW = frozenset({"law", "illegal", "legal", "ban", "bill", "act", "regulation", "rule",
                  "constitution", "statute", "court", "require", "mandate", "prohibit", "unlawful"})
_COMPARE = frozenset({"compare", "double", "triple", "halve", "outpace", "exceed", "surpass",
                      "record", "than", "versus"})
_HOUSEHOLD = frozenset({"heating", "energy", "electricity", "electric", "gas", "water", "phone",
                        "utility", "medical", "hospital", "grocery", "food", "power", "fuel"})
_ORDER = ("quantity", "temporal", "comparison", "causal", "prediction", "attribution", "law_rule")
# Verbs that put a decision into words: "plans to cut", "has decided to close".
_DECIDE = frozenset({"plan", "decide", "intend", "pledge", "vow", "promise", "commit", "agree",
                     "resolve", "opt", "choose", "announce", "aim", "propose", "vote"})
# What organisations decide to do ("will stop selling", "will close two plants").
_ACTIONS = frozenset({
    "stop", "cease", "end", "sell", "close", "shut", "cut", "raise", "lower", "ban", "launch",
    "open", "hire", "invest", "spend", "build", "introduce", "scrap", "withdraw", "suspend",
    "resume", "require", "offer", "pay", "fund", "increase", "reduce", "freeze", "expand",
    "move", "drop", "phase", "create", "buy", "acquire", "merge", "appoint", "publish",
    "release", "lay", "eliminate", "discontinue", "halt", "pause", "relocate", "sue", "recall",
    "run", "operate", "restart", "reopen", "return", "start", "begin", "add", "deliver",
    "provide", "serve", "charge", "ask", "seek", "retire", "replace", "rename", "list",
})
_ACTORS = frozenset({"ORG", "GPE", "NORP", "PERSON"})
_CHARACTERISE = frozenset({"call", "describe", "label", "dub", "brand", "term"})
_ANYONE = frozenset({"anyone", "everyone", "anybody", "everybody", "nobody", "whoever"})
_VIEW = frozenset({"think", "believe", "feel", "reject", "hope", "wish", "suspect"})
_SAY = frozenset({"say", "tell", "announce", "state", "add", "confirm", "write", "report"})
# Common nouns for organisations, enough with an explicit decision verb ("the company plans").
_ORG_NOUNS = frozenset({
    "company", "firm", "government", "council", "ministry", "agency", "board", "bank",
    "administration", "department", "authority", "regulator", "union", "party", "group",
    "school", "district", "hospital", "university", "airline", "retailer", "employer",
    "maker", "operator", "carrier", "chain", "club", "league", "city", "state", "county",
    "committee", "commission", "court", "parliament", "congress", "senate", "cabinet",
})


def classify(tokens: Iterable[Token], spans: Sequence[Span], *, attributed: bool) -> list[str]:
    """The types that apply to a unit, in a fixed order."""
    tokens = list(tokens)
    kinds = {s.kind for s in spans}
    labels = {s.label for s in spans if s.kind == "entity"}
    found: set[str] = set()
    if "quantity" in kinds:
        found.add("quantity")
    if "date" in kinds:
        found.add("temporal")
    if attributed or "quote" in kinds:
        found.add("attribution")
    if "LAW" in labels:
        found.add("law_rule")
    numeric = [(s.start, s.end) for s in spans if s.kind in ("quantity", "date")]
    for token in tokens:
        if any(start <= token.idx < end for start, end in numeric):
            continue
        lemma = token.lemma_.lower()
        if token.tag_ in ("JJR", "JJS", "RBR", "RBS") or lemma in _COMPARE:
            found.add("comparison")
        if lemma in _CAUSAL:
            found.add("causal")
        if lemma in _PREDICT or (token.tag_ == "MD" and lemma in ("will", "would")):
            found.add("prediction")
        if lemma in _LAW and not _is_everyday_sense(token, lemma):
            found.add("law_rule")
    if "prediction" in found and is_announcement(tokens):
        found.discard("prediction")
    types = [t for t in _ORDER if t in found]
    return types or ["other"]


def is_announcement(tokens: Iterable[Token]) -> bool:
    """A named actor's announced decision: "will no longer sell", "plans to cut", "will close".

    The verb's subject must be a named organisation, place or person (or "we"), or an
    organisation noun with an explicit decision verb; the decision is a "will" + action verb,
    "no longer", or a decision verb ("plans to", "has decided to"). "Prices will rise" and
    "The bank will raise rates" (no named actor, no decision verb) stay forecasts.
    """
    for verb in tokens:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        lemma = verb.lemma_.lower()
        decided = lemma in _DECIDE and any(c.dep_ == "xcomp" for c in verb.children)
        reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _SAY
        modals = ("will", "would") if reported else ("will",)
        will = any(c.lemma_.lower() in modals and c.tag_ == "MD" for c in verb.children)
        no_longer = any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children)
                        for c in verb.children)
        if not (decided or (will and (lemma in _ACTIONS or no_longer))):
            continue
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            continue
        named = (subject.ent_type_ in _ACTORS or subject.lower_ == "we"
                 or any(t.pos_ == "PROPN" for t in subject.subtree)
                 or _looks_like_a_name(subject))
        # said of itself ("the city would ask", "it will no longer sell"): the speaker's word
        spoken = reported and (subject.lower_ in ("it", "they")
                               or subject.lemma_.lower() in _ORG_NOUNS)
        if named or spoken or (decided and (subject.lemma_.lower() in _ORG_NOUNS
                                            or subject.lower_ in ("it", "they"))):
            return True
    return False


def is_opinion(tokens: Iterable[Token]) -> bool:
    """Words that judge rather than report: a characterisation ("called the plan 'a
    giveaway'"), a truth about anyone ("Anyone who has waited ... knows"), or the writer's
    own view ("I think", "we believe")."""
    for tok in tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in _CHARACTERISE and any(
                c.dep_ in ("oprd", "xcomp", "ccomp", "attr") for c in tok.children):
            return True
        if tok.dep_ in ("nsubj", "nsubjpass") and lemma in _ANYONE:
            return True
        if (tok.pos_ == "VERB" and lemma in _VIEW
                and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in tok.children)):
            return True
    return False


def _looks_like_a_name(token: Token) -> bool:
    """A capitalised singular noun with no determiner: a name the tagger did not know."""
    return (token.text[:1].isupper() and token.tag_ in ("NN", "NNP")
            and not any(c.dep_ == "det" for c in token.children))


def _is_everyday_sense(token: Token, lemma: str) -> bool:
    """"act" and "bill" as verbs, and a household bill ("heating bills"), are not about law."""
    if lemma in ("act", "bill") and token.pos_ not in ("NOUN", "PROPN"):
        return True
    return lemma == "bill" and any(
        child.dep_ in ("compound", "amod") and child.lemma_.lower() in _HOUSEHOLD
        for child in token.children
    )
