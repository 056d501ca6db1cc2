"""Column meaning from names, types and the table's meaning: a lookup table, not an if-chain.

``guess(column, table, domain)`` returns the catalogue generator, its parameters and the
meaning for a column whose name says what it holds (``email``, ``fname``, ``cust_email``,
``UnitPrice``, ``billing_city``, ``created_at``...), or None when the name says nothing and
the type decides. The table of meanings is in ``meanings.py``; this module reads names.

    >>> guess(column("cust_email"), table("customers"))           # doctest: +SKIP
    ('person.email', {}, 'email')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .meanings import (
    ABBREVIATIONS,
    DOMAIN_ENTITY_NAMES,
    DOMAIN_PRICES,
    DOMAIN_TABLE_WORDS,
    ENTITIES,
    ENTITY_NAMES,
    MEANINGS,
    ROLE_PREFIXES,
    TEXT,
    Meaning,
)
from .models import ColumnInfo, TableInfo

_COMPILED = tuple((re.compile(m.pattern), m) for m in MEANINGS)
_ENTITIES = tuple((re.compile(p), e) for p, e in ENTITIES)
NAME_WORDS = ("name", "title", "label", "caption", "heading")
# names that end like "<table>_name" but hold something else
NOT_ENTITY_NAMES = frozenset(
    ("user_name", "account_name", "screen_name", "nick_name", "login_name", "file_name")
    + ("host_name", "domain_name", "bank_name", "street_name", "brand_name", "company_name")
)


def meanings() -> list[str]:
    """Every column meaning QueryNL recognises, in the order they are tried."""
    names = [m.name for m in MEANINGS] + [n for _, _, n in ENTITY_NAMES.values()]
    return list(dict.fromkeys(names))


def normalise(name: str) -> str:
    """'OrderDate' -> 'order_date', 'Unit Price' -> 'unit_price', 'fname' -> 'first_name'."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.strip())
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()
    words = "_".join(ABBREVIATIONS.get(w, w) for w in s.split("_") if w).split("_")
    # 'zip_code' -> 'postal_code_code' -> 'postal_code'
    return "_".join(w for i, w in enumerate(words) if i == 0 or w != words[i - 1])


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def candidates(column: ColumnInfo, table: TableInfo) -> list[str]:
    """The name, then without a table prefix (cust_email -> email, customer_name -> name),
    then without a role prefix (billing_city -> city, ship_postal_code -> postal_code)."""
    name = normalise(column.name)
    out = [name]
    table_words = normalise(table.name).split("_")
    table_forms = {w for t in table_words for w in (t, _singular(t))}
    parts = name.split("_")
    if len(parts) > 1:
        head = parts[0]
        if head in table_forms or any(t.startswith(head) and len(head) >= 3 for t in table_forms):
            out.append("_".join(parts[1:]))
    for base in list(out):
        for role in ROLE_PREFIXES:
            if base.startswith(role + "_") and len(base) > len(role) + 1:
                out.append(base[len(role) + 1 :])
    return list(dict.fromkeys(out))


def entity_of(table: TableInfo | str) -> str | None:
    """What the rows of a table are: 'person', 'product', 'city', ... (None: no idea).

    The whole name is tried first, then its words from the last: ``film_text`` holds films.
    """
    name = normalise(table if isinstance(table, str) else table.name)
    words = name.split("_")
    for candidate in [name, *reversed(words)] if len(words) > 1 else [name]:
        for pattern, entity in _ENTITIES:
            if pattern.search(candidate):
                return entity
    return None


def schema_domain(table_names: Iterable[str]) -> str | None:
    """The domain a schema's table names point at (films -> 'media', patients -> 'medical')."""
    words = {w for name in table_names for w in normalise(name).split("_")}
    words |= {_singular(w) for w in words}
    scores = {
        domain: sum(1 for key in keys if key in words)
        for domain, keys in DOMAIN_TABLE_WORDS.items()
    }
    best = max(scores.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= 2 else None


def guess(
    column: ColumnInfo, table: TableInfo, domain: str | None = None
) -> tuple[str, dict[str, Any], str] | None:
    """(generator, params, meaning) from the column's name, its type and its table."""
    kind = column.type.kind
    names = candidates(column, table)
    if kind in TEXT and names[0] not in NOT_ENTITY_NAMES:
        # a role prefix never makes a name the row's own (user_name is not the user's name)
        own_names = [n for n in names[:2] if n == names[0] or not names[0].endswith("_" + n)]
        named = _entity_name(column, table, own_names or names[:1], domain)
        if named is not None:
            return named
    # the most specific meaning wins, whichever form of the name it matches
    for pattern, meaning in _COMPILED:
        if kind in meaning.kinds and any(pattern.search(n) for n in names):
            return _fitted(meaning, column, table, domain)
    return None


def _entity_name(
    column: ColumnInfo, table: TableInfo, names: list[str], domain: str | None
) -> tuple[str, dict[str, Any], str] | None:
    """``name``/``title`` of an entity table: a product's name, a city's name, a job title."""
    entity = entity_of(table)
    if entity is None:
        return None
    own = {_singular(normalise(table.name).split("_")[-1]), entity}
    if not any(_names_the_row(n, own) for n in names):
        return None
    if any(n.endswith(("title", "label")) for n in names) and entity in ("person", "company"):
        if entity == "company":
            return None
        if column.type.length is not None and column.type.length <= 8:
            return "person.prefix", {}, "title of courtesy"
        return "pool", {"pool": "job_title"}, "job title"
    generator, params, meaning = (
        DOMAIN_ENTITY_NAMES.get((domain or "", entity)) or ENTITY_NAMES[entity]
    )
    return generator, dict(params), meaning


def _names_the_row(name: str, own: set[str]) -> bool:
    """'name', 'title', 'city' in cities, 'category_name' in categories,
    'region_description' in region (Northwind)."""
    if name in NAME_WORDS or name in own:
        return True
    head, _, tail = name.rpartition("_")
    return head in own and tail in (*NAME_WORDS, "description")


def _fitted(
    meaning: Meaning, column: ColumnInfo, table: TableInfo, domain: str | None
) -> tuple[str, dict[str, Any], str]:
    """The meaning's generator, adjusted to the column's type (short codes, small numbers)."""
    generator, params = meaning.generator, dict(meaning.params)
    length = column.type.length
    if meaning.name == "ISBN" and length is not None and length < 17:
        generator, params = "pattern", {"pattern": "978##########"[: max(1, length)]}
    elif meaning.name == "country" and length is not None and length <= 3:
        params = {"part": "country_code" if length == 2 else "country_code3"}
    elif meaning.name == "language name" and length is not None and length <= 5:
        generator, params = "pool", {"pool": "language_code"}
    elif meaning.name == "state" and length is not None and length <= 3:
        params = {"part": "state_code"}
    elif meaning.name == "year" and column.type.kind in TEXT:
        generator, params = "choice", {"values": [str(y) for y in range(1990, 2026)]}
    elif meaning.name == "flag" and column.type.kind in TEXT:
        from .request_details import flag_values

        yes, no, _how = flag_values(column)
        generator, params = "choice", {"values": [yes, no], "weights": [0.7, 0.3]}
    elif meaning.name in ("price", "amount") and domain in DOMAIN_PRICES:
        low, high = DOMAIN_PRICES[domain]
        params = {**params, "min": low, "max": high}
    elif meaning.name == "identifier code":
        generator, params = "pattern", {"pattern": code_shape(length)}
    return generator, params, meaning.name


def code_shape(length: int | None) -> str:
    """The shape of a code column's values: 'A12', 'AB123', 'ABC12345'."""
    width = min(length or 8, 8)
    if width <= 4:  # short codes: letters or digits in every place, so more of them fit
        return "*" * width
    letters = max(1, width // 2) if width > 1 else 1
    return "?" * letters + "#" * (width - letters)
