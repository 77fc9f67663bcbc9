"""Error pages, bad input, languages and health, as a visitor sees them."""
import html
import re
import socket

from conftest import Client, read_until_closed, unique


def test_home_lists_boards(client):
    r = client.get("/")
    assert r.status_code == 200
    for slug in ["before-departure", "erbil", "sulaymaniyah", "duhok",
                 "halabja"]:
        assert 'href="/b/%s"' % slug in r.text
    assert '<html lang="en" dir="ltr">' in r.text


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "db": "ok"}


def test_404_page(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "<h1>Page not found</h1>" in r.text
    assert r.headers["Content-Type"].startswith("text/html")


def test_405_page(client):
    r = client.s.put(client.base + "/login", data="x")
    assert r.status_code == 405
    r = client.s.delete(client.base + "/")
    assert r.status_code == 405
    r = client.get("/logout")
    assert r.status_code == 405
    assert "Allow" in r.headers


def test_413_page(client):
    """A body over max_body is refused by Kore before it is read, with
    Kore's own short page (README: Kore's answers to broken requests)."""
    token = client.csrf("/login")
    r = client.s.post(client.base + "/login", data={
        "csrf": token, "username": "x", "password": "y" * 300000},
        allow_redirects=False)
    assert r.status_code == 413
    assert "<h1>413 Request Entity Too Large</h1>" in r.text
    assert r.headers.get("Connection") == "close"


def test_chunked_body_refused(client):
    """Kore takes no chunked request body (browsers never send one):
    411 Length Required, whatever its size, and the connection ends."""
    token = client.csrf("/login")
    body = ("csrf=%s&username=x&password=y" % token).encode()
    s = socket.create_connection(("127.0.0.1", int(client.base.rsplit(
        ":", 1)[1])))
    s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
              b"application/x-www-form-urlencoded\r\nTransfer-Encoding: "
              b"chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    answer = read_until_closed(s)
    s.close()
    assert answer.startswith(b"HTTP/1.1 411 "), answer[:200]


def test_invalid_utf8_form_shown_again(client):
    token = client.csrf("/register")
    body = (b"csrf=" + token.encode() + b"&role=returnee&password=" +
            b"a+fine+long+passphrase&enterprise=&username=ab%FF%FEcd")
    r = client.s.post(client.base + "/register", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False)
    assert r.status_code == 400
    assert "not allowed" in r.text
    assert 'value="ab\ufffd\ufffdcd"' in r.text


def test_nul_byte_in_form(client):
    token = client.csrf("/login")
    body = "csrf=%s&username=a%%00b&password=xxxxxxxxxx" % token
    r = client.s.post(client.base + "/login", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False)
    assert r.status_code == 400


def test_malformed_form_encoding(client):
    token = client.csrf("/login")
    body = "csrf=%s&username=%%zz&password=xxxxxxxxxx" % token
    r = client.s.post(client.base + "/login", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False)
    assert r.status_code == 400
    r = client.s.post(client.base + "/login", data=b"\x00\x01junk",
                      headers={"Content-Type": "application/octet-stream"},
                      allow_redirects=False)
    assert r.status_code == 400


def test_protected_route_sends_visitor_to_login(client):
    r = client.s.post(client.base + "/logout",
                      data={"csrf": client.csrf("/")}, allow_redirects=False)
    assert r.status_code == 403


def test_accept_language_picks_arabic(new_client):
    c = new_client(lang="ar-IQ,ar;q=0.9,en;q=0.5")
    r = c.get("/")
    assert '<html lang="ar" dir="rtl">' in r.text


def test_language_switch_keeps_page(client):
    # A visitor's switch is links (issue 19): follow the one on the page.
    page = client.get("/register").text
    link = re.search(r'<a href="([^"]*)" hreflang="ckb"', page).group(1)
    r = client.get(html.unescape(link))
    assert r.status_code == 303
    assert r.headers["Location"] == "/register"
    page = client.get("/register")
    assert '<html lang="ckb" dir="rtl">' in page.text
    # Every page offers the switch back.
    assert 'hreflang="en"' in page.text


def test_language_follows_account(new_client):
    c = new_client()
    c.register()
    c.post("/lang", {"lang": "kmr-Arab", "next": "/"}, csrf_from="/")
    c.logout()
    other = Client(c.base)
    other.login(c.name, c.password)
    assert '<html lang="kmr-Arab" dir="rtl">' in other.get("/").text


def test_error_pages_translated(new_client):
    c = new_client(lang="ckb")
    r = c.get("/nothing-here")
    assert r.status_code == 404
    assert 'lang="ckb" dir="rtl"' in r.text


def test_slow_and_garbage_requests_do_not_hurt(server, client):
    host, port = "127.0.0.1", server.port
    for junk in [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n" +
                 b"X: " + b"a" * 100000 + b"\r\n\r\n",
                 b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"]:
        s = socket.create_connection((host, port), timeout=5)
        try:
            s.sendall(junk)
            s.recv(4096)
        except OSError:
            pass
        s.close()
    assert client.get("/").status_code == 200


def test_head_request(client):
    r = client.head("/")
    assert r.status_code == 200
    assert r.content == b""
