"""Saved connections: encryption at rest, key stores, resolution order and real connections."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import keyring
import pytest
import sqlalchemy as sa
from keyring.backend import KeyringBackend
from keyring.backends import fail

from querynl import connections as conns
from querynl.errors import ConfigError, ConnectionFailed, UsageError
from querynl.redact import redact

PASSWORD = "Qnl-Pa55/wörd@42"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
MARIADB_URL = "mysql://root@127.0.0.1:3306/test"


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder and the key file instead of the OS keyring."""
    folder = tmp_path / "config"
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(folder))
    monkeypatch.setenv("QUERYNL_KEYRING", "0")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


class MemoryKeyring(KeyringBackend):
    """An in-process keyring backend, standing in for the OS keyring."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("QUERYNL_KEYRING")
    yield backend
    keyring.set_keyring(previous)


def leak_forms(secret: str) -> list[bytes]:
    """The password as clear text, URL-encoded, hex, and base64 at every alignment."""
    raw = secret.encode("utf-8")
    forms = [raw, quote(secret, safe="").encode(), quote_plus(secret).encode(), raw.hex().encode()]
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw)[4 if pad else 0 : -4]
        forms.append(encoded)
        forms.append(encoded.replace(b"+", b"-").replace(b"/", b"_"))
    return forms


def assert_no_secret(data: bytes, secret: str = PASSWORD) -> None:
    for form in leak_forms(secret):
        assert form not in data, f"the password appears as {form!r}"


# ---------------------------------------------------------------------------------------------
# Storage and encryption
# ---------------------------------------------------------------------------------------------


def test_add_and_read_back(config_home: Path) -> None:
    saved = conns.add_connection("shop", f"postgresql://alice:{quote(PASSWORD)}@db.local/shop")
    assert saved == conns.SavedConnection(
        name="shop",
        type="postgresql",
        host="db.local",
        port=5432,
        database="shop",
        user="alice",
        options={},
        has_password=True,
    )
    url = conns.get_connection_url("shop")
    assert url.password == PASSWORD
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database, url.username) == ("db.local", None, "shop", "alice")
    assert redact(f"login {PASSWORD} failed") == "login *** failed"


def test_add_from_fields_with_options(config_home: Path) -> None:
    fields = {
        "type": "mariadb",
        "host": "10.0.0.5",
        "port": "3307",
        "database": "crm",
        "user": "bob",
        "password": PASSWORD,
        "options": {"charset": "utf8mb4"},
    }
    conns.add_connection("crm", fields)
    [saved] = conns.list_connections()
    assert (saved.type, saved.port, saved.options) == ("mariadb", 3307, {"charset": "utf8mb4"})
    url = conns.get_connection_url("crm")
    assert url.drivername == "mariadb+pymysql"
    assert dict(url.query) == {"charset": "utf8mb4"}
    assert url.password == PASSWORD


def test_password_argument_wins(config_home: Path) -> None:
    conns.add_connection("a", "postgresql://u:old-one@h/db", password=PASSWORD)
    assert conns.get_connection_url("a").password == PASSWORD


def test_files_never_hold_the_password(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    conns.add_connection("shop2", f"mysql://bob:{quote(PASSWORD)}@db/shop")
    files = sorted(p.name for p in config_home.iterdir())
    assert files == ["connections.json", "key"]
    for path in config_home.iterdir():
        assert_no_secret(path.read_bytes())
    stored = json.loads((config_home / "connections.json").read_text())
    entry = stored["connections"]["shop"]
    assert set(entry) == {
        "type",
        "driver",
        "host",
        "port",
        "database",
        "user",
        "options",
        "password",
    }
    assert entry["password"]["alg"] == "AES-256-GCM"
    assert len(base64.b64decode(entry["password"]["nonce"])) == 12


def test_permissions(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    assert stat.S_IMODE(config_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((config_home / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE((config_home / "connections.json").stat().st_mode) == 0o600
    key = base64.b64decode((config_home / "key").read_text())
    assert len(key) == 32


def test_fresh_nonce_per_secret(config_home: Path) -> None:
    conns.add_connection("a", "postgresql://u@h/db", password=PASSWORD)
    conns.add_connection("b", "postgresql://u@h/db", password=PASSWORD)
    stored = json.loads((config_home / "connections.json").read_text())["connections"]
    assert stored["a"]["password"]["nonce"] != stored["b"]["password"]["nonce"]
    assert stored["a"]["password"]["data"] != stored["b"]["password"]["data"]


def test_list_has_no_secret(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    listed = conns.list_connections()
    assert [c.name for c in listed] == ["shop"]
    assert PASSWORD not in repr(listed) and PASSWORD not in json.dumps(listed[0].as_dict())


def rewrite_store(config_home: Path, change) -> None:
    path = config_home / "connections.json"
    data = json.loads(path.read_text())
    change(data["connections"])
    path.write_text(json.dumps(data))


def test_wrong_key_fails_clearly(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    key_file = config_home / "key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    with pytest.raises(ConfigError) as info:
        conns.get_connection_url("shop")
    assert str(info.value) == (
        "Cannot decrypt the password of connection 'shop': the key in the key file "
        f"{key_file} does not match; re-add the connection."
    )
    assert info.value.hint == "querynl connect add shop --replace"


def test_wrong_key_without_key_id_fails_clearly(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    rewrite_store(config_home, lambda c: c["shop"]["password"].pop("key_id"))
    (config_home / "key").write_text(base64.b64encode(os.urandom(32)).decode())
    with pytest.raises(ConfigError, match="the key in the key file .* does not match"):
        conns.get_connection_url("shop")


def test_missing_key_file(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    (config_home / "key").unlink()
    with pytest.raises(ConfigError) as info:
        conns.get_connection_url("shop")
    assert str(info.value) == (
        "Cannot decrypt the password of connection 'shop': there is no key in the key file "
        f"{config_home / 'key'}; re-add the connection."
    )


def test_tampered_blob_fails_clearly(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)

    def flip(entries: dict) -> None:
        data = bytearray(base64.b64decode(entries["shop"]["password"]["data"]))
        data[0] ^= 1
        entries["shop"]["password"]["data"] = base64.b64encode(bytes(data)).decode()

    rewrite_store(config_home, flip)
    with pytest.raises(ConfigError) as info:
        conns.get_connection_url("shop")
    assert str(info.value) == (
        "Cannot decrypt the password of connection 'shop': the stored password is damaged "
        "or belongs to another connection; re-add the connection."
    )


def test_blob_is_bound_to_its_name(config_home: Path) -> None:
    conns.add_connection("a", "postgresql://u@h/db", password=PASSWORD)
    conns.add_connection("b", "postgresql://u@h/db", password="other-password")
    rewrite_store(config_home, lambda c: c["b"].update(password=c["a"]["password"]))
    with pytest.raises(ConfigError, match="connection 'b': the stored password is damaged"):
        conns.get_connection_url("b")


def test_damaged_blob(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    rewrite_store(config_home, lambda c: c["shop"].update(password="garbage"))
    with pytest.raises(ConfigError, match="connection 'shop': the stored password is damaged"):
        conns.get_connection_url("shop")


def test_damaged_key_file(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    (config_home / "key").write_text("not a key")
    with pytest.raises(ConfigError, match=r"The key in the key file .* is damaged"):
        conns.get_connection_url("shop")


def test_world_readable_key_file_is_refused(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    key_file = config_home / "key"
    key_file.chmod(0o644)
    with pytest.raises(ConfigError) as info:
        conns.get_connection_url("shop")
    assert str(info.value) == (
        f"The key file {key_file} can be read or changed by every user (mode 0644); "
        "refusing to use it."
    )
    assert info.value.hint is not None and f"chmod 600 {key_file}" in info.value.hint


def test_group_readable_key_file_is_tightened(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    key_file = config_home / "key"
    key_file.chmod(0o640)
    assert conns.get_connection_url("shop").password == PASSWORD
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_connection_without_password(config_home: Path) -> None:
    saved = conns.add_connection("local", PG_URL)
    assert not saved.has_password
    assert not (config_home / "key").exists()
    assert conns.get_connection_url("local").password is None


# ---------------------------------------------------------------------------------------------
# Key stores
# ---------------------------------------------------------------------------------------------


def test_key_in_the_os_keyring(config_home: Path, memory_keyring: MemoryKeyring) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    assert not (config_home / "key").exists()
    assert list(memory_keyring.entries) == [("querynl", "connections-key")]
    assert conns.get_connection_url("shop").password == PASSWORD
    assert conns.key_location().startswith("the OS keyring")
    assert_no_secret((config_home / "connections.json").read_bytes())


def test_keyring_blob_without_keyring(
    config_home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    monkeypatch.setenv("QUERYNL_KEYRING", "0")
    with pytest.raises(ConfigError) as info:
        conns.get_connection_url("shop")
    assert str(info.value) == (
        "Cannot decrypt the password of connection 'shop': its key is in the OS keyring "
        "(service 'querynl', entry 'connections-key'), which is not available here; "
        "re-add the connection."
    )


def test_keyring_env_forces_the_file(
    config_home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUERYNL_KEYRING", "0")
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    assert memory_keyring.entries == {}
    assert (config_home / "key").exists()


def test_fail_backend_falls_back_to_the_file(
    config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("QUERYNL_KEYRING")
    try:
        conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
        assert conns.get_connection_url("shop").password == PASSWORD
    finally:
        keyring.set_keyring(previous)
    assert (config_home / "key").exists()


def test_broken_keyring_write_falls_back_to_the_file(
    config_home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise keyring.errors.PasswordSetError("locked")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    assert (config_home / "key").exists()
    assert conns.get_connection_url("shop").password == PASSWORD


# ---------------------------------------------------------------------------------------------
# Names and validation
# ---------------------------------------------------------------------------------------------


def test_unknown_name_gets_did_you_mean(config_home: Path) -> None:
    conns.add_connection("production", PG_URL)
    with pytest.raises(ConfigError) as info:
        conns.get_connection_url("prodution")
    assert str(info.value) == "No saved connection named 'prodution'. Did you mean 'production'?"
    with pytest.raises(ConfigError, match="Did you mean 'production'"):
        conns.remove_connection("produciton")


def test_remove(config_home: Path) -> None:
    conns.add_connection("a", PG_URL, password=PASSWORD)
    conns.add_connection("b", PG_URL)
    conns.remove_connection("a")
    assert [c.name for c in conns.list_connections()] == ["b"]
    assert_no_secret((config_home / "connections.json").read_bytes())


def test_duplicate_name_needs_replace(config_home: Path) -> None:
    conns.add_connection("shop", PG_URL)
    with pytest.raises(UsageError, match="A connection named 'shop' already exists."):
        conns.add_connection("shop", MARIADB_URL)
    conns.add_connection("shop", MARIADB_URL, replace=True)
    assert conns.get_connection("shop").type == "mysql"


@pytest.mark.parametrize("name", ["", "has space", "-dash", "a/b", "x" * 65])
def test_invalid_names(name: str) -> None:
    with pytest.raises(UsageError, match="Invalid connection name"):
        conns.add_connection(name, PG_URL)


def test_unknown_type_gets_did_you_mean() -> None:
    with pytest.raises(UsageError, match=r"Unknown database type 'postgre'. Did you mean"):
        conns.add_connection("x", {"type": "postgre", "host": "h"})


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"type": "sqlite"}, "The database URL is empty."),
        ({"type": "postgresql", "database": "db"}, "A postgresql connection needs a host."),
        ({"type": "mysql", "host": "h", "port": "99999"}, "Invalid port '99999'"),
        ("postgresql://u@h/db?sslpassword=abc", "URL option 'sslpassword' looks like a secret"),
        ("oracle://u@h/db", "Unsupported database URL scheme 'oracle'."),
    ],
)
def test_invalid_details(target: object, message: str) -> None:
    with pytest.raises(UsageError) as info:
        conns.add_connection("x", target)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


def test_sqlite_path_is_stored_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    saved = conns.add_connection("blog", "blog.db")
    assert saved.database == str(tmp_path / "blog.db")
    assert conns.get_connection_url("blog").database == str(tmp_path / "blog.db")


# ---------------------------------------------------------------------------------------------
# resolve_database
# ---------------------------------------------------------------------------------------------


def test_resolve_db_url() -> None:
    url = conns.resolve_database("postgres://me@h/db", None, env={})
    assert url.drivername == "postgresql+psycopg"


def test_resolve_connection_name(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop", password=PASSWORD)
    env = {
        "QUERYNL_CONFIG_DIR": str(config_home),
        "QUERYNL_KEYRING": "0",
        "DATABASE_URL": "sqlite:///other.db",
    }
    assert conns.resolve_database(None, "shop", env=env).password == PASSWORD


def test_resolve_database_url_env(config_home: Path) -> None:
    env = {"QUERYNL_CONFIG_DIR": str(config_home), "DATABASE_URL": "mysql://root@h/db"}
    assert conns.resolve_database(None, None, env=env).drivername == "mysql+pymysql"


def test_resolve_default_connection(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop")
    (config_home / "config.toml").write_text('[connections]\ndefault = "shop"\n')
    env = {"QUERYNL_CONFIG_DIR": str(config_home)}
    assert conns.resolve_database(None, None, env=env).host == "db"


def test_resolve_default_connection_not_saved(config_home: Path) -> None:
    conns.add_connection("shop", "postgresql://alice@db/shop")
    (config_home / "config.toml").write_text('[connections]\ndefault = "shopp"\n')
    with pytest.raises(ConfigError) as info:
        conns.resolve_database(None, None, env={"QUERYNL_CONFIG_DIR": str(config_home)})
    assert str(info.value) == (
        f"The default connection 'shopp' in {config_home / 'config.toml'} is not saved. "
        "Did you mean 'shop'?"
    )


def test_resolve_nothing_names_every_way(config_home: Path) -> None:
    with pytest.raises(UsageError) as info:
        conns.resolve_database(None, None, env={"QUERYNL_CONFIG_DIR": str(config_home)})
    assert str(info.value) == (
        "No database given: pass --db URL or --connection NAME, or set DATABASE_URL."
    )


def test_resolve_both_is_an_error() -> None:
    with pytest.raises(UsageError, match="Give either --db or --connection, not both."):
        conns.resolve_database("sqlite:///a.db", "shop", env={})


def test_resolve_url_given_as_connection() -> None:
    with pytest.raises(UsageError) as info:
        conns.resolve_database(None, f"postgresql://u:{quote(PASSWORD)}@h/db", env={})
    assert "--connection takes a saved connection name, not a URL" in str(info.value)
    assert PASSWORD not in str(info.value) and quote(PASSWORD, safe="") not in str(info.value)


# ---------------------------------------------------------------------------------------------
# test_connection against the real databases
# ---------------------------------------------------------------------------------------------


def test_postgresql(config_home: Path) -> None:
    conns.add_connection("pg", PG_URL)
    assert conns.test_connection("pg").startswith("PostgreSQL 15")


def test_mariadb(config_home: Path) -> None:
    conns.add_connection("maria", MARIADB_URL)
    assert conns.test_connection("maria").startswith("MariaDB ")


def test_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "blog.db"
    sqlite3.connect(path).close()
    conns.add_connection("blog", f"sqlite:///{path}")
    assert conns.test_connection("blog") == f"SQLite {sqlite3.sqlite_version}"


def test_sqlite_missing_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    conns.add_connection("blog", str(path))
    with pytest.raises(ConnectionFailed, match=f"The SQLite database file {path} does not exist"):
        conns.test_connection("blog")
    assert not path.exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://postgres@127.0.0.1:1/test", "Connection refused"),
        ("mysql://root@127.0.0.1:1/test", "Connection refused"),
        ("postgresql://postgres@no-such-host.invalid/test", "no-such-host.invalid"),
        ("mysql://root@no-such-host.invalid/test", "no-such-host.invalid"),
    ],
)
def test_unreachable_servers_keep_the_password_out(url: str, reason: str) -> None:
    conns.add_connection("down", url, password=PASSWORD)
    with pytest.raises(ConnectionFailed) as info:
        conns.test_connection("down")
    text = f"{info.value} {info.value.hint}"
    assert text.startswith(f"Cannot connect to {url.split('://')[0]}")
    assert reason in text
    assert "connect_timeout" not in text
    assert_no_secret(text.encode())


@pytest.fixture
def mariadb_user() -> Iterator[str]:
    """A MariaDB user that really needs its password (created here, dropped after)."""
    name = f"qnl_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine("mysql+pymysql://root@127.0.0.1:3306/test")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE USER '{name}'@'%%' IDENTIFIED BY 'right-password-1'")
        conn.exec_driver_sql(f"CREATE USER '{name}'@'localhost' IDENTIFIED BY 'right-password-1'")
        conn.exec_driver_sql(f"GRANT SELECT ON test.* TO '{name}'@'%%', '{name}'@'localhost'")
    yield name
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP USER '{name}'@'%%'")
        conn.exec_driver_sql(f"DROP USER '{name}'@'localhost'")
    engine.dispose()


def test_mariadb_wrong_password(mariadb_user: str) -> None:
    conns.add_connection("maria", f"mysql://{mariadb_user}@127.0.0.1:3306/test", password=PASSWORD)
    with pytest.raises(ConnectionFailed) as info:
        conns.test_connection("maria")
    assert "Access denied" in str(info.value)
    assert_no_secret(f"{info.value} {info.value.hint}".encode())
    conns.add_connection(
        "maria",
        f"mysql://{mariadb_user}@127.0.0.1:3306/test",
        password="right-password-1",
        replace=True,
    )
    assert conns.test_connection("maria").startswith("MariaDB ")
