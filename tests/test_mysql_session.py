"""MySQL session settings do not leak from one use of a pooled connection to the next."""

from __future__ import annotations

from querynl.connection import create_engine


def test_pooled_connections_come_back_with_foreign_key_checks_on(mysql_db) -> None:
    engine = create_engine(mysql_db.sa_url)
    try:
        with engine.connect() as conn:
            first = conn.connection.driver_connection
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            assert conn.exec_driver_sql("SELECT @@FOREIGN_KEY_CHECKS").scalar() == 0
        with engine.connect() as conn:
            assert conn.connection.driver_connection is first  # the same pooled session
            assert conn.exec_driver_sql("SELECT @@FOREIGN_KEY_CHECKS").scalar() == 1
    finally:
        engine.dispose()
