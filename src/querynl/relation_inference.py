"""Relationships the schema does not declare, read from column names (``--infer-relations``).

Many schemas leave foreign keys out: ``orders.user_id`` names ``users.id`` by convention only.
With inference on, a column whose name is a table's name (singular or plural, any case or
separator) followed by ``id`` and whose type matches that table's one-column primary key is
treated as a foreign key to it, so generated values point at real rows. Inferred keys are
marked ``declared=False``; one that would close a cycle is left out (the database would not
check it, and a cycle needs a key it can defer), and each choice is explained in a note.

    meta, notes = infer_relations(meta)
"""

from __future__ import annotations

from dataclasses import replace

from .models import ColumnInfo, ForeignKeyInfo, SchemaMetadata, TableInfo
from .request_tokens import forms, ident_words

# Type kinds that can hold each other's keys.
_KEY_KINDS = {"integer": "integer", "uuid": "uuid", "string": "text", "text": "text"}


def infer_relations(meta: SchemaMetadata) -> tuple[SchemaMetadata, list[str]]:
    """``meta`` with the undeclared foreign keys its column names suggest, and one note each."""
    tables = dict(meta.tables)
    parents = {key: _parents(table) for key, table in tables.items()}
    notes: list[str] = []
    for key in meta.table_names:
        table = tables[key]
        found: list[ForeignKeyInfo] = []
        for col in table.columns:
            target = _target(meta, table, col)
            if target is None:
                continue
            parent = tables[target]
            label = f"{table.key}.{col.name} -> {parent.key}.{parent.primary_key[0]}"
            if target != key and _reaches(parents, target, key):
                notes.append(f"{label} is not declared and would close a cycle: not inferred.")
                continue
            found.append(
                ForeignKeyInfo(
                    name=None,
                    columns=(col.name,),
                    ref_table=target,
                    ref_columns=parent.primary_key,
                    declared=False,
                )
            )
            parents[key].add(target)
            notes.append(f"{label}: not declared; inferred from the column's name.")
        if found:
            tables[key] = replace(table, foreign_keys=table.foreign_keys + tuple(found))
    return replace(meta, tables=tables), notes


def _target(meta: SchemaMetadata, table: TableInfo, col: ColumnInfo) -> str | None:
    """The one table ``col`` names, if its key fits; None when none or several do."""
    words = ident_words(col.name)
    if len(words) == 1 and words[0].endswith("id") and len(words[0]) > 3:
        words = [words[0][:-2], "id"]  # userid
    if len(words) < 2 or words[-1] != "id" or col.computed:
        return None
    if any(col.name in fk.columns for fk in table.foreign_keys):
        return None
    stem = words[:-1]
    matches = []
    for key, other in meta.tables.items():
        if other.external or len(other.primary_key) != 1 or not _names(stem, other.name):
            continue
        if other.key == table.key and table.primary_key == (col.name,):
            continue  # the table's own key: users.user_id
        pk = other.column(other.primary_key[0])
        if _KEY_KINDS.get(pk.type.kind) == _KEY_KINDS.get(col.type.kind, "-"):
            matches.append(key)
    return matches[0] if len(matches) == 1 else None


def _names(stem: list[str], table_name: str) -> bool:
    """True when the words of a column's stem name the table: user -> users, Category ->
    categories, order_item -> OrderItems."""
    words = ident_words(table_name)
    return len(words) == len(stem) and all(
        a == b or bool(forms(a) & forms(b)) for a, b in zip(stem, words)
    )


def _parents(table: TableInfo) -> set[str]:
    return {fk.ref_table for fk in table.foreign_keys if fk.ref_table != table.key}


def _reaches(parents: dict[str, set[str]], start: str, goal: str) -> bool:
    """True when ``start`` references ``goal`` through a chain of foreign keys."""
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return False
