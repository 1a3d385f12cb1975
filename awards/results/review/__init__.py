"""Organizer review of results: per category and round, tiers, tie rules, freeze and publish."""
