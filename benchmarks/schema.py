"""The benchmark schema: the demo e-commerce schema, written for each database.

``demo.sql`` (7 tables, foreign keys, unique emails and SKUs, CHECKs, indexes) is SQLite's;
PostgreSQL and MariaDB take the same tables with their own spelling of booleans and of
foreign keys. ``TEN_TABLES`` adds three tables for the default-request measurement.
"""

from __future__ import annotations

import re
from importlib.resources import files

# table -> share of the rows of a run (sums to 1); children outnumber their parents
SHARES: dict[str, float] = {
    "customers": 0.10,
    "addresses": 0.12,
    "categories": 0.001,
    "products": 0.05,
    "orders": 0.20,
    "order_items": 0.40,
    "reviews": 0.129,
}

EXTRA_TABLES = """
CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY,
    name VARCHAR(120) NOT NULL UNIQUE,
    email VARCHAR(120) NOT NULL,
    country VARCHAR(60) NOT NULL
);

CREATE TABLE coupons (
    id INTEGER PRIMARY KEY,
    code VARCHAR(20) NOT NULL UNIQUE,
    discount_percent INTEGER NOT NULL CHECK (discount_percent BETWEEN 1 AND 90),
    valid_until DATE NOT NULL
);

CREATE TABLE supplier_products (
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    cost NUMERIC(10, 2) NOT NULL CHECK (cost > 0),
    PRIMARY KEY (supplier_id, product_id)
);
"""


def counts(total: int) -> dict[str, int]:
    """Rows per table for ``total`` rows in all (the largest table takes the rounding)."""
    found = {t: max(1, int(total * share)) for t, share in SHARES.items()}
    found["order_items"] += total - sum(found.values())
    return found


def request(total: int) -> str:
    """The sentence that asks for ``total`` rows in the shares above."""
    parts = [f"{n} {table.replace('_', ' ')}" for table, n in counts(total).items()]
    return "add " + ", ".join(parts[:-1]) + " and " + parts[-1]


def ddl(dialect: str, *, ten_tables: bool = False) -> str:
    """The schema's DDL for ``dialect`` (sqlite, postgresql or mysql)."""
    text = files("querynl").joinpath("data/demo.sql").read_text(encoding="utf-8")
    text = re.sub(r"^PRAGMA .*$", "", text, flags=re.M)
    if ten_tables:
        text += EXTRA_TABLES
    if dialect == "postgresql":
        text = text.replace("BOOLEAN NOT NULL DEFAULT 0", "BOOLEAN NOT NULL DEFAULT false")
        text = text.replace("BOOLEAN NOT NULL DEFAULT 1", "BOOLEAN NOT NULL DEFAULT true")
    elif dialect == "mysql":
        text = _table_level_foreign_keys(text)
    return text


def statements(text: str) -> list[str]:
    """The statements of a DDL script (no semicolons inside literals in this schema)."""
    return [s.strip() for s in text.split(";") if s.strip() and not _only_comments(s)]


def _only_comments(statement: str) -> bool:
    return all(not ln.strip() or ln.strip().startswith("--") for ln in statement.splitlines())


_INLINE_FK = re.compile(r"^(\s+)(\w+)( [^,\n]*?) REFERENCES (\w+)\((\w+)\)(,?)$", re.M)


def _table_level_foreign_keys(text: str) -> str:
    """MySQL ignores a column's inline REFERENCES: write each as a table-level FOREIGN KEY."""
    out = []
    for block in text.split(";"):
        fks = []

        def move(m: re.Match[str], fks: list[str] = fks) -> str:
            indent, col, rest, table, ref, comma = m.groups()
            fks.append(f"{indent}FOREIGN KEY ({col}) REFERENCES {table}({ref})")
            return f"{indent}{col}{rest},"

        block = _INLINE_FK.sub(move, block)
        if fks:
            head, _, tail = block.rpartition(")")
            head = head.rstrip().rstrip(",")
            block = head + ",\n" + ",\n".join(fks) + "\n)" + tail
        out.append(block)
    return ";".join(out)
