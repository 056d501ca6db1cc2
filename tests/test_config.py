"""Settings: shipped defaults, the user file merged over them, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pydantic
import pytest

from querynl import config
from querynl.config import load_settings
from querynl.errors import ConfigError
from querynl.redact import redact


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder; the real ~/.config is never read or written."""
    folder = tmp_path / "config"
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(folder))
    monkeypatch.setenv("QUERYNL_KEYRING", "0")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("DATABASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "MY_LLM_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_user_file(config_home: Path) -> None:
    settings = load_settings()
    assert settings.data.confirm_over == 1000
    assert settings.data.batch_size == 10000
    assert settings.data.locale == "en_US"
    assert settings.data.seed is None
    assert settings.llm.provider == "none"
    assert settings.llm.model is None and settings.llm.base_url is None
    assert settings.llm.timeout == 60
    assert settings.llm.api_key is None and not settings.llm.enabled
    assert settings.repl.history_file == config_home / "history"
    assert settings.connections.default is None
    assert settings.config_file == config_home / "config.toml"
    assert not config_home.exists(), "loading settings must not create files"


def test_shipped_file_documents_every_setting() -> None:
    text = config.default_config_text()
    sections = {
        "data": config.DataSettings,
        "llm": config.LLMSettings,
        "repl": config.ReplSettings,
        "connections": config.ConnectionSettings,
    }
    for section, model in sections.items():
        assert f"[{section}]" in text
        for key in model.model_fields:
            assert f"{key} =" in text, f"{section}.{key} is not in the shipped config.toml"


def test_user_settings_merge_over_defaults(config_home: Path) -> None:
    write_config(config_home, '[data]\nbatch_size = 500\nseed = 42\n\n[llm]\nmodel = "gpt-x"\n')
    settings = load_settings()
    assert settings.data.batch_size == 500
    assert settings.data.seed == 42
    assert settings.data.confirm_over == 1000  # untouched keys keep the default
    assert settings.llm.model == "gpt-x"
    assert settings.llm.provider == "none"


def test_config_dir_override_and_platform_default(config_home: Path) -> None:
    assert config.config_dir() == config_home
    assert config.config_path() == config_home / "config.toml"
    expected = Path(platformdirs.user_config_dir("querynl", appauthor=False))
    assert config.config_dir({}) == expected


def test_explicit_path(tmp_path: Path) -> None:
    path = write_config(tmp_path / "elsewhere", "[data]\nconfirm_over = 5\n")
    assert load_settings(path).data.confirm_over == 5


def test_settings_are_frozen() -> None:
    settings = load_settings()
    with pytest.raises(pydantic.ValidationError):
        settings.data.batch_size = 1  # type: ignore[misc]


def test_broken_toml_names_file_and_line(config_home: Path) -> None:
    path = write_config(config_home, "[data]\nbatch_size = 5\n[llm\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(f"Cannot read the config file {path}: ")
    assert "line 3" in str(info.value)


def test_wrong_type_names_file_line_and_setting(config_home: Path) -> None:
    path = write_config(config_home, '# mine\n[data]\nlocale = "de_DE"\nbatch_size = "lots"\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == (
        f"{path}, line 4: data.batch_size: Input should be a valid integer (got 'lots')."
    )


def test_out_of_range_value(config_home: Path) -> None:
    path = write_config(config_home, "[data]\nconfirm_over = -1\n")
    with pytest.raises(ConfigError, match=rf"^{path}, line 2: data.confirm_over: "):
        load_settings()


def test_unknown_provider(config_home: Path) -> None:
    write_config(config_home, '[llm]\nprovider = "gemini"\n')
    with pytest.raises(ConfigError, match=r"line 2: llm.provider: Input should be 'none'"):
        load_settings()


def test_unknown_setting_gets_did_you_mean(config_home: Path) -> None:
    path = write_config(config_home, "[data]\n\nbatch_sise = 5\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == (
        f"{path}, line 3: unknown setting 'batch_sise' in [data]. Did you mean 'batch_size'?"
    )


def test_unknown_section_gets_did_you_mean(config_home: Path) -> None:
    path = write_config(config_home, "[dta]\nseed = 1\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == (
        f"{path}, line 1: unknown section or setting 'dta'. Did you mean 'data'?"
    )


def test_api_key_from_the_provider_env_var_is_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-4f9a8b7c6d")
    write_config(config.config_dir(), '[llm]\nprovider = "openai"\n')
    settings = load_settings()
    assert settings.llm.api_key == "sk-test-4f9a8b7c6d"
    assert settings.llm.enabled
    assert "sk-test-4f9a8b7c6d" not in repr(settings)
    assert redact("key sk-test-4f9a8b7c6d used") == "key *** used"


def test_api_key_env_names_another_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_LLM_KEY", "anthropic-key-123456")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "not-this-one")
    write_config(config.config_dir(), '[llm]\nprovider = "anthropic"\napi_key_env = "MY_LLM_KEY"\n')
    settings = load_settings()
    assert settings.llm.api_key == "anthropic-key-123456"
    assert redact("anthropic-key-123456") == "***"


def test_api_key_in_the_file_is_masked(config_home: Path) -> None:
    write_config(config_home, '[llm]\nprovider = "openai"\napi_key = "file-key-987654"\n')
    settings = load_settings()
    assert settings.llm.api_key == "file-key-987654"
    assert "file-key-987654" not in repr(settings)
    assert redact("file-key-987654") == "***"


def test_no_key_without_a_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-unused-123456")
    assert load_settings().llm.api_key is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("hist.txt", "{config}/hist.txt"), ("/var/tmp/qnl-history", "/var/tmp/qnl-history")],
)
def test_history_file(config_home: Path, value: str, expected: str) -> None:
    write_config(config_home, f'[repl]\nhistory_file = "{value}"\n')
    history = load_settings().repl.history_file
    assert history == Path(expected.format(config=config_home))


def test_history_file_expands_home(config_home: Path) -> None:
    write_config(config_home, '[repl]\nhistory_file = "~/.qnl_history"\n')
    assert load_settings().repl.history_file == Path("~/.qnl_history").expanduser()


def test_default_connection_setting(config_home: Path) -> None:
    write_config(config_home, '[connections]\ndefault = "shop"\n')
    assert load_settings().connections.default == "shop"
