"""sqlmap and wapiti against the server of tests/security/run.sh.

    scanners.py sqlmap quick|full
    scanners.py wapiti quick|full

Quick: each scanner crawls for itself.  Full: each attacks the targets
of targets.py ($MAGNET_SEC_WORK/targets.json), every form and query
parameter once per route, as the role with the least access that reaches
it.

Signed in as each role with the sessions access.py left in
$MAGNET_SEC_WORK/sessions.json (the cookies are passed to the scanner;
the CSRF token of a session is the same on every form of that session,
so the token each form carries stays valid and the scanners need no
token handling of their own).  Session-ending and account-changing URLs
are kept out of the crawl (sessions.json "exclude").  Each prints its
PASS/FAIL line with its rule and figures.

Environment: MAGNET_SEC_BASE, MAGNET_SEC_WORK; MAGNET_SQLMAP_SECONDS
bounds one role's sqlmap (quick: 75) or, in full, the whole sqlmap stage;
MAGNET_WAPITI_SECONDS one role's wapiti (quick: 130); full runs have no
bound unless one is set, and a full run stopped by its bound fails.
MAGNET_SQLMAP_JOBS: sqlmap runs at once in full (2).
"""
import csv
import glob
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

BASE = os.environ["MAGNET_SEC_BASE"]
WORK = os.environ["MAGNET_SEC_WORK"]
ROLES = ["visitor", "returnee", "employer", "moderator", "admin"]
children = set()
stopping = threading.Event()


def stop(signum, frame):
    stopping.set()
    for child in list(children):
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
    os._exit(128 + signum)


def run(cmd, out_path, seconds, env=None):
    """Run cmd in its own process group with stdout and stderr to
    out_path; returns (exit status, timed out)."""
    if stopping.is_set():
        return -1, True
    with open(out_path, "w") as out:
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=env,
                                 start_new_session=True)
        children.add(child)
        try:
            rc = child.wait(timeout=seconds)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
            rc, timed_out = -1, True
    children.discard(child)
    return rc, timed_out


def bound(name, default):
    v = os.environ.get(name)
    if v:
        return float(v)
    return default


# ---------------------------------------------------------------------------
# sqlmap

# Start pages for the quick run: a few forms and query parameters.
QUICK_SQLMAP = {
    # (The sign-in and registration forms hash a password with Argon2id
    # on every request: too slow for the quick run, tested in full.)
    "visitor": ["/search?q=work&page=1",
                "/jobs?q=weld&governorate=erbil&sector=construction",
                "/guides?governorate=erbil&topic=work",
                "/events?governorate=erbil&kind=job_fair"],
    "returnee": ["/messages/new", "/messages?q=help",
                 "/b/erbil/new", "/profile"],
}
# The request headers and cookies sqlmap tests at level 5 are read by
# the same code (http.c, auth.c) on every route: they are tested once per
# role on the home page, and skipped in the crawl.
GLOBAL_POINTS = "user-agent,referer,host,mg_session,mg_csrf"
TARGET_RE = re.compile(r"^\[(?:#)?\d+/\d+\] (?:Form|URL):\s*$")
REQ_RE = re.compile(r"^(GET|POST) (http\S+)")
PARAM_RE = re.compile(r"testing (?:for SQL injection on|if) "
                      r"\(?(\S+?)\)? parameter '([^']+)'")
INJ_RE = re.compile(r"parameter '[^']+' (is '.+' injectable|appears to be "
                    r"'.+' injectable)|identified the following injection "
                    r"point|is vulnerable")


def sqlmap_cmd(role, s, outdir, bulk):
    """The quick run: sqlmap's own --forms --crawl from the pages of bulk."""
    cookie = "; ".join("%s=%s" % kv for kv in s["cookies"].items())
    # The token is the same on every form of the session: testing it
    # would only meet the CSRF check.  --union-cols keeps the ORDER BY
    # probe from "finding" 999 columns on the idempotency key.  This
    # sqlmap sends --cookie only with the requests it tests, not with
    # those of its crawler (which would then crawl as a visitor);
    # --live-cookies goes with every request.
    live = os.path.join(outdir, "cookies.txt")
    with open(live, "w") as f:
        f.write(cookie + "\n")
    return ["sqlmap", "--batch", "--dbms=PostgreSQL", "--disable-coloring",
            "--output-dir=" + outdir, "--cookie=" + cookie,
            "--drop-set-cookie", "--answers=follow=N",
            "-H", "X-Forwarded-For: 10.250.%d.1" % ROLES.index(role),
            "--level=1", "--risk=1", "--union-cols=1-10",
            "--live-cookies=" + live, "-m", bulk, "--forms", "--crawl=1",
            "--crawl-exclude=" + s["exclude"],
            "--skip=csrf," + GLOBAL_POINTS, "--threads=2"]


def read_log(path):
    with open(path, errors="replace") as f:
        return f.read()


def parse_sqlmap(text):
    """(targets, {(target, place, parameter)}, injectable lines) of the
    text of a sqlmap log."""
    targets, params, inj = set(), set(), []
    current = None
    expect = False
    for line in text.splitlines():
        if TARGET_RE.match(line):
            expect = True
            continue
        m = REQ_RE.match(line)
        if expect and m:
            current = "%s %s" % (m.group(1), m.group(2))
            targets.add(current)
            expect = False
            continue
        m = PARAM_RE.search(line)
        if m:
            params.add((current, m.group(1), m.group(2)))
        if INJ_RE.search(line) and "not" not in line.split("injectable")[0][-20:]:
            inj.append(line)
    return targets, params, inj


DONE_RE = re.compile(r"parameter '([^']+)' does not seem to be injectable")
# sqlmap reports a boolean-based candidate ("appears to be ... injectable")
# when the page differs with the payload, e.g. a vacancy's title shown
# back, then checks it with arithmetic that only an injection evaluates
# (1+1 against 2) and drops it with this line.
FALSE_POSITIVE = "false positive or unexploitable injection point detected"
CONFIRMED = "identified the following injection point"


def findings(text, lines, outdir):
    """(injections sqlmap kept, candidates it dropped as false positives)
    of the run whose log is text, with injectable lines (parse_sqlmap),
    and output directory outdir."""
    rows = csv_rows(outdir)
    kept = ["CSV: " + ",".join(r) for r in rows
            if "false positive" not in r[-1]]
    if CONFIRMED in text or kept or FALSE_POSITIVE not in text:
        return lines + kept, []
    return [], lines


def path_marked(t):
    """The target's URL with sqlmap's marker after its {slug} segment."""
    u = urllib.parse.urlsplit(t["url"])
    segs = u.path.split("/")
    i = t["route"].split("/").index("{slug}")
    segs[i] += "*"
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/".join(segs),
                                    u.query, ""))


def sqlmap_jobs(sessions, targets):
    """One sqlmap run per parameter of each target (so that two runs
    share the machine evenly), and per role one for the request headers
    and cookies: [(name, role, [sqlmap arguments], [parameters])]."""
    jobs = []
    for role in ROLES:
        # The headers, and the cookies this role's session has (a
        # visitor's has no mg_session).
        points = [p for p in GLOBAL_POINTS.split(",")
                  if not p.startswith("mg_") or p in sessions[role]["cookies"]]
        jobs.append(("%s-points" % role, role,
                     ["-u", BASE + "/", "-p", ",".join(points)], points))
    for i, t in enumerate(targets):
        if t["params"] == ["<path>"]:
            jobs.append(("t%03d-path" % i, t["role"],
                         ["-u", path_marked(t)], ["<path>"]))
            continue
        extra = []
        if t["method"] == "POST":
            extra = ["--data", urllib.parse.urlencode(
                [tuple(kv) for kv in t["post"]]), "--method", "POST"]
        for j, name in enumerate(t["params"]):
            jobs.append(("t%03d-%02d" % (i, j), t["role"],
                         ["-u", t["url"], "-p", name] + extra, [name]))
    return jobs


def sqlmap_full():
    """Level 5, risk 3 on every target of targets.py, two runs at once."""
    sessions = json.load(open(os.path.join(WORK, "sessions.json")))
    targets = json.load(open(os.path.join(WORK, "targets.json")))
    limit = bound("MAGNET_SQLMAP_SECONDS", None)
    nproc = int(os.environ.get("MAGNET_SQLMAP_JOBS", "2"))
    t0 = time.time()
    jobs = sqlmap_jobs(sessions, targets)
    results = []
    lock = threading.Lock()

    def one(job):
        name, role, args, params = job
        outdir = os.path.join(WORK, "sqlmap", name)
        os.makedirs(outdir, exist_ok=True)
        cookie = "; ".join("%s=%s" % kv
                           for kv in sessions[role]["cookies"].items())
        cmd = ["sqlmap", "--batch", "--dbms=PostgreSQL",
               "--disable-coloring", "--output-dir=" + outdir,
               "--cookie=" + cookie, "--drop-set-cookie",
               "--answers=follow=N", "--keep-alive",
               "-H", "X-Forwarded-For: 10.250.%d.1" % ROLES.index(role),
               "--level=5", "--risk=3", "--union-cols=1-50"] + args
        left = None if limit is None else max(1, limit - (time.time() - t0))
        out = os.path.join(outdir, "sqlmap.log")
        rc, timed_out = run(cmd, out, left)
        text = read_log(out)
        inj, dropped = findings(text, parse_sqlmap(text)[2], outdir)
        done = set(p.lower() for p in DONE_RE.findall(text))
        finished = rc == 0 and not timed_out and (
            inj or params == ["<path>"] and "do not appear to be "
            "injectable" in text or all(p.lower() in done for p in params))
        with lock:
            results.append((name, role, params, inj, finished, timed_out,
                            dropped))
            n = len(results)
            if n % 10 == 0 or n == len(jobs) or not finished or inj:
                print("sqlmap: %d of %d runs done, %.0f s%s" % (
                    n, len(jobs), time.time() - t0,
                    "" if finished and not inj else
                    " (%s as %s: %s)" % (name, role, "injectable"
                                          if inj else "did not finish")),
                    flush=True)

    print("sqlmap: %d runs (%d targets and the headers and cookies of %d "
          "roles), %d at once" % (len(jobs), len(targets), len(ROLES),
                                  nproc), flush=True)
    with ThreadPoolExecutor(nproc) as pool:
        list(pool.map(one, jobs))
    inj = [l for r in results for l in r[3]]
    unfinished = [r for r in results if not r[4]]
    stopped = [r for r in results if r[5]]
    nparams = sum(len(r[2]) for r in results)
    dropped = [(r[0], r[1], l) for r in results for l in r[6]]
    for line in inj:
        print("  " + line)
    for name, role, line in dropped:
        print("  dropped by sqlmap's false-positive check: %s as %s: %s"
              % (name, role, line.strip()))
    for r in unfinished[:20]:
        print("  did not finish: %s as %s (%s)" % (r[0], r[1],
                                                   ",".join(r[2])))
    routes = set((t["method"], t["route"]) for t in targets)
    per_role = {}
    for r in results:
        per_role[r[1]] = per_role.get(r[1], 0) + len(r[2])
    rule = "sqlmap: no parameter injectable"
    figures = ("%d targets on %d routes, %d parameters at level 5 risk 3 "
               "(%s), %d injectable, %d candidates dropped by sqlmap's "
               "false-positive check, %d runs unfinished, %.0f s" % (
                   len(targets), len(routes), nparams,
                   ", ".join("%s %d" % (r, per_role.get(r, 0))
                             for r in ROLES),
                   len(inj), len(dropped), len(unfinished),
                   time.time() - t0))
    if inj or unfinished:
        print("FAIL %s (%s%s)" % (rule, figures, "; stopped at the time "
                                  "bound" if stopped else ""))
        return 1
    print("PASS %s (%s)" % (rule, figures))
    return 0


def csv_rows(outdir):
    rows = []
    for path in glob.glob(os.path.join(outdir, "results-*.csv")):
        with open(path, newline="") as f:
            for row in list(csv.reader(f))[1:]:
                if row and any(c.strip() for c in row):
                    rows.append(row)
    return rows


def sqlmap(mode):
    if mode == "full":
        return sqlmap_full()
    sessions = json.load(open(os.path.join(WORK, "sessions.json")))
    each = bound("MAGNET_SQLMAP_SECONDS", 75)
    t0 = time.time()
    ntargets, nparams, inj, stopped, failed = 0, 0, [], [], []
    for role in QUICK_SQLMAP:
        outdir = os.path.join(WORK, "sqlmap", role)
        os.makedirs(outdir, exist_ok=True)
        bulk = os.path.join(outdir, "start.txt")
        with open(bulk, "w") as f:
            # sqlmap's crawler sends its very first request without the
            # cookie: let that be /healthz, which has no form or link.
            f.write("".join(BASE + p + "\n"
                            for p in ["/healthz"] + QUICK_SQLMAP[role]))
        out = os.path.join(outdir, "crawl.log")
        t1 = time.time()
        rc, timed_out = run(sqlmap_cmd(role, sessions[role], outdir, bulk),
                            out, each)
        text = read_log(out)
        targets, params, lines = parse_sqlmap(text)
        lines, _ = findings(text, lines, outdir)
        print("sqlmap as %s: %d targets, %d parameters, %d injectable, "
              "%.0f s%s" % (role, len(targets), len(params), len(lines),
                            time.time() - t1, ", stopped at its bound"
                            if timed_out else ""), flush=True)
        ntargets += len(targets)
        nparams += len(params)
        inj += lines
        if timed_out:
            stopped.append(role)
        elif rc != 0 or not params:
            failed.append("%s (exit %s, %d parameters)" % (role, rc,
                                                           len(params)))
    for line in inj:
        print("  " + line)
    rule = "sqlmap: no parameter injectable"
    figures = ("%d forms/URLs and %d parameters tested as %d roles at level "
               "1 risk 1, %d injectable, %.0f s" % (
                   ntargets, nparams, len(QUICK_SQLMAP), len(inj),
                   time.time() - t0))
    if inj or failed:
        print("FAIL %s (%s%s)" % (rule, figures, "; no complete run as " +
                                  ", ".join(failed) if failed else ""))
        return 1
    if stopped:
        figures += "; the bounded quick run stopped as " + ", ".join(stopped)
    print("PASS %s (%s)" % (rule, figures))
    return 0


# ---------------------------------------------------------------------------
# wapiti

WAPITI_MODULES = ("xss,permanentxss,sql,blindsql,exec,crlf,redirect,csrf,"
                  "methods,backup")
QUICK_WAPITI_ROLES = ["returnee"]


def cookie_file(role, s, path):
    host = urllib.parse.urlsplit(BASE).hostname
    jar = {host: {"/": {}}}
    for k, v in s["cookies"].items():
        jar[host]["/"][k] = {"value": v, "expires": None, "secure": False,
                             "port": None, "version": 0}
    with open(path, "w") as f:
        json.dump(jar, f)


def wapiti_excludes():
    """wapiti's -x takes wildcards, not regular expressions."""
    pats = ["/logout", "/account/delete", "/account/password", "/lang",
            "/reset/*", "/mod/users/*/suspend", "/mod/users/*/reset",
            "/admin/users/*"]
    out = []
    for p in pats:
        out += ["-x", BASE + p]
    return out


def wapiti(mode):
    sessions = json.load(open(os.path.join(WORK, "sessions.json")))
    roles = QUICK_WAPITI_ROLES if mode == "quick" else ROLES
    each = bound("MAGNET_WAPITI_SECONDS", 130 if mode == "quick" else None)
    if mode == "full":
        targets = json.load(open(os.path.join(WORK, "targets.json")))
        pages = json.load(open(os.path.join(WORK, "pages.json")))
    t0 = time.time()
    findings, failed, stopped, nurls = [], [], [], 0
    for role in roles:
        s = sessions[role]
        d = os.path.join(WORK, "wapiti", role)
        os.makedirs(d, exist_ok=True)
        cookies = os.path.join(d, "cookies.json")
        cookie_file(role, s, cookies)
        report = os.path.join(d, "report.json")
        # Debian's wapiti 3.0.4 cannot compile any -x pattern under
        # Python 3.11 (it appends "(?ms)" at the end of the expression,
        # an error since 3.11): wapiti_shim() runs it with that fixed.
        cmd = [sys.executable, os.path.abspath(__file__), "wapiti-shim",
               "-u", BASE + "/", "--scope", "folder",
               "-m", WAPITI_MODULES, "-c", cookies, "-f", "json",
               "-o", report, "--flush-session", "--store-session",
               os.path.join(d, "session"), "--store-config",
               os.path.join(d, "config"), "-v", "1", "--no-bugreport",
               "-H", "X-Forwarded-For: 10.251.%d.1" % ROLES.index(role),
               "-t", "30"] + wapiti_excludes()
        env = None
        if mode == "full":
            # targets.py's targets of this role, in place of a crawl.
            mine = [t for t in targets if t["role"] == role] + [
                {"method": "GET", "url": u, "post": []}
                for u in pages[role]]
            listed = os.path.join(d, "targets.json")
            with open(listed, "w") as f:
                json.dump(mine, f)
            env = dict(os.environ, MAGNET_WAPITI_TARGETS=listed)
            cmd += ["--skip", "csrf"]
        if mode == "quick":
            # About two minutes: a shallow crawl, and each module bounded.
            cmd += ["-d", "2", "--max-links-per-page", "20",
                    "--max-scan-time", "110", "--max-attack-time", "10"]
        else:
            if each:
                # Bounded: wapiti stops itself (and writes its report),
                # a third of the time crawling, the rest attacking.
                cmd += ["--max-scan-time", "%d" % (each * 0.3),
                        "--max-attack-time", "%d" % (each * 0.06)]
        t1 = time.time()
        rc, timed_out = run(cmd, os.path.join(d, "wapiti.log"),
                            each + 180 if each else None, env)
        log = read_log(os.path.join(d, "wapiti.log"))
        # Its own bounds: in the quick run by design, in full a failure.
        cut = log.count("Max scan time was reached") + log.count(
            "Max attack time was reached")
        if cut and mode == "full":
            timed_out = True
        try:
            rep = json.load(open(report))
        except (OSError, ValueError):
            rep = None
        if rep is None:
            failed.append("%s (exit %s, no report)" % (role, rc))
            print("wapiti as %s: no report (exit %s)" % (role, rc))
            print("\n".join(log.splitlines()[-15:]))
            continue
        n = 0
        for cat, items in rep.get("vulnerabilities", {}).items():
            for it in items:
                n += 1
                findings.append("%s as %s: %s %s %s" % (
                    cat, role, it.get("method"), it.get("path"),
                    it.get("info", "")[:200]))
        anomalies = sum(len(v) for v in rep.get("anomalies", {}).values())
        m = re.search(r"Wapiti found (\d+) URLs and forms", log)
        urls = int(m.group(1)) if m else 0
        nurls += urls
        print("wapiti as %s: %d URLs and forms, %d vulnerabilities, %d "
              "anomalies, %.0f s%s" % (role, urls, n, anomalies,
                                       time.time() - t1,
                                       ", stopped at its bound" if timed_out
                                       else ""), flush=True)
        for cat, items in rep.get("anomalies", {}).items():
            for it in items:
                findings.append("anomaly %s as %s: %s %s %s" % (
                    cat, role, it.get("method"), it.get("path"),
                    it.get("info", "")[:200]))
        if timed_out:
            stopped.append(role)
    for line in findings:
        print("  " + line)
    rule = ("wapiti (%s): no vulnerability or anomaly in its JSON report"
            % WAPITI_MODULES)
    figures = "%d URLs and forms attacked as %d roles, %d findings, %.0f s" % (
        nurls, len(roles), len(findings), time.time() - t0)
    if findings or failed or stopped:
        more = ""
        if failed:
            more += "; no report as " + ", ".join(failed)
        if stopped:
            more += "; stopped at the time bound as " + ", ".join(stopped)
        print("FAIL %s (%s%s)" % (rule, figures, more))
        return 1
    print("PASS %s (%s)" % (rule, figures))
    return 0


def wapiti_shim(args):
    """/usr/bin/wapiti with its wildcard translation fixed for 3.11, and
    with MAGNET_WAPITI_TARGETS (a JSON list of targets.py's targets) in
    place of its own crawl."""
    import wapitiCore.net.crawler as crawler
    from wapitiCore.net import web
    from wapitiCore.main.wapiti import wapiti_main

    def wildcard_translate(pattern):
        return re.compile("(?ms)" + ".*".join(re.escape(p) for p in
                                             pattern.split("*")) + r"\Z")
    crawler.wildcard_translate = wildcard_translate
    listed = os.environ.get("MAGNET_WAPITI_TARGETS")
    if listed:
        targets = json.load(open(listed))

        def explore(self, urls, excluded_urls=None):
            urls.clear()  # wapiti saves what is left as "to browse"
            for t in targets:
                u = urllib.parse.urlsplit(t["url"])
                path = urllib.parse.urlunsplit((u.scheme, u.netloc, u.path,
                                                "", ""))
                get = [list(kv) for kv in
                       urllib.parse.parse_qsl(u.query, True)]
                if t["method"] == "POST":
                    req = web.Request(path, "POST", get_params=get,
                                      post_params=[list(kv) for kv in
                                                   t["post"]])
                else:
                    req = web.Request(path, "GET", get_params=get)
                try:
                    self._crawler.send(req)
                except Exception as e:  # reported, and counted missing
                    print("[!] target %s: %s" % (t["url"], e))
                    continue
                yield req
        crawler.Explorer.explore = explore
    sys.argv = ["wapiti"] + args
    return wapiti_main()


def main():
    if sys.argv[1] == "wapiti-shim":
        return wapiti_shim(sys.argv[2:])
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tool, mode = sys.argv[1], sys.argv[2]
    return {"sqlmap": sqlmap, "wapiti": wapiti}[tool](mode)


if __name__ == "__main__":
    sys.exit(main())
