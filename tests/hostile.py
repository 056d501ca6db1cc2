"""Hostile inputs shared by the fault and adversarial tests: names, values, requests.

Identifiers carry every character class that breaks naive SQL building: quotes of all three
databases, backslashes, statement separators, comment openers, driver placeholders (``%s``,
``%(x)s``, ``:name``, ``?``, ``$1``), reserved words, spaces, mixed case, emoji and
right-to-left text. Values add control characters, every Unicode plane and very long strings.

Each database has its own limits on names (what it allows, not what QueryNL would like):
MySQL/MariaDB names hold only the Basic Multilingual Plane, cannot end in a space and compare
column names without case or accents; PostgreSQL keeps 63 bytes of a name; SQLite compares
names without case. Control characters are left out of names: SQLAlchemy reads MySQL names out
of ``SHOW CREATE TABLE`` line by line.
"""

from __future__ import annotations

import os
import re
import unicodedata

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

NAME_FRAGMENTS = (
    '"',
    "'",
    "`",
    "\\",
    ";",
    "--",
    "/*",
    "*/",
    "%",
    "%s",
    "%(x)s",
    "%%",
    ":name",
    ":1",
    "?",
    "$1",
    "{0}",
    "select",
    "order",
    "group",
    "from",
    "user",
    "Table",
    "DROP TABLE x",
    " ",
    "a b",
    ",",
    "(",
    ")",
    ".",
    "Mixed",
    "[bold]",
    "[/]",
    "ünï",
    "表",
    "🎉",
    "👩‍💻",
    "שלום",
    "مرحبا",
    "\u202e",  # right-to-left override
    "x",
)

VALUE_FRAGMENTS = (
    *NAME_FRAGMENTS,
    "''",
    "\\'",
    "'); DROP TABLE users; --",
    "\x01\x02\x1f\x7f",
    "\t\n\r",
    "\ufeff",
    "\U0001f389",  # plane 1
    "\U00020000",  # plane 2
    "\U00030000",  # plane 3
    "\U000e0001",  # plane 14
    "\U000f0000",  # plane 15 (private use)
    "\U0010fffd",  # plane 16 (private use)
    "",
    "  ",
)

# One character from each Unicode plane that has assigned or private-use code points.
EVERY_PLANE = "A\u00e9\u4e2d\U0001f600\U00020001\U00030001\U000e0020\U000f0001\U0010fffd"


def fold(name: str) -> str:
    """How the strictest of the three databases compares two names (no case, no accents)."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    return stripped.casefold().strip()


def allowed_name(name: str, dialect: str) -> bool:
    """True when ``dialect`` accepts ``name`` as a quoted identifier (and keeps it whole)."""
    if not name.strip() or "\x00" in name:
        return False
    if dialect == "mysql":
        return all(ord(c) <= 0xFFFF for c in name) and not name.endswith(" ") and len(name) <= 40
    if dialect == "postgresql":
        return len(name.encode("utf-8")) <= 40
    return True


def names(dialect: str, *, min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    """Distinct hostile identifiers the database accepts, never equal after ``fold``."""
    one = st.lists(st.sampled_from(NAME_FRAGMENTS), min_size=1, max_size=4).map("".join)
    return st.lists(
        one.filter(lambda n: allowed_name(n, dialect)),
        min_size=min_size,
        max_size=max_size,
        unique_by=fold,
    )


def text_values(dialect: str) -> st.SearchStrategy[str]:
    """Hostile strings: fragments glued together, or any NUL-free text Hypothesis invents."""
    glued = st.lists(st.sampled_from(VALUE_FRAGMENTS), max_size=6).map("".join)
    anything = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
    return st.one_of(glued, anything)


def long_value(length: int = 70_000) -> str:
    """A very long string that crosses every plane (about 4 bytes a character in UTF-8)."""
    return (EVERY_PLANE * (length // len(EVERY_PLANE) + 1))[:length]


def property_settings(examples: int) -> settings:
    """Hypothesis settings for tests against real databases.

    Derandomized so CI is stable, and without shrinking (each example costs real database
    work; the failing example is reported as found). QUERYNL_EXPLORE=N runs N fresh random
    examples instead, shrunk on failure.
    """
    explore = int(os.environ.get("QUERYNL_EXPLORE", "0") or 0)
    phases = list(Phase) if explore else [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        max_examples=explore or examples,
        derandomize=not explore,
        phases=phases,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s+File \"", re.M)


def assert_no_traceback(text: str) -> None:
    assert not _TRACEBACK.search(text), f"a stack trace reached the user:\n{text}"
