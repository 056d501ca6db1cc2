"""Tokens and schema names for the request parser.

The request parser works on tokens, not characters: numbers (with separators, suffixes and
number words already read), percentages and shares, dates, words, table names and locale names.
``prepare`` turns a request into that token list; :class:`SchemaNames` answers the questions the
parser asks about the schema (which table is "order items", which column holds 'shipped', which
column is a price).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation, localcontext

from querynl import request_vocabulary as V
from querynl.errors import RequestError, did_you_mean
from querynl.models import ColumnInfo, SchemaMetadata, TableInfo

HUGE = math.inf  # a number too large to be meant

# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------

_TOKEN_RX = re.compile(
    r"""
      (?P<date>\d{4}-\d{2}-\d{2})(?!\d)
    | (?P<base>\d+(?:\.\d+)?)\s*(?:\^|\*\*)\s*(?P<exp>\d+)
    | (?P<num>(?:(?<![\w.])-)?(?:\d{1,3}(?:(?:,|_|[ \u00a0\u202f])\d{3})+(?![\d.])
                              |\d+(?:\.\d+)?(?:e\d+)?))
      (?:(?P<suffix>mm|mn|bn|k|m|b)(?!\w))?
    | (?P<word>[^\W\d_]\w*(?:['’.\-][^\W_]\w*)*)
    | (?P<dash>[-–—])
    | (?P<punct>[,;.!?])
    | (?P<op>[%:=<>+/&$€£¥])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SYMBOLS = {
    "num": "N",
    "pct": "P",
    "date": "D",
    "locale": "L",
    "table": "T",
    "dash": "-",
    "punct": ",",
}
_USED = {"num": "_n", "pct": "_p", "date": "_d", "locale": "_l"}
_OPS = {"/": "per", "&": "and"}
_CURRENCY = "$€£¥"


@dataclass
class Token:
    kind: str  # word, num, pct, date, dash, punct, op, table, locale
    raw: str  # the text as typed
    start: int
    end: int
    low: str  # normalised lowercase form
    value: int | float | str | None = None  # number, share, date, table name or locale code
    vague: bool = False
    money: bool = False
    used: bool = False

    @property
    def symbol(self) -> str:
        if self.kind == "table":
            return "T"
        if self.used:
            return _USED.get(self.kind, "_")
        return _SYMBOLS.get(self.kind) or self.low


# Arithmetic on numbers as typed ("1e1000000", "9^60") overflows to Infinity instead of raising.
_DECIMALS = Context(prec=40, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])


def _finite(d: Decimal) -> int | float:
    if not d.is_finite() or d.copy_abs() > 10**18:
        return math.copysign(HUGE, 1 if d.is_nan() else d)
    return int(d) if d == d.to_integral_value() else float(d)


def _number(digits: str, suffix: str | None) -> int | float:
    try:
        d = Decimal(re.sub(r"[,_\s]", "", digits))
    except InvalidOperation:
        return HUGE
    scale = V.NUMBER_SUFFIXES[suffix.lower()] if suffix else 1
    return _finite(_DECIMALS.multiply(d, scale))


def _power(base: str, exp: str) -> int | float:
    n = int(exp) if len(exp) < 7 else 10**6
    return _finite(_DECIMALS.power(Decimal(base), min(n, 1000)))


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    money_next = False
    for m in _TOKEN_RX.finditer(text):
        s, e, raw = m.start(), m.end(), m.group()
        if m["date"]:
            tok = Token("date", raw, s, e, raw, raw)
        elif m["base"] is not None:
            tok = Token("num", raw, s, e, raw, _power(m["base"], m["exp"]))
        elif m["num"] is not None:
            tok = Token("num", raw, s, e, raw.lower(), _number(m["num"], m["suffix"]))
            if tokens and tokens[-1].kind == "num" and raw.startswith("-"):  # "1 -5" is a range
                tokens.append(Token("dash", "-", s, s + 1, "-"))
                value = -tok.value if isinstance(tok.value, int | float) else tok.value
                tok = Token("num", raw[1:], s + 1, e, raw[1:], value)
        elif m["word"]:
            tok = Token("word", raw, s, e, raw.lower().replace("’", "'"))
        elif m["dash"]:
            tok = Token("dash", raw, s, e, "-")
        elif m["punct"]:
            tok = Token("punct", raw, s, e, ",")
        elif raw in _CURRENCY:
            if tokens and tokens[-1].kind == "num" and not text[tokens[-1].end : s].strip():
                tokens[-1].money = True
            money_next = True
            continue
        else:
            kind = "word" if raw in _OPS else "op"
            tok = Token(kind, raw, s, e, _OPS.get(raw, raw))
        if tok.kind == "num" and money_next:
            tok.money = True
        money_next = False
        tokens.append(tok)
    return tokens


def _merged(
    tokens: list[Token], text: str, kind: str, value: int | float | str | None, vague: bool = False
) -> Token:
    s, e = tokens[0].start, tokens[-1].end
    low = " ".join(t.low for t in tokens)
    return Token(kind, text[s:e], s, e, low, value, vague=vague)


Lookup = Callable[[list[Token], str], "Token | None"]


def _merge_phrases(tokens: list[Token], text: str, lookup: Lookup, longest: int = 4) -> list[Token]:
    """Replace runs of tokens that ``lookup`` recognises by one token, longest run first."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            hit = lookup(tokens[i : i + n], text)
            if hit is not None:
                out.append(hit)
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _words_of(run: list[Token]) -> tuple[str, ...] | None:
    return tuple(t.low for t in run) if all(t.kind == "word" for t in run) else None


def _amount_or_share(run: list[Token], text: str) -> Token | None:
    key = _words_of(run)
    if key in V.NOT_SHARES:
        return _merged(run, text, "word", None)
    if key in V.AMOUNT_PHRASES:
        vague = key not in V.EXACT_AMOUNTS
        return _merged(run, text, "num", V.AMOUNT_PHRASES[key], vague=vague)
    if key in V.SHARE_PHRASES:
        return _merged(run, text, "pct", V.SHARE_PHRASES[key], vague=True)
    return None


_NUMBER_WORDS = {**V.UNITS, **V.TENS}
_MULTIPLIERS = {V.HUNDRED, V.DOZEN, *V.SCALES}


def _number_words(tokens: list[Token], text: str) -> list[Token]:
    """Merge "two hundred and fifty", "twenty-five", "a dozen", "2 thousand" into numbers."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        j, parts = i, list[str | Decimal | float]()
        while j < len(tokens):
            t, nxt = tokens[j], tokens[j + 1].low if j + 1 < len(tokens) else ""
            pieces = t.low.split("-")
            if t.kind == "word" and all(p in _NUMBER_WORDS or p in _MULTIPLIERS for p in pieces):
                parts += pieces
            elif j == i and (t.kind == "num" and not t.vague and nxt in _MULTIPLIERS):
                finite = isinstance(t.value, int | float) and math.isfinite(t.value)
                parts.append(Decimal(str(t.value)) if finite else HUGE)
            elif not (  # "a hundred", "two hundred and fifty"
                (j == i and t.low in ("a", "an") and nxt in _MULTIPLIERS)
                or (
                    t.low == "and"
                    and parts
                    and tokens[j - 1].low in _MULTIPLIERS
                    and nxt.split("-")[0] in _NUMBER_WORDS
                )
            ):
                break
            j += 1
        if any(isinstance(p, str) for p in parts):
            out.append(_merged(tokens[i:j], text, "num", _words_value(parts)))
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def _words_value(parts: list[str | Decimal | float]) -> int | float:
    with localcontext(_DECIMALS):
        return _words_total(parts)


def _words_total(parts: list[str | Decimal | float]) -> int | float:
    total = current = Decimal(0)
    for p in parts:
        if isinstance(p, Decimal):
            current += p
        elif isinstance(p, float):
            return HUGE  # a huge number times "thousand"
        elif p in _NUMBER_WORDS:
            current += _NUMBER_WORDS[p]
        elif p == V.HUNDRED:
            current = (current or Decimal(1)) * 100
        elif p == V.DOZEN:
            current = (current or Decimal(1)) * 12
        elif p in V.SCALES:
            total += (current or Decimal(1)) * V.SCALES[p]
            current = Decimal(0)
        if total > 10**18:
            return HUGE
    return _finite(total + current)


# ---------------------------------------------------------------------------------------------
# Names: tables, columns and values of the schema
# ---------------------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def ident_words(raw: str) -> list[str]:
    """ "OrderItem" / "order_items" / "order items" -> ["order", "item(s)"]."""
    return [w for w in re.split(r"[\W_]+", _CAMEL.sub(" ", raw).lower()) if w]


@functools.lru_cache(maxsize=8192)
def forms(word: str) -> frozenset[str]:
    """The word plus every singular it could be the plural of."""
    out = {word}
    if word in V.IRREGULAR_PLURALS:
        out.add(V.IRREGULAR_PLURALS[word])
    for plural, singular in V.PLURAL_ENDINGS:
        if word.endswith(plural) and len(word) > len(plural) + 1:
            out.add(word[: len(word) - len(plural)] + singular)
    return frozenset(out)


def _word_match(said: str, name: str) -> bool:
    if said == name:
        return True
    return said not in V.FILLER_WORDS and bool(forms(said) & forms(name))


def norm(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower())


_CHECK_IN = re.compile(
    r"""[`"\[(]?(\w+)[`"\])]?\s*(?:::\s*[\w ]+?)?\s*(?P<neg>NOT\s+)?
        (?:IN\s*\(|=\s*ANY\s*\(+\s*(?:ARRAY\s*)?\[)(?P<body>[^\])]*)""",
    re.IGNORECASE | re.VERBOSE,
)
_CHECK_EQ = re.compile(
    r"""[`"\[(]?(\w+)[`"\])]?\s*(?:::\s*[\w ]+?)?\s*(?<![<>!])=\s*'((?:[^']|'')*)'"""
)
_LITERAL = re.compile(r"'((?:[^']|'')*)'")


def _legal_values(table: TableInfo) -> dict[str, list[str]]:
    """Enum labels and CHECK IN-lists per column: the words a distribution can name."""
    by_lower = {c.name.lower(): c.name for c in table.columns}
    found: dict[str, list[str]] = {
        c.name: list(c.type.values) for c in table.columns if c.type.values
    }
    for check in table.checks:
        pairs = [
            (m[1], [v.replace("''", "'") for v in _LITERAL.findall(m["body"])])
            for m in _CHECK_IN.finditer(check.sqltext)
            if not m["neg"]
        ]
        pairs += [(m[1], [m[2].replace("''", "'")]) for m in _CHECK_EQ.finditer(check.sqltext)]
        for name, values in pairs:
            if name.lower() in by_lower:
                column = found.setdefault(by_lower[name.lower()], [])
                column.extend(v for v in values if v not in column)
    return found


def _flag_base(col: ColumnInfo) -> str | None:
    """The word a yes/no column answers to: is_active -> "active", in_stock -> "instock"."""
    name, kind = col.name.lower(), col.type.kind
    base = name
    for prefix in V.FLAG_PREFIXES:
        base = base.removeprefix(prefix)
    for suffix in V.FLAG_SUFFIXES:
        base = base.removesuffix(suffix)
    # Integers and CHAR(1) only by their exact name: sakila's customer.active CHAR(1).
    narrow = kind == "integer" or (kind == "string" and col.type.length == 1)
    if kind in ("boolean", "bit") or base != name or narrow:
        return norm(base) or None
    return None


def parents_first(meta: SchemaMetadata) -> list[str]:
    """Table names by foreign-key depth (tables referencing nothing first), then by name.

    Depth is the longest chain of references to a root; a cycle is cut where the walk, which
    visits names in sorted order, meets it again, so the result never depends on the order the
    tables are listed in.
    """
    depth: dict[str, int] = {}

    def walk(name: str, path: frozenset[str]) -> int:
        if name not in depth:
            refs = {fk.ref_table for fk in meta.tables[name].foreign_keys}
            parents = sorted(refs & meta.tables.keys() - path - {name})
            depth[name] = max((walk(p, path | {name}) + 1 for p in parents), default=0)
        return depth[name]

    names = sorted(meta.tables)
    for name in names:
        walk(name, frozenset())
    return sorted(names, key=lambda n: depth[n])


class SchemaNames:
    """What the parser needs from the schema, computed once per request."""

    def __init__(self, meta: SchemaMetadata) -> None:
        self.meta = meta
        self.names = list(meta.tables)  # as the database lists them, for messages
        # Where several tables could be meant, the one nearer the root of the foreign keys
        # wins (products.unit_price over order_details.unit_price), whatever order the
        # database happens to list its tables in.
        self.order = parents_first(meta)
        self.exact: dict[str, str] = {}
        self.variants: list[tuple[str, tuple[str, ...]]] = []
        for name, table in meta.tables.items():
            bare = name.rsplit(".", 1)[-1]
            for key in (name, bare, f"{table.schema}.{bare}" if table.schema else bare):
                self.exact.setdefault(key.lower(), name)
            words = tuple(ident_words(bare))
            if words:
                self.variants.append((name, words))
                if len(words) > 1:
                    self.variants.append((name, ("".join(words),)))
        self.columns = {c.name.lower() for t in meta.tables.values() for c in t.columns}
        self._values: dict[str, dict[str, list[str]]] = {}

    def match(self, words: list[str], raw: str) -> str | None:
        if raw.lower() in self.exact:
            return self.exact[raw.lower()]
        if not words or (len(words) == 1 and words[0] in V.NEVER_TABLES):
            return None
        for name, known in self.variants:
            if len(known) == len(words) and all(map(_word_match, words, known)):
                return name
        return None

    def refs(self, child: str, parent: str) -> bool:
        return any(fk.ref_table == parent for fk in self.meta.tables[child].foreign_keys)

    def loose(self, word: str, parent: str | None = None) -> list[str]:
        """Tables whose last word is ``word``: "items" -> order_items (children of parent first)."""
        hits = list(
            dict.fromkeys(n for n, w in self.variants if len(w) > 1 and forms(word) & forms(w[-1]))
        )
        kids = [h for h in hits if parent and self.refs(h, parent)]
        return kids or hits

    def loose_one(self, raw: str, word: str, parent: str | None = None) -> str | None:
        """The one table ``loose`` finds; several are an error the user must resolve."""
        hits = self.loose(word, parent)
        if len(hits) > 1:
            raise RequestError(
                f"{raw!r} could mean {' or '.join(hits)}; name the table.",
                hint=tables_hint(self.names),
                value=raw,
            )
        return hits[0] if hits else None

    def link(self, parent: str, child: str, lo: int, hi: int) -> tuple[tuple[str, str] | None, str]:
        """Check "each <parent> with lo-hi <child>" against the foreign keys.

        Returns the (parent, child) pair to count, or None, and a note for the user.
        """
        if self.refs(child, parent):
            return (parent, child), ""
        if self.refs(parent, child):
            if hi <= 1:
                return None, f"Every {parent} row already references one {child} row."
            raise RequestError(
                f"Each {parent} row references one {child} row, so it cannot have {lo}-{hi}.",
                hint=f'Did you mean "each {singular(child)} with {lo}-{hi} {parent}"?',
            )
        links = [
            n
            for n in self.order
            if n not in (parent, child) and self.refs(n, parent) and self.refs(n, child)
        ]
        if links:  # a junction table: the one whose name is closest to "parent_child"
            pairs = (f"{parent}_{child}".lower(), f"{child}_{parent}".lower())
            best = max(links, key=lambda n: max(_ratio(n.lower(), w) for w in pairs))
            return (
                parent,
                best,
            ), f"{child} per {parent} counts rows of {best}, which links the two."
        kids = list(dict.fromkeys(t.name for t, _ in self.meta.children_of(parent)))
        raise RequestError(
            f"{child} has no foreign key to {parent}, so its rows cannot be counted per {parent}.",
            hint=f"Tables that reference {parent}: {', '.join(kids)}."
            if kids
            else f"No table references {parent}.",
        )

    def values(self, table: str) -> dict[str, list[str]]:
        if table not in self._values:
            self._values[table] = _legal_values(self.meta.tables[table])
        return self._values[table]

    def longest_value(self, words: list[str], tables: list[str]) -> tuple | None:
        """(n, table, column, value) for the longest leading run of ``words`` naming a value."""
        for n in range(len(words), 0, -1):
            hit = self.find_value(" ".join(words[:n]), tables)
            if hit:
                return (n, *hit)
        return None

    def find_value(self, phrase: str, tables: list[str]) -> tuple[str, str, str] | None:
        """(table, column, value) of the first legal value or yes/no column ``phrase`` names."""
        said = {norm(phrase)} | {norm(f) for f in forms(phrase)}
        said |= {norm(a) for a in V.VALUE_ALIASES.get(phrase, ())}
        for table in tables:
            for column, values in self.values(table).items():
                for value in values:
                    n = norm(value)
                    if n in said or (len(n) >= 6 and _close(norm(phrase), n)):
                        return table, column, value
            hit = self._flag(phrase, self.meta.tables[table])
            if hit:
                return (table, *hit)
        return None

    @staticmethod
    def _flag(phrase: str, table: TableInfo) -> tuple[str, str] | None:
        flags = sorted(
            ((c, b) for c in table.columns if (b := _flag_base(c))),
            key=lambda cb: cb[0].type.kind not in ("boolean", "bit"),
        )
        negated = [phrase[len(p) :] for p in V.NEGATION_PREFIXES if phrase.startswith(p)]
        if phrase.startswith("out of "):
            negated.append("in " + phrase[7:])
        if phrase in V.ANTONYMS:
            negated.append(V.ANTONYMS[phrase])
        for col, base in flags:
            if norm(phrase) == base:
                return col.name, "true"
        spelt = [phrase[len(p) :] for p in V.NEGATION_WORDS if phrase.startswith(p)]
        for col, base in flags:
            boolean = col.type.kind in ("boolean", "bit")
            if any(norm(n) == base for n in (negated if boolean else spelt)):
                return col.name, "false"
        return None

    def find_column(
        self, word: str, tables: list[str], kinds: frozenset[str] = V.NUMERIC_KINDS
    ) -> tuple[str | None, str | None]:
        """(table, column) a column word names: "prices" -> products.price, unit_price...

        The first table wins when it has any match; after it, the best match anywhere.
        """
        stems = {norm(f) for f in forms(word)}
        for stem in V.COLUMN_STEMS.get(word, ()):
            stems |= {norm(f) for f in forms(stem)}
        best: tuple[int, str | None, str | None] = (0, None, None)
        for i, table in enumerate(tables):
            for col in self.meta.tables[table].columns:
                words = ident_words(col.name)
                if col.type.kind not in kinds or not words or words[-1] == "id":
                    continue  # keys are never what a range is about
                last = {norm(f) for f in forms(words[-1])}
                score = 2 if "".join(words) in stems else 1 if last & stems else 0
                if score > best[0]:
                    best = (score, table, col.name)
            if i == 0 and best[0]:
                break
        return best[1], best[2]

    def date_column(self, table: str | None, word: str) -> str | None:
        """The date column "created" / "placed" / "born" points at in ``table``."""
        if table is None:
            return None
        cols = [c.name for c in self.meta.tables[table].columns if c.type.kind in V.DATE_KINDS]
        exact = [c for c in cols if c.lower() == word]
        stems = V.DATE_STEMS.get(word, ())
        return next(iter(exact + [c for s in stems for c in cols if s in c.lower()]), None)

    def age_column(self, table: str | None) -> str:
        """An age column, else a birth-date column, else the hint word "age"."""
        cols = self.meta.tables[table].columns if table else ()
        for col in cols:
            if col.name.lower() in V.AGE_COLUMNS:
                return col.name
        for col in cols:
            name = col.name.lower()
            if col.type.kind in V.DATE_KINDS and (name in V.BIRTH_COLUMNS or "birth" in name):
                return col.name
        return "age"


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _close(a: str, b: str) -> bool:
    return _ratio(a, b) >= 0.9


def singular(name: str) -> str:
    """A display singular for examples: "categories" -> "category", "Album" -> "Album"."""
    for plural, singular in (("ies", "y"), ("sses", "ss"), ("uses", "us"), ("s", "")):
        if name.endswith(plural) and not name.endswith("ss"):
            return name[: len(name) - len(plural)] + singular
    return name


def tables_hint(names: list[str]) -> str:
    shown = ", ".join(names[:40])
    more = f" and {len(names) - 40} more" if len(names) > 40 else ""
    return f"Tables in this schema: {shown}{more}." if names else "The schema has no tables."


def unknown_table(word: str, names: list[str]) -> RequestError:
    return RequestError(
        f"No table named {word!r} in this schema.{did_you_mean(word, names)}",
        hint=tables_hint(names),
        value=word,
    )


def year_of(tok: Token | None) -> int | None:
    """The year a 4-digit number token names (1900-2100), else None."""
    if tok is None or not re.fullmatch(r"[0-9]{4}", tok.raw) or not isinstance(tok.value, int):
        return None
    return tok.value if 1900 <= tok.value <= 2100 else None


def date_of(tok: Token) -> dt.date:
    try:
        return dt.date.fromisoformat(tok.raw)
    except ValueError:
        raise RequestError(
            f"{tok.raw!r} is not a date.",
            hint="Write dates as YYYY-MM-DD, e.g. 2024-03-31.",
            value=tok.raw,
        ) from None


def request_examples(schema: SchemaMetadata) -> list[str]:
    """Four requests that work on ``schema``, for help texts and error hints."""
    pairs = [
        (fk.ref_table, t.name)
        for t in schema.tables.values()
        for fk in t.foreign_keys
        if fk.ref_table in schema.tables and fk.ref_table != t.name
    ]
    if pairs:
        parent, child = pairs[0]
        return [
            f"add 50 {parent} and 200 {child}",
            f"each {singular(parent)} with 1-5 {child}",
            f"only {parent}, seed 42",
            "fill every table with 20 rows",
        ]
    first = next(iter(schema.tables), "users")
    return [
        f"add 50 {first}",
        f"only {first}, seed 42",
        "fill every table with 20 rows",
        "add some sample data",
    ]


def find_domain(tokens: list[Token]) -> tuple[str | None, list[int]]:
    """The first domain the unused words name ("e-commerce", "hospital"), and those words."""
    return find_phrase(tokens, V.DOMAIN_PHRASES)


def find_phrase(
    tokens: list[Token], phrases: dict[tuple[str, ...], str]
) -> tuple[str | None, list[int]]:
    """The first of ``phrases`` the unused words say, its value, and those words."""
    for i in range(len(tokens)):
        for n in (3, 2, 1):
            run = tokens[i : i + n]
            if len(run) < n or any(t.used or t.kind not in ("word", "table") for t in run):
                continue
            key = tuple(w for t in run for w in t.low.split())
            if key in phrases:
                return phrases[key], list(range(i, i + n))
    return None, []


def looks_like_identifier(tok: Token) -> bool:
    """snake_case or camelCase: a word written as a schema name, not as English."""
    return tok.kind == "word" and bool(re.search(r"[^\W_]_[^\W_]|[a-z][A-Z]", tok.raw))


# ---------------------------------------------------------------------------------------------
# Preparing the tokens
# ---------------------------------------------------------------------------------------------

_LOCALE_CODE = re.compile(r"([A-Za-z]{2,3})([_-])([A-Za-z]{2})")


def _percent(run: list[Token], text: str) -> Token | None:
    if len(run) < 2 or run[0].kind != "num" or run[0].value is None:
        return None
    if run[1].low == "%" and len(run) == 2 or _words_of(run[1:]) in V.PERCENT_WORDS:
        value = run[0].value
        return _merged(run, text, "pct", value / 100 if isinstance(value, (int, float)) else HUGE)
    return None


def _locale(run: list[Token], text: str) -> Token | None:
    key = _words_of(run)
    if key in V.LOCALE_PHRASES:
        return _merged(run, text, "locale", V.LOCALE_PHRASES[key])
    m = _LOCALE_CODE.fullmatch(run[0].raw) if len(run) == 1 and key else None
    if m:
        code = V.LOCALE_CODES.get(f"{m[1]}_{m[3]}".lower())
        if code or (m[2] == "_" and m[3].isupper()):  # "xx_YY" is meant as a locale
            return _merged(run, text, "locale", code)
    return None


def _split_dotted(tokens: list[Token], schema: SchemaNames) -> list[Token]:
    """ "public.customer" is a table; "posts.each" (a missing space) is two words."""
    out: list[Token] = []
    for t in tokens:
        if t.kind != "word" or "." not in t.raw:
            out.append(t)
            continue
        last = t.raw.rsplit(".", 1)[-1]
        name = schema.exact.get(t.low) or schema.match(ident_words(last), last)
        if name:
            out.append(Token("table", t.raw, t.start, t.end, t.low, name))
            continue
        pos = t.start
        for piece in t.raw.split("."):
            if piece:
                out.append(Token("word", piece, pos, pos + len(piece), piece.lower()))
            out.append(Token("punct", ".", pos + len(piece), pos + len(piece) + 1, ","))
            pos += len(piece) + 1
        out.pop()
    return out


def prepare(text: str, schema: SchemaNames) -> list[Token]:
    """Tokenize ``text`` and merge phrases: amounts and shares, number words, percentages,
    table names and locale names (in that order, so "half a dozen" beats "half")."""

    def table(run: list[Token], text: str) -> Token | None:
        if _words_of(run) is None:
            return None
        words = [w for t in run for w in ident_words(t.raw)]
        name = schema.match(words, " ".join(t.raw for t in run))
        return _merged(run, text, "table", name) if name else None

    tokens = _split_dotted(_tokenize(text), schema)
    tokens = _merge_phrases(tokens, text, _amount_or_share)
    tokens = _number_words(tokens, text)
    tokens = _merge_phrases(tokens, text, _percent, longest=3)
    tokens = _merge_phrases(tokens, text, table)
    return _merge_phrases(tokens, text, _locale, longest=3)
