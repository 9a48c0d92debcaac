from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.backend.document import DocumentEnvelope, JuminhyoContent
from kiosk.backend.verify import ExpectedBinding, VerifiedDocument, verify_document
from kiosk.errors import DocumentBindingError, DocumentSignatureError, KioskError
from tests.unit.backend.samples import (
    IVS_NAME,
    RESIDENT_NAME,
    SigningKey,
    binding,
    expected,
    inkan,
    juminhyo,
    sign,
)

ED25519 = Ed25519PrivateKey.generate()
P256 = ec.generate_private_key(ec.SECP256R1())
KEYS: list[SigningKey] = [ED25519, P256]


def _ids(key: SigningKey) -> str:
    return type(key).__name__


@pytest.mark.parametrize("key", KEYS, ids=_ids)
def test_verifies_both_documents(key: SigningKey) -> None:
    for content in (juminhyo(), inkan()):
        envelope = sign(content, key)
        # Through the wire and back, as the client will receive it.
        received = DocumentEnvelope.model_validate_json(envelope.model_dump_json())
        verified = verify_document(received, municipal_key=key.public_key(), expected=expected())
        assert isinstance(verified, VerifiedDocument)
        assert verified.content == content
        assert verified.binding == binding()


def test_verified_document_cannot_be_made_by_hand() -> None:
    with pytest.raises(TypeError):
        VerifiedDocument(content=juminhyo(), binding=binding(), algorithm="Ed25519")


def _tamper(wire: str, old: str, new: str) -> DocumentEnvelope:
    assert wire.count(old) >= 1
    return DocumentEnvelope.model_validate_json(wire.replace(old, new, 1))


@pytest.mark.parametrize("key", KEYS, ids=_ids)
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("髙橋", "高橋"),  # one character of a name
        ("辻\U000e0102", "辻\U000e0103"),  # the variation selector alone
        ("1980-04-01", "1980-04-02"),
        ("09:30:00+09:00", "09:31:00+09:00"),
        ('"mayor_name":"架空 太郎"', '"mayor_name":"架空 次郎"'),
        ("J-2026-000001", "J-2026-000002"),
        ('"relationship":"妻"', '"relationship":"夫"'),
    ],
)
def test_altered_content_fails_the_signature(key: SigningKey, old: str, new: str) -> None:
    wire = sign(juminhyo(), key).model_dump_json()
    altered = _tamper(wire, old, new)
    with pytest.raises(DocumentSignatureError) as caught:
        verify_document(altered, municipal_key=key.public_key(), expected=expected())
    _assert_no_personal_data(caught.value)


@pytest.mark.parametrize("key", KEYS, ids=_ids)
def test_one_flipped_bit_anywhere_signed_fails(key: SigningKey) -> None:
    envelope = sign(inkan(), key)
    image = bytearray(envelope.content.seal_image)  # type: ignore[union-attr]
    image[-1] ^= 1
    altered = envelope.model_copy(
        update={"content": envelope.content.model_copy(update={"seal_image": bytes(image)})}
    )
    with pytest.raises(DocumentSignatureError):
        verify_document(altered, municipal_key=key.public_key(), expected=expected())
    signature = bytearray(envelope.signature)
    signature[0] ^= 1
    with pytest.raises(DocumentSignatureError):
        verify_document(
            envelope.model_copy(update={"signature": bytes(signature)}),
            municipal_key=key.public_key(),
            expected=expected(),
        )


@pytest.mark.parametrize("key", KEYS, ids=_ids)
def test_signed_by_another_key(key: SigningKey) -> None:
    other = Ed25519PrivateKey.generate() if key is ED25519 else ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(DocumentSignatureError):
        verify_document(sign(juminhyo(), other), municipal_key=key.public_key(), expected=expected())


@pytest.mark.parametrize("key", KEYS, ids=_ids)
@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("session_id", "11111111-2222-4333-8444-555555555555"),
        ("request_id", "99999999-8888-4777-8666-555555555555"),
        ("terminal_id", "kawasaki-0002"),
        ("card_certificate_sha256", "0" * 64),
    ],
)
def test_bound_to_another_transaction(key: SigningKey, field: str, other: str) -> None:
    envelope = sign(juminhyo(), key)  # correctly signed for binding()
    mine = expected()
    theirs = ExpectedBinding(**{**mine.__dict__, field: other})
    with pytest.raises(DocumentBindingError) as caught:
        verify_document(envelope, municipal_key=key.public_key(), expected=theirs)
    assert caught.value.field == field
    assert other not in str(caught.value) and getattr(mine, field) not in str(caught.value)
    _assert_no_personal_data(caught.value)


def test_a_document_signed_for_another_card_is_refused() -> None:
    envelope = sign(juminhyo(), ED25519, binding(card_certificate_sha256="ab" * 32))
    with pytest.raises(DocumentBindingError) as caught:
        verify_document(envelope, municipal_key=ED25519.public_key(), expected=expected())
    assert caught.value.field == "card_certificate_sha256"


def test_algorithm_must_match_the_pinned_key() -> None:
    # A P-256 document presented to an Ed25519-pinned kiosk, and the envelope relabelled: both refused.
    p256_document = sign(juminhyo(), P256)
    with pytest.raises(DocumentSignatureError, match="algorithm"):
        verify_document(p256_document, municipal_key=ED25519.public_key(), expected=expected())
    relabelled = sign(juminhyo(), ED25519).model_copy(update={"algorithm": "ECDSA-P256-SHA256"})
    with pytest.raises(DocumentSignatureError, match="algorithm"):
        verify_document(relabelled, municipal_key=ED25519.public_key(), expected=expected())
    with pytest.raises(DocumentSignatureError, match="algorithm"):
        verify_document(sign(juminhyo(), ED25519), municipal_key=P256.public_key(), expected=expected())


def test_other_curves_are_not_municipal_keys() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    with pytest.raises(DocumentSignatureError, match="P-256"):
        verify_document(sign(juminhyo(), P256), municipal_key=p384, expected=expected())


def test_expected_binding_checks_the_hash() -> None:
    with pytest.raises(ValueError, match="sha256"):
        ExpectedBinding(session_id="s", request_id="r", terminal_id="t", card_certificate_sha256="AB" * 32)


def _assert_no_personal_data(error: KioskError) -> None:
    text = str(error) + json.dumps(error.to_dict(), ensure_ascii=False) + repr(error)
    for secret in (RESIDENT_NAME, "髙橋", "𠮷", IVS_NAME, "辻", "1980-04-01"):
        assert secret not in text


def test_content_type_survives_verification() -> None:
    verified = verify_document(
        sign(juminhyo(), ED25519), municipal_key=ED25519.public_key(), expected=expected()
    )
    assert isinstance(verified.content, JuminhyoContent)
    assert verified.content.members[0].name == RESIDENT_NAME
