"""The offline request parser: one sentence in, a :class:`TestDataRequest` out.

    >>> parse_request("add 50 users and 200 posts, each post with 0-10 comments", schema)

How it reads. The text is cut into tokens (numbers, percentages, dates, words). Phrases are
then merged into single tokens: number words ("twenty-five", "a dozen"), vague amounts ("a
few"), shares ("mostly", "half"), table names ("order items" -> ``order_items``) and locale
names ("German"). The tokens are rendered as a compact string in which a table is ``T``, a
number ``N``, a share ``P``, a date ``D`` and a locale ``L``, while every other word stays
itself: "add 50 users, each user with 1-5 posts" becomes ``add N T , each T with N - N T``.
Each rule is a regular expression over that string plus a handler that reads the tokens it
matched. Rules run in the order they are registered; a token a rule used renders as ``_``
afterwards (``_n`` for a number, ``_l`` for a locale...), so no two rules read the same word.
Words no rule used and that are not connecting words ("add", "rows", "please") come back in
``unparsed``; a word that can only be a table name and names none is an error.

Choices for vague words (each use is written into ``notes``):

- amounts: "a couple (of)" 2, "a few" / "a handful (of)" 5, "several" 10, "dozens of" 50,
  "many" / "lots of" / "a lot of" / "plenty of" 100, "hundreds of" 500, "thousands of"
  5,000; "some <table>" sets no number (the table gets the planner's default count).
- shares: "mostly" / "most" / "mainly" / "the majority" 80%, "nearly all" 95%, "half" 50%,
  "a third" 33%, "a quarter" 25%.
- "at least N <child> per <parent>" means N to 2N; "older than N" N to 90; "younger than N"
  18 to N; "last month" 30 days, "last year" 365 days.
- "reproducible" without a number: seed 42.

Counts are whole numbers from 1 to 100,000,000 per table; at most 2,000 characters are read.
The parser is deterministic and never touches the network or the clock.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Literal

from querynl import request_vocabulary as V
from querynl.errors import RequestError, did_you_mean
from querynl.models import Cardinality, Distribution, SchemaMetadata, TestDataRequest, ValueRange
from querynl.request_tokens import (
    SchemaNames,
    Token,
    date_of,
    find_domain,
    find_phrase,
    forms,
    looks_like_identifier,
    norm,
    prepare,
    request_examples,
    unknown_table,
    year_of,
)

__all__ = ["DEFAULT_SEED", "MAX_COUNT", "parse_request", "request_examples"]

MAX_COUNT = 100_000_000
MAX_TEXT = 2_000
DEFAULT_SEED = 42
MAX_SEED = 2**63 - 1
_MAX_NUMBER = 10**15  # bound for range values
RangeKind = Literal["number", "date", "age", "recent_days"]


# ---------------------------------------------------------------------------------------------
# The parse state
# ---------------------------------------------------------------------------------------------


class _Parse:
    """The tokens of one request and what the rules have read from them so far."""

    def __init__(self, text: str, schema: SchemaNames, tokens: list[Token]) -> None:
        self.text, self.schema, self.tokens = text, schema, tokens
        self.counts: dict[str, int] = {}
        self.only: list[str] = []
        self.restrict = False
        self.exclude: list[str] = []
        self.default_count: int | None = None
        self.cards: list[Cardinality] = []
        self.card_ends: dict[int, str] = {}  # last token of a cardinality -> its parent
        self.dists: list[tuple[int, Distribution]] = []
        self.ranges: list[ValueRange] = []
        self.locale: str | None = None
        self.locale_from_language = False  # named by a language ("Spanish"), not a country
        self.domain: str | None = None
        self.seed: int | None = None
        self.reproducible = False
        self.notes: list[str] = []
        self.used = 0
        self.starts: list[int] = []
        self.rendered: str | None = None

    # -- matching ----------------------------------------------------------------------------

    def render(self) -> str:
        if self.rendered is None:  # only after a rule used tokens
            symbols = [t.symbol for t in self.tokens]
            self.starts, pos = [], 0
            for sym in symbols:
                self.starts.append(pos)
                pos += len(sym) + 1
            self.rendered = " ".join(symbols)
        return self.rendered

    def at(self, m: re.Match[str], group: int | str = 0) -> list[int]:
        if isinstance(group, str) and group not in m.re.groupindex:
            return []
        s, e = m.span(group)
        if s < 0:
            return []
        return list(range(bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)))

    def tok(self, m: re.Match[str], group: str) -> Token | None:
        idx = self.at(m, group)
        return self.tokens[idx[0]] if idx else None

    def need(self, m: re.Match[str], group: str) -> Token:
        tok = self.tok(m, group)
        if tok is None:
            raise LookupError(f"rule matched without {group!r}")
        return tok

    def use(self, indices: Iterable[int]) -> None:
        for i in indices:
            t = self.tokens[i]
            if not t.used and t.kind != "table":
                t.used, self.rendered = True, None
                self.used += 1

    def use_match(self, m: re.Match[str], keep: tuple[str, ...] = ()) -> None:
        skip = {i for g in keep for i in self.at(m, g)}
        self.use(i for i in self.at(m) if i not in skip)

    def fragment(self, idx: list[int]) -> str:
        return self.text[self.tokens[idx[0]].start : self.tokens[idx[-1]].end] if idx else ""

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def context(self, idx: list[int]) -> str | None:
        """The table named in the match, else the nearest one in the same clause."""
        lo, hi = (idx[0], idx[-1] + 1) if idx else (0, 0)
        inside = [str(t.value) for t in self.tokens[lo:hi] if t.kind == "table"]
        if inside:
            return inside[0]
        for rng in (range(lo - 1, -1, -1), range(hi, len(self.tokens))):
            for i in rng:
                t = self.tokens[i]
                if t.kind == "punct":
                    break
                if t.kind == "table":
                    return str(t.value)
        return None

    def table_order(self, first: str | None) -> list[str]:
        named = [str(t.value) for t in self.tokens if t.kind == "table"]
        earlier = [d.table for _, d in self.dists]
        return list(dict.fromkeys(x for x in [first, *earlier, *named, *self.schema.order] if x))

    def table_list(self, i: int, step: int, numbers: bool) -> list[str]:
        """ "users, orders and posts": the tables of a list, walking from token ``i``."""
        found: list[str] = []
        while 0 <= i < len(self.tokens):
            t = self.tokens[i]
            if t.kind == "table":
                found.append(str(t.value))
            elif not (
                t.kind == "punct"
                or t.low in ("and", "or", "nor", "plus", "the", "also")
                or (numbers and t.kind == "num")
            ):
                break
            i += step
        return found

    # -- numbers -----------------------------------------------------------------------------

    def count(self, tok: Token, what: str, frag: str, zero_ok: bool = False) -> int | None:
        v = tok.value
        if v is None:
            return None
        assert isinstance(v, (int, float))
        if v > MAX_COUNT:
            raise RequestError(
                f"The count {tok.raw!r} for {what} is too large: at most {MAX_COUNT:,} rows.",
                hint="Ask for fewer rows, or load the data in several runs.",
                value=tok.raw,
            )
        if v < 0 or (v == 0 and not zero_ok):
            raise RequestError(
                f"Counts must be positive: {frag!r} asks for {tok.raw} rows of {what}.",
                hint='Ask for at least one row, for example "add 10 users".',
                value=tok.raw,
            )
        if v != int(v):
            raise RequestError(
                f"Counts must be whole numbers: {frag!r}.",
                hint="Ask for a whole number of rows, for example 3 rather than 2.5.",
                value=tok.raw,
            )
        if tok.vague:
            self.note(f"Read {tok.raw!r} as {int(v)}.")
        return int(v)

    def number(self, tok: Token) -> int | float:
        v = tok.value
        if not isinstance(v, (int, float)) or abs(v) > _MAX_NUMBER:
            raise RequestError(
                f"The number {tok.raw!r} is too large for a range.",
                hint=f"Use numbers up to {_MAX_NUMBER:,}.",
                value=tok.raw,
            )
        return v

    def per_parent(self, m: re.Match[str]) -> tuple[int, int, bool] | None:
        """The (min, max, exact) of a "1-5", "up to 10", "at least 2", "3" quantity."""
        idx = self.at(m, "q")
        toks = [self.tokens[i] for i in idx]
        nums = [t for t in toks if t.kind == "num"]
        if any(t.value is None for t in nums):
            return None
        frag = self.fragment(idx)
        vals = [self.count(t, "each parent row", frag, zero_ok=True) or 0 for t in nums]
        words = " ".join(t.low for t in toks if t.kind != "num")
        if not vals:
            return 1, 1, True
        if len(vals) == 2:
            return min(vals), max(vals), False
        n = vals[0]
        if words.startswith(("exactly", "precisely")):
            return n, n, False  # per parent, never a count of its own
        if words.startswith(("up to", "at most", "at the most", "no more", "a maximum", "max")):
            return 0, n, False
        if words.startswith(("at least", "a minimum", "min")) or words.endswith(("or more", "+")):
            self.note(f"Read {frag!r} as {n} to {max(2 * n, 1)}.")
            return n, max(2 * n, 1), False
        return n, n, True

    # -- tables and columns ------------------------------------------------------------------

    def set_count(self, table: str, value: int | None, frag: str) -> None:
        if value is None:
            self.note(f"{frag!r}: {table} gets the default count.")
            return
        if self.counts.get(table, value) != value:
            self.note(f"{table} was given two counts; using {value}.")
        self.counts[table] = value

    def loose_table(self, tok: Token, parent: str | None = None) -> str | None:
        hit = self.schema.loose_one(tok.raw, tok.low, parent)
        if hit:
            self.note(f"Read {tok.raw!r} as {hit}.")
        return hit

    def child_word(self, tok: Token, parent: str) -> str | None:
        if tok.low in V.NON_TABLE_WORDS:
            return None
        hit = self.loose_table(tok, parent)
        if hit or self.schema.find_column(tok.low, [parent])[1]:
            return hit
        raise unknown_table(tok.raw, self.schema.names)

    # -- distributions -----------------------------------------------------------------------

    def value(self, idx: list[int], table: str | None, strict: bool) -> tuple | None:
        """Resolve the longest run of words that names a legal value: (n, table, column, key)."""
        words = [self.tokens[i].low for i in idx]
        order = [table] if strict and table else self.table_order(table)
        hit = self.schema.longest_value(words, order)
        if hit:
            return hit
        if words[0] in V.NON_TABLE_WORDS or not re.fullmatch(r"[^\W\d_][\w'-]+", words[0]):
            return None
        self.note(
            f"No column of {table or 'the schema'} has the value {words[0]!r}; "
            "it is passed on as a word."
        )
        return 1, table, None, words[0]

    def rest_value(self, dist: Distribution, idx: list[int]) -> tuple[int, str] | None:
        """ "the rest pending": (words used, value) for the rest of ``dist``'s column."""
        words = [self.tokens[i].low for i in idx]
        hit = self.schema.longest_value(words, [dist.table]) if dist.table else None
        if hit and hit[2] == dist.column:
            return hit[0], hit[3]
        if dist.column is None and words and words[0] not in V.NON_TABLE_WORDS:
            return 1, words[0]
        return None

    def add_weight(
        self, table: str | None, column: str | None, key: str, share: float, pos: int
    ) -> None:
        for _, d in self.dists:
            if d.table == table and d.column == column:
                break
        else:
            d = Distribution(table=table, column=column, weights={})
            self.dists.append((pos, d))
        d.weights[key] = share


# ---------------------------------------------------------------------------------------------
# Rules: patterns over the rendered tokens, each with the handler that reads them
# ---------------------------------------------------------------------------------------------

Handler = Callable[[_Parse, "re.Match[str]"], bool]
_RULES: list[tuple[re.Pattern[str], Handler]] = []  # run in the order they are registered
_MACROS = {
    "<W>": r"(?![A-Z](?!\S))[^\W\d_]\S*",  # any word
    "<A>": r"(?!(?:of|per|for|each|every|to|with|from|and|or|in|between|than|by|on|at|who|that"
    r"|which|where|whose|aged?|seed|except|but|only|just|not|without|excluding)(?!\S))"
    r"(?![A-Z](?!\S))[^\W\d_]\S*",  # a word that may stand between a number and its table
    "<Q>": r"(?P<q>between N and N|(?:from )?N (?:-|to|or) N|(?:up to|at most|no more than|"
    r"a maximum of|maximum|max|at least|a minimum of|minimum|min|exactly|precisely) N|"
    r"N (?:or more|\+)|N|"
    r"a single|a|an)",  # how many children per parent
    "<V>": r"(?:with|has|have|having|gets|get|getting|should|will|must|to|contains|containing|"
    r"in|on|owns|writes|wrote|receives|holds|includes|needs|can|may|be|of|appears)",
    "<S>": r"(?P<span>between N and N|(?:from )?N (?:-|to) N)",  # a numeric span
    "<ADJ>": r"(?:(?:new|more|different|random|distinct|fake|sample|test) )?",
}


def _rx(pattern: str) -> re.Pattern[str]:
    for macro, body in _MACROS.items():
        pattern = pattern.replace(macro, body)
    return re.compile(rf"(?<!\S)(?:{pattern})(?!\S)")


def _rule(*patterns: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _RULES.extend((_rx(pattern), handler) for pattern in patterns)
        return handler

    return register


def _has(m: re.Match[str], group: str) -> bool:
    return group in m.re.groupindex and m.start(group) >= 0


@_rule(r"(?:(?:with|using|random|a|the) )*seed (?:(?:=|:|is|of|value|number|to) )?(?P<n>N)")
def _on_seed(p: _Parse, m: re.Match[str]) -> bool:
    tok = p.need(m, "n")
    if tok.vague:
        return False  # "seed some users" fills, it does not seed
    if not isinstance(tok.value, int) or not 0 <= tok.value <= MAX_SEED:
        raise RequestError(
            f"The seed must be a whole number from 0 to {MAX_SEED}, not {tok.raw!r}.",
            hint='For example: "seed 42".',
            value=tok.raw,
        )
    p.seed = tok.value
    p.use_match(m)
    return True


@_rule(r"reproducible|reproducibly|deterministic|deterministically|repeatable")
def _on_reproducible(p: _Parse, m: re.Match[str]) -> bool:
    p.reproducible = True
    p.use_match(m)
    return True


@_rule(
    r"(?:(?P<p>P) (?:of )?(?:the )?)?(?:(?:in|from|with|using|for|locale|all) )*"
    r"(?:(?:a|the) )?(?P<l>L)(?: (?:locale|style|format|language|speaking))?"
)
def _on_locale(p: _Parse, m: re.Match[str]) -> bool:
    tok = p.need(m, "l")
    if tok.value is None:
        raise RequestError(
            f"Unknown locale {tok.raw!r}.{did_you_mean(tok.raw, V.FAKER_LOCALES)}",
            hint="Locales look like en_US, de_DE, fr_FR or ja_JP.",
            value=tok.raw,
        )
    named = str(tok.value)
    if p.locale and p.locale != named:
        if _same_language(p.locale, named) and p.locale_from_language:
            # "Spanish names from Mexico": the language said es, the country says which es
            p.locale, p.locale_from_language = named, tok.low in V.LANGUAGE_WORDS
        elif not (_same_language(p.locale, named) and tok.low in V.LANGUAGE_WORDS):
            p.note(f"Several locales named; using {p.locale}, not {named}.")
    if not p.locale:
        p.locale, p.locale_from_language = named, tok.low in V.LANGUAGE_WORDS
    if _has(m, "p"):
        p.note(
            f"Read {p.fragment(p.at(m))!r} as locale {p.locale} for every row; "
            "mixing locales needs an LLM plan."
        )
    p.use_match(m)
    return True


def _same_language(a: str, b: str) -> bool:
    return a.split("_")[0] == b.split("_")[0]


@_rule(
    # "each user with 1-5 posts", "every order has 2 to 4 items", "each actor in 5-10 films"
    r"(?:for )?(?:each|every|per) (?:(?:one )?of (?:the )?(?:(?P<keep>N) )?)?(?P<parent>T) "
    r"(?:<V> ){0,2}<Q> <ADJ>(?P<child>T|<W>)(?: (?:each|apiece))?",
    # "3 comments per post", "1-3 items for each order"
    r"<Q> <ADJ>(?P<child>T|<W>) (?:per|for each|for every|on each|on every|in each|in every|"
    r"under each|each|every|a|an) (?P<parent>T)",
    # "posts with up to 10 comments each", "users with 1-5 posts"
    r"(?:(?P<all>all|every) (?:the |our |of the )?)?"
    r"(?P<parent>T) (?:(?:each|that|who|which|all|should|will|must|,) ){0,2}(?:with|having|have|"
    r"has|get|gets|getting) <Q> <ADJ>(?P<child>T|<W>)(?P<each> each| apiece| per (?:T|<W>))?",
    # "... with 1-2 addresses and 0-5 orders": one more child of the same parent
    r"(?P<prev>\S+) (?:and|,|, and|plus) <Q> <ADJ>(?P<child>T|<W>)(?: (?:each|apiece))?",
)
def _on_cardinality(p: _Parse, m: re.Match[str]) -> bool:
    parent = p.card_ends.get(p.at(m, "prev")[0]) if _has(m, "prev") else p.need(m, "parent").value
    quantity = p.per_parent(m) if parent else None
    if quantity is None:
        return False
    lo, hi, exact = quantity
    if "each" in m.re.groupindex and exact and not (_has(m, "each") or _has(m, "all")):
        return False  # "50 users with 10 posts" is two counts; "all users with 2 posts" is not
    parent, child_tok = str(parent), p.need(m, "child")
    child = child_tok.value if child_tok.kind == "table" else p.child_word(child_tok, parent)
    if child is None:
        return False
    link, note = p.schema.link(parent, str(child), lo, hi)
    if note:
        p.note(note)
    if link:
        p.cards.append(Cardinality(parent=link[0], child=link[1], min=lo, max=hi))
    p.use_match(m, keep=("keep", "prev"))
    p.card_ends[p.at(m)[-1]] = parent
    return True


@_rule(r"(?:each|every|per) (?P<w><W>) (?:<V> ){0,2}<Q> (?:T|<W>)")
def _on_unknown_parent(p: _Parse, m: re.Match[str]) -> bool:
    tok = p.need(m, "w")
    if tok.low in V.NON_TABLE_WORDS or p.loose_table(tok):
        return False
    raise unknown_table(tok.raw, p.schema.names)


@_rule(
    # "80% of orders shipped", "10% cancelled", "mostly active users", "half of the products
    # out of stock", "30% of films rated PG-13"
    r"(?P<p>P) (?:of )?(?:the |all |our |them |those |these )?(?:(?P<t>T) )?(?:(?:are|is|were|"
    r"be|being|should be|marked as|marked|set to|rated|with status|with a status of|"
    r"having status|have status|as|that are|which are|who are|with) )?"
    r"(?P<v><W>(?: <W>){0,3})(?: (?P<t2>T))?"
)
def _on_share(p: _Parse, m: re.Match[str]) -> bool:
    ptok = p.need(m, "p")
    share = ptok.value
    if not isinstance(share, float | int) or not 0 <= share <= 1:
        raise RequestError(
            f"Percentages run from 0 to 100: {ptok.raw!r} does not.",
            hint='For example: "80% of orders shipped, the rest pending".',
            value=ptok.raw,
        )
    named = p.tok(m, "t") or p.tok(m, "t2")
    vidx = p.at(m, "v")
    table = str(named.value) if named else p.context(p.at(m))
    hit = p.value(vidx, table, strict=named is not None)
    if hit is None:
        return False
    n, table, column, key = hit
    if column and n < len(vidx) and norm(column) in {norm(f) for f in forms(p.tokens[vidx[n]].low)}:
        n += 1  # "mostly high priority tasks": the column's own name
    p.add_weight(table, column, key, float(share), vidx[0])
    p.use([i for i in p.at(m) if i < vidx[0]] + vidx[:n])
    if ptok.vague:
        p.note(f"Read {ptok.raw!r} as {share:.0%}.")
    return True


@_rule(
    # "all customers verified", "every order delivered", "customers who are not active"
    r"(?P<all>all|every) (?:of )?(?:the |our )?(?P<t>T) (?:(?:are|is|be|being|should be|marked as|"
    r"set to|with status) )?(?P<v><W>(?: <W>){0,2})",
    r"(?P<t>T) (?:who|that|which) (?:are|is|were|was|should be) (?P<v><W>(?: <W>){0,2})",
    # "no cancelled orders", "zero vip customers"
    r"(?P<none>no|zero) (?P<v><W>(?: <W>){0,2}) (?P<t>T)",
)
def _on_whole_table_value(p: _Parse, m: re.Match[str]) -> bool:
    table, vidx = str(p.need(m, "t").value), p.at(m, "v")
    hit = p.schema.longest_value([p.tokens[i].low for i in vidx], [table])
    if hit is None:
        return False  # only a value the column can hold: "all users with ..." is no share
    n, table, column, key = hit
    share = 0.0 if _has(m, "none") else 1.0
    p.add_weight(table, column, key, share, vidx[0])
    p.use([i for i in p.at(m) if i < vidx[0] and p.tokens[i].kind != "table"] + vidx[:n])
    return True


@_rule(
    r"(?:(?:and|but|with) )?(?:the |all )?(?:rest|remainder|others|remaining ones|remaining|"
    r"other ones|everything else|otherwise)(?: (?:of them|ones))? (?:(?:are|is|be|being|as|"
    r"should be|set to|marked as|marked|all) )?(?P<v><W>(?: (?:<W>|,)){0,6})"
)
def _on_rest(p: _Parse, m: re.Match[str]) -> bool:
    idx = p.at(m, "v")
    earlier = [d for pos, d in p.dists if pos < p.at(m)[0]]
    if not earlier:
        return False
    dist, taken, i = earlier[-1], [], 0
    while i < len(idx):
        if p.tokens[idx[i]].low in ("or", "and", ","):
            taken.append(idx[i])
            i += 1
            continue
        hit = p.rest_value(dist, idx[i : i + 3])
        if hit is None:
            break
        if hit[1] not in dist.rest:
            dist.rest.append(hit[1])
        taken += idx[i : i + hit[0]]
        i += hit[0]
    if not dist.rest:
        return False
    p.use([i for i in p.at(m) if i < idx[0]] + taken)
    return True


def _range_target(
    p: _Parse, m: re.Match[str], kinds: frozenset[str], strict: bool = False
) -> tuple[str | None, str | None, tuple[str, ...]] | None:
    """(table, column, groups to leave unused) for the column word of a range."""
    col, named = p.tok(m, "col"), p.tok(m, "t")
    hint = str(named.value) if named else p.context(p.at(m))
    if kinds is V.DATE_KINDS:
        if col is None or col.kind == "table":
            return (str(col.value) if col else hint), None, ()
        column = p.schema.date_column(hint, col.low)
        return hint, column, () if column or col.low in V.DATE_STEMS else ("col",)
    money = any(p.tokens[i].money for i in p.at(m))
    col_toks = [p.tokens[i] for i in p.at(m, "col") if p.tokens[i].low not in V.NON_TABLE_WORDS]
    if col_toks and col_toks[-1].kind == "table":
        hint = str(col_toks[-1].value)
    said = [t.low.split()[-1] for t in col_toks]  # "unit prices" -> unit_prices, then prices
    words = ["_".join(said[i:]) for i in range(len(said))]
    for word in words + list(V.MONEY_COLUMNS if money else ()):
        table, column = p.schema.find_column(word, p.table_order(hint))
        if column:
            return table, column, ()
    if strict or not said or col_toks[-1].kind == "table":
        return None
    stem = said[-1][:-1] if said[-1].endswith("s") and not said[-1].endswith("ss") else said[-1]
    p.note(f"No column like {col_toks[-1].raw!r} found; {stem!r} is passed on as a hint.")
    return hint, stem, ()


def _add_range(
    p: _Parse,
    m: re.Match[str],
    target: tuple[str | None, str | None, tuple[str, ...]] | None,
    low: float | str | None,
    high: float | str | None,
    kind: RangeKind,
) -> bool:
    if target is None:
        return False
    table, column, keep = target
    p.ranges.append(ValueRange(table=table, column=column, low=low, high=high, kind=kind))
    p.use_match(m, keep=keep)
    return True


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


@_rule(
    r"(?:(?P<col><W>|T) )?(?:(?:between|from) )?(?P<a>D) (?:and|to|-|until|till|through) (?P<b>D)"
)
def _on_dates(p: _Parse, m: re.Match[str]) -> bool:
    a, b = sorted(date_of(p.need(m, g)) for g in ("a", "b"))
    return _add_range(p, m, _range_target(p, m, V.DATE_KINDS), _iso(a), _iso(b), "date")


@_rule(r"(?:(?P<col><W>|T) )?(?P<op>since|after|before|until|from) (?:(?P<mon><W>) )?(?P<a>D|N)")
def _on_since(p: _Parse, m: re.Match[str]) -> bool:
    op, tok, mon = m["op"], p.need(m, "a"), p.tok(m, "mon")
    if mon is not None and (tok.kind == "date" or mon.low not in V.MONTHS):
        return False
    if tok.kind == "date":
        d = date_of(tok)
        low, high = (d, None) if op in ("since", "after", "from") else (None, d)
    elif mon is not None:  # "since March 2024", "before June 2023"
        y = year_of(tok)
        if y is None or op == "from":
            return False
        first = dt.date(y, V.MONTHS[mon.low], 1)
        last = first.replace(day=calendar.monthrange(y, first.month)[1])
        low, high = {
            "since": (first, None),
            "after": (last + dt.timedelta(days=1), None),
            "before": (None, first - dt.timedelta(days=1)),
            "until": (None, last),
        }[op]
    else:
        y = year_of(tok)
        if y is None or op == "from":
            return False
        low, high = {
            "since": (dt.date(y, 1, 1), None),
            "after": (dt.date(y + 1, 1, 1), None),
            "before": (None, dt.date(y - 1, 12, 31)),
            "until": (None, dt.date(y, 12, 31)),
        }[op]
    return _add_range(p, m, _range_target(p, m, V.DATE_KINDS), _iso(low), _iso(high), "date")


@_rule(
    r"(?:(?P<col>T) )?(?:aged?|ages|age range|of ages?) "
    r"(?:(?:between|from|of) )?<S>(?: (?:years old|years|yo))?",
    r"(?:(?P<col>T) )?between the ages of (?P<span>N (?:and|-|to) N)",
    r"(?:(?P<col>T) )?(?:aged )?<S> (?:years old|year olds|yo)",
    r"(?:(?P<col>T) )?(?:(?:aged?|who are|are) )?(?P<op>over|above|older than|under|below|"
    r"younger than) (?P<a>N)(?: years old| years)?",
)
def _on_age(p: _Parse, m: re.Match[str]) -> bool:
    if _has(m, "span"):
        nums = [p.number(p.tokens[i]) for i in p.at(m, "span") if p.tokens[i].kind == "num"]
        low, high = min(nums), max(nums)
    else:
        if not re.search(r"\baged?\b|older|younger|years|who are|\bare\b", m.group(0)):
            return False  # "under 20" alone may be a price
        a = p.number(p.need(m, "a"))
        older = m["op"] in ("over", "above", "older than")
        low, high = (a, max(a, V.OLDEST_AGE)) if older else (min(a, V.YOUNGEST_ADULT), a)
        p.note(f"Read {p.fragment(p.at(m))!r} as ages {low} to {high}.")
    if not 0 <= low <= high <= 150:
        raise RequestError(f"Ages run from 0 to 150: {p.fragment(p.at(m))!r} does not fit.")
    col = p.tok(m, "col")
    table = str(col.value) if col else p.context(p.at(m))
    return _add_range(p, m, (table, p.schema.age_column(table), ()), low, high, "age")


@_rule(
    r"(?:(?P<col><W>|T) )?(?:(?:from|in|within|during|over|of|for) )?(?:the )?"
    r"(?:last|past|previous) (?:(?P<n>N) )?(?P<unit>days?|weeks?|months?|years?)"
)
def _on_recent(p: _Parse, m: re.Match[str]) -> bool:
    tok = p.tok(m, "n")
    n = p.count(tok, "days", p.fragment(p.at(m))) if tok else 1
    if n is None:
        return False
    days = n * V.RECENT_UNITS[m["unit"]]
    if days > 200 * 365:
        raise RequestError(f"{p.fragment(p.at(m))!r} reaches back more than 200 years.")
    return _add_range(p, m, _range_target(p, m, V.DATE_KINDS), days, None, "recent_days")


@_rule(
    r"(?:(?P<col><W>|T) )?(?:in|during|throughout|of|for|from) (?:the year )?"
    r"(?:(?P<mon><W>) )?(?P<y>N)(?! (?:-|to|until|till|through) N)"
)
def _on_year(p: _Parse, m: re.Match[str]) -> bool:
    y, mon = year_of(p.tok(m, "y")), p.tok(m, "mon")
    if y is None or (mon is not None and mon.low not in V.MONTHS):
        return False
    low, high = dt.date(y, 1, 1), dt.date(y, 12, 31)
    if mon is not None:
        month = V.MONTHS[mon.low]
        low, high = dt.date(y, month, 1), dt.date(y, month, calendar.monthrange(y, month)[1])
    return _add_range(p, m, _range_target(p, m, V.DATE_KINDS), _iso(low), _iso(high), "date")


@_rule(
    # "prices between 5 and 50", "salaries from 40000 to 120000", "price range 5-50"
    r"(?:(?P<t>T) )?(?:(?:with|having|where|whose|and|at) )?(?P<col>(?:<A> )?<A>|T) "
    r"(?:(?:range|ranging|ranges|of|is|are|was|within|in|the|with) ){0,3}<S>(?: stars?)?",
    # "1 to 5 stars": the column word follows (only when it names a column)
    r"(?:(?P<t>T) )?(?:(?:with|having|of|rated|at) )?<S> (?P<col><W>)",
    # "$5 to $50": a currency sign names a price-like column
    r"(?:(?P<t>T) )?(?:(?:with|having|for|at|costing|priced|worth) )?"
    r"(?P<span>between N and N|from N to N|N (?:-|to) N)",
)
def _on_number_range(p: _Parse, m: re.Match[str]) -> bool:
    strict = _has(m, "col") and m.start("col") > m.start("span")
    span = [p.tokens[i] for i in p.at(m, "span") if p.tokens[i].kind == "num"]
    years = [y for t in span if (y := year_of(t)) is not None]
    col = p.tok(m, "col")
    dated = col is not None and (col.low in V.DATE_STEMS or col.kind == "table")
    if dated and len(years) == len(span) == 2:
        # "born between 1980 and 1990", "orders from 2020 to 2022": whole years of a date
        low, high = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
        target = _range_target(p, m, V.DATE_KINDS)
        return _add_range(p, m, target, _iso(low), _iso(high), "date")
    nums = [p.number(t) for t in span]
    target = _range_target(p, m, V.NUMERIC_KINDS, strict)
    return _add_range(p, m, target, min(nums), max(nums), "number")


_LOWER_BOUNDS = (
    "over",
    "above",
    "more than",
    "greater than",
    "higher than",
    "at least",
    "no less than",
    ">",
    "> =",
)


@_rule(
    r"(?P<col>(?:<A> )?<W>|T) (?:(?:of|is|are) )?(?P<op>under|below|less than|lower than|at most|"
    r"up to|no more than|over|above|more than|greater than|higher than|at least|no less than|"
    r"cheaper than|< =|<|> =|>) (?P<a>N)"
)
def _on_compare(p: _Parse, m: re.Match[str]) -> bool:
    target = _range_target(p, m, V.NUMERIC_KINDS, strict=True)
    a = p.number(p.need(m, "a"))
    low, high = (a, None) if m["op"] in _LOWER_BOUNDS else (None, a)
    return _add_range(p, m, target, low, high, "number")


@_rule(
    # "populate the products table", "fill users and posts", "fill the users table with 12
    # rows", "test data for orders": the tables named are the ones wanted
    r"(?:fill|fill up|populate|load|stock|seed) (?:up )?(?:the )?(?P<t>T)(?: tables?)?"
    r"(?: with (?P<n>N)(?: <ADJ>(?:rows?|records?|entries))?)?",
    r"(?:(?:test|sample|fake|dummy|mock|some) )?data (?:for|in|into) (?:the )?(?P<t>T)"
    r"(?: tables?)?(?!\S)(?! N)",
    # "... and the customers table with 10"
    r"(?P<t>T) tables? (?:(?:with|gets?|has|:|=) )(?P<n>N)(?: <ADJ>(?:rows?|records?|entries))?",
)
def _on_fill_table(p: _Parse, m: re.Match[str]) -> bool:
    tables = p.table_list(p.at(m, "t")[0], 1, numbers=False)
    if _has(m, "n"):  # "fill users and posts with 10 rows": 10 each
        frag = p.fragment(p.at(m))
        for table in tables:
            p.set_count(table, p.count(p.need(m, "n"), table, frag), frag)
    p.restrict = True
    p.only += tables
    p.use_match(m)
    return True


@_rule(
    # "100 rows to every table", "50 rows per table", "20 of each", "fill every table with 50"
    r"(?P<n>N) (?:(?:rows?|records?|entries|entry) )?(?:in|to|into|for|per|of|across|on) "
    r"(?:each|every|all)(?: of)?(?: the)?(?: (?:tables?|ones?|them))?",
    r"(?:each|every|all)(?: of)?(?: the)? tables? (?:(?:with|gets?|should have|to have|has|have|"
    r"of) )?(?P<n>N)(?: (?:rows?|records?|entries))?(?: each)?",
    r"(?P<n>N) (?:(?:rows?|records?|entries) )?(?:of each|each|apiece|per table|everywhere)",
    r"(?P<n>N) <ADJ>(?:rows?|records?|entries)(?! (?:of|in|into|for|to) (?:the )?T)",
)
def _on_default_count(p: _Parse, m: re.Match[str]) -> bool:
    tok = p.need(m, "n")
    value = p.count(tok, "every table", p.fragment(p.at(m)))
    if value is None:
        return False
    if p.default_count not in (None, value):
        p.note(f"Two counts for every table; using {value}.")
    p.default_count = value
    p.use_match(m)
    return True


@_rule(
    r"(?P<kw>only|just|solely|exclusively) (?:(?:fill|populate|add|create|generate|insert|seed|"
    r"the|into|to|in|with|some|data|for) ){0,3}(?:N (?:<A> ){0,2}|(?:_l|_) )?(?P<t>T)",
    r"(?P<t>T) (?P<kw>only|alone)",
)
def _on_only(p: _Parse, m: re.Match[str]) -> bool:
    p.restrict = True
    step = -1 if m.start("kw") > m.start("t") else 1
    p.only += p.table_list(p.at(m, "t")[0], step, numbers=True)
    p.use(p.at(m, "kw"))
    return True


@_rule(
    r"(?P<n>N) <ADJ>(?:rows?|records?|entries) (?:of|in|into|for|to) (?:the )?(?P<t>T)",
    r"(?P<n>N) (?:(?:<A>|_l|_) ){0,2}(?P<t>T)",  # "50 users", "fifty German customers"
    r"(?P<t>T) (?:(?::|=|x) )?(?P<n>N)(?= ,| and(?!\S)| plus(?!\S)|$)",  # "users: 50"
)
def _on_count(p: _Parse, m: re.Match[str]) -> bool:
    tok, table = p.need(m, "n"), str(p.need(m, "t").value)
    frag = p.fragment(p.at(m))
    p.set_count(table, p.count(tok, table, frag), frag)
    p.use(i for i in p.at(m) if p.tokens[i].low in V.NON_TABLE_WORDS or p.tokens[i] is tok)
    return True


@_rule(
    r"(?:do not|don't|dont|never) (?:fill|touch|populate|add to|insert into|change|seed) "
    r"(?:the )?(?P<x>T)",
    r"(?:leave|keep) (?:the )?(?P<x>T)(?: (?:and|,|or) (?:the )?T)* (?:empty|alone|untouched|out|"
    r"unchanged|as is)",
    r"(?:(?P<strong>except for|except|excluding|exclude|but not|other than|apart from|skip|"
    r"skipping|ignore|ignoring|leave out|leaving out)|besides|without|but|not|minus) (?:the )?"
    r"(?:tables? )?(?P<x>T|<W>)",
)
def _on_exclude(p: _Parse, m: re.Match[str]) -> bool:
    x = p.need(m, "x")
    if x.kind != "table":
        if _has(m, "strong") and x.low not in V.NON_TABLE_WORDS:
            raise unknown_table(x.raw, p.schema.names)
        return False
    for name in p.table_list(p.at(m, "x")[0], 1, numbers=False):
        if name not in p.exclude:
            p.exclude.append(name)
    p.use_match(m)
    return True


@_rule(r"(?P<n>N) (?:_l |_ )?(?P<run><A>(?: <A>){0,2})")
def _on_unknown_count(p: _Parse, m: re.Match[str]) -> bool:
    """ "add 30 ordr_itemz": a number, then a noun that is no table."""
    nouns = [
        i
        for i in p.at(m, "run")
        if p.tokens[i].low not in V.NON_TABLE_WORDS and p.tokens[i].low not in V.MONTHS
    ]
    if not nouns:
        return False
    tok = p.tokens[nouns[-1]]
    table = p.loose_table(tok)
    if table is None:
        if tok.low in p.schema.columns or p.schema.find_column(tok.low, p.schema.order)[1]:
            return False
        raise unknown_table(tok.raw, p.schema.names)
    frag = p.fragment(p.at(m))
    p.set_count(table, p.count(p.need(m, "n"), table, frag), frag)
    p.use(p.at(m, "n") + nouns[-1:])
    return True


def _apply(p: _Parse, rx: re.Pattern[str], handler: Handler) -> None:
    first = 0
    while first < len(p.tokens):
        m = rx.search(p.render(), p.starts[first])
        if m is None:
            return
        before = p.used
        if not handler(p, m) or p.used == before:
            first = bisect.bisect_right(p.starts, m.start())  # the token after the match start


# ---------------------------------------------------------------------------------------------
# Putting the request together
# ---------------------------------------------------------------------------------------------


def _leftovers(p: _Parse) -> list[str]:
    runs: list[list[int]] = []
    for i, t in enumerate(p.tokens):
        if t.used or t.kind in ("table", "punct", "dash", "op"):
            continue
        if t.kind == "word" and t.low in V.NON_TABLE_WORDS or t.kind == "num" and t.value is None:
            continue
        if looks_like_identifier(t) and did_you_mean(t.raw, p.schema.names):
            raise unknown_table(t.raw, p.schema.names)  # a misspelt table name
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [p.fragment(run) for run in runs]


def _check_shares(dists: list[Distribution]) -> None:
    for d in dists:
        total = sum(d.weights.values())
        if total > 1.0001:
            where = ".".join(x for x in (d.table, d.column) if x) or "one column"
            raise RequestError(
                f"The shares for {where} add up to {total:.0%}, more than 100%.",
                hint="Make the percentages add up to 100% or less.",
            )
        if d.column and set(d.weights) <= {"true", "false"} and len(d.weights) == 1 and not d.rest:
            d.rest = ["false" if "true" in d.weights else "true"]


def _finish(p: _Parse) -> TestDataRequest:
    p.domain, idx = find_domain(p.tokens)
    p.use(idx)
    spread, idx = find_phrase(p.tokens, V.SPREAD_PHRASES)
    p.use(idx)
    if p.reproducible and p.seed is None:
        p.seed = DEFAULT_SEED
        p.note(f"'reproducible': using seed {DEFAULT_SEED}.")
    for name in p.exclude:
        if name in p.counts:
            raise RequestError(
                f"{name} is given a count and also excluded.",
                hint=f"Drop the count for {name}, or do not exclude it.",
                table=name,
            )
    tables = None
    if p.restrict:
        named = p.only + list(p.counts) + [n for c in p.cards for n in (c.parent, c.child)]
        tables = [t for t in dict.fromkeys(named) if t not in p.exclude]
    dists = [d for _, d in p.dists]
    _check_shares(dists)
    unparsed = _leftovers(p)
    understood = any(t.used or t.kind == "table" or t.low in V.INTENT_WORDS for t in p.tokens)
    if not understood:
        shown = p.text.strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        examples = "\n".join(f"  {e}" for e in request_examples(p.schema.meta))
        raise RequestError(
            f"Could not read {shown!r} as a request for test data: it names no table, count "
            "or option.",
            hint=f"Requests that work, for example:\n{examples}",
        )
    return TestDataRequest(
        text=p.text,
        counts=p.counts,
        tables=tables,
        exclude=p.exclude,
        all_tables=not p.restrict,
        default_count=p.default_count,
        cardinalities=p.cards,
        distributions=dists,
        ranges=p.ranges,
        locale=p.locale,
        domain=p.domain,
        spread=spread,  # type: ignore[arg-type]
        seed=p.seed,
        unparsed=unparsed,
        notes=p.notes,
    )


def parse_request(text: str, schema: SchemaMetadata) -> TestDataRequest:
    """Read a request for test data, offline and deterministically.

    Every input gives a :class:`TestDataRequest` or raises :class:`RequestError` with a
    message a user can act on; nothing else escapes.

        >>> parse_request("add 50 users, each user with 1-5 posts, seed 7", blog).counts
        {'users': 50}
    """
    text = text or ""
    if len(text) > MAX_TEXT:
        raise RequestError(
            f"The request is {len(text):,} characters long; at most {MAX_TEXT:,} are read.",
            hint="Shorten it or split it into runs.",
        )
    if not text.strip():
        return TestDataRequest(text=text)
    names = SchemaNames(schema)
    p = _Parse(text, names, prepare(text, names))
    for rx, handler in _RULES:
        _apply(p, rx, handler)
    return _finish(p)
