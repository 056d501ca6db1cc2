"""Codes with a shape (INV-2024-00042, CS101, d007) and slugs made from a column of the row.

``pattern`` fills '#' with digits, '?' with capital letters and '*' with either; unique
columns number the rows in those places (a permutation of the row index), so no two rows
share a code. ``regex`` does the same for the shape of a regular expression (a CHECK's
``code ~ '^[A-Z]{3}-[0-9]{4}$'``, see ``regex_shape``). ``slug`` turns another column of the
same row into a URL part.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import Field

from . import regex_shape, register
from .base import BatchContext, Generator, Params, Permutation, base36, code_width, cut, derive_seed

_SLOTS = {
    "#": "0123456789",
    "?": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "*": "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ",
}


class PatternParams(Params):
    pattern: str = Field(min_length=1, max_length=200)


@register
class Pattern(Generator):
    name = "pattern"
    summary = "codes of a shape: '#' digit, '?' letter, '*' either (INV-#####, ??-####)"
    Params = PatternParams
    kinds = ("string", "text", "unknown")
    natively_unique = True

    def setup(self) -> None:
        pattern = self.params.pattern
        length = self.column.type.length
        if length and len(pattern) > length:
            pattern = pattern[:length]
        self._shape(list(pattern), [(i, _SLOTS[c]) for i, c in enumerate(pattern) if c in _SLOTS])

    def _shape(self, chars: list[str], slots: list[tuple[int, str]]) -> None:
        """Fixed characters, and the places filled from an alphabet each."""
        self.chars = chars
        self.slots = slots
        self.backwards = [(i, alphabet, len(alphabet)) for i, alphabet in reversed(slots)]
        size = 1
        for _, alphabet in slots:
            size *= len(alphabet)
        self.size = size

    def generate(self, ctx: BatchContext) -> list[Any]:
        if self.unique:
            seed = derive_seed(self.env.seed, self.table.name, self.column.name, "pattern")
            numbers = Permutation(self.size, seed).many(ctx.start, ctx.n)
        else:
            r = ctx.rng(self.column.name).random
            numbers = [int(r() * self.size) for _ in range(ctx.n)]
        return list(map(self._fill, numbers))

    def _fill(self, number: int) -> str:
        chars = self.chars[:]
        for i, alphabet, size in self.backwards:
            number, r = divmod(number, size)
            chars[i] = alphabet[r]
        return "".join(chars)

    def capacity(self) -> int | None:
        return self.size


class RegexParams(Params):
    pattern: str = Field(min_length=1, max_length=200)


@register
class Regex(Pattern):
    name = "regex"
    summary = (
        "codes a regular expression describes (^[A-Z]{3}-[0-9]{4}$): its classes, literals "
        "and counted repeats, as a CHECK asks"
    )
    Params = RegexParams  # type: ignore[assignment]

    def setup(self) -> None:
        shape = regex_shape.shape(self.params.pattern)
        length = self.column.type.length
        if length and len(shape) > length:
            raise ValueError(
                f"its texts have {len(shape)} characters; {self.column.name} holds {length}"
            )
        if not shape:
            raise ValueError("it matches the empty text only")
        chars = [slot if isinstance(slot, str) else "" for slot in shape]
        self._shape(chars, [(i, s[0]) for i, s in enumerate(shape) if isinstance(s, tuple)])


class SlugParams(Params):
    column: str


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(value: Any) -> str:
    """'Ergonomic Steel Chair' -> 'ergonomic-steel-chair'."""
    folded = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


@register
class Slug(Generator):
    name = "slug"
    summary = "a URL slug made from another column of the row (the title)"
    Params = SlugParams
    kinds = ("string", "text", "unknown")
    natively_unique = True

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.params.column,)

    def setup(self) -> None:
        self.width = code_width(self.rows)

    def generate(self, ctx: BatchContext) -> list[Any]:
        source = ctx.columns[self.params.column]
        values = [slugify(v) if v is not None else "" for v in source]
        values = [v or "item" for v in values]
        length = self.column.type.length
        if not self.unique:
            return cut(values, length)
        keep = (length - self.width - 1) if length else None
        if keep is not None and keep < 1:
            return [base36(i, self.width)[-length:] for i in range(ctx.start, ctx.start + ctx.n)]
        return [
            f"{v[:keep].rstrip('-') if keep else v}-{base36(i, self.width)}"
            for i, v in enumerate(values, ctx.start)
        ]
