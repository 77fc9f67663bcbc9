"""The access-control sweep of tests/security/run.sh.

Every route of the route table (`magnet routes`) is requested as a
visitor, a returnee, an employer, a partner office, a moderator
(counsellor) and an admin.
A route with {id} is requested twice for each signed-in role: on an
object of the account itself ("own") and on the same kind of object
belonging to a SECOND account of the same role ("other"): another
returnee's conversation, another employer's vacancy and its applications,
another counsellor's direct conversation, and so on.  Visitors get the
second accounts' objects.  Every POST carries the session's valid CSRF
token (and no other field), so the answer is the access rule's, not the
CSRF check's: 303 to /login or 403 where the role may not, 404 where the
object is not the account's to see, and past the access check the
handler's own answer (400/422 for the missing fields, 303 when nothing
more is needed).

EXPECT below is the intended answer for each route and role.  The sweep
fails on any difference, printing route, role, object and status; on a
route in the route table that EXPECT does not list (so that a new route
cannot slip through unchecked); and on an EXPECT line naming a route that
no longer exists.  Requests are made in a fixed order: every GET first,
then the POSTs on other accounts' objects, then those on the account's
own, the ones that cannot be undone with one click (cancel, close,
delete, hide, lock, reject) after the rest, and POST /logout last.

Environment: MAGNET_BIN, MAGNET_DB, MAGNET_SEC_BASE, MAGNET_SEC_WORK.
Writes MAGNET_SEC_WORK/sessions.json: a fresh signed-in session of the
first account of each role, and crawl exclusions, for the scanners.
`access.py --dump` prints the observed answers in EXPECT's format.
"""
import datetime
import json
import os
import random
import re
import subprocess
import sys
import time

import requests

BIN = os.environ["MAGNET_BIN"]
DB = os.environ["MAGNET_DB"]
BASE = os.environ["MAGNET_SEC_BASE"]
WORK = os.environ["MAGNET_SEC_WORK"]
CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
ROLES = ["visitor", "returnee", "employer", "partner", "moderator", "admin"]
SHORT = {"visitor": "v", "returnee": "r", "employer": "e", "partner": "p",
         "moderator": "m", "admin": "a"}
# The roles that write: a partner office (issue 21, item 7) only reads,
# and is given the returnees' objects to try (see objects()).
WRITERS = ["returnee", "employer", "moderator", "admin"]

# ---------------------------------------------------------------------------
# The intended answers.  v r e p m a = visitor, returnee, employer,
# partner office, moderator, admin; "own/other" for routes with {id}: the account's own
# object / the second account's.  303 means "to /login" for visitors on a
# GET and a redirect elsewhere for the rest (the sweep checks that a
# visitor's 303 goes to /login).  Notes say why where it is not plain.
EXPECT = {
    ("GET", "/"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/healthz"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/static/{slug}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/register"): "v=200 r=303 e=303 p=303 m=303 a=303  # signed in: 303 home (GET); POST past CSRF: 400 (no fields)",
    ("POST", "/register"): "v=400 r=400 e=400 p=403 m=400 a=400  # signed in: 303 home (GET); POST past CSRF: 400 (no fields)",
    ("GET", "/login"): "v=200 r=303 e=303 p=303 m=303 a=303",
    ("POST", "/login"): "v=400 r=400 e=400 p=403 m=400 a=400",
    ("POST", "/logout"): "v=403 r=303 e=303 p=303 m=303 a=303",
    ("POST", "/lang"): "v=303 r=303 e=303 p=303 m=303 a=303  # no lang: back to next, 303",
    ("GET", "/lang/{slug}"): "v=303 r=303 e=303 p=303 m=303 a=303  # a visitor's language link: sets the lang cookie only, 303 to next (none: /)",
    ("GET", "/account"): "v=303 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/account/password"): "v=303 r=200 e=200 p=200 m=200 a=200",
    ("POST", "/account/password"): "v=403 r=422 e=422 p=422 m=422 a=422",
    ("GET", "/account/export"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("GET", "/account/delete"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("POST", "/account/delete"): "v=403 r=422 e=422 p=403 m=422 a=422",
    ("POST", "/account/welcome"): "v=403 r=303 e=303 p=403 m=303 a=303  # closes a new account's welcome; back to next",
    ("GET", "/contact"): "v=200 r=303 e=303 p=303 m=303 a=303  # signed in: 303 to /messages/new",
    ("POST", "/contact"): "v=422 r=303 e=303 p=403 m=303 a=303  # visitors: 422 (no fields); signed in: 303 to /messages/new",
    ("GET", "/account/email"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("POST", "/account/email"): "v=403 r=303 e=303 p=403 m=303 a=303  # no field: the address is removed",
    ("GET", "/account/mail"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("GET", "/account/alerts"): "v=303 r=200 e=403 p=403 m=403 a=403  # job alerts are the returnees'",
    ("POST", "/account/alerts"): "v=403 r=303 e=403 p=403 m=403 a=403  # no filter: an alert for every new vacancy",
    ("POST", "/account/alerts/{id}/delete"): "v=403 r=303/404 e=303/404 p=403 m=303/404 a=303/404  # only the owner's alert",
    ("POST", "/account/mail"): "v=403 r=303 e=303 p=403 m=303 a=303  # no choice sent: nothing changes",
    ("GET", "/account/email/confirm/{slug}"): "v=404 r=404 e=404 p=404 m=404 a=404  # an unknown token",
    ("POST", "/account/email/confirm/{slug}"): "v=404 r=404 e=404 p=403 m=404 a=404  # an unknown token",
    ("GET", "/password/forgot"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("POST", "/password/forgot"): "v=422 r=422 e=422 p=403 m=422 a=422  # who is required",
    ("GET", "/mail/unsubscribe/{id}/{slug}"): "v=404 r=404 e=404 p=404 m=404 a=404  # no signature: 404",
    ("POST", "/mail/unsubscribe/{id}/{slug}"): "v=404 r=404 e=404 p=403 m=404 a=404  # no signature: 404 (no CSRF: RFC 8058)",
    ("GET", "/reset/{slug}"): "v=404 r=404 e=404 p=404 m=404 a=404  # an unknown token: 404 for everyone",
    ("POST", "/reset/{slug}"): "v=404 r=404 e=404 p=403 m=404 a=404  # an unknown token: 404 for everyone",
    ("GET", "/b/{slug}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/b/{slug}/new"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("POST", "/b/{slug}/new"): "v=403 r=422 e=422 p=403 m=422 a=422",
    ("GET", "/t/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/t/{id}/reply"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("POST", "/t/{id}/reply"): "v=403 r=422 e=422 p=403 m=422 a=422",
    ("POST", "/t/{id}/watch"): "v=403 r=400 e=400 p=403 m=400 a=400  # no level sent: 400; any signed-in reader may watch a thread they can see",
    ("POST", "/t/{id}/thank"): "v=403 r=400 e=400 p=403 m=400 a=400  # no post named: 400; any signed-in reader may thank another's reply",
    ("POST", "/b/{slug}/watch"): "v=403 r=400 e=400 p=403 m=400 a=400  # no level sent: 400",
    ("POST", "/b/{slug}/read"): "v=403 r=303 e=303 p=403 m=303 a=303  # marks the board read for the reader only",
    ("GET", "/u/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200  # a person's public card: name, role, posts count",
    ("GET", "/p/{id}"): "v=303 r=303 e=303 p=303 m=303 a=303  # 303 to the post in its thread, for everyone",
    ("GET", "/p/{id}/edit"): "v=303 r=200/403 e=200/403 p=403 m=200 a=200  # the author and counsellors; another's post 403",
    ("POST", "/p/{id}/edit"): "v=403 r=422/403 e=422/403 p=403 m=422 a=422  # the author and counsellors; another's post 403",
    ("GET", "/p/{id}/delete"): "v=303 r=200/403 e=200/403 p=403 m=200 a=200",
    ("POST", "/p/{id}/delete"): "v=403 r=303/403 e=303/403 p=403 m=303 a=303",
    ("GET", "/p/{id}/revisions"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/notifications"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("POST", "/notifications/read"): "v=403 r=303 e=303 p=403 m=303 a=303",
    ("POST", "/notifications/{id}/open"): "v=403 r=303/404 e=303/404 p=403 m=303/404 a=303/404",
    ("GET", "/search"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/p/{id}/report"): "v=303 r=200 e=200 p=403 m=200 a=200  # the own-post report is accepted and ignored (SQL: author_id <> reporter)",
    ("POST", "/p/{id}/report"): "v=403 r=422 e=422 p=403 m=422 a=422  # the own-post report is accepted and ignored (SQL: author_id <> reporter)",
    ("GET", "/jobs/{id}/report"): "v=303 r=200 e=200 p=403 m=200 a=200  # employers: own vacancy form shown, report ignored in SQL",
    ("POST", "/jobs/{id}/report"): "v=403 r=422 e=422 p=403 m=422 a=422  # employers: own vacancy form shown, report ignored in SQL",
    ("POST", "/mod/vacancies/{id}/dismiss"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("GET", "/messages"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("GET", "/messages/counselling"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/messages/new"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("POST", "/messages/new"): "v=403 r=422 e=422 p=403 m=422 a=422",
    ("GET", "/messages/{id}"): "v=303 r=200/404 e=200/404 p=403 m=200/404 a=200/404",
    ("POST", "/messages/{id}/reply"): "v=403 r=422/404 e=422/404 p=403 m=422/404 a=422/404",
    ("GET", "/messages/{id}/block"): "v=303 r=404 e=404 p=403 m=403/404 a=403/404  # the question first; as the POST",
    ("POST", "/messages/{id}/block"): "v=403 r=404 e=404 p=403 m=403/404 a=403/404  # counselling: 404; a counsellor cannot be blocked: 403",
    ("POST", "/messages/{id}/unblock"): "v=403 r=404 e=404 p=403 m=403/404 a=403/404",
    ("POST", "/messages/{id}/answered"): "v=403 r=403 e=403 p=403 m=404 a=404  # direct conversations are not counselling: 404",
    ("GET", "/messages/m/{id}/report"): "v=303 r=200/404 e=200/404 p=403 m=200/404 a=200/404",
    ("POST", "/messages/m/{id}/report"): "v=403 r=422/404 e=422/404 p=403 m=422/404 a=422/404",
    ("GET", "/mod/messages"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/messages/{id}/resolve"): "v=403 r=403 e=403 p=403 m=409 a=409  # no open report: 409",
    ("GET", "/mod"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/bulk"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("POST", "/mod/bulk/reject"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("POST", "/mod/posts/{id}/approve"): "v=403 r=403 e=403 p=403 m=409 a=409  # not held: 409",
    ("GET", "/mod/posts/{id}/reject"): "v=303 r=403 e=403 p=403 m=404 a=404  # GET: only held posts can be rejected: 404",
    ("POST", "/mod/posts/{id}/reject"): "v=403 r=403 e=403 p=403 m=422 a=422  # GET: only held posts can be rejected: 404",
    ("GET", "/mod/posts/{id}/hide"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/posts/{id}/hide"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("POST", "/mod/posts/{id}/restore"): "v=403 r=403 e=403 p=403 m=409 a=409  # not hidden: 409",
    ("POST", "/mod/posts/{id}/official"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("POST", "/mod/threads/{id}/lock"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("POST", "/mod/threads/{id}/unlock"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("POST", "/mod/threads/{id}/pin"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("POST", "/mod/threads/{id}/unpin"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("GET", "/mod/threads/{id}/move"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/threads/{id}/move"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("GET", "/mod/threads/{id}/hide"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/threads/{id}/hide"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("POST", "/mod/threads/{id}/restore"): "v=403 r=403 e=403 p=403 m=409 a=409  # not hidden: 409",
    ("GET", "/mod/users"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/mod/users/{id}"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/mod/users/{id}/suspend"): "v=303 r=403 e=403 p=403 m=200 a=200  # no fields: 422",
    ("POST", "/mod/users/{id}/suspend"): "v=403 r=403 e=403 p=403 m=422 a=422  # no fields: 422",
    ("POST", "/mod/users/{id}/unsuspend"): "v=403 r=403 e=403 p=403 m=403 a=303  # counsellors' accounts: admins only (fixed, was 303)",
    ("POST", "/mod/users/{id}/reset"): "v=403 r=403 e=403 p=403 m=403 a=200  # counsellors' accounts: admins only; 200 shows the link once",
    ("GET", "/mod/audit"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/mod/stats"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/mod/stats.csv"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/mod/stats/outcomes.csv"): "v=303 r=403 e=403 p=403 m=200 a=200",
    # Partner offices (issue 21, item 7): their outcomes, which
    # counsellors and admins may read too; a partner reads the public
    # site, its account and password, and posts nothing else.
    ("GET", "/partner"): "v=303 r=403 e=403 p=200 m=200 a=200",
    ("GET", "/partner/outcomes.csv"): "v=303 r=403 e=403 p=200 m=200 a=200",
    ("GET", "/admin"): "v=303 r=403 e=403 p=403 m=403 a=200",
    ("POST", "/admin/users/{id}/role"): "v=403 r=403 e=403 p=403 m=403 a=422",
    ("POST", "/admin/settings"): "v=403 r=403 e=403 p=403 m=403 a=422",
    ("GET", "/admin/boards/{slug}"): "v=303 r=403 e=403 p=403 m=403 a=200",
    ("POST", "/admin/boards/{slug}"): "v=403 r=403 e=403 p=403 m=403 a=422",
    ("GET", "/jobs"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/jobs/new"): "v=303 r=403 e=200 p=403 m=403 a=403  # A_EMPLOYER lets counsellors past the router; the handler wants an enterprise",
    ("POST", "/jobs/new"): "v=403 r=403 e=422 p=403 m=403 a=403  # A_EMPLOYER lets counsellors past the router; the handler wants an enterprise",
    ("GET", "/jobs/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/jobs/{id}/edit"): "v=303 r=403 e=200/403 p=403 m=403 a=403",
    ("POST", "/jobs/{id}/edit"): "v=403 r=403 e=422/403 p=403 m=403 a=403",
    ("POST", "/jobs/{id}/close"): "v=403 r=403 e=400/403 p=403 m=403 a=403  # no reason: 400",
    ("GET", "/jobs/{id}/apply"): "v=303 r=303/200 e=403 p=403 m=403 a=403  # own: already applied, 303 to it",
    ("POST", "/jobs/{id}/apply"): "v=403 r=422 e=403 p=403 m=403 a=403  # own: already applied, 303 to it",
    ("GET", "/jobs/{id}/applications"): "v=303 r=403 e=200/403 p=403 m=200 a=200",
    ("POST", "/applications/{id}/withdraw"): "v=403 r=303/404 e=403 p=403 m=403 a=403  # the returnee's own application only",
    ("POST", "/applications/{id}/status"): "v=403 r=403 e=400/403 p=403 m=403 a=403",
    ("GET", "/applications"): "v=303 r=200 e=403 p=403 m=403 a=403",
    # Issue 21, the employer's tools: the enterprise's team only (the
    # sweep's application has an interview, made in objects()).
    ("POST", "/jobs/{id}/applications/status"): "v=403 r=403 e=422/403 p=403 m=403 a=403  # no ids: 422",
    ("POST", "/applications/{id}/notes"): "v=403 r=403 e=422/403 p=403 m=403 a=403  # no text: 422",
    ("GET", "/applications/{id}/interview"): "v=303 r=403 e=200/403 p=403 m=403 a=403",
    ("POST", "/applications/{id}/interview"): "v=403 r=403 e=422/403 p=403 m=403 a=403  # no date: 422",
    ("GET", "/applications/{id}/interview.ics"): "v=303 r=200/404 e=200/404 p=403 m=200 a=200  # the applicant, the team, counsellors",
    ("GET", "/jobs/saved"): "v=303 r=200 e=403 p=403 m=403 a=403  # a returnee's own saved vacancies",
    ("POST", "/jobs/{id}/save"): "v=403 r=303 e=403 p=403 m=403 a=403  # the returnee's own list only; no vacancy of another's",
    ("POST", "/jobs/{id}/unsave"): "v=403 r=303 e=403 p=403 m=403 a=403",
    ("POST", "/jobs/{id}/duplicate"): "v=403 r=403 e=303/403 p=403 m=403 a=403  # a new draft of the own vacancy",
    ("GET", "/employer"): "v=303 r=403 e=200 p=403 m=403 a=403",
    ("GET", "/enterprise"): "v=303 r=403 e=200 p=403 m=403 a=403",
    ("POST", "/enterprise"): "v=403 r=403 e=422 p=403 m=403 a=403",
    ("GET", "/enterprises/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200  # both enterprises have a live vacancy, so public",
    ("GET", "/profile"): "v=303 r=200 e=403 p=403 m=403 a=403",
    ("POST", "/profile"): "v=403 r=303 e=403 p=403 m=403 a=403",
    ("GET", "/profiles/{id}"): "v=303 r=200/404 e=200/404 p=403 m=200 a=200  # employers: a live applicant's (with consent) only",
    ("GET", "/profile/cv"): "v=303 r=200 e=403 p=403 m=403 a=403",
    ("GET", "/profile/cv/download"): "v=303 r=200 e=403 p=403 m=403 a=403",
    ("GET", "/applications/{id}/cv"): "v=303 r=200/404 e=200/404 p=403 m=200 a=200  # the applicant, counsellors, and the enterprise while the application is live and the profile shared",
    ("GET", "/jobs/for-you"): "v=303 r=200 e=403 p=403 m=403 a=403",
    ("GET", "/mod/vocabulary"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/admin/vocabulary/{slug}"): "v=303 r=403 e=403 p=403 m=403 a=200",
    ("POST", "/admin/vocabulary/{slug}"): "v=403 r=403 e=403 p=403 m=403 a=422  # no labels: 422",
    ("GET", "/mod/jobs"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/jobs/{id}/approve"): "v=403 r=403 e=403 p=403 m=409 a=409  # a draft is not pending: 409",
    ("POST", "/mod/jobs/{id}/reject"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("GET", "/mod/jobs/{id}/suggestions"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/jobs/{id}/refer"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("POST", "/mod/enterprises/{id}/unverify"): "v=403 r=403 e=403 p=403 m=400 a=400  # no reason: 400",
    ("POST", "/mod/enterprises/{id}/verify"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("GET", "/mod/referrals"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/mod/referrals/{id}/status"): "v=403 r=403 e=403 p=403 m=400 a=400",
    ("GET", "/feeds/jobs.atom"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/api/v1/jobs"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/api/v1/jobs/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/feeds/b/{slug}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/guides"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/guides/new"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/guides/new"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("GET", "/guides/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/guides/{id}/download"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/guides/{id}/edit"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/guides/{id}/edit"): "v=403 r=403 e=403 p=403 m=400 a=400",
    ("GET", "/guides/{id}/revisions"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/booklets/{slug}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/booklets/{slug}/download"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/events"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/events/past"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/events/new"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/events/new"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("GET", "/events/mine"): "v=303 r=200 e=200 p=403 m=200 a=200",
    ("GET", "/events/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/events/{id}/ics"): "v=200 r=200 e=200 p=200 m=200 a=200  # one event's own calendar file; events are public",
    ("GET", "/events/{id}/edit"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/events/{id}/edit"): "v=403 r=403 e=403 p=403 m=422 a=422",
    ("GET", "/events/{id}/cancel"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("POST", "/events/{id}/cancel"): "v=403 r=403 e=403 p=403 m=303 a=303",
    ("POST", "/events/{id}/signup"): "v=403 r=303 e=303 p=403 m=403 a=403  # returnees and employers only",
    ("POST", "/events/{id}/withdraw"): "v=403 r=303 e=303 p=403 m=303 a=303  # nothing to give back: 303 for anyone signed in",
    ("GET", "/events/{id}/attendees"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/events/{id}/attendees.csv"): "v=303 r=403 e=403 p=403 m=200 a=200",
    ("GET", "/feeds/events.ics"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/feeds/calendar/{slug}"): "v=404 r=404 e=404 p=404 m=404 a=404  # an unknown token: 404 for everyone (the token is the only key)",
    ("POST", "/account/calendar"): "v=403 r=200 e=200 p=403 m=200 a=200  # a new personal calendar link, shown once",
    ("POST", "/account/calendar/revoke"): "v=403 r=303 e=303 p=403 m=303 a=303  # the reader's own link only",
    ("GET", "/feeds/events.atom"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/api/v1/boards"): "v=200 r=200 e=200 p=200 m=200 a=200",
    ("GET", "/api/v1/threads/{id}"): "v=200 r=200 e=200 p=200 m=200 a=200",
}

# Routes asked again with another kind of object than KIND gives them:
# (method, pattern, kind): intended answers, as in EXPECT.
EXTRA = {
    ("GET", "/jobs/{id}", "vac_draft"): "v=404 r=404 e=200/404 p=404 m=200 a=200",  # README: counsellors see vacancies that are not live
    ("GET", "/api/v1/jobs/{id}", "vac_draft"): "v=404 r=404 e=404 p=404 m=404 a=404",
    ("GET", "/jobs/{id}/applications", "vac_draft"): "v=303 r=403 e=200/403 p=403 m=200 a=200",
}

# Which object fills {id} (or {slug}) in each pattern; see objects().
KIND = [
    (r"^/static/", "css"),
    (r"^/reset/", "reset"),
    (r"^/account/email/confirm/", "reset"),
    (r"^/mail/unsubscribe/", "user"),
    (r"^/lang/", "lang"),
    (r"^/b/\{slug\}", "board"),
    (r"^/feeds/b/", "boardfeed"),
    (r"^/feeds/calendar/", "reset"),
    (r"^/admin/boards/", "board"),
    (r"^/admin/vocabulary/", "vocab"),
    (r"^/booklets/", "governorate"),
    (r"^/t/", "thread"),
    (r"^/p/", "post"),
    (r"^/api/v1/threads/", "thread"),
    (r"^/notifications/", "notif"),
    (r"^/account/alerts/", "alert"),
    (r"^/jobs/\{id\}/report", "vac"),
    (r"^/mod/vacancies/", "vac"),
    (r"^/messages/m/", "msg"),
    (r"^/messages/", "conv"),
    (r"^/mod/messages/", "conv"),
    (r"^/mod/posts/", "post"),
    (r"^/mod/threads/", "thread"),
    (r"^/mod/users/", "user"),
    (r"^/u/", "user"),
    (r"^/admin/users/", "user"),
    (r"^/jobs/\{id\}/edit", "vac_draft"),
    (r"^/jobs/", "vac"),
    (r"^/api/v1/jobs/", "vac"),
    (r"^/applications/", "app"),
    (r"^/enterprises/", "enterprise"),
    (r"^/profiles/", "profile"),
    (r"^/mod/jobs/\{id\}/(approve|reject)", "vac_draft"),
    (r"^/mod/jobs/", "vac"),
    (r"^/mod/enterprises/", "enterprise"),
    (r"^/mod/referrals/", "ref"),
    (r"^/guides/", "guide"),
    (r"^/events/", "event"),
]


def log(*a):
    print(*a, flush=True)


def psql(sql):
    out = subprocess.run(["psql", DB, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def routes():
    out = subprocess.run([BIN, "routes"], check=True, capture_output=True,
                         text=True)
    rows = []
    for line in out.stdout.splitlines():
        method, pattern, access = line.split()[:3]
        rows.append((method, pattern, access))
    return rows


class Client:
    """A browser of its own: cookies, address, CSRF token."""

    def __init__(self, name=None, password=None):
        self.s = requests.Session()
        self.s.headers["X-Forwarded-For"] = "10.%d.%d.%d" % (
            random.randint(0, 255), random.randint(0, 255),
            random.randint(1, 254))
        self.name, self.password, self.token = name, password, None

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 60)
        return self.s.get(BASE + path, **kw)

    def csrf(self):
        if self.token is None:
            # A visitor's pages from the cache hold no token (issue 19):
            # a visitor's comes from the sign-in form.
            m = CSRF_RE.search(self.get("/").text) or \
                CSRF_RE.search(self.get("/login").text)
            assert m, "no CSRF token on / or /login"
            self.token = m.group(1)
        return self.token

    def post(self, path, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf", self.csrf())
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 60)
        return self.s.post(BASE + path, data=data, **kw)

    def login(self):
        self.token = None
        self.s.cookies.clear()
        r = self.post("/login", {"username": self.name,
                                 "password": self.password})
        assert r.status_code == 303, (self.name, r.status_code, r.text[:500])
        self.token = None
        return self


def user_add(role, name, *extra):
    password = "a long sweep passphrase %d" % random.randint(0, 10**9)
    env = dict(os.environ, MAGNET_DB=DB)
    out = subprocess.run([BIN, "user", "add", name, "--role", role] +
                         list(extra),
                         input=password + "\n", env=env, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    c = Client(name, password).login()
    c.role = role
    c.uid = int(psql("SELECT id FROM users WHERE username = '%s'" % name))
    return c


def created(r, pattern):
    assert r.status_code == 303, (r.status_code, r.text[:1500])
    m = re.search(pattern, r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def today(offset=0):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (now + datetime.timedelta(hours=3, days=offset)).strftime(
        "%Y-%m-%d")


def objects():
    """Two accounts of every role, and objects owned by each.

    obj[role][0] is the first account's, obj[role][1] the second's, each
    a dict kind -> id (or slug).  For kinds a role does not own itself
    (a returnee owns no vacancy) the i-th account of the role is given
    the i-th owner's object, so "own" is the one it is connected to
    (the vacancy it applied to) and "other" one it is not."""
    tag = "%04d" % random.randint(0, 9999)
    acc = {}
    for role in WRITERS:
        acc[role] = [user_add(role, "sw%s%s%d" % (role[:3], tag, i))
                     for i in (1, 2)]
    # Partner offices: one of Erbil, one of every governorate.
    acc["partner"] = [user_add("partner", "swpar%s1" % tag, "--governorate",
                               "erbil"), user_add("partner", "swpar%s2" % tag)]
    obj = {role: [{}, {}] for role in ROLES}
    common = {"board": "erbil", "boardfeed": "erbil.atom",
              "governorate": "erbil", "reset": "ab" * 32, "lang": "ar",
              "vocab": "7411"}
    page = Client().get("/").text
    common["css"] = re.search(r'href="/static/(magnet-[0-9a-f]{16}\.css)"',
                              page).group(1)
    for role in ROLES:
        for i in (0, 1):
            obj[role][i].update(common)
    for role in WRITERS:
        for i, c in enumerate(acc[role]):
            o = obj[role][i]
            o["user"] = c.uid
            r = c.post("/b/erbil/new", {"title": "Sweep thread of %s" %
                                        c.name, "body": "Owned by %s." %
                                        c.name})
            o["thread"] = created(r, r"^/t/(\d+)")
            o["post"] = int(psql("SELECT min(id) FROM posts WHERE "
                                 "thread_id = %d" % o["thread"]))
    mods, adms = acc["moderator"], acc["admin"]
    rets, emps = acc["returnee"], acc["employer"]
    # Conversations: counselling for returnees and employers (answered
    # by the i-th counsellor), direct between the i-th counsellor and
    # the i-th admin.
    for role in ("returnee", "employer"):
        for i, c in enumerate(acc[role]):
            r = c.post("/messages/new", {"to": "", "subject": "Sweep %s" %
                                         c.name, "body": "Help me."})
            cid = created(r, r"^/messages/(\d+)")
            r = mods[i].post("/messages/%d/reply" % cid,
                             {"body": "We will help."})
            assert r.status_code == 303, (r.status_code, r.text[:1000])
            obj[role][i]["conv"] = cid
    for i in (0, 1):
        r = adms[i].post("/messages/new", {"to": mods[i].name, "subject":
                                           "Between staff %d" % i,
                                           "body": "A staff question."})
        cid = created(r, r"^/messages/(\d+)")
        r = mods[i].post("/messages/%d/reply" % cid, {"body": "Answer."})
        assert r.status_code == 303, (r.status_code, r.text[:1000])
        obj["moderator"][i]["conv"] = obj["admin"][i]["conv"] = cid
    # The message to report: the other side's, in the account's own
    # conversation.
    for role in WRITERS:
        for i, c in enumerate(acc[role]):
            cid = obj[role][i]["conv"]
            obj[role][i]["msg"] = int(psql(
                "SELECT min(id) FROM messages WHERE conversation_id = %d "
                "AND author_id <> %d" % (cid, c.uid)))
    # Notifications: the second account of the role replies in the
    # first's thread and the other way round.
    for role in WRITERS:
        a, b = acc[role]
        for i, (writer, owner) in enumerate(((b, 0), (a, 1))):
            tid = obj[role][owner]["thread"]
            r = writer.post("/t/%d/reply" % tid, {"body": "A reply."})
            assert r.status_code == 303, (r.status_code, r.text[:1000])
        for i, c in enumerate(acc[role]):
            n = psql("SELECT min(id) FROM notifications WHERE user_id = %d"
                     % c.uid)
            assert n, "no notification for %s" % c.name
            obj[role][i]["notif"] = int(n)
    # Job alerts (mailpref.c): one of each account's own.
    for role in WRITERS:
        for i, c in enumerate(acc[role]):
            obj[role][i]["alert"] = int(psql(
                "INSERT INTO job_alerts (user_id, words) VALUES (%d, "
                "'sweep') RETURNING id" % c.uid).split()[0])
    # The job board: a published vacancy and a draft of each employer;
    # the i-th returnee (with a profile open to employers) applies to
    # the i-th employer's vacancy; the i-th counsellor refers them.
    for i, e in enumerate(emps):
        form = {"kind": "job", "title": "Sweep vacancy of %s" % e.name,
                "description": "Work.", "governorate": "erbil",
                "sector": "construction", "contract": "full_time",
                "deadline": today(30), "action": "submit", "l_ckb": "1"}
        vid = created(e.post("/jobs/new", form), r"^/jobs/(\d+)")
        r = mods[i].post("/mod/jobs/%d/approve" % vid, {})
        assert r.status_code == 303, (r.status_code, r.text[:1000])
        form["action"] = "draft"
        form["title"] = "Sweep draft of %s" % e.name
        did = created(e.post("/jobs/new", form), r"^/jobs/(\d+)")
        ent = int(psql("SELECT enterprise_id FROM users WHERE id = %d"
                       % e.uid))
        ret = rets[i]
        r = ret.post("/profile", {"governorate": "erbil", "country": "de",
                                  "occupation": "Welder", "skills":
                                  "welding", "consent": "1"})
        assert r.status_code == 303, (r.status_code, r.text[:1500])
        r = ret.post("/jobs/%d/apply" % vid, {"message": "I can weld."})
        assert r.status_code == 303, (r.status_code, r.text[:1500])
        aid = int(psql("SELECT id FROM applications WHERE vacancy_id = %d"
                       % vid))
        psql("INSERT INTO application_interviews (application_id, "
             "author_id, starts_at, place) VALUES (%d, %d, now() + "
             "interval '7 days', 'Office')" % (aid, e.uid))
        ev = mods[i].post("/events/new", {
            "kind": "job_fair", "title": "Sweep fair %d" % i,
            "date": today(20), "start": "09:00", "end_date": today(20),
            "end": "12:00", "governorate": "erbil", "city": "Erbil",
            "address": "Hall", "organiser": "IOM", "body": "A fair.",
            "capacity": "50"})
        eid = created(ev, r"^/events/(\d+)")
        g = mods[i].post("/guides/new", {
            "governorate": "erbil", "topic": "work", "lang": "en",
            "title": "Sweep guide %d" % i, "body": "Guidance."})
        gid = created(g, r"^/guides/(\d+)")
        r = mods[i].post("/mod/jobs/%d/refer" % vid,
                         {"username": rets[i].name, "note": "A match."})
        assert r.status_code == 303, (r.status_code, r.text[:1500])
        ref = int(psql("SELECT id FROM referrals WHERE vacancy_id = %d"
                       % vid))
        for role in ROLES:
            # Visitors get the second account's objects only.
            j = 1 if role == "visitor" else i
            if role == "visitor" and i == 0:
                continue
            obj[role][j].update({"vac": vid, "vac_draft": did,
                                 "enterprise": ent, "app": aid,
                                 "profile": ret.uid, "event": eid,
                                 "guide": gid, "ref": ref})
    # Visitors: the second returnee's forum objects.  Partners: the i-th
    # returnee's (they own none), their own account as "user".
    for k in ("thread", "post", "conv", "msg", "notif", "user", "alert"):
        obj["visitor"][1][k] = obj["returnee"][1][k]
        for i in (0, 1):
            obj["partner"][i][k] = obj["returnee"][i][k]
    for i, c in enumerate(acc["partner"]):
        obj["partner"][i]["user"] = c.uid
    return acc, obj


def kind_of(pattern):
    for rx, kind in KIND:
        if re.search(rx, pattern):
            return kind
    return None


def fill(pattern, o, kind=None):
    kind = kind or kind_of(pattern)
    if "{" not in pattern:
        return pattern
    assert kind, "no object kind for %s: add it to KIND" % pattern
    return re.sub(r"\{(id|slug)\}", str(o[kind]), pattern)


def sweep(acc, obj, rows):
    """Returns {(method, pattern): {role: [status or (own, other)]}} and
    the list of (method, pattern, role, which, path, status, location)."""
    clients = {"visitor": Client()}
    for role in ROLES[1:]:
        clients[role] = Client(acc[role][0].name,
                               acc[role][0].password).login()
    seen = []
    order = []
    for which in ("own", "other"):
        for method, pattern, _ in rows:
            if method == "GET":
                order.append((method, pattern, which))
    # Undoable-only-by-hand actions (cancel, close, delete, hide, lock,
    # reject) after the others, so that they do not decide the others'
    # answers; signing out last of all.
    last = re.compile(r"/(cancel|close|delete|hide|lock|reject)$")
    for late in (False, True):
        for which in ("other", "own"):
            for method, pattern, _ in rows:
                if (method == "POST" and pattern != "/logout" and
                        bool(last.search(pattern)) == late):
                    order.append((method, pattern, which))
    order.append(("POST", "/logout", "own"))
    extra = [(m, p, w, k) for (m, p, k) in EXTRA for w in ("own", "other")]
    order = [(m, p, w, None) for m, p, w in order]
    # The extra probes are GETs: before the POSTs.
    ngets = sum(1 for m, _, _, _ in order if m == "GET")
    order[ngets:ngets] = extra
    for method, pattern, which, kind in order:
        has_id = "{" in pattern
        if not has_id and which == "other":
            continue
        for role in ROLES:
            if role == "visitor" and which == "own" and has_id:
                continue
            o = obj[role][0 if which == "own" else 1]
            path = fill(pattern, o, kind)
            c = clients[role]
            if method == "GET":
                r = c.get(path)
            else:
                r = c.post(path)
            if pattern == "/lang/{slug}":
                # A visitor's language link sets the lang cookie only;
                # dropped, so that the rest of the sweep reads as before
                # (a guide's pages depend on the reader's language).
                c.s.cookies.set("lang", None)
            seen.append((method, pattern + (" " + kind if kind else ""),
                         role, which, path, r.status_code,
                         r.headers.get("Location", "")))
    return seen


def parse_expect():
    want = {}
    table = dict(EXPECT)
    for (m, p, k), spec in EXTRA.items():
        table[(m, p + " " + k)] = spec
    for (method, pattern), spec in table.items():
        d = {}
        for part in spec.split("#")[0].split():
            k, v = part.split("=")
            role = {s: r for r, s in SHORT.items()}[k]
            if "/" in v:
                own, other = v.split("/")
                d[(role, "own")] = int(own)
                d[(role, "other")] = int(other)
            else:
                d[(role, "own")] = d[(role, "other")] = int(v)
        want[(method, pattern)] = d
    return want


def dump(rows, seen):
    got = {}
    for method, pattern, role, which, _, status, _ in seen:
        got.setdefault((method, pattern), {})[(role, which)] = status
    keys = [(m, p, a) for m, p, a in rows] + [
        (m, p + " " + k, "extra") for m, p, k in EXTRA]
    for method, pattern, access in keys:
        d = got.get((method, pattern), {})
        parts = []
        for role in ROLES:
            own, other = d.get((role, "own")), d.get((role, "other"))
            if own is None or other is None or own == other:
                parts.append("%s=%s" % (SHORT[role], own or other))
            else:
                parts.append("%s=%s/%s" % (SHORT[role], own, other))
        print('    ("%s", "%s"): "%s",  # %s' % (method, pattern,
                                               " ".join(parts), access))


def scanner_sessions(acc, obj):
    """Fresh sessions of the first account of each role for sqlmap and
    wapiti, and what they must not request."""
    out = {}
    # Session-ending and account-changing forms: signing out, deleting
    # or re-passwording the account, suspending or re-roling an
    # account (a scanner could end another scanner's session).
    danger = (r"/logout|/account/(delete|password)|/lang|/reset/"
              r"|/mod/users/[0-9]+/(suspend|reset)|/admin/users/")
    for role in ROLES:
        if role == "visitor":
            c = Client()
            c.get("/")
        else:
            a = acc[role][0]
            c = Client(a.name, a.password).login()
            c.get("/")
        token = c.csrf()  # first: a visitor's may set its cookie
        cookies = {k: v for k, v in c.s.cookies.items()}
        out[role] = {"cookies": cookies, "csrf": token,
                     "exclude": danger}
        if role != "visitor":
            out[role]["name"] = acc[role][0].name
    # The account the scanners suspend, reset and re-role: a second
    # returnee, never a scanner's own.
    out["victim"] = acc["returnee"][1].uid
    return out


def main():
    t0 = time.time()
    rows = routes()
    want = parse_expect()
    if "--dump" not in sys.argv:
        listed = set(EXPECT)
        table = set((m, p) for m, p, _ in rows)
        missing = sorted(table - listed)
        stale = sorted(listed - table)
    acc, obj = objects()
    log("access: %d accounts and their objects made in %.0f s"
        % (sum(len(v) for v in acc.values()), time.time() - t0))
    seen = sweep(acc, obj, rows)
    sessions = scanner_sessions(acc, obj)
    with open(os.path.join(WORK, "sessions.json"), "w") as f:
        json.dump(sessions, f, indent=1)
    if "--dump" in sys.argv:
        dump(rows, seen)
        return 0
    bad = []
    access = {(m, p): a for m, p, a in rows}
    for method, pattern, role, which, path, status, loc in seen:
        exp = want.get((method, pattern), {}).get((role, which))
        if exp is None:
            continue
        if status != exp:
            bad.append("%s %s as %s (%s object, %s): %d, intended %d"
                       % (method, pattern, role, which, path, status, exp))
        elif (role == "visitor" and method == "GET" and status == 303 and
              access.get((method, pattern)) != "any" and
              not loc.startswith("/login")):
            bad.append("%s %s as visitor: 303 to %s, not to /login"
                       % (method, pattern, loc))
    # Every intended answer must have been asked for.
    asked = set((m, p, r, w) for m, p, r, w, _, _, _ in seen)
    for (m, p), d in want.items():
        for (role, which) in d:
            has_id = "{" in p
            if (role == "visitor" and which == "own" and has_id) or \
                    (which == "other" and not has_id):
                continue
            if (m, p, role, which) not in asked:
                bad.append("%s %s as %s (%s object) was not requested"
                           % (m, p, role, which))
    for m, p in missing:
        bad.append("%s %s is in the route table but not in EXPECT" % (m, p))
    for m, p in stale:
        bad.append("%s %s is in EXPECT but not in the route table" % (m, p))
    for line in bad:
        log("  " + line)
    rule = ("access: every route as 6 roles on own and other accounts' "
            "objects answers as intended")
    figures = "%d routes, %d requests, %d differences, %.0f s" % (
        len(rows), len(seen), len(bad), time.time() - t0)
    if bad:
        log("FAIL %s (%s)" % (rule, figures))
        return 1
    log("PASS %s (%s)" % (rule, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
