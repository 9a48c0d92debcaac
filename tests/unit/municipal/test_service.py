"""The reference backend's protocol rules (municipal.service.IssuanceService), in-process without HTTP.

Every test runs a real service (PKI, JPKI-like test CA, CRL, SQLite with the sample residents, registered
terminals and cards) on its own copy of a data directory prepared once per module, with a settable clock.
Cards are software-card profiles; their signatures over the auth binding are what a card produces.
docs/backend-protocol.md is the contract; domain.md section 8 says why each rule exists.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography import x509

from kiosk.backend.api import (
    AuthenticateRequest,
    AuthenticateResponse,
    CompletionResponse,
    DocumentResponse,
    ErrorCode,
    Outcome,
    RefusalReason,
)
from kiosk.backend.canonical import auth_binding
from kiosk.backend.document import DocumentType, InkanContent, JuminhyoContent, Member, Municipality, Sex
from kiosk.backend.fields import UUID_PATTERN
from kiosk.errors import DocumentBindingError
from municipal.pki import issue_terminal_certificate
from municipal.registry import register_card, register_terminal, revoke_terminal
from municipal.residents import (
    ResidentStatus,
    import_residents,
    parse_residents,
    set_resident_status,
    set_seal_status,
    set_support_measures,
)
from municipal.seal import seal_impression_png
from municipal.service import JUMINHYO_OPTIONS, ApiError
from tests.unit.municipal.service_fixture import (
    BASE,
    CARD_RESIDENTS,
    JST,
    T1,
    T2,
    Backend,
    Card,
    Template,
    api_error,
    build_template,
    edited_settings,
    idempotency_key,
    open_backend,
    reissue,
    run_all,
    sample_personal_data,
    terminal_der,
)

_R = TypeVar("_R")

JUMINHYO, INKAN = DocumentType.JUMINHYO, DocumentType.INKAN
MUNICIPALITY = Municipality(code="999997", name="試験市")
H0001 = "試験県試験市中央一丁目2番3号"
HONSEKI_H0001 = "試験県試験市中央一丁目2番地"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return build_template(tmp_path_factory.mktemp("service-template"))


@pytest.fixture
def open_service(template: Template, tmp_path: Path) -> Iterator[Callable[..., Backend]]:
    """open_service(settings=None, now=BASE) -> a Backend on a fresh copy of the template."""
    opened: list[Backend] = []

    def make(settings: str | None = None, now: datetime = BASE) -> Backend:
        backend = open_backend(template, tmp_path / f"data{len(opened)}", settings=settings, now=now)
        opened.append(backend)
        return backend

    yield make
    for backend in opened:
        backend.close()


@pytest.fixture
def backend(open_service: Callable[..., Backend]) -> Backend:
    return open_service()


def offers_by_type(response: AuthenticateResponse) -> dict[DocumentType, RefusalReason | None]:
    return {offer.document_type: offer.refusal for offer in response.offers}


def juminhyo(response: DocumentResponse) -> JuminhyoContent:
    content = response.document.content
    assert isinstance(content, JuminhyoContent)
    return content


def session_row(backend: Backend, session_id: str) -> dict[str, object]:
    row = backend.db.connection().execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
    assert row is not None
    return dict(row)


# ============================================================================================ sessions


def test_create_session_gives_a_fresh_challenge_that_expires_after_session_minutes(backend: Backend) -> None:
    first = backend.session(T1)
    second = backend.session(T1)

    assert len(first.challenge) == 32
    assert first.expires_at == BASE + timedelta(minutes=5)
    assert backend.settings.server.session_minutes == 5
    assert re.fullmatch(UUID_PATTERN, first.session_id)
    assert first.session_id != second.session_id
    assert first.challenge != second.challenge
    row = session_row(backend, first.session_id)
    assert row["terminal_id"] == T1
    assert row["challenge"] == first.challenge
    assert row["challenge_answered"] == 0
    assert row["resident_id"] is None


def test_session_expiry_follows_the_clock(backend: Backend) -> None:
    later = BASE + timedelta(hours=3, minutes=7)
    backend.clock.set(later)
    assert backend.session().expires_at == later + timedelta(minutes=5)


def test_terminals_are_known_only_by_their_registered_unrevoked_certificate(backend: Backend) -> None:
    service = backend.service
    assert service.terminal_for_certificate(terminal_der(backend.pki, T1)) == T1
    assert service.terminal_for_certificate(terminal_der(backend.pki, T2)) == T2
    with api_error(403, ErrorCode.UNKNOWN_TERMINAL):
        service.terminal_for_certificate(None)
    with api_error(403, ErrorCode.UNKNOWN_TERMINAL):
        service.terminal_for_certificate(b"\x30\x03\x02\x01\x00")
    # A renewed certificate replaces the files, but only the registered fingerprint counts.
    issue_terminal_certificate(backend.pki, T1, now=BASE)
    with api_error(403, ErrorCode.UNKNOWN_TERMINAL):
        service.terminal_for_certificate(terminal_der(backend.pki, T1))
    revoke_terminal(backend.db, T2)
    with api_error(403, ErrorCode.UNKNOWN_TERMINAL):
        service.terminal_for_certificate(terminal_der(backend.pki, T2))


# ============================================================================================ authenticate


def test_authenticate_offers_both_documents_with_their_options(backend: Backend) -> None:
    session, response = backend.login("R0001")

    assert response.municipality == MUNICIPALITY
    assert [offer.document_type for offer in response.offers] == [JUMINHYO, INKAN]
    jumin, inkan = response.offers
    assert (jumin.available, jumin.refusal, jumin.fee_yen, jumin.max_copies) == (True, None, 200, 10)
    assert {o.key: (o.allowed, o.default) for o in jumin.options} == dict(JUMINHYO_OPTIONS)
    assert {o.key: o.default for o in jumin.options} == {
        "members": "self",
        "householder": "include",
        "honseki": "omit",
        "became-resident": "include",
        "previous-address": "omit",
    }
    assert (inkan.available, inkan.refusal, inkan.fee_yen, inkan.max_copies, inkan.options) == (
        True,
        None,
        200,
        10,
        (),
    )
    row = session_row(backend, session.session_id)
    assert row["resident_id"] == "R0001"
    assert row["card_certificate_sha256"] == backend.card("R0001").sha256
    assert row["challenge_answered"] == 1


def test_authenticate_responses_carry_no_personal_data(backend: Backend) -> None:
    personal = sample_personal_data()
    for resident in CARD_RESIDENTS:  # ordinary and every special case, refused or not
        _, response = backend.login(resident)
        text = response.model_dump_json()
        assert sorted(value for value in personal if value in text) == [], resident
        assert resident not in text
        assert backend.card(resident).sha256 not in text


@pytest.mark.parametrize(
    ("resident", "juminhyo_refusal", "inkan_refusal"),
    [
        pytest.param("R0001", None, None, id="ordinary"),
        pytest.param("R0018", RefusalReason.MOVED_OUT, RefusalReason.MOVED_OUT, id="moved-out"),
        pytest.param("R0015", RefusalReason.DECEASED, RefusalReason.DECEASED, id="deceased"),
        pytest.param("R0022", RefusalReason.SUPPORT_MEASURES, RefusalReason.SUPPORT_MEASURES, id="support"),
        pytest.param("R0025", None, RefusalReason.SEAL_CANCELLED, id="seal-cancelled"),
        pytest.param("R0021", None, RefusalReason.SEAL_NOT_REGISTERED, id="no-seal"),
        pytest.param("R0003", None, RefusalReason.SEAL_NOT_REGISTERED, id="child"),
        pytest.param("R0023", None, None, id="foreign-resident"),
    ],
)
def test_offers_of_special_residents_carry_the_refusal(
    backend: Backend,
    resident: str,
    juminhyo_refusal: RefusalReason | None,
    inkan_refusal: RefusalReason | None,
) -> None:
    _, response = backend.login(resident)
    assert offers_by_type(response) == {JUMINHYO: juminhyo_refusal, INKAN: inkan_refusal}
    for offer in response.offers:
        assert offer.available is (offer.refusal is None)


# --- hostile authentication: the certificate ------------------------------------------------------------


def assert_challenge_burned(backend: Backend, session_id: str, challenge: bytes) -> None:
    """After any failed answer the session's challenge is spent: even the right card is refused now."""
    good = backend.card("R0001").answer(challenge, session_id, T1)
    with api_error(409, ErrorCode.CHALLENGE_USED):
        backend.service.authenticate(T1, session_id, good)
    row = session_row(backend, session_id)
    assert (row["challenge_answered"], row["resident_id"], row["card_certificate_sha256"]) == (1, None, None)


@pytest.mark.parametrize(
    ("spare", "problem"),
    [("expired", "expired"), ("not-yet-valid", "not-yet-valid"), ("wrong-ca", "wrong-ca")],
)
def test_certificates_that_are_not_valid_now_or_not_ours_are_rejected(
    backend: Backend, template: Template, spare: str, problem: str
) -> None:
    card = template.spare[spare]  # registered to R0001: only the certificate is wrong
    session = backend.session()
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, problem):
        backend.authenticate(session, card)
    assert_challenge_burned(backend, session.session_id, session.challenge)


def test_certificate_validity_is_judged_at_server_time(backend: Backend, template: Template) -> None:
    """The cards refused above are accepted at instants inside their validity (the CRL is current then)."""
    backend.clock.set(BASE + timedelta(hours=1))  # the not-yet-valid card starts at BASE + 55 minutes
    _, response = backend.login(template.spare["not-yet-valid"])
    assert offers_by_type(response) == {JUMINHYO: None, INKAN: None}
    backend.clock.set(BASE - timedelta(hours=2))  # the expired card ended at BASE - 1 hour
    _, response = backend.login(template.spare["expired"])
    assert offers_by_type(response) == {JUMINHYO: None, INKAN: None}


def test_malformed_certificate_bytes_are_rejected(backend: Backend) -> None:
    session = backend.session()
    signature = backend.card("R0001").sign(auth_binding(session.challenge, session.session_id, T1))
    garbage = AuthenticateRequest(certificate=b"\x30\x82\x01\x00not a certificate", signature=signature)
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, "malformed"):
        backend.service.authenticate(T1, session.session_id, garbage)
    assert_challenge_burned(backend, session.session_id, session.challenge)


@pytest.mark.parametrize(
    "variant",
    ["no-digital-signature", "ca-flag"],
)
def test_certificates_of_the_real_ca_with_the_wrong_key_usage_are_rejected(
    backend: Backend, variant: str
) -> None:
    original = backend.card("R0001")
    if variant == "no-digital-signature":
        usage = x509.KeyUsage(
            digital_signature=False,
            content_commitment=True,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
        card = reissue(original, backend.pki.jpki_dir, key_usage=usage)
    else:
        card = reissue(
            original, backend.pki.jpki_dir, basic_constraints=x509.BasicConstraints(ca=True, path_length=0)
        )
    register_card(backend.db, card.certificate_der, "R0001", now=BASE)
    session = backend.session()
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, "wrong-key-usage"):
        backend.authenticate(session, card)
    assert_challenge_burned(backend, session.session_id, session.challenge)


def test_the_reissue_helper_makes_certificates_the_backend_accepts(backend: Backend) -> None:
    """Guard for the two tests above and the concurrency test: an unchanged reissue passes every check."""
    card = reissue(backend.card("R0001"), backend.pki.jpki_dir, key=backend.card("R0022").key)
    register_card(backend.db, card.certificate_der, "R0001", now=BASE)
    _, response = backend.login(card)
    assert offers_by_type(response) == {JUMINHYO: None, INKAN: None}


def test_a_card_revoked_in_the_current_crl_is_rejected(backend: Backend) -> None:
    card = backend.card("R0001")
    backend.login(card)  # accepted before the revocation
    backend.rewrite_crl(
        [(card.serial, BASE - timedelta(minutes=2))],
        at=BASE - timedelta(minutes=1),
        valid_for=timedelta(days=1),
    )
    session = backend.session()
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, "revoked"):
        backend.authenticate(session, card)
    # Other cards are unaffected by the new CRL.
    _, response = backend.login("R0003")
    assert offers_by_type(response)[JUMINHYO] is None


@pytest.mark.parametrize("crl_problem", ["missing", "stale", "not-yet-valid", "garbage"])
def test_without_a_current_crl_revocation_is_unknown(backend: Backend, crl_problem: str) -> None:
    crl = backend.pki.auth_crl
    if crl_problem == "missing":
        crl.unlink()
    elif crl_problem == "stale":
        backend.rewrite_crl([], at=BASE - timedelta(days=2), valid_for=timedelta(days=1))
    elif crl_problem == "not-yet-valid":
        backend.rewrite_crl([], at=BASE + timedelta(minutes=10), valid_for=timedelta(days=1))
    else:
        crl.write_bytes(b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")
    session = backend.session()
    answer = backend.card("R0001").answer(session.challenge, session.session_id, T1)
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, "revocation-unknown"):
        backend.service.authenticate(T1, session.session_id, answer)
    assert_challenge_burned(backend, session.session_id, session.challenge)


def test_a_crl_that_goes_stale_while_the_service_runs_stops_authentication(backend: Backend) -> None:
    backend.rewrite_crl([], at=BASE - timedelta(hours=1), valid_for=timedelta(hours=2))
    backend.login("R0001")
    backend.clock.advance(timedelta(hours=1, seconds=1))
    session = backend.session()
    answer = backend.card("R0001").answer(session.challenge, session.session_id, T1)
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, "revocation-unknown"):
        backend.service.authenticate(T1, session.session_id, answer)


def test_the_chain_is_checked_before_revocation(backend: Backend, template: Template) -> None:
    backend.rewrite_crl([], at=BASE - timedelta(days=2), valid_for=timedelta(days=1))  # stale
    session = backend.session()
    answer = template.spare["wrong-ca"].answer(session.challenge, session.session_id, T1)
    with api_error(403, ErrorCode.CERTIFICATE_REJECTED, "wrong-ca"):
        backend.service.authenticate(T1, session.session_id, answer)


# --- hostile authentication: the signature, the session, the card -------------------------------------


def test_a_signature_over_another_terminals_binding_is_invalid(backend: Backend) -> None:
    session = backend.session(T1)
    card = backend.card("R0001")
    answer = card.answer(session.challenge, session.session_id, T2)  # relayed from another terminal
    with api_error(403, ErrorCode.SIGNATURE_INVALID):
        backend.service.authenticate(T1, session.session_id, answer)
    assert_challenge_burned(backend, session.session_id, session.challenge)


def test_a_signature_over_another_sessions_challenge_is_invalid(backend: Backend) -> None:
    target, other = backend.session(), backend.session()
    card = backend.card("R0001")
    answer = AuthenticateRequest(
        certificate=card.certificate_der,
        signature=card.sign(auth_binding(other.challenge, target.session_id, T1)),
    )
    with api_error(403, ErrorCode.SIGNATURE_INVALID):
        backend.service.authenticate(T1, target.session_id, answer)


def test_a_signature_by_another_cards_key_is_invalid(backend: Backend) -> None:
    session = backend.session()
    impostor = backend.card("R0003")
    answer = AuthenticateRequest(
        certificate=backend.card("R0001").certificate_der,
        signature=impostor.sign(auth_binding(session.challenge, session.session_id, T1)),
    )
    with api_error(403, ErrorCode.SIGNATURE_INVALID):
        backend.service.authenticate(T1, session.session_id, answer)


def test_a_second_answer_to_an_answered_challenge_is_refused(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    again = backend.card("R0001").answer(session.challenge, session.session_id, T1)
    with api_error(409, ErrorCode.CHALLENGE_USED):
        backend.service.authenticate(T1, session.session_id, again)
    other = backend.card("R0003").answer(session.challenge, session.session_id, T1)
    with api_error(409, ErrorCode.CHALLENGE_USED):
        backend.service.authenticate(T1, session.session_id, other)
    assert session_row(backend, session.session_id)["resident_id"] == "R0001"  # the first answer stands


def test_a_failed_answer_burns_the_challenge(backend: Backend) -> None:
    session = backend.session()
    card = backend.card("R0001")
    with api_error(403, ErrorCode.SIGNATURE_INVALID):
        backend.authenticate(session, card, bound_to=T2)
    with api_error(409, ErrorCode.CHALLENGE_USED):
        backend.authenticate(session, card)
    with api_error(409, ErrorCode.NOT_AUTHENTICATED):
        backend.request(session.session_id)


def test_a_session_answered_from_another_terminal_is_refused_without_burning_it(backend: Backend) -> None:
    session = backend.session(T1)
    card = backend.card("R0001")
    with api_error(403, ErrorCode.WRONG_TERMINAL):
        backend.authenticate(session, card, T2)
    assert session_row(backend, session.session_id)["challenge_answered"] == 0
    assert offers_by_type(backend.authenticate(session, card, T1)) == {JUMINHYO: None, INKAN: None}


def test_an_expired_session_cannot_be_answered(backend: Backend) -> None:
    session = backend.session()
    card = backend.card("R0001")
    backend.clock.set(session.expires_at)
    with api_error(410, ErrorCode.SESSION_EXPIRED):
        backend.authenticate(session, card)


def test_a_session_answered_just_before_expiry_is_accepted(backend: Backend) -> None:
    session = backend.session()
    backend.clock.set(session.expires_at - timedelta(microseconds=1))
    response = backend.authenticate(session, backend.card("R0001"))
    assert offers_by_type(response) == {JUMINHYO: None, INKAN: None}


def test_an_unknown_session_is_not_found(backend: Backend) -> None:
    unknown = "0b8a6f0e-3c2d-4e5f-8a9b-0c1d2e3f4a5b"
    answer = backend.card("R0001").answer(bytes(32), unknown, T1)
    with api_error(404, ErrorCode.SESSION_NOT_FOUND):
        backend.service.authenticate(T1, unknown, answer)
    with api_error(404, ErrorCode.SESSION_NOT_FOUND):
        backend.request(unknown)


def test_a_valid_card_without_a_resident_is_not_registered(backend: Backend, template: Template) -> None:
    session = backend.session()
    answer = template.spare["unregistered"].answer(session.challenge, session.session_id, T1)
    with api_error(403, ErrorCode.CARD_NOT_REGISTERED):
        backend.service.authenticate(T1, session.session_id, answer)
    assert_challenge_burned(backend, session.session_id, session.challenge)


# ======================================================================================= requests: content


def test_juminhyo_for_self_with_default_options(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    response = backend.request(session.session_id)
    content = juminhyo(response)

    assert content.document_type is JUMINHYO
    assert content.municipality == MUNICIPALITY
    assert content.address == H0001
    assert content.householder == "髙橋 一郎"
    assert content.mayor_title == "試験市長"
    assert content.mayor_name == "見本 太郎"
    assert content.serial == "J-2026-000001"
    assert content.issued_at == BASE
    assert content.issued_at.utcoffset() == timedelta(hours=9)
    assert content.members == (
        Member(
            name="髙橋 一郎",
            name_kana="タカハシ イチロウ",
            birth_date=date(1975, 4, 1),
            sex=Sex.MALE,
            relationship="世帯主",
            became_resident_on=date(2001, 6, 15),
            previous_address=None,
            honseki=None,
            hittosha=None,
            nationality=None,
        ),
    )


def test_juminhyo_for_the_whole_household_lists_the_householder_first(backend: Backend) -> None:
    session, _ = backend.login("R0003")  # a child asks for the household
    content = juminhyo(backend.request(session.session_id, options={"members": "all"}))
    assert [m.name for m in content.members] == ["髙橋 一郎", "髙橋 花子", "髙橋 翔太", "髙橋 美咲"]
    assert [m.relationship for m in content.members] == ["世帯主", "妻", "子", "子"]
    assert content.householder == "髙橋 一郎"


def test_juminhyo_options_add_and_remove_fields(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    options = {
        "members": "all",
        "householder": "omit",
        "honseki": "include",
        "became-resident": "omit",
        "previous-address": "include",
    }
    content = juminhyo(backend.request(session.session_id, options=options))
    assert content.householder is None
    assert [m.relationship for m in content.members] == [None, None, None, None]
    assert [m.became_resident_on for m in content.members] == [None, None, None, None]
    assert [m.honseki for m in content.members] == [HONSEKI_H0001] * 4
    assert [m.hittosha for m in content.members] == ["髙橋 一郎"] * 4
    assert [m.previous_address for m in content.members] == [
        "試験県見本市栄町四丁目5番6号",
        "試験県模擬市緑町二丁目8番1号",
        None,  # the children were born here
        None,
    ]


def test_honseki_is_printed_for_japanese_nationals_only(backend: Backend) -> None:
    session, _ = backend.login("R0023")  # foreign householder of H0008
    content = juminhyo(backend.request(session.session_id, options={"members": "all", "honseki": "include"}))
    assert [(m.nationality, m.honseki, m.hittosha) for m in content.members] == [
        ("アメリカ合衆国", None, None),
        ("スウェーデン", None, None),
    ]
    assert content.members[0].name == (
        "ALEXANDRA MARIA ELEONORA KONSTANTINOPOULOU VANDERBERG-FITZGERALD DE LA CRUZ Y SANTAMARIA"
    )


@pytest.mark.parametrize(
    ("resident", "listed", "never"),
    [
        pytest.param(
            "R0016", ["R0016", "R0017", "R0019", "R0020", "R0021"], "鈴木 拓海", id="moved-out-R0018"
        ),
        pytest.param("R0011", ["R0011", "R0012", "R0013", "R0014"], "佐藤 正雄", id="deceased-R0015"),
    ],
)
def test_moved_out_and_deceased_members_are_never_listed(
    backend: Backend, resident: str, listed: list[str], never: str
) -> None:
    names = {
        "R0016": "鈴木 浩",
        "R0017": "鈴木 真理子",
        "R0019": "鈴木 さくら",
        "R0020": "鈴木 蓮",
        "R0021": "鈴木 文子",
        "R0011": "佐藤 誠",
        "R0012": "佐藤 恵子",
        "R0013": "佐藤 大輝",
        "R0014": "佐藤 結衣",
    }
    session, _ = backend.login(resident)
    response = backend.request(session.session_id, options={"members": "all", "previous-address": "include"})
    assert [m.name for m in juminhyo(response).members] == [names[r] for r in listed]
    assert never not in response.model_dump_json()


def test_a_member_marked_moved_out_later_disappears_from_the_household_copy(backend: Backend) -> None:
    set_resident_status(backend.db, "R0002", "moved-out", now=BASE)
    session, _ = backend.login("R0001")
    response = backend.request(session.session_id, options={"members": "all"})
    assert [m.name for m in juminhyo(response).members] == ["髙橋 一郎", "髙橋 翔太", "髙橋 美咲"]


@pytest.mark.parametrize("status", ["moved-out", "deceased"])
def test_a_householder_who_left_is_not_printed_as_householder(
    backend: Backend, status: ResidentStatus
) -> None:
    set_resident_status(backend.db, "R0001", status, now=BASE)
    session, _ = backend.login("R0003")
    response = backend.request(session.session_id, options={"members": "all"})
    assert [m.name for m in juminhyo(response).members] == ["髙橋 花子", "髙橋 翔太", "髙橋 美咲"]
    assert "髙橋 一郎" not in response.model_dump_json()


def test_inkan_certificate_has_the_seal_image_and_registration_number(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    response = backend.request(session.session_id, INKAN)
    content = response.document.content
    assert isinstance(content, InkanContent)
    stored = backend.db.connection().execute("SELECT image FROM seals WHERE resident_id = 'R0001'").fetchone()
    assert content.seal_image == bytes(stored["image"]) == seal_impression_png("S-000001")
    assert content.seal_image.startswith(b"\x89PNG\r\n\x1a\n")
    assert (content.registration_number, content.name, content.birth_date, content.sex) == (
        "S-000001",
        "髙橋 一郎",
        date(1975, 4, 1),
        Sex.MALE,
    )
    assert (content.address, content.municipality, content.serial) == (H0001, MUNICIPALITY, "I-2026-000001")
    assert (content.mayor_title, content.mayor_name, content.issued_at) == ("試験市長", "見本 太郎", BASE)


# ======================================================================================= requests: signing


@pytest.mark.parametrize("document_type", [JUMINHYO, INKAN])
def test_the_signed_envelope_verifies_with_the_pinned_key_and_the_kiosks_binding(
    backend: Backend, document_type: DocumentType
) -> None:
    card = backend.card("R0001")
    session, _ = backend.login(card)
    response = backend.request(session.session_id, document_type)
    verified = backend.verify(response, session.session_id, card)
    assert verified.algorithm == "Ed25519"
    assert verified.binding.session_id == session.session_id
    assert verified.binding.request_id == response.request_id
    assert verified.binding.terminal_id == T1
    assert verified.binding.card_certificate_sha256 == card.sha256
    assert verified.content == response.document.content
    # The same document is refused for any other transaction: another terminal, another card.
    with pytest.raises(DocumentBindingError):
        backend.verify(response, session.session_id, card, terminal_id=T2)
    with pytest.raises(DocumentBindingError):
        backend.verify(response, session.session_id, backend.card("R0003"))


def test_serials_are_unique_and_increase_per_document_type(backend: Backend) -> None:
    first, _ = backend.login("R0001")
    second, _ = backend.login("R0016", terminal_id=T2)
    serials = [
        backend.request(first.session_id).document.content.serial,
        backend.request(second.session_id, terminal_id=T2).document.content.serial,
        backend.request(first.session_id, INKAN).document.content.serial,
        backend.request(first.session_id).document.content.serial,
        backend.request(second.session_id, INKAN, terminal_id=T2).document.content.serial,
    ]
    assert serials == ["J-2026-000001", "J-2026-000002", "I-2026-000001", "J-2026-000003", "I-2026-000002"]
    rows = (
        backend.db.connection().execute("SELECT serial FROM requests ORDER BY created_at, serial").fetchall()
    )
    assert sorted(row["serial"] for row in rows) == sorted(serials)


def test_the_serial_year_is_the_year_in_japan(open_service: Callable[..., Backend]) -> None:
    window = 'open = "06:30"\nclose = "23:00"\nyear_end = { from = "12-29", to = "01-03" }'
    all_day = 'open = "00:00"\nclose = "24:00"\nyear_end = { enabled = false }'
    backend = open_service(settings=edited_settings([(window, all_day)]))
    backend.clock.set(datetime(2026, 12, 31, 14, 59, 58, tzinfo=UTC))  # 23:59:58 JST on 12/31
    session, _ = backend.login("R0001")
    last = juminhyo(backend.request(session.session_id))
    backend.clock.set(datetime(2026, 12, 31, 15, 0, tzinfo=UTC))  # 00:00 JST on 1/1, still 2026 in UTC
    first = juminhyo(backend.request(session.session_id))
    assert (last.serial, first.serial) == ("J-2026-000001", "J-2027-000001")
    assert first.issued_at.astimezone(JST).date() == date(2027, 1, 1)


# ============================================================================================ requests: rules


def test_a_request_before_authentication_is_refused(backend: Backend) -> None:
    session = backend.session()
    with api_error(409, ErrorCode.NOT_AUTHENTICATED):
        backend.request(session.session_id)
    assert backend.count("requests") == 0


@pytest.mark.parametrize(
    ("document_type", "options", "key"),
    [
        pytest.param(JUMINHYO, {"colour": "red"}, "colour", id="unknown-key"),
        pytest.param(JUMINHYO, {"members": "everyone"}, "members", id="bad-value"),
        pytest.param(JUMINHYO, {"members": "all", "honseki": "yes"}, "honseki", id="second-key-bad"),
        pytest.param(INKAN, {"members": "self"}, "members", id="inkan-has-no-options"),
    ],
)
def test_invalid_options_are_refused_naming_the_key(
    backend: Backend, document_type: DocumentType, options: dict[str, str], key: str
) -> None:
    session, _ = backend.login("R0001")
    with api_error(422, ErrorCode.OPTION_INVALID, key):
        backend.request(session.session_id, document_type, options=options)
    assert backend.count("requests") == 0
    assert backend.count("serials") == 0  # no serial was taken


def test_more_copies_than_the_document_allows_are_refused(open_service: Callable[..., Backend]) -> None:
    juminhyo_block = "[documents.juminhyo]\nfee_yen = 200\nmax_copies = 10"
    backend = open_service(
        settings=edited_settings([(juminhyo_block, "[documents.juminhyo]\nfee_yen = 200\nmax_copies = 2")])
    )
    session, response = backend.login("R0001")
    assert [offer.max_copies for offer in response.offers] == [2, 10]
    with api_error(422, ErrorCode.TOO_MANY_COPIES):
        backend.request(session.session_id, copies=3)
    assert backend.count("requests") == 0
    assert juminhyo(backend.request(session.session_id, copies=2)).serial == "J-2026-000001"
    assert backend.request(session.session_id, INKAN, copies=10).document.content.serial == "I-2026-000001"


def test_a_session_may_ask_for_at_most_max_requests_per_session(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    assert backend.settings.server.max_requests_per_session == 4
    keys = [idempotency_key() for _ in range(4)]
    issued = [backend.request(session.session_id, key=key) for key in keys]
    with api_error(429, ErrorCode.TOO_MANY_REQUESTS):
        backend.request(session.session_id, INKAN)
    # A retry of a request already made is no new request.
    assert backend.request(session.session_id, key=keys[3]) == issued[3]
    assert backend.count("requests") == 4


def test_the_same_idempotency_key_and_body_returns_the_same_signed_document(backend: Backend) -> None:
    card = backend.card("R0001")
    session, _ = backend.login(card)
    key = idempotency_key()
    options = {"members": "all", "honseki": "include"}
    first = backend.request(session.session_id, options=options, copies=2, key=key)
    backend.clock.advance(timedelta(seconds=30))  # a retry after a lost answer
    again = backend.request(session.session_id, options=options, copies=2, key=key)

    assert again == first
    assert again.request_id == first.request_id
    assert again.document.signature == first.document.signature
    assert again.document.content.serial == first.document.content.serial
    backend.verify(again, session.session_id, card)
    assert backend.count("requests") == 1
    # The retry took no serial: the next request gets the next number.
    assert backend.request(session.session_id).document.content.serial == "J-2026-000002"


@pytest.mark.parametrize(
    ("document_type", "options", "copies"),
    [
        pytest.param(JUMINHYO, {"members": "all"}, 3, id="copies"),
        pytest.param(JUMINHYO, {"members": "self"}, 2, id="options"),
        pytest.param(JUMINHYO, {}, 2, id="options-left-out"),
        pytest.param(INKAN, {}, 2, id="document-type"),
    ],
)
def test_the_same_idempotency_key_with_another_body_conflicts(
    backend: Backend, document_type: DocumentType, options: dict[str, str], copies: int
) -> None:
    session, _ = backend.login("R0001")
    key = idempotency_key()
    first = backend.request(session.session_id, JUMINHYO, options={"members": "all"}, copies=2, key=key)
    with api_error(409, ErrorCode.IDEMPOTENCY_CONFLICT):
        backend.request(session.session_id, document_type, options=options, copies=copies, key=key)
    assert backend.count("requests") == 1
    again = backend.request(session.session_id, JUMINHYO, options={"members": "all"}, copies=2, key=key)
    assert again == first


def test_the_same_idempotency_key_in_another_session_is_another_request(backend: Backend) -> None:
    key = idempotency_key()
    one, _ = backend.login("R0001")
    two, _ = backend.login("R0001")
    first = backend.request(one.session_id, key=key)
    second = backend.request(two.session_id, key=key)
    assert first.request_id != second.request_id
    assert backend.count("requests") == 2


def test_a_seal_cancelled_after_authentication_is_refused(backend: Backend) -> None:
    """The さいたま/新潟/熊本 case: the register is read in the request's own transaction, never cached."""
    session, response = backend.login("R0001")
    assert offers_by_type(response)[INKAN] is None  # still registered when the offers were made
    set_seal_status(backend.db, "R0001", "cancelled", now=BASE)
    with api_error(403, ErrorCode.REFUSED, "seal-cancelled"):
        backend.request(session.session_id, INKAN)
    assert backend.count("requests") == 0
    assert backend.count("serials") == 0
    # The 住民票 is not affected by the seal.
    assert juminhyo(backend.request(session.session_id)).serial == "J-2026-000001"


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        pytest.param(
            lambda b: set_resident_status(b.db, "R0001", "moved-out", now=BASE), "moved-out", id="moved-out"
        ),
        pytest.param(
            lambda b: set_resident_status(b.db, "R0001", "deceased", now=BASE), "deceased", id="deceased"
        ),
        pytest.param(
            lambda b: set_support_measures(b.db, "R0001", True, now=BASE), "support-measures", id="support"
        ),
    ],
)
@pytest.mark.parametrize("document_type", [JUMINHYO, INKAN])
def test_a_resident_changed_after_authentication_is_refused(
    backend: Backend, change: Callable[[Backend], None], refusal: str, document_type: DocumentType
) -> None:
    session, response = backend.login("R0001")
    assert offers_by_type(response) == {JUMINHYO: None, INKAN: None}
    change(backend)
    with api_error(403, ErrorCode.REFUSED, refusal):
        backend.request(session.session_id, document_type)
    assert backend.count("requests") == 0


@pytest.mark.parametrize(
    ("resident", "document_type", "refusal"),
    [
        ("R0018", JUMINHYO, "moved-out"),
        ("R0015", INKAN, "deceased"),
        ("R0022", JUMINHYO, "support-measures"),
        ("R0025", INKAN, "seal-cancelled"),
        ("R0021", INKAN, "seal-not-registered"),
        ("R0003", INKAN, "seal-not-registered"),
    ],
)
def test_a_request_the_offer_refused_is_refused_with_the_same_code(
    backend: Backend, resident: str, document_type: DocumentType, refusal: str
) -> None:
    session, _ = backend.login(resident)
    with api_error(403, ErrorCode.REFUSED, refusal):
        backend.request(session.session_id, document_type)


def test_a_session_is_used_only_by_its_own_terminal_and_only_until_it_expires(backend: Backend) -> None:
    session, _ = backend.login("R0001", terminal_id=T1)
    with api_error(403, ErrorCode.WRONG_TERMINAL):
        backend.request(session.session_id, terminal_id=T2)
    backend.clock.set(session.expires_at)
    with api_error(410, ErrorCode.SESSION_EXPIRED):
        backend.request(session.session_id)
    assert backend.count("requests") == 0


# ============================================================================================ completion


def issued(backend: Backend, copies: int = 1, document_type: DocumentType = JUMINHYO) -> DocumentResponse:
    session, _ = backend.login("R0001")
    return backend.request(session.session_id, document_type, copies=copies)


def test_printed_charges_the_fee_for_each_copy_printed(backend: Backend) -> None:
    response = issued(backend, copies=3)
    backend.clock.advance(timedelta(minutes=2))
    result = backend.complete(response.request_id, Outcome.PRINTED, 2)
    assert (result.request_id, result.outcome, result.copies_printed, result.charged_yen) == (
        response.request_id,
        Outcome.PRINTED,
        2,
        400,
    )
    assert result.completed_at == BASE + timedelta(minutes=2)
    row = backend.request_row(response.request_id)
    assert (row["outcome"], row["copies_printed"], row["charged_yen"], row["fee_yen"]) == (
        "printed",
        2,
        400,
        200,
    )


@pytest.mark.parametrize(
    ("outcome", "copies"), [(Outcome.FAILED, 0), (Outcome.FAILED, 1), (Outcome.CANCELLED, 0)]
)
def test_failed_and_cancelled_charge_nothing(backend: Backend, outcome: Outcome, copies: int) -> None:
    response = issued(backend, copies=2)
    result = backend.complete(response.request_id, outcome, copies)
    assert (result.outcome, result.copies_printed, result.charged_yen) == (outcome, copies, 0)


def test_the_first_completion_decides_and_repeats_get_it_back(backend: Backend) -> None:
    response = issued(backend, copies=2)
    first = backend.complete(response.request_id, Outcome.PRINTED, 2)
    backend.clock.advance(timedelta(minutes=1))
    assert backend.complete(response.request_id, Outcome.CANCELLED, 0) == first
    assert backend.complete(response.request_id, Outcome.FAILED, 1) == first
    assert backend.complete(response.request_id, Outcome.PRINTED, 2) == first
    assert first.completed_at == BASE


def test_more_copies_printed_than_requested_are_refused_and_leave_the_request_open(backend: Backend) -> None:
    response = issued(backend, copies=2)
    with api_error(422, ErrorCode.TOO_MANY_COPIES):
        backend.complete(response.request_id, Outcome.PRINTED, 3)
    with api_error(422, ErrorCode.TOO_MANY_COPIES):
        backend.complete(response.request_id, Outcome.FAILED, 3)
    assert backend.request_row(response.request_id)["outcome"] is None
    assert backend.complete(response.request_id, Outcome.PRINTED, 2).charged_yen == 400


def test_a_completion_from_another_terminal_or_for_an_unknown_request_is_refused(backend: Backend) -> None:
    response = issued(backend)
    with api_error(403, ErrorCode.WRONG_TERMINAL):
        backend.complete(response.request_id, Outcome.PRINTED, 1, terminal_id=T2)
    assert backend.request_row(response.request_id)["outcome"] is None
    with api_error(404, ErrorCode.REQUEST_NOT_FOUND):
        backend.complete("0b8a6f0e-3c2d-4e5f-8a9b-0c1d2e3f4a5b", Outcome.PRINTED, 1)


def test_completion_erases_the_document_and_closes_the_request(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    key = idempotency_key()
    response = backend.request(session.session_id, INKAN, key=key)
    assert backend.request_row(response.request_id)["response"] is not None
    backend.complete(response.request_id, Outcome.PRINTED, 1)
    row = backend.request_row(response.request_id)
    assert row["response"] is None
    assert row["serial"] == "I-2026-000001"  # the register of what was issued stays
    with api_error(409, ErrorCode.REQUEST_CLOSED):
        backend.request(session.session_id, INKAN, key=key)


def test_a_completion_after_the_deadline_closes_the_request_as_failed(backend: Backend) -> None:
    response = issued(backend, copies=2)
    deadline = BASE + timedelta(minutes=backend.settings.server.request_deadline_minutes)
    assert backend.request_row(response.request_id)["deadline"] == "2026-11-24T03:15:00.000000+00:00"
    backend.clock.set(deadline + timedelta(seconds=1))
    result = backend.complete(response.request_id, Outcome.PRINTED, 2)  # the late kiosk says printed
    assert (result.outcome, result.copies_printed, result.charged_yen) == (Outcome.FAILED, 0, 0)
    assert backend.request_row(response.request_id)["response"] is None
    assert backend.complete(response.request_id, Outcome.PRINTED, 2) == result


def test_a_completion_just_before_the_deadline_counts(backend: Backend) -> None:
    response = issued(backend, copies=2)
    backend.clock.set(BASE + timedelta(minutes=15) - timedelta(seconds=1))
    result = backend.complete(response.request_id, Outcome.PRINTED, 2)
    assert (result.outcome, result.charged_yen) == (Outcome.PRINTED, 400)


def test_close_overdue_closes_only_open_requests_past_their_deadline(backend: Backend) -> None:
    done = issued(backend)
    overdue = issued(backend, copies=2)
    backend.complete(done.request_id, Outcome.PRINTED, 1)
    backend.clock.set(BASE + timedelta(minutes=10))
    recent = issued(backend)  # deadline BASE + 25 minutes

    assert backend.service.close_overdue() == 0
    backend.clock.set(BASE + timedelta(minutes=15))  # overdue's deadline
    assert backend.service.close_overdue() == 1
    assert backend.service.close_overdue() == 0

    closed = backend.request_row(overdue.request_id)
    assert (closed["outcome"], closed["copies_printed"], closed["charged_yen"], closed["response"]) == (
        "failed",
        0,
        0,
        None,
    )
    assert backend.request_row(done.request_id)["outcome"] == "printed"
    assert backend.request_row(recent.request_id)["outcome"] is None
    assert backend.request_row(recent.request_id)["response"] is not None
    # The late completion gets the sweep's result.
    late = backend.complete(overdue.request_id, Outcome.PRINTED, 2)
    assert (late.outcome, late.charged_yen, late.completed_at) == (
        Outcome.FAILED,
        0,
        BASE + timedelta(minutes=15),
    )

    backend.clock.set(BASE + timedelta(minutes=30))
    assert backend.service.close_overdue() == 1
    assert backend.request_row(recent.request_id)["outcome"] == "failed"


# ============================================================================================ hours


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        pytest.param(datetime(2026, 11, 23, 21, 29, 59, tzinfo=UTC), False, id="06:29:59-JST"),
        pytest.param(datetime(2026, 11, 23, 21, 30, 0, tzinfo=UTC), True, id="06:30:00-JST"),
        # The terminals' last-start cutoff (10 minutes) applies to sessions too: none starts after 22:50.
        pytest.param(datetime(2026, 11, 24, 13, 49, 59, tzinfo=UTC), True, id="22:49:59-JST"),
        pytest.param(datetime(2026, 11, 24, 13, 50, 0, tzinfo=UTC), False, id="22:50:00-JST"),
        pytest.param(datetime(2026, 11, 24, 14, 0, 0, tzinfo=UTC), False, id="23:00:00-JST"),
        pytest.param(datetime(2026, 12, 28, 13, 0, tzinfo=UTC), True, id="12-28-22:00-JST"),
        pytest.param(datetime(2026, 12, 28, 22, 0, tzinfo=UTC), False, id="12-29-07:00-JST-still-12-28-UTC"),
        pytest.param(datetime(2027, 1, 3, 3, 0, tzinfo=UTC), False, id="01-03-12:00-JST"),
        pytest.param(datetime(2027, 1, 3, 21, 30, tzinfo=UTC), True, id="01-04-06:30-JST-still-01-03-UTC"),
    ],
)
def test_default_hours_in_japan_time(backend: Backend, instant: datetime, is_open: bool) -> None:
    backend.clock.set(instant)
    session, response = backend.login("R0001")
    expected = None if is_open else RefusalReason.CLOSED
    assert offers_by_type(response) == {JUMINHYO: expected, INKAN: expected}
    if is_open:
        assert juminhyo(backend.request(session.session_id)).issued_at == instant
    else:
        with api_error(403, ErrorCode.REFUSED, "closed"):
            backend.request(session.session_id)


def test_a_session_that_began_in_time_is_served_until_closing_plus_grace(
    open_service: Callable[..., Backend],
) -> None:
    backend = open_service(settings=edited_settings([("session_minutes = 5 ", "session_minutes = 30 ")]))
    backend.clock.set(datetime(2026, 11, 24, 13, 49, tzinfo=UTC))  # 22:49 JST, before the last start
    session, response = backend.login("R0001")
    assert offers_by_type(response) == {JUMINHYO: None, INKAN: None}
    backend.clock.set(datetime(2026, 11, 24, 14, 5, tzinfo=UTC))  # 23:05 JST: closing + 5 minutes grace
    assert juminhyo(backend.request(session.session_id)).serial == "J-2026-000001"
    backend.clock.set(datetime(2026, 11, 24, 14, 5, 0, 1, tzinfo=UTC))  # past the grace, session still valid
    with api_error(403, ErrorCode.REFUSED, "closed"):
        backend.request(session.session_id, INKAN)


WEEKDAY_INKAN = """
[calendar.municipalities."999997".documents.inkan]
open = "08:30"
close = "17:15"
weekdays_only = true
"""


@pytest.mark.parametrize(
    ("instant", "inkan_refusal"),
    [
        pytest.param(
            datetime(2026, 11, 28, 3, 0, tzinfo=UTC), RefusalReason.OUTSIDE_DOCUMENT_HOURS, id="sat-12:00"
        ),
        pytest.param(datetime(2026, 11, 27, 3, 0, tzinfo=UTC), None, id="fri-12:00"),
        pytest.param(
            datetime(2026, 11, 27, 9, 0, tzinfo=UTC), RefusalReason.OUTSIDE_DOCUMENT_HOURS, id="fri-18:00"
        ),
        pytest.param(
            datetime(2026, 11, 27, 15, 0, tzinfo=UTC), RefusalReason.OUTSIDE_DOCUMENT_HOURS, id="sat-00:00"
        ),
    ],
)
def test_a_document_with_its_own_weekday_hours(
    open_service: Callable[..., Backend], instant: datetime, inkan_refusal: RefusalReason | None
) -> None:
    backend = open_service(settings=edited_settings(append=WEEKDAY_INKAN))
    backend.clock.set(instant)
    municipality_open = RefusalReason.CLOSED if instant.astimezone(JST).hour < 6 else None
    session, response = backend.login("R0001")
    assert offers_by_type(response) == {
        JUMINHYO: municipality_open,
        INKAN: inkan_refusal or municipality_open,  # the document's own hours are the more specific reason
    }
    if municipality_open is None and inkan_refusal is not None:
        with api_error(403, ErrorCode.REFUSED, str(inkan_refusal)):
            backend.request(session.session_id, INKAN)
        assert juminhyo(backend.request(session.session_id)).serial == "J-2026-000001"


# ============================================================================================ concurrency


def synthetic_households(count: int) -> str:
    """`count` fictitious one-person households (ids HC00.., RC00..), each with a distinct name."""
    households = [
        {
            "id": f"HC{index:02d}",
            "address": f"試験県試験市架空町{index + 1}番地",
            "members": [
                {
                    "id": f"RC{index:02d}",
                    "name": f"架空 太郎{index:02d}",
                    "name_kana": "カクウ タロウ",
                    "birth_date": "1990-01-01",
                    "sex": "male",
                    "relationship": "世帯主",
                    "householder": True,
                    "became_resident_on": "2010-04-01",
                    "nationality": None,
                    "status": "resident",
                    "support_measures": False,
                }
            ],
        }
        for index in range(count)
    ]
    return json.dumps({"format": "konbini-residents/v1", "households": households}, ensure_ascii=False)


def test_fifty_concurrent_transactions_never_mix_residents(backend: Backend, template: Template) -> None:
    """The 川崎/高松 cases: 50 terminals, 50 cards, all at once; everyone gets their own record only."""
    count = 50
    import_residents(backend.db, parse_residents(synthetic_households(count)), now=BASE)
    # Cards: one certificate each from the real auth CA; keys are shared among a pool (RSA keygen is slow),
    # which does not matter here since the backend knows a card by its certificate's SHA-256.
    keys = [card.key for card in template.cards.values()]
    participants: list[tuple[str, str, Card]] = []
    for index in range(count):
        terminal_id = f"TC{index:02d}"
        issue_terminal_certificate(backend.pki, terminal_id, now=BASE)
        register_terminal(backend.db, terminal_id, terminal_der(backend.pki, terminal_id), now=BASE)
        card = reissue(template.cards["R0001"], backend.pki.jpki_dir, key=keys[index % len(keys)])
        register_card(backend.db, card.certificate_der, f"RC{index:02d}", now=BASE)
        participants.append((terminal_id, f"架空 太郎{index:02d}", card))

    start = threading.Barrier(count)

    def transaction(terminal_id: str, card: Card) -> tuple[str, DocumentResponse]:
        start.wait()
        session = backend.service.create_session(terminal_id)
        answer = card.answer(session.challenge, session.session_id, terminal_id)
        backend.service.authenticate(terminal_id, session.session_id, answer)
        request_options = {"members": "self"}
        response = backend.request(session.session_id, options=request_options, terminal_id=terminal_id)
        return session.session_id, response

    results = run_all(
        [functools.partial(transaction, terminal_id, card) for terminal_id, _, card in participants]
    )

    serials = set()
    for (terminal_id, name, card), (session_id, response) in zip(participants, results, strict=True):
        content = juminhyo(response)
        assert [member.name for member in content.members] == [name]
        assert content.householder == name
        backend.verify(response, session_id, card, terminal_id=terminal_id)
        serials.add(content.serial)
    assert len(serials) == count
    assert serials == {f"J-2026-{number:06d}" for number in range(1, count + 1)}
    assert backend.count("requests") == count
    assert len({session_id for session_id, _ in results}) == count


def outcome_of(call: Callable[[], _R]) -> _R | ApiError:
    try:
        return call()
    except ApiError as error:
        return error


def test_concurrent_answers_to_one_challenge_let_exactly_one_through(backend: Backend) -> None:
    session = backend.session()
    card = backend.card("R0001")
    start = threading.Barrier(10)

    def answer() -> AuthenticateResponse | ApiError:
        start.wait()
        return outcome_of(lambda: backend.authenticate(session, card))

    results = run_all([answer] * 10)
    accepted = [result for result in results if isinstance(result, AuthenticateResponse)]
    refused = [(e.status, e.code) for e in results if isinstance(e, ApiError)]
    assert len(accepted) == 1
    assert refused == [(409, ErrorCode.CHALLENGE_USED)] * 9


def test_concurrent_retries_with_one_idempotency_key_make_one_request(backend: Backend) -> None:
    session, _ = backend.login("R0001")
    key = idempotency_key()
    start = threading.Barrier(10)

    def retry() -> DocumentResponse:
        start.wait()
        return backend.request(session.session_id, options={"members": "all"}, key=key)

    results = run_all([retry] * 10)
    assert all(result == results[0] for result in results)
    assert backend.count("requests") == 1
    assert juminhyo(results[0]).serial == "J-2026-000001"


def test_concurrent_completions_are_recorded_once(backend: Backend) -> None:
    response = issued(backend, copies=2)
    start = threading.Barrier(10)

    def complete(outcome: Outcome, copies: int) -> CompletionResponse:
        start.wait()
        return backend.complete(response.request_id, outcome, copies)

    jobs = [functools.partial(complete, Outcome.PRINTED, 2 - index % 2) for index in range(5)]
    jobs += [functools.partial(complete, Outcome.CANCELLED, 0) for _ in range(5)]
    results = run_all(jobs)
    assert all(result == results[0] for result in results)
    row = backend.request_row(response.request_id)
    assert (row["outcome"], row["copies_printed"], row["charged_yen"]) == (
        str(results[0].outcome),
        results[0].copies_printed,
        results[0].charged_yen,
    )
