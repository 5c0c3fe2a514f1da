"""URLs the sandbox hands out. They point at made-up example.com hosts that nothing ever fetches."""

from __future__ import annotations

from .model import Recording, Training

TRAINING_SITE = "https://training.example.com"
RECORDING_SITE = "https://recordings.example.com"


def join_url(training: Training, registrant_key: int) -> str:
    return f"{TRAINING_SITE}/join/{training.training_id}/{registrant_key}"


def confirmation_url(training: Training, registrant_key: int) -> str:
    return f"{TRAINING_SITE}/registration/{training.training_id}/confirmation/{registrant_key}"


def manage_url(training: Training) -> str:
    return f"{TRAINING_SITE}/manage/{training.key}"


def start_url(training: Training, organizer_key: int) -> str:
    return f"{TRAINING_SITE}/start/{training.key}?organizer={organizer_key}"


def host_url(training: Training) -> str:
    return f"{TRAINING_SITE}/host/{training.key}"


def recording_registration_url(recording: Recording) -> str:
    return f"{TRAINING_SITE}/recording/{recording.recording_id}/register"


def recording_download_url(training: Training, recording: Recording) -> str:
    return f"{RECORDING_SITE}/download/{training.key}/{recording.recording_id}"


def recording_file_url(training: Training, recording: Recording) -> str:
    """Return the file URL that the download endpoint redirects to."""
    return f"{RECORDING_SITE}/files/{training.key}/{recording.recording_id}.mp4"
