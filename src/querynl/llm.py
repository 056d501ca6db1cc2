"""The LLM planner: an optional model refines the offline plan, and can never break anything.

Providers: OpenAI and any OpenAI-compatible server (Ollama, vLLM, LM Studio through
``base_url``) through the official ``openai`` SDK, and Anthropic through the official
``anthropic`` SDK (extras ``querynl[openai]``, ``querynl[anthropic]``). The model gets a compact
schema summary, the generator catalogue and the request, and answers through the provider's
structured-output feature (OpenAI: ``response_format`` with a JSON schema; Anthropic: a tool
whose ``input_schema`` is that schema). It never returns SQL.

The answer is validated by :mod:`plan_proposal`; what survives refines the offline request,
the offline planner builds the plan (so every constraint rule applies), and the column choices
are laid over it. When the call fails, times out or answers nonsense, the offline plan is used
and a one-line note says why. The API key is registered with ``redact`` as soon as it is read,
so it cannot reach any output or log.

When it runs: only when a provider is configured (config file or ``--llm``), and then when the
offline parser left words unread or the user asked for it with ``--llm``. Never silently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from .errors import QueryNLError, UsageError
from .models import DataGenerationPlan, LLMUsage, SchemaMetadata, TestDataRequest
from .redact import redact, register_secret

Provider = Literal["openai", "anthropic"]
PROVIDERS: tuple[str, ...] = ("openai", "anthropic")
DEFAULT_MODELS: dict[str, str] = {"openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-latest"}
KEY_ENV: dict[str, str] = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
EXTRAS: dict[str, str] = {"openai": "openai", "anthropic": "anthropic"}
MAX_RETRIES = 1  # one retry on 429/5xx/timeouts; a refinement is not worth a long wait
MAX_TOKENS = 4096
TOOL_NAME = "propose_plan"


class LLMFailed(Exception):
    """The model could not be asked, or its answer was unusable. ``message`` is one line.

    Never reaches the user as an error: the offline plan runs instead, with a note.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LLMConfig:
    """A resolved provider choice. ``api_key`` never shows in the repr."""

    provider: Provider
    model: str
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    timeout: float = 60.0
    forced: bool = False  # --llm on the command line: ask even when the parser read everything

    @property
    def label(self) -> str:
        where = f" at {urlsplit(self.base_url).netloc or self.base_url}" if self.base_url else ""
        return f"{self.provider} {self.model}{where}"

    @property
    def usable(self) -> bool:
        """A key is known, or an OpenAI-compatible server that needs none is named."""
        return bool(self.api_key) or (self.provider == "openai" and bool(self.base_url))

    def missing(self) -> str | None:
        """What stops this provider from being used (for advice), or None."""
        if not self.usable:
            return f"set {KEY_ENV[self.provider]} (or api_key in the [llm] section of the config)"
        if not _sdk_installed(self.provider):
            return f"install the SDK: pip install 'querynl[{EXTRAS[self.provider]}]'"
        return None


def _sdk_installed(provider: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(EXTRAS[provider]) is not None


def resolve_llm(
    settings: Any,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
) -> LLMConfig | None:
    """The provider to use from the config's ``[llm]`` section and the command-line overrides.

    None when no provider is chosen (``--llm none``, or none configured). ``--llm`` makes the
    choice *forced*: the model is asked for every request, and a missing key or SDK is an error.
    """
    env = os.environ if env is None else env
    chosen = provider or settings.provider
    if chosen in (None, "", "none"):
        return None
    if chosen not in PROVIDERS:
        raise UsageError(f"Unknown LLM provider {chosen!r}.", hint="Use none, openai or anthropic.")
    same = chosen == settings.provider
    key = settings.api_key if same else None
    key_env = (settings.api_key_env if same else None) or KEY_ENV[chosen]
    key = key or env.get(key_env) or None
    register_secret(key)
    config = LLMConfig(
        provider=chosen,  # type: ignore[arg-type]
        model=model or (settings.model if same else None) or DEFAULT_MODELS[chosen],
        api_key=key,
        base_url=base_url or (settings.base_url if same else None),
        timeout=float(settings.timeout),
        forced=provider is not None,
    )
    if config.forced and config.missing():
        raise UsageError(
            f"--llm {chosen} cannot be used: {config.missing()}.",
            hint="Or leave out --llm to plan offline.",
        )
    return config


# ---------------------------------------------------------------------------------------------
# Asking the model
# ---------------------------------------------------------------------------------------------


def ask(config: LLMConfig, system: str, user: str, schema: dict[str, Any]) -> tuple[Any, LLMUsage]:
    """Send one request; return the parsed JSON answer and the token usage.

    Raises :class:`LLMFailed` with a one-line reason (never the key) for every failure.
    """
    if not config.usable:
        raise LLMFailed(f"no API key ({KEY_ENV[config.provider]} is not set)")
    try:
        if config.provider == "openai":
            return _ask_openai(config, system, user, schema)
        return _ask_anthropic(config, system, user, schema)
    except LLMFailed:
        raise
    except ImportError:
        raise LLMFailed(
            f"the {config.provider} SDK is not installed "
            f"(pip install 'querynl[{EXTRAS[config.provider]}]')"
        ) from None
    except Exception as exc:  # noqa: BLE001 - any SDK failure becomes one line for the user
        raise LLMFailed(_reason(exc, config)) from None


def _ask_openai(
    config: LLMConfig, system: str, user: str, schema: dict[str, Any]
) -> tuple[Any, LLMUsage]:
    import openai

    client = openai.OpenAI(
        api_key=config.api_key or "not-needed",  # local servers take any key
        base_url=config.base_url or None,
        timeout=config.timeout,
        max_retries=MAX_RETRIES,
    )
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    structured = {
        "type": "json_schema",
        "json_schema": {"name": "plan_proposal", "schema": schema, "strict": True},
    }
    try:
        response = client.chat.completions.create(  # type: ignore[call-overload]
            model=config.model, messages=messages, response_format=structured
        )
    except openai.BadRequestError:
        # Some OpenAI-compatible servers know JSON mode but not JSON schemas.
        messages[0]["content"] = system + "\nJSON schema of the answer:\n" + json.dumps(schema)
        response = client.chat.completions.create(  # type: ignore[call-overload]
            model=config.model, messages=messages, response_format={"type": "json_object"}
        )
    usage = _usage(config, response.model, response.usage, "prompt_tokens", "completion_tokens")
    if not response.choices:
        raise _Answered("the model returned no answer", usage)
    message = response.choices[0].message
    if getattr(message, "refusal", None):
        raise _Answered(f"the model refused: {_one_line(message.refusal)}", usage)
    return _json(message.content, usage), usage


def _ask_anthropic(
    config: LLMConfig, system: str, user: str, schema: dict[str, Any]
) -> tuple[Any, LLMUsage]:
    import anthropic

    client = anthropic.Anthropic(
        api_key=config.api_key,
        base_url=config.base_url or None,
        timeout=config.timeout,
        max_retries=MAX_RETRIES,
    )
    tool = {
        "name": TOOL_NAME,
        "description": "Propose a test-data plan for the request.",
        "input_schema": schema,
    }
    response = client.messages.create(  # type: ignore[call-overload]
        model=config.model,
        max_tokens=MAX_TOKENS,
        system=system,
        messages=[{"role": "user", "content": user}],
        tools=[tool],
        tool_choice={"type": "tool", "name": TOOL_NAME},
    )
    usage = _usage(config, response.model, response.usage, "input_tokens", "output_tokens")
    for block in response.content or []:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", "") == TOOL_NAME:
            return block.input, usage
    raise _Answered("the model did not answer with a plan", usage)


class _Answered(LLMFailed):
    """The model answered (tokens were spent) but the answer is unusable."""

    def __init__(self, message: str, usage: LLMUsage) -> None:
        super().__init__(message)
        self.usage = usage


def _usage(config: LLMConfig, model: Any, raw: Any, prompt: str, completion: str) -> LLMUsage:
    p = int(getattr(raw, prompt, 0) or 0)
    c = int(getattr(raw, completion, 0) or 0)
    total = int(getattr(raw, "total_tokens", 0) or 0) or p + c
    name = model if isinstance(model, str) and model else config.model
    return LLMUsage(
        provider=config.provider,
        model=name,
        prompt_tokens=p,
        completion_tokens=c,
        total_tokens=total,
    )


def _json(content: Any, usage: LLMUsage) -> Any:
    if not isinstance(content, str) or not content.strip():
        raise _Answered("the model returned an empty answer", usage)
    text = content.strip()
    if text.startswith("```"):  # some local models wrap JSON in a code fence
        text = text.strip("`").removeprefix("json").strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"the answer is not valid JSON ({exc.msg} at character {exc.pos})"
        raise _Answered(reason, usage) from None


def _one_line(text: Any, limit: int = 160) -> str:
    line = " ".join(redact(str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _reason(exc: Exception, config: LLMConfig) -> str:
    """A one-line, secret-free reason for an SDK exception."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if "Timeout" in name:
        return f"no answer within {config.timeout:g} s (timed out)"
    if status is not None:
        detail = _status_detail(exc)
        meaning = {
            401: "the API key was refused",
            403: "access denied",
            404: f"model {config.model!r} or the API address was not found",
            429: "rate limited or out of quota",
        }.get(status, "server error" if status >= 500 else "request rejected")
        return f"HTTP {status}, {meaning}" + (f": {detail}" if detail else "")
    if "Connection" in name:
        where = config.base_url or f"the {config.provider} API"
        return f"cannot connect to {redact(where)}"
    return _one_line(f"{name}: {exc}")


def _status_detail(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    message = None
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
    return _one_line(message, 120) if message else ""


# ---------------------------------------------------------------------------------------------
# Refining a plan
# ---------------------------------------------------------------------------------------------


def wanted(config: LLMConfig | None, request: TestDataRequest | None) -> bool:
    """Ask the model? Only when configured and usable, and forced or the parser left words."""
    if config is None or not config.usable or not _sdk_installed(config.provider):
        return False
    return config.forced or request is None or bool(request.unparsed)


def refine(
    text: str,
    request: TestDataRequest,
    meta: SchemaMetadata,
    offline: DataGenerationPlan | None,
    build: Any,
    config: LLMConfig,
) -> DataGenerationPlan:
    """Ask the model, validate its proposal, and build the refined plan.

    ``build(request) -> DataGenerationPlan`` is the offline planner with the run's options.
    Falls back to ``offline`` (with a note saying why) on any failure; when there is no
    offline plan (the parser could not read the request), a failure raises ``LLMFailed``.
    """
    from . import llm_prompt
    from .plan_proposal import apply_columns, merged_request, validate_proposal

    usage: LLMUsage | None = None
    try:
        raw, usage = ask(
            config,
            llm_prompt.system_prompt(),
            llm_prompt.user_prompt(text, meta, request, offline),
            llm_prompt.proposal_schema(),
        )
    except LLMFailed as exc:
        usage = getattr(exc, "usage", None)
        if offline is None:
            raise
        return _fallback(offline, config, exc.message, usage)
    proposal = validate_proposal(raw, meta)
    notes = [f"LLM proposal: {n}" for n in proposal.notes]
    try:
        plan = build(merged_request(request, proposal))
    except QueryNLError as exc:
        if offline is None:
            raise
        return _fallback(offline, config, f"its plan does not fit: {exc.message}", usage)
    notes += [f"LLM proposal: {n}" for n in apply_columns(plan, proposal, meta)]
    plan.notes = notes + plan.notes
    plan.llm = usage
    if proposal.rationale:
        said = proposal.rationale.rstrip(". ")
        plan.rationale = f"{said} ({config.provider} {usage.model}). {plan.rationale}"
    return plan


def _fallback(
    offline: DataGenerationPlan, config: LLMConfig, reason: str, usage: LLMUsage | None
) -> DataGenerationPlan:
    plan = offline.model_copy(deep=True)
    plan.notes.insert(
        0, f"The LLM ({config.label}) was not used: {reason}. This is the offline plan."
    )
    plan.llm = usage
    return plan


def unparsed_advice(
    request: TestDataRequest, config: LLMConfig | None, used: bool, examples: list[str]
) -> list[str]:
    """What to tell a user whose request was not fully read, with examples that work."""
    if not request.unparsed:
        return []
    if used and config is not None:
        return [f"Asked {config.label} to read the whole request."]
    lines = ["Requests the offline parser understands, for example:"]
    lines += [f"  {e}" for e in examples]
    if config is None:
        lines.append(
            "An LLM can read free text: pass --llm openai or --llm anthropic (with an API key), "
            "or --llm openai --llm-base-url for a local server such as Ollama."
        )
    elif config.missing():
        lines.append(f"To let {config.provider} read it: {config.missing()}.")
    return lines


__all__ = [
    "DEFAULT_MODELS",
    "LLMConfig",
    "LLMFailed",
    "ask",
    "refine",
    "resolve_llm",
    "unparsed_advice",
    "wanted",
]
