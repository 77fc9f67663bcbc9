"""What the full scanner runs attack: every form and query parameter of
the site as each role, once per route.

    targets.py            writes $MAGNET_SEC_WORK/targets.json, prints figures

A breadth-first crawl as each role (the sessions of access.py) from that
role's start pages.  Each link and form is mapped to its route in the
route table (`magnet routes`): requests that differ only in the object
({id}, {slug}) or in parameter values run the same handler and the same
statements, so the crawl fetches, and the scanners attack, one instance
of each (method, route, parameter names) per role.  Without that the
site is endless to a scanner: every thread, board, user card and page of
every list, and every combination of the job board's filters.

Blank form fields are filled with values the handler accepts (a title
long enough, a date in the future, an e-mail address), so that the
scanner's baseline request gets past validation to the statements.

Forms that hide, move or lock what other targets read are pointed at a
thread made for them (with a reply to hide), so that the thread and post
pages the other targets attack stay readable throughout.

Forms that end or change the scanner's own session are kept apart:
signing out is never attacked (it has no field but the CSRF token);
changing the password and deleting the account are attacked with a wrong
current password, so they can never succeed; suspending, resetting and
re-roling an account are pointed at a second returnee account (the
"victim"), never at a scanner's own.

Each target: {"role", "method", "route", "url", "post": [[k, v], ...],
"params": [names to attack], "reached_by": [roles]}, once for each
(method, route, parameter names): as the role with the least access of
those that reach it (an attacker's usual place; the statements behind a
form are the same whoever sends it).  The CSRF token is never attacked: it is
the same on every form of a session and only meets the CSRF check.
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections import deque

import requests

BASE = os.environ["MAGNET_SEC_BASE"]
WORK = os.environ["MAGNET_SEC_WORK"]
BIN = os.environ["MAGNET_BIN"]
ROLES = ["visitor", "returnee", "employer", "moderator", "admin"]
START = ["/", "/account", "/messages", "/messages/new", "/notifications",
         "/jobs", "/guides", "/events", "/applications", "/profile",
         "/employer", "/enterprise", "/mod", "/mod/jobs", "/mod/users",
         "/mod/audit", "/mod/referrals", "/mod/stats", "/mod/messages",
         "/admin", "/search?q=work", "/login", "/register", "/api/v1/jobs",
         "/api/v1/boards", "/api/v1/threads/1"]
NEVER = re.compile(r"^/logout$|^/static/")
# Forms whose {id} is an account: pointed at the victim.
ACCOUNT_FORMS = re.compile(r"^(/mod/users/|/admin/users/)(\d+)(/.*)?$")
# The moderator's thread and post tools: pointed at the scratch thread
# and its reply (prepare()).
SCRATCH_FORMS = {"thread": re.compile(r"^(/mod/threads/)(\d+)(/.*)$"),
                 "post": re.compile(r"^(/mod/posts/)(\d+)(/(?:hide|restore|"
                                    r"official))$")}
OWN_PASSWORD_FORMS = re.compile(r"^/account/(password|delete)$")
WRONG_PASSWORD = "not the password of this account 1"
MAX_PAGES = 400  # per role: a safety net, far above what the site has


def route_table():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        method, pattern, who, params = line.split(" ", 3)
        rx = "^" + re.sub(r"\\\{id\\\}", r"[0-9]+",
                          re.sub(r"\\\{slug\\\}", r"[^/]+",
                                 re.escape(pattern))) + "$"
        rows.append((method, pattern, re.compile(rx),
                     [] if params == "-" else params.split(","), who))
    # The most literal pattern first: /jobs/new before /jobs/{id}.
    rows.sort(key=lambda r: (r[1].count("{"), -len(r[1])))
    return rows


def route_of(rows, method, path):
    for m, pattern, rx, _, _ in rows:
        if m == method and rx.match(path):
            return pattern
    return None


class Page(html.parser.HTMLParser):
    """Links and forms of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self.by_id = {}
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {"action": a.get("action") or "",
                         "method": (a.get("method") or "get").upper(),
                         "fields": [], "radios": set(), "buttons": [],
                         "plain_submit": False}
            self.forms.append(self.form)
            if a.get("id"):
                self.by_id[a["id"]] = self.form
        elif tag == "input" and a.get("form") in self.by_id and a.get("name"):
            # A field outside its form (the queue's "choose" boxes).
            f = self.by_id[a["form"]]
            if a["name"] not in [x[0] for x in f["fields"]]:
                f["fields"].append([a["name"], (a.get("type") or "text")
                                    .lower(), a.get("value"), a])
        elif self.form is None:
            return
        elif tag == "input" and not a.get("name"):
            if (a.get("type") or "").lower() in ("submit", "image"):
                self.form["plain_submit"] = True
        elif tag == "input":
            # Unchecked boxes are sent too (as "on"), so that the code
            # that reads them runs; a radio group is its first button.
            t = (a.get("type") or "text").lower()
            if t == "radio":
                if a["name"] in self.form["radios"]:
                    return
                self.form["radios"].add(a["name"])
            if t in ("submit", "image"):
                self.form["buttons"].append([a["name"], t, a.get("value", ""),
                                             a])
                return
            if t in ("reset", "file"):
                return
            self.form["fields"].append([a["name"], t, a.get("value"), a])
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            if a.get("name"):
                self.form["buttons"].append([a["name"], "button",
                                             a.get("value", ""), a])
            else:
                self.form["plain_submit"] = True
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], "select", None, a]
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            v = a.get("value")
            if v and (self.select[2] in (None, "") or "selected" in a):
                self.select[2] = v
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], "textarea", "", a]
            self.form["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            # The button a user presses to send it: the plain one if
            # there is one (a named "preview" only shows the text back),
            # else the first named one.
            if self.form["buttons"] and not self.form["plain_submit"]:
                self.form["fields"].append(self.form["buttons"][0])
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def fill(name, kind, value, attrs):
    """A value the handler accepts for a blank field."""
    if value not in (None, ""):
        return value
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 40 * 86400))
    if kind == "email":
        return "scanner@example.org"
    if kind == "number":
        return attrs.get("min") or "1"
    if kind == "date":
        return day
    if kind == "time":
        return "10:30"
    if kind == "datetime-local":
        return day + "T10:30"
    if kind == "url":
        return "https://example.org/"
    if kind == "tel":
        return "+9647501234567"
    if kind == "password":
        return WRONG_PASSWORD
    if kind == "checkbox":
        return "on"
    if kind == "textarea":
        return ("A scanner's text for %s, long enough for every check "
                "of the form, with several words in it." % name)
    return "Scanner text for %s" % name


def client(role, session):
    s = requests.Session()
    s.headers["X-Forwarded-For"] = "10.252.%d.1" % ROLES.index(role)
    for k, v in session["cookies"].items():
        s.cookies.set(k, v)
    return s


def submit(s, page, action_re, extra=None):
    """Fill and send the form of page whose action matches action_re;
    the answer, or None without such a form."""
    r = s.get(BASE + page, allow_redirects=False, timeout=30)
    p = Page()
    p.feed(r.text)
    for f in p.forms:
        if f["method"] == "POST" and re.search(action_re, f["action"]):
            data = [(n, fill(n, k, v, at)) for n, k, v, at in f["fields"]]
            data = [(n, (extra or {}).get(n, v)) for n, v in data]
            url = urllib.parse.urljoin(BASE + page, f["action"])
            return s.post(url, data=data, allow_redirects=False, timeout=30)
    return None


def status(r):
    """The status of answer r of submit(), or None without the form."""
    return r.status_code if r is not None else None


def location(r):
    """Where answer r of submit() redirects to; "" if nowhere."""
    return r.headers.get("Location", "") if r is not None else ""


def prepare(sessions):
    """What the pages of the moderation queue and of an employer's
    applications need to show their forms: a vacancy waiting for a
    counsellor, an application and a referral to the scanner employer's
    open vacancies, a post held for approval, a reported post; and the
    scratch thread with a reply.  Prints what it made; returns pages to
    start the crawl from (the crawl sees one page of a route: let it be
    the one with the forms) and {"thread": id, "post": id}."""
    emp = client("employer", sessions["employer"])
    ret = client("returnee", sessions["returnee"])
    mod = client("moderator", sessions["moderator"])
    adm = client("admin", sessions["admin"])
    made, start = [], []

    def vacancy(title):
        r = submit(emp, "/jobs/new", r"^/jobs/new$", {
            "title": title, "salary_min": "500", "salary_max": "900",
            "positions": "2"})
        m = re.search(r"/jobs/(\d+)", location(r))
        made.append("vacancy %s" % (m.group(1) if m else r))
        return m.group(1) if m else None

    applied = vacancy("Scanner vacancy with an application")
    not_yet = vacancy("Scanner vacancy open for applications")
    vacancy("Scanner vacancy waiting for a counsellor")
    for v in (applied, not_yet):
        if v:
            r = submit(mod, "/mod/jobs", r"/mod/jobs/%s/approve$" % v)
            made.append("approved %s" % status(r))
    if applied:
        r = submit(ret, "/jobs/%s" % applied, r"/apply$")
        made.append("application %s" % status(r))
        start.append("/jobs/%s/applications" % applied)
    if not_yet:
        start.append("/jobs/%s" % not_yet)
        r = submit(mod, "/mod/jobs/%s/suggestions" % not_yet, r"/refer$",
                   {"username": sessions["returnee"]["name"]})
        made.append("referral %s" % status(r))
        start.append("/jobs/%s/applications" % not_yet)
    # A held post: holds on for a moment, a thread by the (new) scanner
    # returnee, holds off again.
    for holds in ("5", "0"):
        r = submit(adm, "/admin", r"^/admin/settings$",
                   {"new_user_holds": holds})
        made.append("holds %s: %s" % (holds, status(r)))
        if holds != "0":
            r = submit(ret, "/b/erbil/new", r"/new$",
                       {"title": "Scanner thread held for approval"})
            made.append("held thread %s" % status(r))
    # (Holds are off again: the scratch thread is published.)
    scratch = {}
    r = submit(ret, "/b/erbil/new", r"/new$",
               {"title": "Scanner thread for the moderation tools"})
    m = re.search(r"^/t/(\d+)$", location(r))
    if m:
        scratch["thread"] = m.group(1)
        r = submit(ret, "/t/" + m.group(1), r"/reply$")
        m = re.search(r"#p(\d+)$", location(r))
        if m:
            scratch["post"] = m.group(1)
    made.append("scratch thread %s, reply %s" % (
        scratch.get("thread"), scratch.get("post")))
    m = re.search(r'href="/t/(\d+)"', ret.get(BASE + "/", timeout=30).text)
    if m:
        t = ret.get(BASE + "/t/" + m.group(1), timeout=30).text
        p = re.search(r'href="/p/(\d+)/report"', t)
        if p:
            r = submit(ret, "/p/%s/report" % p.group(1), r"/report$")
            made.append("report %s" % status(r))
    m = re.search(r'href="/messages/(\d+)"',
                  ret.get(BASE + "/messages", timeout=30).text)
    if m:
        t = ret.get(BASE + "/messages/" + m.group(1), timeout=30).text
        p = re.search(r'href="/messages/m/(\d+)/report"', t)
        if p:
            r = submit(ret, "/messages/m/%s/report" % p.group(1),
                       r"/report$")
            made.append("message report %s" % status(r))
    print("targets: prepared " + ", ".join(made), flush=True)
    return start, scratch


def redirect_form(path, victim, scratch):
    """The path a form of path is sent to, when it is one kept to the
    victim's account or the scratch thread or post; else None."""
    m = ACCOUNT_FORMS.match(path)
    if m:
        return m.group(1) + str(victim) + (m.group(3) or "")
    for kind, rx in SCRATCH_FORMS.items():
        m = rx.match(path)
        if m and kind in scratch:
            return m.group(1) + scratch[kind] + m.group(3)
    return None


def crawl(role, session, rows, victim, scratch, start):
    s = client(role, session)
    danger = re.compile(session["exclude"])
    seen_pages, targets, forms_seen, pages = set(), {}, set(), []
    queue = deque(urllib.parse.urljoin(BASE, p) for p in start + START)
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        u = urllib.parse.urlsplit(url)
        route = route_of(rows, "GET", u.path)
        if route is None or NEVER.search(u.path):
            continue
        m = ACCOUNT_FORMS.match(u.path)
        if m:
            # The pages of another account's suspension and the like:
            # always the victim's.
            url = urllib.parse.urlunsplit(
                (u.scheme, u.netloc, m.group(1) + str(victim) +
                 (m.group(3) or ""), u.query, ""))
        names = tuple(sorted(set(k for k, _ in
                                 urllib.parse.parse_qsl(u.query, True))))
        sig = ("GET", route, names)
        if sig in seen_pages:
            continue
        seen_pages.add(sig)
        r = s.get(url, allow_redirects=False, timeout=30)
        fetched += 1
        if os.environ.get("MAGNET_TARGETS_LOG"):
            print("  %s %d %s" % (role, r.status_code, url[len(BASE):]))
        if names:
            targets[sig] = {"role": role, "method": "GET", "route": route,
                            "url": url, "post": [], "params": list(names)}
        elif "{slug}" in route and r.status_code == 200:
            # A slug reaches the statements: attacked in the path.
            targets[sig] = {"role": role, "method": "GET", "route": route,
                            "url": url, "post": [], "params": ["<path>"]}
        if r.status_code != 200:
            continue
        pages.append(url)
        if "html" not in r.headers.get("Content-Type", ""):
            continue
        p = Page()
        p.feed(r.text)
        for href in p.links:
            nu = urllib.parse.urljoin(url, href).split("#")[0]
            if nu.startswith(BASE + "/"):
                queue.append(nu)
        for f in p.forms:
            action = urllib.parse.urljoin(url, f["action"] or url)
            if not action.startswith(BASE + "/"):
                continue
            a = urllib.parse.urlsplit(action)
            path = a.path
            if NEVER.search(path):
                continue
            kept = redirect_form(path, victim, scratch)
            if kept is not None:
                path = kept
            elif danger.search(path) and not OWN_PASSWORD_FORMS.match(path) \
                    and path != "/lang":
                continue
            fields = [[n, fill(n, k, v, at)] for n, k, v, at in f["fields"]]
            if f["method"] == "GET":
                q = urllib.parse.urlencode([tuple(x) for x in fields])
                queue.append(urllib.parse.urlunsplit(
                    (a.scheme, a.netloc, path, q, "")))
                continue
            froute = route_of(rows, "POST", path)
            if froute is None:
                continue
            names = tuple(sorted(set(n for n, _ in fields)))
            fsig = ("POST", froute, names)
            if fsig in forms_seen:
                continue
            forms_seen.add(fsig)
            url_post = urllib.parse.urlunsplit(
                (a.scheme, a.netloc, path, a.query, ""))
            # (A form with nothing but the token is kept too: declared()
            # may add a parameter to it.)
            targets[fsig] = {"role": role, "method": "POST",
                             "route": froute, "url": url_post,
                             "post": fields,
                             "params": [n for n in names if n != "csrf"]}
    return list(targets.values()), pages


def with_params(t, names):
    """Target t with the parameters names added (value "1")."""
    t = dict(t)
    add = [(n, "1") for n in names]
    if t["method"] == "GET":
        u = urllib.parse.urlsplit(t["url"])
        q = urllib.parse.parse_qsl(u.query, True) + add
        t["url"] = urllib.parse.urlunsplit(
            (u.scheme, u.netloc, u.path, urllib.parse.urlencode(q), ""))
    else:
        t["post"] = t["post"] + [list(kv) for kv in add]
    t["params"] = list(names)
    return t


def answers(t, clients):
    """Whether the request of target t reaches its handler's work as
    its role (clients: a session per role): not refused, not missing
    (sqlmap gives up on a 404 baseline), no error."""
    s = clients[t["role"]]
    if t["method"] == "GET":
        r = s.get(t["url"], allow_redirects=False, timeout=30)
    else:
        r = s.post(t["url"], data=[tuple(kv) for kv in t["post"]],
                   allow_redirects=False, timeout=30)
    return r.status_code < 500 and r.status_code not in (401, 403, 404)


def declared(rows, targets, pages, sessions, access):
    """Targets for the parameters a route declares (`magnet routes`)
    that no page's link or form sends (a list's page number, a form's
    preview button): on the request of a target of the same route, or on
    a page of the route for a GET, the first of those that still answers
    with the parameter added.  Prints the declared parameters attacked,
    and those it could not place (the fewer the better)."""
    extra, unreached, total = [], [], 0
    clients = {r: client(r, sessions[r]) for r in ROLES}
    for method, pattern, _, names, _ in rows:
        if not names:
            continue
        total += len(names)
        mine = [t for t in targets
                if (t["method"], t["route"]) == (method, pattern)]
        sent = set(n for t in mine for n in t["params"])
        missing = [n for n in names if n not in sent]
        if not missing:
            continue
        bases = [dict(t) for t in mine]
        if method == "GET":
            bases += [{"role": r, "method": "GET", "route": pattern,
                       "url": u.split("?")[0], "post": [], "reached_by": [r]}
                      for r in ROLES for u in pages[r]
                      if route_of(rows, "GET", urllib.parse.urlsplit(u)
                                  .path) == pattern]
        elif "{" not in pattern:
            # A form that only comes back from another POST (the bulk
            # rejection's reason): sent as the route's least role.
            role = {"any": "visitor", "user": "returnee"}.get(
                access[(method, pattern)], access[(method, pattern)])
            bases.append({"role": role, "method": "POST", "route": pattern,
                          "url": BASE + pattern, "reached_by": [role],
                          "post": [["csrf", sessions[role]["csrf"]]]})
        placed = {}
        for n in missing:
            i = next((i for i, b in enumerate(bases)
                      if answers(with_params(b, [n]), clients)), None)
            if i is None:
                unreached.append("%s %s %s" % (method, pattern, n))
            else:
                placed.setdefault(i, []).append(n)
        extra += [with_params(bases[i], ns) for i, ns in placed.items()]
    attacked = total - len(unreached)
    print("targets: %d of %d declared parameters attacked (%d added to "
          "what the pages send)" % (attacked, total,
                                    sum(len(t["params"]) for t in extra)))
    for line in unreached:
        print("  not reached: " + line)
    return extra


def main():
    sessions = json.load(open(os.path.join(WORK, "sessions.json")))
    rows = route_table()
    victim = sessions["victim"]
    t0 = time.time()
    start, scratch = prepare(sessions)
    access = {(r[0], r[1]): r[4] for r in rows}
    unique, pages = {}, {}
    for role in ROLES:
        t, pages[role] = crawl(role, sessions[role], rows, victim, scratch,
                               start)
        print("targets as %s: %d pages, %d targets, %d parameters"
              % (role, len(pages[role]), len(t),
                 sum(len(x["params"]) for x in t)), flush=True)
        # Once each: as the role with the least access that reaches it,
        # the attacker's usual place.
        for x in t:
            sig = (x["method"], x["route"], tuple(x["params"]))
            if sig in unique:
                unique[sig]["reached_by"].append(role)
            else:
                x["reached_by"] = [role]
                unique[sig] = x
    found = list(unique.values())
    out = [t for t in found if t["params"]]
    out += declared(rows, found, pages, sessions, access)
    with open(os.path.join(WORK, "targets.json"), "w") as f:
        json.dump(out, f, indent=1)
    # Every page each role saw (one per route and parameter names): where
    # wapiti looks for what it stored (permanentxss).
    with open(os.path.join(WORK, "pages.json"), "w") as f:
        json.dump(pages, f, indent=1)
    routes = set((t["method"], t["route"]) for t in out)
    print("targets: %d targets on %d routes, %d parameters (each once, as "
          "the role with the least access that reaches it), %.0f s" % (
              len(out), len(routes), sum(len(x["params"]) for x in out),
              time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
