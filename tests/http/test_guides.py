"""Guides and booklets as their users meet them: a counsellor writes a
guide in Sorani and its English version, a visitor switches between them,
prints and downloads the Duhok booklet and finds the guide in search;
revisions, conflicts, access with two accounts per role, bad input, and
the sample guides of `magnet seed-demo`."""
import os
import re
import subprocess
import datetime

from conftest import Client, TOP, psql, unique

GUIDE_ID = re.compile(r"/guides/(\d+)\?lang=")
CSS_LINK = re.compile(r'href="(/static/magnet-[0-9a-f]+\.css)"')


def new_guide(mod, gov="duhok", topic="documents", lang="ckb", title=None,
              body="دەقی ڕێنمایی.", **extra):
    title = title or "ڕێنمایی " + unique("g")
    data = {"governorate": gov, "topic": topic, "lang": lang, "title": title,
            "body": body}
    data.update(extra)
    r = mod.post("/guides/new", data, csrf_from="/guides/new")
    assert r.status_code == 303, (r.status_code, r.text[:3000])
    m = re.fullmatch(r"/guides/(\d+)\?lang=" + re.escape(lang),
                     r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1)), title


def edit_guide(mod, gid, lang, title, body, rev, gov="duhok",
               topic="documents", **extra):
    data = {"governorate": gov, "topic": topic, "lang": lang, "rev": str(rev),
            "title": title, "body": body}
    data.update(extra)
    return mod.post("/guides/%d/edit" % gid, data,
                    csrf_from="/guides/%d/edit?lang=%s" % (gid, lang))


def test_guide_in_two_languages_booklet_and_search(server, staff):
    mod = staff("moderator")
    word = "ناسنامە" + unique("")[-6:]
    gid, ckb_title = new_guide(mod, body="## بەڵگەنامەکان\n\nبۆ **" + word +
                               "** پێویستت بە پاسپۆرتە.\n\n"
                               "[English](/guides/1)")
    # The English version, added from the guide's page.
    page = mod.get("/guides/%d?lang=ckb" % gid)
    assert 'href="/guides/%d/edit?lang=en"' % gid in page.text
    form = mod.get("/guides/%d/edit?lang=en" % gid)
    assert form.status_code == 200
    assert word in form.text          # the text to translate from
    en_title = "Documents in Duhok " + unique("e")
    r = edit_guide(mod, gid, "en", en_title, "## Papers\n\nFor **" + word +
                   "** bring your passport.", 0, note="English version")
    assert r.status_code == 303, r.text[:3000]
    assert r.headers["Location"] == "/guides/%d?lang=en" % gid

    # A visitor with an English browser gets the English version, linked
    # to the Sorani one, and switches.
    v = Client(server.base)
    en = v.get("/guides/%d" % gid)
    assert en.status_code == 200
    assert en_title in en.text and ckb_title not in en.text
    assert re.search(r'<a href="/guides/%d\?lang=ckb" hreflang="ckb" '
                     r'lang="ckb" dir="rtl">' % gid, en.text)
    assert 'Last reviewed:' in en.text
    ckb = v.get("/guides/%d?lang=ckb" % gid)
    assert ckb.status_code == 200
    assert ckb_title in ckb.text
    assert '<article class="guide" lang="ckb" dir="rtl">' in ckb.text
    assert '<a href="/guides/%d?lang=en" hreflang="en"' % gid in ckb.text
    # A Sorani reader is shown the Sorani version without asking.
    sv = Client(server.base, lang="ckb")
    assert ckb_title in sv.get("/guides/%d" % gid).text
    # Only counsellors see the tools.
    assert "/edit?lang=" not in ckb.text

    # The Duhok booklet in Sorani: every guide, a page per guide in print.
    b = v.get("/booklets/duhok?lang=ckb")
    assert b.status_code == 200
    assert ckb_title in b.text and en_title not in b.text
    assert '<div class="booklet" lang="ckb" dir="rtl">' in b.text
    assert 'href="#g%d"' % gid in b.text       # contents
    css = v.get(CSS_LINK.search(b.text).group(1)).text
    prn = css[css.index("@media print"):]
    assert ".booklet .guide { break-before: page;" in css
    assert re.search(r"\.noprint.*display: none", prn)
    assert v.get("/booklets/duhok?lang=en").text.count(en_title) >= 1

    # The same booklet as one file that reads offline.
    d = v.get("/booklets/duhok/download?lang=ckb")
    assert d.status_code == 200
    assert d.headers["Content-Disposition"] == \
        'attachment; filename="magnet-duhok-ckb.html"'
    assert d.headers["Content-Type"].startswith("text/html")
    # The response keeps the site's strict policy; the file carries its own.
    assert "unsafe-inline" not in d.headers["Content-Security-Policy"]
    doc = d.text
    assert doc.startswith("<!doctype html>")
    assert '<html lang="ckb" dir="rtl">' in doc
    assert "<style>" in doc and "break-before: page" in doc
    assert re.search(r'<meta http-equiv="Content-Security-Policy" '
                     r'content="default-src \'none\'; style-src '
                     r"'unsafe-inline'", doc)
    assert ckb_title in doc and word in doc
    # Nothing is fetched from anywhere: no stylesheet link, script, image.
    assert not re.search(r"<(link|script|img|iframe|object)\b", doc, re.I)
    assert not re.search(r"\ssrc\s*=", doc, re.I)
    # Site-relative links are made absolute so they work from a file.
    assert 'href="/' not in doc
    assert 'href="http://' in doc
    one = v.get("/guides/%d/download?lang=en" % gid)
    assert one.status_code == 200 and en_title in one.text
    assert 'filename="magnet-guide-%d-en.html"' % gid in \
        one.headers["Content-Disposition"]

    # Search finds the guide, in both languages.
    s = v.get("/search?q=" + word)
    assert s.status_code == 200
    assert 'href="/guides/%d?lang=ckb"' % gid in s.text
    assert 'href="/guides/%d?lang=en"' % gid in s.text
    assert "Nothing found" not in s.text
    # The Duhok board lists the governorate's guides.
    board = v.get("/b/duhok")
    assert 'href="/guides/%d?lang=' % gid in board.text
    assert 'href="/booklets/duhok?lang=en"' in board.text
    # The index groups by governorate and topic.
    idx = v.get("/guides?governorate=duhok&topic=documents")
    assert 'href="/guides/%d?lang=en"' % gid in idx.text
    assert 'href="/booklets/duhok?lang=ckb"' in idx.text
    assert 'href="/guides/%d' % gid not in \
        v.get("/guides?governorate=erbil").text

    # Every write was audited.
    assert psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
                "WHERE target = 'guide:%d'" % gid) == \
        "guide_create,guide_add_version"


def test_revisions_and_conflicting_edits(server, staff):
    a, b = staff("moderator"), staff("moderator")
    gid, title = new_guide(a, lang="en", title="Housing " + unique("h"),
                           body="first text", gov="halabja", topic="housing")
    # Both counsellors open revision 1; the first save wins.
    r = edit_guide(a, gid, "en", title, "second text", 1, gov="halabja",
                   topic="housing", note="rent rules")
    assert r.status_code == 303
    r = edit_guide(b, gid, "en", title, "my competing text", 1,
                   gov="halabja", topic="housing")
    assert r.status_code == 409
    assert "my competing text" in r.text
    assert "Another counsellor saved this version" in r.text
    assert 'name="rev" value="2"' in r.text
    # Sending the same save again (a retry) is not a conflict.
    r = edit_guide(a, gid, "en", title, "second text", 1, gov="halabja",
                   topic="housing", note="rent rules")
    assert r.status_code == 303
    # Saving again from the shown form is a deliberate overwrite.
    r = edit_guide(b, gid, "en", title, "my competing text", 2,
                   gov="halabja", topic="housing")
    assert r.status_code == 303
    assert "my competing text" in Client(server.base).get(
        "/guides/%d" % gid).text
    hist = a.get("/guides/%d/revisions?lang=en" % gid)
    assert hist.status_code == 200
    for text in ("first text", "second text", "my competing text",
                 "rent rules", a.name, b.name):
        assert text in hist.text
    assert psql("SELECT count(*) FROM guide_revisions r JOIN guide_versions "
                "v ON v.id = r.version_id WHERE v.guide_id = %d" % gid) == "3"
    assert psql("SELECT count(*) FROM audit_log WHERE target = 'guide:%d' "
                "AND action = 'guide_edit'" % gid) == "2"


def test_guide_access_two_accounts_per_role(server, new_client, staff):
    mod, admin = staff("moderator"), staff("admin")
    gid, title = new_guide(mod, gov="erbil", topic="work", lang="en",
                           title="Work " + unique("w"))
    # An admin writes too, and edits another counsellor's guide.
    new_guide(admin, gov="erbil", topic="health", lang="ar",
              title="الصحة " + unique("a"))
    assert edit_guide(admin, gid, "en", title, "checked by admin", 1,
                      gov="erbil", topic="work").status_code == 303
    users = []
    for role in ("returnee", "returnee", "employer", "employer"):
        c = new_client()
        c.register(role=role)
        users.append(c)
    for c in users:
        assert c.get("/guides/new").status_code == 403
        assert c.post("/guides/new", {"governorate": "erbil", "topic":
                      "work", "lang": "en", "title": "Mine", "body": "x"},
                      csrf_from="/guides").status_code == 403
        assert c.get("/guides/%d/edit?lang=en" % gid).status_code == 403
        assert edit_guide(c, gid, "en", "Defaced", "defaced", 2,
                          gov="erbil", topic="work").status_code == 403
        assert c.get("/guides/%d/revisions?lang=en" % gid).status_code == \
            403
        # Reading is for everyone.
        assert c.get("/guides/%d" % gid).status_code == 200
    v = Client(server.base)
    assert v.get("/guides/new").status_code == 303     # to sign in
    assert v.post("/guides/new", {"title": "x"},
                  csrf_from="/guides").status_code == 403
    assert "checked by admin" in v.get("/guides/%d" % gid).text
    assert "Defaced" not in v.get("/guides/%d" % gid).text


def test_guide_bad_input_keeps_the_text(server, staff):
    mod = staff("moderator")
    r = mod.post("/guides/new", {"governorate": "mosul", "topic": "work",
                 "lang": "ckb", "title": "", "body": "my careful text",
                 "reviewed": "2025-02-30"}, csrf_from="/guides/new")
    assert r.status_code == 422
    assert "my careful text" in r.text
    assert 'id="governorate-err"' in r.text
    assert 'id="title-err"' in r.text
    assert 'id="reviewed-err"' in r.text
    assert "2025-02-30" in r.text
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    r = mod.post("/guides/new", {"governorate": "duhok", "topic": "work",
                 "lang": "en", "title": "A future review",
                 "body": "text", "reviewed": future},
                 csrf_from="/guides/new")
    assert r.status_code == 422 and "in the future" in r.text
    r = mod.post("/guides/new", {"governorate": "duhok", "topic": "sports",
                 "lang": "xx", "title": "Deep", "body": "> " * 50 + "deep"},
                 csrf_from="/guides/new")
    assert r.status_code == 422
    assert 'id="topic-err"' in r.text and 'id="lang-err"' in r.text
    assert 'id="body-err"' in r.text
    r = mod.post("/guides/new", {"governorate": "duhok", "topic": "work",
                 "lang": "en", "title": "Long", "body": "x" * 30001},
                 csrf_from="/guides/new")
    assert r.status_code == 422 and "too long" in r.text
    # Preview shows the rendered text and saves nothing.
    before = psql("SELECT count(*) FROM guides")
    r = mod.post("/guides/new", {"governorate": "duhok", "topic": "work",
                 "lang": "en", "title": "Previewed", "body": "**bold**",
                 "preview": "1"}, csrf_from="/guides/new")
    assert r.status_code == 200 and "<strong>bold</strong>" in r.text
    assert psql("SELECT count(*) FROM guides") == before
    # A resubmitted form makes one guide, not two.
    data = {"governorate": "duhok", "topic": "work", "lang": "en",
            "title": "Once " + unique("o"), "body": "once", "idem": "i" * 43}
    r1 = mod.post("/guides/new", data, csrf_from="/guides/new")
    r2 = mod.post("/guides/new", data, csrf_from="/guides/new")
    assert r1.status_code == r2.status_code == 303
    assert r1.headers["Location"] == r2.headers["Location"]
    assert psql("SELECT count(*) FROM guides WHERE idem_key = '%s'"
                % ("i" * 43)) == "1"
    # Unknown guides, languages and booklets.
    gid, _ = new_guide(mod, lang="en", title="Only English " + unique("x"))
    v = Client(server.base)
    assert v.get("/guides/999999999").status_code == 404
    assert v.get("/guides/%d?lang=ckb" % gid).status_code == 404
    assert v.get("/guides/%d?lang=fr" % gid).status_code == 404
    assert v.get("/booklets/mosul").status_code == 404
    assert v.get("/booklets/duhok?lang=fr").status_code == 404
    assert v.get("/booklets/duhok/download?lang=de").status_code == 404
    assert mod.get("/guides/999999999/edit?lang=en").status_code == 404
    r = edit_guide(mod, 999999999, "en", "Nothing", "nothing", 1)
    assert r.status_code == 404
    # An empty booklet is a page that says so, not an error.
    empty = v.get("/booklets/halabja?lang=kmr-Arab")
    assert empty.status_code == 200
    assert 'lang="kmr-Arab" dir="rtl"' in empty.text


def test_hostile_markdown_in_guides(server, staff):
    mod = staff("moderator")
    body = "\n\n".join([
        "[click](javascript:alert(1))",
        "![img](https://example.org/x.png)",
        "<script>alert(3)</script>",
        "<img src=x onerror=alert(4)>",
        "[ok](https://example.org/page)",
    ])
    gid, _ = new_guide(mod, lang="en", title="Hostile " + unique("x"),
                       body=body)
    v = Client(server.base)
    for path in ("/guides/%d" % gid, "/guides/%d/download" % gid,
                 "/booklets/duhok?lang=en"):
        text = v.get(path).text
        assert not re.search(r"(href|src)\s*=\s*\"?\s*javascript:", text,
                             re.I)
        assert "<script" not in text.lower()
        assert not re.search(r"<img\b", text, re.I)
        assert not re.search(r"<[^>]+\son\w+\s*=", text)
        assert 'href="https://example.org/page"' in text


def test_stale_guide_warns_the_reader(server, staff):
    mod = staff("moderator")
    gid, _ = new_guide(mod, lang="en", title="Old " + unique("o"))
    fresh = Client(server.base).get("/guides/%d" % gid).text
    assert "more than a year ago" not in fresh
    psql("UPDATE guide_versions SET reviewed_on = current_date - 400 "
         "WHERE guide_id = %d" % gid)
    stale = Client(server.base).get("/guides/%d" % gid).text
    assert "more than a year ago" in stale


def test_counsellor_cites_a_guide_in_the_forum(server, staff):
    mod = staff("moderator")
    gid, title = new_guide(mod, lang="ckb")
    cite = re.search(r'<code dir="ltr">([^<]+)</code>',
                     mod.get("/guides/%d?lang=ckb" % gid).text).group(1)
    assert cite.endswith("(/guides/%d?lang=ckb)" % gid)
    r = mod.post("/b/duhok/new", {"title": "Papers " + unique("p"),
                 "body": "See " + cite.replace("&amp;", "&")},
                 csrf_from="/b/duhok/new")
    assert r.status_code == 303, r.text[:2000]
    page = Client(server.base).get(r.headers["Location"]).text
    assert 'href="/guides/%d?lang=ckb"' % gid in page


def test_seed_demo_writes_labelled_sample_guides(server):
    env = dict(os.environ)
    pgdir = env["MAGNET_TEST_PGDIR"]
    db = subprocess.run(["sh", "db/pg.sh", "newdb", pgdir, "magnet_seed8"],
                        cwd=TOP, capture_output=True, text=True)
    assert db.returncode == 0, db.stderr
    conn = db.stdout.strip()
    try:
        env["MAGNET_DB"] = conn
        out = subprocess.run([env["MAGNET_BIN"], "seed-demo"], cwd=TOP,
                             env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "added" in out.stdout

        def q(sql):
            return subprocess.run(["psql", conn, "-tAc", sql], check=True,
                                  capture_output=True,
                                  text=True).stdout.strip()
        govs = q("SELECT string_agg(DISTINCT governorate, ',' ORDER BY "
                 "governorate) FROM guides")
        assert govs == "duhok,erbil,halabja,sulaymaniyah"
        # Each version marked a sample in its own language.
        assert q("SELECT count(*) FROM guide_versions WHERE NOT (title "
                 "LIKE '[Sample] %' AND lang = 'en' OR title LIKE "
                 "'[نموونە] %' AND lang IN ('ckb', 'kmr-Arab') OR title "
                 "LIKE '[نموذج] %' AND lang = 'ar')") == "0"
        assert int(q("SELECT count(DISTINCT lang) FROM guide_versions")) == 4
        assert q("SELECT count(*) FROM guide_versions WHERE body_html NOT "
                 "LIKE '%<h4>%'") == "0"
        assert int(q("SELECT count(*) FROM guide_revisions")) >= 10
        # A second run adds nothing.
        again = subprocess.run([env["MAGNET_BIN"], "seed-demo"], cwd=TOP,
                               env=env, capture_output=True, text=True)
        assert "already there" in again.stdout
    finally:
        subprocess.run(["sh", "db/pg.sh", "dropdb", pgdir, "magnet_seed8"],
                       cwd=TOP, capture_output=True)


def test_booklet_offers_only_languages_with_guides(server, staff):
    # Issue 17: a booklet is offered in the languages its governorate has
    # guides in, no other; the board's link leads to one with guides; the
    # page says how to print without a script (the CSP allows none).
    mod = staff("moderator")
    gov = "sulaymaniyah"
    new_guide(mod, gov=gov, topic="health", lang="ar",
              title="دليل الصحة " + unique("g"), body="نص الدليل.")
    have = set(psql("SELECT string_agg(DISTINCT v.lang, ' ') FROM guides g "
                    "JOIN guide_versions v ON v.guide_id = g.id "
                    "WHERE g.governorate = '%s'" % gov).split())
    assert "ar" in have
    v = Client(server.base)
    page = v.get("/booklets/%s?lang=ar" % gov)
    assert page.status_code == 200
    linked = set(re.findall(r'href="/booklets/%s\?lang=([A-Za-z-]+)"' % gov,
                            page.text))
    # The current language is named, not linked.
    assert linked | {"ar"} == have, (linked, have)
    assert re.search(r'<strong lang="ar" dir="rtl" aria-current="true">',
                     page.text)
    assert "<details" in page.text and "Print or save as PDF" in page.text
    assert "<script" not in page.text
    # A language with no guide: no versions to offer but those that exist.
    missing = {"en", "ckb", "kmr-Arab", "ar"} - have
    for lang in missing:
        other = v.get("/booklets/%s?lang=%s" % (gov, lang))
        assert other.status_code == 200
        assert '<div class="booklet" lang="%s"' % lang in other.text
        assert "Print or save as PDF" not in other.text
        assert set(re.findall(r'href="/booklets/%s\?lang=([A-Za-z-]+)"'
                              % gov, other.text)) == have
    # The board (an English reader) links a booklet that has guides.
    board = v.get("/b/%s" % gov).text
    m = re.search(r'href="/booklets/%s\?lang=([A-Za-z-]+)"' % gov, board)
    assert m and m.group(1) in have, (m and m.group(1), have)
