"""The seeded demo data: deterministic, relative to the clock, and with the facts other tests rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.sandbox import SANDBOX_ORGANIZER_KEY, Sandbox, SandboxConfig, SeedKeys
from tests.sandbox.helpers import START, FakeClock


def registrant_keys(sandbox: Sandbox) -> list[int]:
    return [key for training in sandbox.state.trainings.values() for key in training.registrants]


def test_same_seed_gives_same_state() -> None:
    first = Sandbox(SandboxConfig(now=FakeClock()))
    second = Sandbox(SandboxConfig(now=FakeClock()))

    assert registrant_keys(first) == registrant_keys(second)
    assert first.state.trainings == second.state.trainings


def test_other_seed_changes_crowd_but_not_training_keys() -> None:
    first = Sandbox(SandboxConfig(now=FakeClock(), seed=7))
    second = Sandbox(SandboxConfig(now=FakeClock(), seed=8))

    assert list(first.state.trainings) == list(second.state.trainings)
    assert registrant_keys(first) != registrant_keys(second)


def test_dates_follow_the_clock() -> None:
    later = FakeClock(START + timedelta(days=100))

    sandbox = Sandbox(SandboxConfig(now=later))

    onboarding = sandbox.state.trainings[SeedKeys.ONBOARDING]
    # 100 days after 2030-03-04 is 2030-06-12; 3 days later at 09:00 in Berlin (summer time, UTC+2).
    assert onboarding.times[0].start == datetime(2030, 6, 15, 7, 0, tzinfo=UTC)


def test_seed_has_about_two_hundred_registrants() -> None:
    sandbox = Sandbox(SandboxConfig(now=FakeClock()))

    assert len(registrant_keys(sandbox)) == 194
    assert len(set(registrant_keys(sandbox))) == 194


def test_seed_has_two_organizers_in_the_account() -> None:
    sandbox = Sandbox(SandboxConfig(now=FakeClock()))

    in_account = [o.key for o in sandbox.state.account_organizers(SeedKeys.ACCOUNT)]
    assert in_account == [int(SANDBOX_ORGANIZER_KEY), SeedKeys.CO_ORGANIZER]


def test_seed_keys_include_values_above_2_pow_53() -> None:
    sandbox = Sandbox(SandboxConfig(now=FakeClock()))

    assert all(key > 2**53 for key in sandbox.state.trainings)
    assert all(key > 2**53 for key in registrant_keys(sandbox))


def test_seed_time_zones_cover_four_regions() -> None:
    sandbox = Sandbox(SandboxConfig(now=FakeClock()))

    zones = {training.time_zone for training in sandbox.state.trainings.values()}
    assert zones == {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"}


def test_real_clock_is_the_default() -> None:
    before = datetime.now(UTC)

    sandbox = Sandbox()

    assert sandbox.state.trainings[SeedKeys.ONBOARDING].times[0].start > before
    assert not sandbox.state.trainings[SeedKeys.ONBOARDING].is_completed(datetime.now(UTC))
