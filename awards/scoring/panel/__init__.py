"""The organizer's panel: judge profiles, invitations, conflicts, a round's progress and pages."""
