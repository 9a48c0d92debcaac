"""`kiosk.service_gate.ServiceGate` on a real `ServiceCalendar` and a settable clock, alone and inside
`kiosk.issue.issue_document` (software card, scripted backend): what is refused, when, and what is then
left untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    Offer,
    Outcome,
)
from kiosk.backend.document import Binding, DocumentType
from kiosk.backend.verify import MunicipalKey, VerifiedDocument
from kiosk.calendar import ServiceCalendar
from kiosk.calendar_config import CalendarConfig
from kiosk.card.profile import CardProfile, load_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.errors import ServiceClosedError
from kiosk.issue import IssueOrder, IssueResult, issue_document
from kiosk.service_gate import ServiceGate
from tests.unit.backend import samples

JST = ZoneInfo("Asia/Tokyo")
LISTED = samples.MUNICIPALITY.code  # 141003, listed in the calendar below
UNLISTED = "131016"
TERMINAL_ID = samples.TERMINAL_ID
SESSION_ID = "3f1c2a9e-8b7d-4e6f-a5c4-1d2e3f4a5b6c"
REQUEST_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
MUNICIPAL_KEY = Ed25519PrivateKey.generate()
FAILED = CompletionRequest(outcome=Outcome.FAILED, copies_printed=0)
PRINTED = CompletionRequest(outcome=Outcome.PRINTED, copies_printed=1)


def jst(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=JST)


# 2026-11-24 is a Tuesday, 11-25 a Wednesday, 11-28 a Saturday, 11-30 a Monday.
TUESDAY_NOON = jst(2026, 11, 24, 12)
DEADLINE = jst(2026, 11, 24, 23, 5)  # the default close (23:00) plus the default grace (5 min)
CLOSURE_DAY = date(2026, 11, 25)
SATURDAY_NOON = jst(2026, 11, 28, 12)


class FakeHolidays:
    def __init__(self, days: Mapping[date, str] | None = None) -> None:
        self.days = dict(days or {})

    def name(self, day: date) -> str | None:
        return self.days.get(day)

    def year(self, year: int) -> Mapping[date, str]:
        return {day: name for day, name in sorted(self.days.items()) if day.year == year}


CALENDAR: dict[str, object] = {
    "municipalities": {
        LISTED: {
            "closed": [CLOSURE_DAY],
            "documents": {
                "koseki": {"open": "09:00", "close": "17:00", "weekdays_only": True},
                "inkan": {"weekdays_only": True},
            },
        }
    }
}


@dataclass
class SettableClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


@dataclass
class Synchronised:
    """The injected `synchronised()`; counts its calls."""

    answer: bool | None = True
    calls: int = 0

    def __call__(self) -> bool | None:
        self.calls += 1
        return self.answer


def make_gate(
    instant: datetime,
    *,
    synchronised: Callable[[], bool | None] | None = None,
    require_synchronised: bool = True,
    data: Mapping[str, object] = CALENDAR,
) -> tuple[ServiceGate, SettableClock]:
    clock = SettableClock(instant)
    calendar = ServiceCalendar(CalendarConfig.from_mapping(data, source="test.toml"), FakeHolidays())
    gate = ServiceGate(
        calendar,
        clock,
        synchronised=synchronised if synchronised is not None else Synchronised(True),
        require_synchronised=require_synchronised,
    )
    return gate, clock


def refusal(action: Callable[[], object]) -> ServiceClosedError:
    with pytest.raises(ServiceClosedError) as caught:
        action()
    return caught.value


# ------------------------------------------------------------------------------------------ check_start


@pytest.mark.parametrize(
    "instant",
    [jst(2026, 11, 24, 6, 30), TUESDAY_NOON, jst(2026, 11, 24, 22, 49, 59, 999999)],
    ids=["opening", "noon", "last-start"],
)
def test_check_start_open_returns_close_plus_grace(instant: datetime) -> None:
    synchronised = Synchronised(True)
    gate, _ = make_gate(instant, synchronised=synchronised)
    deadline = gate.check_start()
    assert deadline == DEADLINE
    assert deadline.utcoffset() == timedelta(hours=9)
    assert synchronised.calls == 1


def test_check_start_deadline_follows_the_configured_grace() -> None:
    gate, _ = make_gate(TUESDAY_NOON, data={"close": "21:00", "grace_minutes": 0})
    assert gate.check_start() == jst(2026, 11, 24, 21)


@pytest.mark.parametrize(
    ("instant", "reason", "next_open"),
    [
        (jst(2026, 11, 24, 6, 29, 59, 999000), "before-hours", "2026-11-24T06:30:00+09:00"),
        (jst(2026, 11, 24, 0, 0), "before-hours", "2026-11-24T06:30:00+09:00"),
        (jst(2026, 11, 24, 22, 50), "after-hours", "2026-11-25T06:30:00+09:00"),
        (jst(2026, 11, 24, 23, 30), "after-hours", "2026-11-25T06:30:00+09:00"),
        (jst(2026, 12, 29, 6, 30), "year-end", "2027-01-04T06:30:00+09:00"),
        (jst(2026, 12, 31, 12), "year-end", "2027-01-04T06:30:00+09:00"),
        (jst(2027, 1, 3, 23, 59, 59), "year-end", "2027-01-04T06:30:00+09:00"),
    ],
)
def test_check_start_closed_gives_reason_and_next_open(
    instant: datetime, reason: str, next_open: str
) -> None:
    gate, _ = make_gate(instant)
    error = refusal(gate.check_start)
    assert (error.reason, error.next_open) == (reason, next_open)
    assert isinstance(error.next_open, str)  # ISO text, not a datetime
    assert error.to_dict() == {
        "code": "service-closed",
        "message": f"service closed: {reason}; next open {next_open}",
        "reason": reason,
        "next_open": next_open,
    }


def test_check_start_asked_in_another_zone_answers_in_the_calendars() -> None:
    instant = jst(2026, 11, 24, 6, 29, 59, 999000).astimezone(ZoneInfo("America/New_York"))
    gate, _ = make_gate(instant)
    assert refusal(gate.check_start).next_open == "2026-11-24T06:30:00+09:00"
    gate, _ = make_gate(TUESDAY_NOON.astimezone(ZoneInfo("UTC")))
    deadline = gate.check_start()
    assert deadline == DEADLINE
    assert deadline.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("answer", [False, None], ids=["not-synchronised", "unknown"])
@pytest.mark.parametrize("instant", [TUESDAY_NOON, jst(2026, 12, 31, 12)], ids=["open", "year-end"])
def test_check_start_refuses_an_unsynchronised_clock(answer: bool | None, instant: datetime) -> None:
    synchronised = Synchronised(answer)
    gate, _ = make_gate(instant, synchronised=synchronised, require_synchronised=True)
    error = refusal(gate.check_start)
    assert (error.reason, error.next_open) == ("clock-untrusted", None)
    assert error.to_dict() == {
        "code": "service-closed",
        "message": "service closed: clock-untrusted",
        "reason": "clock-untrusted",
        "next_open": None,
    }
    assert synchronised.calls == 1


def test_check_start_ignores_synchronisation_when_not_required() -> None:
    def must_not_be_asked() -> bool | None:
        raise AssertionError("synchronised() asked although not required")

    gate, _ = make_gate(TUESDAY_NOON, synchronised=must_not_be_asked, require_synchronised=False)
    assert gate.check_start() == DEADLINE
    for answer in (False, None):
        gate, _ = make_gate(TUESDAY_NOON, synchronised=Synchronised(answer), require_synchronised=False)
        assert gate.check_start() == DEADLINE
    # ... but the calendar still applies.
    gate, _ = make_gate(jst(2026, 12, 31, 12), synchronised=Synchronised(False), require_synchronised=False)
    assert refusal(gate.check_start).reason == "year-end"


def test_check_start_reads_the_clock_each_time() -> None:
    gate, clock = make_gate(TUESDAY_NOON)
    assert gate.check_start() == DEADLINE
    clock.instant = jst(2026, 11, 24, 23)
    assert refusal(gate.check_start).reason == "after-hours"
    clock.instant = jst(2026, 11, 25, 7)
    assert gate.check_start() == jst(2026, 11, 25, 23, 5)


# --------------------------------------------------------------------------------------- check_document


def test_check_document_listed_municipality_closure() -> None:
    instant = jst(2026, 11, 25, 12)
    gate, _ = make_gate(instant)
    gate.check_start()  # the terminal as a whole is open that day
    error = refusal(lambda: gate.check_document(LISTED, "juminhyo"))
    assert (error.reason, error.next_open) == ("closure", "2026-11-26T06:30:00+09:00")


@pytest.mark.parametrize("document", ["juminhyo", "inkan", "koseki", "fuhyo"])
@pytest.mark.parametrize(
    "instant", [jst(2026, 11, 25, 12), SATURDAY_NOON, jst(2026, 11, 24, 7)], ids=["closure", "sat", "early"]
)
def test_check_document_unlisted_municipality_uses_the_defaults(document: str, instant: datetime) -> None:
    gate, _ = make_gate(instant)
    gate.check_document(UNLISTED, document)  # no ConfigError, no closure, no document hours


def test_check_document_unlisted_municipality_still_gets_the_terminal_rules() -> None:
    gate, _ = make_gate(jst(2026, 12, 31, 12))
    error = refusal(lambda: gate.check_document(UNLISTED, "juminhyo"))
    assert (error.reason, error.next_open) == ("year-end", "2027-01-04T06:30:00+09:00")


@pytest.mark.parametrize(
    ("instant", "document", "next_open"),
    [
        (SATURDAY_NOON, "koseki", "2026-11-30T09:00:00+09:00"),
        (jst(2026, 11, 29, 12), "koseki", "2026-11-30T09:00:00+09:00"),
        (jst(2026, 11, 24, 8, 59), "koseki", "2026-11-24T09:00:00+09:00"),
        (SATURDAY_NOON, "inkan", "2026-11-30T06:30:00+09:00"),
    ],
)
def test_check_document_own_hours(instant: datetime, document: str, next_open: str) -> None:
    gate, _ = make_gate(instant)
    error = refusal(lambda: gate.check_document(LISTED, document))
    assert (error.reason, error.next_open) == ("document-hours", next_open)


def test_check_document_within_its_hours_and_other_documents() -> None:
    gate, clock = make_gate(jst(2026, 11, 24, 9))
    gate.check_document(LISTED, "koseki")
    clock.instant = jst(2026, 11, 24, 16, 49)
    gate.check_document(LISTED, "koseki")
    # Within the cutoff of the document's 17:00 close: every rule holds, the period just ends too soon
    # (the calendar's choice, pinned in test_calendar.py); from 17:00 the document's hours are the reason.
    clock.instant = jst(2026, 11, 24, 16, 50)
    error = refusal(lambda: gate.check_document(LISTED, "koseki"))
    # (11-25 is the municipality's closure day)
    assert (error.reason, error.next_open) == ("after-hours", "2026-11-26T09:00:00+09:00")
    clock.instant = jst(2026, 11, 24, 17)
    assert refusal(lambda: gate.check_document(LISTED, "koseki")).reason == "document-hours"
    clock.instant = SATURDAY_NOON
    gate.check_document(LISTED, "juminhyo")  # no hours of its own
    gate.check_document(LISTED, "fuhyo")


def test_check_document_does_not_ask_about_synchronisation() -> None:
    synchronised = Synchronised(False)
    gate, _ = make_gate(TUESDAY_NOON, synchronised=synchronised)
    gate.check_document(LISTED, "juminhyo")
    assert synchronised.calls == 0


# ------------------------------------------------------------------------------------ check_not_overrun


def test_check_not_overrun_boundary() -> None:
    gate, clock = make_gate(TUESDAY_NOON)
    deadline = gate.check_start()
    gate.check_not_overrun(deadline)
    clock.instant = deadline
    gate.check_not_overrun(deadline)
    clock.instant = deadline + timedelta(microseconds=1)
    error = refusal(lambda: gate.check_not_overrun(deadline))
    assert (error.reason, error.next_open) == ("after-hours", None)
    # The same instant in another zone is the same instant.
    clock.instant = deadline.astimezone(ZoneInfo("UTC"))
    gate.check_not_overrun(deadline)


# ----------------------------------------------------------------------- issue_document with the gate


@dataclass
class ScriptedBackend:
    """The four protocol calls, recorded; request_document may run a hook first (e.g. move the clock)."""

    on_request: Callable[[], None] | None = None
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    certificate: bytes | None = None

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]

    def create_session(self) -> CreateSessionResponse:
        self.calls.append(("create_session",))
        return CreateSessionResponse(
            session_id=SESSION_ID, challenge=bytes(range(32)), expires_at=jst(2026, 11, 24, 12, 5)
        )

    def authenticate(self, session_id: str, request: AuthenticateRequest) -> AuthenticateResponse:
        self.calls.append(("authenticate", session_id))
        self.certificate = request.certificate
        offers = tuple(
            Offer(document_type=kind, fee_yen=300, max_copies=10, available=True) for kind in DocumentType
        )
        return AuthenticateResponse(municipality=samples.MUNICIPALITY, offers=offers)

    def request_document(self, session_id: str, request: DocumentRequest) -> DocumentResponse:
        self.calls.append(("request_document", session_id))
        if self.on_request is not None:
            self.on_request()
        assert self.certificate is not None
        binding = Binding(
            session_id=session_id,
            request_id=REQUEST_ID,
            terminal_id=TERMINAL_ID,
            card_certificate_sha256=hashlib.sha256(self.certificate).hexdigest(),
        )
        content = samples.juminhyo() if request.document_type is DocumentType.JUMINHYO else samples.inkan()
        return DocumentResponse(request_id=REQUEST_ID, document=samples.sign(content, MUNICIPAL_KEY, binding))

    def complete(self, request_id: str, completion: CompletionRequest) -> CompletionResponse:
        self.calls.append(("complete", request_id, completion))
        return CompletionResponse(
            request_id=request_id,
            outcome=completion.outcome,
            copies_printed=completion.copies_printed,
            charged_yen=300 * completion.copies_printed,
            completed_at=jst(2026, 11, 24, 12, 1),
        )


class CountingConnection(InProcessConnection):
    """The software card, counting every APDU sent to it."""

    apdus = 0

    def transmit(self, apdu: bytes | bytearray) -> tuple[bytes, int]:
        self.apdus += 1
        return super().transmit(apdu)


@dataclass
class Keys:
    asked: list[str] = field(default_factory=list)

    def __call__(self, code: str) -> MunicipalKey:
        self.asked.append(code)
        return MUNICIPAL_KEY.public_key()


@dataclass
class Delivery:
    delivered: list[tuple[VerifiedDocument, int]] = field(default_factory=list)

    def __call__(self, document: VerifiedDocument, copies: int) -> str:
        self.delivered.append((document, copies))
        return "/srv/issued/out.json"


@pytest.fixture(scope="module")
def profile(profile_factory: Callable[..., Path]) -> CardProfile:
    return load_profile(profile_factory())


@dataclass
class Transaction:
    gate: ServiceGate
    clock: SettableClock
    connection: CountingConnection
    backend: ScriptedBackend = field(default_factory=ScriptedBackend)
    keys: Keys = field(default_factory=Keys)
    delivery: Delivery = field(default_factory=Delivery)
    pin: bytearray = field(default_factory=lambda: bytearray(b"1234"))

    def run(self, document: DocumentType = DocumentType.JUMINHYO) -> IssueResult:
        return issue_document(
            connection=self.connection,
            backend=self.backend,
            terminal_id=TERMINAL_ID,
            municipal_key=self.keys,
            pin=self.pin,
            order=IssueOrder(document),
            deliver=self.delivery,
            gate=self.gate,
        )


def transaction(profile: CardProfile, instant: datetime, **gate_options: Any) -> Transaction:
    gate, clock = make_gate(instant, **gate_options)
    return Transaction(gate, clock, CountingConnection(SoftwareJpkiCard(profile)))


def test_issue_with_an_open_gate_goes_through(profile: CardProfile) -> None:
    tx = transaction(profile, TUESDAY_NOON)
    result = tx.run()
    assert tx.backend.names() == ["create_session", "authenticate", "request_document", "complete"]
    assert tx.backend.calls[-1] == ("complete", REQUEST_ID, PRINTED)
    assert result.request_id == REQUEST_ID
    assert len(tx.delivery.delivered) == 1
    assert tx.pin == bytearray(4)


@pytest.mark.parametrize(
    ("instant", "options", "reason"),
    [
        (jst(2026, 12, 31, 12), {}, "year-end"),
        (jst(2026, 11, 24, 5), {}, "before-hours"),
        (TUESDAY_NOON, {"synchronised": Synchronised(False)}, "clock-untrusted"),
    ],
)
def test_issue_closed_start_touches_nothing_but_the_pin(
    profile: CardProfile, instant: datetime, options: dict[str, Any], reason: str
) -> None:
    tx = transaction(profile, instant, **options)
    with pytest.raises(ServiceClosedError) as caught:
        tx.run()
    assert caught.value.reason == reason
    assert tx.pin == bytearray(4)
    assert tx.backend.calls == []
    assert tx.connection.apdus == 0
    assert tx.connection.card.auth_tries_left == 3
    assert tx.keys.asked == []
    assert tx.delivery.delivered == []


def test_issue_municipality_closure_stops_before_the_request(profile: CardProfile) -> None:
    tx = transaction(profile, jst(2026, 11, 25, 12))
    with pytest.raises(ServiceClosedError) as caught:
        tx.run()
    assert (caught.value.reason, caught.value.next_open) == ("closure", "2026-11-26T06:30:00+09:00")
    assert tx.backend.names() == ["create_session", "authenticate"]
    assert tx.keys.asked == []  # refused before the pinned key is even looked up
    assert tx.delivery.delivered == []
    assert tx.pin == bytearray(4)


def test_issue_document_hours_stop_before_the_request(profile: CardProfile) -> None:
    tx = transaction(profile, SATURDAY_NOON)
    with pytest.raises(ServiceClosedError) as caught:
        tx.run(DocumentType.INKAN)
    assert caught.value.reason == "document-hours"
    assert tx.backend.names() == ["create_session", "authenticate"]
    # ... while the juminhyo, which has no hours of its own there, is issued the same Saturday.
    other = transaction(profile, SATURDAY_NOON)
    other.run(DocumentType.JUMINHYO)
    assert other.backend.names() == ["create_session", "authenticate", "request_document", "complete"]


def test_issue_overrun_during_the_request_is_failed_not_delivered(profile: CardProfile) -> None:
    tx = transaction(profile, jst(2026, 11, 24, 22, 49))

    def late() -> None:
        tx.clock.instant = DEADLINE + timedelta(microseconds=1)

    tx.backend.on_request = late
    with pytest.raises(ServiceClosedError) as caught:  # not DocumentBindingError: the document is fine
        tx.run()
    assert (caught.value.reason, caught.value.next_open) == ("after-hours", None)
    assert tx.backend.names() == ["create_session", "authenticate", "request_document", "complete"]
    assert tx.backend.calls[-1] == ("complete", REQUEST_ID, FAILED)
    assert tx.delivery.delivered == []
    assert tx.pin == bytearray(4)


def test_issue_finishing_exactly_at_the_deadline_is_delivered(profile: CardProfile) -> None:
    tx = transaction(profile, jst(2026, 11, 24, 22, 49))

    def just_in_time() -> None:
        tx.clock.instant = DEADLINE

    tx.backend.on_request = just_in_time
    tx.run()
    assert tx.backend.calls[-1] == ("complete", REQUEST_ID, PRINTED)
    assert len(tx.delivery.delivered) == 1


def test_check_document_returns_the_documents_own_deadline() -> None:
    """A koseki whose hours end at 17:00 must be over by 17:05, not by the terminal's 23:05."""
    gate, _ = make_gate(jst(2026, 11, 24, 16, 45))
    assert gate.check_start() == DEADLINE
    assert gate.check_document(LISTED, "koseki") == jst(2026, 11, 24, 17, 5)
    assert gate.check_document(UNLISTED, "koseki") == DEADLINE  # no municipal hours for an unlisted one
