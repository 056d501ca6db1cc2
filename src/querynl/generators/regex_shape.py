"""The shape of the texts a regular expression matches: fixed characters and slots.

A CHECK such as ``sku ~ '^[A-Z]{3}-[0-9]{4}$'`` asks for codes of one shape. ``shape`` reads
the expression with Python's own parser and returns, position by position, either a fixed
character or the alphabet of a slot; the ``regex`` generator then fills the slots as
``pattern`` does (a permutation of the row number for unique columns). What it reads: literal
characters, character classes (ranges, ``\\d``, ``\\w``, ``\\s``, negated classes over
printable ASCII), ``.``, groups, counted repeats (``{3}``, ``{2,4}``, ``?``, ``*``, ``+``: a
fixed count per expression, at most a few characters for an open end), alternatives (the
one with the most texts) and anchors. Back-references and look-arounds are not shapes:
``shape`` raises ValueError and the column keeps its generator.
"""

from __future__ import annotations

import re
import string
from typing import Any

try:  # Python 3.11 and later keep the parser here (``sre_parse`` is its deprecated name)
    import re._constants as c
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# printable ASCII without the characters that make text awkward to read back (quotes,
# backslash); what ``.`` and negated classes draw from
_PRINTABLE = string.ascii_letters + string.digits + " -_.,:;!?@#%&*+=/()[]{}<>~^$|"
_DIGITS = string.digits
_WORD = string.ascii_letters + string.digits + "_"
_SPACE = " "
_CATEGORIES = {
    c.CATEGORY_DIGIT: _DIGITS,
    c.CATEGORY_NOT_DIGIT: "".join(ch for ch in _PRINTABLE if ch not in _DIGITS),
    c.CATEGORY_WORD: _WORD,
    c.CATEGORY_NOT_WORD: "".join(ch for ch in _PRINTABLE if ch not in _WORD),
    c.CATEGORY_SPACE: _SPACE,
    c.CATEGORY_NOT_SPACE: _PRINTABLE.replace(" ", ""),
}
_REPEATS = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
OPEN_END = 3  # characters an open repeat (``+``, ``*``, ``{2,}``) gets beyond its minimum
MAX_LENGTH = 200

Slot = str | tuple[str]  # a fixed character, or (alphabet,)


# POSIX bracket classes (PostgreSQL, MySQL) in Python's spelling, inside a bracket
_POSIX = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": r"\s",
    "blank": r" \t",
    "xdigit": "0-9A-Fa-f",
    "word": r"\w",
    "punct": r"!-/:-@\[-`{-~",
}
_POSIX_CLASS = re.compile(r"\[:(" + "|".join(_POSIX) + r"):\]")


def for_python(pattern: str) -> str:
    """The expression as Python's ``re`` reads it the way the database does:
    ``[[:digit:]]`` is ``[0-9]``."""
    return _POSIX_CLASS.sub(lambda m: _POSIX[m.group(1)], pattern)


def shape(pattern: str) -> list[Slot]:
    """Position by position, the fixed character or the alphabet (a 1-tuple) of each."""
    if re.search(r"\[[:=.]", _POSIX_CLASS.sub("", pattern)):
        raise ValueError("a bracket expression Python does not read")
    try:
        parsed = sre_parse.parse(for_python(pattern))
    except (c.error, OverflowError, RecursionError) as exc:
        raise ValueError(f"not a regular expression Python reads: {exc}") from None
    return _sequence(list(parsed))


def _sequence(items: list[tuple[Any, Any]]) -> list[Slot]:
    out: list[Slot] = []
    for op, arg in items:
        out += _item(op, arg)
        if len(out) > MAX_LENGTH:
            raise ValueError(f"its texts are longer than {MAX_LENGTH} characters")
    return out


def _item(op: Any, arg: Any) -> list[Slot]:
    if op is c.LITERAL:
        return [chr(arg)]
    if op is c.ANY:
        return [(_PRINTABLE,)]
    if op is c.IN:
        return [(_alphabet(arg),)]
    if op in _REPEATS:
        low, high, inner = arg
        count = low if high == low else min(high, low + OPEN_END)
        if count * len(inner) > MAX_LENGTH:
            raise ValueError(f"its texts are longer than {MAX_LENGTH} characters")
        return _sequence(list(inner)) * count
    if op is c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is getattr(c, "ATOMIC_GROUP", c.SUBPATTERN):
        return _sequence(list(arg))
    if op is c.BRANCH:
        choices = [_sequence(list(branch)) for branch in arg[1]]
        return max(choices, key=_capacity)
    if op is c.AT:
        return []  # ^, $, \b: where, not what
    raise ValueError(f"{op} is not part of a shape")


def _alphabet(items: list[tuple[Any, Any]]) -> str:
    chars: list[str] = []
    negate = False
    for op, arg in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            chars.append(chr(arg))
        elif op is c.RANGE:
            low, high = arg
            if high - low > 0x2FF:  # a range too wide to list: its printable ASCII part
                chars += [ch for ch in _PRINTABLE if low <= ord(ch) <= high]
            else:
                chars += [chr(n) for n in range(low, high + 1)]
        elif op is c.CATEGORY:
            chars += _CATEGORIES.get(arg, "")
        else:
            raise ValueError(f"{op} in a character class")
    if negate:
        chars = [ch for ch in _PRINTABLE if ch not in set(chars)]
    found = "".join(dict.fromkeys(ch for ch in chars if ch.isprintable()))
    if not found:
        raise ValueError("a character class with no printable character")
    return found


def _capacity(slots: list[Slot]) -> int:
    size = 1
    for slot in slots:
        if isinstance(slot, tuple):
            size *= len(slot[0])
    return size


def alternatives(pattern: str) -> list[str] | None:
    """The texts of an expression that lists them (``^(red|green|blue)$``): a choice of
    words rather than one shape; None for anything else."""
    try:
        items = [(op, arg) for op, arg in sre_parse.parse(for_python(pattern)) if op is not c.AT]
    except (c.error, OverflowError, RecursionError):
        return None
    if len(items) == 1 and items[0][0] is c.SUBPATTERN:
        items = [(op, arg) for op, arg in items[0][1][-1] if op is not c.AT]
    if len(items) != 1 or items[0][0] is not c.BRANCH:
        return None
    found = []
    for branch in items[0][1][1]:
        if not all(op is c.LITERAL for op, _ in branch):
            return None
        found.append("".join(chr(arg) for _, arg in branch))
    return found
