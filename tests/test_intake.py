"""``check_readable``: what counts as binary text (control characters, U+FFFD)."""

from __future__ import annotations

import unicodedata

import pytest

from service.intake import _NOT_PROSE, check_readable
from service.store.errors import BinaryText

WHITESPACE_CONTROLS = "\t\n\v\f\r"


def test_the_pattern_matches_exactly_the_controls_that_are_not_whitespace_and_fffd() -> None:
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        expected = (unicodedata.category(char) == "Cc" and char not in WHITESPACE_CONTROLS
                    or char == "\ufffd")
        assert bool(_NOT_PROSE.match(char)) is expected, hex(code)


@pytest.mark.parametrize("text", [
    # a few stray controls in prose: tolerated
    "Exports rose 4 percent\x07 in March.\n" * 3,
    # whitespace controls are prose
    "Line one\r\nLine two\tand\fmore\v",
])
def test_prose_passes(text: str) -> None:
    check_readable(text)


@pytest.mark.parametrize("text", [
    # a NUL anywhere
    "Exports rose\x00 4 percent.",
    # more than 1% control characters or replacement characters
    "abc\x01\x02\x03\x04\x05" * 20,
    "Exports \ufffd\ufffd\ufffd\ufffd rose.",
])
def test_binary_text_is_refused(text: str) -> None:
    with pytest.raises(BinaryText):
        check_readable(text)
