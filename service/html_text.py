"""Main text from HTML: block elements become paragraphs; scripts, styles and page chrome go."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "header", "aside",
         "form", "button", "iframe", "head", "figcaption", "select", "option"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
          "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th", "br", "hr", "dd", "dt",
          "figure", "body", "html"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._dropping: list[str] = []
        self._prefer: list[list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._dropping:
            if tag in _DROP and tag not in _VOID:
                self._dropping.append(tag)
            return
        if tag in _DROP and tag not in _VOID:
            self._dropping.append(tag)
        elif tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._current.append(data)

    def _flush(self) -> None:
        text = _SPACES.sub(" ", " ".join("".join(self._current).split("\n"))).strip()
        if text:
            self.blocks.append(text)
        self._current = []


def _main_region(html: str) -> str:
    """The ``<article>`` or ``<main>`` element when the page has one, else the page."""
    for tag in ("article", "main"):
        match = re.search(rf"<{tag}\b[^>]*>(.*)</{tag}\s*>", html, flags=re.I | re.S)
        if match:
            return match.group(1)
    return html


def extract_text(html: str) -> str:
    """Paragraphs of the page's main text, separated by blank lines."""
    collector = _TextCollector()
    collector.feed(_main_region(html))
    collector.close()
    collector._flush()
    return "\n\n".join(collector.blocks)


def extract_title(html: str) -> str | None:
    match = re.search(r"<title\b[^>]*>(.*?)</title\s*>", html, flags=re.I | re.S)
    if not match:
        return None
    collector = _TextCollector()
    collector.feed(match.group(1))
    collector._flush()
    return " ".join(collector.blocks) or None
