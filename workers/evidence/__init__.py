"""Evidence linking and automatic assessment: pure functions over claims and search hits.

``Linker(nlp, LinkerConfig()).link(claim, search=..., anchor=...)`` returns the claim's
evidence and its ``Verification``; no database or Redis here (the job wrapper binds
``search`` to the sources store).
"""

from workers.evidence.linker import Linker, LinkerConfig, RankedHit
from workers.evidence.query import build_query

__all__ = ["Linker", "LinkerConfig", "RankedHit", "build_query"]
