"""Pydantic contracts shared by the service and the workers. No I/O here."""
