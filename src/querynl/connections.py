"""Saved connections: names for databases, with their passwords encrypted at rest.

``connections.json`` in the config folder maps each name to its type, host, port, database,
user and URL options. A password is stored only as an AES-256-GCM blob (a fresh 96-bit nonce
per secret, the connection name as associated data). The 256-bit key lives in the OS keyring
when a real backend works, otherwise in the 0600 file ``key`` beside ``connections.json``;
``QUERYNL_KEYRING=0`` forces the file.

``resolve_database`` is the one place every command picks its database.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import secrets
import sqlite3
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import URL

from .config import config_dir, load_settings
from .connection import check_connection, create_engine, display_url, normalize_url
from .errors import ConfigError, ConnectionFailed, UsageError, did_you_mean
from .redact import register_secret

log = logging.getLogger(__name__)

CONNECTIONS_FILE = "connections.json"
KEY_FILE = "key"
KEYRING_ENV = "QUERYNL_KEYRING"
KEYRING_SERVICE = "querynl"
KEYRING_ENTRY = "connections-key"
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}
TYPES = ("postgresql", "mysql", "mariadb", "sqlite")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SECRET_OPTION = re.compile(r"(?i)(password|passwd|pwd|secret|token)")
_PROBE_TIMEOUT = "10"


@dataclass(frozen=True)
class SavedConnection:
    """One saved connection as it may be shown: never with its password."""

    name: str
    type: str
    host: str | None = None
    port: int | None = None
    database: str | None = None
    user: str | None = None
    options: dict[str, str | list[str]] = field(default_factory=dict)
    has_password: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "name": self.name,
            "type": self.type,
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
            "options": dict(self.options),
            "has_password": self.has_password,
        }


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def add_connection(
    name: str,
    url_or_fields: str | URL | Mapping[str, Any],
    *,
    password: str | None = None,
    replace: bool = False,
    env: Mapping[str, str] | None = None,
) -> SavedConnection:
    """Save ``name`` from a URL or from fields (type, host, port, database, user, options).

    ``password`` wins over one in the URL or the fields. An existing name needs ``replace``.
    For example ``add_connection("shop", "postgresql://me@db:5432/shop", password=secret)``.
    """
    env = os.environ if env is None else env
    check_new_name(name, replace=replace, env=env)
    url = build_url(url_or_fields, password=password)
    secret = url.password
    store = _load(env)
    entry = _entry_from_url(url)
    if secret:
        register_secret(str(secret))
        entry["password"] = _encrypt(name, str(secret), env)
    store["connections"][name] = entry
    _save(store, env)
    return _saved(name, entry)


def check_new_name(
    name: str, *, replace: bool = False, env: Mapping[str, str] | None = None
) -> None:
    """Raise ``UsageError`` when ``name`` is not a valid name, or is taken and not ``replace``."""
    _check_name(name)
    if not replace and name in _load(os.environ if env is None else env)["connections"]:
        raise UsageError(
            f"A connection named {name!r} already exists.",
            hint=f"Remove it first (querynl connect remove {name}) or pass --replace.",
        )


def build_url(url_or_fields: str | URL | Mapping[str, Any], *, password: str | None = None) -> URL:
    """A checked URL from a URL or from fields; ``password`` (when given) replaces any other."""
    url = _to_url(url_or_fields)
    if password:
        register_secret(password)
        url = url.set(password=password)
    return url


def list_connections(env: Mapping[str, str] | None = None) -> list[SavedConnection]:
    """Every saved connection, sorted by name, without secrets."""
    store = _load(os.environ if env is None else env)
    return [_saved(name, store["connections"][name]) for name in sorted(store["connections"])]


def get_connection(name: str, env: Mapping[str, str] | None = None) -> SavedConnection:
    """One saved connection without its secret; unknown names get "did you mean"."""
    store = _load(os.environ if env is None else env)
    return _saved(name, _lookup(store, name))


def get_connection_url(name: str, env: Mapping[str, str] | None = None) -> URL:
    """The SQLAlchemy URL of ``name``, password decrypted (and registered with ``redact``)."""
    env = os.environ if env is None else env
    entry = _lookup(_load(env), name)
    password = _decrypt(name, entry["password"], env) if entry.get("password") else None
    register_secret(password)
    return _url_from_entry(entry, password)


def remove_connection(name: str, env: Mapping[str, str] | None = None) -> None:
    """Forget ``name`` and its encrypted password."""
    env = os.environ if env is None else env
    store = _load(env)
    _lookup(store, name)
    del store["connections"][name]
    _save(store, env)


def test_connection(name: str, env: Mapping[str, str] | None = None) -> str:
    """Connect to ``name`` once and return the server's name and version ("PostgreSQL 15.4").

    Failures raise ``ConnectionFailed`` with the reason, free of secrets.
    """
    return probe_url(get_connection_url(name, env))


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def probe_url(url: URL) -> str:
    """Connect to ``url`` once (10 s timeout) and return the server's name and version."""
    probe = url
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url)
    elif "connect_timeout" not in url.query:
        probe = url.update_query_dict({"connect_timeout": _PROBE_TIMEOUT})
    engine = create_engine(probe)
    try:
        check_connection(engine)
    except ConnectionFailed as exc:
        # name the database as the user gave it, without the added timeout
        exc.message = exc.message.replace(display_url(probe), display_url(url), 1)
        exc.args = (exc.message,)
        raise
    finally:
        engine.dispose()
    return _server_version(engine.dialect)


def resolve_database(
    db: str | None, connection: str | None, env: Mapping[str, str] | None = None
) -> URL:
    """The database a command uses: ``--db``, else ``--connection``, else ``DATABASE_URL``,
    else the config's ``[connections] default``; a ``UsageError`` naming all of them otherwise.
    """
    env = os.environ if env is None else env
    if db and connection:
        raise UsageError(
            "Give either --db or --connection, not both.",
            hint="--db takes a URL or a SQLite file; --connection takes a saved name.",
        )
    if db:
        return normalize_url(db)
    if connection:
        return _named_url(connection, env)
    if env.get("DATABASE_URL", "").strip():
        return normalize_url(env["DATABASE_URL"])
    default = load_settings(env=env).connections.default
    if default:
        return _default_url(default, env)
    raise UsageError(
        "No database given: pass --db URL or --connection NAME, or set DATABASE_URL.",
        hint="Save a connection with: querynl connect add NAME",
    )


def key_location(env: Mapping[str, str] | None = None) -> str:
    """Where new passwords' key is kept, in words ("the OS keyring ..." or the key file)."""
    env = os.environ if env is None else env
    return _describe_store(_preferred_store(env), env)


def connections_path(env: Mapping[str, str] | None = None) -> Path:
    """The ``connections.json`` file (it need not exist)."""
    return config_dir(env) / CONNECTIONS_FILE


def key_file_path(env: Mapping[str, str] | None = None) -> Path:
    """The key file used when no OS keyring is available."""
    return config_dir(env) / KEY_FILE


# ---------------------------------------------------------------------------------------------
# URLs and entries
# ---------------------------------------------------------------------------------------------


def _check_name(name: str) -> None:
    if not _NAME.match(name or ""):
        raise UsageError(
            f"Invalid connection name {name!r}.",
            hint="Use up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        )


def _to_url(value: str | URL | Mapping[str, Any]) -> URL:
    if isinstance(value, URL):
        url = value
    elif isinstance(value, str):
        url = normalize_url(value)
    else:
        url = _url_from_fields(value)
    if url.password:
        register_secret(str(url.password))
    _check_url(url)
    return url


def _url_from_fields(fields: Mapping[str, Any]) -> URL:
    kind = str(fields.get("type") or "").lower()
    if kind not in TYPES and kind != "postgres":
        raise UsageError(
            f"Unknown database type {kind!r}." + did_you_mean(kind, TYPES),
            hint=f"Use one of: {', '.join(TYPES)}.",
        )
    if kind == "sqlite":
        return normalize_url(str(fields.get("database") or ""))
    base = normalize_url(f"{kind}://")
    return URL.create(
        base.drivername,
        username=fields.get("user") or None,
        password=fields.get("password") or None,
        host=fields.get("host") or None,
        port=_port(fields.get("port")),
        database=fields.get("database") or None,
        query=dict(fields.get("options") or {}),
    )


def _port(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        port = int(str(value))
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise UsageError(f"Invalid port {value!r}: use a number from 1 to 65535.")
    return port


def _check_url(url: URL) -> None:
    backend = url.get_backend_name()
    if backend not in TYPES:
        raise UsageError(f"Unsupported database type {backend!r}; use one of: {', '.join(TYPES)}.")
    if backend == "sqlite" and not url.database:
        raise UsageError("A SQLite connection needs a database file path.")
    if backend != "sqlite" and not url.host:
        raise UsageError(f"A {backend} connection needs a host.")
    for key in url.query:
        if _SECRET_OPTION.search(key):
            raise UsageError(
                f"URL option {key!r} looks like a secret, and options are stored unencrypted.",
                hint="Give the password as the password, or set the option outside QueryNL.",
            )


def _entry_from_url(url: URL) -> dict[str, Any]:
    backend = url.get_backend_name()
    database = url.database
    if backend == "sqlite" and database and database != ":memory:":
        database = str(Path(database).expanduser().resolve())
    return {
        "type": backend,
        "driver": url.drivername,
        "host": url.host,
        "port": url.port,
        "database": database,
        "user": url.username,
        "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in url.query.items()},
        "password": None,
    }


def _url_from_entry(entry: Mapping[str, Any], password: str | None) -> URL:
    return URL.create(
        entry.get("driver") or normalize_url(f"{entry['type']}://").drivername,
        username=entry.get("user"),
        password=password,
        host=entry.get("host"),
        port=entry.get("port"),
        database=entry.get("database"),
        query={k: (tuple(v) if isinstance(v, list) else v) for k, v in _options(entry).items()},
    )


def _options(entry: Mapping[str, Any]) -> dict[str, Any]:
    return dict(entry.get("options") or {})


def _saved(name: str, entry: Mapping[str, Any]) -> SavedConnection:
    return SavedConnection(
        name=name,
        type=entry["type"],
        host=entry.get("host"),
        port=entry.get("port") or DEFAULT_PORTS.get(entry["type"]),
        database=entry.get("database"),
        user=entry.get("user"),
        options=_options(entry),
        has_password=bool(entry.get("password")),
    )


def _lookup(store: Mapping[str, Any], name: str) -> dict[str, Any]:
    entries = store["connections"]
    if name not in entries:
        raise ConfigError(
            f"No saved connection named {name!r}." + did_you_mean(name, entries),
            hint="List them with: querynl connect list",
        )
    return entries[name]


def _named_url(name: str, env: Mapping[str, str]) -> URL:
    if "://" in name:
        shown = display_url(normalize_url(name))
        raise UsageError(
            f"--connection takes a saved connection name, not a URL ({shown}).",
            hint="Pass a URL with --db.",
        )
    return get_connection_url(name, env)


def _default_url(name: str, env: Mapping[str, str]) -> URL:
    saved = _load(env)["connections"]
    if name not in saved:
        raise ConfigError(
            f"The default connection {name!r} in {load_settings(env=env).config_file} "
            "is not saved." + did_you_mean(name, saved),
            hint=f"Save it with: querynl connect add {name}, or change [connections] default.",
        )
    return get_connection_url(name, env)


def _check_sqlite_file(url: URL) -> None:
    path = url.database
    if path and path != ":memory:" and not Path(path).is_file():
        raise ConnectionFailed(
            f"The SQLite database file {path} does not exist.",
            hint="Check the path, or create the database first.",
        )


def _server_version(dialect: Any) -> str:
    if dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    info = dialect.server_version_info or ()
    numbers = ".".join(str(part) for part in info if isinstance(part, int))
    if dialect.name == "postgresql":
        product = "PostgreSQL"
    else:
        product = "MariaDB" if getattr(dialect, "is_mariadb", False) else "MySQL"
    return f"{product} {numbers}".strip()


# ---------------------------------------------------------------------------------------------
# The connections file
# ---------------------------------------------------------------------------------------------


def _load(env: Mapping[str, str]) -> dict[str, Any]:
    path = connections_path(env)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": 1, "connections": {}}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"Cannot read {path}, line {exc.lineno}: {exc.msg}.",
            hint="Fix the JSON, or move the file away and add the connections again.",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("connections"), dict):
        raise ConfigError(f"{path} is not a QueryNL connections file.")
    return data


def _save(store: Mapping[str, Any], env: Mapping[str, str]) -> None:
    path = connections_path(env)
    _ensure_folder(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(store, out, indent=2, sort_keys=True)
        out.write("\n")
    os.replace(tmp, path)


def _ensure_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)


# ---------------------------------------------------------------------------------------------
# Encryption
# ---------------------------------------------------------------------------------------------


def _encrypt(name: str, password: str, env: Mapping[str, str]) -> dict[str, str]:
    store, key = _current_key(env)
    nonce = os.urandom(12)
    data = AESGCM(key).encrypt(nonce, password.encode("utf-8"), name.encode("utf-8"))
    return {
        "alg": "AES-256-GCM",
        "key_store": store,
        "key_id": _key_id(key),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "data": base64.b64encode(data).decode("ascii"),
    }


def _current_key(env: Mapping[str, str]) -> tuple[str, bytes]:
    """The store and key for new secrets; a keyring that fails to write falls back to the file."""
    store = _preferred_store(env)
    try:
        return store, _load_key(store, env) or _create_key(store, env)
    except _KeyringFailure as exc:
        log.warning("The OS keyring failed (%s); using the key file instead.", exc)
        return "file", _load_key("file", env) or _create_key("file", env)


def _decrypt(name: str, blob: Mapping[str, str], env: Mapping[str, str]) -> str:
    if not isinstance(blob, Mapping):
        raise _decrypt_error(name, "the stored password is damaged")
    store = blob.get("key_store", "file")
    place = _describe_store(store, env)
    if store == "keyring" and not _keyring_usable(env):
        raise _decrypt_error(name, f"its key is in {place}, which is not available here")
    key = _load_key(store, env)
    if key is None:
        raise _decrypt_error(name, f"there is no key in {place}")
    key_id = blob.get("key_id")
    if key_id and key_id != _key_id(key):
        raise _decrypt_error(name, f"the key in {place} does not match")
    try:
        nonce = base64.b64decode(blob["nonce"], validate=True)
        data = base64.b64decode(blob["data"], validate=True)
        return AESGCM(key).decrypt(nonce, data, name.encode("utf-8")).decode("utf-8")
    except (InvalidTag, KeyError, ValueError, TypeError):
        if key_id:  # the right key, so the blob itself was changed or copied from elsewhere
            reason = "the stored password is damaged or belongs to another connection"
        else:
            reason = f"the key in {place} does not match"
        raise _decrypt_error(name, reason) from None


def _decrypt_error(name: str, reason: str) -> ConfigError:
    return ConfigError(
        f"Cannot decrypt the password of connection {name!r}: {reason}; re-add the connection.",
        hint=f"querynl connect add {name} --replace",
    )


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"querynl-key-id" + key).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Key stores: the OS keyring, or a 0600 key file
# ---------------------------------------------------------------------------------------------


def _preferred_store(env: Mapping[str, str]) -> str:
    return "keyring" if _keyring_usable(env) else "file"


def _keyring_usable(env: Mapping[str, str]) -> bool:
    """A real keyring backend is there and ``QUERYNL_KEYRING`` does not say no."""
    if env.get(KEYRING_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return False
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring install must not stop QueryNL
        return False
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return False
    # keyrings.alt stores secrets in plain files: no better than our own 0600 file
    return not type(backend).__module__.startswith("keyrings.alt")


def _describe_store(store: str, env: Mapping[str, str]) -> str:
    if store == "keyring":
        return f"the OS keyring (service {KEYRING_SERVICE!r}, entry {KEYRING_ENTRY!r})"
    return f"the key file {key_file_path(env)}"


def _load_key(store: str, env: Mapping[str, str]) -> bytes | None:
    if store == "keyring":
        return _decode_key(_keyring_get(), _describe_store(store, env))
    path = key_file_path(env)
    if not path.exists():
        return None
    _check_key_file(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the key file {path}: {exc}") from None
    return _decode_key(text, f"the key file {path}")


def _create_key(store: str, env: Mapping[str, str]) -> bytes:
    key = AESGCM.generate_key(bit_length=256)
    text = base64.b64encode(key).decode("ascii")
    if store == "keyring":
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, text)
        except Exception as exc:  # any backend error: the caller falls back to the file
            raise _KeyringFailure(str(exc)) from None
        return key
    path = key_file_path(env)
    _ensure_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(text + "\n")
    return key


class _KeyringFailure(ConfigError):
    """The OS keyring backend raised an error."""


def _keyring_get() -> str | None:
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
    except Exception as exc:  # backends raise their own error types (D-Bus, Secret Service...)
        raise _KeyringFailure(f"Cannot read the key from the OS keyring: {exc}") from None


def _decode_key(text: str | None, place: str) -> bytes | None:
    if text is None:
        return None
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ConfigError(
            f"The key in {place} is damaged (not a 256-bit key).",
            hint="Remove it and add the connections again.",
        )
    return key


def _check_key_file(path: Path) -> None:
    """Refuse a key file others can read; tighten one only the group can read."""
    if os.name == "nt":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        raise ConfigError(
            f"The key file {path} can be read or changed by every user (mode {mode:04o}); "
            "refusing to use it.",
            hint=f"Run: chmod 600 {path} (and re-add the connections if others may have read it).",
        )
    if mode & 0o077:
        os.chmod(path, 0o600)
        log.warning("Tightened the permissions of %s from %04o to 0600.", path, mode)
