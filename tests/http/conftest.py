"""Fixtures for the HTTP suite: a real server on a free port, talking to
the throw-away PostgreSQL cluster that tests/run.sh started, and clients
that behave like browsers (cookies, CSRF tokens from the forms)."""
import os
import random
import re
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import pytest
import requests

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def psql(sql, *args):
    """Run SQL against the test database; returns stdout stripped.  A
    write reaches the servers' caches (pages, parts, sessions kept a
    second) by LISTEN/NOTIFY, as another node's would, within
    milliseconds: the next request waits that long."""
    cmd = ["psql", os.environ["MAGNET_TEST_DB"], "-v", "ON_ERROR_STOP=1",
           "-tAc", sql]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    if not sql.lstrip().upper().startswith("SELECT"):
        time.sleep(0.05)
    return out.stdout.strip()


def search_caught_up(timeout=10):
    """Wait until every post has its words for search: a reply gets them
    from the server's background process a moment after it is saved, once
    no reply has come for a tenth of a second (migration 0036).  Fails
    when that does not happen within timeout seconds."""
    end = time.monotonic() + timeout
    while True:
        left = psql("SELECT count(*) FROM posts WHERE search IS NULL")
        if left == "0":
            return
        assert time.monotonic() < end, "%s posts not indexed" % left
        time.sleep(0.05)


class Server:
    def __init__(self, conf=None, scheme="http", verify=True, binary=None):
        self.conf = conf or os.path.join(TOP, "tests/http/test.conf")
        self.binary = binary or os.environ["MAGNET_BIN"]
        self.port = free_port()
        self.base = "%s://127.0.0.1:%d" % (scheme, self.port)
        self.verify = verify      # for https: the certificate to trust
        self.log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                     "magnet-http-%d.log" % self.port), "w+")
        self.proc = None

    def start(self):
        env = dict(os.environ)
        env["MAGNET_DB"] = os.environ["MAGNET_TEST_DB"]
        env["MAGNET_LISTEN"] = "127.0.0.1:%d" % self.port
        env["MAGNET_CONF"] = self.conf
        # Most tests post as new users: no holds, no waiting, unless a
        # test turns them on from the admin page.
        subprocess.run([self.binary, "migrate"], cwd=TOP,
                       env=env, check=True, capture_output=True)
        for key in ("new_user_holds", "new_user_post_interval"):
            psql("UPDATE settings SET value = '0' WHERE key = '%s'" % key)
        self.proc = subprocess.Popen([self.binary, "serve"],
                                     cwd=TOP, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.logtext())
            try:
                if requests.get(self.base + "/healthz", timeout=2,
                                verify=self.verify).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start: " + self.logtext())

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("server did not stop on SIGTERM")
        return self.proc.returncode

    def logtext(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@pytest.fixture(scope="session")
def server():
    s = Server()
    s.start()
    yield s
    rc = s.stop()
    text = s.logtext()
    assert "AddressSanitizer" not in text, text[-4000:]
    assert "runtime error:" not in text, text[-4000:]
    assert "LeakSanitizer" not in text, text[-4000:]
    # A worker Kore had to restart (a crash, the sandbox refusing a
    # system call) is a failure even if the tests got their answers.
    assert "sandbox violation" not in text, text[-4000:]
    assert not re.search(r"worker \d+ \(pid: \d+\).* gone", text), \
        text[-4000:]
    assert rc == 0, "server exit status %r" % rc


@contextmanager
def own_server(binary=None, **settings):
    """A server of its own with some settings of tests/http/test.conf
    changed or added (name=value), of MAGNET_BIN or binary; stopped
    cleanly, with no sanitizer report, on leaving."""
    with open(os.path.join(TOP, "tests/http/test.conf")) as f:
        lines = [l for l in f.read().splitlines()
                 if l.split("=")[0].strip() not in settings]
    lines += ["%s = %s" % kv for kv in settings.items()]
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write("\n".join(lines) + "\n")
    conf.close()
    if "tls_certificate" in settings:
        s = Server(conf=conf.name, scheme="https",
                   verify=settings["tls_certificate"], binary=binary)
    else:
        s = Server(conf=conf.name, binary=binary)
    try:
        s.start()
        yield s
    finally:
        rc = s.stop()
        os.unlink(conf.name)
    log = s.logtext()
    assert "AddressSanitizer" not in log and "runtime error:" not in log
    assert "sandbox violation" not in log, log[-3000:]
    assert rc == 0


def cached_server(cache_ms):
    """A server whose visitors' cache keeps pages for cache_ms (test.conf
    turns it off), with one Kore worker: each worker has a cache of its
    own, and a test that expects a copy must not land on the other."""
    return own_server(cache_ms=cache_ms, workers=1)


def read_until_closed(sock):
    """Everything the server sends until it closes the connection (or
    resets it, or the socket's time-out passes)."""
    got = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
    except OSError:
        pass
    return got


def random_ip():
    return "10.%d.%d.%d" % (random.randint(0, 255), random.randint(0, 255),
                            random.randint(1, 254))


def fresh_rate_window(need=90):
    """Rate limits count in fixed windows of 5 minutes (rate_counters).
    A test that must see a limit reached waits, if fewer than `need`
    seconds of the current window are left, for the next one, so that its
    attempts are not split over two windows on a slow machine."""
    left = 300 - time.time() % 300
    if left < need:
        time.sleep(left + 0.5)


def unique(prefix="u"):
    return "%s%d%04d" % (prefix, int(time.time() * 1000) % 10**8,
                         random.randint(0, 9999))


class Client:
    """A browser: its own cookies and its own client address."""

    def __init__(self, base, ip=None, lang=None):
        self.base = base
        self.s = requests.Session()
        self.s.headers["X-Forwarded-For"] = ip or random_ip()
        if lang:
            self.s.headers["Accept-Language"] = lang
        self.name = None
        self.password = None

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 30)
        return self.s.get(self.base + path, **kw)

    def head(self, path, **kw):
        kw.setdefault("timeout", 30)
        return self.s.head(self.base + path, **kw)

    def csrf(self, path="/"):
        r = self.get(path)
        m = CSRF_RE.search(r.text)
        if m is None and "mg_session" not in self.s.cookies:
            # A visitor's page has a token only in a form of its own (the
            # language switch is links for visitors, issue 19); the
            # visitor's token is the same in every form: the sign-in
            # form's will do.
            m = CSRF_RE.search(self.get("/login").text)
        assert m, "no csrf field on %s (%d)" % (path, r.status_code)
        return m.group(1)

    def post(self, path, data=None, csrf_from=None, **kw):
        """POST a form the way a browser would: token from the page."""
        data = dict(data or {})
        if "csrf" not in data:
            data["csrf"] = self.csrf(csrf_from or path)
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 30)
        return self.s.post(self.base + path, data=data, **kw)

    def register(self, name=None, password=None, role="returnee",
                 enterprise=None):
        self.name = name or unique()
        self.password = password or "correct horse battery %d" % random.randint(0, 10**6)
        data = {"username": self.name, "password": self.password,
                "role": role}
        if enterprise or role == "employer":
            data["enterprise"] = enterprise or "Enterprise of " + self.name
        r = self.post("/register", data)
        assert r.status_code == 303, (r.status_code, r.text[:2000])
        return r

    def login(self, name=None, password=None):
        r = self.post("/login", {"username": name or self.name,
                                 "password": password or self.password})
        return r

    def logout(self):
        return self.post("/logout", {}, csrf_from="/")

    def signed_in(self):
        r = self.get("/")
        return 'action="/logout"' in r.text


@pytest.fixture
def client(server):
    return Client(server.base)


@pytest.fixture
def new_client(server):
    def make(**kw):
        return Client(server.base, **kw)
    return make


def make_user(server, role, name=None):
    """A signed-in client with an account made by `magnet user add`, for
    roles that cannot register themselves (moderator, admin)."""
    name = name or unique(role[:3])
    env = dict(os.environ, MAGNET_DB=os.environ["MAGNET_TEST_DB"])
    password = "a long test passphrase %d" % random.randint(0, 10**9)
    out = subprocess.run([os.environ["MAGNET_BIN"], "user", "add", name,
                          "--role", role], input=password + "\n", env=env,
                         capture_output=True, text=True, cwd=TOP)
    assert out.returncode == 0, out.stderr
    c = Client(server.base)
    c.name, c.password = name, password
    r = c.login()
    assert r.status_code == 303, r.text[:2000]
    return c


@pytest.fixture
def staff(server):
    """staff("moderator") or staff("admin"): a signed-in staff client."""
    def make(role="moderator", name=None):
        return make_user(server, role, name)
    return make
