"""Standard Webhooks signatures: what the worker signs, a receiver can check."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from awards.results.webhooks.signing import (
    SignatureError,
    new_secret,
    sign,
    signature_headers,
    verify,
)


def test_sign_matches_hmac_of_id_timestamp_body():
    """The v1 signature is base64(HMAC-SHA256(key, "{id}.{ts}.{body}"))."""
    secret = "whsec_" + base64.b64encode(b"k" * 24).decode()
    expected = base64.b64encode(
        hmac.new(b"k" * 24, b"msg_1.1700000000.{}", hashlib.sha256).digest()
    ).decode()
    assert sign(secret, "msg_1", 1700000000, b"{}") == f"v1,{expected}"


def test_verify_accepts_fresh_signed_request():
    """A request signed now verifies with the same secret."""
    secret = new_secret()
    headers = signature_headers([secret], "01ABC", b'{"a":1}', timestamp=1_700_000_000)
    verify(secret, headers, b'{"a":1}', now=1_700_000_010)


@pytest.mark.parametrize(
    ("body", "now", "other_secret"),
    [
        (b'{"a":2}', 1_700_000_010, False),  # body changed
        (b'{"a":1}', 1_700_000_400, False),  # replayed after the tolerance
        (b'{"a":1}', 1_700_000_010, True),  # signed with another secret
    ],
)
def test_verify_refuses_tampered_stale_or_foreign_request(body, now, other_secret):
    """A changed body, an old timestamp or another secret fails."""
    secret = new_secret()
    headers = signature_headers([secret], "01ABC", b'{"a":1}', timestamp=1_700_000_000)
    with pytest.raises(SignatureError):
        verify(new_secret() if other_secret else secret, headers, body, now=now)


def test_signature_headers_carry_both_secrets_during_rotation():
    """With a current and a previous secret, either verifies."""
    current, previous = new_secret(), new_secret()
    headers = signature_headers([current, previous], "01ABC", b"x", timestamp=1_700_000_000)
    assert len(headers["webhook-signature"].split()) == 2
    verify(current, headers, b"x", now=1_700_000_000)
    verify(previous, headers, b"x", now=1_700_000_000)
