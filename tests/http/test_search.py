"""Search (issue 19): newest first, 20 a page, only published posts in
published threads, the words marked; a common word walks the newest
posts, a rarer one is read from the RUM index posts_search_rum (migration
0026), with the same results either way."""
import re
import time

from conftest import Client, psql, search_caught_up, unique

from test_forum import new_thread, reply

HIT = re.compile(r'<li><a href="/(t|p)/(\d+)">')


def hits(c, q, page=1):
    r = c.get("/search?q=%s&page=%d" % (q, page))
    assert r.status_code == 200
    return r, [(k, int(n)) for k, n in HIT.findall(r.text)]


def rum_scans():
    return int(psql("SELECT coalesce(sum(idx_scan), 0) FROM "
                    "pg_stat_user_indexes WHERE indexrelname = "
                    "'posts_search_rum'"))


def wait_rum_scans(above):
    """The index's scan count once above `above`: a server process
    reports its statistics when idle, at most every 10 s (PostgreSQL 15's
    PGSTAT_IDLE_INTERVAL)."""
    for _ in range(150):
        n = rum_scans()
        if n > above:
            return n
        time.sleep(0.1)
    return rum_scans()


def test_search_newest_first_paged_published_only(new_client):
    a, b = new_client(), new_client()
    a.register()
    b.register()
    word = "searchw" + unique("")[-6:]
    tid, title = new_thread(a, "erbil", title="Work in Erbil " + word,
                            body="The first post, " + word + ".")
    for i in range(25):
        r = reply(a if i % 2 else b, tid, "Reply %d about %s here." %
                  (i, word))
        assert r.status_code == 303
    search_caught_up()
    # A hidden post and a held thread with the word: never found.
    psql("UPDATE posts SET state = 'hidden' WHERE id = (SELECT max(id) - 3 "
         "FROM posts WHERE thread_id = %d)" % tid)
    hidden = int(psql("SELECT max(id) - 3 FROM posts WHERE thread_id = %d"
                      % tid))
    held, _ = new_thread(b, "duhok", title="Held " + word,
                         body="Held body " + word)
    psql("UPDATE threads SET state = 'held' WHERE id = %d" % held)
    posts = [int(x) for x in psql(
        "SELECT string_agg(id::text, ' ' ORDER BY id DESC) FROM posts "
        "WHERE thread_id = %d AND state = 'published'" % tid).split()]
    assert len(posts) == 25
    v = Client(a.base)
    for analyzed in (False, True):
        if analyzed:
            # Now the statistics know the word (it is in many of the
            # test database's posts): the newest posts are walked.
            psql("ANALYZE posts")
        r1, p1 = hits(v, word)
        r2, p2 = hits(v, word, 2)
        _, p3 = hits(v, word, 3)
        got = p1 + p2 + p3
        # 25 posts and the thread itself, the newest first: the thread
        # (its last reply is the newest post) right after that post.
        assert [n for k, n in got if k == "p"] == posts, got
        assert got.count(("t", tid)) == 1
        assert ("t", held) not in got and ("p", hidden) not in got
        assert len(p1) == 20 and len(p2) == 6 and p3 == []
        assert 'rel="next"' in r1.text and 'rel="next"' not in r2.text
        assert 'rel="prev"' in r2.text
        assert "<mark>%s</mark>" % word in r1.text
        assert "Held body" not in r1.text + r2.text


def test_rare_word_from_the_rum_index_common_word_walks(new_client):
    a = new_client()
    a.register()
    rare = "rarew" + unique("")[-6:]
    tid, title = new_thread(a, "halabja", body="Once: " + rare)
    reply(a, tid, "Twice: " + rare)
    search_caught_up()
    # 3,000 posts more, in a hidden thread, so that two are few.
    filler, _ = new_thread(a, "halabja", body="filler")
    psql("UPDATE threads SET state = 'hidden' WHERE id = %d" % filler)
    psql("INSERT INTO posts (thread_id, seq, author_id, body_md, body_html, "
         "search) SELECT t.id, 1 + g, t.author_id, 'filler', '<p>filler</p>', "
         "to_tsvector('simple', 'filler') FROM threads t, "
         "generate_series(1, 3000) g WHERE t.id = %d" % filler)
    # A word in every post (made so here): the newest posts are walked,
    # past the hidden thread's; the rare word is read from the index.
    common = "commonw" + unique("")[-6:]
    psql("UPDATE posts SET search = search || to_tsvector('simple', '%s')"
         % common)
    psql("ANALYZE posts")
    v = Client(a.base)
    time.sleep(11)              # earlier tests' searches reported
    before = rum_scans()
    _, got = hits(v, common)
    assert len(got) == 20
    ids = [n for k, n in got if k == "p"]
    assert ids == sorted(ids, reverse=True)
    time.sleep(11)
    assert rum_scans() == before, "the common word read the index"
    r, got = hits(v, rare)
    ids = [int(x) for x in psql("SELECT string_agg(id::text, ' ' ORDER BY "
                                "id DESC) FROM posts WHERE thread_id = %d"
                                % tid).split()]
    assert got == [("p", i) for i in ids], got
    assert "<mark>%s</mark>" % rare in r.text
    assert wait_rum_scans(before) > before


def test_reply_found_a_moment_after_it_is_saved(new_client):
    """A reply is saved without its words (the thread's row is held for
    less, migration 0036) and the server's background process fills them
    in once the forum is quiet: a visitor searching finds it within
    seconds, and filling them in changes nothing else of the post."""
    a = new_client()
    a.register()
    word = "laterw" + unique("")[-6:]
    tid, _ = new_thread(a, "erbil", body="The question.")
    r = reply(a, tid, "The answer is %s." % word)
    assert r.status_code == 303
    pid = int(re.search(r"#p(\d+)$", r.headers["Location"]).group(1))
    before = psql("SELECT body_md, body_html, state, seq FROM posts "
                  "WHERE id = %d" % pid)
    v = Client(a.base)
    found = []
    for _ in range(100):
        found = hits(v, word)[1]
        if found:
            break
        time.sleep(0.1)
    assert ("p", pid) in found
    assert psql("SELECT search IS NOT NULL FROM posts WHERE id = %d"
                % pid) == "t"
    assert psql("SELECT body_md, body_html, state, seq FROM posts "
                "WHERE id = %d" % pid) == before
