"""Scoring: judges score entries in rounds; the engine (``judging``) ranks them."""

# Register scoring's preconditions on the edition life cycle whenever scoring is loaded.
from awards.scoring import edition_checks as _edition_checks  # noqa: F401
