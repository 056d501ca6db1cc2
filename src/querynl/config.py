"""Settings: the shipped defaults (``data/config.toml``) with the user's ``config.toml`` over them.

The user file lives in ``platformdirs.user_config_dir("querynl")`` (``~/.config/querynl`` on
Linux); the environment variable ``QUERYNL_CONFIG_DIR`` names another folder. The result is one
frozen ``Settings`` object:

>>> load_settings().data.confirm_over
1000
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError, did_you_mean
from .folders import user_folder
from .redact import register_secret

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_DIR_ENV = "QUERYNL_CONFIG_DIR"
CONFIG_FILE = "config.toml"
HISTORY_FILE = "history"
LOG_FILE = "querynl.log"
_DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class DataSettings(_Section):
    """How data requests run."""

    confirm_over: int = Field(default=1000, ge=0)
    batch_size: int = Field(default=10000, ge=1)
    locale: str = Field(default="en_US", min_length=2)
    seed: int | None = None


class LLMSettings(_Section):
    """Which model, if any, refines plans. ``api_key`` is never shown in its repr."""

    provider: Literal["none", "openai", "anthropic"] = "none"
    model: str | None = None
    base_url: str | None = None
    timeout: float = Field(default=60.0, gt=0)
    api_key_env: str | None = None
    api_key: str | None = Field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        """True when a provider is chosen and a key was found."""
        return self.provider != "none" and bool(self.api_key)


class ReplSettings(_Section):
    """The interactive shell."""

    history_file: Path
    log_file: Path


class ConnectionSettings(_Section):
    """Saved connections; ``default`` is used when no database is named."""

    default: str | None = None


class Settings(_Section):
    """Every setting, after the user file was merged over the defaults."""

    data: DataSettings = DataSettings()
    llm: LLMSettings = LLMSettings()
    repl: ReplSettings
    connections: ConnectionSettings = ConnectionSettings()
    config_dir: Path
    config_file: Path


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """The QueryNL config folder: ``$QUERYNL_CONFIG_DIR`` or the platform's user config dir."""
    return user_folder("config", CONFIG_DIR_ENV, env)


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the user's ``config.toml`` is (it need not exist)."""
    return config_dir(env) / CONFIG_FILE


def default_config_text() -> str:
    """The commented default configuration shipped with the package."""
    return (resources.files("querynl") / "data" / CONFIG_FILE).read_text(encoding="utf-8")


def load_settings(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the defaults, merge the user file (when it exists) over them, and validate.

    A file that cannot be read or holds a wrong setting raises ``ConfigError`` naming the file
    and the line. API keys found are registered with ``redact``.
    """
    env = os.environ if env is None else env
    folder = config_dir(env)
    file = Path(path) if path is not None else folder / CONFIG_FILE
    raw = _merge(tomllib.loads(default_config_text()), _read_user_file(file))
    raw = _normalize(raw, folder, env)
    try:
        settings = Settings.model_validate({**raw, "config_dir": folder, "config_file": file})
    except ValidationError as exc:
        raise _validation_error(exc, file) from None
    register_secret(settings.llm.api_key)
    return settings


def _read_user_file(file: Path) -> dict[str, Any]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the config file {file}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"Cannot read the config file {file}: {exc}",
            hint="Fix the TOML syntax at that line; the shipped defaults show the format.",
        ) from None
    _check_known_keys(data, file, text)
    return data


def _check_known_keys(data: dict[str, Any], file: Path, text: str) -> None:
    sections: dict[str, type[BaseModel]] = {
        "data": DataSettings,
        "llm": LLMSettings,
        "repl": ReplSettings,
        "connections": ConnectionSettings,
    }
    for name, value in data.items():
        if name not in sections:
            line = _find_line(text, None, name)
            raise ConfigError(
                f"{file}, line {line}: unknown section or setting {name!r}."
                + did_you_mean(name, sections),
                hint=f"Known sections: {', '.join(sections)}.",
            )
        if not isinstance(value, dict):
            line = _find_line(text, None, name)
            raise ConfigError(f"{file}, line {line}: {name!r} must be a section, [{name}].")
        known = sections[name].model_fields
        for key in value:
            if key not in known:
                line = _find_line(text, name, key)
                raise ConfigError(
                    f"{file}, line {line}: unknown setting {key!r} in [{name}]."
                    + did_you_mean(key, known),
                    hint=f"Settings of [{name}]: {', '.join(known)}.",
                )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _normalize(raw: dict[str, Any], folder: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """Empty strings mean "not set"; paths expand; the API key comes from the environment."""
    llm = {k: (None if v == "" else v) for k, v in raw.get("llm", {}).items()}
    provider = llm.get("provider")
    key_env = llm.get("api_key_env") or _DEFAULT_KEY_ENV.get(str(provider))
    if key_env and env.get(key_env):
        llm["api_key"] = env[key_env]
    repl = dict(raw.get("repl", {}))
    repl["history_file"] = _file_path(repl.get("history_file"), folder, HISTORY_FILE)
    repl["log_file"] = _file_path(repl.get("log_file"), folder, LOG_FILE)
    connections = {k: (None if v == "" else v) for k, v in raw.get("connections", {}).items()}
    return {**raw, "llm": llm, "repl": repl, "connections": connections}


def _file_path(value: object, folder: Path, default: str) -> object:
    if value in (None, ""):
        return folder / default
    if not isinstance(value, str):
        return value  # validation reports the wrong type
    path = Path(value).expanduser()
    return path if path.is_absolute() else folder / path


def _validation_error(exc: ValidationError, file: Path) -> ConfigError:
    first = exc.errors()[0]
    loc = [str(part) for part in first["loc"]]
    section, key = (loc[0], loc[1]) if len(loc) > 1 else (None, loc[0])
    text = file.read_text(encoding="utf-8") if file.is_file() else ""
    line = _find_line(text, section, key)
    where = f"{file}, line {line}" if line else str(file)
    name = f"{section}.{key}" if section else key
    got = first.get("input")
    return ConfigError(
        f"{where}: {name}: {first['msg']} (got {got!r}).",
        hint="See the shipped defaults for the allowed values.",
    )


def _find_line(text: str, section: str | None, key: str) -> int | None:
    """The 1-based line where ``key`` is set inside ``[section]`` (or the top level)."""
    current: str | None = None
    key_pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        if header:
            current = header.group(1).strip().strip("\"'")
            if section is None and current == key:
                return number
            continue
        if current == section and key_pattern.match(line):
            return number
    return None
