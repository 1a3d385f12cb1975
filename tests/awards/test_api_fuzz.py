"""Schemathesis against the JSON API: generated requests never get a server error.

Bounded: ``EXAMPLES`` (25) generated cases per operation of ``/schema/openapi.json``, sent with
the test client as a logged-in entrant and as a logged-in organizer (with their CSRF header) on
the world of the route matrix, on whichever database the run uses. Operations that end the
session (logout, password change) are left out so the persona stays logged in. Any 5xx fails,
listing the operation and the request.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from tests.awards.helpers import csrf_token, login
from tests.awards.route_world import route_world

EXAMPLES = 25
_SKIPPED = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/signup"),
}
_EMAILS = {"entrant": "entrant@example.id", "organizer": "organizer@example.id"}


def _send(client: Any, kwargs: dict[str, Any]) -> Any:
    """Send a schemathesis case (requests-style keyword arguments) with the httpx client."""
    request = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": kwargs.get("headers") or {},
        "params": kwargs.get("params") or None,
    }
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    if "files" in kwargs:
        request["files"] = kwargs["files"]
        if isinstance(kwargs.get("data"), dict):
            request["data"] = kwargs["data"]
    elif isinstance(kwargs.get("data"), dict):
        request["data"] = kwargs["data"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        request["content"] = data.encode() if isinstance(data, str) else data
    return client.request(**request, follow_redirects=False)


@pytest.mark.parametrize("persona", ["entrant", "organizer"])
def test_api_fuzz_has_no_server_errors(app, client, make_user, run, persona):
    """25 generated requests per API operation as this persona: no 5xx answer."""
    route_world(app, client, make_user, run)
    assert login(client, _EMAILS[persona]).status_code == 303
    schema = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in _SKIPPED:
            continue
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            headers = {"x-csrftoken": csrf_token(client)}
            kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=headers)
            response = _send(client, kwargs)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} params={case.query} "
                    f"body={str(case.body)[:200]} -> {response.status_code}"
                )

        check()
    assert failures == []
