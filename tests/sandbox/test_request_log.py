"""The request log: what tests can assert about the calls a client made."""

from __future__ import annotations

import httpx

from server.sandbox import Sandbox, SeedKeys
from tests.sandbox.helpers import ORGANIZER, START, V1, new_training_body


async def test_request_log_records_method_path_query_body_status(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    body = new_training_body("2030-04-02T08:00:00Z", "2030-04-02T09:00:00Z")
    await client.post(f"{ORGANIZER}/trainings", json=body)
    await client.get(f"{V1}/trainings/{SeedKeys.SAFETY_COURSE}/polls", params={"page": "1", "size": "5"})

    created, polls = sandbox.requests
    assert (created.method, created.path, created.status) == ("POST", f"{ORGANIZER}/trainings", 201)
    assert created.body == body
    assert created.time == START
    assert created.headers["authorization"].startswith("Bearer ")
    assert (polls.method, polls.status, polls.body) == ("GET", 200, None)
    assert polls.query == {"page": "1", "size": "5"}
    assert polls.query_string == "page=1&size=5"


async def test_request_log_counts_by_method_and_path(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get(f"{ORGANIZER}/trainings")
    await client.get(f"{ORGANIZER}/trainings/{SeedKeys.ONBOARDING}")

    assert sandbox.count("GET", r"/trainings$") == 3
    assert sandbox.count("get", r"/trainings/\d+$") == 1
    assert sandbox.count("POST", r"/trainings") == 0
    assert sandbox.count("*", r"^/G2T/rest/") == 4
    assert [r.status for r in sandbox.requests_matching("GET", r"/trainings/\d+$")] == [200]


async def test_request_log_keeps_large_keys_exact(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    body = new_training_body("2030-04-02T08:00:00Z", "2030-04-02T09:00:00Z", organizers=[SeedKeys.CO_ORGANIZER])
    await client.post(f"{ORGANIZER}/trainings", json=body)

    assert sandbox.requests[0].body["organizers"] == [7210438656123456789]


async def test_clear_requests_empties_the_log(sandbox: Sandbox, client: httpx.AsyncClient) -> None:
    await client.get(f"{ORGANIZER}/trainings")

    sandbox.clear_requests()

    assert sandbox.requests == []
