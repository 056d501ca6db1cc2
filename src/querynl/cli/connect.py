"""``querynl connect add|list|test|remove``: saved connections from the command line."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from ..errors import ConfirmationRequired, ConnectionFailed

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

# connections.TYPES, spelled out so that `querynl --help` need not load SQLAlchemy and
# cryptography (tests/test_cli_connect.py checks that the two agree)
TYPES = ("postgresql", "mysql", "mariadb", "sqlite")
_TYPES = click.Choice(TYPES, case_sensitive=False)


@click.group("connect")
def connect() -> None:
    """Save, list, test and remove named database connections.

    \b
    Examples:
      querynl connect add shop
      querynl connect add blog --url sqlite:///blog.db
      querynl connect test shop
      querynl data "add 50 users" -c shop
    """


@connect.command("add")
@click.argument("name")
@click.option("--url", metavar="URL", help="Take every detail from a URL instead of asking.")
@click.option("--type", "kind", type=_TYPES, help="Database type.")
@click.option("--host", help="Server host name or address.")
@click.option("--port", type=click.IntRange(1, 65535), help="Server port.")
@click.option("--database", help="Database name (the file path for SQLite).")
@click.option("--user", help="User name.")
@click.option("--ask-password", is_flag=True, help="With --url: ask for the password (hidden).")
@click.option("--test", "test_first", is_flag=True, help="Connect once before saving.")
@click.option("--replace", is_flag=True, help="Overwrite a connection of the same name.")
def add(
    name: str,
    url: str | None,
    kind: str | None,
    host: str | None,
    port: int | None,
    database: str | None,
    user: str | None,
    ask_password: bool,
    test_first: bool,
    replace: bool,
) -> None:
    """Save a connection as NAME; the password is stored encrypted."""
    from .. import connections as conns
    from ..connection import display_url

    conns.check_new_name(name, replace=replace)  # before any question
    if url:
        password = _ask_password() if ask_password else None
        target = conns.build_url(url, password=password)
    else:
        fields = _ask_fields(kind, host, port, database, user)
        target = conns.build_url(fields)
    if test_first:
        _probe_before_saving(name, target)
    saved = conns.add_connection(name, target, replace=replace)
    click.echo(f"Saved connection {name!r}: {display_url(target)}")
    if saved.has_password:
        click.echo(f"The password is stored encrypted; its key is in {conns.key_location()}.")


def _ask_fields(
    kind: str | None, host: str | None, port: int | None, database: str | None, user: str | None
) -> dict[str, object]:
    from .. import connections as conns

    kind = (kind or click.prompt("Type", type=_TYPES, default="postgresql")).lower()
    if kind == "sqlite":
        return {"type": kind, "database": database or click.prompt("Database file")}
    return {
        "type": kind,
        "host": host or click.prompt("Host", default="localhost"),
        "port": port
        or click.prompt("Port", type=click.IntRange(1, 65535), default=conns.DEFAULT_PORTS[kind]),
        "database": database or click.prompt("Database", default="", show_default=False),
        "user": user or click.prompt("User"),
        "password": _ask_password(),
    }


def _ask_password() -> str:
    return click.prompt(
        "Password (empty for none)", default="", hide_input=True, show_default=False
    )


def _probe_before_saving(name: str, target: URL) -> None:
    from .. import connections as conns

    try:
        version = conns.probe_url(target)
    except ConnectionFailed as exc:
        exc.hint = f"Connection {name!r} was not saved. {exc.hint or ''}".strip()
        raise
    click.echo(f"Connected: {version}")


@connect.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the connections as JSON.")
def list_(as_json: bool) -> None:
    """Show the saved connections (never their passwords)."""
    from rich.console import Console
    from rich.table import Table

    from .. import connections as conns

    saved = conns.list_connections()
    if as_json:
        click.echo(json.dumps([c.as_dict() for c in saved], indent=2))
        return
    if not saved:
        click.echo("No saved connections. Add one with: querynl connect add NAME")
        return
    table = Table("name", "type", "host", "port", "database", "user")
    for c in saved:
        table.add_row(c.name, c.type, c.host or "", _text(c.port), c.database or "", c.user or "")
    Console(soft_wrap=True).print(table)


def _text(value: object) -> str:
    return "" if value is None else str(value)


@connect.command("test")
@click.argument("name")
def test(name: str) -> None:
    """Connect to NAME once and show the server version."""
    from .. import connections as conns
    from ..connection import display_url

    url = conns.get_connection_url(name)
    version = conns.probe_url(url)
    click.echo(f"OK: {name} ({display_url(url)}) is {version}.")


@connect.command("remove")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def remove(name: str, yes: bool) -> None:
    """Forget the connection NAME and its stored password."""
    from .. import connections as conns

    conns.get_connection(name)  # unknown names fail before any question
    if not yes:
        if not _interactive():
            raise ConfirmationRequired(
                f"Removing connection {name!r} needs confirmation; pass --yes."
            )
        click.confirm(f"Remove connection {name!r}?", abort=True)
    conns.remove_connection(name)
    click.echo(f"Removed connection {name!r}.")


def _interactive() -> bool:
    return sys.stdin.isatty()
