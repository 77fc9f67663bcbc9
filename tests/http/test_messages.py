"""Private conversations as their users meet them: the counselling inbox,
an employer writing to an applicant, who may write to whom, blocking,
reports and the counsellors' audited reading, rate limits, search,
pages, account deletion, and access with two accounts per role."""
import re

from conftest import Client, psql, unique
from test_forum import new_thread, reply
from test_mod import audit_has, settings

CONV = re.compile(r"^/messages/(\d+)")
MSG_ID = re.compile(r'id="m(\d+)"')


def uid(c):
    return psql("SELECT id FROM users WHERE username = '%s'" % c.name)


def start(c, body="Hello, I need advice about work in Erbil.", to="",
          subject=None, **extra):
    """Start a conversation; returns the response."""
    data = {"to": to, "subject": "Question " + unique("s") if subject is None
            else subject,
            "body": body}
    data.update(extra)
    return c.post("/messages/new", data, csrf_from="/messages/new")


def started(r):
    assert r.status_code == 303, (r.status_code, r.text[:3000])
    m = CONV.match(r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def answer(c, cid, body, csrf_from=None, **extra):
    data = {"body": body}
    data.update(extra)
    return c.post("/messages/%d/reply" % cid, data,
                  csrf_from=csrf_from or "/messages/%d" % cid)


def header_count(c, page=None):
    """The header's count of conversations with unread messages, on
    page (a response's text) or on the home page."""
    m = re.search(r'href="/messages" class="notes-link">Messages'
                  r'(?: <span class="count">(\d+)</span>)?</a>',
                  c.get("/").text if page is None else page)
    assert m, "no messages link in the header"
    return int(m.group(1) or 0)


def test_a_form_that_comes_back_shows_the_header_counts(new_client,
                                                        staff):
    """A form sent reads its session without the header's counts (most
    answers are redirects); one that comes back as a page (an empty
    reply, 422) still shows them, as every page does."""
    ret = new_client()
    ret.register()
    mod1 = staff("moderator")
    cid = started(start(ret, "Is the bakery still hiring?"))
    assert answer(mod1, cid, "Yes, ask for Kak Hemin.").status_code == 303
    assert header_count(ret) == 1
    tid, _ = new_thread(mod1)
    r = reply(ret, tid, "")
    assert r.status_code == 422, (r.status_code, r.text[:2000])
    assert header_count(ret, r.text) == 1


def vacancy_with_application(employer, applicant, status="submitted",
                             state="published"):
    """A published vacancy of the employer's enterprise and the
    applicant's application to it, made in the database directly (the
    job board has its own tests)."""
    vid = psql(
        "WITH v AS (INSERT INTO vacancies (enterprise_id, author_id, kind, "
        "title, description_md, description_html, governorate, sector, "
        "contract, deadline, state, published_at) SELECT enterprise_id, id, "
        "'job', 'Welder " + unique("v") + "', 'Welding.', '<p>Welding.</p>', "
        "'erbil', 'construction', 'full_time', current_date + 30, '%s', "
        "now() FROM users WHERE username = '%s' RETURNING id) "
        "SELECT id FROM v" % (state, employer.name))
    aid = psql(
        "WITH a AS (INSERT INTO applications (vacancy_id, user_id, message, "
        "status) SELECT %s, id, 'I can weld.', '%s' FROM users WHERE "
        "username = '%s' RETURNING id) SELECT id FROM a"
        % (vid, status, applicant.name))
    return int(vid), int(aid)


def people(new_client, staff):
    p = {}
    for role in ("returnee", "employer"):
        p[role] = []
        for _ in range(2):
            c = new_client()
            c.register(role=role)
            p[role].append(c)
    p["moderator"] = [staff("moderator"), staff("moderator")]
    return p


def test_counselling_inbox(new_client, staff):
    ret = new_client()
    ret.register()
    mod1, mod2 = staff("moderator"), staff("moderator")
    form = ret.get("/messages/new")
    assert form.status_code == 200 and "To: the counsellors" in form.text
    word = "counsel" + unique("")[-6:]
    cid = started(start(ret, "Where do I renew my ID card? " + word,
                        subject="ID card " + word))
    # The returnee sees it, marked as shared with every counsellor.
    page = ret.get("/messages/%d" % cid)
    assert page.status_code == 200 and word in page.text
    assert "Any IOM counsellor can read and answer" in page.text
    assert 'dir="auto"' in page.text
    # Every counsellor finds it waiting in the shared inbox.
    assert header_count(mod2) >= 1
    inbox = mod2.get("/messages/counselling")
    assert inbox.status_code == 200 and "ID card " + word in inbox.text
    assert "Waiting for an answer" in inbox.text
    # One counsellor answers under their own name.
    r = answer(mod1, cid, "Go to the civil status office in Ankawa.")
    assert r.status_code == 303
    assert "/messages/%d" % cid in r.headers["Location"]
    assert header_count(ret) == 1
    page = ret.get("/messages/%d" % cid)
    assert "civil status office" in page.text and mod1.name in page.text
    assert "Counsellor" in page.text
    assert header_count(ret) == 0
    # Answered: no longer waiting; the other counsellor reads it too.
    assert psql("SELECT unread FROM conversation_members WHERE "
                "conversation_id = %d AND user_id IS NULL" % cid) == "0"
    other = mod2.get("/messages/%d" % cid)
    assert other.status_code == 200 and mod1.name in other.text
    # The returnee answers back; mod2 answers and the names differ.
    assert answer(ret, cid, "Thank you! Is it open on Fridays?") \
        .status_code == 303
    assert psql("SELECT unread FROM conversation_members WHERE "
                "conversation_id = %d AND user_id IS NULL" % cid) == "1"
    assert answer(mod2, cid, "No, Sunday to Thursday.").status_code == 303
    page = ret.get("/messages/%d" % cid)
    assert mod1.name in page.text and mod2.name in page.text
    # Listed newest first with the other side named.
    lst = ret.get("/messages")
    assert lst.status_code == 200 and "The counsellors" in lst.text
    assert lst.headers["Cache-Control"].startswith("no-store")
    # Reading the inbox is not an audited act: it is the counsellors' own.
    assert not audit_has("message.read", "conversation:%d" % cid)


def test_counsellor_writes_to_anyone_and_marks_answered(new_client, staff):
    mod, mod2 = staff("moderator"), staff("moderator")
    emp = new_client()
    emp.register(role="employer")
    # A counsellor must name someone; an unknown name is refused.
    r = start(mod, "Hello", to="")
    assert r.status_code == 422 and "user name" in r.text
    r = start(mod, "my words stay", to="nobody-" + unique())
    assert r.status_code == 422 and "no account" in r.text
    assert "my words stay" in r.text
    cid = started(start(mod, "Please complete your enterprise details.",
                        to=emp.name, subject="Your enterprise"))
    # The employer is told, and answers; the conversation is shared.
    assert "wrote to you" in emp.get("/notifications").text
    assert answer(emp, cid, "Done, thank you.").status_code == 303
    inbox = mod2.get("/messages/counselling")
    assert "Your enterprise" in inbox.text
    r = mod2.post("/messages/%d/answered" % cid, {},
                  csrf_from="/messages/%d" % cid)
    assert r.status_code == 303
    assert psql("SELECT unread FROM conversation_members WHERE "
                "conversation_id = %d AND user_id IS NULL" % cid) == "0"
    # Counsellor to counsellor is a private, direct conversation.
    did = started(start(mod, "Can you cover Duhok on Monday?", to=mod2.name))
    assert mod2.get("/messages/%d" % did).status_code == 200
    assert staff("moderator").get("/messages/%d" % did).status_code == 404


def test_employer_writes_to_applicant(new_client, staff):
    emp, emp2 = new_client(), new_client()
    emp.register(role="employer")
    emp2.register(role="employer")
    ret, ret2 = new_client(), new_client()
    ret.register()
    ret2.register()
    vid, aid = vacancy_with_application(emp, ret)
    # The employer finds the way in on the vacancy's applications; a
    # counsellor reading the same page has no such link.
    link = 'href="/messages/new?application=%d"' % aid
    assert link in emp.get("/jobs/%d/applications" % vid).text
    assert link not in staff("moderator").get(
        "/jobs/%d/applications" % vid).text
    form = emp.get("/messages/new?application=%d" % aid)
    assert form.status_code == 200
    assert ret.name in form.text and 'name="application"' in form.text
    cid = started(emp.post("/messages/new", {
        "application": str(aid), "subject": "Interview on Sunday",
        "body": "Can you come on Sunday at 10?"},
        csrf_from="/messages/new?application=%d" % aid))
    assert psql("SELECT application_id FROM conversations WHERE id = %d"
                % cid) == str(aid)
    # The applicant is told, reads and answers.
    assert "wrote to you" in ret.get("/notifications").text
    assert header_count(ret) == 1
    page = ret.get("/messages/%d" % cid)
    assert "Sunday at 10" in page.text and "/jobs/%d" % vid in page.text
    assert answer(ret, cid, "Yes, I will come.").status_code == 303
    assert "I will come" in emp.get("/messages/%d" % cid).text
    # The link from the application leads back to the conversation.
    r = emp.get("/messages/new?application=%d" % aid)
    assert r.status_code == 303 and r.headers["Location"] == \
        "/messages/%d" % cid
    # A second employer cannot open it, nor use the application, nor write
    # to the returnee without one.
    assert emp2.get("/messages/%d" % cid).status_code == 404
    assert emp2.get("/messages/new?application=%d" % aid).status_code == 404
    r = emp2.post("/messages/new", {"application": str(aid), "subject":
                  "Hello there", "body": "x"}, csrf_from="/messages/new")
    assert r.status_code == 404
    r = start(emp2, "We have a job for you.", to=ret.name)
    assert r.status_code == 422 and "application" in r.text
    assert "We have a job for you." in r.text
    assert answer(emp2, cid, "intruding").status_code == 404
    # Another returnee cannot either.
    assert ret2.get("/messages/%d" % cid).status_code == 404
    # A returnee cannot start a conversation with an employer.
    r = start(ret, "Do you have other jobs?", to=emp.name)
    assert r.status_code == 422 and "with this name" in r.text
    # A referral works the same way.
    mod = staff("moderator")
    rid = psql("WITH r AS (INSERT INTO referrals (vacancy_id, user_id, "
               "moderator_id) SELECT %d, u.id, m.id FROM users u, users m "
               "WHERE u.username = '%s' AND m.username = '%s' "
               "RETURNING id) SELECT id FROM r" % (vid, ret2.name, mod.name))
    assert 'href="/messages/new?referral=%s"' % rid in emp.get(
        "/jobs/%d/applications" % vid).text
    form = emp.get("/messages/new?referral=" + rid)
    assert form.status_code == 200 and ret2.name in form.text
    rcid = started(emp.post("/messages/new", {
        "referral": rid, "subject": "About the referral",
        "body": "A counsellor referred you to us."},
        csrf_from="/messages/new?referral=" + rid))
    assert ret2.get("/messages/%d" % rcid).status_code == 200
    assert "Referral:" in ret2.get("/messages/%d" % rcid).text
    assert emp2.get("/messages/new?referral=" + rid).status_code == 404


def test_closed_application_keeps_text(new_client):
    emp = new_client()
    emp.register(role="employer")
    ret = new_client()
    ret.register()
    _, aid = vacancy_with_application(emp, ret, status="not_selected")
    form = emp.get("/messages/new?application=%d" % aid)
    assert form.status_code == 200 and "closed" in form.text
    r = emp.post("/messages/new", {"application": str(aid), "subject":
                 "About your application", "body": "my kept words"},
                 csrf_from="/messages/new")
    assert r.status_code == 422
    assert "closed" in r.text and "my kept words" in r.text
    # A closed vacancy closes it too, unless the person was hired.
    _, aid2 = vacancy_with_application(emp, ret, state="closed")
    r = emp.post("/messages/new", {"application": str(aid2), "subject":
                 "Hello again", "body": "x"}, csrf_from="/messages/new")
    assert r.status_code == 422
    _, aid3 = vacancy_with_application(emp, ret, status="hired",
                                       state="closed")
    started(emp.post("/messages/new", {"application": str(aid3), "subject":
                     "Your first day", "body": "Welcome!"},
                     csrf_from="/messages/new"))


def test_peer_rules(new_client, staff):
    admin = staff("admin")
    r1, r2 = new_client(), new_client()
    r1.register()
    r2.register()
    e1, e2 = new_client(), new_client()
    e1.register(role="employer")
    e2.register(role="employer")
    r = start(r1, "Are you also from Sweden?", to=r2.name)
    assert r.status_code == 422 and "with this name" in r.text
    assert "Are you also from Sweden?" in r.text
    assert start(e1, "Shall we cooperate?", to=e2.name).status_code == 422
    assert start(r1, "me again", to=r1.name).status_code == 422
    settings(admin, peer_messages=1)
    try:
        cid = started(start(r1, "Are you also from Sweden?", to=r2.name))
        assert r2.get("/messages/%d" % cid).status_code == 200
        assert staff("moderator").get("/messages/%d" % cid).status_code \
            == 404
        started(start(e1, "Shall we cooperate?", to=e2.name))
        # Still never returnee to employer.
        assert start(r1, "hello", to=e1.name).status_code == 422
    finally:
        settings(admin)


def test_bad_input_keeps_text(new_client):
    c = new_client()
    c.register()
    r = start(c, "", subject="A good subject")
    assert r.status_code == 422 and "required" in r.text
    assert "A good subject" in r.text
    r = start(c, "x" * 8001, subject="Long story")
    assert r.status_code == 422 and "too long" in r.text
    assert "Long story" in r.text
    r = start(c, "short subject", subject="")
    assert r.status_code == 422 and "short subject" in r.text
    r = start(c, "> " * 50 + "deep", subject="Deep")
    assert r.status_code == 422
    cid = started(start(c, "fine"))
    r = answer(c, cid, "")
    assert r.status_code == 422 and "required" in r.text
    r = answer(c, cid, "y" * 8001)
    assert r.status_code == 422 and "y" * 8001 in r.text
    # Preview shows the rendered text and sends nothing.
    r = answer(c, cid, "**bold idea**", preview="1")
    assert r.status_code == 200 and "<strong>bold idea</strong>" in r.text
    assert psql("SELECT count(*) FROM messages WHERE conversation_id = %d"
                % cid) == "1"
    # Hostile markdown is made harmless.
    assert answer(c, cid, "[x](javascript:alert(1)) <script>alert(2)"
                  "</script>").status_code == 303
    page = c.get("/messages/%d" % cid).text
    assert 'href="javascript:' not in page and "<script>alert" not in page


def test_idempotent_resubmit(new_client):
    c = new_client()
    c.register()
    idem, body = "k" + unique(), "only once " + unique()
    r1 = start(c, body, idem=idem)
    r2 = start(c, body, idem=idem)
    assert started(r1) == started(r2)
    assert psql("SELECT count(*) FROM messages WHERE body_md = '%s'"
                % body) == "1"


def test_block(new_client):
    emp = new_client()
    emp.register(role="employer")
    ret = new_client()
    ret.register()
    _, aid = vacancy_with_application(emp, ret)
    cid = started(emp.post("/messages/new", {
        "application": str(aid), "subject": "Your application",
        "body": "Hello"}, csrf_from="/messages/new"))
    page = ret.get("/messages/%d" % cid)
    assert "Block this person" in page.text
    r = ret.post("/messages/%d/block" % cid, {},
                 csrf_from="/messages/%d" % cid)
    assert r.status_code == 303
    # Neither side can write; the text is kept.
    r = answer(emp, cid, "why no answer?")
    assert r.status_code == 422 and "does not accept" in r.text
    assert "why no answer?" in r.text
    r = answer(ret, cid, "hm")
    assert r.status_code == 422 and "Unblock" in r.text
    # Nor start a new one about another application.
    _, aid2 = vacancy_with_application(emp, ret)
    r = emp.post("/messages/new", {"application": str(aid2), "subject":
                 "Another one", "body": "still me"},
                 csrf_from="/messages/new")
    assert r.status_code == 422 and "still me" in r.text
    r = ret.post("/messages/%d/unblock" % cid, {},
                 csrf_from="/messages/%d" % cid)
    assert r.status_code == 303
    assert answer(emp, cid, "hello again").status_code == 303
    # Counsellors cannot be blocked.
    ccid = started(start(ret, "help"))
    assert "Block this person" not in ret.get("/messages/%d" % ccid).text
    assert ret.post("/messages/%d/block" % ccid, {},
                    csrf_from="/messages/%d" % ccid).status_code == 404


def test_report_lets_counsellors_read_audited(new_client, staff):
    mod = staff("moderator")
    emp, emp2 = new_client(), new_client()
    emp.register(role="employer")
    emp2.register(role="employer")
    ret = new_client()
    ret.register()
    _, aid = vacancy_with_application(emp, ret)
    secret = "private-" + unique()
    cid = started(emp.post("/messages/new", {
        "application": str(aid), "subject": "Your application",
        "body": "Send me your home address. " + secret},
        csrf_from="/messages/new"))
    # Before a report, no counsellor can read it, nor search it.
    assert mod.get("/messages/%d" % cid).status_code == 404
    assert "/messages/%d" % cid not in mod.get("/messages?q=" + secret).text
    assert "/messages/%d" % cid in ret.get("/messages?q=" + secret).text
    mid = int(MSG_ID.search(ret.get("/messages/%d" % cid).text).group(1))
    # One's own message cannot be reported; an outsider cannot report.
    assert emp.get("/messages/m/%d/report" % mid).status_code == 404
    assert emp2.get("/messages/m/%d/report" % mid).status_code == 404
    r = ret.post("/messages/m/%d/report" % mid, {"reason": "x"},
                 csrf_from="/messages/m/%d/report" % mid)
    assert r.status_code == 422
    r = ret.post("/messages/m/%d/report" % mid,
                 {"reason": "He asks for my address"},
                 csrf_from="/messages/m/%d/report" % mid)
    assert r.status_code == 303 and "reported=1" in r.headers["Location"]
    assert "Thank you" in ret.get(r.headers["Location"]).text
    # The queue lists it without the private text, oldest first.
    q = mod.get("/mod/messages")
    assert q.status_code == 200 and "He asks for my address" in q.text
    assert secret not in q.text and "/messages/%d" % cid in q.text
    # Reading is allowed now, and written to the audit log.
    page = mod.get("/messages/%d" % cid)
    assert page.status_code == 200 and secret in page.text
    assert "recorded in the audit log" in page.text
    assert audit_has("message.read", "conversation:%d" % cid)
    # Reading is not writing.
    assert answer(mod, cid, "hello").status_code == 403
    assert emp2.get("/messages/%d" % cid).status_code == 404
    # Closing the reports is audited and ends the counsellors' access.
    r = mod.post("/mod/messages/%d/resolve" % cid, {"reason": "warned"},
                 csrf_from="/mod/messages")
    assert r.status_code == 303
    assert audit_has("message.resolve", "conversation:%d" % cid)
    assert mod.get("/messages/%d" % cid).status_code == 404
    assert "He asks for my address" not in mod.get("/mod/messages").text


def test_suspended_cannot_send(new_client, staff):
    c = new_client()
    c.register()
    cid = started(start(c, "first"))
    psql("UPDATE users SET suspended_until = now() + interval '1 day' "
         "WHERE username = '%s'" % c.name)
    try:
        r = answer(c, cid, "still here? " + c.name, csrf_from="/")
        assert r.status_code in (303, 403)
        assert r.status_code != 303 or "/login" in r.headers["Location"]
        assert psql("SELECT count(*) FROM messages WHERE body_md = "
                    "'still here? %s'" % c.name) == "0"
    finally:
        psql("UPDATE users SET suspended_until = NULL WHERE username = "
             "'%s'" % c.name)


def test_rate_limit_keeps_text(new_client, staff):
    admin = staff("admin")
    settings(admin, new_user_post_interval=60)
    try:
        c = new_client()
        c.register()
        started(start(c, "first question"))
        r = start(c, "second question, too soon", subject="Again")
        assert r.status_code == 429
        assert "second question, too soon" in r.text and "Again" in r.text
        # Counsellors are not limited.
        mod = staff("moderator")
        started(start(mod, "one", to=c.name))
        started(start(mod, "two", to=c.name))
    finally:
        settings(admin)


def test_search_is_for_participants_only(new_client, staff):
    a, b = new_client(), new_client()
    a.register()
    b.register()
    mod = staff("moderator")
    word = "zanyar" + unique("")[-6:]
    cid = started(start(a, "Question about " + word))
    found = a.get("/messages?q=" + word)
    assert found.status_code == 200 and "/messages/%d" % cid in found.text
    assert "<mark>" in found.text
    assert "/messages/%d" % cid not in b.get("/messages?q=" + word).text
    # Counselling conversations are the counsellors' own.
    assert "/messages/%d" % cid in mod.get("/messages?q=" + word).text
    # The subject is searched too, by part of a word.
    sub = "Subj" + unique("")[-6:]
    cid2 = started(start(a, "body", subject="About " + sub))
    assert "/messages/%d" % cid2 in a.get("/messages?q=" + sub[:-1]).text
    assert Client(a.base).get("/messages?q=" + word).status_code == 303


def test_pages(new_client, staff):
    c = new_client()
    c.register()
    mod = staff("moderator")
    cid = started(start(c, "message 1"))
    for i in range(2, 26):
        who = c if i % 2 else mod
        assert answer(who, cid, "message %d" % i).status_code == 303
    # The last page by default, with the newest message.
    page = c.get("/messages/%d" % cid)
    assert "message 25" in page.text and "message 3<" not in page.text
    assert 'href="/messages/%d?page=1"' % cid in page.text
    first = c.get("/messages/%d?page=1" % cid)
    assert "message 1<" in first.text and "message 25" not in first.text
    assert c.get("/messages/%d?page=3" % cid).status_code == 404
    # The list: 20 a page, newest first, older ones by keyset.
    for i in range(21):
        started(start(c, "hello", subject="Conversation number %02d" % i))
    lst = c.get("/messages")
    assert "Conversation number 20" in lst.text
    assert "Conversation number 00" not in lst.text
    older = re.search(r'href="(/messages\?after=[0-9.]+)"', lst.text)
    assert older
    page2 = c.get(older.group(1))
    assert "Conversation number 00" in page2.text
    assert "Conversation number 20" not in page2.text
    newer = re.search(r'href="(/messages\?before=[0-9.]+)"', page2.text)
    assert newer
    back = c.get(newer.group(1))
    assert "Conversation number 20" in back.text
    assert c.get("/messages?after=junk").status_code == 400


def test_account_deletion_anonymises_messages(new_client, staff):
    mod = staff("moderator")
    emp = new_client()
    emp.register(role="employer")
    ret = new_client()
    ret.register()
    _, aid = vacancy_with_application(emp, ret)
    cid = started(emp.post("/messages/new", {
        "application": str(aid), "subject": "Your application",
        "body": "Hello"}, csrf_from="/messages/new"))
    assert answer(ret, cid, "words of a leaving user").status_code == 303
    ret.post("/messages/%d/block" % cid, {}, csrf_from="/messages/%d" % cid)
    ccid = started(start(ret, "counselling words"))
    r = ret.post("/account/delete", {"password": ret.password},
                 csrf_from="/account/delete")
    assert r.status_code == 303
    page = emp.get("/messages/%d" % cid)
    assert "words of a leaving user" in page.text
    assert "deleted user" in page.text and ret.name not in page.text
    assert "closed" in page.text
    assert answer(emp, cid, "are you there?").status_code == 422
    assert psql("SELECT count(*) FROM message_blocks b JOIN users u ON "
                "u.id = b.blocker_id WHERE u.username = 'deleted-' || u.id "
                "AND b.blocked_id = %s" % uid(emp)) == "0"
    page = mod.get("/messages/%d" % ccid)
    assert "deleted user" in page.text and "closed" in page.text
    assert psql("SELECT unread FROM conversation_members WHERE "
                "conversation_id = %d AND user_id IS NULL" % ccid) == "0"


def test_access_two_accounts_per_role(new_client, staff):
    p = people(new_client, staff)
    ret, emp = p["returnee"][0], p["employer"][0]
    _, aid = vacancy_with_application(emp, ret)
    direct = started(emp.post("/messages/new", {
        "application": str(aid), "subject": "Your application",
        "body": "Hello"}, csrf_from="/messages/new"))
    counsel = started(start(ret, "I need help"))
    dmid = int(MSG_ID.search(ret.get("/messages/%d" % direct).text)
               .group(1))
    cmid = int(MSG_ID.search(ret.get("/messages/%d" % counsel).text)
               .group(1))
    visitor = new_client()
    for path in ("/messages", "/messages/new", "/messages/%d" % direct,
                 "/messages/counselling", "/mod/messages"):
        r = visitor.get(path)
        assert r.status_code == 303 and "/login" in r.headers["Location"]
    # The two members read and may write; nobody else, by any number.
    allowed = {direct: {ret.name, emp.name},
               counsel: {ret.name} | {m.name for m in p["moderator"]}}
    for role, clients in p.items():
        for c in clients:
            for cid, mid in ((direct, dmid), (counsel, cmid)):
                want = 200 if c.name in allowed[cid] else 404
                assert c.get("/messages/%d" % cid).status_code == want, \
                    (role, cid)
                if want == 404:
                    assert answer(c, cid, "guess").status_code == 404
                    assert c.get("/messages/m/%d/report" % mid) \
                        .status_code == 404
                    assert c.post("/messages/%d/block" % cid, {},
                                  csrf_from="/").status_code == 404
            for guess in (direct + 1000000, 999999999):
                assert c.get("/messages/%d" % guess).status_code == 404
            want = 200 if role == "moderator" else 403
            assert c.get("/messages/counselling").status_code == want
            assert c.get("/mod/messages").status_code == want
            if role != "moderator":
                assert c.post("/mod/messages/%d/resolve" % direct, {},
                              csrf_from="/").status_code == 403
                assert c.post("/messages/%d/answered" % counsel, {},
                              csrf_from="/").status_code == 403
    assert psql("SELECT count(*) FROM messages WHERE body_md = 'guess'") \
        == "0"


def test_header_count_index_backed(new_client):
    """The header's count is one index range (the session query)."""
    c = new_client()
    c.register()
    plan = psql("SET enable_seqscan = off; EXPLAIN SELECT count(*) FROM conversation_members m "
                "WHERE m.unread > 0 AND (m.user_id = 1 OR (m.user_id IS "
                "NULL AND 'moderator' IN ('moderator', 'admin')))")
    assert "conversation_members_unread" in plan, plan
