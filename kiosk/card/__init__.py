"""The card layer: connection (bytes in, bytes and status word out), APDUs, the JPKI session, the software card."""

__all__: list[str] = []
