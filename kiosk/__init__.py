"""The Qt-free core of the konbini certificate kiosk."""

__all__: list[str] = []
