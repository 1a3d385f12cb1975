"""Entries: save and submit, attachments, receipts, the organizer list and screening, hot SQL."""
