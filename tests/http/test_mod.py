"""Moderation as counsellors and users meet it: held first posts,
reports, thread tools, suspensions, reset links, the audit log, the
statistics, and who may do what (two accounts per role)."""
import html
import re

from conftest import Client, psql, unique
from test_forum import POST_ID, new_thread, reply


def settings(admin, **values):
    data = {"new_user_holds": "0", "report_threshold": "3",
            "new_user_post_interval": "0", "peer_messages": "0"}
    data.update({k: str(v) for k, v in values.items()})
    r = admin.post("/admin/settings", data, csrf_from="/admin")
    assert r.status_code == 303, r.text[:2000]


def audit_has(action, target):
    return psql("SELECT count(*) FROM audit_log WHERE action = '%s' AND "
                "target = '%s'" % (action, target)) != "0"


def test_held_first_post_invisible_until_approved(staff, new_client):
    admin = staff("admin")
    mod = staff("moderator")
    settings(admin, new_user_holds=2)
    try:
        newbie, other = new_client(), new_client()
        newbie.register()
        other.register()
        word = "heldword" + unique("")[-6:]
        tid, title = new_thread(newbie, "erbil", body="Is there work? " + word)
        # The author sees it, marked as awaiting approval.
        mine = newbie.get("/t/%d" % tid)
        assert mine.status_code == 200 and "Awaiting approval" in mine.text
        # Nobody else does: not the thread, board, search, feed or API.
        v = Client(newbie.base)
        assert v.get("/t/%d" % tid).status_code == 404
        assert other.get("/t/%d" % tid).status_code == 404
        assert title not in v.get("/b/erbil").text
        assert title not in v.get("/search?q=" + word).text
        assert title not in v.get("/feeds/b/erbil.atom").text
        assert v.get("/api/v1/threads/%d" % tid).status_code == 404
        assert title not in v.get("/").text
        # A counsellor finds it in the queue, with the header count.
        q = mod.get("/mod")
        assert title in q.text
        assert re.search(r'Moderation <span class="count">', q.text)
        pid = int(POST_ID.search(mine.text).group(1))
        r = mod.post("/mod/posts/%d/approve" % pid, {}, csrf_from="/mod")
        assert r.status_code == 303
        assert v.get("/t/%d" % tid).status_code == 200
        assert title in v.get("/b/erbil").text
        assert title in v.get("/search?q=" + word).text
        assert audit_has("post.approve", "post:%d" % pid)
        assert "approved" in newbie.get("/notifications").text
        # A held reply does not notify the thread's author until approved.
        r = reply(other, tid, "a first reply from a new account")
        assert r.status_code == 303
        uid = psql("SELECT id FROM users WHERE username = '%s'" % newbie.name)
        assert psql("SELECT count(*) FROM notifications WHERE user_id = %s "
                    "AND kind = 'reply'" % uid) == "0"
        assert "a first reply" not in v.get("/t/%d" % tid).text
    finally:
        settings(admin)


def test_reject_keeps_text_and_reason(staff, new_client):
    admin, mod = staff("admin"), staff("moderator")
    settings(admin, new_user_holds=1)
    try:
        c = new_client()
        c.register()
        tid, title = new_thread(c, body="my carefully written words")
        pid = int(POST_ID.search(c.get("/t/%d" % tid).text).group(1))
        form = mod.get("/mod/posts/%d/reject" % pid)
        assert form.status_code == 200 and "Reason" in form.text
        # No reason: the form says so and nothing changes.
        r = mod.post("/mod/posts/%d/reject" % pid, {}, csrf_from="/mod")
        assert r.status_code == 422
        r = mod.post("/mod/posts/%d/reject" % pid, {"template": "1"},
                     csrf_from="/mod")
        assert r.status_code == 303
        page = c.get("/t/%d" % tid).text
        assert "my carefully written words" in page
        assert "advertising or spam" in page
        assert audit_has("post.reject", "post:%d" % pid)
        assert Client(c.base).get("/t/%d" % tid).status_code == 404
    finally:
        settings(admin)


def test_three_reports_hide_until_restored(staff, new_client):
    mod = staff("moderator")
    author = new_client()
    author.register()
    tid, _ = new_thread(author, body="a controversial claim")
    pid = int(POST_ID.search(author.get("/t/%d" % tid).text).group(1))
    reporters = [new_client() for _ in range(3)]
    for i, r in enumerate(reporters):
        r.register()
        assert r.get("/p/%d/report" % pid).status_code == 200
        resp = r.post("/p/%d/report" % pid, {"reason": "this is wrong %d" % i},
                      csrf_from="/p/%d/report" % pid)
        assert resp.status_code == 200
        visible = "a controversial claim" in Client(r.base).get(
            "/t/%d" % tid).text
        assert visible == (i < 2)
    # The same person reporting twice counts once.
    reporters[0].post("/p/%d/report" % pid, {"reason": "again"},
                      csrf_from="/")
    assert "3" in psql("SELECT count(*) FROM reports WHERE "
                       "target_kind = 'post' AND target_id = %d"
                       % pid)
    assert "a controversial claim" in author.get("/t/%d" % tid).text
    q = mod.get("/mod").text
    assert "this is wrong 0" in q and "hidden until you decide" in q
    r = mod.post("/mod/posts/%d/restore" % pid, {}, csrf_from="/mod")
    assert r.status_code == 303
    assert "a controversial claim" in Client(author.base).get(
        "/t/%d" % tid).text
    assert audit_has("post.restore", "post:%d" % pid)
    assert psql("SELECT count(*) FROM reports WHERE target_kind = 'post' "
                "AND target_id = %d AND resolved_at IS NULL" % pid) == "0"


def test_report_needs_reason_and_cannot_be_own(new_client):
    a, b = new_client(), new_client()
    a.register()
    b.register()
    tid, _ = new_thread(a)
    pid = int(POST_ID.search(a.get("/t/%d" % tid).text).group(1))
    r = b.post("/p/%d/report" % pid, {"reason": ""}, csrf_from="/")
    assert r.status_code == 422
    a.post("/p/%d/report" % pid, {"reason": "my own"}, csrf_from="/")
    assert psql("SELECT count(*) FROM reports WHERE "
                       "target_kind = 'post' AND target_id = %d" % pid) \
        == "0"


def test_thread_tools(staff, new_client):
    mod = staff("moderator")
    c = new_client()
    c.register()
    tid, title = new_thread(c, "erbil")
    for action in ("lock", "pin"):
        r = mod.post("/mod/threads/%d/%s" % (tid, action), {},
                     csrf_from="/t/%d" % tid)
        assert r.status_code == 303
        assert audit_has("thread." + action, "thread:%d" % tid)
    page = Client(c.base).get("/t/%d" % tid).text
    assert "locked" in page
    board = Client(c.base).get("/b/erbil").text
    assert board.index(title) < board.index("</ol>")
    assert reply(c, tid, "after the lock").status_code == 403
    # Move to Duhok.
    assert mod.get("/mod/threads/%d/move" % tid).status_code == 200
    r = mod.post("/mod/threads/%d/move" % tid, {"board": "duhok"},
                 csrf_from="/t/%d" % tid)
    assert r.status_code == 303
    assert title in Client(c.base).get("/b/duhok").text
    assert title not in Client(c.base).get("/b/erbil").text
    assert mod.post("/mod/threads/%d/move" % tid, {"board": "nowhere"},
                    csrf_from="/").status_code == 422
    # Hide needs a reason, then the thread is gone for others.
    assert mod.post("/mod/threads/%d/hide" % tid, {},
                    csrf_from="/").status_code == 422
    r = mod.post("/mod/threads/%d/hide" % tid, {"reason": "duplicate"},
                 csrf_from="/")
    assert r.status_code == 303
    assert Client(c.base).get("/t/%d" % tid).status_code == 404
    mod.post("/mod/threads/%d/restore" % tid, {}, csrf_from="/")
    assert Client(c.base).get("/t/%d" % tid).status_code == 200


def test_official_answer_shown_first(staff, new_client):
    mod = staff("moderator")
    c, d = new_client(), new_client()
    c.register()
    d.register()
    tid, _ = new_thread(c, body="the question")
    reply(d, tid, "an ordinary reply")
    reply(mod, tid, "the counsellor's answer")
    posts = psql("SELECT id, author_id FROM posts WHERE thread_id = %d "
                 "ORDER BY seq" % tid).split("\n")
    ordinary = int(posts[1].split("|")[0])
    answer = int(posts[2].split("|")[0])
    r = mod.post("/mod/posts/%d/official" % ordinary, {}, csrf_from="/")
    assert r.status_code == 422
    r = mod.post("/mod/posts/%d/official" % answer, {}, csrf_from="/")
    assert r.status_code == 303
    page = Client(c.base).get("/t/%d" % tid).text
    assert page.index("the question") < page.index("the counsellor") < \
        page.index("an ordinary reply")
    assert "Official answer" in page


def test_suspension(staff, new_client):
    mod = staff("moderator")
    c = new_client()
    c.register()
    tid, _ = new_thread(c)
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    assert mod.get("/mod/users/%s/suspend" % uid).status_code == 200
    r = mod.post("/mod/users/%s/suspend" % uid, {"until": "2020-01-01",
                 "reason": "too early"}, csrf_from="/mod")
    assert r.status_code == 422
    # A day that is not one, or one with more after it (what a scanner
    # sends), is the moderator's mistake: the form comes back with the
    # day and the reason typed, never a server error.
    for day in ("2099-02-30", "2099-12-31'--", "2099-13-01", "tomorrow"):
        r = mod.post("/mod/users/%s/suspend" % uid, {
            "until": day, "reason": "spam links <again>"}, csrf_from="/mod")
        assert r.status_code == 422, day
        assert 'name="until"' in r.text and "spam links &lt;again&gt;" \
            in r.text
        assert html.escape(day, quote=True).replace("&#x27;", "&#39;") \
            in r.text
    assert psql("SELECT suspended_until IS NULL FROM users WHERE id = %s"
                % uid) == "t"
    r = mod.post("/mod/users/%s/suspend" % uid, {"until": "2099-12-31",
                 "reason": "repeated insults"}, csrf_from="/mod")
    assert r.status_code == 303
    assert audit_has("user.suspend", "user:%s" % uid)
    # The session is gone: the next post is refused, and so is signing in,
    # with the reason and the end date.
    r = c.post("/t/%d/reply" % tid, {"body": "still here?"}, csrf_from="/")
    assert r.status_code in (303, 403)
    assert r.status_code != 303 or "/login" in r.headers["Location"]
    assert psql("SELECT count(*) FROM posts WHERE body_md = 'still here?'") \
        == "0"
    r = c.login()
    assert r.status_code == 403
    assert "repeated insults" in r.text and "2099-12-31" in r.text
    mod.post("/mod/users/%s/unsuspend" % uid, {}, csrf_from="/mod")
    assert c.login().status_code == 303
    # A moderator cannot suspend another moderator.
    other = staff("moderator")
    oid = psql("SELECT id FROM users WHERE username = '%s'" % other.name)
    r = mod.post("/mod/users/%s/suspend" % oid, {"until": "2099-12-31",
                 "reason": "x"}, csrf_from="/mod")
    assert r.status_code == 422


def test_reset_link(staff, new_client, server):
    mod = staff("moderator")
    c = new_client()
    c.register()
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    page = mod.post("/mod/users/%s/reset" % uid, {}, csrf_from="/mod")
    assert page.status_code == 200
    link = re.search(r"(/reset/[0-9a-f]{64})<", page.text).group(1)
    assert audit_has("user.reset_link", "user:%s" % uid)
    v = Client(server.base)
    assert v.get(link).status_code == 200
    r = v.post(link, {"password": "a brand new passphrase"}, csrf_from=link)
    assert r.status_code == 303
    assert c.login(password="a brand new passphrase").status_code == 303
    # Single use.
    assert Client(server.base).get(link).status_code == 404
    assert Client(server.base).get("/reset/" + "0" * 64).status_code == 404


def test_audit_and_stats_pages(staff, new_client):
    new_client().register()
    mod = staff("moderator")
    r = mod.get("/mod/audit?action=post.")
    assert r.status_code == 200
    s = mod.get("/mod/stats")
    assert s.status_code == 200 and "Median minutes" in s.text
    # The monthly series are drawn on the server, labelled, without script.
    # Five monthly series and the outcomes' funnel (issue 21, item 6).
    assert s.text.count("<svg") == 6
    assert 'role="img" aria-label="New returnees"' in s.text
    assert "<script" not in s.text
    # The totals and boards read in the reader's words, not the
    # database's keys or slugs.
    ckb = mod.get("/mod/stats", headers={"Accept-Language": "ckb"}).text
    totals = ckb[ckb.index("<h2>", ckb.index("<h2>") + 1):]
    for key in ("returnee", "employer", "published", "duhok", "erbil",
                " · -"):
        assert key not in totals, key
    assert "گەڕاوە" in totals
    assert "هەژمارەکان" in totals
    csv = mod.get("/mod/stats.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.text.strip().split("\r\n")
    assert len(lines) == 13
    assert len(lines[0].split(",")) == 12
    cells = lines[-1].split(",")
    month, returnees = cells[:2]
    assert int(returnees) == int(psql(
        "SELECT count(*) FROM users WHERE role = 'returnee' AND "
        "to_char(created_at, 'YYYY-MM') = '%s'" % month))
    assert int(cells[8]) == int(psql(
        "SELECT count(*) FROM applications WHERE "
        "to_char(created_at, 'YYYY-MM') = '%s'" % month))
    # The audit log refuses change even from the database role.
    import subprocess
    import os
    out = subprocess.run(["psql", os.environ["MAGNET_TEST_DB"], "-c",
                          "DELETE FROM audit_log"], capture_output=True,
                         text=True)
    assert "append-only" in out.stderr


MOD_GETS = ["/mod", "/mod/users", "/mod/audit", "/mod/stats",
            "/mod/stats.csv"]
ADMIN_GETS = ["/admin", "/admin/boards/erbil"]


def test_access_two_accounts_per_role(staff, new_client):
    people = {}
    for role in ("returnee", "employer"):
        people[role] = []
        for _ in range(2):
            c = new_client()
            c.register(role=role)
            people[role].append(c)
    people["moderator"] = [staff("moderator"), staff("moderator")]
    people["admin"] = [staff("admin"), staff("admin")]
    visitor = new_client()
    for path in MOD_GETS + ADMIN_GETS:
        r = visitor.get(path)
        assert r.status_code == 303 and "/login" in r.headers["Location"]
    for role, clients in people.items():
        for c in clients:
            for path in MOD_GETS:
                want = 200 if role in ("moderator", "admin") else 403
                assert c.get(path).status_code == want, (role, path)
            for path in ADMIN_GETS:
                want = 200 if role == "admin" else 403
                assert c.get(path).status_code == want, (role, path)
    # Actions too.
    author = people["returnee"][0]
    tid, _ = new_thread(author)
    pid = int(POST_ID.search(author.get("/t/%d" % tid).text).group(1))
    for c in people["returnee"] + people["employer"]:
        for path in ("/mod/posts/%d/hide" % pid, "/mod/threads/%d/lock" % tid,
                     "/mod/posts/%d/approve" % pid):
            assert c.post(path, {"reason": "x"},
                          csrf_from="/").status_code == 403
    # A moderator cannot manage moderators or settings.
    m = people["moderator"][0]
    other = psql("SELECT id FROM users WHERE username = '%s'"
                 % people["moderator"][1].name)
    assert m.post("/admin/users/%s/role" % other, {"role": "returnee"},
                  csrf_from="/").status_code == 403
    assert m.post("/admin/settings", {"new_user_holds": "9"},
                  csrf_from="/").status_code == 403
    # An admin can, and it is audited.
    a = people["admin"][0]
    r = a.post("/admin/users/%s/role" % other, {"role": "returnee"},
               csrf_from="/admin")
    assert r.status_code == 303
    assert audit_has("user.role", "user:%s" % other)
    assert people["moderator"][1].get("/mod").status_code in (303, 403)


def test_admin_edits_board(staff):
    a = staff("admin")
    # The Bahdini name and description stay as they were (a later test
    # reads every page in Bahdini).
    kmr = psql("SELECT name || '|' || description FROM board_names n JOIN "
               "boards b ON b.id = n.board_id WHERE b.slug = 'halabja' AND "
               "n.lang = 'kmr-Arab'").split("|")
    r = a.post("/admin/boards/halabja", {"position": "5", "name_en": "Halabja",
               "description_en": "Halabja and around",
               "name_ckb": "هەڵەبجە", "description_ckb": "",
               "name_ar": "حلبجة", "name_kmr-Arab": kmr[0],
               "description_kmr-Arab": kmr[1]},
               csrf_from="/admin/boards/halabja")
    assert r.status_code == 303
    assert "Halabja and around" in Client(a.base).get("/").text
    assert audit_has("board.edit", "board:halabja")
    assert a.post("/admin/boards/halabja", {"position": "5", "name_en": ""},
                  csrf_from="/").status_code == 422


def test_export_and_delete_account(new_client, staff):
    import json
    c = new_client()
    c.register()
    tid, title = new_thread(c, body="my words stay readable")
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    psql("INSERT INTO returnee_profiles (user_id, governorate, occupation) "
         "VALUES (%s, 'duhok', 'electrician')" % uid)
    data = json.loads(c.get("/account/export").text)
    assert data["forum"]["account"]["username"] == c.name
    assert data["forum"]["threads"][0]["title"] == title
    assert data["jobs"]["profile"]["occupation"] == "electrician"
    assert c.post("/account/delete", {"password": "not the password"},
                  csrf_from="/account/delete").status_code == 422
    r = c.post("/account/delete", {"password": c.password},
               csrf_from="/account/delete")
    assert r.status_code == 303
    assert not c.signed_in()
    page = Client(c.base).get("/t/%d" % tid).text
    assert "my words stay readable" in page and "deleted user" in page
    assert c.name not in page
    assert psql("SELECT count(*) FROM returnee_profiles WHERE user_id = %s"
                % uid) == "0"
    assert psql("SELECT count(*) FROM sessions WHERE user_id = %s" % uid) \
        == "0"
    assert audit_has("user.delete", "user:%s" % uid)
    assert c.login().status_code == 400


def test_report_a_vacancy(new_client, staff):
    from test_jobs import published
    mod = staff("moderator")
    emp, vid = published(new_client, mod)
    title = psql("SELECT title FROM vacancies WHERE id = %d" % vid)
    # The enterprise does not report its own vacancy.
    assert emp.post("/jobs/%d/report" % vid, {"reason": "mine"},
                    csrf_from="/").status_code == 200
    assert psql("SELECT count(*) FROM reports WHERE target_kind = "
                "'vacancy' AND target_id = %d" % vid) == "0"
    r = new_client()
    r.register()
    page = r.get("/jobs/%d" % vid)
    assert 'href="/jobs/%d/report"' % vid in page.text
    assert r.post("/jobs/%d/report" % vid, {"reason": ""},
                  csrf_from="/jobs/%d/report" % vid).status_code == 422
    ok = r.post("/jobs/%d/report" % vid, {"reason": "asks for a fee"},
                csrf_from="/jobs/%d/report" % vid)
    assert ok.status_code == 200
    q = mod.get("/mod").text
    assert "asks for a fee" in q and title in q
    d = mod.post("/mod/vacancies/%d/dismiss" % vid, {}, csrf_from="/mod")
    assert d.status_code == 303
    assert "asks for a fee" not in mod.get("/mod").text
    assert audit_has("vacancy.reports_dismissed", "vacancy:%d" % vid)
    assert r.post("/mod/vacancies/%d/dismiss" % vid, {},
                  csrf_from="/").status_code == 403


def test_user_card_shows_dates(staff, new_client):
    """A counsellor's card of a suspended user, in English and Sorani.
    Found by the access sweep of tests/security: the English dates
    pointed into a freed result (heap-use-after-free under ASan)."""
    mod = staff("moderator")
    c = new_client()
    c.register()
    uid = psql("SELECT id FROM users WHERE username = '%s'" % c.name)
    since = psql("SELECT to_char(created_at AT TIME ZONE 'Asia/Baghdad', "
                 "'YYYY-MM-DD') FROM users WHERE id = %s" % uid)
    r = mod.post("/mod/users/%s/suspend" % uid, {"until": "2099-12-31",
                 "reason": "card test"}, csrf_from="/mod")
    assert r.status_code == 303
    page = mod.get("/mod/users/%s" % uid)
    assert page.status_code == 200
    # The dates are <time> elements: read the text around them.
    text = re.sub(r"</?time[^>]*>", "", page.text)
    assert "Member since: " + since in text
    assert "Suspended until 2099-12-31" in text
    page = mod.get("/mod/users/%s" % uid, headers={"Accept-Language": "ckb"})
    assert page.status_code == 200
    assert "\u0662\u0660\u0669\u0669-\u0661\u0662-\u0663\u0661" in page.text


def test_counsellor_cannot_lift_suspension_of_counsellor(staff):
    """Only an admin suspends a counsellor, so only an admin lifts it.
    Found by the access sweep of tests/security: /unsuspend had no such
    check."""
    admin, mod, other = staff("admin"), staff("moderator"), staff("moderator")
    oid = psql("SELECT id FROM users WHERE username = '%s'" % other.name)
    r = admin.post("/mod/users/%s/suspend" % oid, {"until": "2099-12-31",
                   "reason": "on leave"}, csrf_from="/mod")
    assert r.status_code == 303
    r = mod.post("/mod/users/%s/unsuspend" % oid, {}, csrf_from="/mod")
    assert r.status_code == 403
    assert psql("SELECT suspended_until > now() FROM users WHERE id = %s"
                % oid) == "t"
    assert not audit_has("user.unsuspend", "user:%s" % oid)
    r = admin.post("/mod/users/%s/unsuspend" % oid, {}, csrf_from="/mod")
    assert r.status_code == 303
    assert psql("SELECT suspended_until IS NULL FROM users WHERE id = %s"
                % oid) == "t"


def test_hidden_post_is_404_at_its_link(staff, new_client):
    """/p/{id} answers for a post as the thread page shows it: a held,
    rejected or report-hidden reply in a published thread is 404 to a
    visitor and to other members (not a redirect that says where it is),
    and found by its author and by counsellors; so is its report form."""
    mod = staff("moderator")
    author, replier, other = new_client(), new_client(), new_client()
    for c in (author, replier, other):
        c.register()
    tid, title = new_thread(author, body="an open question")
    pids = {}
    for state in ("held", "rejected", "hidden", "published"):
        r = reply(replier, tid, "a reply that is %s" % state)
        assert r.status_code == 303
        pid = int(re.search(r"#p(\d+)$", r.headers["Location"]).group(1))
        psql("UPDATE posts SET state = '%s' WHERE id = %d" % (state, pid))
        pids[state] = pid
    visitor = Client(author.base)
    for state, pid in pids.items():
        seen = state == "published"
        for c in (visitor, other, author):
            r = c.get("/p/%d" % pid)
            assert r.status_code == (303 if seen else 404), (state, r)
            assert ("#p%d" % pid in r.headers.get("Location", "")) == seen
            assert "page=" not in r.text
        for c in (replier, mod):
            r = c.get("/p/%d" % pid)
            assert r.status_code == 303, (state, r.status_code)
        form = other.get("/p/%d/report" % pid)
        assert form.status_code == (200 if seen else 404), state
        assert ("a reply that is %s" % state in form.text) == seen
    # A published post of a thread that is no longer public: the same.
    psql("UPDATE threads SET state = 'hidden' WHERE id = %d" % tid)
    try:
        pid = pids["published"]
        assert visitor.get("/p/%d" % pid).status_code == 404
        for c in (other, replier):
            assert c.get("/p/%d" % pid).status_code == 404
            form = c.get("/p/%d/report" % pid)
            assert form.status_code == 404
            assert title not in form.text
        r = other.post("/p/%d/report" % pid, {"reason": "spam"},
                       csrf_from="/")
        assert psql("SELECT count(*) FROM reports WHERE "
                       "target_kind = 'post' AND target_id = %d"
                    % pid) == "0", r.status_code
        assert mod.get("/p/%d" % pid).status_code == 303
    finally:
        psql("UPDATE threads SET state = 'published' WHERE id = %d" % tid)


def test_user_search_folds_like_names(staff, new_client):
    """The counsellors' name search folds what is typed as names are
    folded (Arabic or Persian yeh, any digits), and _ is no wildcard."""
    mod = staff("moderator")
    tag = unique("")[-6:]
    u = new_client()
    u.register(name="\u0639\u0644\u06cc_\u06f7" + tag)
    r = mod.get("/mod/users", params={"q": "\u0639\u0644\u064a_7" + tag})
    assert r.status_code == 200 and u.name in r.text
    r = mod.get("/mod/users", params={"q": "\u0639\u0644\u064ax7"})
    assert u.name not in r.text
