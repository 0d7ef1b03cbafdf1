"""Queries, keyword-only, always scoped by ``org_id``."""
