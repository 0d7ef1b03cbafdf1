"""References: who "it", "the company", "the proposal" and "the 24-year-old" are.

Requires: the parsed sentence Span (parser, NER), the claim unit, the sentences of this and
the previous paragraph, and the organisations and places the article has named so far.
Assigns: nothing; returns an edit ``(start, end, name)`` for the statement builder, or the
speaker's name.

Decisions:

- A subject pronoun (opening the unit, or its first subject) is resolved. "it"/"they" look
  for an organisation: earlier in the sentence, else what the sentence before was about (its
  organisation subject, a shorter name of one, a description of one; a pronoun passes the
  question further back; "IBM and Microsoft" stays ambiguous), else the nearest, else the
  article's only one. Otherwise, and for "he"/"she", exactly one compatible entity must be in
  sight (no gender is known, so two people leave the pronoun as it is).
- A leading description ("The company", "The agency", "The country", "The proposal") is
  replaced by the nearest compatible name: an organisation, place or group entity earlier in
  the sentence, else in the nearest previous sentence that has one (its subject when it has
  several; nothing when the subject itself is two names). Plans and proposals take the
  fuller noun phrase with the same noun ("the council's parking proposal"). A name that holds
  the noun wins ("the agency" -> "The Federal Food Safety Agency"), public bodies never take a
  company's name, "the 24-year-old" takes the nearest person, and the article's one
  organisation or place is the last resort. A dateline ("OSLO, March 3 -") is no actor.
  The words stay when nothing fits.
- The article remembers, in one pass (``ArticleMemory``): names introduced with a common noun
  ("tram operator Elevar Lisboa", "a charity named Second Paws", "X, a British charity"),
  which a later "the operator"/"the charity" takes first; each description's fuller phrase
  ("the county health department"); and its lead actor, the named subject of the lead's
  first clause (not the headline, a dateline or its agency, a person, or "A and B"), the
  last resort for "the company", "the agency", "the spacecraft", "it" and "its". "it"
  saying what a named speaker said is the speaker ("Medics Without Walls said it had ...").
- A description far from its name takes the latest name that says it is one ("the
  observatory" -> "The Ardley Observatory"), else its fuller phrase (a lower-case noun the
  tagger calls a proper noun counts; "Ardley's water board" keeps its owner), with the place
  that qualifies it ("the Ardley County health department"). A name that is only the noun
  ("Council" of "Council member X") names nothing. "the city" after "the Ardley city
  council" is Ardley. "the district" takes only a name of its own, an earlier "the Ardley
  health district", or the school body the lead is about ("Ardley Public Schools").
  "the two schools" take an earlier phrase naming two ("Ash and Elm elementary schools"),
  or stay as they are. "it" passes over a plural subject ("Nine of the patients ...").
- A statistics lead about one place ("Consumer prices in Ardley rose 2.8 percent") makes
  later figures whose subject has no name, owner, place or other scope that place's ("Food
  prices in Ardley rose ..."); a forecast figure with no owner in a company's story is the
  company's ("Analysts had expected 71 cents a share for Acme Inc.").
- General rules (``ArticleMemory.heads``, built in the same pass): every name of several
  words (an entity, or capitalised words the tagger cut: "St. Ositha's Hospital") is
  remembered by its last word; a later "the <noun>" or "The <Name>" whose word ends exactly
  one such name is that name ("the trust", "The Foxes", "the hospital" before the nearest
  other body); two names ending in the word leave it as it is. A description whose own
  clause names a body ("The team, led by X of Y University") keeps its words; "the
  Kansas-based baker" is the organisation the story is led by. A dateline's country
  ("NAIROBI, Kenya") is no lead actor or speaker. In the sentence before, an organisation
  told in passing inside another noun's clause ("analysts polled by X") is not what "the
  company" is. "the 24-year-old" is found however it is parsed.
- Owners anywhere in the unit (``resolve_owners``): "the chain's" takes the name the article
  introduced the noun with (or the one name ending in it); an "its" no earlier word of the
  unit can own takes the organisation before it in the sentence, else the one the sentence
  before was about, else the lead's. "its" in what a person said who speaks for a body ("X,
  the trust's medical director, said that 46 of its beds") is that body.
- "he"/"she" in what a named person said is that person only when nobody else is in sight;
  with no person in sight at all it is the person the lead is about (its subject).
- The story's place: a statistics lead about one institution ("Patients at St. Ositha's
  Hospital in Marrowby waited ...") puts later ownerless figures "at" it; a story led by one
  place's public body ("The Ludgrove City Council", "The Carrowmere Unified School
  District", when the article names the place on its own) puts them "in" that place;
  "the county health department" in a story of one county takes the county's name. A bare
  action noun ("Repairs ...") with no earlier verb is the lead's, when that is a thing and
  not an organisation ("The Wrexley Viaduct's repairs").
- Round 6 (general, each built in the same one pass): a statistic's place is any name after
  "in" whatever the tagger calls it, or after "The population of" (not a company's name),
  also when a source "showed" or "found" it; a capitalised first word the article also writes
  as a common noun ("House prices") is no name; "the town" in a story of one place by its
  name is that place. "X of the Y" is one name, and "the museum" takes "The Museum of the
  Saltings" (``named`` by its first word). A plural role noun told with its body ("drivers
  at Veltra Coaches", "researchers at the University of X") lends that body to a later bare
  "drivers"/"the researchers" (``qualified``; two bodies leave it); "the study" is the study
  by its named author (``authored``). A one-word organisation name ending exactly one longer
  name is that name ("Rovers", ``resolve_short_names``). "the U.S. company's" is resolved as
  "the company" is. "it" in what "the agriculture ministry" said is that body (named as the
  description resolves, else as written). A dateline is nobody's doer ("WELLINGTON's cut").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from workers.pipeline.clauses import ClaimUnit
from workers.pipeline.names import (
    ORG_ENDINGS,
    PUBLIC_NAME_WORDS,
    clean_name,
    distinct,
    fits,
    full_name,
    is_dateline,
    label_of,
    only,
)
from workers.pipeline.statements import Edit

PRONOUN_LABELS: dict[str, frozenset[str]] = {
    "he": frozenset({"PERSON"}), "she": frozenset({"PERSON"}),
    "his": frozenset({"PERSON"}), "her": frozenset({"PERSON"}),
    "it": frozenset({"ORG", "GPE", "PRODUCT", "FAC", "LOC"}),
    "its": frozenset({"ORG", "GPE", "PRODUCT", "FAC", "LOC"}),
    "they": frozenset({"ORG", "NORP"}), "their": frozenset({"ORG", "NORP"}),
}
POSSESSIVES = frozenset({"his", "its", "their"})
# Dependencies that open a clause of its own inside a noun phrase.
CLAUSE_DEPS = frozenset({"relcl", "acl", "appos", "ccomp", "advcl", "conj"})
ORG_PRONOUNS = frozenset({"it", "its", "they", "their"})
RANK_WORDS = frozenset({"record", "first", "highest", "lowest"})
SAY_VERBS = frozenset({"say", "tell", "report", "announce", "state", "add"})
# A company's measures: with no owner in the subject ("The shares closed up 7%") they are the
# measures of the organisation the article is about.
MEASURES = frozenset({"revenue", "sale", "profit", "share", "earning", "turnover", "income",
                      "loss", "margin", "dividend", "order", "headcount", "workforce",
                      "valuation", "stock"})
OWNER_DEPS = frozenset({"poss", "nmod"})
OWNER_PREPS = frozenset({"of", "at", "from", "for", "in"})
ORGS = frozenset({"ORG"})
PLACES = frozenset({"GPE"})
PEOPLE = frozenset({"PERSON"})
PUBLIC_BODIES = frozenset({"agency", "ministry", "department", "regulator", "authority",
                           "commission", "court", "council", "committee", "board", "office",
                           "bureau", "watchdog", "government", "parliament", "institute"})
# Descriptions that stand for a name given earlier, and the entity labels that can fill them.
DESCRIPTIONS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("company", "firm", "group", "retailer", "carmaker", "automaker", "bank",
                     "airline", "insurer", "lender", "chain", "charity", "agency", "ministry",
                     "department", "regulator", "organisation", "organization", "union",
                     "manufacturer", "operator", "startup", "club", "party", "council",
                     "committee", "board", "business", "utility", "publisher", "broadcaster",
                     "hospital", "university", "school", "court", "grocer", "institute",
                     "association", "foundation", "society", "network", "federation",
                     "alliance", "coalition", "league", "office", "authority", "commission",
                     "bureau", "watchdog", "institution", "team", "supplier", "provider",
                     "producer", "brewer", "miner", "exporter", "developer", "owner",
                     "shipper", "supermarket", "conglomerate", "giant", "landlord"), ORGS),
    "port": frozenset({"ORG", "FAC", "GPE"}),
    **dict.fromkeys(("observatory", "museum", "laboratory", "zoo"), frozenset({"ORG", "FAC"})),
    # a school district is a body, a health district a place: either, by its own name only
    "district": frozenset({"ORG", "GPE"}),
    **dict.fromkeys(("country", "nation", "city", "state", "province", "region", "town",
                     "county", "capital"), PLACES),
    **dict.fromkeys(("spacecraft", "probe", "craft", "satellite", "rover", "telescope",
                     "lander", "orbiter"), frozenset({"PRODUCT", "FAC", "WORK_OF_ART"})),
}
PLACE_NOUNS = frozenset(lemma for lemma, labels in DESCRIPTIONS.items() if labels == PLACES)
# Descriptions that only a name of their own fills: the nearest entity in sight is no guess.
OWN_NAME_ONLY = frozenset({"district"})
# Words of a school body's name: "the district" after "Ardley Public Schools".
SCHOOL_WORDS = frozenset({"school", "schools", "unified", "education"})
# Descriptions of a thing named by a fuller noun phrase earlier ("the council's parking plan").
THINGS = frozenset({"cut", "closure", "plan", "proposal", "scheme", "bill", "policy",
                    "programme", "program", "project", "deal", "measure", "report", "survey",
                    "study", "budget", "strategy", "law", "rule", "reform", "contract",
                    "agreement", "merger"})
# Nouns that name an action told earlier by its verb ("extend the line" -> "the extension").
NOMINALS: dict[str, str] = {
    "extension": "extend", "expansion": "expand", "closure": "close", "repair": "repair",
    "upgrade": "upgrade", "renovation": "renovate", "construction": "construct",
    "reduction": "reduce", "cut": "cut", "acquisition": "acquire", "purchase": "purchase",
    "sale": "sell", "investment": "invest", "relocation": "relocate", "merger": "merge",
    "redevelopment": "redevelop", "refurbishment": "refurbish", "rollout": "roll",
    "replacement": "replace", "demolition": "demolish", "restoration": "restore",
    "ban": "ban", "increase": "increase", "rise": "raise", "hike": "hike"}
ACTION_VERBS = frozenset(NOMINALS.values()) | THINGS
# Craft and vehicles, named by the article ("The Aster probe ... The spacecraft").
CRAFT = frozenset({"spacecraft", "probe", "craft", "satellite", "rover", "telescope",
                   "lander", "orbiter"})
# Common nouns a name can be introduced with ("operator Elevar Lisboa", "the union, SITCA").
INTRODUCERS = frozenset(DESCRIPTIONS) | CRAFT | frozenset({
    "maker", "carrier", "buyer", "seller", "platform", "app", "brand", "nonprofit",
    "start-up", "bakery"})
LEAD_SENTENCES = 3  # the headline, a dateline line, the lead: where the article's topic is
# Entity labels whose names a later "the <last word>" stands for (not people: surnames).
HEAD_LABELS = frozenset({"ORG", "FAC", "GPE", "LOC", "PRODUCT", "NORP", "EVENT"})


@dataclass
class ArticleMemory:
    """What the article has named so far, built in one pass as its sentences go by: for each
    noun the latest phrase that names it ("Ashgrove airport" for a later "the airport"), and
    for each action verb who did it to what ("Ravensmoor", "its Line 3 tram to Ashgrove
    airport" for a later "the extension")."""

    phrases: dict[str, str] = field(default_factory=dict)
    actions: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    # Names introduced with a common noun, by the noun: "tram operator Elevar Lisboa", "a
    # charity named Second Paws", "Hanbit Cell, a battery maker" ("operator" -> the name).
    described: dict[str, str] = field(default_factory=dict)
    # The actor the headline and lead are about: the named subject of their first clause
    # ("Asantewa Commodities said ...", "The Aster probe flew ..."), the article's topic.
    lead: str | None = None
    seen: int = 0
    # The latest fuller noun phrase of each description ("the county health department").
    fuller: dict[str, str] = field(default_factory=dict)
    # The latest name that says what it is, by its last word ("The Ardley Observatory" for
    # a later "the observatory" far from it).
    named: dict[str, str] = field(default_factory=dict)
    # The one place a statistics lead is about: "Consumer prices in Ardley rose ..." makes
    # a later "Food prices rose 3 percent" the prices in Ardley.
    statistic_place: str | None = None
    statistic_prep: str = "in"  # "in Ardley"; "at St. Ositha's Hospital"
    # Every name of more than one word by its last word, any noun ("the Skerrow Rivers
    # Trust" for a later "the trust", "The Fairhollow Foxes" for "The Foxes"); "" when two
    # different names end in the same word (which one is not said).
    heads: dict[str, str] = field(default_factory=dict)
    # The person the lead is about: the named subject of its first clause ("Wilhelmina
    # Orchardson, who ..., died on Sunday"), for a later "she" with no person in sight.
    lead_person: str | None = None
    # Words the article uses as common nouns ("house" of "house prices"): the same word
    # capitalised at a sentence's start ("House prices rose") is no name.
    nouns: set[str] = field(default_factory=set)
    # People or things told of with the body they belong to, by their noun: "drivers" ->
    # "at Veltra Coaches" of "Bus drivers at Veltra Coaches" ("" when two bodies are told).
    qualified: dict[str, str] = field(default_factory=dict)
    # A study, report or plan told with its author: "study" -> "the study by researchers at
    # the University of Caddon Vale".
    authored: dict[str, str] = field(default_factory=dict)

    def common(self, tok: Token) -> bool:
        """A sentence's capitalised first word the article also writes as a common noun."""
        return bool(tok.is_sent_start) and tok.pos_ == "PROPN" and tok.lower_ in self.nouns

    def remember(self, sent: Span) -> None:
        """Take in one sentence (after its claims are made: it is not its own antecedent)."""
        self.seen += 1
        headline = _a_headline(sent)
        if self.seen <= LEAD_SENTENCES and not headline:
            if self.statistic_place is None:
                scope = _place_of_statistic(sent)
                if scope is not None:
                    self.statistic_prep, self.statistic_place = scope
                else:
                    self.statistic_place = ""
            if self.lead_person is None and self.lead is None:
                self.lead_person = _person_of(sent)
            if self.lead is None:
                self.lead = _actor_of(sent)
                if self.lead is not None:
                    self._head(self.lead)
                    if not self.statistic_place:  # a story led by one place's public body
                        self.statistic_place = _place_of_public_body(self.lead, sent) or ""
        for ent in [] if headline else sent.ents:
            if (len(ent) > 1 and ent[-1].text[:1].isupper() and not is_dateline(ent)
                    and label_of(ent) in HEAD_LABELS):
                self._head(full_name(ent))
        for tok in [] if headline else sent:  # a name the tagger cut: "St. Brida's Hospital"
            if (tok.pos_ == "PROPN" and tok.dep_ not in ("compound", "flat", "poss")
                    and tok.ent_type_ not in ("PERSON", "DATE") and tok.ent_iob_ != "I"
                    and tok.left_edge.i < tok.i):
                words = tok.doc[tok.left_edge.i : tok.i + 1]
                if all(t.text[:1].isupper() or t.dep_ == "case" for t in words) and not any(
                        t.ent_type_ == "PERSON" or _opens_dateline(t) for t in words):
                    self._head(words.text)
        for ent in sent.ents:
            last = ent[-1]
            if (len(ent) > 1 and last.text[:1].isupper() and not is_dateline(ent)
                    and last.lemma_.lower() in DESCRIPTIONS
                    and label_of(ent) in ("ORG", "FAC", "GPE")):
                self.named[last.lemma_.lower()] = full_name(ent)
            first = ent[1] if ent[0].lower_ == "the" and len(ent) > 2 else ent[0]
            if (first.i + 1 < ent.end and first.doc[first.i + 1].lower_ == "of"
                    and first.text[:1].isupper() and first.lemma_.lower() in DESCRIPTIONS
                    and label_of(ent) in ("ORG", "FAC")):
                self.named[first.lemma_.lower()] = full_name(ent)  # "University of Ardmore"
        for tok in sent:
            if tok.pos_ == "NOUN" and tok.text.islower():
                self.nouns.add(tok.lower_)
            if not headline and (tok.pos_ == "NOUN" or (tok.is_sent_start and tok.pos_ == "PROPN")):
                self._qualify(tok)  # "Drivers at X ...": a plural noun opening a sentence too
            if tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.text.islower()):
                phrase = _proper_phrase(tok)
                if phrase is not None:
                    self.phrases[tok.lemma_.lower()] = phrase
                lemma = tok.lemma_.lower()
                if lemma in INTRODUCERS:
                    name = _introduced_name(tok)
                    if name is not None:
                        self.described[lemma] = name
                    fuller = self._modified_phrase(tok)
                    if fuller is not None:
                        self.fuller[lemma] = fuller
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in ACTION_VERBS:
                done = _doer_and_object(tok)
                if done is not None:
                    self.actions[tok.lemma_.lower()] = done

    def _qualify(self, noun: Token) -> None:
        """Remember "drivers at Veltra Coaches" (a plural noun at or from a named body) and
        "a study by researchers at X" (a study, report or plan by a named author)."""
        lemma = noun.lemma_.lower()
        if noun.pos_ == "PROPN":  # "Drivers" opening a sentence, tagged a name: "driver"
            lemma = noun.lower_[:-1] if noun.lower_.endswith("s") else noun.lower_
        for prep in noun.children:
            if prep.dep_ != "prep" or prep.i != noun.i + 1:
                continue
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if (prep.lower_ in ("at", "from") and noun.tag_ in ("NNS", "NNPS")
                    and pobj.pos_ == "PROPN"
                    and pobj.text[:1].isupper() and pobj.ent_type_ not in ("PERSON", "DATE")
                    and lemma not in DESCRIPTIONS):
                phrase = f"{prep.text} {_proper_name(pobj)}"
                known = self.qualified.get(lemma)
                self.qualified[lemma] = phrase if known in (None, phrase) else ""
            elif prep.lower_ == "by" and lemma in THINGS:
                end = min([prep.right_edge.i, *(t.left_edge.i - 1 for t in prep.subtree
                                                 if t.dep_ in CLAUSE_DEPS)])
                words = noun.doc[prep.i : end + 1]  # "... published on Tuesday": not its words
                if (2 <= len(words) <= 10 and any(t.pos_ == "PROPN" for t in words)
                        and not any(t.is_punct for t in words)):
                    self.authored[lemma] = f"the {noun.text} {words.text}"

    def _head(self, name: str) -> None:
        """Remember a name by its last word, or that its last word is now ambiguous."""
        name = clean_name(name)
        words = name.split()
        if len(words) < 2 or not words[-1][:1].isupper() or not words[-1].isalpha():
            return
        key = words[-1].lower()
        known = self.heads.get(key)
        if known == "":
            return  # already two names
        if known is None:
            self.heads[key] = name
            return
        new_bare, old_bare = (_bare(n).lower() for n in (name, known))
        if new_bare.endswith(old_bare):
            self.heads[key] = name  # a fuller spelling of the same name
        elif not old_bare.endswith(new_bare):
            self.heads[key] = ""  # two names end in the word: neither is meant

    def head_name(self, word: str) -> str | None:
        """The one earlier name ending in ``word`` ("trust", "Foxes"), or None."""
        return self.heads.get(word.lower()) or None

    def _modified_phrase(self, noun: Token) -> str | None:
        """ "the county health department", "the district's health board" (its owner named as
        remembered: "the Cressfield Valley health district's health board")."""
        lefts = list(noun.lefts)
        if not any(c.dep_ in ("compound", "poss") for c in lefts) or any(
                c.dep_ not in ("det", "compound", "poss", "amod") for c in lefts):
            return None
        first = lefts[0].left_edge
        if first.lower_ != "the" and not (lefts[0].dep_ == "poss" and lefts[0].pos_ != "PRON"
                                          and first.text[:1].isupper()):
            return None  # "a British charity", "its network": no phrase to name it by
        doc = noun.doc
        lo = lefts[0].left_edge.i
        if noun.i - lo > 7 or any(t.is_punct and t.text != "-" for t in doc[lo : noun.i]):
            return None
        owner = next((c for c in lefts if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
        named = None if owner is None else self.phrases.get(owner.lemma_.lower())
        if owner is not None and named is not None and owner.left_edge.i == lo:
            return named + doc[owner.i + 1 : noun.i + 1].text  # named + "'s health board"
        return doc[lo : noun.i + 1].text


def _bare(name: str) -> str:
    """A name without its leading "the"."""
    return name[4:] if name.lower().startswith("the ") else name


def _proper_name(tok: Token) -> str:
    """The whole name a proper noun ends or heads: "Elevar Lisboa", "the University of
    Penmarrow", "the Ostrander Foundation"."""
    doc, sent_start = tok.doc, tok.sent.start
    lo = tok.i
    while (lo > sent_start and doc[lo - 1].pos_ == "PROPN"
           and doc[lo - 1].dep_ in ("compound", "flat") and doc[lo - 1].head.i >= lo):
        lo -= 1
    hi = tok.i
    while (hi + 1 < tok.right_edge.i + 1 and doc[hi + 1].text[:1].isupper()
           and doc[hi + 1].pos_ in ("PROPN", "ADP", "NOUN")):
        hi += 1  # "Medics Without Walls"
    if hi + 2 < len(doc) and doc[hi + 1].lower_ == "of" and doc[hi + 1].head.i == tok.i:
        pobj = doc[hi + 2]
        if (pobj.lower_ == "the" and hi + 3 < len(doc) and doc[hi + 3].pos_ == "PROPN"
                and doc[hi + 3].text[:1].isupper()):
            pobj = doc[hi + 3]  # "the Museum of the Saltings"
        while pobj.i + 1 < len(doc) and pobj.dep_ == "compound" and pobj.pos_ == "PROPN":
            pobj = doc[pobj.i + 1]
        if pobj.pos_ == "PROPN" and pobj.head.i == hi + 1:
            hi = pobj.i
    if lo > 0 and doc[lo - 1].lower_ == "the" and doc[lo - 1].head.i == tok.i:
        lo -= 1
    return doc[lo : hi + 1].text


def _introduced_name(noun: Token) -> str | None:
    """The name a common noun introduces: "operator Elevar Lisboa", "Asantewa Commodities,
    Ghana's largest cocoa buyer", "the union, SITCA", "a charity named Second Paws"."""
    head = noun.head
    if _opens_dateline(head):
        return None
    place = DESCRIPTIONS.get(noun.lemma_.lower()) == PLACES  # "state Supreme Court"
    if (noun.dep_ == "appos" or (noun.dep_ == "compound" and not place)) and (
            head.i != noun.i and head.pos_ == "PROPN" and head.text[:1].isupper()) and (
            noun.dep_ == "appos" or noun.i == head.i - 1 or noun.doc[noun.i + 1].pos_ == "PROPN"):
        return _proper_name(head)
    for child in noun.children:
        if (child.dep_ == "appos" and child.pos_ == "PROPN" and child.i > noun.i
                and not _opens_dateline(child)):
            return _proper_name(child)
        if child.dep_ == "acl" and child.lemma_.lower() in ("name", "call"):
            named = next((g for g in child.children if g.dep_ in ("oprd", "attr", "dobj")
                          and g.pos_ == "PROPN"), None)
            if named is not None:
                return _proper_name(named)
    return None


def _a_headline(sent: Span) -> bool:
    """The Doc's first line with no closing stop: a headline, whose capitals name nothing
    ("Rover reaches crater rim")."""
    return sent.start == 0 and not sent.text.rstrip().rstrip("\"'”’)").endswith(
        (".", "!", "?"))


def _opens_dateline(tok: Token) -> bool:
    """ "RIGA" of "RIGA, Dec 2 (Wire) -": a word in capitals opening its line."""
    doc = tok.doc
    return (tok.text.isupper() and len(tok.text) > 1 and tok.i + 1 < len(doc)
            and doc[tok.i + 1].text == "," and (tok.i == 0 or "\n" in doc[tok.i - 1].text_with_ws))


def _actor_of(sent: Span) -> str | None:
    """The named subject of a sentence's first clause, or of what its speaker said
    ("Asantewa Commodities said ...", "The Aster probe flew ..., controllers said",
    "researchers at the University of Penmarrow reported ..."); None for a person or an
    unnamed subject."""
    root = sent.root
    kids = list(root.children)
    for verb in [root, *(c for c in kids if c.dep_ == "ccomp")]:
        children = kids if verb.i == root.i else list(verb.children)
        for subject in children:
            if subject.dep_ in ("nsubj", "nsubjpass"):  # a dateline may be a subject too
                name = _named_actor(subject)
                if name is not None:
                    return name
    return None


def _person_of(sent: Span) -> str | None:
    """The one person named as the subject of a sentence's main clause, or None."""
    subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.ent_type_ != "PERSON" or any(
            c.dep_ == "conj" for c in subject.children):
        return None
    ent = next((e for e in sent.ents if e.start <= subject.i < e.end), None)
    name = None if ent is None else full_name(ent)  # "Wilhelmina" the tagger left off
    return name if name is not None and len(name.split()) > 1 else None


def _named_actor(subject: Token) -> str | None:
    """A subject as an organisation's or thing's name, or None."""
    doc = subject.doc
    children = list(subject.children)
    if _opens_dateline(subject):
        later = [c for c in children if c.dep_ in ("appos", "conj") and c.pos_ == "PROPN"
                 and c.i > subject.i and doc[c.i - 1].text != "("
                 and not (c.ent_type_ == "GPE" and doc[c.left_edge.i - 1].text == ",")]
        # "NAIROBI, Kenya", "HALIFAX, Nova Scotia": the dateline's country is no actor
        return _named_actor(later[-1]) if later else None  # "LISBON, ... - Elevar said"
    if any(c.dep_ == "conj" for c in children):
        return None  # "IBM and Microsoft reported": no one actor
    if subject.pos_ == "PROPN":
        org_cue = any(c.dep_ == "compound" and c.pos_ == "NOUN"
                      and c.lemma_.lower() in INTRODUCERS for c in children)
        if (subject.ent_type_ == "PERSON" and not org_cue) or not subject.text[:1].isupper():
            return None
        name = _proper_name(subject)
        if not (subject.ent_type_ or org_cue or len(name.split()) > 1):
            return None  # "Prices fell": a lone capital with no label names nothing
        start = subject.i - len(name.split()) + 1
        return None if start > 0 and doc[start - 1].text == "(" else name  # "(Wire) -"
    if subject.pos_ != "NOUN":
        return None
    named = _introduced_name(subject) if subject.lemma_.lower() in INTRODUCERS else None
    if named is not None:
        return named
    lo = subject.left_edge.i
    if doc[lo].lower_ == "the" and any(c.dep_ == "compound" and c.pos_ == "PROPN"
                                       for c in children) and all(
            t.dep_ in ("det", "compound", "amod") for t in doc[lo : subject.i]):
        return doc[lo : subject.i + 1].text  # "The Aster probe", "The Larkport Transit board"
    for prep in children:
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if (prep.dep_ == "prep" and prep.lower_ in ("at", "of", "from") and pobj is not None
                and pobj.pos_ == "PROPN" and pobj.right_edge.i - lo < 8
                and subject.lemma_.lower() not in STATISTIC_NOUNS):  # "The population of X"
            return doc[lo : pobj.right_edge.i + 1].text  # "researchers at the University of X"
    return None


def _place_of_statistic(sent: Span) -> tuple[str, str] | None:
    """The place a statistics lead is about: its first clause's subject is a figure or a
    common noun with no name of its own, told of one place ("Consumer prices in Ardley",
    "Unemployment in the Ardley region", "One in four pupils in Ardley County") and the
    sentence names no other place; or of one named institution ("Patients at St. Ositha's
    Hospital in Marrowby": "at" it). The preposition and the place; None otherwise."""
    root = sent.root
    said = [c for c in root.children if c.dep_ == "ccomp"] if root.lemma_.lower() in (
        SAY_VERBS | FIGURE_SOURCES) else []  # "..., figures showed", "a survey found"
    for verb in [root, *said]:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.pos_ not in ("NOUN", "NUM") or any(
                t.dep_ == "poss" or (t.pos_ == "PROPN" and t.ent_type_)
                for t in subject.lefts):
            continue  # "Acme's sales", "Ardley house prices": an owner, not a story's place
        if not _measured(verb, subject):
            continue  # "A jury in Ardley convicted ...": no statistic
        for tok in subject.subtree:
            if tok.dep_ == "relcl":
                break
            at = _institution_at(subject, tok)
            if at is not None:
                return "at", at
            of = (tok.head.lower_ == "of" and tok.head.head.i == subject.i
                  and subject.lemma_.lower() in STATISTIC_NOUNS and tok.pos_ == "PROPN")
            if tok.dep_ != "pobj" or (tok.head.lower_ != "in" and not of) or any(
                    a.dep_ == "prep" and a.lower_ not in ("of", "in")
                    for a in tok.ancestors if subject.is_ancestor(a)):
                continue  # "Workers at the Ardley mine in Beldon": the mine's place
            # after "in" (or "The population of"), a name is a place whatever the tagger
            # calls it ("The average home in Carrowmead Harbour", tagged a person)
            place = _a_place_phrase(tok, any_label=True)
            if of and place is not None and place.split()[-1].rstrip(".").lower() in (
                    ORG_ENDINGS):
                continue  # "The value of Acme Widgets Ltd.": a company, no place
            places = {e.text for e in sent.ents if label_of(e) == "GPE"
                      and not is_dateline(e) and e.text[:1].isupper()}
            if place is not None and all(p in place for p in places):
                return "in", place
    return None


def _place_of_public_body(lead: str, sent: Span) -> str | None:
    """ "Ludgrove" of a story led by "The Ludgrove City Council", "Carrowmere" of "The
    Carrowmere Unified School District": the place a public body's name opens with, when
    the article names that place on its own (as a place, or in a body's "City"/"Town"
    word)."""
    words = _bare(clean_name(lead)).split()
    lowered = [w.lower() for w in words]
    if len(words) < 2 or not words[0][:1].isupper() or not (
            lowered[-1] in PUBLIC_NAME_WORDS or lowered[-1] == "district"):
        return None
    if lowered[1] in PLACE_NOUNS:  # "Ludgrove City Council", "Dunmarrow County Council"
        return " ".join(words[:2]) if lowered[1] in KEEP_PLACE_NOUN else words[0]
    doc = sent.doc  # looked up once, when the lead is found: linear in the article
    if any(e.text == words[0] and e.label_ == "GPE" for e in doc.ents) or any(
            t.text == words[0] and t.i + 1 < len(doc) and not doc[t.i + 1].text[:1].isupper()
            and not doc[t.i + 1].is_punct and (not t.is_sent_start or (
                t.pos_ == "PROPN" and doc[t.i + 1].pos_ == "NOUN")) for t in doc):
        return words[0]  # "Carrowmere schools": the name on its own, of a place
    return None


def _institution_at(subject: Token, tok: Token) -> str | None:
    """ "St. Ositha's Hospital in Marrowby" of "Patients at St. Ositha's Hospital in
    Marrowby": a name of several words after the subject's own "at", with its place."""
    if not (tok.dep_ == "pobj" and tok.head.lower_ == "at" and tok.head.head.i == subject.i
            and tok.pos_ == "PROPN" and tok.ent_type_ in ("ORG", "FAC")):
        return None
    words = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
    if len(words) < 2 or len(words) > 8 or any(t.is_punct and t.text != "." for t in words):
        return None
    return words.text


DURATIONS = frozenset({"minute", "hour", "day", "week"})
# Verbs that bring a statistic as a source's finding ("..., census figures showed").
FIGURE_SOURCES = frozenset({"show", "find", "suggest", "reveal"})
# Measures of a place told with "of" ("The population of Ormsby Vale grew ...").
STATISTIC_NOUNS = frozenset({"population", "number", "share", "proportion", "rate", "price",
                             "cost", "value", "average", "median", "total", "level"})
AVERAGES = frozenset({"median", "average", "mean", "total"})


def _measured(verb: Token, subject: Token) -> bool:
    """The clause reports a figure: its subject counts ("One in four pupils ...") or the
    verb takes the figure ("rose 2.8 percent", "fell to 4.1 percent")."""
    near = [*subject.subtree, *verb.children,
            *(g for c in verb.children if c.dep_ == "prep" for g in c.children),
            *(g for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in AVERAGES
              for g in c.subtree)]  # "waited a median of 6 hours"
    return any((t.ent_type_ in ("PERCENT", "MONEY", "QUANTITY", "CARDINAL") and _a_figure(t))
               or (t.ent_type_ == "TIME" and t.like_num and t.head.lemma_.lower() in DURATIONS)
               for t in near)  # "waited a median of 6 hours"


def _a_place_phrase(tok: Token, *, any_label: bool = False) -> str | None:
    """ "Ardley County" (a place's name after "in"), "the Ardley region" (a place noun a
    name qualifies), as written; None for any other word. ``any_label``: a person's label
    too (the small model calls a town many things)."""
    doc = tok.doc
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.ent_type_ in (
            "GPE", "LOC", "FAC", "ORG", "", *(("PERSON",) if any_label else ())):
        lo = tok.i
        while lo > 0 and (doc[lo].ent_iob_ == "I" or (
                not tok.ent_type_ and doc[lo - 1].pos_ == "PROPN"
                and doc[lo - 1].dep_ == "compound")):
            lo -= 1
        return doc[lo : tok.i + 1].text
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in PLACE_NOUNS | {"district"}:
        return _proper_phrase(tok)
    return None


def _proper_phrase(noun: Token) -> str | None:
    """ "the Cerro Pardo mine", "Ashgrove airport", "Pellham County's ban": a common noun
    that a name qualifies."""
    if not any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in noun.lefts):
        return None
    lo = min(c.left_edge.i for c in noun.lefts if c.dep_ in ("det", "poss", "compound", "amod"))
    return noun.doc[lo : noun.i + 1].text


def _doer_and_object(verb: Token) -> tuple[str | None, str] | None:
    """Who did an action and to what: "Ravensmoor will extend its Line 3 tram to Ashgrove
    airport" -> ("Ravensmoor", "its Line 3 tram to Ashgrove airport"); None when neither is
    said."""
    doer = _named_doer(verb, climb=("xcomp", "ccomp", "conj"))
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    words = ""
    if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
        parts = [obj] + [c for c in verb.children if c.dep_ == "prep" and c.i > obj.i
                         and c.lower_ in ("to", "into", "at", "on")
                         and not any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree)]
        lo, hi = obj.left_edge.i, max(p.right_edge.i for p in parts)
        span = verb.doc[lo : hi + 1]
        if len(span) <= 10 and not any(t.is_punct or t.dep_ == "relcl" for t in span):
            words = span.text
    if doer is None and not words:
        return None
    return doer, words


def resolve_leading_pronoun(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                            article_orgs: Collection[str] = (),
                            article_places: Collection[str] = (),
                            memory: ArticleMemory | None = None) -> Edit | None:
    """Replacement for a leading personal pronoun by the one compatible entity in sight.

    "it" and "they" look for an organisation first (the nearest one, else the article's only
    one), and only then for the one place or product in sight.
    """
    tok = _subject_pronoun(sent, unit)
    if tok is None:
        return None
    if tok.lower_ in ("it", "its") and any(
            t.i < tok.i and t.pos_ == "NOUN" and t.lemma_.lower() in THINGS for t in sent):
        return None  # "The bill's sponsor said it would pay": "it" may well be the bill
    name = None
    if tok.lower_ in ORG_PRONOUNS:
        name = (_speaker_of(tok, memory)
                or _described_self(sent, tok, previous_sents, article_orgs, article_places,
                                   memory)
                or _before_in_sentence(sent, tok, ORGS)
                or _subject_referent(previous_sents, article_orgs, places=(
                    article_places if tok.lower_ in ("it", "its") else None), memory=memory)
                or _nearest_entity(sent, tok, previous_sents[-2:], ORGS)
                or (memory.lead if memory is not None else None)
                or only(article_orgs))
    name = name or _one_entity(sent, tok, previous_sents[-2:])
    if name is None and tok.lower_ in ("he", "she") and memory is not None and not any(
            label_of(e) == "PERSON" for s in [*previous_sents[-2:], sent] for e in s.ents
            if e.start < tok.i):
        name = memory.lead_person  # no one else in sight: the person the story is about
    if name is None:
        return None
    possessive = tok.lower_ in POSSESSIVES or (tok.lower_ == "her" and tok.tag_ == "PRP$")
    name = _placed(clean_name(name), article_places)
    return tok.idx, tok.idx + len(tok.text), name + ("'s" if possessive else "")


def _speaker_of(pronoun: Token, memory: ArticleMemory | None = None) -> str | None:
    """ "Medics Without Walls said on Tuesday it had treated ...": "it" as the subject of
    what a named speaker said is the speaker (a name, or one its description introduces);
    "its" in what a person said who speaks for a body ("X, the trust's medical director,
    said that 46 of its beds ...") is that body, when the article named one such."""
    verb = pronoun.head
    while pronoun.tag_ == "PRP$" and verb.dep_ not in ("ccomp", "ROOT") and verb.head.i != verb.i:
        verb = verb.head  # "46 of its beds were closed": the clause "its" sits in
    if (pronoun.dep_ not in ("nsubj", "nsubjpass") and pronoun.tag_ != "PRP$") or (
            verb.dep_ != "ccomp"):
        return None
    said = verb.head
    if said.lemma_.lower() not in SAY_VERBS or said.i > pronoun.i:
        return None
    for speaker in (c for c in said.children if c.dep_ == "nsubj"):
        if speaker.pos_ == "NOUN":  # "A charity named Second Paws said"; "The U.N. agency said"
            return (_introduced_name(speaker) if speaker.lemma_.lower() in INTRODUCERS
                    and not _opens_dateline(speaker.head) else None)  # left to descriptions
        if speaker.pos_ != "PROPN":
            return None
        if speaker.ent_type_ == "PERSON":
            return _body_of_person(speaker, memory)
        name = _named_actor(speaker)
        if name is not None or not _opens_dateline(speaker):
            return name  # a dateline passes to the next subject ("NAIROBI, Kenya - X said")
    return None


def _described_self(sent: Span, pronoun: Token, previous_sents: Sequence[Span],
                    article_orgs: Collection[str], article_places: Collection[str],
                    memory: ArticleMemory | None) -> str | None:
    """ "The agriculture ministry said it would lend ...": "it" saying what a body described
    with "the" said is that body, named as its description resolves, else as written when
    common words single it out ("the agriculture ministry"; "the company" and "the U.N.
    agency" are left to the rules after)."""
    verb = pronoun.head
    if pronoun.lower_ != "it" or pronoun.dep_ not in ("nsubj", "nsubjpass") or (
            verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in SAY_VERBS):
        return None
    speaker = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if (speaker is None or speaker.pos_ != "NOUN" or speaker.i > pronoun.i
            or not DESCRIPTIONS.get(speaker.lemma_.lower(), frozenset()) & ORGS):
        return None
    words = list(speaker.doc[speaker.left_edge.i : speaker.i + 1])
    if words[0].lower_ != "the" or any(t.dep_ not in ("det", "compound", "amod")
                                       for t in words[1:-1]):
        return None  # "a ministry", "the ministry's spokesman", "the ministry, which ..."
    edit = _resolve_one(sent, words[0], previous_sents, article_orgs, article_places, memory)
    if edit is not None:
        return edit[2]
    if len(words) < 3 or any(t.pos_ == "PROPN" for t in words):
        return None  # "The U.N. agency": a name is meant, left to the rules after
    return " ".join(["the", *(t.text for t in words[1:])])


def _body_of_person(person: Token, memory: ArticleMemory | None) -> str | None:
    """ "Dr. X, the trust's medical director": the body a person speaks for, when the article
    named one ending in that word ("the Marrowby Health Trust")."""
    for role in (c for c in person.children if c.dep_ == "appos" and c.pos_ == "NOUN"):
        owner = next((c for c in role.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
        if (owner is not None and memory is not None
                and any(c.lower_ == "the" for c in owner.children)):
            return memory.head_name(owner.text) or memory.described.get(owner.lemma_.lower())
    return None


def resolve_description(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                        article_orgs: Collection[str] = (),
                        article_places: Collection[str] = (),
                        memory: ArticleMemory | None = None) -> Edit | None:
    """Replacement for "The company" / "The proposal" opening the unit or as its subject (or
    its subject's owner: "the company's shares") by what it stands for; a bare action noun
    as subject ("Repairs have been estimated at ...") by the action told earlier."""
    for tok in _description_determiners(sent, unit):
        edit = _resolve_one(sent, tok, previous_sents, article_orgs, article_places, memory)
        if edit is not None:
            return _fitting(sent, edit)
    return _fitting(sent, _bare_action(sent, unit, previous_sents, memory, article_orgs))


COUNTED = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|both|\d{1,2})\s+\w+s\b",
                     re.IGNORECASE)


def _fitting(sent: Span, edit: Edit | None) -> Edit | None:
    """A description's stand-in, unless it names less than the description does: one name
    for "the two schools" ("Birchmere" of "Birchmere and Lantry schools")."""
    if edit is None:
        return None
    start, end, new = edit
    old = sent.doc.char_span(start, end, alignment_mode="expand")
    old_text = old.text if old is not None else ""
    if COUNTED.search(old_text) and not re.search(r",| and |&", new):
        return None
    return edit


def _bare_action(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                 memory: ArticleMemory | None, article_orgs: Collection[str] = ()) -> Edit | None:
    """ "Repairs have been estimated at £2.6 million" after "repairing the sea wall": a
    plural action noun with no determiner opening the unit as its subject."""
    first = next((t for t in sent if t.idx == unit.start), None)
    if (first is None or first.pos_ != "NOUN" or first.tag_ != "NNS"
            or first.dep_ not in ("nsubj", "nsubjpass")
            or first.lemma_.lower() not in NOMINALS or any(True for _ in first.lefts)):
        return None
    name = _doer_of(sent, first, first, previous_sents, memory)
    lead = None if memory is None else memory.lead
    if name is None and lead is not None and lead not in article_orgs and not any(
            e.label_ in HEAD_LABELS for e in sent.ents):  # the thing (no body) the story is about
        name = f"{clean_name(lead)}'s {first.lower_}"  # "The Wrexley Viaduct's repairs"
    return None if name is None else (first.idx, first.idx + len(first.text), name)


def _resolve_one(sent: Span, tok: Token, previous_sents: Sequence[Span],
                 article_orgs: Collection[str], article_places: Collection[str],
                 memory: ArticleMemory | None = None) -> Edit | None:
    """What one "the <noun>" stands for, as an edit."""
    noun = tok.head
    end = noun.idx + len(noun.text)
    age = AGE.match(sent.text, tok.idx - sent.start_char)  # "the 24-year-old", however parsed
    if _an_age(noun) or age is not None:
        name = _nearest_entity(sent, tok, previous_sents, PEOPLE)
        end = end if age is None else sent.start_char + age.end()
        return None if name is None else (tok.idx, end, name)
    if any(c.dep_ in ("poss", "compound") for c in noun.lefts):
        return None
    if noun.pos_ == "PROPN":  # "The Foxes" after "The Fairhollow Foxes"
        name = None if memory is None else memory.head_name(noun.text)
        return None if name is None else (tok.idx, end, clean_name(name))
    if noun.pos_ != "NOUN":
        return None
    count = next((c for c in noun.children if c.dep_ == "nummod"), None)
    if noun.tag_ == "NNS" and count is not None:  # "the two schools" are two names
        name = _counted_names(sent, tok, noun, count, previous_sents)
        return None if name is None else (tok.idx, end, name)
    lemma = noun.lemma_.lower()
    if lemma in DESCRIPTIONS and any(
            c.dep_ in ("acl", "appos") and any(t.ent_type_ == "ORG" for t in c.subtree)
            for c in noun.children):
        return None  # "The team, led by Dr. X of Halvergate University": it says whose
    if lemma in DESCRIPTIONS:
        name = _described(lemma, sent, tok, previous_sents, article_orgs, article_places,
                          memory)
    elif lemma in THINGS:
        name = ((memory.authored.get(lemma) if memory is not None else None)
                or _fuller_phrase(sent, tok, noun, previous_sents)
                or _doer_of(sent, tok, noun, previous_sents, memory))
    else:  # any other noun: only its earlier mention with a name ("the Cerro Pardo mine"),
        # in sight or anywhere earlier in the article, the one name ending in it ("the
        # trust": "the Skerrow Rivers Trust"), or the action it names ("extension")
        name = (_named_phrase(sent, tok, noun, previous_sents)
                or (memory.head_name(noun.text) if memory is not None else None)
                or _based_actor(noun, article_orgs, memory)
                or (memory.phrases.get(lemma) if memory is not None else None)
                or (_doer_of(sent, tok, noun, previous_sents, memory)
                    if lemma in NOMINALS else None))
    return None if name is None else (tok.idx, end, _placed(clean_name(name), article_places))


def _based_actor(noun: Token, article_orgs: Collection[str],
                 memory: ArticleMemory | None) -> str | None:
    """ "the Kansas-based baker": a noun said to be based somewhere describes an
    organisation; in a story led by one, that one."""
    lead = None if memory is None else memory.lead
    if lead is None or lead not in article_orgs or not fits(lead, False):
        return None
    based = any(c.dep_ == "amod" and c.lower_ == "based" and any(
        g.pos_ == "PROPN" for g in c.children) for c in noun.children)
    return lead if based else None


AGE = re.compile(r"the \d{1,3}-year-old\b", re.IGNORECASE)
SMALL_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "both": 2}


def _counted_names(sent: Span, tok: Token, noun: Token, count: Token,
                   previous_sents: Sequence[Span]) -> str | None:
    """ "the two schools" after "close Birchmere and Lantry elementary schools": the
    nearest earlier phrase with the same plural noun that names as many ("Birchmere and
    Lantry elementary schools"); None when there is none."""
    wanted = SMALL_COUNTS.get(count.lower_) or (int(count.text) if count.text.isdigit()
                                                else None)
    for other in _earlier_mentions(sent, tok, noun, previous_sents):
        if other.tag_ != "NNS" or other.dep_ == "compound":
            continue
        lo = other.left_edge.i
        words = other.doc[lo : other.i + 1]
        if words[0].pos_ == "DET":
            words = words[1:]
        names = sum(1 for t in words if t.pos_ == "PROPN" and t.text[:1].isupper() and not (
            other.doc[t.i + 1].pos_ == "PROPN" and other.doc[t.i + 1].text[:1].isupper()))
        if names == wanted and len(words) <= 10:
            return words.text
        return None  # the nearest mention names something else: leave the words
    return None


def _placed(name: str, article_places: Collection[str]) -> str:
    """ "the county health department" -> "the Marrow County health department": a place
    description qualifying the name takes the article's place of that kind (or its one
    place)."""
    words = name.split()
    if len(words) < 3 or words[0].lower() != "the" or words[1].lower() not in PLACE_NOUNS:
        return name
    places = [clean_name(p) for p in article_places]
    kind = [p for p in places if p.split()[-1].lower() == words[1].lower()]
    place = only(kind) or only(places)
    return name if place is None else " ".join([words[0], place, *words[2:]])


def _doer_of(sent: Span, tok: Token, noun: Token, previous_sents: Sequence[Span],
             memory: ArticleMemory | None = None) -> str | None:
    """ "The cuts" after "Corvane Inc. plans to cut 1,200 jobs": whoever did the verb, to
    what ("Corvane Inc.'s cuts of 1,200 jobs"); "the extension" after "Ravensmoor will
    extend its Line 3 tram to Ashgrove airport". The verb in sight, else the article's
    latest one."""
    verb_lemma = NOMINALS.get(noun.lemma_.lower(), noun.lemma_.lower())
    done = None
    for verb in _earlier_mentions(sent, tok, noun, previous_sents, pos="VERB",
                                  lemma=verb_lemma):
        done = _doer_and_object(verb)
        break
    if done is None and memory is not None:
        done = memory.actions.get(verb_lemma)
    if done is None:
        return None
    owner, words = done
    if owner is None:
        lead = "the " if tok.i != noun.i else ""
        return f"{lead}{noun.text} of {words}"
    return f"{owner}'s {noun.text}" + (f" of {words}" if words else "")


def _earlier_mentions(sent: Span, tok: Token, noun: Token, previous_sents: Sequence[Span],
                      pos: str = "NOUN", lemma: str | None = None) -> Iterator[Token]:
    """Earlier words with the noun's lemma (or ``lemma``) and part of speech ``pos``,
    nearest first: this sentence, then those before."""
    lemma = lemma or noun.lemma_.lower()
    earlier = [t for t in sent if t.i < tok.i]
    for tokens in [earlier, *([*s] for s in reversed(previous_sents))]:
        for other in reversed(tokens):
            if other.pos_ == pos and other.lemma_.lower() == lemma:
                yield other


def _named_phrase(sent: Span, tok: Token, noun: Token,
                  previous_sents: Sequence[Span]) -> str | None:
    """An earlier "the Cerro Pardo mine" or "Pellham County's ban" for "the mine", "the ban"."""
    for other in _earlier_mentions(sent, tok, noun, previous_sents):
        if other.dep_ != "compound" and any(  # "Ardley city council" names no city
                c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in other.lefts):
            lo = min(c.left_edge.i for c in other.lefts
                     if c.dep_ in ("det", "poss", "compound", "amod"))
            return other.doc[lo : other.i + 1].text
    return None


def _subject_pronoun(sent: Span, unit: ClaimUnit) -> Token | None:
    """The pronoun opening the unit, or its first subject when that is a pronoun ("In
    February it sold ..."), or an "its"/"their" inside that subject's own noun phrase
    ("About 40 percent of its users ...")."""
    first = next((t for t in sent if t.idx == unit.start), None)
    if first is None or first.dep_ == "expl":
        return None
    if first.lower_ in PRONOUN_LABELS:
        return first
    subject = next((t for t in sent if unit.start <= t.idx < unit.end
                    and t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.dep_ == "expl":
        return None
    if subject.lower_ in PRONOUN_LABELS:
        return subject
    return _owner_in_phrase(subject, unit)


def _owner_in_phrase(subject: Token, unit: ClaimUnit) -> Token | None:
    """The first "its"/"their" of the subject's noun phrase inside the unit, not of a clause
    within it ("The company, which opened its first store, ..." keeps that "its")."""
    for tok in subject.subtree:
        if not (unit.start <= tok.idx < unit.end and tok.tag_ == "PRP$"
                and tok.lower_ in ("its", "their")):
            continue
        step = tok
        while step.i != subject.i and step.dep_ not in CLAUSE_DEPS:
            step = step.head
        if step.i == subject.i:
            return tok
    return None


def _before_in_sentence(sent: Span, tok: Token, labels: frozenset[str]) -> str | None:
    """The nearest entity with one of ``labels`` before ``tok`` in its sentence, leaving out
    a name that only qualifies a description ("The U.N. agency said it ...")."""
    before = [e for e in sent.ents if e.end_char <= tok.idx and label_of(e) in labels
              and not is_dateline(e) and not (e.root.dep_ == "compound"
                                              and e.root.head.lemma_.lower() in DESCRIPTIONS)]
    return clean_name(before[-1].text) if before else None


def _subject_referent(previous_sents: Sequence[Span], article_orgs: Collection[str],
                      depth: int = 3, places: Collection[str] | None = None,
                      memory: ArticleMemory | None = None) -> str | None:
    """The organisation the nearest earlier sentence is about: its subject, when that is an
    organisation, a shorter name of one the article named ("Lindqvist"), or a description of
    one ("The agency said ..."); with ``places``, a description of a place too ("The city
    expects ..."). Subjects that are pronouns pass the question further back."""
    for i in range(len(previous_sents) - 1, max(-1, len(previous_sents) - 1 - depth), -1):
        prev = previous_sents[i]
        subject = next((t for t in prev if t.dep_ in ("nsubj", "nsubjpass")
                        and t.head.dep_ == "ROOT"), None)
        if subject is None or subject.lower_ in ("it", "they") or (
                places is not None and _plural(subject)):
            continue  # "Nine of the patients were ...": not what a later "it" is
        if any(c.dep_ == "conj" for c in subject.children):
            return None  # "IBM and Microsoft reported": which one "it" is, is not said
        ent = next((e for e in prev.ents if e.start <= subject.i < e.end), None)
        if ent is not None:
            if label_of(ent) == "ORG" and not is_dateline(ent):
                return ent.text
            return next((org for org in distinct(article_orgs)
                         if set(ent.text.split()) < set(org.split())), None)
        lemma = subject.lemma_.lower()
        det = next((c for c in subject.children if c.dep_ == "det" and c.lower_ == "the"), None)
        if det is not None and ORGS <= DESCRIPTIONS.get(lemma, frozenset()):
            return _described(lemma, prev, det, previous_sents[:i], article_orgs,
                              memory=memory)
        if det is not None and places is not None and lemma in DESCRIPTIONS and (
                PLACES <= DESCRIPTIONS[lemma]):  # "The city expects ... It says ..."
            return _described(lemma, prev, det, previous_sents[:i], article_orgs, places,
                              memory)
        return None
    return None


def _plural(subject: Token) -> bool:
    """ "The patients", "Nine of them", "Both": a subject no "it" can stand for."""
    return subject.tag_ in ("NNS", "NNPS") or (
        subject.pos_ == "NUM" and subject.lower_ != "one")


def _description_determiners(sent: Span, unit: ClaimUnit) -> list[Token]:
    """The "the" of descriptions that open the unit, or of its subjects or their owners."""
    tokens = [t for t in sent if unit.start <= t.idx < unit.end]
    if not tokens:
        return []
    candidates = [tokens[0]]
    for tok in tokens:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i in {t.i for t in tokens}:
            candidates += [c for c in tok.children if c.dep_ == "det"]
            owners = [c for c in tok.children if c.dep_ == "poss" and c.pos_ == "NOUN"]
            owners += [o for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "at")
                       for o in c.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]
            candidates += [c for o in owners for c in o.children if c.dep_ == "det"]
    return [det for det in candidates if det.lower_ == "the" and det.dep_ == "det"
            and (det.head.pos_ in ("NOUN", "PROPN") or _an_age(det.head))]


def _an_age(tok: Token) -> bool:
    """ "the 24-year-old": a person described by age."""
    return tok.lower_ == "old" and any(c.lower_ == "year" for c in tok.lefts)


def _described(lemma: str, sent: Span, det: Token, previous_sents: Sequence[Span],
               article_orgs: Collection[str], article_places: Collection[str] = (),
               memory: ArticleMemory | None = None) -> str | None:
    """What "the <lemma>" stands for: a name that says it is one, else the nearest
    compatible entity, else the article's one organisation (or place, for a place)."""
    labels, public = DESCRIPTIONS[lemma], lemma in PUBLIC_BODIES
    introduced = None if memory is None else memory.described.get(lemma)
    if introduced is not None and fits(introduced, public if labels & ORGS else None):
        return introduced  # "the operator" after "tram operator Elevar Lisboa"
    own = lemma in OWN_NAME_ONLY
    name = _named_as(lemma, sent, det, previous_sents, article_orgs)
    headed = None if memory is None else memory.head_name(det.head.text)
    if name is None and headed is not None and fits(headed, public if labels & ORGS else None):
        name = headed  # "the hospital": the one name the article gave ending in it
    if name is None and not own:
        name = _nearest_entity(sent, det, previous_sents, labels, public=public)
    if name is None and det.head.pos_ == "NOUN":  # "the Ardley health district" in sight
        name = _named_phrase(sent, det, det.head, previous_sents)
    if name is None and memory is not None:
        # "the observatory" far from "The Ardley Observatory"; "the department": "the county
        # health department"
        name = memory.named.get(lemma) or memory.fuller.get(lemma)
        lead = memory.lead
        if name is None and own:
            name = _school_district(lead)  # "the district" of "Ardley Public Schools"
        elif name is None and lead is not None and (
                lemma in CRAFT or (labels & ORGS and fits(lead, public))):
            name = lead  # the actor the article is about
    if name is None and labels & ORGS and not own:
        name = only([o for o in article_orgs if fits(o, public)])
    if name is None and labels & PLACES:
        name = ((None if own else only([clean_name(p) for p in article_places]))
                or _place_of_body(lemma, sent, det, previous_sents, article_orgs, memory)
                or _story_place(lemma, memory))
    return name


def _story_place(lemma: str, memory: ArticleMemory | None) -> str | None:
    """ "the town" in a story whose statistics lead is about one place by its name ("The
    average home in Carrowmead Harbour sold for ..."): that place; not "the Ardley region"
    (a place noun of its own) nor an institution ("at St. Ositha's Hospital")."""
    if memory is None or not memory.statistic_place or memory.statistic_prep != "in":
        return None
    last = memory.statistic_place.split()[-1]
    return memory.statistic_place if last[:1].isupper() or last.lower() == lemma else None


def _school_district(lead: str | None) -> str | None:
    """ "the district" in a story led by a school body: "Ardley Public Schools" as it is,
    "The Ardley Unified school board" -> "the Ardley Unified district"."""
    words = [] if lead is None else lead.split()
    if words[:1] and words[0].lower() == "the":
        words = words[1:]
    if not any(w.lower() in SCHOOL_WORDS for w in words):
        return None
    proper = 0
    while proper < len(words) and words[proper][:1].isupper():
        proper += 1
    if proper == len(words):
        return " ".join(words)
    return None if proper == 0 else "the " + " ".join(words[:proper]) + " district"


# Place nouns that stay in the place's name ("Dunmarrow County"); the others go ("Harwick").
KEEP_PLACE_NOUN = frozenset({"county", "region", "province", "district"})


def _place_of_body(lemma: str, sent: Span, det: Token, previous_sents: Sequence[Span],
                   article_orgs: Collection[str],
                   memory: ArticleMemory | None = None) -> str | None:
    """ "the city" after "The Harwick City Council" or "the Harwick city council": the place
    a public body's name is of ("Harwick"; "Dunmarrow County" from "Dunmarrow County
    Council"), nearest first, then the bodies' fuller phrases the article remembers."""
    names = [e.text for e in sent.ents if e.end_char <= det.idx][::-1]
    names += [e.text for s in reversed(previous_sents) for e in reversed(s.ents)]
    names += list(article_orgs)[::-1]
    if memory is not None:
        names += [memory.fuller[b] for b in PUBLIC_BODIES if b in memory.fuller]
    for name in names:
        words = clean_name(name).split()
        if words and words[0].lower() == "the":
            words = words[1:]
        lowered = [w.lower() for w in words]
        if (len(words) >= 3 and lowered[-1] in PUBLIC_NAME_WORDS and lemma in lowered[1:-1]
                and all(w[:1].isupper() for w in words[: lowered.index(lemma, 1)])):
            at = lowered.index(lemma, 1)
            return " ".join(words[: at + 1] if lemma in KEEP_PLACE_NOUN else words[:at])
    return None


def _a_figure(tok: Token) -> bool:
    """ "92p", "£4", "40", "3.8": a word that is a number or an amount."""
    return (tok.like_num or tok.text[:1].isdigit() or tok.text[:1] in "$£€¥"
            or tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"))


def resolve_places(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                   article_orgs: Collection[str] = (),
                   article_places: Collection[str] = (),
                   memory: ArticleMemory | None = None) -> list[Edit]:
    """ "Breakfasts will cost the county 92p": a place description anywhere in the unit
    ("the county", "the city's budget") takes the place's name, as a subject does."""
    edits: list[Edit] = []
    for tok in sent:
        if not unit.start <= tok.idx < unit.end or tok.lower_ != "the" or tok.dep_ != "det":
            continue
        doc = tok.doc
        noun = doc[tok.i + 1] if tok.i + 1 < len(doc) else tok
        after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        if (noun.pos_ == "NOUN" and noun.dep_ == "compound" and after is not None
                and (after.pos_ == "NOUN" or (after.pos_ == "PROPN" and after.text.islower()))
                and not _a_figure(after)
                and noun.lemma_.lower() in PLACE_NOUNS
                and noun.idx + len(noun.text) <= unit.end):
            # "the county health department" in a story of one county: "the Pellory County
            # health department" (only a place whose name ends in the word)
            story = [memory.statistic_place] if memory is not None and memory.statistic_place \
                else []
            kind = only([clean_name(p) for p in [*article_places, *story]
                         if clean_name(p).split()[-1].lower() == noun.lower_])
            if kind is not None:
                edits.append((tok.idx, noun.idx + len(noun.text), "the " + kind))
            continue
        # "the county council", "the city centre", "the city of Kaldava" are other things;
        # "cost the county 92p" (a figure after it) is the county
        if (noun.pos_ != "NOUN" or noun.lemma_.lower() not in PLACE_NOUNS | OWN_NAME_ONLY
                or noun.idx + len(noun.text) > unit.end
                or (after is not None and (after.lower_ == "of" or (
                    after.pos_ in ("NOUN", "PROPN", "ADJ") and not _a_figure(after)
                    and after.ent_type_ not in ("DATE", "TIME"))))):  # "the town last year"
            continue
        name = _described(noun.lemma_.lower(), sent, tok, previous_sents, article_orgs,
                          article_places, memory)
        if name is not None:
            edits.append((tok.idx, noun.idx + len(noun.text), clean_name(name)))
    return edits


def resolve_owners(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                   article_orgs: Collection[str] = (),
                   memory: ArticleMemory | None = None) -> list[Edit]:
    """Owners anywhere in the unit, not only in its subject: "less than 1 percent of the
    chain's revenue" (a description the article introduced a name with, or the one name
    ending in its noun) and "one in six of its warehouse workers" (an "its" no earlier word
    of the unit can own: the organisation before it in the sentence, else the one the
    sentence before was about, else the article's lead)."""
    edits: list[Edit] = []
    tokens = [t for t in sent if unit.start <= t.idx < unit.end]
    for tok in tokens:
        if tok.dep_ == "poss" and tok.pos_ == "NOUN" and memory is not None and any(
                c.lower_ == "the" and c.dep_ == "det" for c in tok.children) and not any(
                c.dep_ in ("compound", "amod") and not _a_nationality(c)
                for c in tok.children):
            lemma = tok.lemma_.lower()
            labels = DESCRIPTIONS.get(lemma, frozenset())
            public = lemma in PUBLIC_BODIES if labels & ORGS else None
            det = next(c for c in tok.children if c.lower_ == "the")
            name = ((memory.described.get(lemma) if labels & ORGS else None)
                    or memory.head_name(tok.text))
            if name is None and labels & ORGS and any(_a_nationality(c) for c in tok.children):
                # "the U.S. company's app": a body told by its country, as "the company" is
                name = _described(lemma, sent, det, previous_sents, article_orgs, (), memory)
            if name is not None and fits(name, public):
                edits.append((det.idx, tok.idx + len(tok.text), clean_name(name)))
        elif (tok.lower_ == "its" and tok.tag_ == "PRP$" and unit.shared_subject is None
              and not _owned_before(tokens, tok)):  # a shared subject owns it: it is named
            name = (_before_in_sentence(sent, tok, ORGS)
                    or _subject_referent(previous_sents, article_orgs, memory=memory)
                    or (memory.lead if memory is not None and memory.lead in article_orgs
                        else None))
            if name is not None:
                edits.append((tok.idx, tok.idx + len(tok.text), clean_name(name) + "'s"))
    return edits


def _a_nationality(tok: Token) -> bool:
    """ "U.S." of "the U.S. company", "Dutch" of "the Dutch bank": a country or people."""
    return tok.ent_type_ in ("GPE", "NORP") and tok.dep_ in ("compound", "amod")


def resolve_short_names(sent: Span, unit: ClaimUnit,
                        memory: ArticleMemory | None) -> list[Edit]:
    """ "The result leaves Rovers two points clear" after "Halbury Rovers", "after Athletic
    had led" after "Stennick Athletic": a one-word organisation name anywhere in the unit
    that is the last word of exactly one longer name the article gave is that name. A word
    inside a longer name ("Rovers manager X"), after "the" (a description's rule) or ending
    two names is left as it is."""
    if memory is None:
        return []
    edits: list[Edit] = []
    doc = sent.doc
    for tok in sent:
        if (not unit.start <= tok.idx < unit.end or not tok.text[:1].isupper()
                or not ((tok.pos_ == "PROPN" and tok.ent_type_ in ("ORG", ""))
                        or tok.ent_type_ == "ORG") or tok.ent_iob_ == "I"
                or (tok.i + 1 < len(doc) and doc[tok.i + 1].ent_iob_ == "I")
                or tok.dep_ in ("compound", "flat") or any(
                    c.dep_ in ("compound", "flat", "det") for c in tok.children)
                or (tok.i > 0 and doc[tok.i - 1].lower_ == "the")):
            continue
        name = memory.head_name(tok.text)
        if name is not None and len(clean_name(name).split()) > 1:
            edits.append((tok.idx, tok.idx + len(tok.text), _bare(clean_name(name))))
    return edits


def _owned_before(tokens: Sequence[Token], its: Token) -> bool:
    """A word of the unit before "its" that it may stand for: a pronoun, a name, or a
    singular noun said with "the", "this" or an owner ("the store", "Acme's plant")."""
    for tok in tokens:
        if tok.i >= its.i:
            return False
        if tok.pos_ == "PRON" or tok.ent_type_ in HEAD_LABELS or tok.pos_ == "PROPN":
            return True
        if tok.pos_ == "NOUN" and tok.tag_ == "NN" and tok.dep_ != "ROOT" and any(
                c.dep_ == "poss" or c.lower_ in ("the", "this", "that") for c in tok.children):
            return True
    return False


def _named_as(lemma: str, sent: Span, tok: Token, previous_sents: Sequence[Span],
              article_orgs: Collection[str]) -> str | None:
    """The nearest name that says what it is: "the agency" -> "The Federal Food Safety
    Agency"."""
    names = [full_name(e) for e in sent.ents if e.end_char <= tok.idx][::-1]
    names += [full_name(e) for s in reversed(previous_sents) for e in reversed(s.ents)]
    names += list(article_orgs)[::-1]
    return next((n for n in names if _says_it_is(n, lemma)), None)


def _says_it_is(name: str, lemma: str) -> bool:
    """ "The Federal Food Safety Agency" is an agency, "University of Ardmore" a university;
    "Harwick City Council" is no city."""
    words = name.lower().rstrip(".").split()
    if len(set(words) - {"the", lemma}) == 0:
        return False  # "Council" alone (as in "Council member X") names no council
    return words[-1:] == [lemma] or (len(words) > 2 and words[0] == lemma and words[1] == "of")


def _nearest_entity(sent: Span, tok: Token, previous_sents: Sequence[Span],
                    labels: frozenset[str], *, public: bool | None = None) -> str | None:
    """The nearest entity with one of ``labels``: earlier in the sentence, else in the nearest
    sentence before that has one (preferring its subject); None when that is ambiguous."""
    before = [e for e in sent.ents if e.end_char <= tok.idx and label_of(e) in labels
              and not is_dateline(e) and fits(e.text, public) and not _a_kind(e.text)]
    if before:
        return full_name(before[-1])
    for prev in reversed(previous_sents):
        found = [e for e in prev.ents if label_of(e) in labels and not is_dateline(e)
                 and fits(e.text, public) and not _a_kind(e.text) and not _aside(e)]
        if not found:
            continue
        names = distinct(full_name(e) for e in found)
        if len(names) == 1:
            return names[0]
        subjects = distinct(full_name(e) for e in found if _is_or_owns_subject(e))
        if len(subjects) == 1 and not any(t.dep_ == "conj" for e in found for t in e):
            return subjects[0]
        return None
    return None


def _aside(ent: Span) -> bool:
    """A name told in passing inside another noun's clause ("beating the 58 cents analysts
    polled by Stoneleigh Research had forecast"): not what the sentence is about."""
    step = ent.root
    while step.head.i != step.i:
        if (step.dep_ in ("acl", "relcl") and step.head.pos_ == "NOUN"
                and not step.head.ent_type_
                and step.head.dep_ != "ROOT"  # "The team, led by ...": the sentence's topic
                and not (step.head.dep_ in ("nsubj", "nsubjpass")
                         and step.head.head.dep_ == "ROOT")):
            return True
        step = step.head
    return False


def _a_kind(name: str) -> bool:
    """ "Council" of "Council member X", "the Board": a description's word tagged as a name."""
    words = name.lower().split()
    return bool(words) and words[-1] in DESCRIPTIONS and all(
        w in ("the", words[-1]) for w in words)


def _is_or_owns_subject(ent: Span) -> bool:
    """The entity is a clause's subject, or names its owner ("Halvorsen Pharma shares rose",
    "Acme's profit fell")."""
    root = ent.root
    return any(t.dep_ in ("nsubj", "nsubjpass") for t in ent) or (
        root.dep_ in ("compound", "poss") and root.head.dep_ in ("nsubj", "nsubjpass")
        and not ent.start <= root.head.i < ent.end)


def _fuller_phrase(sent: Span, tok: Token, noun: Token,
                   previous_sents: Sequence[Span]) -> str | None:
    """An earlier noun phrase with the same noun and more words ("the council's plan")."""
    for other in _earlier_mentions(sent, tok, noun, previous_sents):
        lo = min((c.left_edge.i for c in other.lefts
                  if c.dep_ in ("det", "poss", "compound", "amod", "nmod")), default=other.i)
        words = other.doc[lo : other.i + 1]
        if len(words) > 2 or (len(words) == 2 and words[0].pos_ != "DET"):
            return _owner_named(words)
        owner = _clause_subject(other)
        if owner is not None:  # "the council has drawn up a plan": "the council's plan"
            return f"{owner}'s {other.text}"
    return None


def _named_doer(verb: Token, climb: Collection[str] | None = None) -> str | None:
    """The nearest named subject up from a verb, past pronouns that stand for a speaker
    ("Corvane Inc. said it plans to cut ..." -> "Corvane Inc."). With ``climb``, only up
    those dependencies ("will go towards repairing the sea wall": nobody repairs)."""
    for _ in range(6):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ != "PRON":
            if _opens_dateline(subject):  # "WELLINGTON, Feb 3 (Wire) - Pukerau Dairy said"
                return _named_actor(subject)
            lo = subject.left_edge.i
            if subject.ent_iob_ in ("B", "I"):  # "Grid operator Enlace Nacional": the name
                lo = subject.i
                while lo > 0 and verb.doc[lo].ent_iob_ == "I":
                    lo -= 1
            return verb.doc[lo : subject.i + 1].text
        if verb.head.i == verb.i or (climb is not None and verb.dep_ not in climb):
            return None
        verb = verb.head
    return None


def _clause_subject(tok: Token) -> str | None:
    """The named subject of the clause a noun sits in, as written ("Ashby's council")."""
    verb = tok.head
    while verb.dep_ not in ("ROOT", "ccomp", "conj", "relcl") and verb.head.i != verb.i:
        verb = verb.head
    owner = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
    if owner is None:
        return None
    name = tok.doc[owner.left_edge.i : owner.i + 1].text
    return "the " + name[4:] if name.lower().startswith("the ") else name


def _owner_named(words: Span) -> str:
    """ "its parking proposal" -> "the council's parking proposal" when the clause's subject
    owns it; the words as they are otherwise."""
    first = words[0]
    if first.tag_ != "PRP$" or first.lower_ not in ("its", "their"):
        return words.text
    name = _clause_subject(words.root)
    return words.text if name is None else f"{name}'s {words[1:].text}"


def resolve_measure_owner(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                          article_orgs: Collection[str] = (),
                          memory: ArticleMemory | None = None) -> Edit | None:
    """ "Revenue nearly doubled in 2023, Tollway said", "The shares closed up 7%": a
    company's measure with no owner in its subject takes the organisation's name
    ("Tollway's revenue"): the speaker when that is an organisation, else the organisation
    the sentence before was about, else the nearest one in sight, else the article's one.
    In a statistics story, a figure whose subject has no owner or place takes the place
    the lead is about (``resolve_statistic_place``)."""
    return (_measure_owner(sent, unit, previous_sents, article_orgs, memory)
            or _forecast_owner(sent, unit, previous_sents, article_orgs, memory)
            or resolve_qualified_role(sent, unit, memory)
            or resolve_statistic_place(sent, unit, memory))


def resolve_qualified_role(sent: Span, unit: ClaimUnit,
                           memory: ArticleMemory | None) -> Edit | None:
    """ "drivers are paid £13.40 an hour" in a story that told of "Bus drivers at Veltra
    Coaches", "The researchers followed 12,400 workers" after "researchers at the University
    of Caddon Vale": a plural subject with no owner, place or clause of its own takes the body
    the article told it with, when it told only one ("drivers at Veltra Coaches are paid")."""
    if memory is None:
        return None
    subject = next((t for t in sent if unit.start <= t.idx < unit.end
                    and t.dep_ in ("nsubj", "nsubjpass") and unit.start <= t.head.idx < unit.end),
                   None)
    if subject is None or subject.pos_ != "NOUN" or subject.tag_ != "NNS":
        return None
    phrase = memory.qualified.get(subject.lemma_.lower())
    if not phrase or subject.right_edge.i != subject.i or any(
            c.dep_ not in ("det", "amod", "compound") or (c.dep_ == "det" and c.lower_ != "the")
            or c.pos_ == "PROPN" for c in subject.lefts) or subject.left_edge.idx < unit.start:
        return None
    end = subject.idx + len(subject.text)
    return end, end, f" {phrase}"


# Who forecasts a company's figures, and how they say it.
FORECASTERS = frozenset({"analyst", "economist", "investor", "forecaster", "estimate"})
FORECAST_VERBS = frozenset({"expect", "forecast", "estimate", "predict", "project",
                            "anticipate"})


def _forecast_owner(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                    article_orgs: Collection[str],
                    memory: ArticleMemory | None) -> Edit | None:
    """ "Analysts had expected 71 cents a share" in a company's story: a forecast figure
    with no owner is the organisation's ("... 71 cents a share for Acme Inc."): the one the
    sentence before was about, else the lead's, else the article's one."""
    if memory is not None and memory.statistic_place:
        return None  # a statistics story: the figure is the place's, said by its subject
    subject = next((t for t in sent if unit.start <= t.idx < unit.end
                    and t.dep_ == "nsubj" and t.lemma_.lower() in FORECASTERS), None)
    if subject is None or subject.pos_ != "NOUN" or any(
            c.dep_ in ("poss", "prep", "compound") for c in subject.children):
        return None
    verb = subject.head
    figure = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if (verb.lemma_.lower() not in FORECAST_VERBS or figure is None
            or not any(t.ent_type_ in ("MONEY", "PERCENT", "CARDINAL") for t in figure.subtree)
            or any(t.pos_ in ("PROPN", "PRON") or t.dep_ == "poss" for t in figure.subtree)
            or any(c.dep_ == "prep" and c.lower_ in ("for", "from", "of") for c in verb.children)
            or not unit.start <= figure.right_edge.idx < unit.end):
        return None
    lead = None if memory is None else memory.lead
    name = (_subject_referent(previous_sents, article_orgs, memory=memory)
            or (lead if lead is not None and lead in article_orgs and fits(lead, False)
                else None)
            or only([o for o in article_orgs if fits(o, False)]))
    if name is None:
        return None
    last = figure.right_edge
    at = last.idx + len(last.text)
    return at, at, f" for {clean_name(name)}"


# Words that give a figure a scope other than the article's place ("prices nationally").
OTHER_SCOPES = frozenset({"national", "nationally", "nationwide", "global", "globally",
                          "worldwide", "international", "internationally", "elsewhere",
                          "abroad", "federal", "country", "world"})


def resolve_statistic_place(sent: Span, unit: ClaimUnit,
                            memory: ArticleMemory | None) -> Edit | None:
    """ "Food prices rose 5.1 percent" in a story led by "Consumer prices in Ardley rose
    ...": a figure whose subject is a common noun or a number with no name, owner or place
    of its own, in a unit naming no place, organisation or other scope, is the lead's place's
    ("Food prices in Ardley rose 5.1 percent"). Descriptions ("the board") and pronouns are
    left to their own rules."""
    if memory is None or not memory.statistic_place:
        return None
    place = memory.statistic_place
    tokens = [t for t in sent if unit.start <= t.idx < unit.end]
    subject = next((t for t in tokens if t.dep_ in ("nsubj", "nsubjpass")
                    and unit.start <= t.head.idx < unit.end), None)
    if subject is None:  # "The jobless rate held at 6 percent" parsed as a noun and its acl
        subject = next((t for t in tokens if t.dep_ == "ROOT" and t.pos_ == "NOUN" and any(
            c.dep_ == "acl" and c.i > t.i for c in t.children)), None)
    if subject is None or subject.pos_ not in ("NOUN", "NUM") or any(
            _a_clause(c) and not any(_a_figure(t) for t in c.subtree) for c in subject.subtree
            if c.head.i == subject.i or (c.head.dep_ == "pobj" and c.head.head.head.i
                                         == subject.i)):
        return None  # "Economists polled by the paper expected ...": whose, it says
    lemma = subject.lemma_.lower()
    if lemma in DESCRIPTIONS or lemma in THINGS or lemma in NOMINALS:
        return None
    phrase = [t for t in subject.subtree if not _a_clause(t) and t.dep_ != "punct"
              and not any(_a_clause(a) for a in t.ancestors if subject.is_ancestor(a))]
    if any((t.pos_ in ("PROPN", "PRON") and not memory.common(t)) or t.dep_ == "poss"
           or t.lemma_.lower() in DESCRIPTIONS
           or (t.dep_ == "prep" and t.lower_ in ("in", "at", "across", "outside")
               and t.head.pos_ == "NOUN") for t in phrase) or not all(
                   unit.start <= t.idx < unit.end for t in phrase):
        return None
    words = {w.strip(",.'’s").lower() for w in place.split() if w[:1].isupper()} - {"the"}
    if any(t.lower_ in OTHER_SCOPES or t.lower_ in words or t.lemma_.lower() in PLACE_NOUNS
           or (t.ent_type_ in ("GPE", "LOC", "NORP", "ORG") and not memory.common(t))
           for t in tokens
           if not any(a.lower_ == "according" for a in t.ancestors)):  # a source is no scope
        return None
    if not any(_a_figure(t) for t in tokens):
        return None
    end = max(t.i for t in phrase)
    last = sent.doc[end]
    at = last.idx + len(last.text)
    return at, at, f" {memory.statistic_prep} {place}"


def _a_clause(tok: Token) -> bool:
    """A clause inside a subject's phrase, which may say whose it is; not a participle with
    no words of its own ("people screened") or a second noun ("Seniors and students")."""
    return tok.dep_ in CLAUSE_DEPS and not (
        (tok.dep_ == "acl" and tok.tag_ == "VBN" and not any(True for _ in tok.children))
        or (tok.dep_ == "conj" and tok.pos_ == "NOUN"))


def _measure_owner(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                   article_orgs: Collection[str],
                   memory: ArticleMemory | None) -> Edit | None:
    """A company's measure with no owner in its subject, named as the organisation's."""
    subject = next((t for t in sent if unit.start <= t.idx < unit.end
                    and t.dep_ in ("nsubj", "nsubjpass") and unit.start <= t.head.idx < unit.end),
                   None)
    if (subject is None or subject.pos_ != "NOUN" or subject.lemma_.lower() not in MEASURES
            or any(c.dep_ in OWNER_DEPS or (c.dep_ == "compound" and c.pos_ == "PROPN")
                   or (c.dep_ == "prep" and c.lower_ in OWNER_PREPS)
                   or (c.dep_ == "det" and c.lower_ != "the") for c in subject.children)):
        return None
    lo = subject.left_edge.i
    if lo > subject.i or sent.doc[lo].idx < unit.start:
        return None
    name = (_organisation_speaker(sent, unit.speaker, article_orgs)
            or _described_speaker(sent, unit, previous_sents, article_orgs, memory)
            or _subject_referent(previous_sents, article_orgs, memory=memory)
            or _nearest_entity(sent, subject, previous_sents[-2:], ORGS, public=False)
            or only([o for o in article_orgs if fits(o, False)]))
    if name is None:
        return None
    doc = sent.doc
    words_from = lo + 1 if doc[lo].dep_ == "det" else lo
    words = doc[words_from : subject.i + 1].text
    if doc[words_from].pos_ != "PROPN":
        words = words[:1].lower() + words[1:]
    return doc[lo].idx, subject.idx + len(subject.text), f"{clean_name(name)}'s {words}"


def _described_speaker(sent: Span, unit: ClaimUnit, previous_sents: Sequence[Span],
                       article_orgs: Collection[str],
                       memory: ArticleMemory | None = None) -> str | None:
    """ "The group said like-for-like sales rose ...": the name "the group" stands for."""
    if unit.kind != "reported":
        return None
    speaker = next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
    det = None if speaker is None else next(
        (c for c in speaker.children if c.dep_ == "det" and c.lower_ == "the"), None)
    if det is None or speaker is None or speaker.lemma_.lower() not in DESCRIPTIONS:
        return None
    edit = _resolve_one(sent, det, previous_sents, article_orgs, (), memory)
    return None if edit is None else edit[2]


def _organisation_speaker(sent: Span, speaker: str | None,
                          article_orgs: Collection[str]) -> str | None:
    """The speaker of reported speech when it is an organisation: one the article named, an
    organisation entity, or a single capitalised word the tagger gave no label ("Tollway")."""
    if not speaker:
        return None
    if speaker in article_orgs:
        return speaker
    ent = next((e for e in sent.ents if e.text == speaker), None)
    if ent is not None:
        return speaker if label_of(ent) == "ORG" else None
    words = speaker.split()
    if len(words) == 1 and words[0][:1].isupper() and words[0].lower() not in PRONOUN_LABELS:
        tok = next((t for t in sent if t.text == speaker), None)
        return speaker if tok is not None and tok.pos_ == "PROPN" and not tok.ent_type_ else None
    return None


def resolve_demonstrative(sent: Span, unit: ClaimUnit,
                          previous_sents: Sequence[Span]) -> Edit | None:
    """ "That is the lowest since 2021" after "The average price of gasoline fell to $2.98":
    the measure the sentence before reported takes the place of "That"."""
    first = next((t for t in sent if t.idx == unit.start), None)
    if (first is None or first.lower_ not in ("that", "this") or first.dep_ != "nsubj"
            or first.head.lemma_ != "be" or not previous_sents):
        return None
    ranks = [t for t in first.head.subtree if t.tag_ == "JJS" or t.lower_ in RANK_WORDS]
    if not ranks:
        return None
    root = previous_sents[-1].root
    said = next((c for c in root.children if c.dep_ == "ccomp"), None)
    verb = said if root.lemma_.lower() in SAY_VERBS and said is not None else root
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                    and c.pos_ in ("NOUN", "PROPN")), None)
    if subject is None:
        return None
    words = subject.doc[subject.left_edge.i : subject.right_edge.i + 1].text
    return first.idx, first.idx + len(first.text), words


def resolve_speaker(sent: Span, speaker: str | None,
                    previous_sents: Iterable[Span]) -> str | None:
    """A pronoun speaker ("She added that ...") replaced by the one compatible entity in sight."""
    if speaker is None or speaker.lower() not in PRONOUN_LABELS:
        return speaker
    tok = next((t for t in sent if t.text == speaker and t.dep_ in ("nsubj", "nsubjpass")), None)
    name = None if tok is None else _one_entity(sent, tok, previous_sents)
    return speaker if name is None else name


def _one_entity(sent: Span, tok: Token, previous_sents: Iterable[Span]) -> str | None:
    """The single entity a pronoun can refer to: earlier in its sentence, else just before."""
    labels = PRONOUN_LABELS.get(tok.lower_)
    if labels is None:
        return None
    def fits(e: Span) -> bool:  # "it" as a place only for a place the sentence is about
        return (label_of(e) in labels and not is_dateline(e)
                and (labels == PEOPLE or any(t.dep_ in ("nsubj", "nsubjpass")
                                             and not any(c.dep_ == "conj" for c in t.children)
                                             for t in e)))

    before = [e for e in sent.ents if e.end_char <= tok.idx and fits(e)]
    names = distinct(e.text for e in before)
    earlier = distinct(e.text for s in previous_sents for e in s.ents if fits(e))
    if not names:
        names = earlier
    elif labels == PEOPLE and len(names) == 1 and _told_by(tok, before[-1]):
        names = distinct([*names, *earlier])  # "X said he ...": X, or the one named before
    return names[0] if len(names) == 1 else None


def _told_by(pronoun: Token, person: Span) -> bool:
    """The pronoun is the subject of what the person said ("Prosecutor X said that he had
    ..."), where it may as well be someone else."""
    verb = pronoun.head
    return (pronoun.dep_ in ("nsubj", "nsubjpass") and verb.dep_ == "ccomp"
            and verb.head.lemma_.lower() in SAY_VERBS
            and any(c.dep_ == "nsubj" and person.start <= c.i < person.end
                    for c in verb.head.children))


