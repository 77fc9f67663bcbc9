"""The visitors' micro-cache, on a server of its own with the cache on
(the other tests run with cache_ms = 0): a second at most, the same bytes
for every visitor (no token of anyone's), never a signed-in page,
languages apart."""
import gzip
import time

import pytest

from conftest import CSRF_RE, Client, cached_server, make_user
from test_forum import POST_ID, new_thread, reply


@pytest.fixture(scope="module")
def cached():
    with cached_server(1000) as s:
        yield s

def raw_get(c, path, gzip_ok=True):
    """The answer's bytes as sent: gzipped ones left compressed."""
    r = c.get(path, stream=True, headers={
        "Accept-Encoding": "gzip" if gzip_ok else "identity"})
    return r, r.raw.read(decode_content=False)


def test_visitor_page_is_the_same_bytes_for_everyone(cached):
    """Issue 19: a visitor's cached page holds nothing of the visitor's
    own (no form token), so two visitors with cookies of their own get
    byte-identical gzipped copies, for each language and with a query
    string; a client without gzip gets the same page uncompressed."""
    author = Client(cached.base)
    author.register()
    tid, _ = new_thread(author, body="same bytes for every visitor")
    paths = ["/", "/t/%d" % tid, "/t/%d?page=1" % tid,
             "/search?q=visitor", "/jobs"]
    pages = {}
    for lang in ("en", "ar"):
        a, b = Client(cached.base, lang=lang), Client(cached.base, lang=lang)
        a.get("/login")  # each its own CSRF cookie, as a browser would
        b.get("/login")
        assert a.s.cookies.get("mg_csrf") != b.s.cookies.get("mg_csrf")
        for path in paths:
            ra, ga = raw_get(a, path)
            rb, gb = raw_get(b, path)
            assert ra.status_code == rb.status_code == 200, path
            assert ra.headers.get("Content-Encoding") == "gzip", path
            assert rb.headers.get("Content-Encoding") == "gzip", path
            assert "Accept-Encoding" in ra.headers.get("Vary", "")
            assert ga == gb, (lang, path)
            assert ra.headers["ETag"] == rb.headers["ETag"]
            text = gzip.decompress(ga).decode()
            assert CSRF_RE.search(text) is None, (lang, path)
            assert 'name="csrf"' not in text, (lang, path)
            assert '<html lang="%s"' % lang in text, (lang, path)
            rp, plain = raw_get(a, path, gzip_ok=False)
            assert "Content-Encoding" not in rp.headers
            assert plain.decode() == text, (lang, path)
            pages[lang, path] = ga
    assert pages["en", "/"] != pages["ar", "/"]
    # The links carry the page's own address back, query string too.
    text = gzip.decompress(pages["en", "/t/%d?page=1" % tid]).decode()
    assert ('href="/lang/ar?next=%%2Ft%%2F%d%%3Fpage%%3D1"' % tid) in text


def test_language_link_sets_cookie_only(cached):
    c = Client(cached.base)
    r = c.get("/lang/ar?next=/jobs")
    assert r.status_code == 303 and r.headers["Location"] == "/jobs"
    assert c.s.cookies.get("lang") == "ar"
    assert '<html lang="ar" dir="rtl">' in c.get("/jobs").text
    # The tag in the path is lower case (a slug); the cookie keeps its
    # spelling.
    r = c.get("/lang/kmr-arab?next=/")
    assert r.status_code == 303 and c.s.cookies.get("lang") == "kmr-Arab"
    # Not a language: 404, and the cookie is left as it was.
    for bad in ("/lang/xx?next=/jobs", "/lang/english", "/lang/ar-iq",
                "/lang/en.x"):
        assert c.get(bad).status_code == 404, bad
    assert c.s.cookies.get("lang") == "kmr-Arab"
    # A next that is not a local path goes home.
    for nxt in ("//evil.example/x", "https://evil.example/",
                "/\\evil.example", "jobs"):
        r = c.get("/lang/en", params={"next": nxt})
        assert r.status_code == 303 and r.headers["Location"] == "/", nxt
    r = c.get("/lang/ckb")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    # A signed-in user keeps the form, which also saves the account's
    # language.
    u = Client(cached.base)
    u.register()
    page = u.get("/").text
    assert 'action="/lang"' in page and "/lang/ar?" not in page


def test_cache_is_short_and_skips_signed_in(cached):
    author = Client(cached.base)
    author.register()
    mod = make_user(cached, "moderator")
    tid, _ = new_thread(author, body="soon to be hidden")
    visitor = Client(cached.base)
    assert "soon to be hidden" in visitor.get("/t/%d" % tid).text
    pid = int(POST_ID.search(author.get("/t/%d" % tid).text).group(1))
    r = mod.post("/mod/posts/%d/hide" % pid, {"reason": "test"},
                 csrf_from="/mod")
    assert r.status_code == 303
    # Within the second a visitor may still get the copy; after it, never.
    time.sleep(1.2)
    assert "soon to be hidden" not in visitor.get("/t/%d" % tid).text
    # A signed-in reader sees a new reply at once.
    reply(author, tid, "fresh words here")
    assert "fresh words here" in author.get("/t/%d" % tid).text
    # Languages are kept apart.
    ar = Client(cached.base, lang="ar")
    assert '<html lang="ar"' in ar.get("/t/%d" % tid).text
    assert '<html lang="en"' in visitor.get("/t/%d" % tid).text


def test_copies_kept_at_once_by_many_are_whole(new_client):
    """Many visitors asking for pages whose copies have just gone stale
    keep new copies at the same moment (as after PostgreSQL comes back):
    each is sent whole gzip that decodes to its page, and the server
    frees nothing another request is still sending (the sanitizer build
    would report it on stopping).  A copy lives 1 ms here, so nearly
    every request makes and keeps one."""
    import threading
    with cached_server(1) as s:
        bad, done = [], []

        def visitor(i):
            c = Client(s.base)
            for n in range(40):
                path = ("/", "/b/erbil", "/jobs")[(i + n) % 3]
                try:
                    r = c.get(path, headers={"Accept-Encoding": "gzip"})
                    if r.status_code != 200 or "</html>" not in r.text:
                        bad.append((path, r.status_code))
                except Exception as e:      # a gzip that does not decode
                    bad.append((path, type(e).__name__))
                done.append(1)
        ths = [threading.Thread(target=visitor, args=(i,))
               for i in range(12)]
        for t in ths:
            t.start()
        for t in ths:
            t.join()
        assert bad == [], bad[:5]
        assert len(done) == 12 * 40
