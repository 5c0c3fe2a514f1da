"""The sandbox served over HTTP by uvicorn on 127.0.0.1: a subprocess and a background thread."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PERSONAL_ACCESS_TOKEN,
    Sandbox,
    SandboxConfig,
    SandboxUrls,
)
from server.sandbox.http import check_host, serve, serve_in_thread

REPOSITORY = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 15
STOP_TIMEOUT_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the sandbox exited early with code {process.returncode}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"the sandbox did not listen on 127.0.0.1:{port} within {START_TIMEOUT_SECONDS} s")


@pytest.fixture
def served_process() -> Iterator[tuple[subprocess.Popen, str]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "server.sandbox", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=STOP_TIMEOUT_SECONDS)


def personal_access_token(client: httpx.Client, urls: SandboxUrls) -> str:
    response = client.post(
        urls.token,
        data={"grant_type": "personal_access_token", "pat": SANDBOX_PERSONAL_ACCESS_TOKEN},
        auth=(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
    )
    assert response.status_code == 200
    return response.json()["access_token"]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_served_process_answers_and_stops_cleanly(
    served_process: tuple[subprocess.Popen, str], stop_signal: signal.Signals
) -> None:
    process, origin = served_process
    urls = SandboxUrls(origin)

    with httpx.Client(timeout=5) as client:
        access_token = personal_access_token(client, urls)
        me = client.get(f"{urls.admin_api}/me", headers={"Authorization": f"Bearer {access_token}"})
    process.send_signal(stop_signal)
    stdout, stderr = process.communicate(timeout=STOP_TIMEOUT_SECONDS)

    assert me.status_code == 200
    assert me.json()["email"] == "alex.sample@example.com"
    assert process.returncode == 0
    assert stdout == b""
    assert b"Serving the GoTo Training sandbox" in stderr
    assert b"stopping the sandbox" in stderr


def test_dropped_connection_over_http_has_no_response() -> None:
    sandbox = Sandbox(SandboxConfig(drop_share=1.0))
    with serve_in_thread(sandbox) as origin, httpx.Client(timeout=5) as client:
        headers = {"Authorization": f"Bearer {sandbox.issue_access_token()}"}
        with pytest.raises(httpx.RemoteProtocolError) as raised:
            client.get(f"{SandboxUrls(origin).admin_api}/me", headers=headers)
        token_response = client.post(
            SandboxUrls(origin).token,
            data={"grant_type": "personal_access_token", "pat": SANDBOX_PERSONAL_ACCESS_TOKEN},
            auth=(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
        )

    assert str(raised.value) == "Server disconnected without sending a response."
    assert sandbox.requests[0].status is None
    assert token_response.status_code == 200


def test_served_thread_shares_state_with_sandbox() -> None:
    sandbox = Sandbox()
    with serve_in_thread(sandbox) as origin, httpx.Client(timeout=5) as client:
        sandbox.fail_next(503, {"errorCode": "Injected", "description": "Injected.", "incident": 1})
        headers = {"Authorization": f"Bearer {sandbox.issue_access_token()}"}
        failed = client.get(f"{SandboxUrls(origin).admin_api}/me", headers=headers)
        succeeded = client.get(f"{SandboxUrls(origin).admin_api}/me", headers=headers)

    assert failed.status_code == 503
    assert succeeded.status_code == 200
    assert sandbox.count("GET", "/admin/rest/v1/me$") == 2


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_accepted(host: str) -> None:
    check_host(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.com"])
def test_non_loopback_host_rejected(host: str) -> None:
    with pytest.raises(ValueError, match="serves only on loopback addresses"):
        serve(host, 8765, SandboxConfig())


def test_non_loopback_host_allowed_explicitly() -> None:
    check_host("0.0.0.0", allow_non_loopback=True)
