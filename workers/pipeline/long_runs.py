"""Tokenizing text with very long runs of non-space characters in linear time.

spaCy's tokenizer peels prefixes and suffixes off a run of non-space characters one at a time,
each step searching (and copying) what is left, so a run of punctuation costs the square of its
length: 2,000 characters of ``(``, ``<`` or ``"`` take about 2 s, the 200,000 ``<`` of a broken
HTML page hours, far past any job timeout (and the timeout's signal waits for the tokenizer to
return to Python). No word, number or name is that long; a URL can be.

``LongRunTokenizer`` wraps the model's tokenizer: text without such a run goes to it unchanged;
otherwise a run longer than ``max_chars`` becomes one token (a few sentence-ending marks after
it stay tokens of their own, so a sentence ending in a long URL still ends), and the text
around it is tokenized by spaCy as usual. ``doc.text`` is the text, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

MAX_RUN_CHARS = 200
TRAILING = ".,;:!?…)]}\"'”’»"
MAX_TRAILING = 3


class LongRunTokenizer:
    """``tokenizer(text) -> Doc`` that tokenizes runs longer than ``max_chars`` as one token."""

    def __init__(self, tokenizer: Callable[[str], Doc], max_chars: int = MAX_RUN_CHARS) -> None:
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        self._long = re.compile(rf"\S{{{max_chars + 1},}}")

    def __getattr__(self, name: str) -> Any:  # vocab, explain, special cases ...: spaCy's
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if len(text) <= self.max_chars or not self._long.search(text):
            return self.tokenizer(text)
        docs = [doc for doc in self._pieces(text) if len(doc)]
        if not docs:
            return self.tokenizer(text)
        return Doc.from_docs(docs, ensure_whitespace=False)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def _pieces(self, text: str) -> Iterator[Doc]:
        position = 0
        for match in self._long.finditer(text):
            if match.start() > position:
                yield self.tokenizer(text[position : match.start()])
            # One space after the run is its last token's, as spaCy does it.
            spaced = text.startswith(" ", match.end())
            yield self._run(match.group(), spaced)
            position = match.end() + spaced
        if position < len(text):
            yield self.tokenizer(text[position:])

    def _run(self, run: str, spaced: bool) -> Doc:
        core = run.rstrip(TRAILING)
        if len(run) - len(core) > MAX_TRAILING or not core:
            core = run
        words = [core, *run[len(core):]]
        vocab = self.tokenizer.vocab  # type: ignore[attr-defined]
        return Doc(vocab, words=words, spaces=[False] * (len(words) - 1) + [spaced])


def guard_long_runs(nlp: Any, max_chars: int = MAX_RUN_CHARS) -> Any:
    """Put ``LongRunTokenizer`` around ``nlp``'s tokenizer (once); returns ``nlp``."""
    if not isinstance(nlp.tokenizer, LongRunTokenizer):
        nlp.tokenizer = LongRunTokenizer(nlp.tokenizer, max_chars)
    return nlp
