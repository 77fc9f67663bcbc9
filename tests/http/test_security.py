"""CSRF, rate limits and the headers every page carries."""
import random

from conftest import Client, fresh_rate_window, psql, random_ip, unique

PAGES = ["/", "/login", "/register", "/no/such/page"]


def test_security_headers_everywhere(client):
    for path in PAGES:
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "base-uri 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert r.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        # The platform by name, never its version.
        assert r.headers["Server"] == "kore"


def test_personal_pages_not_stored(client):
    client.register()
    r = client.get("/")
    assert r.headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_post_without_csrf_is_403(client):
    r = client.s.post(client.base + "/login", data={"username": "x",
                      "password": "y" * 10}, allow_redirects=False)
    assert r.status_code == 403
    assert "expired" in r.text


def test_post_with_wrong_csrf_is_403(client):
    client.csrf("/login")
    r = client.s.post(client.base + "/login", data={
        "username": "x", "password": "y" * 10, "csrf": "0" * 64},
        allow_redirects=False)
    assert r.status_code == 403


def test_token_of_another_browser_is_403(new_client):
    a, b = new_client(), new_client()
    token = a.csrf("/login")
    b.csrf("/login")
    r = b.post("/login", {"username": "x", "password": "y" * 10,
                          "csrf": token})
    assert r.status_code == 403


def test_cross_origin_post_is_403(client):
    token = client.csrf("/login")
    r = client.s.post(client.base + "/login", data={
        "username": "x", "password": "y" * 10, "csrf": token},
        headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert r.status_code == 403
    r = client.s.post(client.base + "/login", data={
        "username": "x", "password": "y" * 10, "csrf": token},
        headers={"Sec-Fetch-Site": "cross-site"}, allow_redirects=False)
    assert r.status_code == 403


def test_logout_needs_post_and_token(client):
    client.register()
    assert client.get("/logout").status_code == 405
    r = client.s.post(client.base + "/logout", allow_redirects=False)
    assert r.status_code == 403
    assert client.signed_in()


def test_login_rate_limit_per_account(server, new_client):
    fresh_rate_window()
    victim = new_client()
    victim.register()
    victim.logout()
    codes = []
    for _ in range(12):
        c = new_client()  # a new address each time
        codes.append(c.login(victim.name, "wrong password x").status_code)
    assert codes[:10] == [400] * 10
    assert codes[10:] == [429, 429]
    page = Client(server.base).get("/")  # others still served
    assert page.status_code == 200


def test_login_rate_limit_per_ip(new_client):
    fresh_rate_window()
    ip = random_ip()
    codes = []
    for i in range(22):
        c = new_client(ip=ip)
        codes.append(c.login(unique("g"), "wrong password x").status_code)
    assert codes[:20] == [400] * 20
    assert 429 in codes[20:]
    r = new_client(ip=ip).login("x" * 5, "y" * 10)
    assert r.status_code == 429
    assert "Retry-After" in r.headers
    assert "Too many" in r.text


def test_attackers_cannot_lock_the_owner_out(server, new_client):
    """Issue 16: wrong passwords from many addresses use up the
    per-account limit for browsers the account has not signed in from,
    but the owner's own browser (where they registered or signed in
    before) still signs in with the right password, at once."""
    fresh_rate_window()
    victim = new_client()
    victim.register()           # this browser is now known to the account
    victim.logout()
    for _ in range(12):
        new_client().login(victim.name, "wrong password x")
    stranger = new_client()     # the right password, a new browser: waits
    r = stranger.login(victim.name, victim.password)
    assert r.status_code == 429
    assert not stranger.signed_in()
    r = victim.login()
    assert r.status_code == 303, r.status_code
    assert victim.signed_in()
    # Known to this account only: the cookie does not help another one.
    other = new_client()
    other.register()
    other.logout()
    device = victim.s.cookies.get("mg_device")
    other.s.cookies.clear()     # its own device cookie from registering
    other.s.cookies.set("mg_device", device)
    for _ in range(11):
        new_client().login(other.name, "wrong password x")
    assert other.login(other.name, "wrong password x").status_code == 429
    # A known browser still has the per-address-and-account limit.
    guesser = new_client()
    guesser.register()
    guesser.logout()
    codes = [guesser.login(guesser.name, "wrong %d" % i).status_code
             for i in range(12)]
    assert codes[:10] == [400] * 10 and codes[10:] == [429, 429], codes


def test_login_limit_counts_an_ipv6_64_as_one_address(new_client):
    """Any address of a /64 is the same subscriber: 20 sign-ins from 20
    addresses of one /64, then the 21st is refused; another /64 is not."""
    net = "2001:db8:%x:%x:" % (random.randint(0, 0xffff),
                               random.randint(0, 0xffff))
    fresh_rate_window()
    codes = []
    for i in range(21):
        c = new_client(ip=net + "%x:%x:%x:%x" % tuple(
            random.randint(0, 0xffff) for _ in range(4)))
        codes.append(c.login(unique("g"), "wrong password x").status_code)
    assert codes[:20] == [400] * 20 and codes[20] == 429, codes
    other = new_client(ip="2001:db8:ffff:%x::1" % random.randint(0, 0xffff))
    assert other.login(unique("g"), "wrong password x").status_code == 400


def test_register_rate_limit_per_ip(new_client):
    ip = random_ip()
    for i in range(3):
        new_client(ip=ip).register()
    c = new_client(ip=ip)
    r = c.post("/register", {"username": unique(), "password":
                             "a fine long passphrase", "role": "returnee"})
    assert r.status_code == 429


def test_stylesheet_cached_for_a_year(client):
    import re
    page = client.get("/").text
    href = re.search(r'href="(/static/magnet-[0-9a-f]{16}\.css)"', page)
    assert href
    r = client.get(href.group(1))
    assert r.status_code == 200
    assert "max-age=31536000" in r.headers["Cache-Control"]
    assert r.headers["Content-Type"].startswith("text/css")
    assert client.get("/static/magnet-0000000000000000.css").status_code == 404


def test_gzip_and_etag(client):
    client.get("/")  # the first visit sets the CSRF cookie
    # The home page says "N minutes ago": a page made anew just as a
    # minute turns differs, and is then a 200 with a new ETag; the same
    # page again is a 304.  Three turns in a row cannot happen.
    for _ in range(3):
        r = client.get("/", headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("Content-Encoding") == "gzip"
        etag = r.headers["ETag"]
        r2 = client.get("/", headers={"If-None-Match": etag})
        if r2.status_code == 304:
            break
        assert r2.status_code == 200 and r2.headers["ETag"] != etag
    assert r2.status_code == 304
    assert r2.content == b""


def test_passwords_hashed_at_the_shipped_cost(new_client):
    """Argon2id at libsodium's interactive cost (64 MiB, 2 passes) unless
    weak_password_hash is on, which only tests/security/scan.conf does."""
    c = new_client()
    c.register()
    h = psql("SELECT password_hash FROM users WHERE username = '%s'"
             % c.name)
    assert h.startswith("$argon2id$v=19$m=65536,t=2,p=1$"), h
