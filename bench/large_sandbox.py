"""Serve a sandbox whose OFFICE_HOURS training has 20,000 extra registrants, for bench/memory.py.

Run: .venv/bin/python bench/large_sandbox.py [--registrants N]

The sandbox listens on 127.0.0.1 on a free port. The script prints one JSON line to stdout with the
origin, the training key and an access token the sandbox issued, then serves until its stdin closes.
It runs in its own process so that the sandbox's memory is not counted in the server's.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta

from server.sandbox import Sandbox, SeedKeys
from server.sandbox.http import serve_in_thread
from server.sandbox.links import confirmation_url, join_url
from server.sandbox.model import Registrant

DEFAULT_REGISTRANTS = 20_000


def add_registrants(sandbox: Sandbox, training_key: int, count: int) -> None:
    """Add `count` approved registrants with distinct e-mails and keys to the training."""
    training = sandbox.state.trainings[training_key]
    now = sandbox.config.clock()
    for number in range(count):
        key = sandbox.state.keys.new_key()
        training.registrants[key] = Registrant(
            key=key,
            email=f"person{number:05d}.bench@example.com",
            given_name=f"Person{number:05d}",
            surname="Bench",
            status="APPROVED",
            registration_date=now - timedelta(minutes=number),
            join_url=join_url(training, key),
            confirmation_url=confirmation_url(training, key),
        )


def main(count: int) -> None:
    sandbox = Sandbox()
    training_key = SeedKeys.OFFICE_HOURS
    add_registrants(sandbox, training_key, count)
    with serve_in_thread(sandbox) as origin:
        announcement = {
            "origin": origin,
            "training_key": str(training_key),
            "access_token": sandbox.issue_access_token(),
            "registrants": len(sandbox.state.trainings[training_key].registrants),
        }
        sys.stdout.write(json.dumps(announcement) + "\n")
        sys.stdout.flush()
        # Serve until the benchmark closes our stdin.
        sys.stdin.read()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrants", type=int, default=DEFAULT_REGISTRANTS, help="registrants to add")
    main(parser.parse_args().registrants)
