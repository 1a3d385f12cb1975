"""Who may use each route: the declarations checked by ``tests/awards/test_route_matrix.py``.

Every ``(method, path)`` of the application (``app.routes``, paths with their ``{name:type}``
parameters) must have one entry in :data:`ROUTES`; a route without one fails the matrix test.
To declare a new route add one line, choosing one of the access rules below or building one with
:func:`access` (a default outcome plus per-persona exceptions).

Personas (each a fresh, logged-in session on a fresh world; see the test module):

* ``anonymous`` — nobody logged in;
* ``entrant`` — the entrant who owns the business, entry and attachments in the URL;
* ``other_entrant`` — another entrant (with a business and entry of their own);
* ``judge`` — a judge of the edition in the URL, assigned to the entry in the URL;
* ``unassigned_judge`` — a judge of the same edition, not assigned to that entry;
* ``organizer`` — an organizer of the edition in the URL;
* ``other_organizer`` — an organizer of another edition only;
* ``admin`` — a global administrator.

Outcomes: ``OK`` (served: 2xx or a redirect other than to the login page; an expected ``OK``
also accepts ``INPUT``), ``INPUT`` (400/409/413/422: the empty body was refused before access
was decided — never a leak, nothing was done), ``LOGIN`` (401, or a redirect to
``/login?next=``), ``FORBIDDEN`` (403), ``MISSING`` (404: someone else's object, or none). A 5xx
is always a failure.

Path parameters are filled from the world by name (``entry_id`` -> the entrant's entry, ...);
``.using(name="world_key")`` fills one from another world object (e.g. a spare attachment for a
route that deletes it). Unsafe methods are sent with an empty body and a valid CSRF token, GETs
first, then the other methods, then routes that delete, then logout.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "FORBIDDEN",
    "INPUT",
    "LOGIN",
    "MISSING",
    "OK",
    "PERSONAS",
    "ROUTES",
    "Access",
    "access",
]

OK, INPUT, LOGIN, FORBIDDEN, MISSING = "ok", "input", "login", "forbidden", "missing"
PERSONAS = (
    "anonymous",
    "entrant",
    "other_entrant",
    "judge",
    "unassigned_judge",
    "organizer",
    "other_organizer",
    "admin",
)


@dataclass(frozen=True)
class Access:
    """The expected outcome for each persona, and world objects that fill path parameters."""

    outcomes: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)

    def using(self, **params: str) -> Access:
        """The same rule with path parameters taken from other world objects."""
        return replace(self, params={**self.params, **params})


def access(default: str, **exceptions: str) -> Access:
    """``default`` for every persona except those named."""
    unknown = set(exceptions) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return Access({persona: exceptions.get(persona, default) for persona in PERSONAS})


PUBLIC = access(OK)
LOGGED_IN = access(OK, anonymous=LOGIN)
ADMIN_ONLY = access(FORBIDDEN, anonymous=LOGIN, admin=OK)
# Businesses and entries: anyone logged in may keep a business (a judge or organizer may also
# run one); somebody else's business, entry or attachment is 404 for everyone but its members.
ENTRANT = LOGGED_IN
ENTRANT_OWN = access(MISSING, anonymous=LOGIN, entrant=OK)
# Attachments: also the organizers of the entry's edition and admins.
ATTACHMENT = access(MISSING, anonymous=LOGIN, entrant=OK, organizer=OK, admin=OK)
# Uploads read the multipart body before the business or entry is looked up: an empty upload
# is refused (a flash and a redirect, or 422) for anyone logged in; with a real file the
# ownership check answers 404 (tests/awards/intake/entries/test_attachments.py).
UPLOAD = access(OK, anonymous=LOGIN)
# The organizer console: organizers (any edition) and admins; objects of another edition 404.
ORGANIZER = access(FORBIDDEN, anonymous=LOGIN, organizer=OK, other_organizer=OK, admin=OK)
ORGANIZER_EDITION = access(
    FORBIDDEN, anonymous=LOGIN, organizer=OK, other_organizer=MISSING, admin=OK
)
# The organizer JSON API validates the body before the edition is looked up: another
# edition's organizer sending an empty body gets 400 (nothing is read or changed).
ORGANIZER_EDITION_API_WRITE = access(
    FORBIDDEN, anonymous=LOGIN, organizer=OK, other_organizer=INPUT, admin=OK
)
# Judging: the judge's queue (judges and admins); an entry of a round only for a judge assigned
# to it (404 for another judge of the edition and for admins, 403 for other roles).
JUDGE = access(FORBIDDEN, anonymous=LOGIN, judge=OK, unassigned_judge=OK, admin=OK)
JUDGE_ASSIGNED = access(
    FORBIDDEN, anonymous=LOGIN, judge=OK, unassigned_judge=MISSING, admin=MISSING
)
# The judge JSON API validates the body before the assignment is looked up (400 for an empty
# body; nothing is read or changed).
JUDGE_ASSIGNED_API_WRITE = access(
    FORBIDDEN, anonymous=LOGIN, judge=OK, unassigned_judge=INPUT, admin=INPUT
)
# Moderation: a case that does not exist is 404 for organizers; the JSON action validates the
# body first (400). A panel discussion exists only inside a case under review: 404 otherwise.
CASE = access(FORBIDDEN, anonymous=LOGIN, organizer=MISSING, other_organizer=MISSING, admin=MISSING)
CASE_API_WRITE = access(
    FORBIDDEN, anonymous=LOGIN, organizer=INPUT, other_organizer=INPUT, admin=INPUT
)
DISCUSSION = access(
    FORBIDDEN, anonymous=LOGIN, judge=MISSING, unassigned_judge=MISSING, admin=MISSING
)
# Creating an edition: admins (and global organizers); the form page opens for any organizer,
# the service refuses an edition-scoped organizer's submission.
EDITION_CREATE = access(FORBIDDEN, anonymous=LOGIN, admin=OK)
EDITION_CREATE_FORM = access(FORBIDDEN, anonymous=LOGIN, organizer=OK, other_organizer=OK, admin=OK)
EDITION_CREATE_API = access(
    FORBIDDEN, anonymous=LOGIN, organizer=INPUT, other_organizer=INPUT, admin=OK
)

# Results delivery (rdeliver): the world publishes nothing and has no certificate or webhook
# endpoint, so verifying a code, an entrant's certificate and the public export are 404; the
# organizer pages of the edition open (empty states).
NO_DELIVERY_OBJECT = access(
    FORBIDDEN, anonymous=LOGIN, organizer=MISSING, other_organizer=MISSING, admin=MISSING
)
# Public results pages: the matrix world publishes no result, so every edition, category,
# business and photo page answers 404 to everyone (nothing unpublished shows); the index is
# public. Slugs are filled from unrelated world strings (no edition has that slug).
UNPUBLISHED = access(MISSING)
UNPUBLISHED_EDITION = UNPUBLISHED.using(edition_slug="target")
UNPUBLISHED_CATEGORY = UNPUBLISHED.using(edition_slug="target", category_slug="field_key")

ROUTES: dict[tuple[str, str], Access] = {
    # public pages, assets, schema
    ("GET", "/static/{file_path:path}"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("POST", "/language"): PUBLIC,
    ("GET", "/schema"): PUBLIC,
    ("GET", "/schema/redoc"): PUBLIC,
    ("GET", "/schema/{path:str}"): PUBLIC,
    ("GET", "/schema/openapi.json"): PUBLIC,
    # accounts
    ("GET", "/password/forgot"): PUBLIC,
    ("POST", "/password/forgot"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/password/reset"): PUBLIC,
    ("POST", "/password/reset"): PUBLIC,
    ("GET", "/signup"): PUBLIC,
    ("POST", "/signup"): PUBLIC,
    ("GET", "/signup/sent"): PUBLIC,
    ("GET", "/signup/confirm"): access(MISSING),  # no token: "invalid or expired link"
    ("POST", "/signup/confirm"): access(INPUT),  # an empty token is refused (422)
    ("POST", "/signup/resend"): PUBLIC,
    ("GET", "/account"): LOGGED_IN,
    ("POST", "/account/password"): LOGGED_IN,
    ("POST", "/api/v1/auth/password-reset/confirm"): PUBLIC,
    ("POST", "/api/v1/auth/login"): access(LOGIN),  # wrong (empty) credentials: 401
    ("POST", "/api/v1/auth/logout"): PUBLIC,
    ("POST", "/api/v1/auth/password-reset"): PUBLIC,
    ("POST", "/api/v1/auth/signup"): PUBLIC,
    ("POST", "/api/v1/auth/password"): LOGGED_IN,
    ("GET", "/api/v1/auth/me"): LOGGED_IN,
    # administration
    ("POST", "/admin/users/{user_id:int}/roles"): ADMIN_ONLY,
    ("GET", "/admin/users"): ADMIN_ONLY,
    # entrant: businesses
    ("GET", "/business/new"): ENTRANT,
    ("POST", "/business/new"): ENTRANT,
    ("GET", "/business"): ENTRANT,
    ("GET", "/business/{business_id:int}/declaration/{edition_id:int}"): ENTRANT_OWN,
    ("POST", "/business/{business_id:int}/declaration/{edition_id:int}"): ENTRANT_OWN,
    ("POST", "/business/{business_id:int}/members/invite"): ENTRANT_OWN,
    ("GET", "/business/{business_id:int}/logo"): ENTRANT_OWN,
    ("POST", "/business/{business_id:int}/logo"): UPLOAD,
    ("GET", "/business/{business_id:int}/members"): ENTRANT_OWN,
    ("GET", "/business/{business_id:int}"): ENTRANT_OWN,
    ("POST", "/business/{business_id:int}"): ENTRANT_OWN,
    ("POST", "/business/{business_id:int}/members/{member_id:int}/remove"): ENTRANT_OWN,
    ("GET", "/invitations/accept"): LOGGED_IN,
    ("POST", "/invitations/accept"): LOGGED_IN,
    ("GET", "/api/v1/businesses/{business_id:int}/categories"): ENTRANT_OWN,
    ("POST", "/api/v1/businesses"): ENTRANT,
    ("PUT", "/api/v1/businesses/{business_id:int}/declarations/{edition_id:int}"): ENTRANT_OWN,
    ("GET", "/api/v1/businesses/mine"): ENTRANT,
    ("GET", "/api/v1/businesses/{business_id:int}"): ENTRANT_OWN,
    ("PUT", "/api/v1/businesses/{business_id:int}"): ENTRANT_OWN,
    # entrant: entries and attachments
    ("GET", "/entries/new"): ENTRANT,
    ("POST", "/entries/new"): ENTRANT,
    ("GET", "/entries"): ENTRANT,
    ("GET", "/entries/{entry_id:int}/edit"): ENTRANT_OWN,
    ("POST", "/entries/{entry_id:int}/edit"): ENTRANT_OWN,
    ("GET", "/entries/{entry_id:int}"): ENTRANT_OWN,
    ("GET", "/entries/{entry_id:int}/withdraw"): ENTRANT_OWN,
    ("POST", "/entries/{entry_id:int}/withdraw"): ENTRANT_OWN,
    ("POST", "/entries/{entry_id:int}/attachments/{attachment_id:int}/delete"): ENTRANT_OWN,
    ("GET", "/entries/{entry_id:int}/attachments/{attachment_id:int}"): ATTACHMENT,
    ("GET", "/entries/{entry_id:int}/attachments/{attachment_id:int}/thumbnail"): ATTACHMENT,
    ("POST", "/entries/{entry_id:int}/attachments"): UPLOAD,
    ("POST", "/api/v1/entries"): ENTRANT,
    ("GET", "/api/v1/entries/mine"): ENTRANT,
    ("GET", "/api/v1/entries/{entry_id:int}"): ENTRANT_OWN,
    ("PATCH", "/api/v1/entries/{entry_id:int}"): ENTRANT_OWN,
    ("POST", "/api/v1/entries/{entry_id:int}/submit"): ENTRANT_OWN,
    ("POST", "/api/v1/entries/{entry_id:int}/withdraw"): ENTRANT_OWN,
    ("GET", "/api/v1/entries/{entry_id:int}/attachments"): ENTRANT_OWN,
    ("POST", "/api/v1/entries/{entry_id:int}/attachments"): UPLOAD,
    ("DELETE", "/api/v1/entries/{entry_id:int}/attachments/{attachment_id:int}"): (
        ENTRANT_OWN.using(attachment_id="spare_attachment")
    ),
    # organizer console
    ("GET", "/organizer"): ORGANIZER,
    ("GET", "/organizer/editions/new"): EDITION_CREATE_FORM,
    ("POST", "/organizer/editions"): EDITION_CREATE,
    ("GET", "/organizer/editions/{edition_id:int}"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}/status"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}/thresholds"): ORGANIZER_EDITION,
    ("GET", "/organizer/editions/{edition_id:int}/categories/new"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}/categories"): ORGANIZER_EDITION,
    ("GET", "/organizer/categories/{category_id:int}"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}/criteria"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}/criteria/{key:str}"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}/criteria/{key:str}/delete"): (
        ORGANIZER_EDITION
    ),
    ("POST", "/organizer/categories/{category_id:int}/fields"): ORGANIZER_EDITION,
    ("GET", "/organizer/categories/{category_id:int}/fields/new"): ORGANIZER_EDITION,
    ("GET", "/organizer/categories/{category_id:int}/fields/{key:str}"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}/fields/{key:str}"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}/fields/{key:str}/move"): ORGANIZER_EDITION,
    ("POST", "/organizer/categories/{category_id:int}/fields/{key:str}/delete"): (
        ORGANIZER_EDITION
    ),
    ("GET", "/organizer/editions/{edition_id:int}/entries"): ORGANIZER_EDITION,
    ("GET", "/organizer/entries/{entry_id:int}"): ORGANIZER_EDITION,
    ("POST", "/organizer/entries/{entry_id:int}/notes"): ORGANIZER_EDITION,
    ("POST", "/organizer/entries/{entry_id:int}/screening"): ORGANIZER_EDITION,
    ("GET", "/organizer/editions/{edition_id:int}/export/{fmt:str}"): ORGANIZER_EDITION,
    ("GET", "/organizer/editions/{edition_id:int}/import"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}/import"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}/import/confirm"): ORGANIZER_EDITION,
    ("GET", "/organizer/editions/{edition_id:int}/template/{fmt:str}"): ORGANIZER_EDITION,
    # organizer API
    ("GET", "/api/v1/editions"): ORGANIZER,
    ("POST", "/api/v1/editions"): EDITION_CREATE_API,
    ("GET", "/api/v1/editions/{edition_id:int}"): ORGANIZER_EDITION,
    ("PUT", "/api/v1/editions/{edition_id:int}"): ORGANIZER_EDITION_API_WRITE,
    ("POST", "/api/v1/editions/{edition_id:int}/status"): ORGANIZER_EDITION_API_WRITE,
    ("GET", "/api/v1/editions/{edition_id:int}/categories"): ORGANIZER_EDITION,
    ("POST", "/api/v1/editions/{edition_id:int}/categories"): ORGANIZER_EDITION_API_WRITE,
    ("GET", "/api/v1/categories/{category_id:int}"): ORGANIZER_EDITION,
    ("PUT", "/api/v1/categories/{category_id:int}/form"): ORGANIZER_EDITION_API_WRITE,
    ("PUT", "/api/v1/categories/{category_id:int}/rubric"): ORGANIZER_EDITION_API_WRITE,
    ("GET", "/api/v1/editions/{edition_id:int}/entries"): ORGANIZER_EDITION,
    ("GET", "/api/v1/editions/{edition_id:int}/entries/{entry_id:int}"): ORGANIZER_EDITION,
    ("POST", "/api/v1/editions/{edition_id:int}/entries/{entry_id:int}/screening"): (
        ORGANIZER_EDITION_API_WRITE
    ),
    # judging (scoring)
    ("POST", "/organizer/entries/{entry_id:int}/screening/notify"): ORGANIZER_EDITION,
    ("POST", "/organizer/editions/{edition_id:int}/screening/notify"): ORGANIZER_EDITION,
    (
        "POST",
        "/api/v1/editions/{edition_id:int}/entries/{entry_id:int}/screening/notify",
    ): ORGANIZER_EDITION,
    ("POST", "/judge/rounds/{round_id:int}/entries/{entry_id:int}/abstain"): JUDGE_ASSIGNED,
    (
        "GET",
        "/judge/rounds/{round_id:int}/entries/{entry_id:int}/attachments/{attachment_id:int}",
    ): JUDGE_ASSIGNED,
    ("POST", "/judge/rounds/{round_id:int}/entries/{entry_id:int}/autosave"): JUDGE_ASSIGNED,
    ("GET", "/judge"): JUDGE,
    ("POST", "/judge/rounds/{round_id:int}/entries/{entry_id:int}/declaration"): JUDGE_ASSIGNED,
    ("GET", "/judge/rounds/{round_id:int}/entries/{entry_id:int}"): JUDGE_ASSIGNED,
    ("POST", "/judge/rounds/{round_id:int}/entries/{entry_id:int}/sheet"): JUDGE_ASSIGNED,
    (
        "GET",
        "/judge/rounds/{round_id:int}/entries/{entry_id:int}/attachments/{attachment_id:int}/thumbnail",
    ): JUDGE_ASSIGNED,
    ("POST", "/api/v1/judge/rounds/{round_id:int}/entries/{entry_id:int}/abstention"): (
        JUDGE_ASSIGNED_API_WRITE
    ),
    ("POST", "/api/v1/judge/rounds/{round_id:int}/entries/{entry_id:int}/declaration"): (
        JUDGE_ASSIGNED_API_WRITE
    ),
    ("GET", "/api/v1/judge/rounds/{round_id:int}/entries/{entry_id:int}"): JUDGE_ASSIGNED,
    ("GET", "/api/v1/judge/rounds/{round_id:int}/entries/{entry_id:int}/sheet"): JUDGE_ASSIGNED,
    ("PUT", "/api/v1/judge/rounds/{round_id:int}/entries/{entry_id:int}/sheet"): (
        JUDGE_ASSIGNED_API_WRITE
    ),
    ("GET", "/api/v1/judge/queue"): JUDGE,
    ("GET", "/api/v1/scoring/rounds/{round_id:int}/assignments"): ORGANIZER_EDITION,
    ("POST", "/api/v1/scoring/rounds/{round_id:int}/assignments"): ORGANIZER_EDITION,
    ("GET", "/api/v1/scoring/editions/{edition_id:int}/conflicts"): ORGANIZER_EDITION,
    ("POST", "/api/v1/scoring/editions/{edition_id:int}/conflicts"): ORGANIZER_EDITION_API_WRITE,
    ("GET", "/api/v1/scoring/rounds/{round_id:int}/export.csv"): ORGANIZER_EDITION,
    ("GET", "/api/v1/scoring/sheets/{sheet_id:int}/history"): ORGANIZER_EDITION,
    ("GET", "/api/v1/scoring/rounds/{round_id:int}/assignment-preview"): ORGANIZER_EDITION,
    ("GET", "/api/v1/scoring/editions/{edition_id:int}/rounds"): ORGANIZER_EDITION,
    # organizer scoring console
    ("GET", "/organizer/results"): ORGANIZER,
    ("GET", "/organizer/results/categories/{category_id:int}"): ORGANIZER_EDITION,
    ("POST", "/organizer/results/categories/{category_id:int}/rule"): ORGANIZER_EDITION,
    ("POST", "/organizer/results/categories/{category_id:int}/decisions"): ORGANIZER_EDITION,
    ("POST", "/organizer/results/categories/{category_id:int}/freeze"): ORGANIZER_EDITION,
    ("POST", "/organizer/results/categories/{category_id:int}/publish"): ORGANIZER_EDITION,
    ("GET", "/organizer/results/editions/{edition_id:int}/tiers"): ORGANIZER_EDITION,
    ("POST", "/organizer/results/editions/{edition_id:int}/tiers"): ORGANIZER_EDITION,
    ("GET", "/organizer/scoring"): ORGANIZER,
    ("GET", "/organizer/scoring/rounds/{round_id:int}"): ORGANIZER_EDITION,
    ("GET", "/organizer/scoring/rounds/{round_id:int}/export.csv"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/assign"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/open"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/close"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/remind"): ORGANIZER_EDITION,
    # panel set-up: judge invitations (organizer) and the invitation link (public)
    ("GET", "/organizer/scoring/editions/{edition_id:int}/invitations"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/editions/{edition_id:int}/invitations"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/editions/{edition_id:int}/invitations/resend"): (
        ORGANIZER_EDITION
    ),
    ("POST", "/organizer/scoring/editions/{edition_id:int}/invitations/revoke"): (
        ORGANIZER_EDITION
    ),
    ("GET", "/organizer/scoring/editions/{edition_id:int}/judges"): ORGANIZER_EDITION,
    ("GET", "/organizer/scoring/editions/{edition_id:int}/judges/{judge_id:int}"): (
        ORGANIZER_EDITION
    ),
    ("POST", "/organizer/scoring/editions/{edition_id:int}/judges/{judge_id:int}"): (
        ORGANIZER_EDITION
    ),
    ("GET", "/organizer/scoring/editions/{edition_id:int}/conflicts"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/editions/{edition_id:int}/conflicts"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/editions/{edition_id:int}/conflicts/recuse"): (ORGANIZER_EDITION),
    ("GET", "/organizer/scoring/editions/{edition_id:int}/rounds/new"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/editions/{edition_id:int}/rounds/new"): ORGANIZER_EDITION,
    ("GET", "/organizer/scoring/rounds/{round_id:int}/setup"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/setup"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/entrants"): ORGANIZER_EDITION,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/anchors"): ORGANIZER_EDITION,
    ("GET", "/judge-invitation"): PUBLIC,
    ("POST", "/judge-invitation"): PUBLIC,
    # moderation: the world has no case yet, so a case is missing (404) for every organizer
    # and the discussion of the judge's entry is missing (no review asked) for every judge.
    ("GET", "/organizer/scoring/cases/{case_id:int}"): CASE,
    ("POST", "/organizer/scoring/cases/{case_id:int}/resolve"): CASE,
    ("POST", "/organizer/scoring/rounds/{round_id:int}/rules"): ORGANIZER_EDITION,
    ("GET", "/organizer/scoring/rounds/{round_id:int}/entries/{entry_id:int}/judges"): (
        ORGANIZER_EDITION
    ),
    ("POST", "/organizer/scoring/rounds/{round_id:int}/entries/{entry_id:int}/judges"): (
        ORGANIZER_EDITION
    ),
    ("GET", "/judge/rounds/{round_id:int}/entries/{entry_id:int}/discussion"): DISCUSSION,
    ("GET", "/api/v1/judge/rounds/{round_id:int}/entries/{entry_id:int}/discussion"): DISCUSSION,
    ("GET", "/api/v1/scoring/rounds/{round_id:int}/cases"): ORGANIZER_EDITION,
    ("GET", "/api/v1/scoring/cases/{case_id:int}"): CASE,
    ("POST", "/api/v1/scoring/cases/{case_id:int}/actions"): CASE_API_WRITE,
    ("PUT", "/api/v1/scoring/rounds/{round_id:int}/rules"): ORGANIZER_EDITION_API_WRITE,
    ("POST", "/api/v1/scoring/rounds/{round_id:int}/entries/{entry_id:int}/judges"): (
        ORGANIZER_EDITION_API_WRITE
    ),
    # judge invitations (API): no invitation exists, so revoking one is refused (422) for those
    # allowed to try; another edition's organizer gets 404 before that.
    ("GET", "/api/v1/scoring/editions/{edition_id:int}/invitations"): ORGANIZER_EDITION,
    ("POST", "/api/v1/scoring/editions/{edition_id:int}/invitations"): (
        ORGANIZER_EDITION_API_WRITE
    ),
    # the world holds no invitation: the id is another object's, so even its organizer gets 404
    # (revoking a real one: tests/awards/scoring/panel/test_invitation_api.py)
    ("POST", "/api/v1/scoring/editions/{edition_id:int}/invitations/{invitation_id:int}/revoke"): (
        access(
            FORBIDDEN, anonymous=LOGIN, organizer=MISSING, other_organizer=MISSING, admin=MISSING
        ).using(invitation_id="case_id")
    ),
    # administration and edition life cycle (console)
    ("GET", "/favicon.ico"): PUBLIC,
    ("GET", "/admin"): ADMIN_ONLY,
    ("GET", "/admin/audit"): ADMIN_ONLY,
    ("GET", "/admin/users/{user_id:int}"): ADMIN_ONLY,
    ("GET", "/admin/users/{user_id:int}/grant"): ADMIN_ONLY,
    ("GET", "/admin/users/{user_id:int}/deactivate"): ADMIN_ONLY,
    ("POST", "/admin/users/{user_id:int}/deactivate"): ADMIN_ONLY,
    ("POST", "/admin/users/{user_id:int}/reactivate"): ADMIN_ONLY,
    # An empty body names no grant: 404 for the admin.
    ("POST", "/admin/users/{user_id:int}/roles/revoke"): access(
        FORBIDDEN, anonymous=LOGIN, admin=MISSING
    ),
    ("GET", "/organizer/editions/{edition_id:int}/overview"): ORGANIZER_EDITION,
    ("GET", "/organizer/editions/{edition_id:int}/status/{target:str}"): ORGANIZER_EDITION,
    # results delivery (rdeliver): verification, certificates, exports, webhooks, fairness
    ("GET", "/v"): PUBLIC,
    ("GET", "/v/{code:str}"): access(MISSING).using(code="target"),
    ("GET", "/entries/{entry_id:int}/certificate.pdf"): access(MISSING, anonymous=LOGIN),
    ("GET", "/results/{edition_slug:str}/data/{fmt:str}"): access(MISSING).using(
        edition_slug="target"
    ),
    ("GET", "/organizer/results/editions/{edition_id:int}/delivery"): ORGANIZER_EDITION,
    ("GET", "/organizer/results/editions/{edition_id:int}/export/{fmt:str}"): ORGANIZER_EDITION,
    ("GET", "/organizer/results/editions/{edition_id:int}/certificates.zip"): ORGANIZER_EDITION,
    ("GET", "/organizer/results/certificates/{certificate_id:int}/pdf"): (
        NO_DELIVERY_OBJECT.using(certificate_id="case_id")
    ),
    ("GET", "/organizer/results/editions/{edition_id:int}/fairness"): ORGANIZER_EDITION,
    ("GET", "/organizer/results/editions/{edition_id:int}/webhooks"): ORGANIZER_EDITION,
    ("POST", "/organizer/results/editions/{edition_id:int}/webhooks"): ORGANIZER_EDITION,
    ("GET", "/organizer/results/webhooks/{endpoint_id:int}"): NO_DELIVERY_OBJECT.using(
        endpoint_id="case_id"
    ),
    ("POST", "/organizer/results/webhooks/{endpoint_id:int}/{action:str}"): (
        NO_DELIVERY_OBJECT.using(endpoint_id="case_id", action="target")
    ),
    # public results (rpublic): both languages; the entrant's own feedback page
    ("GET", "/results"): PUBLIC,
    ("GET", "/en/results"): PUBLIC,
    ("GET", "/results/feed.xml"): PUBLIC,
    ("GET", "/en/results/feed.xml"): PUBLIC,
    ("GET", "/results/{edition_slug:str}"): UNPUBLISHED_EDITION,
    ("GET", "/en/results/{edition_slug:str}"): UNPUBLISHED_EDITION,
    ("GET", "/results/{edition_slug:str}/methodology"): UNPUBLISHED_EDITION,
    ("GET", "/en/results/{edition_slug:str}/methodology"): UNPUBLISHED_EDITION,
    ("GET", "/results/{edition_slug:str}/naik-kelas"): UNPUBLISHED_EDITION,
    ("GET", "/en/results/{edition_slug:str}/naik-kelas"): UNPUBLISHED_EDITION,
    ("GET", "/results/{edition_slug:str}/{category_slug:str}"): UNPUBLISHED_CATEGORY,
    ("GET", "/en/results/{edition_slug:str}/{category_slug:str}"): UNPUBLISHED_CATEGORY,
    ("GET", "/results/businesses/{business_id:int}"): UNPUBLISHED,
    ("GET", "/en/results/businesses/{business_id:int}"): UNPUBLISHED,
    ("GET", "/results/photos/{file_name:str}"): UNPUBLISHED.using(file_name="file_path"),
    ("GET", "/entries/{entry_id:int}/feedback"): ENTRANT_OWN,
}
