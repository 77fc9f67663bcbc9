"""No English left over: every page a visitor, a returnee, an employer, a
counsellor and an administrator can reach by following links, read in
Sorani, Bahdini and Arabic, has no English word outside what users wrote.

What users wrote is marked up as such (bdi, dir="auto", or a lang of its
own, as a guide in another language), and is skipped; so are code
samples and the language switch, which names each language in itself.
Text and the attributes a reader meets (title, aria-label, placeholder,
alt, a button's value) are checked."""
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from conftest import Client, make_user
from test_events import new_event
from test_forum import new_thread
from test_jobs import apply, published, save_profile

# Words that are the same in every language: names and formats.
ALLOWED = {"Magnet", "IOM", "Markdown", "CSV", "ICS", "iCalendar", "Atom",
           "RSS", "JSON", "API", "English", "PDF", "URL", "https", "http",
           "WhatsApp", "Viber", "Telegram", "Signal", "Excel"}
WORD = re.compile(r"[A-Za-z]{2,}")
# A <title> holds the name of what is shown (a thread's title, a user's
# name), which cannot be isolated there; the same name is checked in the
# page's heading, where it is.
SKIP_TAGS = {"bdi", "code", "pre", "kbd", "samp", "script", "style",
             "title"}
# Addresses in examples ("[its title](/guides/…)") are not words.
PATHS = re.compile(r"\S*/\S*")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
CHECKED_ATTRS = ("title", "aria-label", "placeholder", "alt")
# Not pages to read: downloads, feeds, machine formats, session ends,
# a visitor's language links (they change the language being read).
NOT_PAGES = re.compile(r"\.(csv|ics|xml|json|css|txt)$|^/(static|api)/|"
                       r"^/logout|/feed|/export|^/lang/")
MAX_PAGES = 45


class Leftovers(HTMLParser):
    def __init__(self, page_lang):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack = []        # (tag, skipped) for open elements
        self.found = []
        self.links = []

    def skipping(self):
        return any(s for _, s in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        skip = (tag in SKIP_TAGS or a.get("dir") == "auto" or
                ("lang" in a and tag != "html" and
                 a["lang"] != self.page_lang) or
                "langs" in (a.get("class") or "").split())
        if not skip and not self.skipping():
            for name in CHECKED_ATTRS:
                self.check(a.get(name), "%s@%s" % (tag, name))
            if tag == "input" and a.get("type") in ("submit", "button"):
                self.check(a.get("value"), "input@value")
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.skipping():
            self.check(data, self.stack[-1][0] if self.stack else "")

    def check(self, text, where):
        for w in WORD.findall(PATHS.sub(" ", text or "")):
            if w not in ALLOWED:
                self.found.append("%s: %r in %r" % (where, w,
                                                    text.strip()[:80]))


def crawl(client, lang, start):
    """Follow same-site links from start; {path: [leftovers]}."""
    seen, queue, bad = set(), list(start), {}
    while queue and len(seen) < MAX_PAGES:
        path = urldefrag(queue.pop(0))[0]
        if path in seen or NOT_PAGES.search(urlsplit(path).path):
            continue
        seen.add(path)
        r = client.get(path)
        if r.status_code != 200 or \
                not r.headers.get("Content-Type", "").startswith("text/html"):
            continue
        m = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', r.text)
        assert m and m.groups() == (lang, "rtl"), (path, m and m.groups())
        p = Leftovers(lang)
        p.feed(r.text)
        # A list to choose from with nothing in it is a form that cannot
        # be sent (its options' template left unset).
        p.found.extend("empty choice: " + s for s in
                       re.findall(r'<select[^>]*>\s*</select>', r.text))
        if p.found:
            bad[path] = sorted(set(p.found))
        queue.extend(l for l in p.links if l not in seen)
    assert len(seen) >= 8, seen
    return bad


def test_no_english_left_in_rtl_pages(server, new_client):
    author = new_client()
    author.register()
    tid, _ = new_thread(author, "duhok")
    # Something of each kind to read: a vacancy with an application and
    # a message about it, an event.
    staff = make_user(server, "moderator")
    emp, vid = published(new_client, staff)
    save_profile(author)
    assert apply(author, vid).status_code == 303
    eid, _ = new_event(staff)
    starts = ["/", "/b/duhok", "/t/%d" % tid, "/jobs", "/jobs/%d" % vid,
              "/guides", "/events", "/events/%d" % eid, "/search?q=Duhok",
              "/login", "/register"]
    found = {}
    for lang in ("ckb", "kmr-Arab", "ar"):
        visitor = Client(server.base, lang=lang)
        returnee = Client(server.base, lang=lang)
        returnee.register()
        employer = Client(server.base, lang=lang)
        employer.register(role="employer")
        counsellor = make_user(server, "moderator")
        counsellor.s.cookies.set("lang", lang)
        counsellor.s.headers["Accept-Language"] = lang
        admin = make_user(server, "admin")
        admin.s.cookies.set("lang", lang)
        admin.s.headers["Accept-Language"] = lang
        # A partner office (issue 21, item 7), before the counsellor,
        # so that the audit log names its views in the reader's words.
        office = make_user(server, "partner")
        office.s.cookies.set("lang", lang)
        office.s.headers["Accept-Language"] = lang
        for who, c, extra in (
                ("visitor", visitor, []),
                ("returnee", returnee, ["/account", "/profile",
                                        "/messages", "/notifications",
                                        "/applications"]),
                ("employer", employer, ["/enterprise", "/jobs/new",
                                        "/account"]),
                ("partner", office, ["/partner", "/account",
                                     "/account/password"]),
                ("counsellor", counsellor, ["/mod", "/mod/users",
                                            "/mod/audit", "/mod/stats",
                                            "/messages/counselling",
                                            "/events/new",
                                            "/events/%d/edit" % eid,
                                            "/guides/new"]),
                ("admin", admin, ["/admin", "/admin/settings",
                                  "/admin/boards/duhok"])):
            for path, words in crawl(c, lang, extra + starts).items():
                found["%s %s %s" % (lang, who, path)] = words
    # The audit log names what was done in the reader's words and links
    # to what it was done to.
    audit = staff.get("/mod/audit", headers={"Accept-Language": "ckb"}).text
    assert 'href="/jobs/%d"' % vid in audit
    assert 'href="/events/%d"' % eid in audit
    assert "<code dir=\"ltr\">vacancy.approve</code>" in audit
    assert not found, "\n".join("%s\n    %s" % (k, "\n    ".join(v))
                                for k, v in sorted(found.items()))
