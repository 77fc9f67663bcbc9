"""Following the forum (issue 22) with two and three accounts: watching
and muting threads, watching a board, @mentions (in Sorani, in a held
post, after an edit, over the limit), and what is new since the last
visit (markers, the jump to the first unread post, "mark board read")."""
import re

from conftest import Client, psql, unique
from test_forum import POST_ID, new_thread, reply
from test_mod import settings


def uid(c):
    return psql("SELECT id FROM users WHERE username = '%s'" % c.name)


def notes(c, kind=None, tid=None):
    """How many notifications c has (of a kind, about a thread)."""
    sql = "SELECT count(*) FROM notifications WHERE user_id = %s" % uid(c)
    if kind:
        sql += " AND kind = '%s'" % kind
    if tid:
        sql += " AND thread_id = %d" % tid
    return int(psql(sql))


def watch(c, tid, level):
    r = c.post("/t/%d/watch" % tid, {"level": level},
               csrf_from="/t/%d" % tid)
    assert r.status_code == 303, (r.status_code, r.text[:1000])


def test_watching_and_muting_a_thread(new_client):
    alice, bob, carol = new_client(), new_client(), new_client()
    for c in (alice, bob, carol):
        c.register()
    tid, _ = new_thread(alice, "erbil")
    # Bob replies: the author hears of it, and Bob now watches too.
    assert reply(bob, tid, "A first answer.").status_code == 303
    assert notes(alice, "reply", tid) == 1
    page = bob.get("/t/%d" % tid).text
    assert "You are watching this thread" in page
    # Carol, a reader, watches the thread from its page.
    page = carol.get("/t/%d" % tid).text
    assert 'value="watch"' in page and "Watch this thread" in page
    watch(carol, tid, "watch")
    assert "You are watching this thread" in carol.get("/t/%d" % tid).text
    assert reply(alice, tid, "Thank you, Bob.").status_code == 303
    assert notes(bob, "watch_reply", tid) == 1
    assert notes(carol, "watch_reply", tid) == 1
    assert notes(alice, tid=tid) == 1  # not of her own reply
    # The reader's language: the sentence of the new kind in Sorani.
    carol.post("/lang", {"lang": "ckb", "next": "/notifications"},
               csrf_from="/")
    shown = carol.get("/notifications").text
    assert 'lang="ckb"' in shown and "replied in" not in shown
    assert "بابەتێک کە چاودێری دەکەیت" in shown
    # Muting stops everything from the thread, even the author's replies
    # and mentions; watching again brings the replies back.
    watch(carol, tid, "mute")
    watch(bob, tid, "mute")
    assert "ئەم بابەتەت بێدەنگ کردووە" in carol.get("/t/%d" % tid).text
    r = reply(alice, tid, "Anyone else? @%s @%s" % (carol.name, bob.name))
    assert r.status_code == 303
    assert notes(carol, tid=tid) == 1 and notes(bob, tid=tid) == 1
    watch(carol, tid, "watch")
    assert reply(alice, tid, "One more.").status_code == 303
    assert notes(carol, tid=tid) == 2 and notes(bob, tid=tid) == 1
    # Stopping watching: no more replies, no mute either.
    watch(carol, tid, "none")
    assert reply(alice, tid, "And one more.").status_code == 303
    assert notes(carol, tid=tid) == 2
    # Bad level and thread: refused.
    r = carol.post("/t/%d/watch" % tid, {"level": "loud"},
                   csrf_from="/t/%d" % tid)
    assert r.status_code == 400
    r = carol.post("/t/999999999/watch", {"level": "watch"},
                   csrf_from="/t/%d" % tid)
    assert r.status_code == 404


def test_watching_a_board(new_client):
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    page = bob.get("/b/halabja").text
    assert "Watch this board" in page
    r = bob.post("/b/halabja/watch", {"level": "watch"},
                 csrf_from="/b/halabja")
    assert r.status_code == 303
    assert "You are watching this board" in bob.get("/b/halabja").text
    tid, _ = new_thread(alice, "halabja")
    assert notes(bob, "board_thread", tid) == 1
    assert reply(alice, tid, "More details.").status_code == 303
    assert notes(bob, "board_reply", tid) == 1
    # Another board says nothing to Bob; nor does Alice hear of herself.
    other, _ = new_thread(alice, "erbil")
    assert notes(bob, tid=other) == 0
    assert notes(alice) == 0
    r = bob.post("/b/halabja/watch", {"level": "none"},
                 csrf_from="/b/halabja")
    assert r.status_code == 303
    tid2, _ = new_thread(alice, "halabja")
    assert notes(bob, tid=tid2) == 0


def test_mention_in_sorani_links_and_notifies_once(new_client):
    aras, bob, carol = new_client(), new_client(), new_client()
    aras.register(name="ئاراس" + unique("")[-6:])
    bob.register()
    carol.register()
    tid, _ = new_thread(bob, "duhok")
    # Written with the Arabic yeh and kaf where the name has the Kurdish
    # ones would still be the same person; here as typed, in a sentence.
    body = "سڵاو @%s، تکایە یارمەتیم بدە. `@%s` لە کۆددا نییە." % (
        aras.name, carol.name)
    r = reply(bob, tid, body)
    assert r.status_code == 303
    assert notes(aras, "mention", tid) == 1
    assert notes(carol, tid=tid) == 0  # inside code: no mention
    page = Client(bob.base).get("/t/%d" % tid).text
    link = re.search(r'<a class="mention" href="/u/(\d+)">@([^<]+)</a>',
                     page)
    assert link and link.group(1) == uid(aras) and link.group(2) == aras.name
    card = Client(bob.base).get("/u/%s" % uid(aras))
    assert card.status_code == 200 and aras.name in card.text
    assert Client(bob.base).get("/u/999999999").status_code == 404
    # An edit keeps the mention without telling Aras again; a name added
    # by the edit is told once.
    pid = int(re.search(r"#p(\d+)", r.headers["Location"]).group(1))
    r = bob.post("/p/%d/edit" % pid, {"body": body + " @" + carol.name},
                 csrf_from="/p/%d/edit" % pid)
    assert r.status_code == 303
    assert notes(aras, tid=tid) == 1
    assert notes(carol, "mention", tid) == 1
    r = bob.post("/p/%d/edit" % pid, {"body": body + " @" + carol.name +
                 " !"}, csrf_from="/p/%d/edit" % pid)
    assert notes(carol, tid=tid) == 1
    # Oneself and unknown names: no link, no notification, no error.
    r = reply(bob, tid, "@%s and @nobody%s" % (bob.name, unique("")))
    assert r.status_code == 303
    assert notes(bob) == 0


def test_mentions_per_post_are_limited(new_client):
    writer = new_client()
    writer.register()
    named = []
    for _ in range(11):
        c = new_client()
        c.register()
        named.append(c)
    tid, _ = new_thread(writer, "erbil")
    r = reply(writer, tid, " ".join("@" + c.name for c in named))
    assert r.status_code == 303
    told = [notes(c, "mention", tid) for c in named]
    assert told == [1] * 10 + [0]
    page = writer.get("/t/%d" % tid).text
    assert page.count('class="mention"') == 10


def test_held_mention_notifies_at_approval(staff, new_client):
    admin, mod = staff("admin"), staff("moderator")
    author, newbie, carol = new_client(), new_client(), new_client()
    author.register()
    carol.register()
    tid, _ = new_thread(author, "erbil")
    settings(admin, new_user_holds=2)
    try:
        newbie.register()
        r = reply(newbie, tid, "سڵاو @%s، ئەمە چاوەڕێ دەکات" % carol.name)
        assert r.status_code == 303
        pid = int(re.search(r"#p(\d+)", r.headers["Location"]).group(1))
        assert psql("SELECT state FROM posts WHERE id = %d" % pid) == "held"
        # Held: nobody hears of it, neither the mentioned nor the author.
        assert notes(carol) == 0
        assert notes(author, tid=tid) == 0
        r = mod.post("/mod/posts/%d/approve" % pid, {}, csrf_from="/mod")
        assert r.status_code == 303
        assert notes(carol, "mention", tid) == 1
        assert notes(author, "reply", tid) == 1
        # Approving again (or a restore) tells nobody twice.
        psql("SELECT magnet_forum_notify(%d, false)" % pid)
        assert notes(carol, tid=tid) == 1 and notes(author, tid=tid) == 1
    finally:
        settings(admin)


def test_hidden_post_mentions_nobody(staff, new_client):
    bob, carol = new_client(), new_client()
    bob.register()
    carol.register()
    tid, _ = new_thread(bob, "erbil")
    r = reply(bob, tid, "first text")
    pid = int(re.search(r"#p(\d+)", r.headers["Location"]).group(1))
    psql("UPDATE posts SET state = 'hidden' WHERE id = %d" % pid)
    r = bob.post("/p/%d/edit" % pid, {"body": "now naming @" + carol.name},
                 csrf_from="/p/%d/edit" % pid)
    assert r.status_code == 303
    assert notes(carol) == 0


def test_unread_markers_and_jump_to_first_unread(new_client):
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    tid, title = new_thread(alice, "sulaymaniyah")
    assert reply(alice, tid, "reply one").status_code == 303
    # Bob opens the thread: nothing new for him.
    bob.get("/t/%d" % tid)
    board = bob.get("/b/sulaymaniyah").text
    assert "/t/%d?unread=1" % tid not in board
    r2 = reply(alice, tid, "reply two")
    reply(alice, tid, "reply three")
    first_new = re.search(r"#p(\d+)", r2.headers["Location"]).group(1)
    board = bob.get("/b/sulaymaniyah").text
    m = re.search(r'href="/t/%d\?unread=1">New replies: (\d+)<' % tid, board)
    assert m and m.group(1) == "2", board[:200]
    # A visitor sees no marker; Alice, who wrote them, neither.
    assert "?unread=1" not in Client(bob.base).get("/b/sulaymaniyah").text
    assert "/t/%d?unread=1" % tid not in alice.get("/b/sulaymaniyah").text
    # The marker's link goes to the first unread post.
    r = bob.get("/t/%d?unread=1" % tid)
    assert r.status_code == 303
    assert r.headers["Location"] == "/t/%d?page=1#p%s" % (tid, first_new)
    bob.get(r.headers["Location"].split("#")[0])
    assert "/t/%d?unread=1" % tid not in bob.get("/b/sulaymaniyah").text
    # Mark board read: markers go, and the per-thread marks with them.
    reply(alice, tid, "reply four")
    assert "/t/%d?unread=1" % tid in bob.get("/b/sulaymaniyah").text
    r = bob.post("/b/sulaymaniyah/read", {}, csrf_from="/b/sulaymaniyah")
    assert r.status_code == 303
    assert "/t/%d?unread=1" % tid not in bob.get("/b/sulaymaniyah").text
    assert psql("SELECT count(*) FROM thread_reads WHERE user_id = %s "
                "AND thread_id = %d" % (uid(bob), tid)) == "0"
    # Opened again, then a new reply: marked again.
    bob.get("/t/%d" % tid)
    reply(alice, tid, "reply five")
    assert "/t/%d?unread=1" % tid in bob.get("/b/sulaymaniyah").text
    # In Sorani, the label is translated and the count in Sorani digits.
    bob.post("/lang", {"lang": "ckb", "next": "/b/sulaymaniyah"},
             csrf_from="/")
    page = bob.get("/b/sulaymaniyah").text
    assert "New replies" not in page and "١" in page


def thank(c, tid, pid):
    return c.post("/t/%d/thank" % tid, {"post": str(pid)},
                  csrf_from="/t/%d" % tid)


def test_thanks_counted_once_digest_and_well_answered(staff, new_client):
    mod = staff("moderator")
    asker, helper, readers = new_client(), new_client(), []
    asker.register()
    helper.register()
    for _ in range(3):
        c = new_client()
        c.register()
        readers.append(c)
    tid, title = new_thread(asker, "duhok")
    r = reply(helper, tid, "Try the employment office.")
    pid = int(re.search(r"#p(\d+)", r.headers["Location"]).group(1))
    # One form outside the posts; the button in the post names it.
    page = asker.get("/t/%d" % tid).text
    assert '<form id="thank" method="post"' in page
    assert 'form="thank" name="post" value="%d"' % pid in page
    # The question itself, and one's own reply, cannot be thanked.
    first = int(POST_ID.search(page).group(1))
    assert thank(readers[0], tid, first).status_code == 404
    assert thank(helper, tid, pid).status_code == 404
    assert 'value="%d"' % pid not in helper.get("/t/%d" % tid).text
    # Thanked once, whatever the number of presses: a second takes it back.
    r = thank(asker, tid, pid)
    assert r.status_code == 303 and "thanked=1" in r.headers["Location"]
    assert "You thanked this reply" in asker.get(
        r.headers["Location"].split("#")[0]).text
    assert psql("SELECT thanks FROM posts WHERE id = %d" % pid) == "1"
    r = thank(asker, tid, pid)
    assert "thanked=0" in r.headers["Location"]
    assert psql("SELECT thanks FROM posts WHERE id = %d" % pid) == "0"
    thank(asker, tid, pid)
    for c in readers:
        assert thank(c, tid, pid).status_code == 303
    assert psql("SELECT thanks FROM posts WHERE id = %d" % pid) == "4"
    assert psql("SELECT count(*) FROM post_thanks WHERE post_id = %d"
                % pid) == "4"
    # The author: one notification for all of them, "and others".
    assert notes(helper, "thanks", tid) + notes(helper, "thanks_more",
                                                tid) == 1
    assert "and others thanked you" in helper.get("/notifications").text
    # The count shows to everyone.
    assert "Thanks: 4" in Client(asker.base).get("/t/%d" % tid).text
    # A returnee's reply with many thanks is no "well answered" thread...
    board = Client(asker.base).get("/b/duhok").text
    assert "Well answered" not in board
    # ... a counsellor's is.
    r = reply(mod, tid, "The office is open on Sundays.")
    mid = int(re.search(r"#p(\d+)", r.headers["Location"]).group(1))
    for c in readers:
        thank(c, tid, mid)
    board = Client(asker.base).get("/b/duhok").text
    item = board[board.index('href="/t/%d"' % tid):][:600]
    assert "Well answered" in item
    thank(readers[0], tid, mid)
    board = Client(asker.base).get("/b/duhok").text
    item = board[board.index('href="/t/%d"' % tid):][:600]
    assert "Well answered" not in item


def test_board_search_and_author_search(staff, new_client):
    mod = staff("moderator")
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    word = "کارگە" + unique("")[-6:]
    t1, title1 = new_thread(alice, "duhok", body="Looking for " + word)
    t2, title2 = new_thread(bob, "erbil", body="Also " + word)
    v = Client(alice.base)
    # The board's own search box, and its results: that board only.
    board = v.get("/b/duhok").text
    assert 'name="board" value="duhok"' in board
    r = v.get("/search?board=duhok&q=" + word)
    assert r.status_code == 200
    assert title1 in r.text and title2 not in r.text
    assert 'name="board" value="duhok"' in r.text
    everywhere = v.get("/search?q=" + word).text
    assert title1 in everywhere and title2 in everywhere
    assert v.get("/search?board=nowhere&q=x").status_code == 404
    # By author: counsellors only; others' author is ignored.
    r = mod.get("/search?author=%s" % bob.name)
    assert title2 in r.text and title1 not in r.text
    assert 'id="author"' in r.text
    r = mod.get("/search?author=%s&board=duhok" % bob.name)
    assert title2 not in r.text
    r = mod.get("/search?author=nobody%s" % unique(""))
    assert title1 not in r.text and title2 not in r.text
    r = alice.get("/search?author=%s&q=%s" % (bob.name, word))
    assert title1 in r.text and title2 in r.text
    assert 'id="author"' not in r.text


def test_event_file_and_personal_calendar_feed(staff, new_client):
    from test_events import ics_check, ics_parse, ics_text, new_event, \
        prop, sign_up
    mod = staff("moderator")
    eid, title = new_event(mod, title="Job fair; Erbil, " + unique("f"))
    other, _ = new_event(mod)
    v = Client(mod.base)
    # "Add to my calendar": the event alone, valid RFC 5545.
    page = v.get("/events/%d" % eid).text
    assert 'href="/events/%d/ics"' % eid in page
    r = v.get("/events/%d/ics" % eid)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in r.headers["Content-Disposition"]
    events = ics_check(ics_parse(r.content))
    assert len(events) == 1
    ev = list(events.values())[0]
    assert ics_text(prop(ev, "SUMMARY")) == title
    assert v.get("/events/999999999/ics").status_code == 404
    # A personal feed: made on /account, shown once, the events the
    # person signed up to and no other; another person's link is theirs.
    alice, bob = new_client(), new_client()
    alice.register()
    bob.register()
    assert sign_up(alice, eid).status_code == 303
    assert "Make my calendar link" in alice.get("/account").text
    r = alice.post("/account/calendar", {}, csrf_from="/account")
    assert r.status_code == 200
    url = re.search(r"(/feeds/calendar/[0-9a-f]{64}\.ics)", r.text).group(1)
    token = url.split("/")[-1][:64]
    assert psql("SELECT count(*) FROM calendar_feeds WHERE token_hash = "
                "'%s'" % token) == "0"  # only a keyed hash is kept
    assert token not in alice.get("/account").text
    feed = v.get(url)  # no cookie: a calendar program
    assert feed.status_code == 200
    assert "no-store" in feed.headers.get("Cache-Control", "")
    events = ics_check(ics_parse(feed.content))
    assert [ics_text(prop(e, "SUMMARY")) for e in events.values()] == [title]
    assert not any(u.startswith("event-%d@" % other) for u in events)
    # A new link replaces the old; revoking ends it: 404.
    r = alice.post("/account/calendar", {}, csrf_from="/account")
    url2 = re.search(r"(/feeds/calendar/[0-9a-f]{64}\.ics)", r.text).group(1)
    assert v.get(url).status_code == 404
    assert v.get(url2).status_code == 200
    assert "Turn the calendar link off" in alice.get("/account").text
    r = alice.post("/account/calendar/revoke", {}, csrf_from="/account")
    assert r.status_code == 303
    assert v.get(url2).status_code == 404
    assert v.get("/feeds/calendar/" + "0" * 64 + ".ics").status_code == 404
    assert v.get("/feeds/calendar/nothing.ics").status_code == 404
