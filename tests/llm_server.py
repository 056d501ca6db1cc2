"""A local HTTP server that speaks the OpenAI chat-completions API and the Anthropic messages API.

Tests point the real SDKs at it (``base_url``) and script its replies: a good answer, a
malformed one, an HTTP error, a slow answer. It records every request (path, headers, JSON
body), so tests can check what the SDKs sent.

    server.script(openai_reply({"tables": []}))
    ... querynl data "..." --llm openai --llm-base-url {server.openai_url} ...
    assert server.requests[0].path == "/v1/chat/completions"
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict -> JSON; str -> sent as is
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: Any


def openai_reply(
    content: Any,
    *,
    prompt_tokens: int = 1234,
    completion_tokens: int = 56,
    model: str = "test-model",
) -> Reply:
    """A chat completion whose message content is ``content`` (a dict is sent as JSON text)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(
        body={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def anthropic_reply(
    tool_input: Any,
    *,
    input_tokens: int = 2345,
    output_tokens: int = 67,
    model: str = "test-claude",
    tool: str = "propose_plan",
) -> Reply:
    """A message that calls the plan tool with ``tool_input`` (None: answers in text instead)."""
    content: list[dict[str, Any]]
    if tool_input is None:
        content = [{"type": "text", "text": "Here is a plan: add some rows."}]
    else:
        content = [{"type": "tool_use", "id": "toolu_test", "name": tool, "input": tool_input}]
    return Reply(
        body={
            "id": "msg_test",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": "tool_use" if tool_input is not None else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }
    )


def error_reply(status: int, message: str = "something went wrong") -> Reply:
    """An API error in the shape both providers use; retried at once (retry-after-ms)."""
    return Reply(
        status=status,
        body={"type": "error", "error": {"type": "api_error", "message": message}},
        headers={"retry-after-ms": "1"},
    )


class FakeLLMServer:
    """Serves scripted replies in order; the last one repeats once the script runs out."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_url(self) -> str:
        """The base URL for the openai SDK (it appends /chat/completions)."""
        return self.url + "/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies = list(replies)

    def _next(self) -> Reply:
        with self._lock:
            if not self.replies:
                return error_reply(500, "no reply scripted")
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"null")
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                with server._lock:
                    server.requests.append(
                        Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                reply = server._next()
                if reply.delay:
                    time.sleep(reply.delay)
                payload = (
                    reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                ).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

        return Handler
