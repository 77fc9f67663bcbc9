"""The visitors' micro-cache, on a server of its own with the cache on
(the other tests run with cache_ms = 0): a second at most, never another
visitor's token, never a signed-in page, languages apart."""
import time

import pytest

from conftest import CSRF_RE, Client, cached_server, make_user
from test_forum import POST_ID, new_thread, reply


@pytest.fixture(scope="module")
def cached():
    with cached_server(1000) as s:
        yield s

def test_each_visitor_gets_own_token_from_cache(cached):
    author = Client(cached.base)
    author.register()
    tid, _ = new_thread(author)
    a, b = Client(cached.base), Client(cached.base)
    a.get("/")  # both have their CSRF cookie before the timed part
    b.get("/")
    pa = a.get("/t/%d" % tid).text
    pb = b.get("/t/%d" % tid).text  # within the second: from the cache
    ta, tb = CSRF_RE.search(pa).group(1), CSRF_RE.search(pb).group(1)
    assert ta != tb
    assert "\x01" not in pa and "\x01" not in pb
    assert pa.replace(ta, "") == pb.replace(tb, "")
    # Each token works for its own visitor only.
    assert a.post("/lang", {"lang": "ar", "next": "/", "csrf": ta}
                  ).status_code == 303
    assert b.post("/lang", {"lang": "ar", "next": "/", "csrf": ta}
                  ).status_code == 403
    assert b.post("/lang", {"lang": "ar", "next": "/", "csrf": tb}
                  ).status_code == 303


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
