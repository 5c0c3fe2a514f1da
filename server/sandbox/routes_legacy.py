"""Routes of the legacy Training API, served under /G2T/rest like api.getgo.com."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from . import links, views
from .context import ApiContext, json_body
from .errors import TrainingApiError, invalid_request
from .model import Organizer, Training
from .parsing import format_date_time, parse_date_time, parse_key
from .state import SandboxState

LEGACY_API_PATH = "/G2T/rest"


class LegacyRoutes:
    def __init__(self, context: ApiContext) -> None:
        self.context = context

    @property
    def state(self) -> SandboxState:
        return self.context.state

    def routes(self) -> list[BaseRoute]:
        organizer = "/organizers/{organizer_key}"
        training = organizer + "/trainings/{training_key}"
        report = "/reports/organizers/{organizer_key}"
        return [
            Route("/accounts/{account_key}/organizers", self.get_account_organizers, methods=["GET"]),
            Route(organizer + "/trainings", self.get_trainings, methods=["GET"]),
            Route(organizer + "/trainings", self.create_training, methods=["POST"]),
            Route(training, self.get_training, methods=["GET"]),
            Route(training, self.delete_training, methods=["DELETE"]),
            Route(training + "/manageUrl", self.get_manage_url, methods=["GET"]),
            Route(training + "/startUrl", self.get_start_url, methods=["GET"]),
            Route(training + "/nameDescription", self.update_name_description, methods=["PUT"]),
            Route(training + "/registrationSettings", self.update_registration_settings, methods=["PUT"]),
            Route(training + "/organizers", self.get_training_organizers, methods=["GET"]),
            Route(training + "/organizers", self.update_training_organizers, methods=["PUT"]),
            Route(training + "/times", self.update_times, methods=["PUT"]),
            Route(training + "/registrants", self.get_registrants, methods=["GET"]),
            Route(training + "/registrants", self.register, methods=["POST"]),
            Route(training + "/registrants/{registrant_key}", self.get_registrant, methods=["GET"]),
            Route(training + "/registrants/{registrant_key}", self.cancel_registration, methods=["DELETE"]),
            Route(report + "/sessions", self.get_sessions_by_date_range, methods=["POST"]),
            Route(report + "/sessions/{session_key}/attendees", self.get_attendance, methods=["GET"]),
            Route(report + "/trainings/{training_key}", self.get_sessions_by_training, methods=["GET"]),
            Route("/trainings/{training_key}/recordings", self.get_recordings, methods=["GET"]),
            Route("/trainings/{training_key}/recordings/{recording_id}", self.download_recording, methods=["GET"]),
            Route("/trainings/{training_key}/start", self.start_training, methods=["GET"]),
        ]

    def _organizer_training(self, request: Request) -> tuple[Organizer, int, Training]:
        caller, organizer_key = self.context.path_organizer(request)
        training_key = parse_key(request.path_params["training_key"], "trainingKey")
        return caller, organizer_key, self.state.organizer_training(organizer_key, training_key)

    def _account_training(self, request: Request) -> Training:
        caller = self.context.caller(request)
        training_key = parse_key(request.path_params["training_key"], "trainingKey")
        return self.state.account_training(caller.account_key, training_key)

    # Organizers (deprecated in favour of the Admin API, still served)

    async def get_account_organizers(self, request: Request) -> Response:
        caller = self.context.caller(request)
        account_key = parse_key(request.path_params["account_key"], "accountKey")
        if account_key != caller.account_key:
            raise TrainingApiError(
                403, "AccessDenied", f"Account {account_key} is not the account of the access token."
            )
        return JSONResponse([views.organizer_json(o) for o in self.state.account_organizers(account_key)])

    # Trainings

    async def get_trainings(self, request: Request) -> Response:
        _, organizer_key = self.context.path_organizer(request)
        trainings = self.state.scheduled_trainings(organizer_key, self.context.now())
        if not trainings:
            # NOTE: GoTo documents only that "the response will be empty"; 204 rather than [] is a guess.
            return Response(status_code=204)
        return JSONResponse([views.training_json(t, self.state.organizers) for t in trainings])

    async def create_training(self, request: Request) -> Response:
        caller, organizer_key = self.context.path_organizer(request)
        body = await json_body(request)
        training = self.state.create_training(organizer_key, caller.account_key, body, self.context.now())
        return JSONResponse(str(training.key), status_code=201)

    async def get_training(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        return JSONResponse(views.training_json(training, self.state.organizers))

    async def delete_training(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        self.state.delete_training(training, self.context.now())
        return Response(status_code=204)

    async def get_manage_url(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        return JSONResponse(links.manage_url(training))

    async def get_start_url(self, request: Request) -> Response:
        _, organizer_key, training = self._organizer_training(request)
        return JSONResponse(links.start_url(training, organizer_key))

    async def update_name_description(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        self.state.update_name_description(training, await json_body(request))
        return Response(status_code=204)

    async def update_registration_settings(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        self.state.update_registration_settings(training, await json_body(request))
        return Response(status_code=204)

    async def get_training_organizers(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        organizers = [self.state.organizers[key] for key in training.organizer_keys() if key in self.state.organizers]
        return JSONResponse([views.organizer_json(o) for o in organizers])

    async def update_training_organizers(self, request: Request) -> Response:
        caller, _, training = self._organizer_training(request)
        self.state.update_organizers(training, await json_body(request), caller.account_key)
        return Response(status_code=204)

    async def update_times(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        notified = self.state.update_times(training, await json_body(request), self.context.now())
        return JSONResponse(notified)

    # Registrants

    async def get_registrants(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        return JSONResponse([views.registrant_json(r) for r in training.registrants.values()])

    async def register(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        registrant = self.state.register(training, await json_body(request), self.context.now())
        # GoTo sends this registrantKey as a JSON number, unlike the GET responses.
        body = {
            "joinUrl": registrant.join_url,
            "confirmationUrl": registrant.confirmation_url,
            "registrantKey": registrant.key,
        }
        return JSONResponse(body, status_code=201)

    async def get_registrant(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        registrant_key = parse_key(request.path_params["registrant_key"], "registrantKey")
        return JSONResponse(views.registrant_json(self.state.registrant(training, registrant_key)))

    async def cancel_registration(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        registrant_key = parse_key(request.path_params["registrant_key"], "registrantKey")
        self.state.cancel_registration(training, registrant_key, self.context.now())
        return Response(status_code=204)

    # Reports

    async def get_sessions_by_date_range(self, request: Request) -> Response:
        _, organizer_key = self.context.path_organizer(request)
        body = await json_body(request)
        start = parse_date_time(body.get("startDate"), "startDate")
        end = parse_date_time(body.get("endDate"), "endDate")
        if end <= start:
            raise invalid_request(
                f"Invalid endDate {format_date_time(end)}: it must be after startDate {format_date_time(start)}."
            )
        sessions = [
            views.session_json(training, session, self.state.organizers)
            for training, session in self.state.organizer_sessions(organizer_key)
            if start <= session.start <= end
        ]
        return JSONResponse(sessions)

    async def get_attendance(self, request: Request) -> Response:
        _, organizer_key = self.context.path_organizer(request)
        session_key = parse_key(request.path_params["session_key"], "sessionKey")
        _, session = self.state.find_session(organizer_key, session_key)
        return JSONResponse(views.attendance_json(session))

    async def get_sessions_by_training(self, request: Request) -> Response:
        _, _, training = self._organizer_training(request)
        sessions = [views.session_json(training, session, self.state.organizers) for session in training.sessions]
        return JSONResponse(sessions)

    # Recordings and start

    async def get_recordings(self, request: Request) -> Response:
        training = self._account_training(request)
        return JSONResponse(views.recordings_json(training))

    async def download_recording(self, request: Request) -> Response:
        training = self._account_training(request)
        recording_id = parse_key(request.path_params["recording_id"], "recordingId")
        for recording in training.recordings:
            if recording.recording_id == recording_id:
                return RedirectResponse(links.recording_file_url(training, recording), status_code=302)
        raise TrainingApiError(
            404, "NoSuchRecording", f"Recording {recording_id} was not found in training {training.key}."
        )

    async def start_training(self, request: Request) -> Response:
        training = self._account_training(request)
        if training.is_completed(self.context.now()):
            raise TrainingApiError(400, "TrainingOver", f"Training {training.key} is over and cannot be started.")
        return JSONResponse({"hostURL": links.host_url(training)})
