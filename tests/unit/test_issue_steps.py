"""The steps `issue_document` is made of, run one at a time as the orchestrator runs them.

The fakes (card, scripted backend, pinned keys) are those of test_issue.py; `issue_document` itself is
covered there and in test_service_gate.py.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from kiosk.backend.api import CompletionRequest, Outcome, RefusalReason
from kiosk.backend.document import DocumentType
from kiosk.card.profile import CardProfile
from kiosk.card.virtual import InProcessConnection
from kiosk.errors import BackendUnavailableError, DocumentBindingError, OfferRefusedError, WrongPinError
from kiosk.issue import (
    Authenticated,
    IssueOrder,
    ObtainedDocument,
    authenticate_resident,
    check_offer,
    obtain_document,
    report_failed,
    report_printed,
)
from tests.unit.backend import samples
from tests.unit.test_issue import (  # the fixtures `profile` and `connection` come along
    FAILED,
    FEE_YEN,
    MUNICIPALITY,
    REQUEST_ID,
    SESSION_ID,
    TERMINAL_ID,
    Keys,
    ScriptedBackend,
    bound,
    connection,
    offer,
    profile,
)

__all__ = ["connection", "profile"]  # re-exported fixtures, not unused imports

JST = samples.JST


class Gate:
    """A gate that is always open and records what it was asked."""

    def __init__(self, start: datetime, document: datetime) -> None:
        self.start, self.document = start, document
        self.asked: list[tuple[str, ...]] = []

    def check_start(self) -> datetime:
        self.asked.append(("start",))
        return self.start

    def check_document(self, municipality: str, document: str) -> datetime:
        self.asked.append(("document", municipality, document))
        return self.document

    def check_not_overrun(self, deadline: datetime) -> None:
        self.asked.append(("overrun", deadline.isoformat()))


def login(
    connection: InProcessConnection, backend: ScriptedBackend, gate: Gate | None = None
) -> Authenticated:
    return authenticate_resident(
        connection=connection, backend=backend, terminal_id=TERMINAL_ID, pin=bytearray(b"1234"), gate=gate
    )


def test_authenticate_resident(connection: InProcessConnection, profile: CardProfile) -> None:
    backend = ScriptedBackend()
    pin = bytearray(b"1234")
    authenticated = authenticate_resident(
        connection=connection, backend=backend, terminal_id=TERMINAL_ID, pin=pin
    )
    assert pin == bytearray(4)
    assert backend.names() == ["create_session", "authenticate"]
    assert authenticated.session_id == SESSION_ID
    assert authenticated.terminal_id == TERMINAL_ID
    assert authenticated.certificate == profile.auth_cert_der
    assert authenticated.answer.municipality == MUNICIPALITY
    assert authenticated.deadline is None


def test_authenticate_resident_zeroes_a_wrong_pin(connection: InProcessConnection) -> None:
    backend = ScriptedBackend()
    pin = bytearray(b"9999")
    with pytest.raises(WrongPinError):
        authenticate_resident(connection=connection, backend=backend, terminal_id=TERMINAL_ID, pin=pin)
    assert pin == bytearray(4)
    assert backend.names() == ["create_session"]


def test_check_offer(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(
        offers=(offer(DocumentType.JUMINHYO), offer(DocumentType.INKAN, RefusalReason.SEAL_CANCELLED))
    )
    authenticated = login(connection, backend)
    juminhyo = check_offer(authenticated, DocumentType.JUMINHYO)
    assert (juminhyo.document_type, juminhyo.fee_yen, juminhyo.available) == (
        DocumentType.JUMINHYO,
        FEE_YEN,
        True,
    )
    with pytest.raises(OfferRefusedError) as caught:
        check_offer(authenticated, DocumentType.INKAN)
    assert caught.value.reason == "seal-cancelled"


def test_the_steps_in_turn_with_a_gate(connection: InProcessConnection) -> None:
    start, document_hours = datetime(2026, 11, 23, 23, tzinfo=JST), datetime(2026, 11, 23, 21, tzinfo=JST)
    gate = Gate(start, document_hours)
    backend = ScriptedBackend()
    authenticated = login(connection, backend, gate)
    assert authenticated.deadline == start

    obtained = obtain_document(
        authenticated, backend=backend, municipal_key=Keys(), order=IssueOrder(DocumentType.INKAN), gate=gate
    )
    assert gate.asked == [("start",), ("document", MUNICIPALITY.code, "inkan")]
    assert isinstance(obtained, ObtainedDocument)
    assert obtained.request_id == REQUEST_ID
    assert obtained.deadline == document_hours  # the earlier of the two
    assert obtained.document.content == samples.inkan()
    assert backend.names() == ["create_session", "authenticate", "request_document"]

    completion = report_printed(backend, obtained, 2)
    assert backend.calls[-1] == (
        "complete",
        REQUEST_ID,
        CompletionRequest(outcome=Outcome.PRINTED, copies_printed=2),
    )
    assert completion.charged_yen == 2 * FEE_YEN


def test_no_personal_data_in_the_reprs(connection: InProcessConnection, profile: CardProfile) -> None:
    backend = ScriptedBackend()
    authenticated = login(connection, backend)
    obtained = obtain_document(
        authenticated, backend=backend, municipal_key=Keys(), order=IssueOrder(DocumentType.JUMINHYO)
    )
    text = repr(obtained) + repr(authenticated)
    assert samples.RESIDENT_NAME not in text
    assert "address" not in text
    assert profile.auth_cert_der.hex() not in text


def test_obtain_document_reports_a_bad_binding_failed(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(document=bound(terminal_id="yokohama-naka-0002"))
    authenticated = login(connection, backend)
    with pytest.raises(DocumentBindingError):
        obtain_document(
            authenticated, backend=backend, municipal_key=Keys(), order=IssueOrder(DocumentType.JUMINHYO)
        )
    assert backend.calls[-1] == ("complete", REQUEST_ID, FAILED)


def test_obtain_document_refuses_before_any_request(connection: InProcessConnection) -> None:
    backend = ScriptedBackend(offers=(offer(DocumentType.INKAN),))
    authenticated = login(connection, backend)
    keys = Keys()
    with pytest.raises(OfferRefusedError):
        obtain_document(
            authenticated, backend=backend, municipal_key=keys, order=IssueOrder(DocumentType.JUMINHYO)
        )
    assert keys.asked == []
    assert backend.names() == ["create_session", "authenticate"]


@pytest.mark.parametrize(
    ("error", "code"),
    [(None, "abandoned"), (OSError(5, "Input/output error"), "OSError"), (WrongPinError(2), "wrong-pin")],
)
def test_report_failed_logs_the_code_only(
    caplog: pytest.LogCaptureFixture, error: BaseException | None, code: str
) -> None:
    backend = ScriptedBackend()
    with caplog.at_level(logging.INFO, logger="kiosk.issue"):
        report_failed(backend, REQUEST_ID, error)
    assert backend.calls == [("complete", REQUEST_ID, FAILED)]
    assert f"({code})" in caplog.text
    assert "Input/output" not in caplog.text


def test_report_failed_never_raises_a_kiosk_error(caplog: pytest.LogCaptureFixture) -> None:
    backend = ScriptedBackend(complete_error=BackendUnavailableError("complete", "timeout"))
    with caplog.at_level(logging.INFO, logger="kiosk.issue"):
        report_failed(backend, REQUEST_ID, None)
    assert "backend-unavailable" in caplog.text
