"""Until printing lands (issue 5), `kiosk issue` delivers the verified document as a JSON file.

Only a `VerifiedDocument` can be delivered. The file is written whole or not at all (temp file, fsync,
rename) and readable by its owner only: it holds a resident's data and belongs to the tester who asked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kiosk.backend.verify import VerifiedDocument

__all__ = ["write_document_json"]


def write_document_json(document: VerifiedDocument, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "content": document.content.model_dump(mode="json"),
        "binding": document.binding.model_dump(mode="json"),
        "algorithm": document.algorithm,
    }
    target = out / f"{document.content.serial}.json"
    temporary = out / f".{target.name}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
