"""The ``awards`` Piccolo app: every table of every capability, one migrations folder.

A new capability adds its ``tables.py`` classes to ``TABLES`` and generates a migration with
``uv run piccolo migrations new awards --auto`` (then reads and tests it on SQLite and PostgreSQL).
"""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from awards.accounts.tables import (
    AccountChange,
    LoginAttempt,
    PasswordResetToken,
    PendingSignup,
    RoleGrant,
    User,
)
from awards.intake.tables import (
    Attachment,
    Business,
    BusinessInvitation,
    BusinessMember,
    Category,
    Declaration,
    Edition,
    EditionStatusChange,
    Entry,
    EntryNote,
)
from awards.results.delivery_tables import (
    Certificate,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from awards.results.public.tables import ResultNotice
from awards.results.tables import (
    AwardTier,
    CategoryRule,
    Correction,
    Decision,
    Placement,
    Publication,
    ResultSnapshot,
)
from awards.scoring.tables import (
    Assignment,
    Conflict,
    JudgeInvitation,
    JudgeProfile,
    ModerationAction,
    ModerationCase,
    RoundEntry,
    ScoreSheet,
    ScoringRound,
    SheetRevision,
)

TABLES = [User, RoleGrant, PasswordResetToken, LoginAttempt, PendingSignup]
TABLES += [Edition, Category, Business, BusinessMember, BusinessInvitation, Declaration, Entry]
TABLES += [Attachment, EntryNote, EditionStatusChange, AccountChange]
TABLES += [JudgeProfile, JudgeInvitation, ScoringRound, RoundEntry, Assignment, Conflict]
TABLES += [ScoreSheet, SheetRevision, ModerationCase, ModerationAction]
TABLES += [Certificate, WebhookEndpoint, OutboxEvent, WebhookDelivery, WebhookAttempt]
TABLES += [AwardTier, CategoryRule, Decision, ResultSnapshot, Placement, Publication, Correction]
TABLES += [ResultNotice]

APP_CONFIG = AppConfig(
    app_name="awards",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
