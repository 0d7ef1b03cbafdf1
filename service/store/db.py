"""Engine and session factory, with SQLite set up for a service and workers sharing a file.

SQLite allows one writer at a time; a connection that finds the file locked sleeps in
SQLite's busy handler (1, 2, 5 ... 100 ms), which under concurrent requests turned a 1 ms
insert into a p99 of most of a second. So within a process, writing transactions on a SQLite
file take turns on a lock first (``_WriteTurns``): taken at the first INSERT, UPDATE or DELETE,
given back right after COMMIT or ROLLBACK. Reads never wait for it (WAL). Between processes
(the service and its workers) the busy timeout still applies.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Connections kept open: as many as the threads that serve requests (anyio's default pool
# of 40), so a burst of requests does not open and close connections.
SQLITE_POOL = {"pool_size": 40, "max_overflow": 20}
POSTGRES_POOL = {"pool_size": 20, "max_overflow": 20}
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


def make_engine(url: str, *, statement_timeout: float = 0) -> Engine:
    """An engine; SQLite gets WAL, a busy timeout and foreign keys. PostgreSQL gets
    ``statement_timeout`` (seconds; 0 is none): a longer statement is cancelled (the service
    answers 503). SQLite has no such limit; its busy timeout bounds waiting for a lock."""
    if url.startswith("sqlite"):
        path = make_url(url).database or ""
        turns = _WriteTurns.of(path)
        in_memory = path in ("", ":memory:") or "mode=memory" in url
        engine = create_engine(url, connect_args={
            "timeout": 30, "check_same_thread": False, "factory": turns.connection_class,
        }, **({} if in_memory else SQLITE_POOL))  # memory: SQLAlchemy's one-per-thread pool

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Once per connection (the pool keeps them). synchronous=NORMAL is safe in WAL:
            # a power cut may lose the last commits, never corrupt the file.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    connect_args: dict[str, Any] = {}
    if statement_timeout > 0 and url.startswith("postgresql"):
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **POSTGRES_POOL)


class _WriteTurns:
    """One lock per SQLite file in this process, taken by a connection's first write of a
    transaction and released once it commits or rolls back (see the module docstring).

    A wait is bounded (``timeout``): past it the write goes ahead and SQLite's own busy
    timeout decides, so a mistake here can slow a write down but never hang it.
    """

    _by_path: dict[str, _WriteTurns] = {}
    _creating = threading.Lock()
    timeout = 30.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        turns = self

        class Cursor(sqlite3.Cursor):
            def execute(self, sql: str, parameters: Any = (), /) -> Any:
                connection = self.connection
                assert isinstance(connection, Connection)
                connection.take_turn(sql)
                try:
                    return super().execute(sql, parameters)
                finally:
                    connection.end_turn_unless_in_transaction()

            def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
                connection = self.connection
                assert isinstance(connection, Connection)
                connection.take_turn(sql)
                try:
                    return super().executemany(sql, seq_of_parameters)
                finally:
                    connection.end_turn_unless_in_transaction()

        class Connection(sqlite3.Connection):
            holds = False

            def cursor(self, factory: Any = Cursor) -> Any:  # type: ignore[override]
                return super().cursor(factory)

            def take_turn(self, sql: str) -> None:
                if not self.holds and sql.lstrip()[:6].upper() in _WRITES:
                    self.holds = turns.lock.acquire(timeout=turns.timeout)

            def end_turn_unless_in_transaction(self) -> None:
                if self.holds and not self.in_transaction:
                    self.end_turn()

            def end_turn(self) -> None:
                if self.holds:
                    self.holds = False
                    with suppress(RuntimeError):  # a lock renewed by a fork since
                        turns.lock.release()

            def commit(self) -> None:
                try:
                    super().commit()
                finally:
                    self.end_turn_unless_in_transaction()

            def rollback(self) -> None:
                try:
                    super().rollback()
                finally:
                    self.end_turn_unless_in_transaction()

            def close(self) -> None:
                try:
                    super().close()
                finally:
                    self.end_turn()

        self.connection_class = Connection

    @classmethod
    def of(cls, path: str) -> _WriteTurns:
        key = os.path.abspath(path) if path and path != ":memory:" else ":memory:"
        with cls._creating:
            if key not in cls._by_path:
                cls._by_path[key] = cls()
            return cls._by_path[key]

    @classmethod
    def _renew_after_fork(cls) -> None:
        """A forked child starts with fresh locks (a parent's thread may have held one)."""
        cls._creating = threading.Lock()
        for turns in cls._by_path.values():
            turns.lock = threading.Lock()


os.register_at_fork(after_in_child=_WriteTurns._renew_after_fork)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session
