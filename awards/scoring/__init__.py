"""Scoring: judges score entries in rounds; the engine (``judging``) ranks them."""
