from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.backend.api import CertificateProblem
from kiosk.backend.canonical import auth_binding
from kiosk.card.operations import authenticate
from kiosk.card.profile import load_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from municipal.cardcheck import (
    AuthSignatureInvalid,
    CardCertificateRejected,
    CheckedCard,
    check_card_certificate,
    verify_auth_signature,
)

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

_RSA_KEYS: dict[int, rsa.RSAPrivateKey] = {}


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make; the tests only need a few distinct ones."""
    if bits not in _RSA_KEYS:
        _RSA_KEYS[bits] = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return _RSA_KEYS[bits]


@dataclass(frozen=True)
class Ca:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def make_ca(purpose: str = "user authentication", key: rsa.RSAPrivateKey | None = None) -> Ca:
    """An RSA-2048 test CA shaped like kiosk.card.profile's."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"JPKI-TEST for {purpose}"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=20 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(digital_signature=False, key_cert_sign=True, crl_sign=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Ca(cert, key)


def usage(
    *,
    digital_signature: bool = True,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


_DEFAULT = object()


def user_cert(
    ca: Ca,
    *,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
    key_usage: x509.KeyUsage | object | None = _DEFAULT,
    ca_flag: bool | None = None,
    not_before: datetime = NOW - timedelta(minutes=5),
    not_after: datetime = NOW + timedelta(days=5 * 365),
    serial: int | None = None,
    issuer: x509.Name | None = None,
    signed_by: rsa.RSAPrivateKey | None = None,
) -> bytes:
    """A 利用者証明用-like certificate, with one knob per thing check_card_certificate looks at."""
    public_key = (key or rsa_key()).public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, secrets.token_hex(10).upper())]))
        .issuer_name(issuer or ca.cert.subject)
        .public_key(public_key)
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if key_usage is _DEFAULT:
        builder = builder.add_extension(usage(), critical=True)
    elif isinstance(key_usage, x509.KeyUsage):
        builder = builder.add_extension(key_usage, critical=True)
    if ca_flag is not None:
        constraints = x509.BasicConstraints(ca=ca_flag, path_length=0 if ca_flag else None)
        builder = builder.add_extension(constraints, critical=True)
    cert = builder.sign(signed_by or ca.key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def empty_crl(ca: Ca, revoked: tuple[int, ...] = ()) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(NOW - timedelta(hours=1))
        .next_update(NOW + timedelta(days=1))
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(NOW).build()
        )
    return builder.sign(ca.key, hashes.SHA256())


@pytest.fixture(scope="module")
def ca() -> Ca:
    return make_ca()


@pytest.fixture(scope="module")
def crl(ca: Ca) -> x509.CertificateRevocationList:
    return empty_crl(ca)


def problem_of(der: bytes, ca: Ca, crl: x509.CertificateRevocationList) -> CertificateProblem:
    with pytest.raises(CardCertificateRejected) as caught:
        check_card_certificate(der, auth_ca=ca.cert, crl=crl, now=NOW)
    return caught.value.problem


# --------------------------------------------------------------------------------------------- accepted


def test_a_good_certificate(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca, serial=4242)
    card = check_card_certificate(der, auth_ca=ca.cert, crl=crl, now=NOW)
    assert card.serial == 4242
    assert card.sha256 == hashlib.sha256(der).hexdigest()
    assert card.public_key.public_numbers() == rsa_key().public_key().public_numbers()
    assert "public_key" not in repr(card)


def test_validity_bounds_are_inclusive(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca, not_before=NOW, not_after=NOW + timedelta(days=1))
    check_card_certificate(der, auth_ca=ca.cert, crl=crl, now=NOW)
    check_card_certificate(der, auth_ca=ca.cert, crl=crl, now=NOW + timedelta(days=1))


def test_ca_flag_false_and_non_repudiation_are_fine(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca, ca_flag=False, key_usage=usage(content_commitment=True))
    check_card_certificate(der, auth_ca=ca.cert, crl=crl, now=NOW)


def test_larger_rsa_keys_are_fine(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    check_card_certificate(user_cert(ca, key=rsa_key(3072)), auth_ca=ca.cert, crl=crl, now=NOW)


def test_a_profile_card_end_to_end(test_ca_dir: Path, profile_factory) -> None:  # type: ignore[no-untyped-def]
    """The software card's real APDU flow, checked by the backend's independent code."""
    profile = load_profile(profile_factory())
    auth_ca = x509.load_pem_x509_certificate((test_ca_dir / "auth_ca.pem").read_bytes())
    auth_ca_key = serialization.load_pem_private_key((test_ca_dir / "auth_ca_key.pem").read_bytes(), None)
    assert isinstance(auth_ca_key, rsa.RSAPrivateKey)
    crl = empty_crl(Ca(auth_ca, auth_ca_key))
    binding = auth_binding(secrets.token_bytes(32), "0b9c6a4e-1a8c-4c55-9a53-6f0d2f1f0c11", "kiosk-001")

    result = authenticate(InProcessConnection(SoftwareJpkiCard(profile)), binding, bytearray(b"1234"))
    card = check_card_certificate(result.certificate, auth_ca=auth_ca, crl=crl, now=NOW)
    verify_auth_signature(card, result.signature, binding)
    with pytest.raises(AuthSignatureInvalid):
        verify_auth_signature(card, result.signature, binding + b"\x00")

    sign_ca = x509.load_pem_x509_certificate((test_ca_dir / "sign_ca.pem").read_bytes())
    with pytest.raises(CardCertificateRejected) as caught:
        check_card_certificate(profile.auth_cert_der, auth_ca=sign_ca, crl=crl, now=NOW)
    assert caught.value.problem is CertificateProblem.WRONG_CA
    assert profile.sign_cert_der is not None
    with pytest.raises(CardCertificateRejected) as caught:
        check_card_certificate(profile.sign_cert_der, auth_ca=auth_ca, crl=crl, now=NOW)
    assert caught.value.problem is CertificateProblem.WRONG_CA


# --------------------------------------------------------------------------------------------- rejected


@pytest.mark.parametrize(
    "der",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x30\x03\x02\x01\x01", id="not-a-certificate"),
        pytest.param(b"-----BEGIN CERTIFICATE-----\n", id="pem-not-der"),
    ],
)
def test_malformed(der: bytes, ca: Ca, crl: x509.CertificateRevocationList) -> None:
    assert problem_of(der, ca, crl) is CertificateProblem.MALFORMED


def test_truncated_or_padded_der_is_malformed(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca)
    assert problem_of(der[:-1], ca, crl) is CertificateProblem.MALFORMED
    assert problem_of(der + b"\x00", ca, crl) is CertificateProblem.MALFORMED


def test_weak_rsa_key_is_malformed(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    assert problem_of(user_cert(ca, key=rsa_key(1024)), ca, crl) is CertificateProblem.MALFORMED


def test_ec_key_is_malformed(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca, key=ec.generate_private_key(ec.SECP256R1()))
    assert problem_of(der, ca, crl) is CertificateProblem.MALFORMED


def test_forged_signature_is_wrong_ca(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    # Same issuer name as the real CA, signed by another key.
    der = user_cert(ca, signed_by=make_ca().key)
    assert problem_of(der, ca, crl) is CertificateProblem.WRONG_CA


def test_other_issuer_is_wrong_ca(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    other = make_ca("digital signature", key=ca.key)
    # Signed with the right key but naming another issuer: still not this CA's certificate.
    der = user_cert(other)
    assert problem_of(der, ca, crl) is CertificateProblem.WRONG_CA


def test_tampered_certificate_is_wrong_ca(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = bytearray(user_cert(ca))
    der[-1] ^= 0x01
    assert problem_of(bytes(der), ca, crl) is CertificateProblem.WRONG_CA


def test_forgery_is_reported_before_anything_it_claims(ca: Ca) -> None:
    """A forged certificate with every other fault too is WRONG_CA: nothing in it was looked at first."""
    forger = make_ca()
    serial = 99
    der = user_cert(
        ca,
        key=rsa_key(1024),
        key_usage=usage(digital_signature=False, key_cert_sign=True),
        ca_flag=True,
        not_before=NOW - timedelta(days=10),
        not_after=NOW - timedelta(days=1),
        serial=serial,
        signed_by=forger.key,
    )
    assert problem_of(der, ca, empty_crl(ca, revoked=(serial,))) is CertificateProblem.WRONG_CA


@pytest.mark.parametrize(
    ("key_usage", "ca_flag"),
    [
        pytest.param(None, None, id="no-key-usage"),
        pytest.param(usage(digital_signature=False, content_commitment=True), None, id="no-digital-sig"),
        pytest.param(usage(key_cert_sign=True), None, id="key-cert-sign"),
        pytest.param(usage(crl_sign=True), None, id="crl-sign"),
        pytest.param(usage(), True, id="ca-true"),
    ],
)
def test_wrong_key_usage(
    key_usage: x509.KeyUsage | None, ca_flag: bool | None, ca: Ca, crl: x509.CertificateRevocationList
) -> None:
    der = user_cert(ca, key_usage=key_usage, ca_flag=ca_flag)
    assert problem_of(der, ca, crl) is CertificateProblem.WRONG_KEY_USAGE


def test_not_yet_valid(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca, not_before=NOW + timedelta(seconds=1))
    assert problem_of(der, ca, crl) is CertificateProblem.NOT_YET_VALID


def test_expired(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    der = user_cert(ca, not_before=NOW - timedelta(days=10), not_after=NOW - timedelta(seconds=1))
    assert problem_of(der, ca, crl) is CertificateProblem.EXPIRED


def test_revoked(ca: Ca) -> None:
    der = user_cert(ca, serial=1001)
    assert problem_of(der, ca, empty_crl(ca, revoked=(1000, 1001))) is CertificateProblem.REVOKED
    check_card_certificate(der, auth_ca=ca.cert, crl=empty_crl(ca, revoked=(1000, 1002)), now=NOW)


def test_a_crl_of_another_ca_proves_nothing(ca: Ca) -> None:
    der = user_cert(ca, serial=1001)
    other_crl = empty_crl(make_ca("digital signature"))
    assert problem_of(der, ca, other_crl) is CertificateProblem.REVOCATION_UNKNOWN


def test_rejection_reports_the_problem_code_only(ca: Ca, crl: x509.CertificateRevocationList) -> None:
    with pytest.raises(CardCertificateRejected) as caught:
        check_card_certificate(user_cert(ca, key_usage=None), auth_ca=ca.cert, crl=crl, now=NOW)
    assert caught.value.to_dict() == {
        "code": "certificate-rejected",
        "message": "card certificate rejected: wrong-key-usage",
        "problem": "wrong-key-usage",
    }


# --------------------------------------------------------------------------------------------- signature


@pytest.fixture(scope="module")
def card(ca: Ca, crl: x509.CertificateRevocationList) -> CheckedCard:
    return check_card_certificate(user_cert(ca), auth_ca=ca.cert, crl=crl, now=NOW)


def pkcs1(
    message: bytes, hash_algorithm: hashes.HashAlgorithm | None = None, key: rsa.RSAPrivateKey | None = None
) -> bytes:
    return (key or rsa_key()).sign(message, padding.PKCS1v15(), hash_algorithm or hashes.SHA256())


def test_signature_over_the_binding(card: CheckedCard) -> None:
    verify_auth_signature(card, pkcs1(b"binding bytes"), b"binding bytes")


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda: pkcs1(b"another binding"), id="other-binding"),
        pytest.param(lambda: pkcs1(b"binding bytes", hashes.SHA512()), id="sha512"),
        pytest.param(lambda: pkcs1(b"binding bytes", key=rsa_key(3072)), id="other-key"),
        pytest.param(
            lambda: rsa_key().sign(
                b"binding bytes", padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()
            ),
            id="pss",
        ),
        pytest.param(lambda: b"", id="empty"),
        pytest.param(lambda: bytes(256), id="zeros"),
    ],
)
def test_bad_signatures(card: CheckedCard, signature) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthSignatureInvalid) as caught:
        verify_auth_signature(card, signature(), b"binding bytes")
    assert caught.value.to_dict()["code"] == "signature-invalid"


def test_checked_card_is_only_made_by_the_check() -> None:
    with pytest.raises(TypeError):
        CheckedCard(serial=1, sha256="00" * 32, public_key=rsa_key().public_key())
