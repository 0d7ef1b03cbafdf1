"""The search-term contract: one tokenizer and one stop-word list for every search.

The evidence code writes a claim's query from these words (``workers/evidence/query.py``) and
the store matches the same words (``service/store/search.py``), as does ``GET
/v1/sources/search``. Terms are lower-case words and numbers ("3.5", "7,800") with no
operator characters, so they can be quoted into FTS5 MATCH or ``to_tsquery`` as they are.
Pure: no imports of ours.
"""

from __future__ import annotations

import re

MAX_TERMS = 32
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.I)
_HANDLE = re.compile(r"@\w+")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")

# Function words, reporting verbs and words common to every news text: they pick no evidence.
STOP_WORDS = frozenset(
    """a about above across after afterwards again against all almost alone along already
    also although always am among amongst an and another any anyhow anyone anything anyway
    anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond both but by ca call can cannot
    could did do does doing done don down due during each either else elsewhere enough even
    ever every everyone everything everywhere except few for former formerly from further get
    give go had has have having he hence her here hereafter hereby herein hers herself him
    himself his how however i if in indeed into is it its itself just keep latter latterly
    least less made make many may me meanwhile might mine more moreover most mostly much must
    my myself namely neither never nevertheless next no nobody none noone nor not nothing now
    nowhere of off often on once only onto or other others otherwise our ours ourselves out
    over own per perhaps please put quite rather re really regarding same see seem seemed
    seeming seems several she should show since so some somehow someone something sometime
    sometimes somewhere still such take than that the their theirs them themselves then thence
    there thereafter thereby therefore therein thereupon these they this those though through
    throughout thru thus to together too toward towards under unless until up upon us used
    using various very was we well were what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who whoever whole
    whom whose why will with within without would yet you your yours yourself yourselves
    one two three four five six seven eight nine ten eleven twelve fifteen twenty forty fifty
    sixty hundred first third last
    said says say according claim claims claimed rt via amp like new year years time""".split()
)


def strip_links(text: str) -> str:
    """Text without URLs and @handles (tweets and web text carry them)."""
    return _HANDLE.sub(" ", _URL.sub(" ", text))


def words(text: str) -> list[str]:
    """Words and numbers of a text as written, URLs and @handles removed, in order."""
    return _WORD.findall(strip_links(text))


def is_stop(word: str) -> bool:
    """A lower-cased word that carries no meaning for a search."""
    return word in STOP_WORDS or (len(word) < 2 and not word.isdigit())


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning, as written, in order."""
    return [word for word in words(text) if not is_stop(_plain(word))]


def search_terms(text: str, *, max_terms: int = MAX_TERMS) -> list[str]:
    """The distinct terms a search of ``text`` matches, in first-seen order."""
    terms: list[str] = []
    for word in words(text):
        # "Krishna's" -> "krishna", "O'Neil" -> "o", "neil": no quote mark reaches the SQL
        for term in _plain(word).removesuffix("'s").split("'"):
            if is_stop(term) or term in terms:
                continue
            terms.append(term)
            if len(terms) == max_terms:
                return terms
    return terms


def _plain(word: str) -> str:
    return word.lower().replace("’", "'")
