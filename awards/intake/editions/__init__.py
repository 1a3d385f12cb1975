"""Editions: set-up, the life cycle and its status changes, deadlines, eligibility, overview."""
