"""How ``claimdesk serve`` runs uvicorn (``bench/bare_app.py`` runs its baseline the same way).

uvloop and httptools are used when installed (they are dependencies; uvicorn's pure-Python
``h11`` parser and the stock asyncio loop cost several times their CPU per request).
"""

from __future__ import annotations

import gc
import importlib.util
from typing import Any


def server_options() -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` beside the app, host and port."""
    options: dict[str, Any] = {}
    if importlib.util.find_spec("httptools") is not None:
        options["http"] = "httptools"
    if importlib.util.find_spec("uvloop") is not None:
        options["loop"] = "uvloop"
    return options


def freeze_heap() -> None:
    """Collect, then move every object alive now (modules, the app, a loaded spaCy model) out
    of the collector's reach, for a long-running process once it has started.

    A full collection walks every tracked object: with the start-up heap in it, one took up to
    a quarter of a second in ``claimdesk serve`` (a pause every request in flight waits for),
    and longer in a worker holding the spaCy model. Frozen objects are never collected, so
    call this once, after start-up, never in a process that builds apps over and over (tests).
    """
    gc.collect()
    gc.freeze()
