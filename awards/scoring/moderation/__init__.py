"""Moderation: cases where judges disagree, the organizers' actions, pages and JSON API."""
