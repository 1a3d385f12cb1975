"""Ranks per category, statistically tied entries and how certain each rank is."""
