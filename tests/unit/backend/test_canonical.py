from __future__ import annotations

import hashlib
import struct

import pytest

from kiosk.backend.canonical import auth_binding, canonical_json, content_sha256, document_signing_bytes
from kiosk.backend.document import DocumentEnvelope
from tests.unit.backend.samples import IVS_NAME, binding, inkan


def test_auth_binding_layout() -> None:
    challenge = bytes(range(32))
    got = auth_binding(challenge, "0b6a3d1e-4a7f-4c1e-9d2b-5f8e7a6c4b3d", "T-1")
    assert got == (
        b"konbini-kiosk/auth-binding/v1\x00"
        + b"\x00\x00\x00\x20" + challenge
        + b"\x00\x00\x00\x24" + b"0b6a3d1e-4a7f-4c1e-9d2b-5f8e7a6c4b3d"
        + b"\x00\x00\x00\x03" + b"T-1"
    )  # fmt: skip


def test_auth_binding_is_unambiguous() -> None:
    challenge = bytes(32)
    assert auth_binding(challenge, "ab", "c") != auth_binding(challenge, "a", "bc")
    terminal = "端末-𠮷"
    tail = auth_binding(challenge, "s", terminal)[-(4 + len(terminal.encode())) :]
    assert tail == struct.pack(">I", 11) + terminal.encode("utf-8")  # UTF-8 bytes, not characters


def test_auth_binding_needs_a_32_byte_challenge() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        auth_binding(bytes(31), "s", "t")


def test_canonical_json_vector() -> None:
    value = {"z": [1, True, None], "a": {"𠮷": IVS_NAME, "b": '\n"\\'}, "m": -5}
    expected = '{"a":{"b":"\\n\\"\\\\","𠮷":"辻\U000e0102 花子"},"m":-5,"z":[1,true,null]}'.encode()
    assert canonical_json(value) == expected
    assert "辻\U000e0102".encode() == b"\xe8\xbe\xbb\xf3\xa0\x84\x82"
    assert b"\xe8\xbe\xbb\xf3\xa0\x84\x82" in canonical_json(value)
    assert "𠮷".encode() in canonical_json(value)


@pytest.mark.parametrize("value", [1.0, {"a": 0.5}, [1, 2.5], {"a": b"bytes"}, {1: "x"}])
def test_canonical_json_refuses_non_json_and_floats(value: object) -> None:
    with pytest.raises(TypeError):
        canonical_json(value)


def test_canonical_json_refuses_lone_surrogates() -> None:
    with pytest.raises(ValueError, match="not canonicalisable"):
        canonical_json({"a": "\ud842"})


def test_document_signing_bytes_vector() -> None:
    envelope = DocumentEnvelope(content=inkan(), binding=binding(), algorithm="Ed25519", signature=bytes(64))
    content = (
        '{"address":"神奈川県横浜市中区港町一丁目1番地","birth_date":"1980-04-01",'
        '"document_type":"inkan","issued_at":"2026-04-01T09:30:00+09:00","mayor_name":"架空 太郎",'
        '"mayor_title":"横浜市長","municipality":{"code":"141003","name":"横浜市"},"name":"髙橋 𠮷太郎",'
        '"registration_number":"S-000123",'
        '"seal_image":"iVBORw0KGgoAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==",'
        '"serial":"I-2026-000001","sex":null}'
    )
    expected = (
        "konbini-kiosk/document/v1\x00"
        '{"algorithm":"Ed25519",'
        '"binding":{"card_certificate_sha256":"'
        "596324bf942777d0372733c03e467577875932d1e163f839d0dff79848b7cb53"
        '","request_id":"7c9e6679-7425-40de-944b-e07fc1f90ae7",'
        '"session_id":"0b6a3d1e-4a7f-4c1e-9d2b-5f8e7a6c4b3d","terminal_id":"yokohama-naka-0001"},'
        f'"content_sha256":"{hashlib.sha256(content.encode()).hexdigest()}",'
        '"municipality":"141003","serial":"I-2026-000001"}'
    ).encode()
    assert content_sha256(envelope.content) == hashlib.sha256(content.encode()).hexdigest()
    assert document_signing_bytes(envelope) == expected


def test_document_signing_bytes_ignore_the_signature_and_wire_spelling() -> None:
    envelope = DocumentEnvelope(content=inkan(), binding=binding(), algorithm="Ed25519", signature=bytes(64))
    resigned = envelope.model_copy(update={"signature": b"\x01" * 64})
    assert document_signing_bytes(resigned) == document_signing_bytes(envelope)
    # The signature covers the parsed value, so insignificant wire whitespace changes nothing.
    wire = envelope.model_dump_json(indent=2)
    assert document_signing_bytes(DocumentEnvelope.model_validate_json(wire)) == document_signing_bytes(
        envelope
    )
