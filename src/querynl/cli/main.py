"""The top-level Click group and the one place expected errors become messages."""

from __future__ import annotations

import logging
import signal
import sys
from typing import NoReturn

import click

from .. import __version__
from ..errors import QueryNLError
from ..redact import RedactingFilter, RedactingFormatter, redact, register_environment_secrets
from .options import database_options


def _interrupted(exc: BaseException) -> bool:
    """Whether a Ctrl+C is among the causes of ``exc``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _cancelled(ctx: click.Context, committed: bool) -> NoReturn:
    if committed:
        click.echo("Cancelled after the rows were committed; they are in.", err=True)
    else:
        click.echo("Cancelled; nothing was inserted.", err=True)
    ctx.exit(130)


class QueryNLGroup(click.Group):
    """Runs a command and turns ``QueryNLError`` into one clear message and an exit code."""

    def make_context(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Ctrl+C while the command line is read: Click would say "Aborted!" and exit 1
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("Cancelled; nothing was inserted.", err=True)
            raise click.exceptions.Exit(130) from None

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from ..schema_design.insertion_executor import commits

        committed_before = commits()
        try:
            return super().invoke(ctx)
        except QueryNLError as exc:
            if _wants_traceback(ctx):
                _print_traceback()
            else:
                from .render import print_error

                print_error(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            _cancelled(ctx, commits() != committed_before)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: one line, secrets masked, the stack on request
            if _interrupted(exc):
                # Ctrl+C inside code that wraps what it catches (a class being made while a
                # module loads wraps it in RuntimeError): still a cancellation
                _cancelled(ctx, commits() != committed_before)
            if _wants_traceback(ctx):
                _print_traceback()
            else:
                click.echo(
                    f"Error: unexpected {type(exc).__name__}: {redact(str(exc))}\n"
                    "Hint: this is a bug in QueryNL; run the command again with --traceback "
                    "and report what it prints.",
                    err=True,
                )
            ctx.exit(1)
        finally:
            if ctx.obj and ctx.obj.get("process"):
                # The command's outcome is settled and said; a late Ctrl+C must not turn it
                # into "Aborted!" or a kill by SIGINT on the way out.
                signal.signal(signal.SIGINT, signal.SIG_IGN)


def _wants_traceback(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("traceback"))


def _print_traceback() -> None:
    """The stack of the exception being handled, for bug reports, with secrets masked."""
    import traceback

    click.echo(redact(traceback.format_exc()), err=True, nl=False)


@click.group(cls=QueryNLGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="querynl")
@database_options
@click.option("--verbose", "-v", is_flag=True, help="Log what runs (SQL, batches, timings).")
@click.option("--traceback", is_flag=True, help="Show the full stack trace of errors.")
@click.pass_context
def main(
    ctx: click.Context, db: str | None, connection: str | None, verbose: bool, traceback: bool
) -> None:
    """QueryNL fills database schemas with realistic test data from one sentence.

    Without a command it starts the REPL on the configured database (--db, -c,
    DATABASE_URL or the config's default connection), or shows this help.

    \b
    Examples:
      querynl demo
      querynl data "add 50 users and 200 posts" --db sqlite:///blog.db
      querynl data "add some sample data" --db postgresql://me@localhost/shop --dry-run
      querynl --db querynl-demo.db
    """
    from .repl_entry import default_entry, inherit_database

    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback
    ctx.obj["verbose"] = verbose
    setup_logging(verbose)
    if ctx.invoked_subcommand is None:
        default_entry(ctx, db, connection)
    else:
        inherit_database(ctx, db, connection)


def setup_logging(verbose: bool) -> None:
    """Log to stderr, secrets masked; SQL and timings only with ``--verbose``."""
    register_environment_secrets()
    root = logging.getLogger()
    for handler in root.handlers:
        if any(isinstance(f, RedactingFilter) for f in handler.filters):
            break
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    level = logging.DEBUG if verbose else logging.WARNING
    logging.getLogger("querynl").setLevel(level)
    # library warnings (SQLAlchemy's reflection notes, ...) go through the same masking
    # filter, and only with --verbose: they are not something a user can act on
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.WARNING if verbose else logging.ERROR)
    root.setLevel(logging.WARNING if not verbose else logging.INFO)


def _register() -> None:
    from . import commands

    for command in commands.COMMANDS:
        main.add_command(command)


def safe_message(exc: BaseException) -> str:
    return redact(str(exc))


_register()
