"""The forum as its users meet it: boards, threads, replies, quotes,
edits, deletion, notifications, search and hostile markdown."""
import re
import time

from conftest import Client, psql, unique

POST_ID = re.compile(r'id="p(\d+)"')


def new_thread(c, board="erbil", title=None, body="Hello from Erbil."):
    title = title or "Question " + unique("t")
    r = c.post("/b/%s/new" % board, {"title": title, "body": body},
               csrf_from="/b/%s/new" % board)
    assert r.status_code == 303, (r.status_code, r.text[:3000])
    m = re.fullmatch(r"/t/(\d+)", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1)), title


def reply(c, tid, body, **extra):
    data = {"body": body}
    data.update(extra)
    return c.post("/t/%d/reply" % tid, data, csrf_from="/t/%d" % tid)


def test_board_page_lists_threads(new_client):
    c = new_client()
    c.register()
    tid, title = new_thread(c, "duhok")
    r = Client(c.base).get("/b/duhok")
    assert r.status_code == 200
    assert title in r.text
    assert 'href="/t/%d"' % tid in r.text
    assert Client(c.base).get("/b/no-such-board").status_code == 404


def test_thread_reply_quote_notify_edit_search(new_client):
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    word = "هەلی" + unique("")[-5:]  # a Sorani word no one else wrote
    tid, title = new_thread(alice, "erbil", body="Where can I find work? " +
                            word)
    page = bob.get("/t/%d" % tid)
    first = int(POST_ID.search(page.text).group(1))
    # Bob quotes Alice's post.
    form = bob.get("/t/%d/reply?quote=%d" % (tid, first))
    assert form.status_code == 200
    assert "&gt; Where can I find work?" in form.text
    r = reply(bob, tid, "> Where can I find work?\n\nTry the Erbil job fair.",
              quote=str(first))
    assert r.status_code == 303
    assert re.search(r"/t/%d\?page=1#p\d+" % tid, r.headers["Location"])
    # Alice sees a notification, with a count in the header.
    home = alice.get("/")
    assert re.search(r'class="count">1<', home.text)
    notes = alice.get("/notifications")
    assert "quoted you" in notes.text
    nid = re.search(r'/notifications/(\d+)/open', notes.text).group(1)
    r = alice.post("/notifications/%s/open" % nid, {},
                   csrf_from="/notifications")
    assert r.status_code == 303
    assert 'class="count"' not in alice.get("/").text
    # Alice edits her post; the old text is kept as a revision.
    r = alice.post("/p/%d/edit" % first, {"title": title, "body":
                   "Where can I find work in Erbil? " + word},
                   csrf_from="/p/%d/edit" % first)
    assert r.status_code == 303
    page = alice.get("/t/%d" % tid)
    assert "Where can I find work in Erbil?" in page.text
    assert "edited" in page.text
    assert psql("SELECT count(*) FROM post_revisions WHERE post_id = %d"
                % first) == "1"
    # A visitor finds it by the Sorani word.
    found = Client(alice.base).get("/search?q=" + word)
    assert found.status_code == 200
    assert title in found.text


def test_search_folds_arabic_letter_variants(new_client):
    c = new_client()
    c.register()
    tag = unique("")[-5:]
    tid, title = new_thread(c, "sulaymaniyah", title="کار لە سلێمانی " + tag,
                            body="کارێکی باش")
    # Arabic kaf and yeh find the Persian-style letters.
    r = Client(c.base).get("/search?q=" + "كار لە سلێماني " + tag)
    assert title in r.text


def test_locked_thread_refuses_reply_and_keeps_text(new_client):
    c = new_client()
    c.register()
    tid, _ = new_thread(c)
    psql("UPDATE threads SET locked = true WHERE id = %d" % tid)
    r = c.post("/t/%d/reply" % tid, {"body": "my careful words"},
               csrf_from="/")
    assert r.status_code == 403
    assert "locked" in r.text
    assert "Post reply" not in c.get("/t/%d" % tid).text


def test_empty_and_oversized_input_keeps_text(new_client):
    c = new_client()
    c.register()
    r = c.post("/b/erbil/new", {"title": "", "body": "my body text"},
               csrf_from="/b/erbil/new")
    assert r.status_code == 422
    assert "my body text" in r.text
    assert "required" in r.text
    r = c.post("/b/erbil/new", {"title": "A fine title", "body": "x" * 20001},
               csrf_from="/b/erbil/new")
    assert r.status_code == 422
    assert "A fine title" in r.text
    assert "too long" in r.text
    deep = "> " * 50 + "deep"
    r = c.post("/b/erbil/new", {"title": "Deep thoughts", "body": deep},
               csrf_from="/b/erbil/new")
    assert r.status_code == 422
    assert "Deep thoughts" in r.text
    assert "&gt; &gt; &gt;" in r.text
    assert c.get("/t/999999999").status_code == 404
    assert c.post("/t/999999999/reply", {"body": "x"},
                  csrf_from="/").status_code == 404


def test_hostile_markdown_is_harmless(new_client):
    c = new_client()
    c.register()
    body = "\n\n".join([
        "[click](javascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![img](javascript:alert(2))",
        "<script>alert(3)</script>",
        "<img src=x onerror=alert(4)>",
        ">%class%\nboxed",
        "[ok](https://example.org/page)",
    ])
    tid, _ = new_thread(c, body=body)
    page = Client(c.base).get("/t/%d" % tid).text
    post = page[page.index('class="body"'):]
    post = post[:post.index("</article>")]
    # Dangerous links stay as plain, escaped text: never an attribute.
    assert not re.search(r'(href|src)\s*=\s*"?\s*(javascript|data):', post,
                         re.I)
    assert "<script" not in post
    assert "<img" not in post
    assert not re.search(r"<[^>]+\son\w+\s*=", post)
    assert "&lt;script&gt;" in post
    assert 'href="https://example.org/page"' in post
    assert 'rel="nofollow ugc noopener"' in post


def test_huge_hostile_inputs_do_not_stall(new_client):
    c = new_client()
    c.register()
    nested = "> " * 10000 + "x"
    r = c.post("/b/erbil/new", {"title": "Nested", "body": nested},
               csrf_from="/b/erbil/new")
    assert r.status_code == 422
    t = time.time()
    r = c.post("/b/erbil/new", {"title": "Angles", "body": "<" * 19999},
               csrf_from="/b/erbil/new")
    assert r.status_code in (303, 422)
    assert time.time() - t < 10
    # And the server still answers at once.
    t = time.time()
    assert Client(c.base).get("/").status_code == 200
    assert time.time() - t < 1


def test_delete_own_post_keeps_thread(new_client):
    a, b = new_client(), new_client()
    a.register()
    b.register()
    tid, title = new_thread(a, body="to be removed")
    first = int(POST_ID.search(a.get("/t/%d" % tid).text).group(1))
    # Bob may neither edit nor delete Alice's post.
    assert b.get("/p/%d/edit" % first).status_code == 403
    assert b.post("/p/%d/delete" % first, {},
                  csrf_from="/").status_code == 403
    r = b.post("/p/%d/edit" % first, {"body": "defaced"}, csrf_from="/")
    assert r.status_code == 403
    # Deleting asks first, then happens on POST.
    confirm = a.get("/p/%d/delete" % first)
    assert confirm.status_code == 200 and "Delete" in confirm.text
    r = a.post("/p/%d/delete" % first, {}, csrf_from="/p/%d/delete" % first)
    assert r.status_code == 303
    page = Client(a.base).get("/t/%d" % tid)
    assert page.status_code == 200
    assert title in page.text
    assert "to be removed" not in page.text
    assert "This post was deleted." in page.text


def test_revisions_for_counsellors_only(server, new_client):
    a = new_client()
    a.register()
    tid, _ = new_thread(a, body="first words")
    pid = int(POST_ID.search(a.get("/t/%d" % tid).text).group(1))
    a.post("/p/%d/edit" % pid, {"body": "second words", "title":
           "Changed title"}, csrf_from="/p/%d/edit" % pid)
    assert a.get("/p/%d/revisions" % pid).status_code == 403
    assert Client(a.base).get("/p/%d/revisions" % pid).status_code == 303


def test_idempotent_resubmit(new_client):
    c = new_client()
    c.register()
    tid, _ = new_thread(c)
    key = "k" * 43
    r1 = reply(c, tid, "only once please", idem=key)
    r2 = reply(c, tid, "only once please", idem=key)
    assert r1.status_code == r2.status_code == 303
    assert r1.headers["Location"] == r2.headers["Location"]
    assert psql("SELECT count(*) FROM posts WHERE thread_id = %d" % tid) == "2"


def test_preview_does_not_post(new_client):
    c = new_client()
    c.register()
    tid, _ = new_thread(c)
    r = reply(c, tid, "**bold** preview", preview="1")
    assert r.status_code == 200
    assert "<strong>bold</strong>" in r.text
    assert "**bold** preview" in r.text
    assert psql("SELECT count(*) FROM posts WHERE thread_id = %d" % tid) == "1"


def test_thread_pages(new_client):
    c = new_client()
    c.register()
    tid, _ = new_thread(c)
    psql("INSERT INTO posts (thread_id, seq, author_id, body_md, body_html) "
         "SELECT %d, s, author_id, 'post ' || s, '<p>post ' || s || '</p>' "
         "FROM generate_series(2, 45) s, (SELECT author_id FROM threads "
         "WHERE id = %d) a; UPDATE threads SET post_count = 45 WHERE id = %d"
         % (tid, tid, tid))
    v = Client(c.base)
    p1 = v.get("/t/%d" % tid).text
    assert "<p>post 20</p>" in p1 and "<p>post 21</p>" not in p1
    p3 = v.get("/t/%d?page=3" % tid).text
    assert "<p>post 45</p>" in p3 and "<p>post 41</p>" in p3
    assert "<p>post 40</p>" not in p3
    assert 'href="/t/%d?page=2"' % tid in p3
    assert v.get("/t/%d?page=4" % tid).status_code == 404
    assert v.get("/t/%d?page=abc" % tid).status_code in (200, 400)


def test_board_keyset_pages(new_client):
    c = new_client()
    c.register()
    tag = unique("")[-6:]
    bid = psql("SELECT id FROM boards WHERE slug = 'halabja'")
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    psql("INSERT INTO threads (board_id, author_id, title, post_count, "
         "last_post_at) SELECT %s, %s, 'Paged %s ' || s, 1, "
         "now() - s * interval '1 minute' FROM generate_series(1, 45) s; "
         "UPDATE boards SET thread_count = thread_count + 45 WHERE id = %s"
         % (bid, uid, tag, bid))
    v = Client(c.base)
    p1 = v.get("/b/halabja").text
    assert "Paged %s 1<" % tag in p1
    nxt = re.search(r'href="(/b/halabja\?after=[0-9.]+&amp;p=2)"', p1)
    assert nxt
    p2 = v.get(nxt.group(1).replace("&amp;", "&")).text
    assert "Paged %s 21<" % tag in p2 and "Paged %s 1<" % tag not in p2
    assert v.get("/b/halabja?after=junk").status_code == 400


def test_board_order_follows_the_last_reply(staff):
    """A board lists the thread with the newest post first, through a
    burst of replies too.  Replies to the thread already on top leave
    its place in the lists' index where it is (bumped_at, migration
    0037: the row is written in place); a reply to another thread puts
    that one on top, and the next reply to the first puts it back."""
    m = staff("moderator")
    a, _ = new_thread(m, "sulaymaniyah")
    b, _ = new_thread(m, "sulaymaniyah")

    def first():
        page = m.get("/b/sulaymaniyah").text
        pa, pb = page.find('href="/t/%d"' % a), page.find('href="/t/%d"' % b)
        assert pa != -1 and pb != -1
        return a if pa < pb else b

    def times(tid):
        """bumped_at and last_post_at, in microseconds."""
        return [int(x) for x in psql(
            "SELECT (extract(epoch FROM bumped_at) * 1000000)::bigint || "
            "' ' || (extract(epoch FROM last_post_at) * 1000000)::bigint "
            "FROM threads WHERE id = %d" % tid).split()]

    assert first() == b
    assert reply(m, a, "First reply to a.").status_code == 303
    assert first() == a
    place, _ = times(a)
    for i in range(3):
        assert reply(m, a, "Burst %d." % i).status_code == 303
    assert first() == a
    bumped, last = times(a)
    assert bumped == place and last > place, (bumped, last)
    assert reply(m, b, "Now b.").status_code == 303
    assert first() == b
    assert reply(m, a, "And a again.").status_code == 303
    assert first() == a
    bumped, last = times(a)
    assert bumped == last


def test_home_shows_latest_activity(new_client):
    c = new_client()
    c.register()
    tid, title = new_thread(c, "before-departure")
    home = Client(c.base).get("/").text
    assert 'href="/t/%d"' % tid in home
    assert title in home


def test_atom_feed(new_client):
    import xml.etree.ElementTree as ET
    c = new_client()
    c.register()
    tid, title = new_thread(c, "erbil", body="Feed *body* <b>x</b>")
    held, held_title = new_thread(c, "erbil")
    psql("UPDATE threads SET state = 'held' WHERE id = %d" % held)
    r = Client(c.base).get("/feeds/b/erbil.atom")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert title in titles
    assert held_title not in titles
    entry = [e for e in root.findall("a:entry", ns)
             if e.find("a:title", ns).text == title][0]
    assert entry.find("a:link", ns).get("href").endswith("/t/%d" % tid)
    assert "<em>body</em>" in entry.find("a:content", ns).text
    assert "<b>" not in entry.find("a:content", ns).text
    assert Client(c.base).get("/feeds/b/nowhere.atom").status_code == 404
    assert Client(c.base).get("/feeds/b/erbil").status_code == 404


def test_json_api(new_client):
    c = new_client()
    c.register()
    tid, title = new_thread(c, "duhok", body="first")
    reply(c, tid, "second, to be deleted")
    pid = psql("SELECT id FROM posts WHERE thread_id = %d AND seq = 2" % tid)
    c.post("/p/%s/delete" % pid, {}, csrf_from="/p/%s/delete" % pid)
    v = Client(c.base)
    boards = v.get("/api/v1/boards").json()["boards"]
    assert [b["slug"] for b in boards] == ["before-departure", "erbil",
                                           "sulaymaniyah", "duhok", "halabja"]
    t = v.get("/api/v1/threads/%d" % tid).json()
    assert t["title"] == title and t["board"] == "duhok"
    assert [p["html"] for p in t["posts"]] == ["<p>first</p>"]
    psql("UPDATE threads SET state = 'held' WHERE id = %d" % tid)
    assert v.get("/api/v1/threads/%d" % tid).status_code == 404
    assert v.get("/api/v1/threads/99999999").status_code == 404


def test_times_read_as_how_long_ago_in_the_readers_language(new_client):
    c = new_client()
    c.register()
    tid, _ = new_thread(c, "duhok")
    pid = int(POST_ID.search(c.get("/t/%d" % tid).text).group(1))
    # Three hours earlier, and another thread ten days earlier.
    psql("UPDATE posts SET created_at = now() - interval '3 hours' "
         "WHERE id = %d" % pid)
    old, _ = new_thread(c, "duhok")
    psql("UPDATE posts SET created_at = now() - interval '10 days' "
         "WHERE thread_id = %d" % old)
    times = re.compile(r'<time datetime="([0-9T:Z+-]+)" title="([^"]+)">'
                       r'([^<]+)</time>')
    en = dict((m.group(3), m.group(2))
              for m in times.finditer(Client(c.base, lang="en")
                                      .get("/t/%d" % tid).text))
    assert "3 hours ago" in en, en
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", en["3 hours ago"])
    ckb = Client(c.base, lang="ckb").get("/t/%d" % tid).text
    assert "٣ کاتژمێر لەمەوبەر" in ckb
    ar = Client(c.base, lang="ar").get("/t/%d" % tid).text
    # Arabic counts 3 to 10 take the plural (issue 17): not "قبل ٣ ساعة".
    assert "قبل ٣ ساعات" in ar
    # Older than a week: the date and time, in the reader's digits.
    ten = [m for m in times.finditer(Client(c.base, lang="ckb")
                                     .get("/t/%d" % old).text)]
    assert ten and all(m.group(3) == m.group(2) for m in ten), ten
    assert re.fullmatch(r"[٠-٩]{4}-[٠-٩]{2}-[٠-٩]{2} [٠-٩]{2}:[٠-٩]{2}",
                        ten[0].group(3))
