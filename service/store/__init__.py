"""Storage: settings, database, migrations, queries and the queue, with no web framework.

Every public query takes ``org_id`` keyword-only, so none forgets the organisation. Errors are
plain exceptions (``service.store.errors``); the HTTP layer renders them.
"""
