"""The results review's route handlers for ``create_app`` to register."""

from __future__ import annotations

from awards.results.review.pages import ResultsReviewPages

__all__ = ["REVIEW_ROUTE_HANDLERS"]

REVIEW_ROUTE_HANDLERS = [ResultsReviewPages]
