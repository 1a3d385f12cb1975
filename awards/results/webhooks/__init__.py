"""Webhooks of the results publisher: Standard Webhooks signing (:mod:`.signing`), endpoint
configuration (:mod:`.endpoints`), the outbox written in publish transactions
(:mod:`.outbox`) and the worker that sends with retries and leases (:mod:`.worker`)."""
