"""Route handlers of the public results side, for :data:`awards.app.ROUTE_HANDLERS`."""

from awards.results.public.feedback_pages import FeedbackPages
from awards.results.public.pages import PublicResultPages

__all__ = ["PUBLIC_RESULTS_ROUTE_HANDLERS"]

PUBLIC_RESULTS_ROUTE_HANDLERS = [PublicResultPages, FeedbackPages]
