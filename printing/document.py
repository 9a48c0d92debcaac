"""What a certificate says, as data: built only from a `VerifiedDocument` (signature and binding checked).

住民票の写し: the address and 世帯主, then one block per member with the fields the resident chose (the
backend leaves out what was not asked for); 印鑑登録証明書: the registered name, birth date, sex, address,
registration number and seal impression. Labels and sentences come from `config/certificate.toml`; dates
are 和暦 with full-width digits, as certificates print them. Nothing here draws: printing/render.py does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from kiosk.backend.document import DocumentType, InkanContent, JuminhyoContent, Member, Sex
from kiosk.backend.verify import VerifiedDocument
from printing.verification import CertificateMetadata, certificate_metadata
from printing.wareki import Era, era_date
from printing.wording import Labels, Wording

__all__ = ["Certificate", "Field", "PersonBlock", "build_certificate"]


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    registered: bool  # registered text (names, addresses): drawn in IPAmj明朝 after the missing-glyph check


@dataclass(frozen=True)
class PersonBlock:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Certificate:
    document_type: DocumentType
    title: str
    municipality: str
    header: tuple[Field, ...]
    persons: tuple[PersonBlock, ...]
    certification: str
    issued_on: str
    mayor_title: str
    mayor_name: str
    serial: str
    seal_image: bytes | None
    verification_code: str
    metadata: CertificateMetadata

    def registered_texts(self) -> tuple[str, ...]:
        """Every string that must print exactly as registered (checked against the font before drawing)."""
        fields = [*self.header, *(field for person in self.persons for field in person.fields)]
        return (*(field.value for field in fields if field.registered), self.mayor_name)

    def pages(self, persons_per_page: int) -> tuple[tuple[PersonBlock, ...], ...]:
        """Persons split over pages; a household that overflows continues on further pages."""
        starts = range(0, len(self.persons), persons_per_page)
        return tuple(self.persons[start : start + persons_per_page] for start in starts) or ((),)


def build_certificate(
    document: VerifiedDocument, wording: Wording, eras: Sequence[Era] | None = None
) -> Certificate:
    content = document.content
    labels = wording.labels

    def wareki(day: date) -> str:
        return era_date(day, full_width=True, pad=True, eras=eras)

    metadata = certificate_metadata(document)

    if isinstance(content, JuminhyoContent):
        header = [Field(labels.address, content.address, registered=True)]
        if content.householder is not None:
            header.append(Field(labels.householder, content.householder, registered=True))
        document_type, title, certification = (
            DocumentType.JUMINHYO,
            wording.juminhyo.title,
            wording.juminhyo.certification,
        )
        persons = tuple(_member_block(member, labels, wareki) for member in content.members)
        seal_image = None
    else:
        header = []
        document_type, title = DocumentType.INKAN, wording.inkan.title
        certification = wording.inkan.certification
        persons = (_inkan_block(content, labels, wareki),)
        seal_image = content.seal_image
    return Certificate(
        document_type=document_type,
        title=title,
        municipality=content.municipality.name,
        header=tuple(header),
        persons=persons,
        certification=certification,
        issued_on=wareki(content.issued_at.date()),
        mayor_title=content.mayor_title,
        mayor_name=content.mayor_name,
        serial=content.serial,
        seal_image=seal_image,
        verification_code=metadata.subject,  # the QR code carries the same text the PDF's Subject does
        metadata=metadata,
    )


def _sex(sex: Sex | None, labels: Labels) -> str | None:
    if sex is None:
        return None
    return labels.male if sex is Sex.MALE else labels.female


def _member_block(member: Member, labels: Labels, wareki: Callable[[date], str]) -> PersonBlock:
    fields = [
        Field(labels.name, member.name, registered=True),
        Field(labels.name_kana, member.name_kana, registered=True) if member.name_kana else None,
        Field(labels.birth_date, wareki(member.birth_date), registered=False),
        Field(labels.sex, _sex(member.sex, labels) or "", registered=False),
        Field(labels.relationship, member.relationship, registered=True) if member.relationship else None,
        Field(labels.nationality, member.nationality, registered=True) if member.nationality else None,
        (
            Field(labels.became_resident_on, wareki(member.became_resident_on), registered=False)
            if member.became_resident_on
            else None
        ),
        (
            Field(labels.previous_address, member.previous_address, registered=True)
            if member.previous_address
            else None
        ),
        Field(labels.honseki, member.honseki, registered=True) if member.honseki else None,
        Field(labels.hittosha, member.hittosha, registered=True) if member.hittosha else None,
    ]
    return PersonBlock(tuple(field for field in fields if field is not None))


def _inkan_block(content: InkanContent, labels: Labels, wareki: Callable[[date], str]) -> PersonBlock:
    fields = [
        Field(labels.name, content.name, registered=True),
        Field(labels.birth_date, wareki(content.birth_date), registered=False),
        Field(labels.sex, _sex(content.sex, labels) or "", registered=False) if content.sex else None,
        Field(labels.address, content.address, registered=True),
        Field(labels.registration_number, content.registration_number, registered=False),
    ]
    return PersonBlock(tuple(field for field in fields if field is not None))
