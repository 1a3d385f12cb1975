"""The entrant side: business profile, entry form, receipts and attachments (pages and JSON API)."""
