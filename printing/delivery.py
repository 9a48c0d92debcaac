"""Deliver a verified document: render the certificate, hand it to the printer (and, testing, a folder).

`CertificateDelivery.deliver` is what `kiosk.issue.issue_document` calls after the signature and the binding
were checked; it is the only path from a backend answer to paper. The PDF stays in memory; with `--out` a copy
is written for testing (whole or not at all, readable by its owner only: it holds a resident's data).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.backend.verify import VerifiedDocument
from printing.document import build_certificate
from printing.render import Renderer
from printing.wording import Wording

__all__ = ["CertificateDelivery", "write_private_file"]


@dataclass(frozen=True)
class CertificateDelivery:
    renderer: Renderer
    wording: Wording
    out_dir: Path | None = None
    #: prints `copies` of the PDF and returns where it went; raises when the print did not complete
    printer: Callable[[bytes, str, int], str] | None = None

    def deliver(self, document: VerifiedDocument, copies: int) -> str:
        pdf = self.renderer.render(build_certificate(document, self.wording))
        serial = document.content.serial
        where: list[str] = []
        if self.out_dir is not None:
            where.append(str(write_private_file(self.out_dir, f"{serial}.pdf", pdf)))
        if self.printer is not None:
            # The job name carries the serial only: CUPS logs job names.
            where.append(self.printer(pdf, f"kiosk-{serial}", copies))
        if not where:
            raise ValueError("nowhere to deliver: neither a printer nor an output folder")
        return " ".join(where)


def write_private_file(folder: Path, name: str, data: bytes) -> Path:
    """Temp file, fsync, rename; mode 0600 from the start."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
