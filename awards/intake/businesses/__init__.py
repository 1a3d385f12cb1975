"""Businesses: profiles, members and invitations, identity fields, PP 7/2021 size classes."""
