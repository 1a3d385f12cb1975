"""Marker for translatable message ids.

``N_`` returns its argument unchanged; it only tells ``pybabel extract -k N_`` that the string is a
message id. Messages are English source strings with ``%(name)s`` placeholders; the application
translates them at render time (``FieldError.render(gettext)``).
"""

__all__ = ["N_"]


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction and return it unchanged."""
    return message
