"""Right-to-left pages and the things people copy from them (issue 17).

In a Sorani or Arabic page the bidi algorithm reorders Latin and numeric
runs that sit in the text: "+964 750 123 4567" shows as "4567 123 750
964+", "https://" as "//:https", "> quote" with the > on the far side.
Every example the site gives (formats, phone numbers, addresses, the
formatting help) and every spaced number in a plain user-written field
must sit in an element with dir="ltr" (a left-to-right isolate)."""
import re
from html.parser import HTMLParser

from conftest import Client, psql, unique
from test_jobs import employer, returnee, save_profile

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
# What would be reordered in right-to-left text.
EXAMPLES = re.compile(
    r"https?://|\+964|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}:[0-9]{2}|\*\*|"
    r"^\s*[>#-] |\]\(|[0-9]{3,} [0-9]{3,}|750000")


class Direction(HTMLParser):
    """Each piece of shown text with the dir of its nearest element that
    has one (the <html> element's for the page's own text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []         # (tag, dir or None)
        self.texts = []         # (text, dir, tags)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append((tag, dict(attrs).get("dir")))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if not data.strip() or set(tags) & {"script", "style", "title",
                                             "textarea", "option"}:
            return
        d = next((d for _, d in reversed(self.stack) if d), None)
        self.texts.append((data, d, tags))


def unisolated(html):
    """Examples in the page that are not in a left-to-right element."""
    p = Direction()
    p.feed(html)
    bad = []
    for text, d, tags in p.texts:
        if d == "ltr":
            continue
        for line in text.split("\n"):
            if EXAMPLES.search(line):
                bad.append((line.strip(), d, tags[-3:]))
    return bad


def test_formatting_help_is_left_to_right(server, new_client):
    """The markdown help under every text box: each sample as typed."""
    c = new_client(lang="ckb")
    c.register()
    for path in ("/b/erbil/new", "/messages/new"):
        r = c.get(path)
        assert r.status_code == 200, r.text[:2000]
        assert 'dir="rtl"' in r.text[:400]
        assert unisolated(r.text) == [], path
        assert '<bdi dir="ltr"><code>[بەستەر](https://…)</code></bdi>' \
            in r.text
        assert "&gt; وتە" in r.text
        assert "Markdown" not in r.text
    emp = employer(lambda **kw: Client(server.base, lang="ar"))
    r = emp.get("/jobs/new")
    assert unisolated(r.text) == []
    assert '<bdi dir="ltr"><code>**عريض**</code></bdi>' in r.text


def test_error_examples_are_left_to_right(server, new_client):
    emp = employer(lambda **kw: Client(server.base, lang="ckb"))
    r = emp.post("/enterprise", {"name": "Acme", "phone": "call me",
                                 "website": "exa mple.com/x"},
                 csrf_from="/enterprise")
    assert r.status_code == 422
    assert unisolated(r.text) == []
    assert '<bdi dir="ltr"><code>+964 750 123 4567</code></bdi>' in r.text
    assert '<bdi dir="ltr"><code>+ - ( )</code></bdi>' in r.text
    assert '<bdi dir="ltr"><code>https://www.example.com</code></bdi>' \
        in r.text
    r = emp.post("/jobs/new", {"kind": "job", "title": "Welder",
                               "description": "Weld.", "salary_min": "lots",
                               "deadline": "soon", "action": "submit"},
                 csrf_from="/jobs/new")
    assert r.status_code == 422
    assert unisolated(r.text) == []
    assert '<bdi dir="ltr"><code>750000</code></bdi>' in r.text
    assert '<bdi dir="ltr"><code>2025-06-30</code></bdi>' in r.text
    ret = new_client(lang="ar")
    ret.register()
    r = ret.post("/profile", {"return_date": "31/12/2016"},
                 csrf_from="/profile")
    assert r.status_code == 422
    assert unisolated(r.text) == []
    assert '<bdi dir="ltr"><code>2016-03-31</code></bdi>' in r.text


def test_website_without_scheme_is_completed(server, new_client):
    """"acme.example" is what people type; it is kept as https://…, while
    what is no web address at all is still refused."""
    emp = employer(new_client)
    r = emp.post("/enterprise", {"name": "Acme " + unique("n"),
                                 "website": "acme.example/jobs"},
                 csrf_from="/enterprise")
    assert r.status_code == 303, r.text[:2000]
    assert psql("SELECT website FROM enterprises WHERE id = %d"
                % emp.enterprise) == "https://acme.example/jobs"
    for bad in ("javascript:alert(1)", "localhost", "exa mple.com"):
        r = emp.post("/enterprise", {"name": "Acme", "website": bad},
                     csrf_from="/enterprise")
        assert r.status_code == 422, bad
        # What was typed comes back as typed.
        assert 'value="%s"' % bad.replace("(", "(") in r.text, bad
    form = emp.get("/enterprise").text
    assert 'type="url"' not in form     # the browser would refuse it


def test_phone_numbers_in_plain_fields(server, new_client, staff):
    """A returnee's profile and an enterprise's details are plain text; a
    phone number in them keeps its order."""
    r = returnee(lambda **kw: Client(server.base, lang="ckb"))
    save_profile(r, occupation="وەستا، تەلەفۆن 0750 123 4567",
                 experience="شەش ساڵ لە کۆڵن.\nژمارەم +964 750 123 4567 یە")
    page = r.get("/profiles/%d" % r.uid).text
    assert unisolated(page) == []
    assert '<bdi dir="ltr">+964 750 123 4567</bdi>' in page
    assert '<bdi dir="ltr">0750 123 4567</bdi>' in page
    emp = employer(lambda **kw: Client(server.base, lang="ar"))
    res = emp.post("/enterprise", {
        "name": "شركة " + unique("n"), "address": "شارع ٦٠ متري، هاتف "
        "066 222 3333", "description": "اتصل بنا على +964 750 123 4567"},
        csrf_from="/enterprise")
    assert res.status_code == 303, res.text[:2000]
    mod = staff("moderator")
    page = mod.get("/enterprises/%d" % emp.enterprise).text
    assert '<bdi dir="ltr">066 222 3333</bdi>' in page
    assert '<bdi dir="ltr">+964 750 123 4567</bdi>' in page


def headings_of(html):
    """Each result link of a search page under the h2 it follows."""
    out, current = [], None
    for m in re.finditer(r'<h2[^>]*>(.*?)</h2>|<a href="(/(?:p|t|guides|jobs)'
                         r'/[^"]*)"', html):
        if m.group(1) is not None:
            current = m.group(1)
        else:
            out.append((current, m.group(2)))
    return out


def test_search_results_under_their_headings(server, new_client, staff):
    """Issue 17 item 2: guides under "Guides", forum hits under "In the
    forum" (also when no vacancy matches), snippets in plain text."""
    from test_forum import new_thread
    from test_guides import new_guide
    word = unique("zq")
    c = new_client()
    c.register()
    tid, _ = new_thread(c, body="## Heading %s\n\n- **bold %s** and "
                        "[a link](https://example.org/%s)\n> quoted" %
                        (word, word, word))
    mod = staff("moderator")
    gid, _ = new_guide(mod, title="ڕێنمایی بەڵگەنامەکان",
                       body="# بەڵگەنامە\n\n1. **بهێنە** %s _now_" % word)
    r = Client(server.base).get("/search?q=" + word)
    assert r.status_code == 200
    found = headings_of(r.text)
    assert ("Guides", "/guides/%d?lang=ckb" % gid) in found, found
    forum = [h for h, href in found if href.startswith(("/t/", "/p/"))]
    assert forum and set(forum) == {"In the forum"}, found
    assert "Vacancies and training" not in r.text
    # The order: guides, then the forum.
    assert r.text.index(">Guides<") < r.text.index(">In the forum<")
    snippets = re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', r.text)
    assert len(snippets) >= 2, snippets
    for s in snippets:
        text = re.sub(r"</?mark>", "", s)
        for mark in ("**", "##", "# ", "- ", "1. ", "](", "&gt;", "_now_"):
            assert mark not in text, (mark, s)
    assert any("<mark>%s</mark>" % word in s for s in snippets), snippets
    assert any("a link" in s for s in snippets), snippets


def test_rejection_reason_in_the_authors_language(server, staff,
                                                  new_client):
    """Issue 17 item 3: a Bahdini author reads a built-in reason that an
    English-speaking counsellor chose in Bahdini; the note stays as
    typed."""
    from test_forum import new_thread
    from test_mod import settings
    admin, mod = staff("admin"), staff("moderator")
    settings(admin, new_user_holds=1)
    try:
        author = new_client(lang="kmr-Arab")
        author.register()
        tid, _ = new_thread(author, body="فرۆتنا ئامیران ب بهایەکێ کێم")
        pid = int(psql("SELECT id FROM posts WHERE thread_id = %d" % tid))
        r = mod.post("/mod/posts/%d/reject" % pid,
                     {"template": "1", "reason": "Zakho shop, not a job."},
                     csrf_from="/mod")
        assert r.status_code == 303, r.text[:2000]
        assert psql("SELECT mod_reason_key || '|' || mod_reason FROM posts "
                    "WHERE id = %d" % pid) == "spam|Zakho shop, not a job."
        page = author.get("/t/%d" % tid).text
        assert 'lang="kmr-Arab"' in page
        assert "ئەڤە ریکلام یان سپامە." in page
        assert "advertising or spam" not in page
        assert "<bdi>Zakho shop, not a job.</bdi>" in page
        # The same post read by an Arabic-speaking counsellor: Arabic.
        ar = staff("moderator")
        ar.s.headers["Accept-Language"] = "ar"
        assert "هذا إعلان أو رسائل مزعجة." in ar.get("/t/%d" % tid).text
        assert psql("SELECT reason FROM audit_log WHERE action = "
                    "'post.reject' AND target = 'post:%d'" % pid) == \
            "This is advertising or spam. Zakho shop, not a job."
    finally:
        settings(admin)


def test_forms_in_right_to_left_pages(server, new_client):
    """Issue 17 item 4: the quoted reply keeps a right-to-left box; a
    Latin-named author's words do not turn it; the language's comma; an
    error summary that links every problem to its field; the password
    that is not kept is said to be so; no browser messages in English;
    the deadline's first and last day; feeds named by what they do."""
    from test_forum import new_thread
    latin = new_client()
    latin.register(name="ahmad" + unique("x"))
    tid, _ = new_thread(latin, body="Where do I renew a passport?")
    pid = int(psql("SELECT id FROM posts WHERE thread_id = %d" % tid))
    reader = new_client(lang="ckb")
    reader.register()
    form = reader.get("/t/%d/reply?quote=%d" % (tid, pid)).text
    body = re.search(r'<textarea id="body"[^>]*>([^<]*)', form).group(1)
    assert body.startswith("&gt; \u200f**%s**" % latin.name), body[:40]
    en = new_client()
    en.register()
    form = en.get("/t/%d/reply?quote=%d" % (tid, pid)).text
    assert "&gt; **%s** wrote:" % latin.name in form
    # Every form leaves the checking to the server (translated).
    for page in (form, reader.get("/b/erbil/new").text):
        forms = re.findall(r"<form [^>]*>", page)
        post = [f for f in forms if 'method="post"' in f]
        assert post and all("novalidate" in f for f in post), post

    emp = employer(lambda **kw: Client(server.base, lang="ckb"))
    r = emp.post("/enterprise", {"name": "Acme", "phone": "call me",
                                 "website": "exa mple.com"},
                 csrf_from="/enterprise")
    summary = re.search(r'<div class="problem" role="alert">(.*?)</div>',
                        r.text, re.S).group(1)
    links = re.findall(r'<li><a href="#(\w+)">', summary)
    assert links == ["phone", "website"], summary
    for field in links:
        assert 'id="%s"' % field in r.text
    jobs = emp.get("/jobs/new").text
    today = re.search(r'id="deadline"[^>]* min="(\d{4}-\d\d-\d\d)"', jobs)
    assert today, jobs[:3000]
    assert 'id="deadline-help"' in jobs and "2025-06-30" in jobs

    c = new_client(lang="ar")
    c.register()
    c.logout()
    r = c.post("/login", {"username": c.name, "password": "wrong" * 3})
    assert r.status_code == 400
    assert "لا تُعرض كلمة المرور مرة أخرى" in r.text

    v = Client(server.base, lang="ckb")
    for path in ("/b/erbil", "/events", "/jobs"):
        page = v.get(path).text
        for word in ("Atom", "iCalendar", "JSON", "CSV"):
            assert word not in re.sub(r'href="[^"]*"', "", page), \
                (path, word)
    css = v.get(re.search(r'href="(/static/magnet-[0-9a-f]+\.css)"',
                          page).group(1)).text
    assert ".body ol:lang(ckb)" in css and "arabic-indic" in css


def test_language_comma(server, new_client, staff):
    """'دهۆک, Zakho': values joined in right-to-left text take the
    Arabic-script comma."""
    from test_jobs import published
    mod = staff("moderator")
    emp, vid = published(new_client, mod, governorate="duhok",
                         city="Zakho")
    page = Client(server.base, lang="ckb").get("/jobs").text
    row = re.search(r'<li[^>]*>(?:(?!</li>).)*/jobs/%d"(?:(?!</li>).)*</li>'
                    % vid, page, re.S).group(0)
    assert "، <bdi>Zakho</bdi>" in row, row
    assert ", <bdi>Zakho</bdi>" not in row
    page = Client(server.base).get("/jobs").text
    assert ", <bdi>Zakho</bdi>" in page
