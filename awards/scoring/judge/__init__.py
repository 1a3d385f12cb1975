"""The judge's scoring desk: queue, entry and sheets (services, plain SQL), pages and JSON API."""
