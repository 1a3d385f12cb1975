"""Rounds: create, set up, open and close, integrity rules, assignment and its manual edits."""
