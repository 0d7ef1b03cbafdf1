"""SQLite writers of one process take turns on a lock (``service.store.db``) instead of
sleeping in SQLite's busy handler; a turn ends with its transaction, however it ends."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine, text

from service.store.db import _WriteTurns, make_engine


def _engine(tmp_path: Path) -> tuple[Engine, _WriteTurns]:
    path = tmp_path / "turns.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine, _WriteTurns.of(str(path))


def test_concurrent_writers_of_one_process_all_commit(tmp_path: Path) -> None:
    engine, _ = _engine(tmp_path)
    errors: list[BaseException] = []

    def write(k: int) -> None:
        try:
            for _ in range(40):
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": k})
                    conn.execute(text("UPDATE t SET n = n WHERE n = :n"), {"n": k})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 320
    assert errors == []
    engine.dispose()


def test_a_turn_is_taken_by_the_first_write_and_ends_with_commit_or_rollback(
        tmp_path: Path) -> None:
    engine, turns = _engine(tmp_path)
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM t"))
        assert not turns.lock.locked()  # reads never wait
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert turns.lock.locked()
        conn.commit()
        assert not turns.lock.locked()
        conn.execute(text("DELETE FROM t"))
        assert turns.lock.locked()
        conn.rollback()
        assert not turns.lock.locked()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))  # no transaction to end it: at once
        assert not turns.lock.locked()
    engine.dispose()
