"""The loopback HTTP server that receives GoTo's redirect at the end of a browser sign-in.

It listens on 127.0.0.1 only, accepts one request to `/callback` and serves 404 to others
(browsers also request `/favicon.ico`). The redirect's query carries the authorization code, so the
handler never logs a request line.
"""

from __future__ import annotations

import errno
import hmac
import html
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

CALLBACK_HOST = "127.0.0.1"
CALLBACK_PATH = "/callback"
# How often the serving thread checks for shutdown; it bounds how long leaving the block takes.
SHUTDOWN_POLL_SECONDS = 0.05


class CallbackError(Exception):
    """The loopback server could not start, or no redirect arrived in time."""


@dataclass(frozen=True)
class CallbackResult:
    """The query of the redirect to `/callback`: `code`, or `error` and its description."""

    code: str | None
    state_matches: bool
    """Whether the redirect carried the `state` of this sign-in (a missing one does not match)."""
    error: str | None
    error_description: str | None


class CallbackServer:
    """Serve `/callback` on 127.0.0.1 from a background thread until the block exits.

    `port` 0 picks a free port; `redirect_uri` names the one bound. `state` is the value sent to
    the authorize endpoint, which the redirect must carry back.
    """

    def __init__(self, port: int, state: str) -> None:
        self._state = state
        self._resulted = threading.Event()
        self._result: CallbackResult | None = None
        self._lock = threading.Lock()
        try:
            self._http = HTTPServer((CALLBACK_HOST, port), self._handler_class())
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CallbackError(
                    f"Port {port} on {CALLBACK_HOST} is in use, so the sign-in cannot receive GoTo's redirect there. "
                    "Stop the program that uses it, or run `goto-training-mcp login --port PORT` with the port "
                    "of another redirect URL of the OAuth client."
                ) from exc
            raise CallbackError(f"Could not listen on {CALLBACK_HOST}:{port} for the sign-in: {exc.strerror}.") from exc
        self.port: int = self._http.server_address[1]
        self.redirect_uri = f"http://{CALLBACK_HOST}:{self.port}{CALLBACK_PATH}"
        self._thread = threading.Thread(
            target=self._http.serve_forever, args=(SHUTDOWN_POLL_SECONDS,), name="goto-login-callback", daemon=True
        )

    def __enter__(self) -> CallbackServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()

    def wait(self, timeout_seconds: float) -> CallbackResult:
        """Block until the redirect arrives, or raise CallbackError after `timeout_seconds`."""
        if not self._resulted.wait(timeout_seconds):
            raise CallbackError(
                f"No sign-in arrived at {self.redirect_uri} within {timeout_seconds:g} seconds. "
                "If the browser showed an error about the redirect URL, set the OAuth client's redirect URL in "
                f"the GoTo developer center to exactly {self.redirect_uri}. Then run `goto-training-mcp login` again."
            )
        assert self._result is not None
        return self._result

    def _record(self, result: CallbackResult) -> bool:
        """Keep the first result; return False for any later one."""
        with self._lock:
            if self._result is not None:
                return False
            self._result = result
        self._resulted.set()
        return True

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        callback = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server dispatches GET requests to this name
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH:
                    self._reply(404, "Not found.")
                    return
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                state = query.get("state", "")
                result = CallbackResult(
                    code=query.get("code") or None,
                    state_matches=hmac.compare_digest(state.encode(), callback._state.encode()),
                    error=query.get("error") or None,
                    error_description=query.get("error_description") or None,
                )
                if not callback._record(result):
                    self._reply(409, "This sign-in has already finished. Return to the terminal.")
                elif not result.state_matches:
                    self._reply(400, "This sign-in redirect does not belong to the running login, so it was rejected.")
                elif result.error is not None:
                    self._reply(400, f"GoTo reported an error ({result.error}). Return to the terminal for details.")
                else:
                    self._reply(200, "Received the sign-in. Close this tab; the terminal shows the result.")

            def _reply(self, status: int, text: str) -> None:
                body = (
                    "<!doctype html><meta charset=utf-8><title>goto-training-mcp sign-in</title>"
                    f"<p>{html.escape(text)}</p>"
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                # The request line carries the authorization code: log nothing.
                return

        return Handler
