"""Scoring's route handlers for ``create_app`` to register."""

from __future__ import annotations

from awards.scoring.api import JudgeApi, ScoringApi
from awards.scoring.invitation_api import InvitationApi
from awards.scoring.invitation_pages import InvitationPages, PublicInvitationPages
from awards.scoring.judge.discussion_pages import DiscussionPages
from awards.scoring.judge.pages import JudgePages
from awards.scoring.moderation_api import DiscussionApi, ModerationApi
from awards.scoring.moderation_pages import ModerationPages
from awards.scoring.panel_pages import PanelPages
from awards.scoring.round_pages import RoundSetupPages
from awards.scoring.setup_pages import PanelSetupPages

__all__ = ["SCORING_ROUTE_HANDLERS"]

SCORING_ROUTE_HANDLERS = [
    JudgePages,
    PanelPages,
    InvitationPages,
    PublicInvitationPages,
    PanelSetupPages,
    RoundSetupPages,
    JudgeApi,
    ScoringApi,
]
SCORING_ROUTE_HANDLERS += [ModerationPages, DiscussionPages, ModerationApi, DiscussionApi]
SCORING_ROUTE_HANDLERS += [InvitationApi]
