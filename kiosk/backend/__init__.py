"""The kiosk's side of the issuance protocol: wire types, canonical bytes and document verification.

`api` and `document` are the wire types the reference backend shares (architecture.md); `verify` is the only
way to turn a received document into something the rendering code accepts.
"""

from __future__ import annotations

__all__: list[str] = []
