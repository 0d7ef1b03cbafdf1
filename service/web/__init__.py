"""The review page: server-rendered HTML for fact-checkers (``/review``)."""
