"""The LLM planner over real HTTP with the real SDKs.

A local server (tests/llm_server.py) speaks the OpenAI chat-completions API and the Anthropic
messages API; the official ``openai`` and ``anthropic`` SDKs are pointed at it through
``--llm-base-url`` and the config file. Each test scripts the server's answers: a good plan
(whose choices must reach the rows of a real database), a plan naming things that do not exist,
malformed JSON, a timeout, HTTP 500 and 429. The API key must never appear in any output.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_server import (
    FakeLLMServer,
    Reply,
    anthropic_reply,
    error_reply,
    openai_reply,
)
from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"
NOW = dt.date(2025, 6, 1)
OPENAI_KEY = "sk-test-0penai-S3CRET-key-4242"
ANTHROPIC_KEY = "sk-ant-test-S3CRET-key-9191"


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    srv = FakeLLMServer()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(config))
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    return config


def write_config(tmp_path: Path, body: str) -> None:
    (tmp_path / "config" / "config.toml").write_text(body, encoding="utf-8")


def shop(db: Any) -> Any:
    db.load(ZOO / "shop" / f"{db.dialect}.sql")
    return db


def run(db: Any, request: str, *extra: str, verbose: bool = False) -> Any:
    args = ["--verbose"] if verbose else []
    args += ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "5"]
    args += ["--now", NOW.isoformat(), *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert OPENAI_KEY not in result.output and ANTHROPIC_KEY not in result.output
    return result


def openai_args(server: FakeLLMServer) -> tuple[str, ...]:
    return ("--llm", "openai", "--llm-base-url", server.openai_url, "--llm-model", "test-model")


def anthropic_args(server: FakeLLMServer) -> tuple[str, ...]:
    return ("--llm", "anthropic", "--llm-base-url", server.url, "--llm-model", "test-claude")


def flat(result: Any) -> str:
    return " ".join(result.output.split())


def column(db: Any, table: str, name: str) -> list[Any]:
    return [r[0] for r in db.execute(f"SELECT {db.quote(name)} FROM {db.quote(table)}")]


def proposal(**parts: Any) -> dict[str, Any]:
    """A complete proposal (every field present, as structured output gives it)."""
    base: dict[str, Any] = {
        "tables": [],
        "only_tables": False,
        "exclude": [],
        "columns": [],
        "distributions": [],
        "cardinalities": [],
        "ranges": [],
        "locale": None,
        "domain": None,
        "rationale": "",
    }
    base.update(parts)
    return base


GOOD = proposal(
    tables=[{"table": "orders", "count": 200}, {"table": "customers", "count": 40}],
    columns=[
        {
            "table": "reviews",
            "column": "rating",
            "generator": "integer",
            "params": [{"name": "min", "value": 4}, {"name": "max", "value": 5}],
            "null_rate": None,
        }
    ],
    distributions=[
        {
            "table": "orders",
            "column": "status",
            "shares": [{"value": "delivered", "share": 0.5}, {"value": "cancelled", "share": 0.5}],
            "rest": [],
        },
        {
            "table": "customers",
            "column": "country",
            "shares": [{"value": "Germany", "share": 0.75}],
            "rest": ["Austria"],
        },
    ],
    ranges=[{"table": "products", "column": "price", "kind": "number", "low": 100, "high": 200}],
    locale="de_DE",
    domain="ecommerce",
    rationale="A German luxury shop: expensive products, half the orders delivered.",
)


# --------------------------------------------------------------------------- good plans


def _assert_good_plan_landed(db: Any) -> None:
    counts = db.row_counts()
    assert counts["orders"] == 200 and counts["customers"] == 40
    statuses = Counter(column(db, "orders", "status"))
    assert set(statuses) == {"delivered", "cancelled"}
    assert 70 <= statuses["delivered"] <= 130
    countries = Counter(column(db, "customers", "country"))
    assert set(countries) == {"Germany", "Austria"} and countries["Germany"] > countries["Austria"]
    assert set(column(db, "reviews", "rating")) <= {4, 5}
    assert all(100 <= float(p) <= 200 for p in column(db, "products", "price"))
    assert db.verify() == []


def test_openai_plan_reaches_the_data(db, server):
    shop(db)
    server.script(openai_reply(GOOD))
    result = run(db, "add 40 customers with a luxurious vibe", *openai_args(server))
    assert result.exit_code == 0, result.output
    _assert_good_plan_landed(db)
    text = flat(result)
    assert "LLM: openai test-model: 1,234 prompt + 56 completion = 1,290 tokens" in text
    assert "A German luxury shop: expensive products, half the orders delivered (openai" in text
    assert "locale de_DE" in text
    sent = server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert sent.body["model"] == "test-model"
    schema = sent.body["response_format"]["json_schema"]
    assert schema["strict"] is True and schema["schema"]["additionalProperties"] is False
    user = sent.body["messages"][1]["content"]
    assert "Request: add 40 customers with a luxurious vibe" in user
    assert "table orders (0 rows)" in user and "person.email" in user


def test_anthropic_plan_reaches_the_data(db, server):
    shop(db)
    server.script(anthropic_reply(GOOD))
    result = run(db, "add 40 customers with a luxurious vibe", *anthropic_args(server))
    assert result.exit_code == 0, result.output
    _assert_good_plan_landed(db)
    assert "LLM: anthropic test-claude: 2,345 prompt + 67 completion = 2,412 tokens" in flat(result)
    sent = server.requests[0]
    assert sent.path == "/v1/messages"
    # the key travels in a header: x-api-key, or a bearer token in newer SDKs
    assert ANTHROPIC_KEY in (
        sent.headers.get("x-api-key"),
        sent.headers.get("authorization", "").removeprefix("Bearer "),
    )
    assert sent.body["tool_choice"] == {"type": "tool", "name": "propose_plan"}
    assert sent.body["tools"][0]["input_schema"]["properties"]["columns"]["type"] == "array"


def test_json_output_carries_token_usage(sqlite_db, server):
    import json

    shop(sqlite_db)
    server.script(openai_reply(GOOD, prompt_tokens=10, completion_tokens=5))
    result = run(sqlite_db, "add 40 customers, posh", "--json", *openai_args(server))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["llm"] == {
        "provider": "openai",
        "model": "test-model",
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "total_tokens": 15,
    }


def test_the_model_reads_a_request_the_parser_cannot(sqlite_db, server):
    shop(sqlite_db)
    server.script(openai_reply(proposal(tables=[{"table": "products", "count": 25}])))
    result = run(sqlite_db, "stock the boutique", *openai_args(server))
    assert result.exit_code == 0, result.output
    assert sqlite_db.row_counts()["products"] == 25


# --------------------------------------------------------------------------- bad plans


HOSTILE = "email, name) SELECT k, v FROM secrets --"


def test_unknown_and_hostile_parts_are_dropped_with_notes(db, server):
    shop(db)
    server.script(
        openai_reply(
            proposal(
                tables=[
                    {"table": "ordrs", "count": 5},
                    {"table": "orders", "count": -1},
                    {"table": "orders", "count": 10**12},
                    {"table": "orders", "count": "abc"},
                    {"table": "products", "count": 12},
                ],
                columns=[
                    {"table": "customers", "column": HOSTILE, "generator": "text", "params": []},
                    {
                        "table": "customers",
                        "column": "first_name",
                        "generator": "exec_sql",
                        "params": [],
                    },
                    {
                        "table": "products",
                        "column": "price",
                        "generator": "integer",
                        "params": [{"name": "min", "value": "abc"}],
                    },
                    {
                        "table": "products",
                        "column": "name",
                        "generator": "text",
                        "params": [{"name": "template", "value": "{open('/etc/passwd')}"}],
                    },
                    {
                        "table": "orders",
                        "column": "status",
                        "generator": "choice",
                        "params": [{"name": "values", "value": ["lost"]}],
                    },
                    {"table": "customers", "column": "id", "generator": "integer", "params": []},
                ],
                distributions=[
                    {"table": "secrets", "column": "k", "shares": [], "rest": []},
                ],
                locale="xx_YY",
            )
        )
    )
    result = run(db, "add 20 customers with flair", *openai_args(server))
    assert result.exit_code == 0, result.output
    text = flat(result)
    for note in (
        "LLM proposal: tables: there is no table 'ordrs'. Did you mean 'orders'? Ignored.",
        "LLM proposal: tables[1]: count: Input should be greater than or equal to 0 (got -1)",
        "LLM proposal: tables[2]: count: Input should be less than or equal to 100000000",
        "LLM proposal: tables[3]: count: Input should be a valid integer (got 'abc')",
        "LLM proposal: columns customers.'email, name) SELECT k, v FROM secrets …: "
        "customers has no column 'email, name) SELECT k, v FROM secrets --'. Ignored.",
        "LLM proposal: columns customers.first_name: unknown generator 'exec_sql'; ignored.",
        "LLM proposal: columns products.price: invalid parameters for integer: min: Input "
        "should be a valid integer",
        "LLM proposal: columns products.name: invalid parameters for text: template: Extra "
        "inputs are not permitted; ignored.",
        "LLM proposal: columns orders.status: 'lost' is not one of pending, paid, shipped, "
        "delivered, cancelled; ignored.",
        "LLM proposal: columns customers.id: QueryNL fills key columns itself; ignored.",
        "LLM proposal: distributions secrets.k: there is no table 'secrets'. Ignored.",
        "LLM proposal: locale: 'xx_YY' is not a Faker locale",
    ):
        assert note in text, note
    counts = db.row_counts()
    assert counts["customers"] == 20  # the offline reading fills the gaps
    assert counts["products"] == 12  # the one valid count is used
    assert set(column(db, "orders", "status")) <= {
        "pending",
        "paid",
        "shipped",
        "delivered",
        "cancelled",
    }
    assert db.verify() == []


def test_a_plan_that_cannot_be_met_falls_back(sqlite_db, server):
    shop(sqlite_db)
    impossible = proposal(
        tables=[{"table": "categories", "count": 3}],
        cardinalities=[{"parent": "products", "child": "product_categories", "min": 5, "max": 9}],
    )
    server.script(openai_reply(impossible))
    result = run(sqlite_db, "add 10 products, classy", *openai_args(server))
    assert result.exit_code == 0, result.output
    assert "was not used: its plan does not fit: The request cannot be met" in flat(result)
    assert sqlite_db.row_counts()["products"] == 10


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (openai_reply("{this is not json"), "the answer is not valid JSON (Expecting property"),
        (openai_reply('["a", "list"]'), "the answer is not a JSON object (got list)"),
        (error_reply(500, "upstream exploded"), "HTTP 500, server error: upstream exploded"),
        (error_reply(429, "slow down"), "HTTP 429, rate limited or out of quota: slow down"),
        (error_reply(401, "bad key"), "HTTP 401, the API key was refused: bad key"),
    ],
    ids=["malformed", "not-an-object", "500", "429", "401"],
)
def test_openai_failures_fall_back_to_the_offline_plan(sqlite_db, server, reply, reason):
    shop(sqlite_db)
    server.script(reply)
    result = run(sqlite_db, "add 15 customers, fancy ones", *openai_args(server))
    assert result.exit_code == 0, result.output
    assert reason in flat(result)
    assert sqlite_db.row_counts()["customers"] == 15


def test_malformed_answers_still_show_the_tokens_spent(sqlite_db, server):
    shop(sqlite_db)
    server.script(openai_reply("{oops", prompt_tokens=300, completion_tokens=7))
    result = run(sqlite_db, "add 5 customers, fancy", *openai_args(server))
    text = flat(result)
    assert (
        "The LLM (openai test-model at 127.0.0.1:" in text
        and "was not used: the answer is not valid JSON" in text
        and "This is the offline plan." in text
    )
    assert "LLM: openai test-model: 300 prompt + 7 completion = 307 tokens" in text


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (anthropic_reply(None), "the model did not answer with a plan"),
        (error_reply(500, "overloaded"), "HTTP 500, server error: overloaded"),
        (error_reply(429, "too many"), "HTTP 429, rate limited or out of quota: too many"),
    ],
    ids=["no-tool-call", "500", "429"],
)
def test_anthropic_failures_fall_back_to_the_offline_plan(sqlite_db, server, reply, reason):
    shop(sqlite_db)
    server.script(reply)
    result = run(sqlite_db, "add 15 customers, fancy ones", *anthropic_args(server))
    assert result.exit_code == 0, result.output
    assert reason in flat(result)
    assert sqlite_db.row_counts()["customers"] == 15


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_timeout_falls_back_quickly(sqlite_db, server, tmp_path, provider):
    shop(sqlite_db)
    base = server.openai_url if provider == "openai" else server.url
    write_config(
        tmp_path,
        f'[llm]\nprovider = "{provider}"\nmodel = "slow-model"\nbase_url = "{base}"\n'
        "timeout = 0.3\n",
    )
    server.script(Reply(delay=4.0, body={}))
    result = run(sqlite_db, "add 8 customers, elegant")  # configured + unread words: asked
    assert result.exit_code == 0, result.output
    assert "was not used: no answer within 0.3 s (timed out). This is the offline plan." in flat(
        result
    )
    assert sqlite_db.row_counts()["customers"] == 8
    assert len(server.requests) == 2  # one retry, then the offline plan


def test_server_not_listening_falls_back(sqlite_db):
    shop(sqlite_db)
    result = run(
        sqlite_db, "add 4 customers", "--llm", "openai", "--llm-base-url", "http://127.0.0.1:9/v1"
    )
    assert result.exit_code == 0, result.output
    assert "was not used: cannot connect to http://127.0.0.1:9/v1" in flat(result)


def test_openai_compatible_server_without_json_schema_gets_json_mode(sqlite_db, server):
    shop(sqlite_db)
    server.script(error_reply(400, "response_format json_schema unsupported"), openai_reply(GOOD))
    result = run(sqlite_db, "add 40 customers, chic", *openai_args(server))
    assert result.exit_code == 0, result.output
    assert sqlite_db.row_counts()["orders"] == 200
    assert server.requests[1].body["response_format"] == {"type": "json_object"}


# --------------------------------------------------------------------------- when it is asked


def test_configured_llm_is_asked_only_for_words_the_parser_left(sqlite_db, server, tmp_path):
    shop(sqlite_db)
    write_config(
        tmp_path,
        f'[llm]\nprovider = "openai"\nmodel = "cfg-model"\nbase_url = "{server.openai_url}"\n',
    )
    server.script(openai_reply(proposal()))
    assert run(sqlite_db, "add 5 customers").exit_code == 0
    assert server.requests == []  # everything was read offline: no call
    result = run(sqlite_db, "add 5 customers with panache")
    assert len(server.requests) == 1
    assert server.requests[0].body["model"] == "cfg-model"
    assert "Asked openai cfg-model at 127.0.0.1:" in flat(result)


def test_no_llm_without_configuration(sqlite_db, server):
    shop(sqlite_db)
    result = run(sqlite_db, "add 5 customers with panache")
    assert result.exit_code == 0
    assert server.requests == []
    assert "An LLM can read free text" in flat(result)


def test_llm_none_overrides_the_config(sqlite_db, server, tmp_path):
    shop(sqlite_db)
    write_config(tmp_path, f'[llm]\nprovider = "openai"\nbase_url = "{server.openai_url}"\n')
    result = run(sqlite_db, "add 5 customers with panache", "--llm", "none")
    assert result.exit_code == 0
    assert server.requests == []


def test_forced_provider_without_a_key_is_a_usage_error(sqlite_db, monkeypatch):
    shop(sqlite_db)
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    result = CliRunner().invoke(
        main, ["data", "add 5 customers", "--db", sqlite_db.url, "--llm", "anthropic"]
    )
    assert result.exit_code == 2
    assert "--llm anthropic cannot be used: set ANTHROPIC_API_KEY" in flat(result)


# --------------------------------------------------------------------------- secrets


def test_the_api_key_never_appears_in_output_or_logs(sqlite_db, server, caplog):
    from querynl.redact import RedactingFilter

    shop(sqlite_db)
    caplog.set_level(logging.DEBUG)
    outputs = []
    for reply in (openai_reply(GOOD), error_reply(401, f"Incorrect API key {OPENAI_KEY}")):
        server.script(reply)
        result = run(sqlite_db, "add 40 customers, swanky", *openai_args(server), verbose=True)
        outputs.append(result.output)
    server.script(error_reply(500, f"key was {ANTHROPIC_KEY}"))
    outputs.append(run(sqlite_db, "add 3 customers, swanky", *anthropic_args(server)).output)
    assert "HTTP 401, the API key was refused: Incorrect API key ***" in " ".join(
        outputs[1].split()
    )
    records = caplog.records
    assert records  # the SDKs and QueryNL did log
    shown = RedactingFilter()
    for record in records:
        shown.filter(record)
        message = record.getMessage()
        assert OPENAI_KEY not in message and ANTHROPIC_KEY not in message
    assert all(OPENAI_KEY not in o and ANTHROPIC_KEY not in o for o in outputs)
    assert server.requests[0].headers["authorization"] == f"Bearer {OPENAI_KEY}"  # it was sent
