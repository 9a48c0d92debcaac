"""The reference backend's own settings (`DATA_DIR/backend.toml`), validated at load.

Errors name the file and the dotted key, never the value. Service hours are a `[calendar]` table in exactly
the kiosk's format (config/calendar.md, kiosk.calendar_config): the backend enforces the same rules itself
and must not rely on the terminal to refuse at 23:01.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from kiosk.backend.document import DocumentType
from kiosk.backend.fields import Name, ShortText
from kiosk.calendar_config import CalendarConfig
from kiosk.config_file import config_error, read_toml

__all__ = ["BackendSettings", "DocumentSettings", "load_backend_settings", "settings_text"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServerSettings(_Strict):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8443
    session_minutes: Annotated[int, Field(ge=1, le=60)] = 5
    request_deadline_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15
    max_requests_per_session: Annotated[int, Field(ge=1, le=20)] = 4
    max_body_bytes: Annotated[int, Field(ge=1024, le=1024 * 1024)] = 64 * 1024
    crl_recheck_seconds: Annotated[float, Field(gt=0, le=3600)] = 5.0
    overdue_sweep_seconds: Annotated[float, Field(gt=0, le=3600)] = 10.0


class MunicipalitySettings(_Strict):
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    name: ShortText
    mayor_title: ShortText
    mayor_name: Name
    document_algorithm: Literal["Ed25519", "ECDSA-P256-SHA256"] = "Ed25519"


class DocumentSettings(_Strict):
    offered: bool = True
    fee_yen: Annotated[int, Field(ge=0, le=100_000)]
    max_copies: Annotated[int, Field(ge=1, le=10)] = 10


class BackendSettings(_Strict):
    server: ServerSettings = ServerSettings()
    municipality: MunicipalitySettings
    calendar: CalendarConfig = Field(default_factory=lambda: CalendarConfig.from_mapping({}))
    documents: dict[DocumentType, DocumentSettings]

    @field_validator("calendar", mode="before")
    @classmethod
    def _calendar_table(cls, value: object, info: ValidationInfo) -> object:
        # Validated by the kiosk's own loader: same rules, same key paths, its ConfigError passes through.
        if isinstance(value, CalendarConfig):
            return value
        if not isinstance(value, dict):
            raise ValueError("must be a table")  # noqa: TRY004 - pydantic reports ValueErrors as field errors
        source = info.context.get("source") if info.context else None
        named = source if isinstance(source, str) else "backend.toml"
        return CalendarConfig.from_mapping(value, source=named)

    @field_validator("documents")
    @classmethod
    def _every_type(cls, value: dict[DocumentType, DocumentSettings]) -> dict[DocumentType, DocumentSettings]:
        missing = sorted(set(DocumentType) - set(value))
        if missing:
            raise ValueError(f"missing document types: {', '.join(missing)}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return self.calendar.zone  # issue times and serial years follow the calendar's zone


def load_backend_settings(path: Path) -> BackendSettings:
    data = read_toml(path)
    try:
        return BackendSettings.model_validate(data, context={"source": str(path)})
    except ValidationError as error:
        raise config_error(str(path), error) from None


def settings_text(*, municipality_code: str, port: int) -> str:
    """The backend.toml that `kiosk backend init` writes for the sample municipality."""
    return f"""\
# Reference municipal backend settings (test data). Reference: docs/backend-protocol.md.
[server]
host = "127.0.0.1"
port = {port}
session_minutes = 5            # how long a session's challenge may be answered
request_deadline_minutes = 15  # a request not completed by then is closed as failed, without charge
max_requests_per_session = 4

[municipality]
code = "{municipality_code}"
name = "試験市"
mayor_title = "試験市長"
mayor_name = "見本 太郎"
document_algorithm = "Ed25519"

[calendar]                     # the kiosk's format (config/calendar.md): 06:30-23:00, closed 12/29-1/3
open = "06:30"
close = "23:00"
year_end = {{ from = "12-29", to = "01-03" }}
last_start_minutes = 10        # the same cutoff as the terminals': no session starts in the last 10 minutes
grace_minutes = 5              # requests of a session that started in time are served until close + 5 min

[documents.juminhyo]
fee_yen = 200
max_copies = 10

[documents.inkan]
fee_yen = 200
max_copies = 10
"""
