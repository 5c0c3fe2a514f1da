"""Server configuration, read from `GOTO_*` environment variables and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from server.errors import TokenStoreError
from server.keys import validate_key
from server.token_store import default_token_path, load_tokens

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
ConfirmMode = Literal["auto", "elicitation", "off"]
TOOLSETS = ("trainings", "registrants", "reports", "questionnaires", "recordings", "organizers", "workflows")


class ConfigurationError(Exception):
    """A missing, invalid or contradictory setting; the message names the variable and the fix."""


class Settings(BaseSettings):
    """Everything the server reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="GOTO_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    client_id: str | None = Field(None, description="OAuth client id from the GoTo developer center.")
    client_secret: SecretStr | None = Field(None, description="OAuth client secret of that client.")
    refresh_token: SecretStr | None = Field(None, description="Refresh token the server starts from.")
    access_token: SecretStr | None = Field(
        None, description="Bare access token, used without refresh until it expires (about 60 minutes)."
    )
    personal_access_token: SecretStr | None = Field(
        None, description="Personal access token, exchanged for access tokens with the OAuth client."
    )
    token_file: Path | None = Field(
        None,
        description="JSON file where tokens are kept (written atomically, mode 0600); "
        "`serve`, `login`, `status` and `logout` use tokens.json in the user's config folder when unset.",
    )
    login_port: int = Field(
        8400,
        ge=0,
        le=65535,
        description="Port of `login`'s redirect URL http://127.0.0.1:PORT/callback; 0 picks a free port.",
    )
    login_pkce: bool = Field(True, description="Whether `login` sends a PKCE challenge (S256) with the sign-in.")
    organizer_key: str | None = Field(
        None, description="Organizer key to act as; discovered from the token or the Admin API when unset."
    )
    account_key: str | None = Field(
        None, description="Account key; discovered from the token or the Admin API when unset."
    )
    api_url: str = Field("https://api.getgo.com/G2T/rest", description="Base URL of the legacy Training API.")
    training_api_url: str = Field(
        "https://api.goto.com/training/v1", description="Base URL of the Training API for tests, polls and surveys."
    )
    auth_url: str = Field(
        "https://authentication.logmeininc.com", description="Base URL of the OAuth server (`/oauth/token`)."
    )
    admin_api_url: str = Field("https://api.getgo.com/admin/rest/v1", description="Base URL of the Admin API (`/me`).")
    timeout_seconds: float = Field(30.0, gt=0, le=600, description="Timeout of one HTTP request, in seconds.")
    max_retries: int = Field(3, ge=0, le=10, description="Retries of a failed idempotent request (429, 502-504).")
    retry_max_wait_seconds: float = Field(
        30.0, ge=0, le=600, description="Total time one request may spend waiting between retries, in seconds."
    )
    rate_limit_per_second: float = Field(
        10.0, gt=0, le=1000, description="Requests per second sent to each GoTo API (GoTo's default limit is 10)."
    )
    max_concurrency: int = Field(
        8,
        ge=1,
        le=50,
        description="Requests a workflow tool sends to GoTo at the same time, within GOTO_RATE_LIMIT_PER_SECOND.",
    )
    log_level: LogLevel = Field("INFO", description="Level of the log written to stderr.")
    confirm: ConfirmMode = Field(
        "auto",
        description="How calls that delete or e-mail people are confirmed: auto (a form where the client "
        "supports elicitation, else a preview and a token), elicitation (forms only), off (no confirmation).",
    )
    confirm_secret: SecretStr | None = Field(
        None, description="Key for confirmation tokens, for several processes that must accept each other's tokens."
    )
    read_only: bool = Field(False, description="Offer only tools that change nothing in GoTo.")
    toolsets: Annotated[tuple[str, ...], NoDecode] = Field(
        TOOLSETS, description=f"Comma-separated tool groups to offer, among {', '.join(TOOLSETS)}."
    )

    mcp_bearer_token: SecretStr | None = Field(
        None,
        description="Token MCP clients must send as 'Authorization: Bearer ...' to the HTTP transport; "
        "required to bind to a non-loopback address.",
    )
    mcp_allowed_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Extra Host values the HTTP transport accepts (host:port), such as a proxy's."
    )
    mcp_allowed_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Extra Origin values the HTTP transport accepts, such as https://assistant.example.com."
    )

    @field_validator("mcp_allowed_hosts", "mcp_allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> tuple[str, ...]:
        names = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        return tuple(name.strip() for name in names if name.strip())

    @field_validator("mcp_bearer_token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if len(value.get_secret_value()) < 16:
            raise ValueError("the token is shorter than 16 characters; use a long random value")
        return value

    @field_validator("toolsets", mode="before")
    @classmethod
    def _known_toolsets(cls, value: object) -> tuple[str, ...]:
        return parse_toolsets(value)

    @field_validator("organizer_key", "account_key")
    @classmethod
    def _digits_only(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return validate_key(value.strip(), "key")

    @field_validator("token_file", mode="before")
    @classmethod
    def _blank_path_is_unset(cls, value: object) -> object:
        # GOTO_TOKEN_FILE= (empty) means "not set", not the current folder.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("client_id")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("api_url", "training_api_url", "auth_url", "admin_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")

    def credential_problem(self) -> str | None:
        """Return why these credentials cannot sign in, or None when they can."""
        has_client = self.client_id is not None and _is_set(self.client_secret)
        refreshing = _is_set(self.refresh_token) or _is_set(self.personal_access_token)
        if refreshing and not has_client:
            missing = "GOTO_CLIENT_ID" if self.client_id is None else "GOTO_CLIENT_SECRET"
            return (
                f"{missing} is not set, but GoTo needs the OAuth client's id and secret to refresh tokens. "
                "Set GOTO_CLIENT_ID and GOTO_CLIENT_SECRET from the GoTo developer center."
            )
        if _is_set(self.refresh_token) and _is_set(self.personal_access_token):
            return (
                "Both GOTO_REFRESH_TOKEN and GOTO_PERSONAL_ACCESS_TOKEN are set, so it is unclear which one to use. "
                "Unset one of them."
            )
        store = self.token_store_path()
        if refreshing:
            # The store is read too, to continue this credential after GoTo replaced its refresh token.
            return _unreadable_store_problem(store)
        if _is_set(self.access_token):
            return None
        if store.exists():
            if not has_client:
                where = f"GOTO_TOKEN_FILE {str(store)!r}" if self.token_file else f"The token store {str(store)!r}"
                return (
                    f"{where} holds tokens, but GOTO_CLIENT_ID and GOTO_CLIENT_SECRET are needed to refresh them. "
                    "Set both."
                )
            problem = _unreadable_store_problem(store)
            if problem is not None or _store_has_tokens(store):
                return problem
        return (
            "No GoTo credentials are set. Run `goto-training-mcp login` with GOTO_CLIENT_ID and GOTO_CLIENT_SECRET "
            "set, or set GOTO_REFRESH_TOKEN (or GOTO_PERSONAL_ACCESS_TOKEN) with GOTO_CLIENT_ID and "
            "GOTO_CLIENT_SECRET, or GOTO_ACCESS_TOKEN for a short test. "
            "To try the server without an account, run `goto-training-mcp demo`."
        )

    def token_store_path(self) -> Path:
        """Return the token store's path: GOTO_TOKEN_FILE, else tokens.json in the user's config folder."""
        return self.token_file if self.token_file is not None else default_token_path()


def parse_toolsets(value: object) -> tuple[str, ...]:
    """Read a comma-separated toolset list, raising ValueError that names an unknown toolset."""
    names = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    chosen = tuple(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
    unknown = [name for name in names if name.strip() and name.strip().lower() not in TOOLSETS]
    if unknown:
        raise ValueError(f"unknown toolset {unknown[0].strip()!r}; valid toolsets are {', '.join(TOOLSETS)}")
    if not chosen:
        raise ValueError(f"no toolset given; valid toolsets are {', '.join(TOOLSETS)}")
    return chosen


def _is_set(secret: SecretStr | None) -> bool:
    return secret is not None and secret.get_secret_value().strip() != ""


def _unreadable_store_problem(store: Path) -> str | None:
    try:
        load_tokens(store)
    except TokenStoreError as exc:
        return str(exc)
    return None


def _store_has_tokens(store: Path) -> bool:
    tokens = load_tokens(store)
    return tokens is not None and (tokens.refresh_token is not None or tokens.access_token is not None)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, raising ConfigurationError with one message per bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigurationError(_describe_validation_error(exc)) from None
    return settings


def with_token_store(settings: Settings) -> Settings:
    """Return a copy of `settings` whose token_file is set, to the default path when GOTO_TOKEN_FILE is unset."""
    return settings.model_copy(update={"token_file": settings.token_store_path()})


def require_credentials(settings: Settings) -> None:
    """Raise ConfigurationError when the settings cannot sign in to GoTo."""
    problem = settings.credential_problem()
    if problem is not None:
        raise ConfigurationError(problem)


def _describe_validation_error(exc: ValidationError) -> str:
    # NOTE: the rejected value is left out on purpose: it may be a secret.
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        variable = f"GOTO_{field.upper()}"
        # Pydantic prefixes a validator's message with "Value error, "; our messages end with their own period.
        problem = str(error["msg"]).removeprefix("Value error, ").rstrip(".")
        lines.append(f"{variable} is invalid: {problem}. Fix or unset {variable}.")
    return " ".join(lines)


__all__ = ["ConfigurationError", "Settings", "load_settings", "require_credentials", "with_token_store"]
