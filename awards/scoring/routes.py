"""Scoring's route handlers for ``create_app`` to register."""

from __future__ import annotations

from awards.scoring.judge.api import JudgeApi
from awards.scoring.judge.discussion_api import DiscussionApi
from awards.scoring.judge.discussion_pages import DiscussionPages
from awards.scoring.judge.pages import JudgePages
from awards.scoring.moderation.api import ModerationApi
from awards.scoring.moderation.pages import ModerationPages
from awards.scoring.panel.invitation_api import InvitationApi
from awards.scoring.panel.invitation_pages import InvitationPages, PublicInvitationPages
from awards.scoring.panel.pages import PanelPages
from awards.scoring.panel.setup_pages import PanelSetupPages
from awards.scoring.rounds.api import ScoringApi
from awards.scoring.rounds.pages import RoundSetupPages

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
