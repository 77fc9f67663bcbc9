"""Signed-in thread pages joined from a shared part (issue 19): the posts
of a page are made once for every signed-in reader with the same rights
and compressed once; what is a reader's own (tokens, counts, their own
posts and what they may do with them) never reaches another, a
counsellor's view never reaches a returnee, and a change shows at once,
on this node and on another."""
import gzip
import os
import re
import time

import pytest

from conftest import (TOP, Client, CSRF_RE, make_user, own_server, psql,
                      unique)
from test_forum import POST_ID, new_thread, reply


def posts_part(html):
    """The shared part of a thread page: from the crumbs to the reader's
    own forms below the posts (thanks, watching, reply) or the sign-in
    hint."""
    start = html.index('<nav class="crumbs"')
    end = min(i for i in (html.find('<form id="thank"'),
                          html.find('<form method="post" novalidate '
                                    'action="/t/'),
                          html.find('<p class="hint">')) if i >= 0)
    return html[start:end]


def member(base, lang=None):
    c = Client(base, lang=lang)
    c.register()
    return c


def edit(c, pid, body, title="A thread edited " + unique("e")):
    """Edit a post (a thread's first post keeps a title)."""
    data = {"body": body, "title": title}
    r = c.post("/p/%d/edit" % pid, data, csrf_from="/p/%d/edit" % pid)
    assert r.status_code == 303, r.text[:2000]


def wait_for(c, path, check, seconds=5):
    """Until check(page text) holds, or `seconds` pass: True or False."""
    end = time.time() + seconds
    while time.time() < end:
        if check(c.get(path).text):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def thread(new_client):
    """alice's thread with bob's reply; carol and dave only read."""
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    tid, title = new_thread(alice, body="alice asks " + unique("w"))
    assert reply(bob, tid, "bob answers " + unique("w")).status_code == 303
    ids = [int(i) for i in POST_ID.findall(alice.get("/t/%d" % tid).text)]
    return alice, bob, tid, ids


@pytest.fixture(scope="module")
def one():
    """A server with one Kore worker: each worker keeps parts of its own,
    and a test that expects a kept part must not land on the other."""
    with own_server(workers=1) as s:
        yield s


def test_readers_share_the_posts_not_their_tokens(one):
    alice, bob = member(one.base), member(one.base)
    tid, _ = new_thread(alice, body="alice asks " + unique("w"))
    assert reply(bob, tid, "bob answers").status_code == 303
    first, second = [int(i) for i in
                     POST_ID.findall(alice.get("/t/%d" % tid).text)]
    carol, dave = member(one.base), member(one.base)
    path = "/t/%d" % tid
    # Into the cache, once the notifications of the thread's own writes
    # have come (they may drop a part made before they arrive).
    carol.get(path)
    time.sleep(0.5)
    c_page, d_page = carol.get(path).text, dave.get(path).text
    # The same posts for both, with what any reader may do with them ...
    assert posts_part(c_page) == posts_part(d_page)
    assert 'href="/p/%d/report"' % first in posts_part(c_page)
    assert "/t/%d/reply?quote=%d" % (tid, second) in posts_part(c_page)
    # ... and nothing of anyone's own: no edit link, no token.
    assert "/edit" not in posts_part(c_page)
    assert 'name="csrf"' not in posts_part(c_page)
    c_tok = CSRF_RE.search(c_page).group(1)
    d_tok = CSRF_RE.search(d_page).group(1)
    assert c_tok != d_tok and d_tok not in c_page and c_tok not in d_page
    # The part is kept: a change the server is not told of (triggers
    # off) does not show; the same change told shows at once.
    psql("BEGIN; ALTER TABLE posts DISABLE TRIGGER posts_notify, "
         "DISABLE TRIGGER posts_notify_update; "
         "UPDATE posts SET body_html = '<p>quietly changed</p>' "
         "WHERE id = %d; ALTER TABLE posts ENABLE TRIGGER posts_notify, "
         "ENABLE TRIGGER posts_notify_update; "
         "COMMIT" % first)
    assert "quietly changed" not in carol.get(path).text
    assert "quietly changed" not in dave.get(path).text
    psql("UPDATE posts SET body_html = '<p>changed and told</p>' "
         "WHERE id = %d" % first)
    assert wait_for(carol, path, lambda t: "changed and told" in t, 2)


def test_authors_get_their_own_page(thread):
    alice, bob, tid, (first, second) = thread
    page = bob.get("/t/%d" % tid).text
    # Bob's own reply: edit and delete, no report; alice's: report.
    assert 'href="/p/%d/edit"' % second in page
    assert 'href="/p/%d/report"' % second not in page
    assert 'href="/p/%d/report"' % first in page
    assert 'href="/p/%d/edit"' % first not in page
    page = alice.get("/t/%d" % tid).text
    assert 'href="/p/%d/edit"' % first in page
    assert 'href="/p/%d/edit"' % second not in page


def test_gzip_and_plain_are_the_same_page(thread, server):
    alice, bob, tid, ids = thread
    carol = member(server.base)
    path = "/t/%d" % tid
    carol.get(path)  # the part is made
    r = carol.get(path, stream=True, headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("Content-Encoding") == "gzip"
    raw = r.raw.read(decode_content=False)
    zipped = gzip.decompress(raw).decode()  # checks the CRC and length
    plain = carol.get(path, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert posts_part(zipped) == posts_part(plain.text)
    assert zipped.count("</html>") == 1 and zipped.rstrip().endswith(
        "</html>")


def test_held_posts_and_counsellors_view_stay_apart(one):
    alice, bob, carol = (member(one.base) for _ in range(3))
    mod = make_user(one, "moderator")
    tid, _ = new_thread(alice, body="alice asks " + unique("w"))
    assert reply(bob, tid, "bob answers").status_code == 303
    second = int(POST_ID.findall(bob.get("/t/%d" % tid).text)[1])
    path = "/t/%d" % tid
    # bob writes a reply that waits for approval (as a new account's
    # would): only bob and the counsellors see it.
    held = "held words " + unique("h")
    psql("WITH t AS (UPDATE threads SET post_count = post_count + 1 "
         "WHERE id = %d RETURNING post_count) INSERT INTO posts (thread_id, "
         "seq, author_id, body_md, body_html, state) SELECT %d, post_count, "
         "(SELECT id FROM users WHERE username = '%s'), '%s', '<p>%s</p>', "
         "'held' FROM t" % (tid, tid, bob.name, held, held))
    # Whoever reads first after a write, a reader with more rights or
    # the held post's author, nothing of theirs goes into what carol is
    # given next.
    for first_reader in (mod, bob):
        # A form saved on the node: every part made before is dropped.
        assert first_reader.post("/notifications/read", {},
                                 csrf_from="/").status_code == 303
        page = first_reader.get(path).text
        assert held in page
        page = carol.get(path).text
        assert "bob answers" in page and held not in page
        assert "/mod/posts/" not in page
        assert 'href="/p/%d/edit"' % second not in page
    # Approved: everyone sees it at once.
    r = mod.post("/mod/posts/%d/approve" % max(
        int(i) for i in POST_ID.findall(mod.get(path).text)), {},
        csrf_from=path)
    assert r.status_code == 303
    assert held in carol.get(path).text


def test_edit_hide_and_move_show_at_once(thread, server, staff):
    alice, bob, tid, (first, second) = thread
    mod = staff("moderator")
    carol = member(server.base)
    path = "/t/%d" % tid
    assert 'href="/b/erbil"' in posts_part(carol.get(path).text)
    edit(alice, first, "alice asks again, edited")
    assert "alice asks again, edited" in carol.get(path).text
    r = mod.post("/mod/posts/%d/hide" % second, {"reason": "test"},
                 csrf_from=path)
    assert r.status_code == 303
    assert "bob answers" not in carol.get(path).text
    r = mod.post("/mod/threads/%d/move" % tid, {"board": "duhok"},
                 csrf_from=path)
    assert r.status_code == 303
    assert 'href="/b/duhok"' in posts_part(carol.get(path).text)


def test_each_language_its_own_part(thread, server):
    alice, bob, tid, (first, second) = thread
    path = "/t/%d" % tid
    sorani = member(server.base, lang="ckb")
    english = member(server.base, lang="en")
    ckb, en = sorani.get(path).text, english.get(path).text
    assert 'lang="ckb"' in ckb and 'dir="rtl"' in ckb
    assert ">Report<" in posts_part(en) and ">Report<" not in posts_part(ckb)
    assert posts_part(ckb) != posts_part(en)


def test_another_node_changes_and_signs_out_at_once(thread, server):
    """Two nodes on one database: a change or a sign-out written on one
    shows on the other as soon as it hears of it (LISTEN/NOTIFY)."""
    alice, bob, tid, (first, second) = thread
    path = "/t/%d" % tid
    with own_server() as other:
        carol = member(server.base)
        assert "bob answers" in carol.get(path).text  # part made here
        alice_there = Client(other.base)
        alice_there.name, alice_there.password = alice.name, alice.password
        assert alice_there.login().status_code == 303
        edit(alice_there, first, "edited on the other node")
        assert wait_for(carol, path,
                        lambda t: "edited on the other node" in t, 2)
        # carol's session, kept a moment by the node that read it, ends
        # there when she signs out on the other node.
        assert carol.signed_in()
        carol_there = Client(other.base)
        carol_there.s.cookies.update(carol.s.cookies)
        assert carol_there.signed_in()
        assert carol_there.logout().status_code == 303
        # (within well under the second a kept session may live)
        assert wait_for(carol, "/", lambda t: 'action="/logout"' not in t,
                        0.6)


def test_suspension_ends_a_kept_session_at_once(server):
    c = member(server.base)
    assert c.signed_in()
    psql("UPDATE users SET suspended_until = now() + interval '1 day' "
         "WHERE username = '%s'" % c.name)
    # within well under the second a kept session may live
    assert wait_for(c, "/", lambda t: 'action="/logout"' not in t, 0.6)


# The release build beside the sanitizer build the suite runs (make test
# builds both): AddressSanitizer's allocator never calls mremap, glibc's
# does.
RELEASE = os.path.join(TOP, "build/magnet")


@pytest.mark.parametrize("build", ["sanitizer", "release"])
def test_a_page_of_a_megabyte(build, new_client):
    """Twenty of the longest posts make a page of about a megabyte: its
    buffers grow past malloc's mmap threshold (glibc then moves them with
    mremap, which the sandbox must allow) and it is sent whole, to a
    visitor, a reader and an author alike."""
    assert os.access(RELEASE, os.X_OK), "make all builds " + RELEASE
    with own_server(binary=RELEASE if build == "release" else None) as s:
        alice, bob = member(s.base), member(s.base)
        tid, _ = new_thread(alice)
        words = "ئەمە دێڕێکی درێژە " * 1100  # 20,000 characters, 36 KB
        psql("WITH t AS (UPDATE threads SET post_count = post_count + 39 "
             "WHERE id = %d RETURNING post_count) INSERT INTO posts "
             "(thread_id, seq, author_id, body_md, body_html) SELECT %d, "
             "post_count - 39 + g, (SELECT id FROM users WHERE username = "
             "'%s'), 'x', '<p>%s' || g || '</p>' FROM t, "
             "generate_series(1, 39) g" % (tid, tid, bob.name, words))
        path = "/t/%d?page=2" % tid
        for c in (Client(s.base), member(s.base), bob):
            r = c.get(path)
            assert r.status_code == 200 and len(r.content) > 700000
            assert r.text.rstrip().endswith("</html>")


def side_part(html):
    """A board's coming events and guides: from the events' section to
    the end of the guides' section (or of whichever is there)."""
    start = html.index('<section class="upcoming"')
    return html[start:html.rindex("</section>") + len("</section>")]


def test_board_events_made_once_for_all_and_changed_at_once(one):
    """A board's coming events and guides are the same for every reader
    of a language: made once, kept, and nothing of a reader's own in
    them; a change the server is told of shows at once."""
    carol, dave = member(one.base), member(one.base)
    title = "Halabja info meeting " + unique("m")
    eid = int(psql(
        "INSERT INTO events (kind, title, starts_at, ends_at, governorate, "
        "city, organiser, body_md, body_html, created_by) SELECT "
        "'info_meeting', '%s', now() + interval '10 minutes', now() + "
        "interval '70 minutes', 'halabja', 'Halabja', 'IOM', 'x', "
        "'<p>x</p>', min(id) FROM users RETURNING id" % title)
        .splitlines()[0])
    r = carol.post("/events/%d/signup" % eid, {},
                   csrf_from="/events/%d" % eid)
    assert r.status_code == 303
    assert "You are signed up" in carol.get("/events/%d" % eid).text
    # Into the cache, once the writes' notifications have come.
    carol.get("/b/halabja")
    time.sleep(0.5)
    c_page, d_page = carol.get("/b/halabja").text, dave.get("/b/halabja").text
    assert 'href="/events/%d"' % eid in side_part(c_page)
    assert side_part(c_page) == side_part(d_page)
    assert "You are signed up" not in c_page
    assert 'name="csrf"' not in side_part(c_page)
    # Each reader's own part of the board stays theirs.
    c_tok = CSRF_RE.search(c_page).group(1)
    d_tok = CSRF_RE.search(d_page).group(1)
    assert c_tok != d_tok and d_tok not in c_page and c_tok not in d_page
    # Kept: a change the server is not told of does not show ...
    psql("BEGIN; ALTER TABLE events DISABLE TRIGGER events_notify; "
         "UPDATE events SET title = 'quietly renamed' WHERE id = %d; "
         "ALTER TABLE events ENABLE TRIGGER events_notify; COMMIT" % eid)
    assert "quietly renamed" not in dave.get("/b/halabja").text
    # ... the same change told shows at once, cancelled or moved.
    psql("UPDATE events SET state = 'cancelled' WHERE id = %d" % eid)
    assert wait_for(dave, "/b/halabja", lambda t: "quietly renamed" in t
                    and "Cancelled" in side_part(t), 2)
    psql("UPDATE events SET governorate = 'duhok' WHERE id = %d" % eid)
    assert wait_for(carol, "/b/halabja",
                    lambda t: 'href="/events/%d"' % eid not in t, 2)
    # Another language, its own copy.
    ckb = Client(one.base, lang="ckb").get("/b/duhok").text
    assert 'href="/events/%d"' % eid in ckb and "Coming events" not in ckb
