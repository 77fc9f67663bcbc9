"""The items of SECURITY.md that a request can show and that
test_security.py and test_accounts.py do not already: headers on every
kind of answer, every cookie's flags (and __Host-/Secure/HSTS over TLS),
sessions renewed on password and role changes, refusals logged, nothing
secret in the log or in a URL, no third-party resources, error pages
without details, no uploads, and many logins at once."""
import concurrent.futures
import os
import re
import socket
import tempfile
import time

import requests

from conftest import (TOP, Client, Server, make_user, psql, random_ip,
                      unique)

SESSION = "mg_session"


def check_headers(r, what):
    csp = r.headers.get("Content-Security-Policy", "")
    assert csp, what
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    for d in ("object-src 'none'", "base-uri 'none'",
              "frame-ancestors 'none'", "default-src 'none'"):
        assert d in csp, (what, d)
    assert r.headers.get("X-Content-Type-Options") == "nosniff", what
    assert r.headers.get("Referrer-Policy") == "same-origin", what
    assert r.headers.get("Cross-Origin-Opener-Policy") == "same-origin", what
    assert "Strict-Transport-Security" not in r.headers, what  # plain HTTP
    server = r.headers.get("Server", "")
    assert not re.search(r"\d", server), (what, server)


def test_headers_on_every_kind_of_answer(server, new_client):
    v = new_client()
    v.get("/")                  # the first visit sets the CSRF cookie
    home = v.get("/")
    css = re.search(r'href="(/static/magnet-[0-9a-f]{16}\.css)"',
                    home.text).group(1)
    answers = {
        "200 page": home,
        "304": v.get("/", headers={"If-None-Match": home.headers["ETag"]}),
        "200 css": v.get(css),
        "200 json": v.get("/api/v1/boards"),
        "200 atom": v.get("/feeds/jobs.atom"),
        "200 ics": v.get("/feeds/events.ics"),
        "200 healthz": v.get("/healthz"),
        "HEAD": v.head("/"),
        "303 to sign in": v.get("/account"),
        "400 bad form": v.s.post(v.base + "/login", data=b"a=%zz",
                                 headers={"Content-Type":
                                          "application/x-www-form-"
                                          "urlencoded"},
                                 allow_redirects=False),
        "403 csrf": v.s.post(v.base + "/login", data={"username": "x"},
                             allow_redirects=False),
        "404": v.get("/no/such/page"),
        "405": v.get("/logout"),
    }
    c = new_client()
    c.register()
    answers["200 signed in"] = c.get("/account")
    answers["200 export"] = c.get("/account/export")
    answers["403 access"] = c.get("/mod")
    answers["303 post"] = c.post("/lang", {"lang": "en", "next": "/"},
                                 csrf_from="/")
    ip = random_ip()
    for _ in range(3):
        new_client(ip=ip).register()
    r = new_client(ip=ip).post("/register", {
        "username": unique(), "password": "a fine long passphrase",
        "role": "returnee"})
    assert r.status_code == 429
    answers["429"] = r
    for what, r in answers.items():
        check_headers(r, what)
    codes = sorted(set(r.status_code for r in answers.values()))
    assert codes == [200, 303, 304, 400, 403, 404, 405, 429], codes
    # A body over max_body never reaches Magnet: Kore refuses it before
    # reading it, with its own static page (no input of the client in
    # it, no cookie, no version) and ends the connection.
    token = v.csrf("/login")
    r = v.s.post(v.base + "/login", data={
        "csrf": token, "username": "x", "password": "y" * 300000},
        allow_redirects=False)
    assert r.status_code == 413
    assert r.headers["Server"] == "kore"
    assert r.headers["Connection"] == "close"
    assert "Set-Cookie" not in r.headers
    assert "Strict-Transport-Security" not in r.headers
    assert r.text == ("<html>\n<head>\n\t<title>413 Request Entity Too "
                      "Large</title></head>\n<body>\n\t<h1>413 Request "
                      "Entity Too Large</h1>\n</body>\n</html>\n")
    # Personal answers are never stored by a cache.
    for what in ("200 signed in", "200 export", "403 access", "303 post"):
        assert answers[what].headers["Cache-Control"] == "no-store", what


def set_cookies(r):
    return r.raw.headers.getlist("Set-Cookie")


def test_every_cookie_flagged(new_client):
    c = new_client()
    got = set_cookies(c.get("/login"))             # mg_csrf
    r = c.post("/register", {"username": unique(), "password":
                             "a fine long passphrase", "role": "returnee"})
    assert r.status_code == 303
    got += set_cookies(r)                          # mg_session
    got += set_cookies(c.post("/lang", {"lang": "ckb", "next": "/"},
                              csrf_from="/"))      # lang
    names = set(s.split("=", 1)[0] for s in got)
    assert {"mg_csrf", "mg_session", "lang"} <= names, names
    for s in got:
        attrs = [a.strip() for a in s.split(";")]
        assert "HttpOnly" in attrs, s
        assert "SameSite=Lax" in attrs, s
        assert "Path=/" in attrs, s
        assert "Secure" not in attrs, s            # plain HTTP here
        assert not any(a.lower().startswith("domain=") for a in attrs), s


def test_secure_cookies_host_prefix_and_hsts():
    """Behind a TLS proxy (secure_cookies = on): __Host- cookies with
    Secure, and Strict-Transport-Security on every answer."""
    with open(os.path.join(TOP, "tests/http/test.conf")) as f:
        base = f.read()
    fd, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(fd, "w") as f:
        f.write(base + "\nsecure_cookies = on\n")
    os.chmod(path, 0o644)
    s = Server(conf=path)
    try:
        s.start()
        c = Client(s.base)
        r = c.get("/login")
        assert "max-age=" in r.headers["Strict-Transport-Security"]
        assert s.base and c.get("/nope").headers.get(
            "Strict-Transport-Security")
        cookies = set_cookies(r)
        assert cookies
        for ck in cookies:
            assert ck.startswith("__Host-"), ck
            attrs = [a.strip() for a in ck.split(";")]
            assert "Secure" in attrs and "HttpOnly" in attrs, ck
            assert "Path=/" in attrs, ck
            assert not any(a.lower().startswith("domain=") for a in attrs)
        # The prefixed cookie is the one read back: the same value in a
        # plain mg_csrf (as a subdomain or a plain-HTTP page could plant)
        # does not count.
        value = cookies[0].split(";")[0].split("=", 1)[1]
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"',
                          r.text).group(1)
        ip = random_ip()
        for name, want in (("mg_csrf", 403), ("__Host-mg_csrf", 400)):
            r = requests.post(s.base + "/login", data={
                "username": "x", "password": "y" * 10, "csrf": token},
                headers={"Cookie": "%s=%s" % (name, value),
                         "X-Forwarded-For": ip}, allow_redirects=False)
            assert r.status_code == want, (name, r.status_code)
    finally:
        rc = s.stop()
        text = s.logtext()
        os.unlink(path)
    assert rc == 0
    assert "AddressSanitizer" not in text and "runtime error:" not in text


def test_password_change_renews_the_session(new_client):
    c = new_client()
    c.register()
    other = Client(c.base)
    assert other.login(c.name, c.password).status_code == 303
    old = c.s.cookies.get(SESSION)
    r = c.post("/account/password", {"current": c.password, "password":
                                      "a new and longer passphrase"},
               csrf_from="/account/password")
    assert r.status_code == 303, r.text[:2000]
    new = c.s.cookies.get(SESSION)
    assert new and new != old
    assert c.signed_in()
    assert not other.signed_in()                   # every other session
    thief = Client(c.base)
    thief.s.cookies.set(SESSION, old)
    assert not thief.signed_in()                   # the old token too


def test_role_change_ends_the_sessions(server, new_client):
    admin = make_user(server, "admin")
    c = new_client()
    c.register()
    old = c.s.cookies.get(SESSION)
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    r = admin.post("/admin/users/%s/role" % uid, {"role": "moderator"},
                   csrf_from="/admin")
    assert r.status_code == 303, r.text[:2000]
    # The token issued with the old rights is dead; new rights need a
    # new sign-in, which issues a new token.
    assert not c.signed_in()
    assert c.get("/mod").status_code == 303
    assert c.login().status_code == 303
    assert c.s.cookies.get(SESSION) != old
    assert c.get("/mod").status_code == 200


def test_refusals_are_logged(server, new_client):
    c = new_client()
    c.register()
    assert c.get("/admin").status_code == 403
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    r = c.s.post(c.base + "/account/delete", data={"password": "x"},
                 allow_redirects=False)
    assert r.status_code == 403
    text = server.logtext()
    assert re.search(r"access refused ip=\S+ user=%s path=/admin" % uid,
                     text), text[-3000:]
    assert "csrf refused ip=%s path=/account/delete" % \
        c.s.headers["X-Forwarded-For"] in text


def test_log_keeps_no_secret_and_encodes_crlf(server, new_client):
    c = new_client()
    password = "unmistakable passphrase %s" % unique("p")
    c.register(password=password)
    c.logout()
    assert c.login().status_code == 303
    token = c.s.cookies.get(SESSION)
    csrf = c.csrf("/")
    r = c.get("/x%0D%0Afake=1%0Atime=forged")
    assert r.status_code == 404
    # Kore does not decode the path, so CR LF arrive as escapes; a raw
    # control byte in the request line reaches the log encoded.
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(b"GET /y\x1b[2Jfake=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Connection: close\r\n\r\n")
    while s.recv(4096):
        pass
    s.close()
    # The access line is written once the answer has gone out.
    for _ in range(50):
        text = server.logtext()
        if "\\x1b[2Jfake=2" in text:
            break
        time.sleep(0.1)
    for secret in (password, password.replace(" ", "+"), token, csrf):
        assert secret not in text
    assert not re.search(r"^(fake|time=forged)", text, re.M)
    assert 'path="/x%0D%0Afake=1%0Atime=forged"' in text
    assert "\\x1b[2Jfake=2" in text and "\x1b" not in text
    # UTC times.
    assert re.search(r"^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", text,
                     re.M)


def test_no_secret_in_any_url(new_client):
    c = new_client()
    c.register()
    token = c.s.cookies.get(SESSION)
    csrf = c.csrf("/")
    for path in ("/", "/account", "/messages", "/jobs", "/search?q=a",
                 "/profile", "/guides", "/events"):
        text = c.get(path).text
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', text):
            assert token not in url and csrf not in url, (path, url)
        # GET forms (search, filters) carry no token into the address.
        for form in re.findall(r'<form[^>]*method="get"[^>]*>.*?</form>',
                               text, re.S | re.I):
            assert 'name="csrf"' not in form, (path, form[:300])
    r = c.post("/lang", {"lang": "en", "next": "/account"}, csrf_from="/")
    assert token not in r.headers["Location"]


def test_no_third_party_resources(new_client):
    c = new_client()
    c.register()
    for path in ("/", "/login", "/jobs", "/guides", "/events", "/account",
                 "/b/erbil", "/search?q=x"):
        text = c.get(path).text
        for tag, url in re.findall(r'<(link|script|img|iframe|source|'
                                   r'video|audio|embed|object)\b[^>]*?'
                                   r'(?:src|href|data)="([^"]*)"', text):
            assert url.startswith("/") and not url.startswith("//"), \
                (path, tag, url)
        for url in re.findall(r'<form[^>]*action="([^"]*)"', text):
            assert url.startswith("/") and not url.startswith("//"), \
                (path, url)


def test_error_pages_show_no_details(client):
    bad = [client.get("/no/such/page"), client.get("/logout"),
           client.get("/t/99999999999"), client.get("/b/no-such-board"),
           client.s.post(client.base + "/login", data=b"a=%zz", headers={
               "Content-Type": "application/x-www-form-urlencoded"},
               allow_redirects=False)]
    for r in bad:
        assert r.status_code in (400, 403, 404, 405), r.status_code
        low = r.text.lower()
        for word in ("postgres", "select ", "sqlstate", "/tmp/", "/usr/",
                     "build/", "app/", ".c:", "kore (", "4.1.0", "libpq",
                     "traceback", "stack"):
            assert word not in low, (r.status_code, word)


def test_no_uploads(client):
    """No route takes files: a multipart body is refused before any
    handler reads it."""
    client.get("/login")
    token = client.csrf("/login")
    r = client.s.post(client.base + "/login", data={"csrf": token},
                      files={"f": ("x.html", b"<script>", "text/html")},
                      allow_redirects=False)
    assert r.status_code == 400


def test_many_logins_at_once(server, new_client):
    """24 wrong passwords at once (under the 32 connections allowed from
    one address), each from its own forwarded address and for
    its own name: every one answered (wrong password, or 503 when the
    hashing queue is full), none a 500, and a real user signs in right
    after."""
    victim = new_client()
    victim.register()
    victim.logout()

    def attempt(i):
        c = Client(server.base)
        c.csrf("/login")
        return c.login(unique("n"), "a wrong passphrase").status_code

    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        codes = list(pool.map(attempt, range(24)))
    assert set(codes) <= {400, 429, 503}, codes
    assert codes.count(400) >= 10, codes
    assert victim.login().status_code == 303


def test_posting_rate_limit_for_new_accounts(new_client, staff):
    """SECURITY.md 25: a new account waits between forum posts (429,
    the form back with the text and the problem named); counsellors do
    not."""
    from test_mod import settings
    admin = staff("admin")
    settings(admin, new_user_post_interval=60)
    try:
        c = new_client()
        c.register()
        r = c.post("/b/erbil/new", {"title": "A first question here",
                                    "body": "first"}, csrf_from="/b/erbil/new")
        assert r.status_code == 303, r.text[:2000]
        r = c.post("/b/erbil/new", {"title": "Too soon a question",
                                    "body": "second, too soon"},
                   csrf_from="/b/erbil/new")
        assert r.status_code == 429
        assert r.headers.get("Retry-After") == "60"
        assert "second, too soon" in r.text and "Too soon a question" in r.text
        assert "posting too quickly" in r.text
        assert psql("SELECT count(*) FROM posts WHERE body_md = "
                    "'second, too soon'") == "0"
        mod = staff("moderator")
        for i in range(2):
            r = mod.post("/b/erbil/new", {"title": "Counsellor note %d" % i,
                                          "body": "exempt"},
                         csrf_from="/b/erbil/new")
            assert r.status_code == 303, r.text[:2000]
    finally:
        settings(admin)
