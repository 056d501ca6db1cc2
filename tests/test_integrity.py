"""verify_integrity finds every kind of violation on every dialect, and nothing on clean data.

Broken rows get in the way each database allows: foreign keys and checks switched off for one
session (SQLite pragmas, MariaDB session variables, PostgreSQL session_replication_role) or
constraints added NOT VALID after the rows (PostgreSQL). No database keeps duplicate keys under
a working unique index, so duplicate detection runs the rules read from a guarded table against
a twin table without the index ("twin" tests), besides the real cases a database can hold.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from dbkit import SHARED_SCHEMAS, Database, MakeDb
from integrity import (
    Check,
    TableRules,
    find_problems,
    reflect_rules,
    sql_text,
    verify_integrity,
)

ZOO = Path(__file__).parent / "zoo"

# Per dialect: statements that stop enforcement on one connection, and those that restore it
# (connections go back to the pool afterwards).
UNCHECKED = {
    "sqlite": ["PRAGMA foreign_keys=OFF", "PRAGMA ignore_check_constraints=ON"],
    "postgresql": ["SET session_replication_role = replica"],
    "mysql": ["SET SESSION foreign_key_checks = 0", "SET SESSION check_constraint_checks = 0"],
}
RESTORE = {
    "sqlite": ["PRAGMA foreign_keys=ON", "PRAGMA ignore_check_constraints=OFF"],
    "postgresql": ["RESET session_replication_role"],
    "mysql": ["SET SESSION foreign_key_checks = 1", "SET SESSION check_constraint_checks = 1"],
}


@contextmanager
def unchecked(db: Database) -> Iterator[Connection]:
    """A connection on which foreign keys (and, except on PostgreSQL, checks) are not enforced."""
    with db.engine.connect() as conn:
        for statement in UNCHECKED[db.dialect]:
            conn.exec_driver_sql(statement)
        try:
            yield conn
            conn.commit()
        finally:
            conn.rollback()
            for statement in RESTORE[db.dialect]:
                conn.exec_driver_sql(statement)


def insert(conn: Connection, db: Database, table: str, rows: list[dict[str, object]]) -> None:
    columns = list(rows[0])
    names = ", ".join(db.quote(c) for c in columns)
    marks = ", ".join(f":p{i}" for i in range(len(columns)))
    params = [{f"p{i}": row[c] for i, c in enumerate(columns)} for row in rows]
    conn.execute(sa.text(f"INSERT INTO {db.quote(table)} ({names}) VALUES ({marks})"), params)


def unnamed(problems: list[str]) -> list[str]:
    """Problems without constraint names, which differ per dialect."""
    return sorted(re.sub(r" \[[^\]]*\]", "", p) for p in problems)


# --------------------------------------------------------------------------- clean data


def test_clean_database_has_no_problems(db: Database) -> None:
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    db.execute(
        "INSERT INTO users (id, email, username) VALUES (:id, :email, :username)",
        [{"id": i, "email": f"u{i}@example.org", "username": f"user{i}"} for i in (1, 2, 3)],
    )
    db.execute(
        "INSERT INTO posts (id, user_id, title) VALUES (:id, :user_id, :title)",
        [{"id": i, "user_id": 1 + i % 3, "title": f"Post {i}"} for i in range(1, 6)],
    )
    db.execute(
        "INSERT INTO comments (post_id, user_id, body) VALUES (:post_id, :user_id, 'Nice')",
        [{"post_id": 1 + i % 5, "user_id": None if i % 2 else 1 + i % 3} for i in range(10)],
    )
    assert db.verify() == []


def test_empty_database_has_no_problems(db: Database) -> None:
    assert db.verify() == []


# --------------------------------------------------------------------------- foreign keys

FK_SCHEMA = """
CREATE TABLE parent (
    id INT PRIMARY KEY,
    code VARCHAR(10) NOT NULL,
    region VARCHAR(10) NOT NULL,
    CONSTRAINT uq_parent_code_region UNIQUE (code, region)
);
CREATE TABLE child (
    id INT PRIMARY KEY,
    parent_id INT,
    code VARCHAR(10),
    region VARCHAR(10),
    CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id),
    CONSTRAINT fk_child_code FOREIGN KEY (code, region) REFERENCES parent (code, region)
);
"""


def test_orphans_single_and_composite_with_match_simple(db: Database) -> None:
    db.load(FK_SCHEMA)
    db.execute("INSERT INTO parent VALUES (1, 'a', 'x')")
    with unchecked(db) as conn:
        insert(
            conn,
            db,
            "child",
            [
                {"id": 1, "parent_id": 1, "code": "a", "region": "x"},  # fine
                {"id": 2, "parent_id": 99, "code": None, "region": None},  # single orphan
                {"id": 3, "parent_id": None, "code": "a", "region": "y"},  # composite orphan
                {"id": 4, "parent_id": None, "code": "zz", "region": None},  # MATCH SIMPLE: fine
                {"id": 5, "parent_id": 98, "code": "b", "region": "x"},  # both orphans
            ],
        )
    assert sorted(db.verify()) == [
        "child: foreign key (code, region) -> parent (code, region) [fk_child_code]: 2 orphan rows",
        "child: foreign key (parent_id) -> parent (id) [fk_child_parent]: 2 orphan rows",
    ]


def test_self_reference_orphan(db: Database) -> None:
    db.load(ZOO / "self_reference" / f"{db.dialect}.sql")
    with unchecked(db) as conn:
        insert(
            conn,
            db,
            "employees",
            [
                {"id": 1, "name": "Ada", "manager_id": None},
                {"id": 2, "name": "Bo", "manager_id": 1},
                {"id": 3, "name": "Cy", "manager_id": 7},
            ],
        )
    assert unnamed(db.verify()) == [
        "employees: foreign key (manager_id) -> employees (id): 1 orphan row"
    ]


def test_weird_identifiers_are_quoted(db: Database) -> None:
    db.load(ZOO / "quoting" / f"{db.dialect}.sql")
    with unchecked(db) as conn:
        insert(conn, db, "group", [{"id": 1, "select": "s", "Mixed Case": "M"}])
        insert(conn, db, "order", [{"id": 1, "group": 1, "discount %": 5}])
        insert(
            conn,
            db,
            "Order Items",
            [
                {"Order ID": 1, "Line No": 1, "Qty": 2},
                {"Order ID": 404, "Line No": 1, "Qty": 1},
            ],
        )
        insert(conn, db, "quote\"d 'table'", [{"id": 1, "it's": "yes", 'say "hi"': "hi"}])
        insert(conn, db, "Ünïcödé 表", [{"ïd": 1, "naïve": "n", "数量": 3, "order_ref": 2}])
    assert unnamed(db.verify()) == [
        "Order Items: foreign key (Order ID) -> order (id): 1 orphan row",
        "Ünïcödé 表: foreign key (order_ref) -> order (id): 1 orphan row",
    ]


# --------------------------------------------------------------------------- checks

CHECK_SCHEMA = {
    # Column-level checks on purpose: MariaDB's are invisible to SQLAlchemy's reflection.
    "sqlite": "CREATE TABLE item (id INT PRIMARY KEY, qty INT CHECK (qty > 0), lo INT, hi INT,"
    " CONSTRAINT ck_item_range CHECK (hi > lo OR lo IS NULL));",
    "mysql": "CREATE TABLE item (id INT PRIMARY KEY, qty INT CHECK (qty > 0), lo INT, hi INT,"
    " CONSTRAINT ck_item_range CHECK (hi > lo OR lo IS NULL));",
    "postgresql": "CREATE TABLE item (id INT PRIMARY KEY, qty INT, lo INT, hi INT);",
}
PG_LATE_CHECKS = (
    "ALTER TABLE item ADD CONSTRAINT item_qty_check CHECK (qty > 0) NOT VALID;"
    "ALTER TABLE item ADD CONSTRAINT ck_item_range CHECK (hi > lo OR lo IS NULL) NOT VALID;"
)


def test_check_violations(db: Database) -> None:
    db.load(CHECK_SCHEMA[db.dialect])
    with unchecked(db) as conn:
        insert(
            conn,
            db,
            "item",
            [
                {"id": 1, "qty": 5, "lo": 1, "hi": 2},
                {"id": 2, "qty": 0, "lo": 1, "hi": 2},  # qty
                {"id": 3, "qty": -1, "lo": 5, "hi": 1},  # qty and range
                {"id": 4, "qty": None, "lo": None, "hi": 3},  # NULL passes a CHECK
            ],
        )
    if db.dialect == "postgresql":
        db.load(PG_LATE_CHECKS)
    problems = db.verify()
    assert len(problems) == 2, problems
    qty = next(p for p in problems if "qty" in p and "range" not in p)
    assert qty.startswith("item: check") and qty.endswith(
        "(`qty` > 0): 2 violating rows" if db.dialect == "mysql" else "(qty > 0): 2 violating rows"
    )
    assert [p for p in problems if "[ck_item_range]" in p and p.endswith(": 1 violating row")]


def test_checks_on_two_foreign_key_columns(db: Database) -> None:
    db.load(ZOO / "checks" / f"{db.dialect}.sql")
    if db.dialect == "postgresql":
        db.load("ALTER TABLE tag_pairs DROP CONSTRAINT tag_pairs_check;")
    with unchecked(db) as conn:
        insert(conn, db, "tags", [{"id": i, "name": f"t{i}"} for i in (1, 2, 3)])
        insert(conn, db, "tag_pairs", [{"tag1": 1, "tag2": 2}, {"tag1": 3, "tag2": 2}])
    if db.dialect == "postgresql":
        db.load(
            "ALTER TABLE tag_pairs ADD CONSTRAINT tag_pairs_check CHECK (tag1 < tag2) NOT VALID;"
        )
    problems = db.verify()
    assert len(problems) == 1 and problems[0].startswith("tag_pairs: check"), problems
    assert problems[0].endswith(": 1 violating row")


def test_mariadb_json_valid_check(mysql_db: Database) -> None:
    mysql_db.load("CREATE TABLE doc (id INT PRIMARY KEY, body JSON);")
    with unchecked(mysql_db) as conn:
        insert(conn, mysql_db, "doc", [{"id": 1, "body": '{"a": 1}'}, {"id": 2, "body": "{oops"}])
    if not getattr(mysql_db.engine.dialect, "is_mariadb", False):
        pytest.skip("MySQL stores JSON natively; only MariaDB adds json_valid() checks")
    assert mysql_db.verify() == ["doc: check [body] (json_valid(`body`)): 1 violating row"]


def test_postgres_domain_checks(pg_db: Database) -> None:
    pg_db.load(
        "CREATE DOMAIN pos AS integer;"
        "CREATE DOMAIN small_pos AS pos CHECK (VALUE < 100);"
        "CREATE TABLE d (id int PRIMARY KEY, v small_pos);"
        "INSERT INTO d VALUES (1, -5), (2, 5), (3, NULL);"
        "ALTER DOMAIN pos ADD CONSTRAINT pos_check CHECK (VALUE > 0) NOT VALID;"
    )
    assert pg_db.verify() == ["d: check [pos.pos_check] (VALUE > 0): 1 violating row"]


# --------------------------------------------------------------------------- keys and NOT NULL

TWIN_SCHEMA = """
CREATE TABLE guarded (
    id INT PRIMARY KEY,
    email VARCHAR(50) NOT NULL UNIQUE,
    a INT,
    b INT,
    CONSTRAINT uq_guarded_ab UNIQUE (a, b)
);
CREATE TABLE loose (id INT, email VARCHAR(50), a INT, b INT);
"""


def twin_problems(db: Database, guarded: str = "guarded", loose: str = "loose") -> list[str]:
    """The problems ``guarded``'s rules find when they are run against ``loose``."""
    with db.engine.connect() as conn:
        rules = {r.table.name: r for r in reflect_rules(conn)}[guarded]
        twin = dataclasses.replace(rules, table=dataclasses.replace(rules.table, name=loose))
        return find_problems(conn, [twin])


def test_duplicate_keys_and_nulls(db: Database) -> None:
    db.load(TWIN_SCHEMA)
    db.execute(
        "INSERT INTO loose VALUES (:id, :email, :a, :b)",
        [
            {"id": 1, "email": "x@a", "a": 1, "b": 1},
            {"id": 1, "email": "x@a", "a": 1, "b": 1},
            {"id": 2, "email": None, "a": 1, "b": None},  # NULLs never collide
            {"id": 3, "email": "y@a", "a": 1, "b": None},
        ],
    )
    assert unnamed(twin_problems(db)) == [
        "loose: NOT NULL column email: 1 row with NULL",
        "loose: primary key (id): 1 duplicated value in 2 rows",
        "loose: unique (a, b): 1 duplicated value in 2 rows",
        "loose: unique (email): 1 duplicated value in 2 rows",
    ]


def test_mysql_unique_is_case_insensitive_and_prefix_aware(mysql_db: Database) -> None:
    mysql_db.load(
        "CREATE TABLE guarded (id INT PRIMARY KEY, email VARCHAR(50) UNIQUE, slug TEXT,"
        " UNIQUE KEY uq_slug (slug(3)));"
        "CREATE TABLE loose (id INT, email VARCHAR(50), slug TEXT);"
        "INSERT INTO loose VALUES (1, 'Ann@x.org', 'abc-1'), (2, 'ann@x.org', 'abc-2');"
    )
    assert unnamed(twin_problems(mysql_db)) == [
        "loose: unique (email): 1 duplicated value in 2 rows",
        "loose: unique (slug): 1 duplicated value in 2 rows",
    ]


def test_sqlite_collation_and_partial_unique_indexes(sqlite_db: Database) -> None:
    sqlite_db.load(
        "CREATE TABLE guarded (id INTEGER PRIMARY KEY, email TEXT, name TEXT, gone INT);"
        "CREATE UNIQUE INDEX ux_email ON guarded (email COLLATE NOCASE);"
        "CREATE UNIQUE INDEX ux_live_name ON guarded (name DESC) WHERE gone IS NULL;"
        "CREATE TABLE loose (id INTEGER PRIMARY KEY, email TEXT, name TEXT, gone INT);"
        "INSERT INTO loose VALUES (1, 'Ann@x.org', 'a', NULL), (2, 'ann@x.org', 'a', 1),"
        " (3, 'b@x.org', 'b', NULL), (4, 'c@x.org', 'b', NULL);"
    )
    assert sorted(twin_problems(sqlite_db)) == [
        "loose: unique (email COLLATE NOCASE) [ux_email]: 1 duplicated value in 2 rows",
        "loose: unique (name) WHERE gone IS NULL [ux_live_name]: 1 duplicated value in 2 rows",
    ]


def test_postgres_expression_partial_and_nulls_not_distinct(pg_db: Database) -> None:
    pg_db.load(
        "CREATE TABLE guarded (id int PRIMARY KEY, email text, name text, gone int,"
        " code text UNIQUE NULLS NOT DISTINCT);"
        "CREATE UNIQUE INDEX ux_email ON guarded (lower(email));"
        "CREATE UNIQUE INDEX ux_live_name ON guarded (name) WHERE gone IS NULL;"
        "CREATE TABLE loose (id int, email text, name text, gone int, code text);"
        "INSERT INTO loose VALUES (1, 'Ann@x.org', 'a', NULL, NULL),"
        " (2, 'ann@x.org', 'a', 1, NULL), (3, 'b@x.org', 'b', NULL, 'k'),"
        " (4, 'c@x.org', 'b', NULL, 'l');"
    )
    assert unnamed(twin_problems(pg_db)) == [
        "loose: unique (code): 1 duplicated value in 2 rows",
        "loose: unique (lower(email)): 1 duplicated value in 2 rows",
        "loose: unique (name) WHERE (gone IS NULL): 1 duplicated value in 2 rows",
    ]


def test_postgres_invalid_unique_index_left_by_concurrent_build(pg_db: Database) -> None:
    pg_db.load("CREATE TABLE t (id int, code text); INSERT INTO t VALUES (1, 'a'), (2, 'a');")
    autocommit = pg_db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    with autocommit as conn, pytest.raises(sa.exc.IntegrityError):
        conn.exec_driver_sql("CREATE UNIQUE INDEX CONCURRENTLY ux_code ON t (code)")
    # The failed build leaves an INVALID index behind: declared unique, data not.
    assert pg_db.verify() == ["t: unique (code) [ux_code]: 1 duplicated value in 2 rows"]


def test_sqlite_not_null_declared_after_the_rows(sqlite_db: Database) -> None:
    sqlite_db.load(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);"
        "INSERT INTO t VALUES (1, 'a'), (2, NULL);"
    )
    sqlite_db.load(
        "PRAGMA writable_schema=ON;"
        "UPDATE sqlite_master SET sql = replace(sql, 'note TEXT', 'note TEXT NOT NULL')"
        " WHERE name = 't';"
        "PRAGMA writable_schema=OFF;"
    )
    sqlite_db.dispose()  # other connections would keep the old schema
    assert sqlite_db.verify() == ["t: NOT NULL column note: 1 row with NULL"]


def test_sqlite_null_in_a_text_primary_key(sqlite_db: Database) -> None:
    # SQLite accepts this (a legacy quirk); test data must never rely on it.
    sqlite_db.load("CREATE TABLE t (code TEXT PRIMARY KEY); INSERT INTO t VALUES ('a'), (NULL);")
    assert sqlite_db.verify() == ["t: NOT NULL column code: 1 row with NULL"]


def test_postgres_not_null_set_in_the_catalog(pg_db: Database) -> None:
    pg_db.load(
        "CREATE TABLE t (id int PRIMARY KEY, note text); INSERT INTO t VALUES (1, 'a'), (2, NULL);"
        "UPDATE pg_attribute SET attnotnull = true"
        " WHERE attrelid = 't'::regclass AND attname = 'note';"
    )
    assert pg_db.verify() == ["t: NOT NULL column note: 1 row with NULL"]


# --------------------------------------------------------------------------- PostgreSQL layout


def test_postgres_partitions_are_checked_through_their_parent(pg_db: Database) -> None:
    pg_db.load(
        "CREATE TABLE owner (id int PRIMARY KEY);"
        "CREATE TABLE m (id int, k int, owner_id int REFERENCES owner (id), PRIMARY KEY (id, k))"
        " PARTITION BY RANGE (k);"
        "CREATE TABLE m_low PARTITION OF m FOR VALUES FROM (0) TO (10);"
        "CREATE TABLE m_high PARTITION OF m FOR VALUES FROM (10) TO (20);"
    )
    with unchecked(pg_db) as conn:
        conn.exec_driver_sql("INSERT INTO m VALUES (1, 1, 5), (1, 15, NULL)")
    with pg_db.engine.connect() as conn:
        assert [r.table.name for r in reflect_rules(conn)] == ["m", "owner"]
    assert unnamed(pg_db.verify()) == ["m: foreign key (owner_id) -> owner (id): 1 orphan row"]


def test_postgres_inheritance_children_are_tables_of_their_own(pg_db: Database) -> None:
    pg_db.load(
        "CREATE TABLE base (id int PRIMARY KEY, v int CHECK (v > 0));"
        "CREATE TABLE sub (extra text) INHERITS (base);"
        "CREATE TABLE ref (base_id int REFERENCES base (id));"
        # The same id in parent and child breaks nothing: base's key covers base only.
        "INSERT INTO base VALUES (1, 1); INSERT INTO sub VALUES (1, 2, 'x'), (2, 3, 'y');"
    )
    assert pg_db.verify() == []
    with unchecked(pg_db) as conn:
        conn.exec_driver_sql("INSERT INTO ref VALUES (1), (2)")  # 2 lives only in the child
    assert unnamed(pg_db.verify()) == ["ref: foreign key (base_id) -> base (id): 1 orphan row"]


def test_postgres_non_public_schema(pg_db: Database) -> None:
    pg_db.load(ZOO / "non_public_schema" / "postgresql.sql")
    with unchecked(pg_db) as conn:
        conn.exec_driver_sql("INSERT INTO app.users (id, email) VALUES (1, 'a@x.org')")
        conn.exec_driver_sql("INSERT INTO app.posts (user_id, title) VALUES (1, 'ok'), (9, 'no')")
        conn.exec_driver_sql("INSERT INTO public.audit_log (user_id, action) VALUES (8, 'login')")
    assert unnamed(pg_db.verify("app")) == [
        "app.posts: foreign key (user_id) -> app.users (id): 1 orphan row"
    ]
    assert unnamed(pg_db.verify()) == [
        "audit_log: foreign key (user_id) -> app.users (id): 1 orphan row"
    ]


def test_verify_inside_a_transaction_before_commit(pg_db: Database) -> None:
    pg_db.load(ZOO / "cycle_not_null" / "postgresql.sql")
    with pg_db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO teams (id, name, captain_id) VALUES (1, 'Owls', 10)")
        assert unnamed(verify_integrity(conn)) == [
            "teams: foreign key (captain_id) -> players (id): 1 orphan row"
        ]
        conn.exec_driver_sql("INSERT INTO players (id, name, team_id) VALUES (10, 'Ada', 1)")
        assert verify_integrity(conn) == []
    assert pg_db.row_counts() == {"accounts": 0, "contacts": 0, "players": 1, "teams": 1}


def test_mysql_names_with_backticks(mysql_db: Database) -> None:
    # SQLAlchemy keeps such names doubled and drops the foreign key it cannot parse.
    mysql_db.load(
        "CREATE TABLE `p``q` (`a``b` INT PRIMARY KEY, `c``d` INT NOT NULL UNIQUE);"
        "CREATE TABLE ch (`x``y` INT, FOREIGN KEY (`x``y`) REFERENCES `p``q` (`a``b`));"
        "INSERT INTO `p``q` VALUES (1, 2);"
    )
    with unchecked(mysql_db) as conn:
        conn.exec_driver_sql("INSERT INTO ch VALUES (1), (5)")
    assert unnamed(mysql_db.verify()) == ["ch: foreign key (x`y) -> p`q (a`b): 1 orphan row"]


def test_colons_and_percents_in_names_and_checks(db: Database) -> None:
    q = db.quote
    db.load(
        f"CREATE TABLE {q('t :x')} ({q('id :y')} INT PRIMARY KEY NOT NULL,"
        f" {q('100%')} VARCHAR(20) CHECK ({q('100%')} <> 'a :b' AND {q('100%')} LIKE '%'),"
        f" CONSTRAINT {q('uq :z')} UNIQUE ({q('100%')}));"
    )
    db.execute(sql_text(f"INSERT INTO {q('t :x')} VALUES (1, 'ok %')"))
    assert db.verify() == []
    assert db.rows("t :x") == [(1, "ok %")]


def test_unreadable_check_is_reported_not_raised(db: Database) -> None:
    db.load("CREATE TABLE t (id INT PRIMARY KEY);")
    with db.engine.connect() as conn:
        rules = reflect_rules(conn)
        broken = dataclasses.replace(rules[0], checks=(Check("ck_broken", "no_such_column > 0"),))
        db.execute("INSERT INTO t VALUES (1)")
        problems = find_problems(conn, [broken])
        # The connection stays usable after the failed statement (PostgreSQL savepoints).
        assert conn.execute(sa.text("SELECT COUNT(*) FROM t")).scalar_one() == 1
    assert len(problems) == 1 and "could not be evaluated" in problems[0], problems


# --------------------------------------------------------------------------- real schemas

SHARED = [
    pytest.param(
        path.parent.name,
        path.stem,
        id=f"{path.parent.name}-{path.stem}",
        marks=getattr(pytest.mark, path.stem),
    )
    for path in sorted(SHARED_SCHEMAS.glob("*/*.sql"))
]


@pytest.mark.skipif(not SHARED, reason=f"no schemas in {SHARED_SCHEMAS}")
@pytest.mark.parametrize(("name", "dialect"), SHARED)
def test_real_world_schemas_verify_clean(name: str, dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load_shared(name)
    assert db.table_names()
    assert db.verify() == []


def test_rules_are_plain_data(sqlite_db: Database) -> None:
    sqlite_db.load(FK_SCHEMA)
    with sqlite_db.engine.connect() as conn:
        rules = {r.table.name: r for r in reflect_rules(conn)}
    assert isinstance(rules["child"], TableRules)
    assert {fk.columns for fk in rules["child"].foreign_keys} == {
        ("code", "region"),
        ("parent_id",),
    }
    assert {key.columns for key in rules["parent"].keys} == {("id",), ("code", "region")}
    assert set(rules["parent"].not_null) == {"id", "code", "region"}


def test_sequences_behind_their_keys_are_found(pg_db: Database) -> None:
    pg_db.load(
        """
        CREATE SEQUENCE loose_seq;
        CREATE TABLE owned (id serial PRIMARY KEY, name text);
        CREATE TABLE loose (id int DEFAULT nextval('loose_seq') PRIMARY KEY, name text);
        CREATE TABLE not_unique (n int DEFAULT nextval('loose_seq'), name text);
        INSERT INTO owned (id, name) VALUES (1, 'a'), (7, 'b');
        INSERT INTO loose (id, name) VALUES (3, 'c');
        INSERT INTO not_unique (n, name) VALUES (99, 'd');
        """
    )
    assert sorted(pg_db.verify_sequences()) == [
        "loose: the next generated id is 1, but the table already holds keys up to 3",
        "owned: the next generated id is 1, but the table already holds keys up to 7",
    ]
    pg_db.execute("SELECT setval('loose_seq', 3)")
    pg_db.execute("SELECT setval(pg_get_serial_sequence('owned', 'id'), 7)")
    assert pg_db.verify_sequences() == []


def test_auto_increment_counters_that_cannot_fall_behind(db: Database) -> None:
    # MariaDB and SQLite move their counters past explicit keys themselves: always clean.
    db.load(ZOO / "autoincrement" / f"{db.dialect}.sql")
    override = " OVERRIDING SYSTEM VALUE" if db.dialect == "postgresql" else ""
    for table in db.table_names():
        db.execute(
            f"INSERT INTO {db.quote(table)} ({db.quote('id')}, name){override} VALUES (100, 'x')"
        )
    problems = db.verify_sequences()
    if db.dialect == "postgresql":  # SERIAL and IDENTITY do not see explicit keys
        behind = {p.split(":")[0] for p in problems}
        assert behind == set(db.table_names()) - {"identity_always_keys"}  # starts at 1000
    else:
        assert problems == []
