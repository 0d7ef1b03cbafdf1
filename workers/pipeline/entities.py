"""Entity index: the named entities inside any span of a Doc, from one walk of ``doc.ents``.

requires: ``doc.ents`` (NER). assigns: nothing on the Doc. ``EntityIndex(doc).within(span)``
returns the entities ``span.ents`` returns, in text order; ``index.sentence(span)`` returns the
same span as a ``SentenceSpan``, whose ``ents`` are read from the index.

Why: spaCy's ``Span.ents`` rebuilds ``Doc.ents`` (a walk over every token of the Doc) on each
call, so asking it once per sentence makes a document's cost grow with the square of its
length. ``assemble`` builds one index per Doc and hands every stage ``SentenceSpan``s, so the
stages (and the sentences they keep as context) can read ``sent.ents`` as often as they like:
each read is a binary search.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span


class EntityIndex:
    """The entities of one Doc, looked up by token range."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.ents: tuple[Span, ...] = tuple(doc.ents)  # sorted, non-overlapping
        self._starts = [ent.start for ent in self.ents]
        self._ends = [ent.end for ent in self.ents]

    def within(self, span: Span | Doc) -> list[Span]:
        """The entities wholly inside ``span``: what ``span.ents`` gives."""
        if isinstance(span, Doc):
            span = span[:]
        if span.doc is not self.doc:
            raise ValueError("the span is not from this index's Doc")
        lo = bisect_left(self._starts, span.start)
        hi = bisect_right(self._ends, span.end)
        return list(self.ents[lo:hi])

    def sentence(self, span: Span) -> SentenceSpan:
        """``span`` as a ``SentenceSpan`` (same doc, tokens, offsets and label) whose ``ents``
        come from this index."""
        sent = SentenceSpan(self.doc, span.start, span.end, label=span.label)
        sent.index = self
        return sent


class SentenceSpan(Span):
    """A spaCy Span whose ``ents`` are looked up in its Doc's ``EntityIndex`` instead of
    rebuilt from the whole Doc. Everything else is the Span's own; slices of it are plain
    Spans. Make one with ``EntityIndex.sentence``."""

    index: EntityIndex

    @property
    def ents(self) -> list[Span]:  # type: ignore[override]
        """The entities wholly inside the span, as ``Span.ents`` (from the index)."""
        index = getattr(self, "index", None)
        return list(super().ents) if index is None else index.within(self)


TRIM_COMPONENT = "claimdesk_trim_entities"


def trim_entity_whitespace(doc: Doc) -> Doc:
    """Entities without the white-space tokens the tagger sometimes takes in at their ends
    ("Larkport" + "\\n\\n" at a headline's end): a name never spans a line break. One walk of
    ``doc.ents``, written back only when one changed."""
    ents, changed = [], False
    for ent in doc.ents:
        start, end = ent.start, ent.end
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if (start, end) != (ent.start, ent.end):
            changed = True
            if start == end:
                continue
            ent = Span(doc, start, end, label=ent.label)
        ents.append(ent)
    if changed:
        doc.ents = ents
    return doc


def add_entity_trimming(nlp: Language) -> Language:
    """Put ``claimdesk_trim_entities`` right after the tagger of names (once)."""
    if not Language.has_factory(TRIM_COMPONENT):
        Language.component(TRIM_COMPONENT, func=trim_entity_whitespace)
    if TRIM_COMPONENT not in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.add_pipe(TRIM_COMPONENT, after="ner")
    return nlp
