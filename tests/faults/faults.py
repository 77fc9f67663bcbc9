"""The fault checks of issue 7, item 3: tests/faults/run.sh starts the
database and runs this with /usr/bin/python3 (requests, threads).

    faults.py quick|full PGDIR CONNINFO

Each check prints "PASS name: rule (figures)" or "FAIL name: rule (what
happened)"; the last line is "faults: N passed, N failed".  "The server"
is all of its processes: Kore's parent, its workers and the markdown
broker; the markdown workers under the broker are counted apart.  The servers
are the release build (build/magnet) with the shipped defaults
(conf/magnet.conf) except for the few settings in CONF below.
"""
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import requests
from requests.adapters import HTTPAdapter

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODE, PGDIR, DBURL = sys.argv[1], sys.argv[2], sys.argv[3]
QUICK = MODE == "quick"
# FAULTS_BIN: another build to compare (the release build by default).
BIN = os.environ.get("FAULTS_BIN") or os.path.join(TOP, "build/magnet")
CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
IDEM_RE = re.compile(r'name="idem" value="([^"]+)"')

# Settings that differ from the shipped ones, and why: client addresses
# from X-Forwarded-For (so each simulated person is its own address),
# no wait between posts (the streams post as fast as they can), two
# password hashes at once whatever the machine (the memory rule is
# written for two).  Timeouts, threads, connection limits: shipped.
CONF = """trust_proxy = on
post_interval = 0
hash_concurrency = 2
"""
# The shipped budgets the rules are written against (conf/magnet.conf).
MD_WORKERS = 2          # md_workers
STATEMENT_S = 5.0
CONNECT_S = 2.0
MARGIN_S = 1.0          # app/db.c: the client's deadline is timeout + 1 s

WORK = tempfile.mkdtemp(prefix="magnet-faults-run.")
os.chmod(WORK, 0o755)
results = []
servers = []
children = []


def note(msg):
    print("-- " + msg, flush=True)


def report(name, ok, rule, figures):
    results.append(ok)
    print("%s %s: %s (%s)" % ("PASS" if ok else "FAIL", name, rule, figures),
          flush=True)


def psql(sql):
    out = subprocess.run(["psql", DBURL, "-v", "ON_ERROR_STOP=1", "-qtAc",
                          sql], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError("psql: " + out.stderr.strip())
    return out.stdout.strip()


def pg(cmd):
    t = time.time()
    subprocess.run(["sh", os.path.join(TOP, "db/pg.sh"), cmd, PGDIR],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=180)
    return time.time() - t


def pg_pids():
    out = subprocess.run(["sh", os.path.join(TOP, "tests/faults/pgpids.sh"),
                          PGDIR], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kb(pid):
    """Resident kB of one process, None when it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def descendants(pid):
    """Every process under pid, children first."""
    out = []
    todo = [pid]
    while todo:
        kids = child_pids(todo.pop())
        out += kids
        todo += kids
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_pids(pid):
    """The server's processes: Kore's parent, its workers (and key
    manager) and the markdown broker; not the markdown workers, which
    are counted on their own."""
    return [pid] + [p for p in descendants(pid)
                    if "md-worker" not in cmdline(p)]


def md_worker_pids(pid):
    return [p for p in descendants(pid) if "md-worker" in cmdline(p)]


def server_rss_kb(pid):
    """Resident kB of the server's processes together; None when the
    server (Kore's parent) is gone."""
    if rss_kb(pid) is None:
        return None
    return sum(rss_kb(p) or 0 for p in server_pids(pid))


def child_pids(pid):
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/status" % d) as f:
                for line in f:
                    if line.startswith("PPid:"):
                        if int(line.split()[1]) == pid:
                            kids.append(int(d))
                        break
        except OSError:
            pass
    return kids


class Server:
    """build/magnet serve on a free port of 127.0.0.1, as
    tests/http/conftest.py starts one."""

    def __init__(self, name, extra=""):
        self.name = name
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.conf = os.path.join(WORK, name + ".conf")
        with open(self.conf, "w") as f:
            f.write(CONF + extra)
        self.logpath = os.path.join(WORK, name + ".log")
        self.proc = None
        servers.append(self)

    def env(self):
        e = dict(os.environ)
        e.update(MAGNET_DB=DBURL, MAGNET_CONF=self.conf,
                 MAGNET_LISTEN="127.0.0.1:%d" % self.port)
        return e

    def start(self, timeout=60):
        log = open(self.logpath, "a")
        self.proc = subprocess.Popen([BIN, "serve"], cwd=TOP, env=self.env(),
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited: %s" % (self.name,
                                                      self.tail()))
            try:
                if requests.get(self.base + "/healthz", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("%s did not start: %s" % (self.name, self.tail()))

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def workers(self):
        return descendants(self.pid) if self.alive() else []

    def stop(self):
        if not self.alive():
            return
        kids = self.workers()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        reap(kids)

    def kill9(self):
        kids = self.workers()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        return kids

    def tail(self, n=15):
        try:
            with open(self.logpath, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def grep(self, pattern):
        with open(self.logpath, errors="replace") as f:
            return [l for l in f if re.search(pattern, l)]


def reap(pids, wait=5.0):
    """Processes that should end by themselves; killed when they do not.
    Returns how many had to be killed."""
    deadline = time.time() + wait
    left = list(pids)
    while left and time.time() < deadline:
        left = [p for p in left if os.path.exists("/proc/%d" % p)
                and not open("/proc/%d/stat" % p).read().split()[2] == "Z"]
        time.sleep(0.05)
    for p in left:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    return len(left)


class SourceAdapter(HTTPAdapter):
    """Connections from a chosen loopback address (127.0.0.2, say)."""

    def __init__(self, source, **kw):
        self.source = source
        super().__init__(**kw)

    def init_poolmanager(self, *a, **kw):
        kw["source_address"] = (self.source, 0)
        return super().init_poolmanager(*a, **kw)


def random_ip():
    return "10.%d.%d.%d" % (random.randint(0, 255), random.randint(0, 255),
                            random.randint(1, 254))


def unique(prefix="f"):
    return "%s%d%05d" % (prefix, int(time.time() * 1000) % 10**8,
                         random.randint(0, 99999))


class Client:
    """A browser: its own cookies, address (X-Forwarded-For) and CSRF
    token (one a session)."""

    def __init__(self, base, ip=None, source=None, close=False):
        self.base = base
        self.s = requests.Session()
        self.s.headers["X-Forwarded-For"] = ip or random_ip()
        self.s.headers["Accept-Language"] = "en"
        if close:
            self.s.headers["Connection"] = "close"
        if source:
            a = SourceAdapter(source)
            self.s.mount("http://", a)
        self.token = None
        self.name = self.password = None

    def get(self, path, timeout=30, **kw):
        return self.s.get(self.base + path, allow_redirects=False,
                          timeout=timeout, **kw)

    def csrf(self, path="/"):
        if self.token is None:
            r = self.get(path)
            m = CSRF_RE.search(r.text)
            if not m:
                raise RuntimeError("no csrf field on %s (%d)" %
                                   (path, r.status_code))
            self.token = m.group(1)
        return self.token

    def post(self, path, data, csrf_from="/", timeout=30):
        data = dict(data)
        data["csrf"] = self.csrf(csrf_from)
        return self.s.post(self.base + path, data=data,
                           allow_redirects=False, timeout=timeout)

    def register(self, role="returnee", name=None):
        self.name = name or unique("u")
        self.password = "fault check password %d" % random.randint(0, 10**9)
        data = {"username": self.name, "password": self.password,
                "role": role}
        if role == "employer":
            data["enterprise"] = "Enterprise of " + self.name
        r = self.post("/register", data, csrf_from="/register")
        if r.status_code != 303:
            raise RuntimeError("register: %d %s" % (r.status_code,
                                                    r.text[:300]))
        self.token = None       # the session changed: a new token
        self.uid = int(psql("SELECT id FROM users WHERE username = '%s'"
                            % self.name))
        return self

    def login(self, name=None, password=None):
        self.token = None
        r = self.post("/login", {"username": name or self.name,
                                 "password": password or self.password},
                      csrf_from="/login")
        self.token = None
        return r


def staff(server, role="moderator"):
    name = unique(role[:3])
    password = "a long fault check passphrase %d" % random.randint(0, 10**9)
    out = subprocess.run([BIN, "user", "add", name, "--role", role],
                         input=password + "\n", env=server.env(),
                         capture_output=True, text=True, cwd=TOP)
    if out.returncode != 0:
        raise RuntimeError("user add: " + out.stderr)
    c = Client(server.base)
    c.name, c.password = name, password
    r = c.login()
    if r.status_code != 303:
        raise RuntimeError("staff login: %d" % r.status_code)
    return c


def new_thread(c, marker, board="erbil"):
    r = c.post("/b/%s/new" % board, {"title": "Fault check " + marker,
                                     "body": marker + " first post",
                                     "idem": "i-" + marker})
    if r.status_code != 303:
        raise RuntimeError("new thread: %d %s" % (r.status_code,
                                                  r.text[:300]))
    return int(re.search(r"/t/(\d+)", r.headers["Location"]).group(1))


def today(offset=0):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 3600 +
                                                 offset * 86400))


def vacancy_form(marker, **kw):
    data = {"kind": "job", "title": "Fault check vacancy " + marker,
            "description": marker + " Build **schools** in Erbil.",
            "governorate": "erbil", "city": "Erbil", "sector":
            "construction", "contract": "full_time", "positions": "2",
            "skills": "welding", "salary_min": "750000",
            "salary_max": "1200000", "deadline": today(30),
            "action": "submit", "l_ckb": "1", "idem": "v-" + marker}
    data.update(kw)
    return data


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


class Recorder:
    """Every request a load made: start, seconds, status (or the
    exception's name), kind, Retry-After."""

    def __init__(self):
        self.rows = []
        self.lock = threading.Lock()

    def add(self, t0, dt, status, kind, retry=None):
        with self.lock:
            self.rows.append((t0, dt, status, kind, retry))


def timed(rec, kind, fn):
    t0 = time.time()
    try:
        r = fn()
        rec.add(t0, time.time() - t0, r.status_code, kind,
                r.headers.get("Retry-After"))
        return r
    except requests.RequestException as e:
        rec.add(t0, time.time() - t0, type(e).__name__, kind)
        return None


class MixedLoad:
    """Readers (anonymous home, board and thread pages) and posters
    (signed-in replies with the session's CSRF token and an idempotency
    key each; a reply not answered 303 is sent again with the same key and
    text, as a person would press the button again)."""

    def __init__(self, server, tid, posters, tag, readers=3):
        self.server, self.tid, self.tag = server, tid, tag
        self.rec = Recorder()
        self.stop = threading.Event()
        self.acked = {}          # marker -> Location
        self.sent = set()
        self.lock = threading.Lock()
        self.threads = []
        for i in range(readers):
            self.threads.append(threading.Thread(target=self.reader,
                                                 args=(i,), daemon=True))
        for i, c in enumerate(posters):
            self.threads.append(threading.Thread(target=self.poster,
                                                 args=(i, c), daemon=True))

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)

    def reader(self, i):
        c = Client(self.server.base, close=True)
        paths = ["/", "/b/erbil", "/t/%d" % self.tid]
        n = i
        while not self.stop.is_set():
            timed(self.rec, "read", lambda: c.get(paths[n % 3]))
            n += 1
            time.sleep(0.05)

    def poster(self, i, c):
        c.s.headers["Connection"] = "close"
        n = 0
        pending = None
        while not self.stop.is_set():
            if pending is None:
                n += 1
                marker = "%s-%d-%d-%06d" % (self.tag, i, n,
                                            random.randint(0, 999999))
                pending = marker
                with self.lock:
                    self.sent.add(marker)
            marker = pending
            r = timed(self.rec, "post", lambda: c.s.post(
                c.base + "/t/%d/reply" % self.tid,
                data={"body": marker + " a reply under faults",
                      "idem": marker, "csrf": c.token},
                allow_redirects=False, timeout=30))
            if r is not None and r.status_code == 303:
                with self.lock:
                    self.acked[marker] = r.headers.get("Location")
                pending = None
            time.sleep(0.05)


def posts_with(prefix):
    """marker -> number of posts whose text starts with it."""
    out = psql("SELECT split_part(body_md, ' ', 1), count(*) FROM posts "
               "WHERE body_md LIKE '%s-%%' GROUP BY 1" % prefix)
    found = {}
    for line in out.splitlines():
        m, n = line.split("|")
        found[m] = int(n)
    return found


def summarise(rows, since=None, until=None):
    sel = [r for r in rows if (since is None or r[0] >= since) and
           (until is None or r[0] < until)]
    return sel


# ---------------------------------------------------------------------------
# 1. PostgreSQL stopped (fast, then immediate) under a mixed load


def check_db_stop(srv, tid, posters):
    name = "database-stop"
    rule = ("PostgreSQL stopped fast, then immediately, under reads and "
            "replies: answers while it is down are 503 with Retry-After, "
            "no request over 5 s, back within 5 s of its return, every "
            "reply answered 303 in the database once")
    down_s = 5 if QUICK else 15
    warm_s = 3 if QUICK else 10
    after_s = 7 if QUICK else 15
    load = MixedLoad(srv, tid, posters, "f1" + unique("")).start()
    phases = []
    try:
        time.sleep(warm_s)
        for how in ("stop", "stop-immediate"):
            t_stop = time.time()
            if phases:
                phases[-1] = phases[-1] + (t_stop,)
            pg(how)
            t_down = time.time()
            time.sleep(down_s)
            t_start = time.time()
            pg("start")
            t_back = time.time()
            phases.append((how, t_down, t_start, t_back))
            time.sleep(after_s)
        phases[-1] = phases[-1] + (time.time(),)
    finally:
        load.finish()
        # The cluster must be up for the next checks whatever happened.
        pg("start")
    rows = load.rec.rows
    problems = []
    slow = [r for r in rows if r[1] > 5.0]
    if slow:
        problems.append("%d requests over 5 s (max %.1f s)" %
                        (len(slow), max(r[1] for r in slow)))
    bad = [r for r in rows if r[2] not in (200, 303, 503)]
    if bad:
        problems.append("%d answers other than 200/303/503: %s" % (
            len(bad), sorted(set(str(r[2]) for r in bad))[:5]))
    no_retry = [r for r in rows if r[2] == 503 and r[4] != "5"]
    if no_retry:
        problems.append("%d 503s without Retry-After: 5" % len(no_retry))
    figs = []
    for how, t_down, t_start, t_back, t_next in phases:
        # Down: from the end of pg_ctl stop to the start command (the
        # database accepts connections before db/pg.sh start returns).
        during = summarise(rows, t_down + 0.5, t_start)
        n503 = sum(1 for r in during if r[2] == 503)
        ok_reads = sum(1 for r in during if r[2] == 200)
        acked_during = sum(1 for r in during if r[2] == 303)
        fails_after = [r for r in rows if t_back <= r[0] < t_next and
                       r[2] not in (200, 303)]
        rec_s = max([r[0] + r[1] - t_back for r in fails_after] or [0.0])
        if rec_s > 5.0:
            problems.append("%s: failures until %.1f s after the database "
                            "returned: %s" % (how, rec_s, sorted(set(
                                (r[3], str(r[2])) for r in fails_after))))
        if acked_during:
            problems.append("%s: %d posts answered 303 while the database "
                            "was down" % (how, acked_during))
        mx = max([r[1] for r in during] or [0.0])
        figs.append("%s: %d requests while down, %d 503, %d cached 200, "
                    "max %.2f s, recovered %.1f s after return" %
                    (how, len(during), n503, ok_reads, mx, rec_s))
        if len(during) < 10 or n503 == 0:
            problems.append("%s: too little load while down (%d requests)"
                            % (how, len(during)))
    found = posts_with(load.tag)
    acked = set(load.acked)
    missing = sorted(acked - set(found))
    dups = [m for m, n in found.items() if n > 1]
    unacked_saved = len(set(found) - acked)
    if missing:
        problems.append("%d acknowledged replies missing, e.g. %s" %
                        (len(missing), missing[:3]))
    if dups:
        problems.append("%d replies saved twice" % len(dups))
    figs.append("%d requests, max %.2f s; %d replies acknowledged, %d of "
                "them in the database, %d saved but not acknowledged, "
                "%d duplicates" % (len(rows), max(r[1] for r in rows),
                                   len(acked), len(acked & set(found)),
                                   unacked_saved, len(dups)))
    report(name, not problems, rule, "; ".join(problems + figs))


# ---------------------------------------------------------------------------
# 2. The database frozen with SIGSTOP


def check_freeze(srv, tid, posters):
    name = "database-freeze"
    freeze_s = 10 if QUICK else 30
    stmt_budget = STATEMENT_S + MARGIN_S
    conn_budget = CONNECT_S + MARGIN_S
    budget = max(stmt_budget, conn_budget) + 2.0
    rule = ("PostgreSQL frozen (SIGSTOP) for %d s under reads and replies: "
            "every request ends within %.0f s (statement %.0f s or connect "
            "%.0f s, plus the server's 1 s margin and 2 s for a busy "
            "machine), with 503 and Retry-After; every server thread "
            "answers 200 within 5 s of SIGCONT; acknowledged replies kept"
            % (freeze_s, budget, STATEMENT_S, CONNECT_S))
    load = MixedLoad(srv, tid, posters, "f2" + unique(""), readers=4).start()
    pids = []
    try:
        time.sleep(3)
        pids = pg_pids()
        t_freeze = time.time()
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        time.sleep(freeze_s)
        t_thaw = time.time()
        for p in pids:
            os.kill(p, signal.SIGCONT)
        time.sleep(6)
    finally:
        for p in pids:
            try:
                os.kill(p, signal.SIGCONT)
            except OSError:
                pass
        load.finish()
    rows = load.rec.rows
    problems = []
    during = summarise(rows, t_freeze, t_thaw)
    late = [r for r in rows if r[1] > budget]
    mx = max(r[1] for r in rows)
    if late:
        problems.append("%d requests over %.0f s" % (len(late), budget))
    bad = [r for r in rows if r[2] not in (200, 303, 503)]
    if bad:
        problems.append("%d answers other than 200/303/503: %s" % (
            len(bad), sorted(set(str(r[2]) for r in bad))[:5]))
    no_retry = [r for r in rows if r[2] == 503 and r[4] != "5"]
    if no_retry:
        problems.append("%d 503s without Retry-After" % len(no_retry))
    n503 = sum(1 for r in during if r[2] == 503)
    fast = sum(1 for r in during if r[2] == 503 and r[1] < 0.5)
    fails_after = [r for r in rows if r[0] >= t_thaw and
                   r[2] not in (200, 303)]
    rec_s = max([r[0] + r[1] - t_thaw for r in fails_after] or [0.0])
    # Every thread of the pool: new connections land on all of them.
    probe = []

    def one():
        try:
            probe.append(requests.get(srv.base + "/healthz", timeout=10,
                                      headers={"Connection": "close"}
                                      ).status_code)
        except requests.RequestException as e:
            probe.append(type(e).__name__)
    ths = [threading.Thread(target=one) for _ in range(24)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    if rec_s > 5.0:
        problems.append("failures until %.1f s after SIGCONT" % rec_s)
    if any(p != 200 for p in probe):
        problems.append("after recovery /healthz answered %s" %
                        sorted(set(map(str, probe))))
    found = posts_with(load.tag)
    acked = set(load.acked)
    missing = acked - set(found)
    if missing:
        problems.append("%d acknowledged replies missing" % len(missing))
    if len(during) < 10 or n503 == 0:
        problems.append("too little load during the freeze (%d requests)"
                        % len(during))
    timeouts = len(srv.grep(r"no answer within"))
    figs = ("%d PostgreSQL processes stopped; %d requests during the freeze, "
            "%d answered 503 (%d of them in under 0.5 s), max request %.2f s "
            "(p99 %.2f s); recovered %.1f s after SIGCONT, 24 /healthz "
            "after it all 200: %s; %d replies acknowledged, all in the "
            "database: %s; server log: %d deadlines missed" % (
                len(pids), len(during), n503, fast, mx,
                pct([r[1] for r in during], 99), rec_s,
                all(p == 200 for p in probe), len(acked), not missing,
                timeouts))
    report(name, not problems, rule, "; ".join(problems + [figs]))


# ---------------------------------------------------------------------------
# 3. The server killed with SIGKILL during a stream of posts


INVARIANTS = [
    ("threads without their first post",
     "SELECT count(*) FROM threads t WHERE NOT EXISTS (SELECT 1 FROM posts "
     "p WHERE p.thread_id = t.id AND p.seq = 1)"),
    ("threads whose post count is not their posts",
     "SELECT count(*) FROM threads t WHERE post_count <> (SELECT count(*) "
     "FROM posts p WHERE p.thread_id = t.id)"),
    ("threads with a gap in their posts",
     "SELECT count(*) FROM (SELECT thread_id FROM posts GROUP BY thread_id "
     "HAVING max(seq) <> count(*)) x"),
    ("vacancies without their rendered text or queue time",
     "SELECT count(*) FROM vacancies WHERE description_html = '' OR "
     "(state = 'pending' AND submitted_at IS NULL)"),
    ("applications without the employer's notification",
     "SELECT count(*) FROM applications a JOIN vacancies v ON "
     "v.id = a.vacancy_id WHERE NOT EXISTS (SELECT 1 FROM notifications n "
     "WHERE n.user_id = v.author_id AND n.kind = 'application' AND "
     "n.link = '/jobs/' || v.id || '/applications#a' || a.id)"),
]


def check_kill(srv, mod):
    name = "server-sigkill"
    rule = ("the server killed with SIGKILL during a stream of new threads, "
            "replies, vacancies and applications, and restarted: no "
            "half-written thread, vacancy or application (SQL invariants "
            "all 0), every post acknowledged before the kill in the "
            "database")
    rounds = 2 if QUICK else 5
    tag = "k" + unique("")
    note("sigkill: accounts and %d published vacancies" % 12)
    authors = [Client(srv.base).register() for _ in range(2)]
    appl = [Client(srv.base).register() for _ in range(3)]
    emp = Client(srv.base).register("employer")
    emp2 = Client(srv.base).register("employer")
    vids = []
    for i in range(12):
        r = emp2.post("/jobs/new", vacancy_form("%s-pre%d" % (tag, i)),
                      csrf_from="/jobs/new")
        vids.append(int(re.search(r"/jobs/(\d+)",
                                  r.headers["Location"]).group(1)))
    for v in vids:
        r = mod.post("/mod/jobs/%d/approve" % v, {}, csrf_from="/mod/jobs")
        if r.status_code != 303:
            raise RuntimeError("approve: %d" % r.status_code)
    tid = new_thread(authors[0], tag + "-base")
    pairs = [(c, v) for v in vids for c in appl]
    random.shuffle(pairs)
    acked = {"thread": {}, "reply": {}, "vacancy": {}, "application": {}}
    lock = threading.Lock()
    counts = {"sent": 0, "refused": 0}

    def ack(kind, key, loc):
        with lock:
            acked[kind][key] = loc

    def stream(kind, stop, base):
        n = 0
        while not stop.is_set():
            n += 1
            marker = "%s-%s-%d-%06d" % (tag, kind[0], n,
                                        random.randint(0, 999999))
            try:
                if kind == "thread":
                    c = authors[0]
                    r = c.s.post(base + "/b/duhok/new", data={
                        "title": "Kill check " + marker, "body": marker +
                        " first post", "idem": marker, "csrf": c.token},
                        allow_redirects=False, timeout=10)
                elif kind == "reply":
                    c = authors[1]
                    r = c.s.post(base + "/t/%d/reply" % tid, data={
                        "body": marker + " reply", "idem": marker,
                        "csrf": c.token}, allow_redirects=False, timeout=10)
                elif kind == "vacancy":
                    data = vacancy_form(marker)
                    data["idem"] = marker
                    data["csrf"] = emp.token
                    r = emp.s.post(base + "/jobs/new", data=data,
                                   allow_redirects=False, timeout=10)
                else:
                    with lock:
                        if not pairs:
                            return
                        c, v = pairs.pop()
                    marker = "%s-a-%d-%d" % (tag, c.uid, v)
                    r = c.s.post(base + "/jobs/%d/apply" % v, data={
                        "message": marker + " I have built schools.",
                        "csrf": c.token}, allow_redirects=False, timeout=10)
                with lock:
                    counts["sent"] += 1
                if r.status_code == 303:
                    ack(kind, marker, r.headers["Location"])
                time.sleep(0.01)
            except requests.RequestException:
                with lock:
                    counts["refused"] += 1
                if kind == "application":
                    with lock:
                        pairs.append((c, v))
                time.sleep(0.05)

    for c in authors + appl + [emp]:
        c.csrf()
    kinds = ["thread", "reply", "vacancy", "application"]
    leftover = 0
    restart_s = []
    for rnd in range(rounds):
        stop = threading.Event()
        ths = [threading.Thread(target=stream, args=(k, stop, srv.base),
                                daemon=True) for k in kinds]
        for th in ths:
            th.start()
        time.sleep(random.uniform(2.0, 4.0))
        kids = srv.kill9()
        stop.set()
        for th in ths:
            th.join(30)
        # The markdown workers are the server's children: they must go
        # with it (they read their socket until it closes).
        leftover += reap(kids, 5.0)
        t = time.time()
        srv.start()
        restart_s.append(time.time() - t)
        for c in authors + appl + [emp]:
            c.token = None
            c.csrf()
    bad = []
    figs = []
    for label, sql in INVARIANTS:
        n = int(psql(sql))
        figs.append("%s: %d" % (label, n))
        if n:
            bad.append("%s: %d" % (label, n))
    # Acknowledged items, by the id in the answer and the text.
    miss = {}
    for kind in kinds:
        ids = {}
        for marker, loc in acked[kind].items():
            if kind == "thread":
                ids[marker] = re.search(r"/t/(\d+)", loc).group(1)
            elif kind == "reply":
                ids[marker] = re.search(r"#p(\d+)", loc).group(1)
            elif kind == "vacancy":
                ids[marker] = re.search(r"/jobs/(\d+)", loc).group(1)
            else:
                ids[marker] = re.search(r"#a(\d+)", loc).group(1)
        if not ids:
            continue
        idlist = ",".join(ids.values())
        if kind == "thread":
            sql = ("SELECT t.id, split_part(p.body_md, ' ', 1) FROM threads t "
                   "JOIN posts p ON p.thread_id = t.id AND p.seq = 1 "
                   "WHERE t.id IN (%s)" % idlist)
        elif kind == "reply":
            sql = ("SELECT id, split_part(body_md, ' ', 1) FROM posts "
                   "WHERE id IN (%s)" % idlist)
        elif kind == "vacancy":
            sql = ("SELECT id, split_part(description_md, ' ', 1) FROM "
                   "vacancies WHERE id IN (%s)" % idlist)
        else:
            sql = ("SELECT id, split_part(message, ' ', 1) FROM "
                   "applications WHERE id IN (%s)" % idlist)
        have = dict(l.split("|") for l in psql(sql).splitlines())
        lost = [m for m, i in ids.items() if have.get(i) != m]
        miss[kind] = lost
    made = psql("SELECT (SELECT count(*) FROM threads), (SELECT count(*) "
                "FROM posts), (SELECT count(*) FROM vacancies), (SELECT "
                "count(*) FROM applications)").split("|")
    lost_total = sum(len(v) for v in miss.values())
    if lost_total:
        bad.append("acknowledged but missing: %s" % {
            k: v[:2] for k, v in miss.items() if v})
    if leftover:
        bad.append("%d markdown workers outlived the killed server"
                   % leftover)
    plural = {"thread": "threads", "reply": "replies",
              "vacancy": "vacancies", "application": "applications"}
    acks = ", ".join("%d %s" % (len(acked[k]), plural[k]) for k in kinds)
    report(name, not bad, rule, "; ".join(bad + [
        "%d kills, restart %.1f s max; %d requests, %d refused while down; "
        "acknowledged %s, all in the database: %s" % (
            rounds, max(restart_s), counts["sent"], counts["refused"], acks,
            lost_total == 0),
        "in the database: %s threads, %s posts, %s vacancies, %s "
        "applications" % tuple(made)] + figs))


# ---------------------------------------------------------------------------
# 4. One idempotency key, one post


def check_idem(srv):
    name = "idempotency"
    rule = ("a form sent twice, and eight times at once, with one "
            "idempotency key makes one post (reply, new thread, vacancy); "
            "every send is answered 303 to that one post")
    r1 = Client(srv.base).register()
    emp = Client(srv.base).register("employer")
    tid = new_thread(r1, "idem" + unique(""))
    problems = []
    figs = []

    def form_idem(c, path):
        r = c.get(path)
        m = IDEM_RE.search(r.text)
        if not m:
            raise RuntimeError("no idem field on %s" % path)
        return m.group(1)

    def burst(c, path, data, n):
        """n sends of one form: two in a row, then n-2 at once."""
        out = []
        lock = threading.Lock()

        def send():
            s = requests.Session()
            s.headers.update(c.s.headers)
            s.cookies.update(c.s.cookies)
            d = dict(data, csrf=c.token)
            try:
                r = s.post(c.base + path, data=d, allow_redirects=False,
                           timeout=30)
                res = (r.status_code, r.headers.get("Location"))
            except requests.RequestException as e:
                res = (type(e).__name__, None)
            with lock:
                out.append(res)
        send()
        send()
        ths = [threading.Thread(target=send) for _ in range(n - 2)]
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        return out

    cases = []
    c = r1
    c.csrf()
    key = form_idem(c, "/t/%d/reply" % tid)
    res = burst(c, "/t/%d/reply" % tid, {"body": "idem reply " + key,
                                         "idem": key}, 10)
    n = psql("SELECT count(*) FROM posts WHERE author_id = %d AND "
             "idem_key = '%s'" % (c.uid, key))
    n2 = psql("SELECT count(*) FROM posts WHERE body_md = 'idem reply %s'"
              % key)
    cases.append(("reply", res, int(n), int(n2)))
    key = form_idem(c, "/b/erbil/new")
    res = burst(c, "/b/erbil/new", {"title": "Idem " + key,
                                    "body": "idem thread " + key,
                                    "idem": key}, 10)
    n = psql("SELECT count(*) FROM posts WHERE author_id = %d AND "
             "idem_key = '%s'" % (c.uid, key))
    n2 = psql("SELECT count(*) FROM threads WHERE title = 'Idem %s'" % key)
    cases.append(("thread", res, int(n), int(n2)))
    emp.csrf()
    key = form_idem(emp, "/jobs/new")
    data = vacancy_form(key)
    data["idem"] = key
    res = burst(emp, "/jobs/new", data, 10)
    n = psql("SELECT count(*) FROM vacancies WHERE author_id = %d AND "
             "idem_key = '%s'" % (emp.uid, key))
    n2 = psql("SELECT count(*) FROM vacancies WHERE title = "
              "'Fault check vacancy %s'" % key)
    cases.append(("vacancy", res, int(n), int(n2)))
    for kind, res, n, n2 in cases:
        statuses = sorted(set(str(s) for s, _ in res))
        # /t/7 and /t/7?page=1#p9 (the post found by its key) are one
        # place: compare the thread, post or vacancy they name.
        pat = {"reply": r"#p(\d+)", "thread": r"/t/(\d+)",
               "vacancy": r"/jobs/(\d+)"}[kind]
        locs = set(re.search(pat, l).group(1) if l and re.search(pat, l)
                   else l for _, l in res)
        ok = n == 1 and n2 == 1 and statuses == ["303"] and len(locs) == 1
        if not ok:
            problems.append("%s: %d rows for the key, %d with its text, "
                            "answers %s, %d places" % (kind, n, n2, statuses,
                                                       len(locs)))
        figs.append("%s: %d sends, %d row" % (kind, len(res), n))
    report(name, not problems, rule, "; ".join(problems + figs))


# ---------------------------------------------------------------------------
# 5. 1,500 slow clients


def check_slow(srv):
    name = "slow-clients"
    secs = 15 if QUICK else 60
    rule = ("1,500 slow clients from 127.0.0.1 (slowhttptest -H slow "
            "headers, -B slow body, -X slow read, %d s each): a signed-in "
            "page requested throughout from 127.0.0.2 (so the per-address "
            "connection limit applies to the attackers, not to the user) "
            "stays under 200 ms at p99, and every request is answered; "
            "slowhttptest runs at nice 19, as attackers' CPU is not the "
            "server's" % secs)
    user = Client(srv.base, source="127.0.0.2")
    user.s.headers["Connection"] = "close"
    user.register()
    r = user.get("/account")
    if r.status_code != 200 or 'action="/logout"' not in r.text:
        raise RuntimeError("the measuring client is not signed in: %d"
                           % r.status_code)
    url = srv.base + "/"
    attacks = [
        ("baseline", None),
        ("slow headers", ["-H", "-c", "1500", "-r", "300", "-i", "5", "-x",
                          "24", "-u", url]),
        ("slow body", ["-B", "-c", "1500", "-r", "300", "-i", "5", "-s",
                       "200000", "-x", "24", "-u", srv.base + "/login",
                       "-t", "POST"]),
        ("slow read", ["-X", "-c", "1500", "-r", "300", "-k", "4", "-n",
                       "2", "-w", "16", "-y", "64", "-z", "16", "-u",
                       srv.base + "/static" + css_path(srv)]),
    ]
    problems = []
    figs = []
    for label, args in attacks:
        proc = None
        out = os.path.join(WORK, "slowhttptest-%s.txt" % label.replace(" ",
                                                                        "-"))
        dur = 5 if args is None else secs
        if args is not None:
            f = open(out, "w")
            # The attackers would be other machines: their own CPU time
            # is not the server's, so they run at the lowest priority.
            proc = subprocess.Popen(["nice", "-n", "19", "slowhttptest"] +
                                    args +
                                    ["-l", str(dur + 4), "-p", "3"],
                                    stdout=f, stderr=subprocess.STDOUT,
                                    cwd=WORK, preexec_fn=more_files)
            children.append(proc)
            f.close()
            time.sleep(3)       # the ramp: 1,500 at 300 a second
        times = []
        errors = []
        end = time.time() + dur
        while time.time() < end:
            t0 = time.time()
            try:
                rr = user.get("/", timeout=10)
                ok = rr.status_code == 200 and 'action="/logout"' in rr.text
                if not ok:
                    errors.append(rr.status_code)
            except requests.RequestException as e:
                errors.append(type(e).__name__)
            times.append(time.time() - t0)
            time.sleep(max(0.0, 0.05 - (time.time() - t0)))
        held = None
        if proc is not None:
            held = established(srv.port)
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        p50, p99, mx = pct(times, 50), pct(times, 99), max(times)
        fig = "%s: %d requests, p50 %.0f ms, p99 %.0f ms, max %.0f ms" % (
            label, len(times), p50 * 1000, p99 * 1000, mx * 1000)
        if held is not None:
            fig += ", %d attacker connections open at the end" % held
        figs.append(fig)
        if args is not None and p99 >= 0.2:
            problems.append("%s: p99 %.0f ms" % (label, p99 * 1000))
        if errors:
            problems.append("%s: %d failed requests %s" % (
                label, len(errors), sorted(set(map(str, errors)))[:4]))
        time.sleep(1)
    if not srv.alive():
        problems.append("the server died")
    report(name, not problems, rule, "; ".join(problems + figs))


def more_files():
    resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))


def css_path(srv):
    r = requests.get(srv.base + "/", timeout=10)
    m = re.search(r'href="/static(/magnet-[0-9a-f]+\.css)"', r.text)
    return m.group(1) if m else "/magnet.css"


def established(port):
    """TCP connections to the server's port, from the server's side."""
    n = 0
    hexport = ":%04X" % port
    for path in ("/proc/net/tcp",):
        with open(path) as f:
            next(f)
            for line in f:
                parts = line.split()
                if parts[1].endswith(hexport) and parts[3] == "01":
                    n += 1
    return n


# ---------------------------------------------------------------------------
# 6. 200 parallel wrong-password logins


def check_logins(srv):
    name = "login-flood"
    victim = Client(srv.base).register()
    real = Client(srv.base).register()
    real.s.cookies.clear()
    reader = Client(srv.base, source="127.0.0.3")
    reader.register()
    idle = server_rss_kb(srv.pid)
    # Bounded by the hashing slots, not by the attackers: two Argon2id
    # hashes of 64 MiB at once over the idle server, and 24 MB to spare.
    limit_mb = idle / 1024.0 + 2 * 64 * 1.048576 + 24
    rule = ("200 parallel wrong-password sign-ins from 200 addresses "
            "(X-Forwarded-For, trust_proxy on) at one account, then 200 "
            "from one X-Forwarded-For address (each connection from its "
            "own 127.0.1.x, so they are parallel): peak resident memory of "
            "the server's processes together (Kore's parent and workers, "
            "the markdown broker) under %.0f MB (idle + 2 Argon2id hashes "
            "of 64 MiB at once + 24 MB), the excess answered 429, a real "
            "user signs in during and after, and a signed-in page asked "
            "for every 20 ms throughout answers within 200 ms at p99 (a "
            "sign-in's hash never holds up a page)" % limit_mb)
    problems = []
    figs = []
    peak = [0]
    sampling = threading.Event()
    pages = []

    def sampler():
        while not sampling.is_set():
            v = server_rss_kb(srv.pid)
            if v:
                peak[0] = max(peak[0], v)
            time.sleep(0.01)

    def page_reader():
        while not sampling.is_set():
            t0 = time.time()
            try:
                r = reader.get("/account", timeout=10)
                ok = r.status_code == 200 and 'action="/logout"' in r.text
                pages.append((time.time() - t0, ok))
            except requests.RequestException:
                pages.append((time.time() - t0, False))
            time.sleep(max(0.0, 0.02 - (time.time() - t0)))
    smp = threading.Thread(target=sampler, daemon=True)
    smp.start()
    rdr = threading.Thread(target=page_reader, daemon=True)
    rdr.start()
    real_during = []

    def real_login():
        # A person tries again when told the server is busy.
        for _ in range(5):
            c = Client(srv.base)
            t0 = time.time()
            r = c.login(real.name, real.password)
            real_during.append((r.status_code, time.time() - t0))
            if r.status_code == 303:
                return
            time.sleep(1)

    for wave, same_ip in (("200 addresses, one account", False),
                          ("one address", True)):
        ip = random_ip()
        clients = []
        for i in range(200):
            # Each from its own loopback address: 200 connections from
            # one socket address would meet the per-address connection
            # limit (max_per_ip, 32) before the sign-in limits.
            c = Client(srv.base, ip=ip if same_ip else random_ip(),
                       source="127.0.%d.%d" % (1 + i // 250, 1 + i % 250))
            c.csrf("/login")
            clients.append(c)
        barrier = threading.Barrier(201)
        res = []
        lock = threading.Lock()

        def attack(c, i):
            barrier.wait()
            user = victim.name if not same_ip else unique("nobody")
            t0 = time.time()
            try:
                r = c.s.post(c.base + "/login", data={
                    "username": user, "password": "wrong %d" % i,
                    "csrf": c.token}, allow_redirects=False, timeout=60)
                st = r.status_code
            except requests.RequestException as e:
                st = type(e).__name__
            with lock:
                res.append((st, time.time() - t0))
        ths = [threading.Thread(target=attack, args=(c, i))
               for i, c in enumerate(clients)]
        for th in ths:
            th.start()
        barrier.wait()
        rl = None
        if not same_ip:
            time.sleep(0.2)
            rl = threading.Thread(target=real_login)
            rl.start()
        for th in ths:
            th.join()
        if rl is not None:
            rl.join()
        by = {}
        for st, _ in res:
            by[str(st)] = by.get(str(st), 0) + 1
        allowed = 10 if not same_ip else 20
        n429 = by.get("429", 0)
        figs.append("%s: %s, slowest %.1f s" % (
            wave, ", ".join("%s x%d" % kv for kv in sorted(by.items())),
            max(t for _, t in res)))
        if n429 < 200 - allowed:
            problems.append("%s: only %d answered 429" % (wave, n429))
        if set(by) - {"400", "429", "503"}:
            problems.append("%s: unexpected answers %s" % (wave, by))
    sampling.set()
    smp.join()
    rdr.join()
    after = Client(srv.base).login(real.name, real.password)
    peak_mb = peak[0] / 1024.0
    if peak_mb >= limit_mb:
        problems.append("peak RSS %.0f MB" % peak_mb)
    page_p99 = pct([t for t, _ in pages], 99)
    page_bad = sum(1 for _, ok in pages if not ok)
    if len(pages) < 20 or page_p99 >= 0.2 or page_bad:
        problems.append("signed-in page during the flood: %d requests, "
                        "p99 %.0f ms, %d failed" % (len(pages),
                                                   page_p99 * 1000,
                                                   page_bad))
    if not real_during or real_during[-1][0] != 303:
        problems.append("the real user could not sign in during the flood: "
                        "%s" % real_during)
    if after.status_code != 303:
        problems.append("the real user could not sign in after: %d"
                        % after.status_code)
    figs.append("RSS idle %.0f MB, peak %.0f MB (the server's processes "
                "together, sampled every 10 ms); signed-in page: %d "
                "requests, p50 %.0f ms, p99 %.0f ms, max %.0f ms; real user "
                "during: %s; after: %d" % (
                    idle / 1024.0, peak_mb, len(pages),
                    pct([t for t, _ in pages], 50) * 1000, page_p99 * 1000,
                    max([t for t, _ in pages] or [0]) * 1000,
                    ", ".join("%s in %.1f s" % x for x in real_during),
                    after.status_code))
    report(name, not problems, rule, "; ".join(problems + figs))


# ---------------------------------------------------------------------------
# 7. Hostile markdown


def hostile_docs():
    """Inputs at and past app/md.c's limits (20,000 characters, nesting
    8), and the shapes that hurt markdown parsers."""
    rnd = random.Random(7)
    dict_tokens = []
    try:
        with open(os.path.join(TOP, "tests/fuzz/md.dict"), "rb") as f:
            for line in f:
                line = line.strip()
                if line.startswith(b'"') and line.endswith(b'"'):
                    tok = line[1:-1].decode("unicode_escape").encode(
                        "latin-1")
                    try:
                        tok.decode("utf-8")
                    except UnicodeDecodeError:
                        continue    # invalid UTF-8 has its own entries
                    dict_tokens.append(tok)
    except OSError:
        pass
    docs = [
        ("deep quotes", b"> " * 8 + b"eight deep\n"),
        ("too deep quotes", b">" * 5000 + b" deep\n"),
        ("deep lists", b"".join(b"  " * i + b"- item\n"
                               for i in range(60))),
        ("nested brackets", b"[" * 6000 + b"x" + b"](y)" * 3000),
        ("nested emphasis", b"*_" * 4000 + b"x" + b"_*" * 4000),
        ("emphasis runs", b"**a*" * 4999),
        ("20,000 <", b"<" * 20000),
        ("tags", b"<a href='javascript:alert(1)'>" * 600),
        ("huge table", b"| a | b | c | d | e | f | g | h |\n"
         b"|---|---|---|---|---|---|---|---|\n" +
         b"| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n" * 560),
        ("wide table", b"|" + b" x |" * 3300 + b"\n|" + b"-|" * 3300 + b"\n"),
        ("long link", b"[a](http://e.com/" + b"a" * 19900 + b")"),
        ("many links", b"[x](http://a.b/c) " * 1100),
        ("reference bomb", b"".join(b"[%d]: http://x/%d\n" % (i, i)
                                    for i in range(700)) +
         b"".join(b"[a][%d] " % (i % 700) for i in range(400))),
        ("entity bomb", b"&amp;" * 4000),
        ("numeric entities", b"&#x110000;&#0;&#xD800;&#99999999;" * 500),
        ("named entities", b"&NewLine;&Tab;&colon;&nbsp;" * 700),
        ("backticks", b"`" * 19999),
        ("fences", b"```\n" * 4999),
        ("invalid UTF-8", b"caf\xc3 \xff\xfe \xed\xa0\x80 \xc0\xaf" * 1000),
        ("overlong", b"\xe0\x80\xaf" * 5000),
        ("bidi and zero width", "\u202e\u200b\u2066x\u2069".encode() * 3000),
        ("Sorani", "سڵاو لە هەولێر، ".encode() * 1200),
        ("too long", b"a" * 20001),
        ("NUL bytes", b"a\x00b" * 100),
        ("headings", b"#" * 6 + b" h\n" + b"#######\n" * 2490),
        ("html comment", b"<!--" * 5000),
        ("autolinks", b"<http://" + b"a" * 19980 + b">"),
        ("images", b"![i](javascript:x) " * 1000),
        ("line breaks", b"a  \n" * 5000),
        ("setext", b"a\n===\n" * 3300),
    ]
    for i in range(40):
        if not dict_tokens:
            break
        n = rnd.randint(50, 4000)
        s = b"".join(rnd.choice(dict_tokens) for _ in range(n))[:20000]
        docs.append(("dictionary mix %d" % i, s))
    return docs


def fit_growth(points):
    """(per cent, first, last) of the least-squares line through
    (t, value) points, between the first and the last t."""
    if len(points) < 3:
        return 100.0, 0.0, 0.0
    n = float(len(points))
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    slope = sum((t - mt) * (v - mv) for t, v in points) / var if var else 0
    first = mv + slope * (points[0][0] - mt)
    last = mv + slope * (points[-1][0] - mt)
    return (last - first) * 100.0 / first, first, last


def check_markdown(srv):
    name = "hostile-markdown"
    total = 60 if QUICK else 1800
    warm = 20 if QUICK else 300
    rule = ("hostile markdown posted and previewed for %d s (deep nesting, "
            "huge tables, 20,000 '<', long links, entity bombs, invalid "
            "UTF-8, dictionary mixes): no 5xx, no crash of the server or "
            "of a markdown worker, resident memory of the server, and of "
            "the server with its markdown workers at their high-water "
            "mark, under 5 %% growth after a %d s warm-up (a worker is "
            "replaced every 1,000 renders and starts small, so the pool "
            "counts as its %d largest workers so far)" % (
                total, warm, MD_WORKERS))
    docs = hostile_docs()
    posters = [Client(srv.base).register() for _ in range(3)]
    tid = new_thread(posters[0], "md" + unique(""))
    for c in posters:
        c.csrf()
    stop = threading.Event()
    statuses = {}
    lock = threading.Lock()
    errors = []

    def post(c, i):
        rnd = random.Random(i)
        n = 0
        while not stop.is_set():
            n += 1
            label, doc = rnd.choice(docs)
            body = doc
            preview = rnd.random() < 0.8
            fields = {"body": body, "idem": "md-%d-%d-%d" % (i, n,
                                                           rnd.random() * 1e9),
                      "csrf": c.token}
            if preview:
                fields["preview"] = "1"
            try:
                r = c.s.post(c.base + "/t/%d/reply" % tid, data=fields,
                             allow_redirects=False, timeout=30)
                st = r.status_code
            except requests.RequestException as e:
                st = type(e).__name__
            with lock:
                key = str(st)
                statuses[key] = statuses.get(key, 0) + 1
                if key.startswith("5") or not key[0].isdigit():
                    errors.append((label, key))
    ths = [threading.Thread(target=post, args=(c, i), daemon=True)
           for i, c in enumerate(posters)]
    pid = srv.pid
    samples = []        # (t, server kB, workers kB, workers' high-water kB)
    peaks = {}          # worker pid: its largest reading
    t0 = time.time()
    for th in ths:
        th.start()
    try:
        while time.time() - t0 < total:
            s = server_rss_kb(pid)
            if s is None:
                break
            now = {p: rss_kb(p) or 0 for p in md_worker_pids(pid)}
            for p, kb in now.items():
                peaks[p] = max(peaks.get(p, 0), kb)
            high = sum(sorted(peaks.values())[-MD_WORKERS:])
            samples.append((time.time() - t0, s, sum(now.values()), high))
            time.sleep(1.0)
    finally:
        stop.set()
        for th in ths:
            th.join(60)
    if os.environ.get("FAULTS_KEEP"):
        with open(os.path.join(WORK, "md-rss.tsv"), "w") as f:
            for t, sv, w, hw in samples:
                f.write("%.1f\t%d\t%d\t%d\n" % (t, sv, w, hw))
    problems = []
    alive = srv.alive()
    if not alive:
        problems.append("the server died: %s" % srv.tail(5))
    after = [x for x in samples if x[0] >= warm]
    # Growth from the least-squares line through every sample after the
    # warm-up, not two single readings.  A worker's memory is a saw-tooth
    # (each new one climbs back to the pool's high-water mark over a few
    # hundred renders), and a line fitted over a minute of a saw-tooth
    # slopes up or down by where the teeth fall, so the workers count at
    # their high-water mark: a leak in the server or one that outlives a
    # worker still raises it.
    growth, base, end = fit_growth([(t, s + hw) for t, s, _, hw in after])
    sgrowth, sbase, send = fit_growth([(t, s) for t, s, _, _ in after])
    rgrowth, _, _ = fit_growth([(t, s + w) for t, s, w, _ in after])
    if growth >= 5.0:
        problems.append("memory grew %.1f %%" % growth)
    if sgrowth >= 5.0:
        problems.append("the server's memory grew %.1f %%" % sgrowth)
    if errors:
        problems.append("%d 5xx or failed requests, e.g. %s" % (
            len(errors), errors[:3]))
    # A worker past its time is killed by the server (md_timeout_ms, the
    # design); one that dies by itself (a signal, seccomp) has crashed.
    timeouts = len(srv.grep(r"md: worker \d+ timed out"))
    crashes = srv.grep(r"md: worker \d+ died")
    if crashes:
        problems.append("%d markdown worker crashes, e.g. %s" % (
            len(crashes), crashes[0].split("msg=")[-1].strip()))
    figs = ("%d requests: %s; server+workers at their high-water mark "
            "(fitted over %d samples) %.1f MB after warm-up, %.1f MB at "
            "the end (%+.1f %%), server alone %.1f -> %.1f MB (%+.1f %%), "
            "server+workers as read %+.1f %% (max %.1f MB); %d workers "
            "started, %d renders stopped at the time limit, %d worker "
            "crashes" % (
                sum(statuses.values()),
                ", ".join("%s x%d" % kv for kv in sorted(statuses.items())),
                len(after), base / 1024.0, end / 1024.0, growth,
                sbase / 1024.0, send / 1024.0, sgrowth, rgrowth,
                max([(s + w) for _, s, w, _ in samples] or [0]) / 1024.0,
                len(peaks), timeouts, len(crashes)))
    report(name, not problems, rule, "; ".join(problems + [figs]))


# ---------------------------------------------------------------------------


def run(name, fn, *a):
    only = os.environ.get("FAULTS_ONLY")
    if only and name not in only.split(","):
        return
    note("%s (%s)" % (name, time.strftime("%H:%M:%S")))
    try:
        fn(*a)
    except Exception as e:      # a check that could not run has failed
        traceback.print_exc(file=sys.stderr)
        report(name, False, "the check ran to the end",
               "%s: %s" % (type(e).__name__, str(e)[:300]))


def main():
    def on_term(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        srv = Server("main")
        out = subprocess.run([BIN, "migrate"], cwd=TOP, env=srv.env(),
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("migrate: " + out.stderr[-500:])
        psql("UPDATE settings SET value = '0' WHERE key IN "
             "('new_user_holds', 'new_user_post_interval')")
        srv.start()
        note("%s check: release build, shipped settings but %s" % (
            MODE, CONF.strip().replace("\n", ", ")))
        author = Client(srv.base).register()
        tid = new_thread(author, "base" + unique(""))
        posters = []
        for _ in range(3):
            c = Client(srv.base).register()
            c.csrf()
            posters.append(c)
        mod = staff(srv)
        run("idempotency", check_idem, srv)
        run("database-stop", check_db_stop, srv, tid, posters)
        run("database-freeze", check_freeze, srv, tid, posters)
        run("server-sigkill", check_kill, srv, mod)
        run("slow-clients", check_slow, srv)
        run("login-flood", check_logins, srv)
        srv.stop()
        srv.start()
        run("hostile-markdown", check_markdown, srv)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        results.append(False)
    except Exception as e:
        traceback.print_exc(file=sys.stderr)
        report("setup", False, "the checks could be set up",
               "%s: %s" % (type(e).__name__, str(e)[:300]))
    finally:
        for p in children:
            if p.poll() is None:
                p.kill()
                p.wait()
        for s in servers:
            try:
                s.stop()
            except Exception:
                pass
        if os.environ.get("FAULTS_KEEP"):
            note("kept " + WORK)
        else:
            subprocess.run(["rm", "-rf", WORK])
    passed = sum(1 for r in results if r)
    print("faults: %d passed, %d failed" % (passed, len(results) - passed),
          flush=True)
    return 0 if passed == len(results) and results else 1


if __name__ == "__main__":
    sys.exit(main())
