"""Row-coherent generators: one synthetic person and one place per row.

Every ``person.*`` column of a row reads the same drawn person (first name, last name, gender),
so the email and username match the name. When any of them must be unique, the table's people
are drawn without repeats from the first × last name space, by construction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Literal

from pydantic import Field

from . import register
from .base import (
    BatchContext,
    Generator,
    Params,
    Permutation,
    code_width,
    cut,
    derive_seed,
    fit_unique,
)


class _P(Params):
    pass


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_slug(value: str) -> str:
    """'José-María O'Brien' -> 'josemariaobrien' (for emails and usernames)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("", folded.lower())


class PersonModel:
    """The people of one table: pools, and whether they must be distinct."""

    def __init__(self, gen: Generator) -> None:
        pools = gen.env.pools
        male = _slug_distinct(pools.get("first_name_male"))
        female = _slug_distinct(pools.get("first_name_female"))
        male_keys = {ascii_slug(m) for m in male}
        female = [f for f in female if ascii_slug(f) not in male_keys]
        self.firsts = male + female
        self.genders = ["M"] * len(male) + ["F"] * len(female)
        self.lasts = _slug_distinct(pools.get("last_name"))
        self.first_slugs = [ascii_slug(f) or f"p{i}" for i, f in enumerate(self.firsts)]
        self.last_slugs = [ascii_slug(name) or f"n{i}" for i, name in enumerate(self.lasts)]
        self.unique = False
        self.seed = derive_seed(gen.env.seed, gen.table.name, "person")

    @property
    def combinations(self) -> int:
        return len(self.firsts) * len(self.lasts)

    def draw(self, ctx: BatchContext) -> dict[str, list[Any]]:
        nf, nl = len(self.firsts), len(self.lasts)
        if self.unique:
            size = nf * nl
            perm = Permutation(size, self.seed)
            picks = perm.many(ctx.start, ctx.n)
            laps = [i // size for i in range(ctx.start, ctx.start + ctx.n)]
            fi = [k % nf for k in picks]
            li = [k // nf for k in picks]
        else:
            rng = ctx.rng("person")
            r = rng.random
            fi = [int(r() * nf) for _ in range(ctx.n)]
            li = [int(r() * nl) for _ in range(ctx.n)]
            laps = [0] * ctx.n
        return {"first": fi, "last": li, "lap": laps}


def _slug_distinct(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = ascii_slug(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


class _PersonGen(Generator):
    natively_unique = True

    def setup(self) -> None:
        models = self.env.shared.setdefault("person_models", {})
        key = self.table.name
        if key not in models:
            models[key] = PersonModel(self)
        self.model: PersonModel = models[key]
        if self.unique:
            self.model.unique = True
        self.width = code_width(self.rows)

    def people(self, ctx: BatchContext) -> dict[str, list[Any]]:
        return ctx.entity("person", self.model.draw)

    def capacity(self) -> int | None:
        return None  # numbered once the name space runs out

    def finish(self, values: list[Any], ctx: BatchContext) -> list[Any]:
        if self.unique:
            return fit_unique(values, ctx.start, self.column.type.length, self.width)
        return cut(values, self.column.type.length)


@register
class FirstName(_PersonGen):
    name = "person.first_name"
    summary = "the row's person: first name"
    natively_unique = False

    def generate(self, ctx: BatchContext) -> list[Any]:
        firsts = self.model.firsts
        return cut([firsts[i] for i in self.people(ctx)["first"]], self.column.type.length)


@register
class LastName(_PersonGen):
    name = "person.last_name"
    summary = "the row's person: last name"
    natively_unique = False

    def generate(self, ctx: BatchContext) -> list[Any]:
        lasts = self.model.lasts
        return cut([lasts[i] for i in self.people(ctx)["last"]], self.column.type.length)


@register
class FullName(_PersonGen):
    name = "person.full_name"
    summary = "the row's person: first and last name"

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.people(ctx)
        f, la = self.model.firsts, self.model.lasts
        values = [
            f"{f[a]} {la[b]}" if lap == 0 else f"{f[a]} {la[b]} {lap + 1}"
            for a, b, lap in zip(p["first"], p["last"], p["lap"])
        ]
        return self.finish(values, ctx)


class EmailParams(_P):
    domain: str | None = None


@register
class Email(_PersonGen):
    name = "person.email"
    summary = "the row's person: email built from their name"
    Params = EmailParams

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.people(ctx)
        fs, ls = self.model.first_slugs, self.model.last_slugs
        if self.params.domain:
            domains = [self.params.domain] * ctx.n
        else:
            domains = ctx.rng(self.column.name).choices(
                self.env.pools.get("free_email_domain"), k=ctx.n
            )
        values = [
            f"{fs[a]}.{ls[b]}{lap + 1 if lap else ''}@{d}"
            for a, b, lap, d in zip(p["first"], p["last"], p["lap"], domains)
        ]
        return self.finish(values, ctx)


@register
class Username(_PersonGen):
    name = "person.username"
    summary = "the row's person: a username from their name"

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.people(ctx)
        fs, ls = self.model.first_slugs, self.model.last_slugs
        if self.unique:
            values = [
                f"{fs[a]}_{ls[b]}{lap + 1 if lap else ''}"
                for a, b, lap in zip(p["first"], p["last"], p["lap"])
            ]
        else:
            r = ctx.rng(self.column.name).randint
            values = [f"{fs[a]}{ls[b][:1]}{r(1, 99)}" for a, b in zip(p["first"], p["last"])]
        return self.finish(values, ctx)


class GenderParams(_P):
    values: list[str] = Field(default_factory=lambda: ["M", "F"], min_length=2, max_length=2)


@register
class Gender(_PersonGen):
    name = "person.gender"
    summary = "the row's person: gender (male value, female value)"
    Params = GenderParams
    natively_unique = False

    def generate(self, ctx: BatchContext) -> list[Any]:
        male, female = self.params.values
        g = self.model.genders
        return [male if g[i] == "M" else female for i in self.people(ctx)["first"]]


@register
class Prefix(_PersonGen):
    name = "person.prefix"
    summary = "the row's person: Mr./Ms./Dr."
    natively_unique = False

    def generate(self, ctx: BatchContext) -> list[Any]:
        g = self.model.genders
        r = ctx.rng(self.column.name).random
        return [
            "Dr." if r() < 0.05 else ("Mr." if g[i] == "M" else "Ms.")
            for i in self.people(ctx)["first"]
        ]


class BirthDateParams(_P):
    min_age: int = Field(default=18, ge=0, le=120)
    max_age: int = Field(default=80, ge=0, le=120)


@register
class BirthDate(Generator):
    name = "person.birth_date"
    summary = "birth dates for ages in [min_age, max_age]"
    Params = BirthDateParams
    kinds = ("date", "datetime", "string", "text")

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.params
        now = self.env.now
        r = ctx.rng(self.column.name).random
        # Calendar years, so every age lies in [min_age, max_age] on the reference day.
        latest = _years_before(now, p.min_age)
        earliest = _years_before(now, max(p.min_age, p.max_age) + 1) + dt.timedelta(days=1)
        span = max(0, (latest - earliest).days)
        values = [earliest + dt.timedelta(days=int(r() * (span + 1))) for _ in range(ctx.n)]
        kind = self.column.type.kind
        if kind == "datetime":
            return [dt.datetime.combine(v, dt.time()) for v in values]
        if kind in ("string", "text"):
            return [v.isoformat() for v in values]
        return values


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@register
class Age(Generator):
    name = "person.age"
    summary = "ages in years"
    Params = BirthDateParams
    kinds = ("integer", "decimal")

    def generate(self, ctx: BatchContext) -> list[Any]:
        r = ctx.rng(self.column.name).randint
        return [r(self.params.min_age, self.params.max_age) for _ in range(ctx.n)]


@register
class PasswordHash(Generator):
    name = "person.password_hash"
    summary = "bcrypt-shaped password hashes (never real passwords)"
    kinds = ("string", "text", "binary")

    _ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    def generate(self, ctx: BatchContext) -> list[Any]:
        rng = ctx.rng(self.column.name)
        alpha = self._ALPHABET
        values = ["$2b$12$" + "".join(rng.choices(alpha, k=53)) for _ in range(ctx.n)]
        if self.column.type.kind == "binary":
            return [v.encode() for v in values]
        return cut(values, self.column.type.length)


# ---------------------------------------------------------------------------------------------
# places
# ---------------------------------------------------------------------------------------------


_PLACE_MODELS: dict[str, PlaceModel] = {}


class PlaceModel:
    """A pool of places; every ``place.*`` column of a row reads the same one."""

    FIELDS = ("street", "city", "state", "postcode", "country", "country_code", "lat", "lng")

    def __init__(self, gen: Generator) -> None:
        from .pools import faker_for

        fake = faker_for(gen.env.locale)
        fake.seed_instance(derive_seed("places", gen.env.locale) % 2**32)
        code = gen.env.locale.split("_")[-1] if "_" in gen.env.locale else "US"
        country = _country_name(fake, code)
        rows = []
        for _ in range(300):
            try:
                lat, lng, city, cc, _tz = fake.local_latlng(country_code=code)
            except Exception:  # noqa: BLE001 - a locale without coordinates
                lat, lng, city, cc = fake.latitude(), fake.longitude(), fake.city(), code
            state = fake.state() if hasattr(fake, "state") else ""
            rows.append(
                (fake.street_address(), city, state, fake.postcode(), country, cc, lat, lng)
            )
        self.rows = rows

    def draw(self, ctx: BatchContext) -> list[int]:
        r = ctx.rng("place").random
        n = len(self.rows)
        return [int(r() * n) for _ in range(ctx.n)]


def _country_name(fake: Any, code: str) -> str:
    names = {
        "US": "United States",
        "GB": "United Kingdom",
        "DE": "Germany",
        "FR": "France",
        "ES": "Spain",
        "IT": "Italy",
        "BR": "Brazil",
        "NL": "Netherlands",
        "JP": "Japan",
        "CN": "China",
        "CA": "Canada",
        "AU": "Australia",
        "IN": "India",
        "MX": "Mexico",
    }
    return names.get(code, code)


class PlaceParams(_P):
    part: Literal["street", "city", "state", "postcode", "country", "country_code", "lat", "lng"]


@register
class Place(Generator):
    name = "place"
    summary = "one part of the row's place: street, city, state, postcode, country, lat, lng"
    Params = PlaceParams
    kinds = ("string", "text", "decimal", "float", "unknown")
    natively_unique = True

    def setup(self) -> None:
        # one per locale and process: it depends on the locale alone, and planning, the
        # sample rows and the run would otherwise each build it again
        model = _PLACE_MODELS.get(self.env.locale)
        if model is None:
            model = _PLACE_MODELS[self.env.locale] = PlaceModel(self)
        self.model: PlaceModel = model
        self.index = PlaceModel.FIELDS.index(self.params.part)
        self.width = code_width(self.rows)

    def generate(self, ctx: BatchContext) -> list[Any]:
        picks = ctx.entity("place", self.model.draw)
        rows, k = self.model.rows, self.index
        values = [rows[i][k] for i in picks]
        if self.params.part in ("lat", "lng"):
            kind = self.column.type.kind
            scale = self.column.type.scale
            if kind == "float":
                return [float(v) for v in values]
            from decimal import Decimal

            q = Decimal(1).scaleb(-(scale if scale is not None else 6))
            values = [Decimal(str(v)).quantize(q) for v in values]
            return [str(v) for v in values] if kind in ("string", "text") else values
        if self.unique:
            values = [f"{v} {i + 1}" for i, v in enumerate(values, ctx.start)]
            return fit_unique(values, ctx.start, self.column.type.length, self.width)
        return cut(values, self.column.type.length)
