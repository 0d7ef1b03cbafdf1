"""Names as the small spaCy model gives them, made usable as subjects.

Requires: entity Spans and sentence Spans of a parsed Doc (parser, NER). Assigns: nothing.
The tagger misses names ("Rannaraud" as no entity, "Greyholt Water" as a PERSON), clips them
("Bay Port" for "Kestrel Bay Port") and takes datelines for actors ("OSLO, March 3 -"); these
helpers put that right where the parse allows.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from workers.pipeline.statements import WHITESPACE_RE

# The last word of a public body's name.
PUBLIC_NAME_WORDS = frozenset({
    "ministry", "agency", "department", "board", "commission", "authority", "council",
    "office", "government", "service", "bureau", "administration", "institute", "parliament",
    "assembly", "court", "regulator", "police", "committee", "senate", "congress", "cabinet",
    "inspectorate", "tribunal", "executive"})
ORG_ENDINGS = frozenset({
    "inc", "ltd", "corp", "co", "plc", "llc", "group", "holdings", "pharma", "water", "foods",
    "shipping", "bank", "airlines", "airways", "energy", "motors", "telecom", "media",
    "capital", "partners", "systems", "technologies", "labs", "cereals", "nutrition",
    "insurance", "rail", "logistics", "mining", "minerals", "steel", "oil", "power",
    "utilities", "pharmaceuticals", "trust", "fund", "board", "agency", "ministry",
    "committee", "association", "institute", "university", "council", "authority"})


# Common nouns that say the name right after them is an organisation ("low-cost airline
# Vuelaluz", "tractor maker Hollis Agritech", "the union, SITCA").
ORG_DESCRIBERS = frozenset({
    "company", "firm", "airline", "carrier", "maker", "carmaker", "automaker", "retailer",
    "chain", "bank", "lender", "insurer", "union", "charity", "operator", "manufacturer",
    "supplier", "producer", "brewer", "startup", "start-up", "publisher", "broadcaster",
    "grocer", "supermarket", "developer", "conglomerate", "group", "business", "utility",
    "miner", "shipper", "exporter", "bakery", "baker", "provider", "platform", "app"})
PLACE_DESCRIBERS = frozenset({"city", "town", "village", "county", "state", "province",
                              "region", "island", "district", "municipality"})
_DESCRIBED_NAMES = "claimdesk_described_names"


def label_of(ent: Span) -> str:
    """The entity's label, except that a name ending in a word organisations end in
    ("Halvorsen Pharma", "Greyholt Water", "Acme Inc.") is an organisation whatever the
    small model says, and so is a name the article introduces with an organisation noun
    ("airline Vuelaluz" makes every "Vuelaluz" of the Doc one); "Calderbridge" in "the
    Calderbridge-based group" is a place."""
    doc = ent.doc
    if ent.end + 1 < len(doc) and doc[ent.end].text == "-" and doc[ent.end + 1].lower_ == "based":
        return "GPE"
    last = ent[-1].lower_.rstrip(".")
    if ent.label_ != "ORG" and last in ORG_ENDINGS and len(ent) > 1:
        return "ORG"
    if ent.label_ in ("PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "GPE", "ORG"):
        return described_names(doc).get(ent.text, ent.label_)
    return ent.label_


def described_names(doc: Doc) -> dict[str, str]:
    """Labels of names the Doc introduces with a common noun: an organisation next to its
    noun ("airline Vuelaluz", "tractor maker Hollis Agritech") or as its appositive ("the
    union, SITCA"), with its first word ("Hollis"), is ORG; a place after "city of" / "town
    of" ("the port city of Kaldava") is GPE. One walk of ``doc.ents``, kept in
    ``doc.user_data``, so every mention of the name gets the label."""
    known = doc.user_data.get(_DESCRIBED_NAMES)
    if known is None:
        names: dict[str, str] = {}
        for ent in doc.ents:
            if ent.start < 2:
                continue
            before, head = doc[ent.start - 1], ent.root.head
            if before.lower_ == "of" and doc[ent.start - 2].lower_ in PLACE_DESCRIBERS:
                if ent.label_ not in ("GPE", "DATE", "CARDINAL"):
                    names[ent.text] = "GPE"
            elif ent.label_ != "ORG" and (
                    (before.pos_ == "NOUN" and before.lower_ in ORG_DESCRIBERS)
                    or (ent.root.dep_ == "appos" and head.pos_ == "NOUN"
                        and head.lower_ in ORG_DESCRIBERS)):
                names[ent.text] = "ORG"
                if len(ent) > 1 and ent[0].pos_ == "PROPN":
                    names.setdefault(ent[0].text, "ORG")
        known = names
        doc.user_data[_DESCRIBED_NAMES] = known
    return known


def untagged_actors(sent: Span) -> list[str]:
    """Names acting as a clause's subject that the tagger gave no label ("Estonian rail
    operator Rannaraud said ..."): most often organisations it does not know."""
    found = []
    for tok in sent:
        opens = tok.i == sent.start or not tok.doc[tok.i - 1].is_alpha
        if (tok.dep_ == "nsubj" and tok.tag_ == "NNP" and not tok.ent_type_
                and tok.text[:1].isupper() and tok.head.pos_ in ("VERB", "AUX")
                and (not opens or any(True for _ in tok.lefts))):  # "Prices fell" is no name
            lo = tok.i
            while lo > sent.start and tok.doc[lo - 1].dep_ == "compound" and tok.doc[
                    lo - 1].pos_ == "PROPN":
                lo -= 1
            found.append(tok.doc[lo : tok.i + 1].text)
    return found


def is_dateline(ent: Span) -> bool:
    """ "OSLO, March 3 (Wire) -": a place in capitals opening its line, or the news agency
    in brackets before the dash, is not an actor."""
    doc = ent.doc
    opens = ent.start == 0 or "\n" in doc[ent.start - 1].text_with_ws
    if opens and ent.text.isupper() and ent.end < len(doc) and doc[ent.end].text == ",":
        return True
    return (0 < ent.start and ent.end + 1 < len(doc) and doc[ent.start - 1].text == "("
            and doc[ent.end].text == ")" and doc[ent.end + 1].text in DASHES)


DASHES = frozenset({"-", "--", "–", "—"})


def full_name(ent: Span) -> str:
    """An entity with the capitalised words the tagger left off its front ("Kestrel" of
    "Kestrel Bay Port"), when they belong to the same name in the parse."""
    doc, start = ent.doc, ent.start
    while start > ent.sent.start:
        before = doc[start - 1]
        if before.pos_ != "PROPN" or before.dep_ != "compound":
            break
        if not start <= before.head.i < ent.end:
            break
        start -= 1
    return doc[start : ent.end].text


def clean_name(name: str) -> str:
    """An entity's text as a subject: "Port Alder's" -> "Port Alder"."""
    for suffix in ("'s", "’s"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def only(names: Iterable[str]) -> str | None:
    """The one name of a list, counting a shorter mention of a longer name as the same."""
    names = distinct(names)
    return names[0] if len(names) == 1 else None


def distinct(names: Iterable[str]) -> list[str]:
    """Entity names with duplicates and shorter mentions of a longer name ("Krishna") dropped.

    A name is dropped when another name holds all its words. The names holding a word are
    indexed once, so the check costs the few names sharing a name's rarest word, not every
    other name (the article's organisations come here, and they grow with its length)."""
    unique = {WHITESPACE_RE.sub(" ", name).strip() for name in set(names)}
    unique.discard("")
    holders: dict[str, set[str]] = {}
    for name in unique:
        for word in name.split():
            holders.setdefault(word, set()).add(name)
    kept = []
    for name in unique:
        words = sorted(set(name.split()), key=lambda word: len(holders[word]))
        others = holders[words[0]] - {name}
        for word in words[1:]:
            others &= holders[word]
        if not others:
            kept.append(name)
    return sorted(kept)


def fits(name: str, public: bool | None) -> bool:
    """Whether a name can stand for a description of a public body (``public``) or of any
    other organisation: "the ministry" needs a name like one ("The Water Ministry", not "Acme
    Inc." or "Enlace Nacional"); "the charity" is not "Sallowby Crown Court". ``None``: any."""
    if public is None:
        return True
    last = name.split()[-1].rstrip(".").lower() if name.split() else ""
    return (last in PUBLIC_NAME_WORDS) == public
