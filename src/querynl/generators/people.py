"""Row-coherent generators: one synthetic person and one place per row.

Every ``person.*`` column of a row reads the same drawn person (first name, last name, gender),
so the email and username match the name. When any of them must be unique, the table's people
are drawn without repeats from the first × last name space, by construction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

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
from .vocabulary import courtesy_titles


class _P(Params):
    pass


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_slug(value: str) -> str:
    """'José-María O'Brien' -> 'josemariaobrien' (for emails and usernames)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("", folded.lower())


class PersonModel:
    """The people of one table: pools, and whether they must be distinct.

    Emails and usernames are made of the names' Latin spelling: the names themselves where
    they are written in Latin letters, their romanisation where Faker has it (Japanese) or
    QueryNL does (common Chinese names); names without one are left out of the pools.
    """

    def __init__(self, gen: Generator) -> None:
        names = _names(gen.env.pools)
        self.firsts, self.genders, self.lasts, self.first_slugs, self.last_slugs = names
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


_NAMES: dict[tuple[str, int, int, int], tuple[list[str], ...]] = {}


def _names(pools: Any) -> tuple[list[str], ...]:
    """First names, their genders, last names and the Latin slugs of both, for a locale's
    pools (made once per process: the planner and the synthesizer both need them)."""
    pooled = [pools.get(n) for n in ("first_name_male", "first_name_female", "last_name")]
    key = (pools.locale, *map(id, pooled))
    found = _NAMES.get(key)
    if found is None:
        latin = romanisation(pools.locale)
        male = _slug_distinct(pooled[0], latin)
        female = _slug_distinct(pooled[1], latin)
        male_keys = {_latin_slug(m, latin) for m in male}
        female = [f for f in female if _latin_slug(f, latin) not in male_keys]
        firsts = male + female
        genders = ["M"] * len(male) + ["F"] * len(female)
        lasts = _slug_distinct(pooled[2], latin)
        first_slugs = [_latin_slug(f, latin) or f"p{i}" for i, f in enumerate(firsts)]
        last_slugs = [_latin_slug(name, latin) or f"n{i}" for i, name in enumerate(lasts)]
        found = _NAMES[key] = (firsts, genders, lasts, first_slugs, last_slugs)
    return found


def _latin_slug(name: str, latin: dict[str, str]) -> str:
    return ascii_slug(latin.get(name, name))


def _slug_distinct(names: list[str], latin: dict[str, str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = _latin_slug(name, latin)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


# Pinyin of common Chinese surnames and given names (Faker's zh_CN lists are not aligned with
# their romanised lists, so emails could not be built from the names otherwise).
_PINYIN = dict(
    pair.split("=")
    for pair in [
        "王=Wang",
        "李=Li",
        "张=Zhang",
        "刘=Liu",
        "陈=Chen",
        "杨=Yang",
        "黄=Huang",
        "赵=Zhao",
        "吴=Wu",
        "周=Zhou",
        "徐=Xu",
        "孙=Sun",
        "马=Ma",
        "朱=Zhu",
        "胡=Hu",
        "郭=Guo",
        "何=He",
        "高=Gao",
        "林=Lin",
        "罗=Luo",
        "郑=Zheng",
        "梁=Liang",
        "谢=Xie",
        "宋=Song",
        "唐=Tang",
        "韩=Han",
        "冯=Feng",
        "邓=Deng",
        "曹=Cao",
        "彭=Peng",
        "曾=Zeng",
        "肖=Xiao",
        "田=Tian",
        "董=Dong",
        "袁=Yuan",
        "潘=Pan",
        "于=Yu",
        "蒋=Jiang",
        "蔡=Cai",
        "杜=Du",
        "叶=Ye",
        "程=Cheng",
        "苏=Su",
        "魏=Wei",
        "丁=Ding",
        "任=Ren",
        "沈=Shen",
        "姚=Yao",
        "卢=Lu",
        "姜=Jiang",
        "崔=Cui",
        "钟=Zhong",
        "谭=Tan",
        "陆=Lu",
        "汪=Wang",
        "范=Fan",
        "金=Jin",
        "石=Shi",
        "廖=Liao",
        "贾=Jia",
        "夏=Xia",
        "韦=Wei",
        "方=Fang",
        "白=Bai",
        "邹=Zou",
        "孟=Meng",
        "熊=Xiong",
        "秦=Qin",
        "邱=Qiu",
        "江=Jiang",
        "伟=Wei",
        "强=Qiang",
        "磊=Lei",
        "洋=Yang",
        "勇=Yong",
        "军=Jun",
        "杰=Jie",
        "涛=Tao",
        "超=Chao",
        "明=Ming",
        "刚=Gang",
        "平=Ping",
        "辉=Hui",
        "鹏=Peng",
        "华=Hua",
        "飞=Fei",
        "鑫=Xin",
        "波=Bo",
        "斌=Bin",
        "宇=Yu",
        "浩=Hao",
        "凯=Kai",
        "健=Jian",
        "俊=Jun",
        "帆=Fan",
        "帅=Shuai",
        "旭=Xu",
        "宁=Ning",
        "龙=Long",
        "欢=Huan",
        "佳=Jia",
        "阳=Yang",
        "建华=Jianhua",
        "亮=Liang",
        "成=Cheng",
        "建=Jian",
        "峰=Feng",
        "建军=Jianjun",
        "建平=Jianping",
        "志强=Zhiqiang",
        "志明=Zhiming",
        "秀英=Xiuying",
        "芳=Fang",
        "娜=Na",
        "敏=Min",
        "静=Jing",
        "丽=Li",
        "艳=Yan",
        "娟=Juan",
        "霞=Xia",
        "燕=Yan",
        "玲=Ling",
        "桂英=Guiying",
        "丹=Dan",
        "萍=Ping",
        "红=Hong",
        "玉兰=Yulan",
        "桂兰=Guilan",
        "英=Ying",
        "梅=Mei",
        "莉=Li",
        "婷=Ting",
        "雪=Xue",
        "倩=Qian",
        "琳=Lin",
        "颖=Ying",
        "慧=Hui",
        "晶=Jing",
        "秀兰=Xiulan",
        "玉梅=Yumei",
        "淑珍=Shuzhen",
    ]
)


def romanisation(locale: str) -> dict[str, str]:
    """Names -> their Latin spelling, for locales whose names are not written in Latin."""
    if locale == "zh_CN":
        return _PINYIN
    if locale != "ja_JP":
        return {}
    from .pools import faker_for

    provider = faker_for(locale).provider("faker.providers.person")
    out: dict[str, str] = {}
    for native, latin in (
        ("first_names_male", "first_romanized_names_male"),
        ("first_names_female", "first_romanized_names_female"),
        ("last_names", "last_romanized_names"),
    ):
        names, spelled = getattr(provider, native, ()), getattr(provider, latin, ())
        if len(names) == len(spelled):
            out.update(zip(names, spelled))
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
    summary = "the row's person: Mr./Ms./Dr. (Herr/Frau, M./Mme, ... by locale)"
    natively_unique = False

    def generate(self, ctx: BatchContext) -> list[Any]:
        g = self.model.genders
        r = ctx.rng(self.column.name).random
        male, female, doctor = courtesy_titles(self.env.locale)
        values = [
            doctor if r() < 0.05 else (male if g[i] == "M" else female)
            for i in self.people(ctx)["first"]
        ]
        return cut(values, self.column.type.length)


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


class AgeParams(BirthDateParams):
    birth_column: str | None = None  # the row's birth date: the age is counted from it


@register
class Age(Generator):
    name = "person.age"
    summary = "ages in years (from the row's birth date when there is one)"
    Params = AgeParams
    kinds = ("integer", "decimal")

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.params.birth_column,) if self.params.birth_column else ()

    def generate(self, ctx: BatchContext) -> list[Any]:
        r = ctx.rng(self.column.name).randint
        drawn = [r(self.params.min_age, self.params.max_age) for _ in range(ctx.n)]
        if not self.params.birth_column:
            return drawn
        born = ctx.columns[self.params.birth_column]
        return [age_on(self.env.now, b) if b is not None else a for b, a in zip(born, drawn)]


def age_on(day: dt.date, born: Any) -> int:
    """Full years between ``born`` (a date, datetime or ISO text) and ``day``."""
    if isinstance(born, str):
        born = dt.date.fromisoformat(born[:10])
    if isinstance(born, dt.datetime):
        born = born.date()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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
