"""`kiosk doctor ...` (being written)."""

from __future__ import annotations

from typing import Any

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    del commands
