"""The secret scan of the reliability tests reports every credential it is meant to find."""

from __future__ import annotations

import logging

import pytest
from mcp_types import CallToolResult, TextContent

from server.sandbox import SANDBOX_CLIENT_SECRET, SANDBOX_PERSONAL_ACCESS_TOKEN, Sandbox
from tests.reliability.helpers import SecretScan, capture_debug_logs

pytestmark = pytest.mark.reliability

logger = logging.getLogger(__name__)


def test_scan_reports_logged_access_token(caplog: pytest.LogCaptureFixture) -> None:
    capture_debug_logs(caplog)
    sandbox = Sandbox()
    token = sandbox.issue_access_token()
    logger.debug("Sending with %s", token)

    leaks = SecretScan().leaks(sandbox, caplog.records)

    assert len(leaks) == 1
    assert leaks[0].startswith("an access token in ")


def test_scan_reports_secret_in_tool_result() -> None:
    scan = SecretScan()
    scan.add_result(
        CallToolResult(
            content=[TextContent(type="text", text=f"client secret is {SANDBOX_CLIENT_SECRET}")],
            structured_content={"pat": SANDBOX_PERSONAL_ACCESS_TOKEN},
            is_error=True,
        )
    )

    leaks = scan.leaks(Sandbox(), [])

    assert [leak.split(" in ")[0] for leak in leaks] == ["the client secret", "the personal access token"]


def test_scan_reports_masked_secret(caplog: pytest.LogCaptureFixture) -> None:
    capture_debug_logs(caplog)
    logger.info("Authorization: Bearer [redacted]")

    leaks = SecretScan().leaks(Sandbox(), caplog.records)

    assert len(leaks) == 1
    assert leaks[0].startswith("the secret mask in ")


def test_scan_passes_clean_log(caplog: pytest.LogCaptureFixture) -> None:
    capture_debug_logs(caplog)
    sandbox = Sandbox()
    sandbox.issue_access_token()
    logger.info("Refreshing the GoTo access token (expired) with the refresh_token grant")

    assert SecretScan().leaks(sandbox, caplog.records) == []
