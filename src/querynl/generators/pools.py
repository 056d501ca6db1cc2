"""Value pools, built once per locale from Faker, then drawn from at list speed.

A Faker call costs tens of microseconds; a draw from a list costs a fraction of one. Each pool
is a list of distinct values (distinct as case- and accent-insensitive collations see them, so a
unique column stays unique on MySQL too), built with a fixed Faker seed: the pool depends on the
locale and the Faker version only, and the run's seed decides which values rows get.

Since a pool never changes for a given locale, Faker version and QueryNL version, a built pool
of text is also kept on disk (JSON, in the user's cache folder or ``$QUERYNL_CACHE_DIR``), and
later processes read it instead of importing Faker and building it again. The file's folder
is named after everything the pool depends on; a file that cannot be read or written is
ignored and the pool is built as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .vocabulary import VOCABULARY_POOLS

log = logging.getLogger("querynl.pools")

CACHE_DIR_ENV = "QUERYNL_CACHE_DIR"

POOL_SIZE = 600
_FAKER_SEED = 20240229

_cache: dict[tuple[str, str], list[Any]] = {}
_fitting: dict[tuple[str, str, int], list[Any]] = {}  # pools cut to a column length
_fakers: dict[str, Any] = {}
_lock = threading.Lock()


def fold_key(value: Any) -> Any:
    """Case-, accent- and trailing-space-insensitive comparison key."""
    if not isinstance(value, str):
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().rstrip()


def faker_for(locale: str) -> Any:
    """A Faker instance for ``locale`` with a fixed seed (pools only; never per row)."""
    with _lock:
        fake = _fakers.get(locale)
        if fake is None:
            from faker import Faker

            fake = Faker(locale)
            _fakers[locale] = fake
    return fake


def _draw(method: str, size: int = POOL_SIZE) -> Callable[[Any], list[Any]]:
    def build(fake: Any) -> list[Any]:
        func = getattr(fake, method)
        return [func() for _ in range(size)]

    return build


def _provider_names(attribute: str) -> Callable[[Any], list[Any]]:
    """Names straight from the person provider's data (all of them, no Faker calls)."""

    def build(fake: Any) -> list[Any]:
        provider = fake.provider("faker.providers.person")
        data = getattr(provider, attribute, None)
        if not data:
            return _draw(attribute[:-1])(fake)
        return list(data.keys() if hasattr(data, "keys") else data)

    return build


def _words(fake: Any) -> list[Any]:
    provider = fake.provider("faker.providers.lorem")
    words = getattr(provider, "word_list", None) or []
    return [w for w in words if w.isalpha()] or [fake.word() for _ in range(POOL_SIZE)]


def _real_places(fake: Any) -> list[Any]:
    """Names of real towns and cities around the world (Faker's coordinates list)."""
    provider = fake.provider("faker.providers.geo")
    return [place[2] for place in getattr(provider, "land_coords", ())] or _draw("city")(fake)


def _street_addresses(fake: Any) -> list[Any]:
    """Street addresses; Japanese ones as they are written (town, chōme, ban, gō), since
    Faker's ja_JP street_address follows an English pattern."""
    if hasattr(fake, "chome") and hasattr(fake, "town"):
        return [f"{fake.town()}{fake.chome()}{fake.ban()}{fake.gou()}" for _ in range(POOL_SIZE)]
    return _draw("street_address")(fake)


def _job_titles(fake: Any) -> list[Any]:
    """Job titles as applications name them (English), or Faker's in the locale's language."""
    if str((getattr(fake, "locales", None) or ["en_US"])[0]).startswith("en"):
        return list(VOCABULARY_POOLS["job_title"]())
    return _draw("job")(fake)


def _vocabulary(build: Callable[[], list[Any]]) -> Callable[[Any], list[Any]]:
    return lambda _fake: build()


# name -> how to build it from a Faker instance
POOL_SOURCES: dict[str, Callable[[Any], list[Any]]] = {
    "first_name_male": _provider_names("first_names_male"),
    "first_name_female": _provider_names("first_names_female"),
    "first_name": _provider_names("first_names"),
    "last_name": _provider_names("last_names"),
    "city": _draw("city"),
    "street_address": _street_addresses,
    "secondary_address": _draw("secondary_address", 200),
    "state": _draw("state", 300),
    "postcode": _draw("postcode"),
    "country": _draw("country", 400),
    "country_code": _draw("country_code", 400),
    "company": _draw("company"),
    "company_suffix": _draw("company_suffix", 50),
    "job": _draw("job"),
    "catch_phrase": _draw("catch_phrase"),
    "bs": _draw("bs"),
    "phone_number": _draw("phone_number"),
    "sentence": _draw("sentence", 1000),
    "paragraph": _draw("paragraph", 300),
    "word": _words,
    "domain_name": _draw("domain_name", 300),
    "free_email_domain": _draw("free_email_domain", 50),
    "url": _draw("url", 400),
    "user_agent": _draw("user_agent", 200),
    "color_name": _draw("color_name", 200),
    "currency_code": _draw("currency_code", 200),
    "language_code": _draw("language_code", 200),
    "timezone": _draw("timezone", 400),
    "file_name": _draw("file_name", 400),
    "mime_type": _draw("mime_type", 200),
    "license_plate": _draw("license_plate"),
    "iban": _draw("iban"),
    "bank_name": _draw("company", 200),
    "real_city": _real_places,
    "swift": _draw("swift", 200),
    "ssn": _draw("ssn", 400),
    "isbn13": _draw("isbn13"),
    "ean13": _draw("ean13"),
    "hex_color": _draw("hex_color", 400),
    "file_extension": _draw("file_extension", 60),
    "credit_card_provider": _draw("credit_card_provider", 40),
    "street_name": _draw("street_name"),
}
POOL_SOURCES.update({name: _vocabulary(build) for name, build in VOCABULARY_POOLS.items()})
POOL_SOURCES["job_title"] = _job_titles  # in the locale's language where Faker has titles


class Pools:
    """Lazily built pools for one locale; safe to share between generators of a run."""

    def __init__(self, locale: str = "en_US") -> None:
        self.locale = locale

    def get(self, name: str) -> list[Any]:
        key = (self.locale, name)
        pool = _cache.get(key)
        if pool is None:
            path = _cached_path(self.locale, name)
            pool = _read_cached(path) if path is not None else None
            if pool is None:
                pool = self._build(name)
                if path is not None:
                    _write_cached(path, pool)
            _cache[key] = pool
        return pool

    def _build(self, name: str) -> list[Any]:
        if name not in POOL_SOURCES:
            raise KeyError(f"unknown pool {name!r}")
        fake = faker_for(self.locale)
        with _lock:
            fake.seed_instance(_FAKER_SEED)
            raw = POOL_SOURCES[name](fake)
        return distinct(raw)

    def fitting(self, name: str, length: int | None) -> list[Any]:
        """The pool, restricted to values that fit ``length`` characters (when any do)."""
        pool = self.get(name)
        if not length:
            return pool
        key = (self.locale, name, length)
        fit = _fitting.get(key)
        if fit is None:
            fit = _fitting[key] = [v for v in pool if len(str(v)) <= length] or pool
        return fit


def distinct(values: list[Any]) -> list[Any]:
    """Values in first-seen order, without repeats under ``fold_key``."""
    seen: set[Any] = set()
    out = []
    for v in values:
        k = fold_key(v)
        if k not in seen and v not in (None, ""):
            seen.add(k)
            out.append(v)
    return out


# ---------------------------------------------------------------------------------------------
# pools kept on disk between processes
# ---------------------------------------------------------------------------------------------


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The QueryNL cache folder: ``$QUERYNL_CACHE_DIR`` or the platform's user cache dir."""
    from ..folders import user_folder

    return user_folder("cache", CACHE_DIR_ENV, env)


_fingerprint: list[str] = []


def _pools_fingerprint() -> str:
    """What every pool depends on: the installed Faker, the QueryNL version and the code that
    builds pools (this module and the vocabulary), so a changed recipe never reads an old pool."""
    if not _fingerprint:
        from importlib.util import find_spec

        from .. import __version__
        from . import vocabulary

        # Faker's own files stand for its version (reading the version from the package's
        # metadata costs more than the pool it would save)
        spec = find_spec("faker")
        origin = spec.origin if spec is not None and spec.origin else ""
        faker_file = os.stat(origin) if origin else None
        installed = f"{origin}:{faker_file.st_size}:{faker_file.st_mtime_ns}" if faker_file else ""
        digest = hashlib.sha256(f"{installed}|{__version__}|{POOL_SIZE}|".encode())
        for module in (__file__, vocabulary.__file__):
            digest.update(Path(module).read_bytes())
        _fingerprint.append(digest.hexdigest()[:20])
    return _fingerprint[0]


def _cached_path(locale: str, name: str) -> Path | None:
    try:
        return cache_dir() / "pools" / _pools_fingerprint() / locale / f"{name}.json"
    except (OSError, ValueError) as exc:  # no home folder, an unreadable source file
        log.debug("pools are not cached on disk: %s", exc)
        return None


def _read_cached(path: Path) -> list[Any] | None:
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(values, list) and values and all(type(v) is str for v in values):
        return values
    return None


def _write_cached(path: Path, pool: list[Any]) -> None:
    """Keep a pool of text on disk (written whole, then renamed: readers never see half)."""
    if not pool or not all(type(v) is str for v in pool):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".pool-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(pool, out, ensure_ascii=False)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("pool %s not kept on disk: %s", path.stem, exc)
