"""Completion: what kind of word fits (from the text alone), then which names exist."""

from __future__ import annotations

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from querynl.connection import create_engine
from querynl.repl import ReplSession, _SessionCatalog
from querynl.repl_completion import ReplCompleter, slot_at


def test_slot_kinds():
    assert slot_at("\\sch").kinds == ("command",)
    assert slot_at("\\schema ord").kinds == ("table",)
    slot = slot_at("\\schema orders st")
    assert (slot.kinds, slot.table, slot.word) == (("column",), "orders", "st")
    assert slot_at("\\data ").kinds == ("subcommand", "table", "option")
    assert slot_at("\\data add 5 us").kinds == ("table", "option")
    assert slot_at("\\data add 5 users --se").kinds == ("option",)
    assert slot_at("SELECT * FROM ord").kinds == ("table",)
    assert slot_at("select * from orders join cu").kinds == ("table",)
    slot = slot_at("SELECT * FROM orders WHERE sta")
    assert slot.kinds == ("column", "keyword")
    assert "orders" in slot.tables
    slot = slot_at("SELECT orders.to")
    assert (slot.kinds, slot.table, slot.word) == (("column",), "orders", "to")
    assert slot_at("add 20 ord").kinds == ("table",)
    assert slot_at("").kinds == ("keyword",)
    assert slot_at("\\nosuch x").kinds == ()


def completions(session: ReplSession, text: str) -> list[str]:
    completer = ReplCompleter(_SessionCatalog(session))
    found = completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
    return [c.text for c in found]


def test_names_come_from_the_schema(sqlite_db):
    sqlite_db.load(
        """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT, total NUMERIC);
        CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders);
        CREATE TABLE "Odd Name" (id INTEGER PRIMARY KEY);
        """
    )
    engine = create_engine(sqlite_db.url)
    session = ReplSession(engine)
    try:
        assert completions(session, "\\sch") == ["schema"]
        assert sorted(completions(session, "\\schema ord")) == ["order_items", "orders"]
        assert completions(session, "\\schema orders st") == ["status"]
        assert completions(session, "\\schema Od") == ['"Odd Name"']
        assert completions(session, "SELECT * FROM Od") == ['"Odd Name"']
        assert completions(session, "SELECT * FROM orders WHERE to") == ["total"]
        assert completions(session, "SELECT orders.i") == ["id"]
        assert completions(session, "sel") == ["select"]
        assert completions(session, "SEL") == ["SELECT"]
        assert completions(session, "add 5 order_") == ["order_items"]
        assert completions(session, "\\data un") == ["undo"]
        assert "--seed" in completions(session, "\\data add 5 orders --s")
    finally:
        engine.dispose()
