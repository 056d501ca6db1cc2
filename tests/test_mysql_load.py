"""MySQL/MariaDB loads through LOAD DATA LOCAL INFILE: the same rows as the INSERT path, every
skipped row or changed value raised as the error an INSERT gives, the file switch off outside
QueryNL's own loads, and the INSERT path where the connection cannot load files."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from decimal import Decimal
from pathlib import Path

import pymysql
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from dbkit import Database
from querynl.cli import main
from querynl.connection import create_engine
from querynl.dialects import dialect_for, mysql_load
from querynl.schema_introspection import introspect

ZOO = Path(__file__).parent / "zoo"

HOSTILE = [
    "tab\there",
    "line\nbreak\r\nand more",
    "back\\slash \\N \\t \\0",
    "\\N",
    "\\",
    "nul \x00 inside",
    "",
    "😀 𝄞 𠜎 中文",
    'it\'s "quoted" %s ? :x',
]

DDL = """
CREATE TABLE vals (
    id INT PRIMARY KEY,
    label VARCHAR(60) NULL,
    body TEXT NULL,
    amount DECIMAL(12, 2) NULL CHECK (amount >= 0),
    ratio DOUBLE NULL,
    flag BOOLEAN NULL,
    born DATE NULL,
    seen DATETIME(6) NULL,
    mood ENUM('low', 'high') NULL,
    tags SET('a', 'b', 'c') NULL,
    doc JSON NULL,
    code CHAR(5) NULL UNIQUE
)
"""

COLUMNS = ["id", "label", "body", "amount", "ratio", "flag", "born", "seen", "mood", "tags", "doc"]


def _rows() -> list[tuple]:
    rows = []
    for i, text in enumerate(HOSTILE):
        rows.append(
            (
                i + 1,
                text,
                text * 3,
                Decimal("1E+2") if i == 0 else Decimal(f"{i}.{i:02d}"),
                1.5e-7 * (i + 1),
                i % 2,
                dt.date(1990, 1, 1) + dt.timedelta(days=i * 400),
                dt.datetime(2024, 2, 29, 23, 59, 58, 123456) + dt.timedelta(hours=i),
                ["low", "high"][i % 2],
                "a,c",
                '{"k": "v\\tw", "n": [1, 2]}',
            )
        )
    rows.append((100, None, None, None, None, None, None, None, None, None, None))
    return rows


def _load(db: Database, rows: list[tuple], columns: list[str] = COLUMNS) -> None:
    engine = create_engine(db.url)
    try:
        info = introspect(engine).table("vals")
        dialect = dialect_for("mysql")
        with engine.begin() as conn:
            dialect.bulk_insert(conn, info, columns, rows)
    finally:
        engine.dispose()


def test_text_rows_escape_what_load_data_reads_specially() -> None:
    text = mysql_load.text_rows(
        [("a\tb", None, True, Decimal("1E+3"), "\\N"), ("x\ny\\", 7, False, Decimal("2.50"), "")]
    )
    assert text == (b"a\\tb\t\\N\t1\t1000\t\\\\N\nx\\ny\\\\\t7\t0\t2.50\t\n")


def test_values_of_unknown_types_are_refused() -> None:
    with pytest.raises(mysql_load.NotText):
        mysql_load.text_rows([(b"\x00\x01",)])
    with pytest.raises(mysql_load.NotText):
        mysql_load.text_rows([(float("nan"),)])


def test_rows_read_back_as_the_insert_path_stores_them(mysql_db, make_db, caplog) -> None:
    other = make_db("mysql")
    for target in (mysql_db, other):
        target.execute(DDL)
    caplog.set_level(logging.DEBUG, logger="querynl.dialect")
    _load(mysql_db, _rows())
    assert "LOAD DATA LOCAL INFILE" in caplog.text
    engine = sa.create_engine(other.sa_url)
    with engine.begin() as conn:
        marks = ", ".join(["%s"] * len(COLUMNS))
        conn.connection.driver_connection.cursor().executemany(
            f"INSERT INTO vals ({', '.join(COLUMNS)}) VALUES ({marks})", _rows()
        )
    engine.dispose()
    assert mysql_db.rows("vals") == other.rows("vals")
    stored = {r[0]: r for r in mysql_db.rows("vals")}
    assert stored[4][1] == "\\N" and stored[100][1] is None  # the text \N is not NULL
    assert stored[6][1] == "nul \x00 inside"
    assert stored[1][3] == Decimal("100.00")


@pytest.mark.parametrize(
    ("rows", "error", "words"),
    [
        ([(1, "a"), (1, "b")], pymysql.err.IntegrityError, "Duplicate entry"),
        ([(1, "x" * 61)], pymysql.err.DataError, "Data truncated for column 'label'"),
    ],
    ids=["duplicate-key", "value-too-long"],
)
def test_a_row_the_server_would_skip_raises_the_insert_error(mysql_db, rows, error, words) -> None:
    mysql_db.execute(DDL)
    with pytest.raises(error, match=words):
        _load(mysql_db, rows, ["id", "label"])
    assert mysql_db.rows("vals") == []


def test_a_failed_check_raises_and_the_run_says_which(mysql_db) -> None:
    mysql_db.execute(DDL)
    with pytest.raises(pymysql.err.MySQLError, match="CONSTRAINT `.*` failed"):
        _load(mysql_db, [(1, Decimal("-1"))], ["id", "amount"])
    assert mysql_db.rows("vals") == []


def test_a_broken_foreign_key_raises_and_nothing_stays(mysql_db) -> None:
    mysql_db.execute("CREATE TABLE parent (id INT PRIMARY KEY)")
    mysql_db.execute(
        "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, "
        "FOREIGN KEY (parent_id) REFERENCES parent(id))"
    )
    mysql_db.execute("INSERT INTO parent VALUES (1)")
    engine = create_engine(mysql_db.url)
    info = introspect(engine).table("child")
    rows = [(1, 1), (2, 9)]
    fails = pytest.raises(pymysql.err.IntegrityError, match="foreign key constraint fails")
    with fails, engine.begin() as conn:
        dialect_for("mysql").bulk_insert(conn, info, ["id", "parent_id"], rows)
    engine.dispose()
    assert mysql_db.rows("child") == []


def test_the_server_cannot_ask_for_files_outside_a_load(mysql_db) -> None:
    engine = create_engine(mysql_db.url)
    try:
        with engine.connect() as conn:
            dbapi_conn = conn.connection.driver_connection
            assert dbapi_conn._local_infile is False
            cursor = dbapi_conn.cursor()
            mysql_db.execute("CREATE TABLE t (line TEXT)")
            with pytest.raises(RuntimeError, match="local_infile option is false"):
                cursor.execute("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t")
            conn.invalidate()  # the protocol is out of step after the refusal
    finally:
        engine.dispose()
    assert mysql_db.rows("t") == []


def test_without_the_capability_rows_go_through_insert(mysql_db, caplog) -> None:
    mysql_db.execute(DDL)
    engine = create_engine(mysql_db.url)
    caplog.set_level(logging.DEBUG, logger="querynl.dialect")
    try:
        with engine.connect() as conn:
            dbapi_conn = conn.connection.driver_connection
            dbapi_conn.client_flag &= ~pymysql.constants.CLIENT.LOCAL_FILES
            mysql_load._allowed.pop(dbapi_conn, None)
            info = introspect(engine).table("vals")
            dialect_for("mysql").bulk_insert(conn, info, COLUMNS, _rows())
            dbapi_conn.commit()
            conn.invalidate()  # not back to the pool with a changed flag
    finally:
        engine.dispose()
    assert "LOAD DATA" not in caplog.text and "executemany" in caplog.text
    assert len(mysql_db.rows("vals")) == len(_rows())


def test_a_run_loads_the_same_rows_either_way(make_db, monkeypatch) -> None:
    found = []
    for loads in (True, False):
        if not loads:
            monkeypatch.setattr(mysql_load, "server_allows", lambda _conn: False)
        db = make_db("mysql")
        db.load(ZOO / "blog" / "mysql.sql")
        args = ["data", "add 300 users and 900 posts", "--db", db.url, "--yes", "--seed", "8"]
        result = CliRunner().invoke(main, [*args, "--batch-size", "128"])
        assert result.exit_code == 0, result.output
        assert db.verify() == []
        found.append({t: db.rows(t) for t in ("users", "posts")})
    assert found[0] == found[1]
    assert len(found[0]["posts"]) == 900


def test_without_a_temporary_folder_rows_go_through_insert(
    mysql_db, tmp_path, monkeypatch, caplog
) -> None:
    mysql_db.execute(DDL)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))
    caplog.set_level(logging.DEBUG, logger="querynl.dialect")
    _load(mysql_db, _rows())
    assert "no temporary file for LOAD DATA" in caplog.text and "executemany" in caplog.text
    assert len(mysql_db.rows("vals")) == len(_rows())


def test_local_infile_0_in_the_url_keeps_loads_to_insert(mysql_db, caplog) -> None:
    mysql_db.execute(DDL)
    engine = create_engine(f"{mysql_db.url}?local_infile=0")
    caplog.set_level(logging.DEBUG, logger="querynl.dialect")
    try:
        info = introspect(engine).table("vals")
        with engine.begin() as conn:
            dbapi_conn = conn.connection.driver_connection
            assert not dbapi_conn.client_flag & pymysql.constants.CLIENT.LOCAL_FILES
            dialect_for("mysql").bulk_insert(conn, info, COLUMNS, _rows())
    finally:
        engine.dispose()
    assert "LOAD DATA" not in caplog.text and "executemany" in caplog.text
    assert len(mysql_db.rows("vals")) == len(_rows())


class _DroppingSocket:
    """The connection's socket, which fails once the statement is sent (while the file is)."""

    def __init__(self, sock) -> None:  # type: ignore[no-untyped-def]
        self.sock = sock
        self.sent = 0

    def sendall(self, data) -> None:  # type: ignore[no-untyped-def]
        self.sent += 1
        if self.sent > 1:
            raise ConnectionResetError(104, "Connection reset by peer")
        self.sock.sendall(data)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self.sock, name)


def test_a_connection_lost_while_the_file_is_sent_is_a_lost_connection(mysql_db) -> None:
    mysql_db.execute(DDL)
    engine = create_engine(mysql_db.url)
    try:
        info = introspect(engine).table("vals")
        with engine.connect() as conn:
            dbapi_conn = conn.connection.driver_connection
            assert mysql_load.server_allows(dbapi_conn)
            dbapi_conn._sock = _DroppingSocket(dbapi_conn._sock)
            with pytest.raises(pymysql.err.OperationalError) as lost:
                dialect_for("mysql").bulk_insert(conn, info, COLUMNS, _rows())
            assert lost.value.args[0] in (2006, 2013)  # what SQLAlchemy calls a disconnect
            assert engine.dialect.is_disconnect(lost.value, None, None)
            conn.invalidate()
    finally:
        engine.dispose()
    assert mysql_db.rows("vals") == []
