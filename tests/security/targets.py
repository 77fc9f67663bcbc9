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
         "/mod/audit", "/mod/referrals", "/mod/stats", "/admin",
         "/admin/settings", "/search?q=work", "/login", "/register"]
NEVER = re.compile(r"^/logout$|^/static/")
# Forms whose {id} is an account: pointed at the victim.
ACCOUNT_FORMS = re.compile(r"^(/mod/users/|/admin/users/)(\d+)(/.*)?$")
OWN_PASSWORD_FORMS = re.compile(r"^/account/(password|delete)$")
WRONG_PASSWORD = "not the password of this account 1"
MAX_PAGES = 400  # per role: a safety net, far above what the site has


def route_table():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        method, pattern, _ = line.split(" ", 2)
        rx = "^" + re.sub(r"\\\{id\\\}", r"[0-9]+",
                          re.sub(r"\\\{slug\\\}", r"[^/]+",
                                 re.escape(pattern))) + "$"
        rows.append((method, pattern, re.compile(rx)))
    # The most literal pattern first: /jobs/new before /jobs/{id}.
    rows.sort(key=lambda r: (r[1].count("{"), -len(r[1])))
    return rows


def route_of(rows, method, path):
    for m, pattern, rx in rows:
        if m == method and rx.match(path):
            return pattern
    return None


class Page(html.parser.HTMLParser):
    """Links and forms of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
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
    the answer's status, or None without such a form."""
    r = s.get(BASE + page, allow_redirects=False, timeout=30)
    p = Page()
    p.feed(r.text)
    for f in p.forms:
        if f["method"] == "POST" and re.search(action_re, f["action"]):
            data = [(n, fill(n, k, v, at)) for n, k, v, at in f["fields"]]
            data = [(n, (extra or {}).get(n, v)) for n, v in data]
            url = urllib.parse.urljoin(BASE + page, f["action"])
            return s.post(url, data=data, allow_redirects=False,
                          timeout=30).status_code
    return None


def prepare(sessions):
    """What the pages of the moderation queue and of an employer's
    applications need to show their forms: a vacancy waiting for a
    counsellor, an application to the scanner employer's vacancy, a
    reported post and vacancy.  Prints what it made."""
    emp = client("employer", sessions["employer"])
    ret = client("returnee", sessions["returnee"])
    made = []
    m = re.search(r'href="/jobs/(\d+)/applications"',
                  emp.get(BASE + "/employer", timeout=30).text)
    if m:
        made.append("application %s" % submit(ret, "/jobs/%s" % m.group(1),
                                               r"/apply$"))
    made.append("vacancy %s" % submit(emp, "/jobs/new", r"^/jobs/new$", {
        "title": "Scanner vacancy waiting for a counsellor",
        "salary_min": "500", "salary_max": "900", "positions": "2"}))
    home = ret.get(BASE + "/", timeout=30).text
    m = re.search(r'href="/t/(\d+)"', home)
    if m:
        t = ret.get(BASE + "/t/" + m.group(1), timeout=30).text
        p = re.search(r'href="/p/(\d+)/report"', t)
        if p:
            made.append("report %s" % submit(
                ret, "/p/%s/report" % p.group(1), r"/report$"))
    print("targets: prepared " + ", ".join(made), flush=True)


def crawl(role, session, rows, victim):
    s = client(role, session)
    danger = re.compile(session["exclude"])
    seen_pages, targets, forms_seen, pages = set(), {}, set(), []
    queue = deque(urllib.parse.urljoin(BASE, p) for p in START)
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
        if r.status_code != 200 or "html" not in r.headers.get(
                "Content-Type", ""):
            continue
        pages.append(url)
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
            m = ACCOUNT_FORMS.match(path)
            if m:
                path = m.group(1) + str(victim) + (m.group(3) or "")
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
            attack = [n for n in names if n != "csrf"]
            if attack:
                targets[fsig] = {"role": role, "method": "POST",
                                 "route": froute, "url": url_post,
                                 "post": fields, "params": attack}
    return list(targets.values()), pages


def main():
    sessions = json.load(open(os.path.join(WORK, "sessions.json")))
    rows = route_table()
    victim = sessions["victim"]
    t0 = time.time()
    prepare(sessions)
    unique, pages = {}, {}
    for role in ROLES:
        t, pages[role] = crawl(role, sessions[role], rows, victim)
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
    out = list(unique.values())
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
