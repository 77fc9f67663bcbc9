"""What the server writes, whatever it was sent (issue 16, findings 5 to 7):
every byte is UTF-8, every user-written value is isolated from the text
around it, and a page from the visitors' cache depends only on its key."""
import html
import re
import urllib.parse
from html.parser import HTMLParser

from conftest import Client, cached_server, make_user, unique
from test_events import new_event
from test_forum import new_thread, reply
from test_guides import new_guide
from test_jobs import apply, approve, employer, post_vacancy, returnee

RLO = "\u202e"          # RIGHT-TO-LEFT OVERRIDE: reverses what follows
FSI, PDI = "\u2068", "\u2069"
# Elements whose content is isolated from its surroundings: <bdi>, and
# any element with a dir attribute (the HTML user-agent style sheet gives
# both unicode-bidi: isolate).
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Isolation(HTMLParser):
    """Collects the isolated runs of text that hold RLO and more than the
    one user-written value it came in ("<Prefix> <word> RLO gnp.exe"):
    the site's own words next to it, in the same run, would be reordered.
    A run is the text of a <bdi> or an element with dir, the text between
    FSI and PDI, or the page outside them all."""

    VALUE = re.compile(r"\S+ \S+ %s gnp\.exe" % RLO)

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []         # [tag, isolates]
        self.runs = [[]]        # the text of each open run
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        iso = tag == "bdi" or any(k == "dir" for k, _ in attrs)
        self.stack.append((tag, iso))
        if iso:
            self.runs.append([])

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, iso in self.stack[i:]:
                    if iso:
                        self.end_run()
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return              # not shown (JSON-LD, CSS)
        for ch in re.split("([%s%s])" % (FSI, PDI), data):
            if ch == FSI:
                self.runs.append([])
            elif ch == PDI and len(self.runs) > 1:
                self.end_run()
            else:
                self.runs[-1].append(ch)

    def end_run(self):
        text = " ".join("".join(self.runs.pop()).split())
        if RLO in text and not self.VALUE.fullmatch(text):
            self.bad.append(text[:120])

    def close(self):
        super().close()
        while self.runs:
            self.end_run()


def not_isolated(text):
    p = Isolation()
    p.feed(text)
    p.close()
    return p.bad


def test_user_text_is_isolated_everywhere(server, new_client, staff):
    mod = staff("moderator")
    word = unique("rlo")
    evil = "%s %s gnp.exe" % (word, RLO)
    # A thread and a reply (a notification for its author).
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    tid, _ = new_thread(alice, "erbil", title="Thread " + evil,
                        body="Body " + evil)
    assert reply(bob, tid, "Reply " + evil).status_code == 303
    # A vacancy of an enterprise with such a name, and an application.
    emp = employer(new_client, enterprise="Ent " + evil)
    vid = post_vacancy(emp, title="Vacancy " + evil)
    approve(mod, vid)
    ret = returnee(new_client)
    assert apply(ret, vid).status_code == 303
    # A guide and an event.
    gid, _ = new_guide(mod, title="Guide " + evil)
    eid, _ = new_event(mod, title="Event " + evil, city="City " + evil)

    pages = [
        (Client(server.base), ["/", "/b/erbil", "/t/%d" % tid,
                               "/search?q=" + urllib.parse.quote(word),
                               "/jobs", "/jobs/%d" % vid,
                               "/enterprises/%d" % emp.enterprise,
                               "/guides", "/guides/%d?lang=ckb" % gid,
                               "/booklets/duhok?lang=ckb", "/events",
                               "/events/%d" % eid]),
        (alice, ["/notifications", "/t/%d/reply" % tid]),
        (emp, ["/employer", "/jobs/%d/applications" % vid,
               "/notifications", "/jobs/%d/edit" % vid]),
        (ret, ["/applications"]),
        (mod, ["/mod", "/mod/jobs", "/mod/audit",
               "/guides/%d/revisions?lang=ckb" % gid,
               "/events/%d/attendees" % eid]),
    ]
    bad, missing = {}, []
    for c, paths in pages:
        for path in paths:
            r = c.get(path)
            assert r.status_code == 200, (path, r.status_code)
            if RLO not in r.text:
                missing.append(path)
            found = not_isolated(r.text)
            if found:
                bad[path] = found
    for k, v in bad.items():
        print("NOT ISOLATED", k, sorted(set(re.sub(r"rlo\d+", "W", x) for x in v)))
    assert not bad, bad
    assert not missing, missing     # each page shows one of the values


def test_bidi_checker_catches_what_it_should():
    """The checker itself: a bare RLO fails, isolated ones pass."""
    assert not_isolated("<p>A a %s gnp.exe</p> and more" % RLO)
    assert not_isolated("<button>x A a %s gnp.exe</button>" % RLO)
    assert not not_isolated("<p><bdi>A a %s gnp.exe</bdi> c</p>" % RLO)
    assert not not_isolated('<p dir="auto">A a %s gnp.exe</p>' % RLO)
    assert not not_isolated("<title>%sA a %s gnp.exe%s c</title>"
                            % (FSI, RLO, PDI))
    assert not_isolated("<title>A a %s gnp.exe c</title>" % RLO)
    # A sentence of the site's in one <bdi> with the value: not isolated.
    assert not_isolated("<bdi>Your application to A a %s gnp.exe was "
                        "updated</bdi>" % RLO)


def assert_utf8(raw, what):
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError("%s: not UTF-8 at %d: %r" % (
            what, e.start, raw[max(0, e.start - 40):e.start + 10]))


def test_every_byte_written_is_utf8(server, new_client):
    c = new_client()
    c.register()
    bad = ["%FF%FE%FD", "%C0%AE%C0%AE", "%ED%A0%80", "%F4%90%80%80",
           "a%80b", "%01%1B%7F"]
    paths = []
    for b in bad:
        paths += ["/search?q=" + b, "/b/" + b, "/t/" + b, "/jobs?q=" + b,
                  "/jobs?governorate=" + b, "/login?next=/" + b,
                  "/guides?q=" + b, "/" + b, "/p/" + b,
                  "/b/erbil?after=" + b]
    for who in (Client(server.base), c):
        for p in paths:
            r = who.get(p, allow_redirects=False)
            assert r.status_code < 500, (p, r.status_code)
            assert_utf8(r.content, p)
            for k, v in r.raw.headers.items():
                assert_utf8(v.encode("latin-1"), "%s %s" % (p, k))
    # Forms too: the form comes back with U+FFFD and the problem named.
    tok = c.csrf("/b/erbil/new")
    r = c.s.post(c.base + "/b/erbil/new", data=("csrf=%s&title=T%%FF%%FEx"
                 "&body=B%%C0%%AE" % tok).encode(), allow_redirects=False,
                 headers={"Content-Type":
                          "application/x-www-form-urlencoded"})
    assert r.status_code == 422, r.status_code
    assert_utf8(r.content, "new thread")
    assert "T\ufffd\ufffdx" in r.text


def test_cached_page_depends_only_on_its_key():
    """After GET /?q=X, the next visitor's language links do not carry
    X, on every cached page; a declared query parameter is kept, and
    encoded."""
    with cached_server(60000) as srv:
        c = Client(srv.base)
        owner = Client(srv.base)
        owner.register()
        tid, _ = new_thread(owner, "erbil")
        for path in ("/", "/b/erbil", "/t/%d" % tid, "/jobs"):
            sep = "&" if "?" in path else "?"
            marker = unique("leak")
            c.get(path + sep + "q=" + marker)
            nxt = Client(srv.base).get(path)
            assert nxt.status_code == 200
            assert marker not in nxt.text, path
            got = lang_next(nxt.text)
            assert got == path, (path, got)
        # Search keeps its own q, encoded so that & and # stay in it.
        r = Client(srv.base).get("/search", params={"q": "a&b #c"})
        got = lang_next(r.text)
        assert got == "/search?q=a%26b%20%23c", got


def lang_next(page):
    """The page's own address in a visitor's language link (issue 19)."""
    m = re.search(r'<a href="/lang/en\?next=([^"]*)"', page)
    return m and urllib.parse.unquote(html.unescape(m.group(1)))
