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
# What a timetable says happens ("expects the drug to reach pharmacies in January", "is set
# to begin in June"): the organisation's schedule, not a forecast about the world.
_SCHEDULED = frozenset({"reach", "arrive", "open", "launch", "start", "begin", "finish",
                        "complete", "close", "take", "end"})
# "is set to", "is due to", "is scheduled to" + a scheduled verb and a date.
_TIMETABLE = frozenset({"set", "due", "schedule", "slate"})
# "will make buses free", "will make the vaccine available": a policy put into effect.
_MAKE = frozenset({"make", "keep", "render"})
# Entity labels that give a unit a date or a figure.
_FIGURES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "QUANTITY"})
_AMOUNTS = _FIGURES - {"DATE", "TIME"}
# What an organisation reports rather than sets: its forecasts stay forecasts.
_RESULTS = frozenset({"share", "stock", "sale", "revenue", "profit", "earning", "income",
                      "loss", "margin", "turnover", "output", "growth", "debt", "valuation"})
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
    "museum", "charity", "trust", "foundation", "institute",
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

    With a date or a figure in the unit, an organisation's commitment is checkable as it
    stands: "The city will pay for a third of the work", "The company expects the drug to
    reach pharmacies in January" (its own timetable), "Construction is set to begin in June",
    "Kaldava will make buses free from January", "Its steak bake will go up 15p" (an
    organisation's own price). "Prices will rise next year" has no actor and stays a forecast.
    """
    tokens = list(tokens)
    dated = any(t.ent_type_ in _FIGURES for t in tokens)
    priced = any(t.ent_type_ in _AMOUNTS for t in tokens)
    for verb in tokens:
        lemma = verb.lemma_.lower()
        if dated and (_timetabled(verb, lemma) or _comes_into_force(verb, lemma)):
            return True
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        children = list(verb.children)  # each walk of .children makes new Token objects
        subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            continue
        decided = lemma in _DECIDE and any(c.dep_ == "xcomp" for c in children)
        reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _SAY
        modals = ("will", "would") if reported else ("will",)
        will = any(c.lemma_.lower() in modals and c.tag_ == "MD" for c in children)
        # "Snapwell must bring its processing into line within three months": what a body
        # is bound to do by a date or for a sum is checkable as a commitment is
        will = will or (dated and any(c.lower_ == "must" and c.tag_ == "MD" for c in children))
        no_longer = any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children)
                        for c in children)
        acts = lemma in _ACTIONS or (lemma in _MAKE and any(
            c.dep_ in ("ccomp", "oprd", "xcomp", "acomp") and c.pos_ == "ADJ"
            for c in children))
        expects = dated and lemma == "expect" and any(
            c.dep_ in ("ccomp", "xcomp") and c.lemma_.lower() in _SCHEDULED
            for c in children)
        if will and priced and _owned_by_organisation(subject):
            return True  # "Its steak bake will go up 15p": the firm's own price
        if not (decided or expects or (will and (acts or no_longer))):
            continue
        named = (subject.ent_type_ in _ACTORS or subject.lower_ == "we"
                 or any(t.pos_ == "PROPN" for t in subject.subtree)
                 or _looks_like_a_name(subject))
        # said of itself ("the city would ask", "it will no longer sell"): the speaker's word
        spoken = reported and (subject.lower_ in ("it", "they")
                               or subject.lemma_.lower() in _ORG_NOUNS)
        organisation = subject.lemma_.lower() in _ORG_NOUNS or subject.lower_ in ("it", "they")
        if named or spoken or ((decided or expects or dated) and organisation):
            return True
    return False


# "take effect", "come into force", "go into effect", "enter service": a rule or a service
# starting on a date, whoever's subject the words have ("The changes take effect on July 1").
_IN_FORCE = {"take": frozenset({"effect"}), "enter": frozenset({"service", "force"}),
             "come": frozenset({"force", "effect"}), "go": frozenset({"force", "effect"})}


def _comes_into_force(verb: Token, lemma: str) -> bool:
    """ "take effect", "come into force", "will enter service": a dated start."""
    objects = _IN_FORCE.get(lemma)
    if objects is None or verb.pos_ not in ("VERB", "AUX"):
        return False
    for child in verb.children:
        if child.dep_ == "dobj" and child.lower_ in objects:
            return True
        if child.dep_ == "prep" and child.lower_ == "into" and any(
                g.lower_ in objects for g in child.children):
            return True
    return False


def _timetabled(verb: Token, lemma: str) -> bool:
    """ "is set to begin", "is due to open", "is scheduled to start": a timetable."""
    if not ((verb.pos_ == "VERB" and lemma in _TIMETABLE and verb.tag_ == "VBN")
            or verb.lower_ == "due"):
        return False
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in _SCHEDULED for c in verb.children)


def _owned_by_organisation(subject: Token) -> bool:
    """A subject an organisation owns and sets: "its steak bake", "Telenord's tariff";
    not its results ("its shares will rise 5%" is a forecast)."""
    if subject.lemma_.lower() in _RESULTS:
        return False
    return any(c.dep_ == "poss" and (c.lower_ in ("its", "their") or c.ent_type_ == "ORG"
                                     or (c.pos_ == "PROPN" and c.ent_type_ != "PERSON"))
               for c in subject.children)


def is_opinion(tokens: Iterable[Token]) -> bool:
    """Words that judge or advise rather than report: a characterisation ("called the plan
    'a giveaway'", a quoted label), a truth about anyone ("Anyone who has waited ...
    knows"), the writer's or speaker's own view ("I think", "we believe", "We were
    brilliant"), or advice ("Swimmers should check ...", "Think twice")."""
    tokens = list(tokens)
    if tokens and _advice(tokens[0]):
        return True
    for tok in tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in _CHARACTERISE:
            children = list(tok.children)
            if any(c.dep_ in ("oprd", "xcomp", "ccomp", "attr") for c in children) or any(
                    c.is_quote and c.i > tok.i for c in tok.subtree):
                return True
        if _advice(tok) or _self_assessed(tok):
            return True
        if tok.dep_ in ("nsubj", "nsubjpass") and lemma in _ANYONE:
            return True
        if (tok.pos_ == "VERB" and lemma in _VIEW
                and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in tok.children)):
            return True
    return False


def is_unsupported_view(tokens: Iterable[Token], spans: Sequence[Span]) -> bool:
    """Words with nothing checkable of their own: a quote that holds no figure, date or name
    (""The sky is busier than people imagine," said X"; X said the plan "spends too much"),
    or a first-person remark with no figure, date or name at all ("My father never hurried a
    vegetable")."""
    if any(s.kind in ("quantity", "date") for s in spans):
        return False
    quotes = [s for s in spans if s.kind == "quote"]
    if quotes:
        return all(not any(e.kind == "entity" and q.start <= e.start and e.end <= q.end
                           for e in spans) and not _names_inside(q.text) for q in quotes)
    if any(s.kind == "entity" for s in spans):
        return False
    return any(tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT"
               and (tok.lower_ in ("i", "we") or any(
                   c.dep_ == "poss" and c.lower_ in ("my", "our") for c in tok.children))
               for tok in tokens)


def _names_inside(quote: str) -> bool:
    """A capitalised word after the quote's first (a name the tagger may have missed)."""
    words = quote.split()[1:]
    return any(w[:1].isupper() and w.strip("\"'“”‘’,.") not in ("I", "I'm", "I've")
               for w in words)


# Modals of advice and obligation ("should check", "must register", "ought to").
_ADVISE = frozenset({"should", "must", "ought"})
# Subjects advice is given to: people in general (or any bare plural that names no
# organisation), not a named or described organisation.
_PEOPLE = frozenset({"you", "people", "everyone", "anyone", "parents", "residents", "drivers",
                     "swimmers", "visitors", "customers", "patients", "readers", "voters",
                     "riders", "passengers", "travellers", "travelers", "owners", "buyers",
                     "shoppers", "consumers", "users", "homeowners", "families", "students"})


# What readers "can" do to get help: advice ("Customers can apply for help"), not a fact.
_HELP_VERBS = frozenset({"apply", "check", "visit", "call", "contact", "register", "email",
                         "phone", "ring", "book", "sign", "ask", "request", "find", "text",
                         "go", "seek", "claim", "enrol", "enroll", "report"})


def _advice(verb: Token) -> bool:
    """ "Swimmers should check the warnings", "You must register by Friday", "Think twice":
    a verb of advice (a modal of obligation, "can" before a way to get help ("Customers can
    apply for help"), or an imperative opening its unit) addressed to people in general."""
    if verb.pos_ not in ("VERB", "AUX") or verb.tag_ != "VB":
        return False
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:  # an imperative: the bare verb opens the sentence
        return verb.dep_ == "ROOT" and verb.i == verb.sent.start and not any(
            c.tag_ == "MD" for c in children)
    general = subject.lower_ in _PEOPLE or (  # "Hikers", not "The firm" or "Councils"
        subject.tag_ == "NNS" and subject.lemma_.lower() not in _ORG_NOUNS)
    modal = next((c.lower_ for c in children if c.tag_ == "MD"), None)
    advised = modal in _ADVISE or (modal == "can" and verb.lemma_.lower() in _HELP_VERBS)
    return (advised and general
            and not any(c.dep_ in ("det", "poss", "compound") for c in subject.children))


def _self_assessed(tok: Token) -> bool:
    """ "We were brilliant", "I have never been busier": a speaker's judgement of
    themselves, a copula with "we"/"I" and an adjective."""
    if tok.lemma_.lower() != "be" or tok.pos_ not in ("AUX", "VERB"):
        return False
    children = list(tok.children)
    return (any(c.dep_ == "nsubj" and c.lower_ in ("we", "i") for c in children)
            and any(c.dep_ == "acomp" and c.pos_ == "ADJ" for c in children))


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
