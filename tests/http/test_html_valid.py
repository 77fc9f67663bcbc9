"""Every page is valid HTML, as HTML Tidy reads it: no error and no
warning, but for the two that Tidy 5.6 (Debian 12) gets wrong about HTML5
and ARIA (aria-current on a button, minlength on an input)."""
import re
import shutil
import subprocess

import pytest

from conftest import Client
from test_forum import new_thread

# Tidy 5.6 predates these; both are valid HTML5 and ARIA.
OUTDATED = re.compile(r'proprietary attribute "(aria-current|minlength)"')


def problems(html):
    out = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "yes"],
                         input=html.encode(), capture_output=True)
    lines = out.stderr.decode(errors="replace").splitlines()
    return [l for l in lines if l.strip() and not OUTDATED.search(l)]


@pytest.mark.skipif(shutil.which("tidy") is None, reason="needs tidy")
def test_pages_are_valid_html(new_client, staff):
    c = new_client()
    c.register()
    tid, _ = new_thread(c, body="Some *text* with [a link](https://x.org)")
    mod = staff("moderator")
    pages = {
        "visitor": (Client(c.base), ["/", "/b/erbil", "/t/%d" % tid,
                    "/login", "/register", "/search?q=text", "/jobs",
                    "/guides", "/events", "/no/such/page"]),
        "returnee": (c, ["/", "/t/%d" % tid, "/b/erbil/new",
                     "/notifications", "/account", "/messages",
                     "/profile", "/applications"]),
        "partner": (staff("partner"), ["/partner", "/account", "/"]),
        "moderator": (mod, ["/mod", "/mod/users", "/mod/audit",
                      "/mod/stats", "/t/%d" % tid]),
    }
    found = {}
    for who, (client, paths) in pages.items():
        for p in paths:
            r = client.get(p)
            assert r.status_code in (200, 404), (who, p, r.status_code)
            bad = problems(r.text)
            if bad:
                found["%s %s" % (who, p)] = bad
    assert not found, found
