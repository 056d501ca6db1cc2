"""Keep secrets out of every message, log line and rendered URL.

Every password or API key the process learns is registered here; ``redact`` replaces each one
(and the password part of any URL) in a piece of text. The CLI installs ``RedactingFilter`` on
the root logger, so nothing logged can carry a secret either.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Mapping
from urllib.parse import quote, quote_plus, unquote

MASK = "***"
_lock = threading.Lock()
_secrets: set[str] = set()
# scheme://user:password@host  ->  scheme://user:***@host
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][\w+.-]*://[^:/@\s]*:)(?P<pw>[^@\s]+)(?P<tail>@)")
_KEY_VALUE = re.compile(
    r"(?i)\b(?P<key>password|passwd|pwd|api[_-]?key|secret|token)=(?P<v>[^\s&;'\"]+)"
)


def register_secret(value: str | None) -> None:
    """Remember a secret so that ``redact`` masks it wherever it appears."""
    if not value or len(value) < 3:
        # very short values would mask ordinary words; URL and key=value masking still apply
        return
    with _lock:
        _secrets.add(value)
        _secrets.add(quote(value, safe=""))
        _secrets.add(quote_plus(value))


# Environment variables whose values are secrets by their name (API keys of any provider,
# tokens, the drivers' own password variables). Values shorter than 8 characters are flags
# ("true", "1"), not secrets: masking them would mask ordinary words.
_SECRET_ENV = re.compile(r"(?i)(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|_PWD)$")
_MIN_ENV_SECRET = 8


def register_environment_secrets(env: Mapping[str, str] | None = None) -> None:
    """Register the secrets the environment holds: every variable named like a key, token or
    password, and the password of ``DATABASE_URL``. The CLI calls this once at start, so a key
    is masked even on a path that never asked for it."""
    env = os.environ if env is None else env
    for name, value in env.items():
        if _SECRET_ENV.search(name) and len(value) >= _MIN_ENV_SECRET:
            register_secret(value)
    for match in _URL_PASSWORD.finditer(env.get("DATABASE_URL", "")):
        register_secret(unquote(match["pw"]))
        register_secret(match["pw"])


def redact(text: str) -> str:
    """Return ``text`` with every known secret and every URL password masked."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: m["head"] + MASK + m["tail"], text)
    text = _KEY_VALUE.sub(lambda m: f"{m['key']}={MASK}", text)
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the final message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """A formatter that masks secrets in the whole formatted record, traceback included (the
    filter sees only the message; an exception's text reaches the log through the trace)."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and isinstance(record.exc_info[1], KeyboardInterrupt):
            # Ctrl+C is said by the command's own message (rolled back, or committed), never
            # as a trace: a library that logs it on its way out (a pool closing a connection)
            # keeps its line, without the traceback
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return redact(super().format(record))
