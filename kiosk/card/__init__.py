"""The card layer: connection (bytes in, data and SW out), APDUs, the JPKI session, the software card."""

__all__: list[str] = []
