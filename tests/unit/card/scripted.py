"""A scripted card connection: each expected C-APDU (exact bytes) answered with canned data and SW."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ScriptedConnection:
    """Fails the test on any APDU that differs from the script, in order; records what was sent."""

    script: list[tuple[str, bytes, int]]
    atr: bytes = bytes.fromhex("3BE000FF8131FE4514")
    sent: list[bytes] = field(default_factory=list)
    closed: bool = False

    def transmit(self, apdu: bytes | bytearray) -> tuple[bytes, int]:
        sent = bytes(apdu)
        self.sent.append(sent)
        assert self.script, f"unexpected APDU {sent.hex().upper()}: script exhausted"
        expected, data, sw = self.script.pop(0)
        assert sent.hex().upper() == expected.replace(" ", "").upper(), (
            f"APDU {sent.hex().upper()} != expected {expected}"
        )
        return data, sw

    def close(self) -> None:
        self.closed = True

    def assert_done(self) -> None:
        assert not self.script, f"APDUs expected but not sent: {[s[0] for s in self.script]}"
