from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionRequest,
    CompletionResponse,
    CreateSessionResponse,
    DocumentRequest,
    DocumentResponse,
    Offer,
    OptionOffer,
    Outcome,
    RefusalReason,
    parse_response,
)
from kiosk.backend.document import DocumentEnvelope, DocumentType, InkanContent, JuminhyoContent, WireModel
from kiosk.errors import MalformedBackendResponse
from tests.unit.backend.samples import (
    IVS_NAME,
    MUNICIPALITY,
    REQUEST_ID,
    RESIDENT_NAME,
    SESSION_ID,
    binding,
    inkan,
    juminhyo,
)

NOW = datetime(2026, 4, 1, 9, 30, tzinfo=timezone(timedelta(hours=9)))


def envelope() -> DocumentEnvelope:
    return DocumentEnvelope(content=juminhyo(), binding=binding(), algorithm="Ed25519", signature=bytes(64))


SAMPLES: list[WireModel] = [
    CreateSessionResponse(session_id=SESSION_ID, challenge=bytes(range(32)), expires_at=NOW),
    AuthenticateRequest(certificate=b"0\x82der", signature=bytes(256)),
    AuthenticateResponse(
        municipality=MUNICIPALITY,
        offers=(
            Offer(
                document_type=DocumentType.JUMINHYO,
                options=(
                    OptionOffer(key="members", allowed=("self", "household"), default="self"),
                    OptionOffer(key="honseki", allowed=("omit", "include"), default="omit"),
                ),
                fee_yen=200,
                max_copies=5,
                available=True,
            ),
            Offer(
                document_type=DocumentType.INKAN,
                fee_yen=200,
                max_copies=5,
                available=False,
                refusal=RefusalReason.SEAL_CANCELLED,
            ),
        ),
    ),
    DocumentRequest(
        document_type=DocumentType.JUMINHYO,
        options={"members": "household", "honseki": "include"},
        copies=2,
        idempotency_key="4f1c2b3a-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
    ),
    DocumentResponse(request_id=REQUEST_ID, document=envelope()),
    DocumentResponse(
        request_id=REQUEST_ID,
        document=DocumentEnvelope(
            content=inkan(), binding=binding(), algorithm="ECDSA-P256-SHA256", signature=b"\xff" * 64
        ),
    ),
    CompletionRequest(outcome=Outcome.PRINTED, copies_printed=2),
    CompletionResponse(
        request_id=REQUEST_ID, outcome=Outcome.PRINTED, copies_printed=2, charged_yen=400, completed_at=NOW
    ),
]


@pytest.mark.parametrize("model", SAMPLES, ids=lambda model: type(model).__name__)
def test_round_trip(model: WireModel) -> None:
    wire = model.model_dump_json()
    assert type(model).model_validate_json(wire) == model
    assert parse_response(type(model), wire.encode()) == model


def test_python_mode_is_strict() -> None:
    # Wire bodies go through model_validate_json; decoded JSON in Python mode has strings where types belong.
    with pytest.raises(ValidationError):
        CreateSessionResponse.model_validate(json.loads(SAMPLES[0].model_dump_json()))


def test_names_round_trip_exactly() -> None:
    wire = envelope().model_dump_json()
    assert RESIDENT_NAME in wire and IVS_NAME in wire  # not \u-escaped, not normalised
    parsed = DocumentEnvelope.model_validate_json(wire).content
    assert isinstance(parsed, JuminhyoContent)
    assert [member.name for member in parsed.members] == [RESIDENT_NAME, IVS_NAME]
    assert parsed.members[1].name.encode("utf-8") == IVS_NAME.encode("utf-8")


def test_challenge_is_base64_on_the_wire() -> None:
    body = json.loads(SAMPLES[0].model_dump_json())
    assert body["challenge"] == base64.b64encode(bytes(range(32))).decode()
    assert len(body["challenge"]) == 44


def test_models_are_frozen() -> None:
    request = CompletionRequest(outcome=Outcome.FAILED, copies_printed=0)
    with pytest.raises(ValidationError):
        request.copies_printed = 1


def _wire(model: BaseModel) -> dict[str, object]:
    body: dict[str, object] = json.loads(model.model_dump_json())
    return body


@pytest.mark.parametrize(
    ("model", "changes"),
    [
        (CreateSessionResponse, {"extra": 1}),
        (CreateSessionResponse, {"challenge": base64.b64encode(bytes(33)).decode()}),
        (CreateSessionResponse, {"challenge": "not base64!"}),
        (CreateSessionResponse, {"challenge": base64.b64encode(bytes(32)).decode().rstrip("=")}),
        (CreateSessionResponse, {"expires_at": "2026-04-01T09:30:00"}),  # naive
        (CreateSessionResponse, {"session_id": "0B6A3D1E-4A7F-4C1E-9D2B-5F8E7A6C4B3D"}),
        (CompletionRequest, {"copies_printed": 1.0}),
        (CompletionRequest, {"copies_printed": "1"}),
        (CompletionRequest, {"copies_printed": 11}),
        (CompletionRequest, {"outcome": "printed", "copies_printed": 0}),
        (CompletionRequest, {"outcome": "cancelled", "copies_printed": 1}),
        (CompletionRequest, {"outcome": "lost"}),
        (DocumentRequest, {"copies": 0}),
        (DocumentRequest, {"idempotency_key": "short"}),
        (DocumentRequest, {"options": {f"k{i}": "v" for i in range(17)}}),
        (AuthenticateRequest, {"algorithm": "sha1WithRSAEncryption"}),
        (AuthenticateRequest, {"certificate": base64.b64encode(bytes(8193)).decode()}),
    ],
)
def test_rejects(model: type[BaseModel], changes: dict[str, object]) -> None:
    body = _wire(next(sample for sample in SAMPLES if type(sample) is model))
    with pytest.raises(ValidationError):
        model.model_validate_json(json.dumps({**body, **changes}))


def test_offers_must_be_consistent() -> None:
    body = _wire(SAMPLES[2])
    offers = body["offers"]
    assert isinstance(offers, list)
    for broken in (
        {**offers[0], "refusal": "closed"},  # available and refused
        {**offers[1], "refusal": None},  # unavailable without a reason
        {**offers[0], "options": [{"key": "a", "allowed": ["x"], "default": "y"}]},
        {**offers[0], "fee_yen": 1.5},
    ):
        with pytest.raises(ValidationError):
            AuthenticateResponse.model_validate_json(json.dumps({**body, "offers": [broken]}))
    with pytest.raises(ValidationError):
        AuthenticateResponse.model_validate_json(json.dumps({**body, "offers": [offers[0], offers[0]]}))


def _document_body() -> dict[str, object]:
    return _wire(DocumentResponse(request_id=REQUEST_ID, document=envelope()))


@pytest.mark.parametrize(
    "path_and_value",
    [
        (("document", "content", "members", 0, "name"), "あ" * 257),
        (("document", "content", "members", 0, "name"), "改行\nあり"),
        (("document", "content", "members", 0, "nickname"), "x"),
        (("document", "content", "issued_at"), "2026-04-01T09:30:00"),
        (("document", "content", "issued_at"), 1775003400),
        (("document", "content", "document_type"), "koseki"),
        (("document", "binding", "card_certificate_sha256"), "A" * 64),
        (("document", "algorithm"), "RS256"),
        (("document", "signature"), base64.b64encode(bytes(65)).decode()),
        (("document", "content", "members"), []),
    ],
)
def test_document_rejects(path_and_value: tuple[tuple[object, ...], object]) -> None:
    path, value = path_and_value
    body = _document_body()
    node: object = body
    for part in path[:-1]:
        node = node[part]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    with pytest.raises(MalformedBackendResponse) as caught:
        parse_response(DocumentResponse, json.dumps(body, ensure_ascii=False))
    assert "document" in caught.value.detail
    assert "あ" not in str(caught.value) and "改行" not in str(caught.value)


def test_inkan_needs_a_bounded_png() -> None:
    body = _wire(
        DocumentResponse(request_id=REQUEST_ID, document=envelope().model_copy(update={"content": inkan()}))
    )
    document = body["document"]
    assert isinstance(document, dict)
    for image in (b"GIF89a" + bytes(10), b"\x89PNG\r\n\x1a\n" + bytes(256 * 1024)):
        document["content"]["seal_image"] = base64.b64encode(image).decode()
        with pytest.raises(MalformedBackendResponse, match="seal_image"):
            parse_response(DocumentResponse, json.dumps(body))


def test_timestamps_keep_their_offset_and_need_whole_minutes() -> None:
    body = _wire(SAMPLES[0])
    parsed = CreateSessionResponse.model_validate_json(
        json.dumps({**body, "expires_at": "2026-04-01T00:30:00Z"})
    )
    assert parsed.expires_at == NOW
    assert json.loads(parsed.model_dump_json())["expires_at"] == "2026-04-01T00:30:00+00:00"
    with pytest.raises(ValidationError):
        CreateSessionResponse(session_id=SESSION_ID, challenge=bytes(32), expires_at=datetime(2026, 4, 1))
    odd = timezone(timedelta(hours=9, minutes=18, seconds=59))
    with pytest.raises(ValidationError):
        CreateSessionResponse(session_id=SESSION_ID, challenge=bytes(32), expires_at=NOW.replace(tzinfo=odd))
    in_utc = CreateSessionResponse(session_id=SESSION_ID, challenge=bytes(32), expires_at=NOW.astimezone(UTC))
    assert in_utc.expires_at == NOW


def test_parse_response_names_fields_not_values() -> None:
    body = _document_body()
    body["document"]["content"]["members"][0]["name"] = 12  # type: ignore[index]
    body["document"]["content"]["address"] = RESIDENT_NAME * 100  # type: ignore[index]
    with pytest.raises(MalformedBackendResponse) as caught:
        parse_response(DocumentResponse, json.dumps(body, ensure_ascii=False))
    assert caught.value.what == "DocumentResponse"
    assert "document.content.juminhyo.address: string_too_long" in caught.value.detail
    assert RESIDENT_NAME not in str(caught.value)
    with pytest.raises(MalformedBackendResponse):
        parse_response(DocumentResponse, b'{"request_id": ')


def test_contents_discriminate_on_type() -> None:
    assert isinstance(
        DocumentEnvelope.model_validate_json(envelope().model_dump_json()).content, JuminhyoContent
    )
    inkan_envelope = envelope().model_copy(update={"content": inkan()})
    assert isinstance(
        DocumentEnvelope.model_validate_json(inkan_envelope.model_dump_json()).content, InkanContent
    )
