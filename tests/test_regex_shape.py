"""Texts that match the regular expression of a CHECK: the shape read from the expression,
the ``regex`` generator that fills it, and the planner's choice between it and the column's
own generator."""

from __future__ import annotations

import random
import re

import pytest
from click.testing import CliRunner

from dbkit import MakeDb
from querynl.cli import main
from querynl.generators import regex_shape
from querynl.schema_design import test_data_generator as tdg

MATCHED = [
    r"^[A-Z]{3}-[0-9]{4}$",
    r"^\d{5}(-\d{4})?$",
    r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
    r"^[^0-9]{2,3}$",
    r"^(ab|cde)+x*\d{2,}$",
    r"^[A-F0-9]{8}-[A-F0-9]{4}$",
    r"^\w+\s\w+$",
    r"^(?:[A-Z]{2}|[0-9]{3})-.$",
    r"^[]a]+$",
    r"^[[:upper:]]{2}[[:digit:]]{3}$",
    r"INV\d+",  # unanchored: the text contains a match
    r"^[a-zA-Z]+$",
    r"^\+?[0-9 ]{7,12}$",
]


@pytest.mark.parametrize("pattern", MATCHED)
def test_filled_shapes_match_their_expression(pattern: str) -> None:
    shape = regex_shape.shape(pattern)
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(s if isinstance(s, str) else rng.choice(s[0]) for s in shape)
        assert re.search(regex_shape.for_python(pattern), text), (pattern, text)


@pytest.mark.parametrize(
    "pattern",
    [r"^(\w)\1$", r"^(?=a)\w$", r"^(?!x)\w$", r"^[[:foo:]]$", "(unclosed", r"^a{500}$"],
)
def test_what_is_not_a_shape(pattern: str) -> None:
    with pytest.raises(ValueError):
        regex_shape.shape(pattern)


def test_an_expression_that_lists_words() -> None:
    assert regex_shape.alternatives(r"^(red|green|blue)$") == ["red", "green", "blue"]
    assert regex_shape.alternatives(r"paid|refunded") == ["paid", "refunded"]
    assert regex_shape.alternatives(r"^(red|gr\d)$") is None
    assert regex_shape.alternatives(r"^[A-Z]{2}$") is None


REGEXP = {"postgresql": "~", "mysql": "REGEXP"}


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_columns_with_a_regular_expression_check(dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    op = REGEXP[dialect]
    db.load(
        f"""
        CREATE TABLE parts (
            id INTEGER PRIMARY KEY,
            sku VARCHAR(20) NOT NULL UNIQUE CHECK (sku {op} '^[A-Z]{{3}}-[0-9]{{4}}$'),
            color VARCHAR(10) CHECK (color {op} '^(red|green|blue)$'),
            zip VARCHAR(10) NOT NULL CHECK (zip {op} '^[0-9]{{5}}$'),
            email VARCHAR(120) NOT NULL CHECK (email {op} '^[a-z0-9._-]+@[a-z0-9.-]+[.][a-z]+$'),
            shelf VARCHAR(8) NOT NULL CHECK (shelf {op} '^[[:upper:]]{{2}}[[:digit:]]{{3}}$')
        );
        """
    )
    prepared = tdg.prepare("add 600 parts", db.engine, tdg.DataOptions(seed=3))
    plan = prepared.plan.table("parts")
    assert plan.column("sku").generator == "regex"
    assert plan.column("color").generator == "choice"
    # the column's own generator is kept when its texts match: real postcodes, real emails
    assert plan.column("zip").generator != "regex"
    assert plan.column("email").generator != "regex"
    args = ["data", "add 600 parts", "--db", db.url, "--yes", "--sample", "0", "--seed", "3"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = db.rows("parts")
    assert len(rows) == 600 and len({r[1] for r in rows}) == 600
    assert all(re.fullmatch(r"[A-Z]{3}-[0-9]{4}", r[1]) for r in rows)
    assert {r[2] for r in rows} - {None} == {"red", "green", "blue"}
    assert all(re.fullmatch(r"[0-9]{5}", r[3]) for r in rows)
    assert all("@" in r[4] for r in rows)
    assert all(re.fullmatch(r"[A-Z]{2}[0-9]{3}", r[5]) for r in rows)
    assert db.verify() == []
