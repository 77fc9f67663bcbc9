"""What an application or a referral lets an enterprise do, through every
state of the application, the referral and the vacancy: see the
returnee's profile (GET /profiles/{id}), start a conversation about it
(POST /messages/new with application= or referral=), and find the two
links on the vacancy's applications page.  The rule is JOBS_APP_LIVE in
app/jobs.h; the table is in README.md ("Who sees a returnee").  Each
row is checked with two employers of the enterprise, an employer of
another one and two returnees.  Then: naming someone in a new message
tells nothing about the name, whoever asks."""
import re

from conftest import psql, unique
from test_jobs import employer, returnee, save_profile, vacancy_form
from test_messages import start
from test_mod import settings

Y, N = True, False


def people(new_client):
    """Employers e1 and e1b of one enterprise, e2 of another; returnees
    r1 (the applicant, sharing the profile) and r2 (sharing, applied to
    e2 only)."""
    p = {"e1": employer(new_client), "e1b": employer(new_client),
         "e2": employer(new_client), "r1": returnee(new_client),
         "r2": returnee(new_client)}
    # A second account of the same enterprise (an admin's doing: the
    # registration form always makes a new enterprise).
    psql("UPDATE users SET enterprise_id = %d WHERE username = '%s'"
         % (p["e1"].enterprise, p["e1b"].name))
    p["e1b"].enterprise = p["e1"].enterprise
    # Verified: they stay out of the counsellors' queue other tests read.
    psql("UPDATE enterprises SET verified_at = now() WHERE id IN "
         "(SELECT enterprise_id FROM users WHERE username IN ('%s', '%s', "
         "'%s'))" % (p["e1"].name, p["e1b"].name, p["e2"].name))
    save_profile(p["r1"], consent="1")
    save_profile(p["r2"], consent="1")
    v2 = vacancy(p["e2"])
    psql("INSERT INTO applications (vacancy_id, user_id, message) VALUES "
         "(%d, %d, 'r2 applies to e2')" % (v2, p["r2"].uid))
    return p


def new_id(sql):
    """The id of the row an INSERT ... RETURNING id made."""
    return int(psql("WITH x AS (%s) SELECT id FROM x" % sql))


def vacancy(emp, state="published", deadline=30):
    """A vacancy of emp's enterprise, made in the database."""
    return int(psql(
        "WITH v AS (INSERT INTO vacancies (enterprise_id, author_id, kind, "
        "title, description_md, description_html, governorate, sector, "
        "contract, deadline, state, published_at) SELECT enterprise_id, id, "
        "'job', 'Mason " + unique("v") + "', 'Stones.', '<p>Stones.</p>', "
        "'erbil', 'construction', 'full_time', magnet_today() + %d, '%s', "
        "now() FROM users WHERE username = '%s' RETURNING id) "
        "SELECT id FROM v" % (deadline, state, emp.name)))


def set_vacancy(vid, state, deadline=30, closed_days=None):
    """The vacancy's state, its deadline in days from today, and for a
    closed one how many days ago it closed."""
    closed = "NULL" if closed_days is None else \
        "now() - interval '%d days'" % closed_days
    psql("UPDATE vacancies SET state = '%s', deadline = magnet_today() + %d, "
         "closed_at = %s WHERE id = %d" % (state, deadline, closed, vid))


def check(p, case, vid, kind, oid, profile, write, bad):
    """One row: the profile and a new conversation as each person sees
    them, and the links on the applications page.  Mismatches go to
    bad."""
    r1 = p["r1"]
    got = {}
    for who in ("e1", "e1b", "e2", "r1", "r2"):
        c = p[who]
        want_profile = {"e1": 200 if profile else 404,
                        "e1b": 200 if profile else 404, "e2": 404,
                        "r1": 200, "r2": 404}[who]
        got_profile = c.get("/profiles/%d" % r1.uid).status_code
        if got_profile != want_profile:
            bad.append("%s: GET /profiles/r1 as %s: %d, expected %d"
                       % (case, who, got_profile, want_profile))
        # Another returnee's profile never follows from r1's ties.
        if who in ("e1", "e1b"):
            other = c.get("/profiles/%d" % p["r2"].uid).status_code
            if other != 404:
                bad.append("%s: GET /profiles/r2 as %s: %d" % (case, who,
                                                               other))
        if who in ("r1", "r2") and case != "first":
            continue
        want_msg = {"e1": 303 if write else 422,
                    "e1b": 303 if write else 422}.get(who, 404)
        r = c.post("/messages/new", {
            kind: str(oid), "subject": "About %s %s" % (kind, case),
            "body": "Words of %s for %s" % (who, case)},
            csrf_from="/messages/new")
        got[who] = r
        if r.status_code != want_msg:
            bad.append("%s: POST /messages/new %s= as %s: %d, expected %d"
                       % (case, kind, who, r.status_code, want_msg))
        elif r.status_code == 422 and "Words of %s" % who not in r.text:
            bad.append("%s: the refused text was not kept" % case)
    # The links on the vacancy's applications page follow the same rule.
    page = p["e1"].get("/jobs/%d/applications" % vid).text
    for link, want in (('href="/profiles/%d"' % r1.uid, profile),
                       ('href="/messages/new?%s=%d"' % (kind, oid), write)):
        if (link in page) != want:
            bad.append("%s: %s %s on the applications page" % (
                case, link, "missing" if want else "shown"))


def test_application_states(new_client):
    """The reported case first: withdrawn takes the access back."""
    p = people(new_client)
    vid = vacancy(p["e1"])
    aid = new_id("INSERT INTO applications (vacancy_id, user_id, message) "
                 "VALUES (%d, %d, 'I can lay stones.') RETURNING id"
                 % (vid, p["r1"].uid))
    rows = [
        # status, profile, new conversation
        ("submitted", Y, Y),
        ("withdrawn", N, N),
        ("viewed", Y, Y),
        ("shortlisted", Y, Y),
        ("interview", Y, Y),
        ("offered", Y, Y),
        ("hired", Y, Y),
        ("not_selected", N, N),
    ]
    bad = []
    for i, (status, profile, write) in enumerate(rows):
        psql("UPDATE applications SET status = '%s' WHERE id = %d"
             % (status, aid))
        check(p, "first" if i == 0 else status, vid, "application", aid,
              profile, write, bad)
    # Without consent: no profile, but the enterprise may still write.
    psql("UPDATE applications SET status = 'submitted' WHERE id = %d" % aid)
    psql("UPDATE returnee_profiles SET consent = false WHERE user_id = %d"
         % p["r1"].uid)
    check(p, "no consent", vid, "application", aid, N, Y, bad)
    assert not bad, "\n".join(bad)


def test_withdrawing_through_the_site(new_client):
    """The finding as reported: apply, withdraw, and the employer can
    neither open the profile nor start a conversation; applying again
    gives it back."""
    p = people(new_client)
    r1, e1 = p["r1"], p["e1"]
    vid = vacancy(e1)
    assert r1.post("/jobs/%d/apply" % vid, {"message": "I lay stones."},
                   csrf_from="/jobs/%d" % vid).status_code == 303
    aid = int(psql("SELECT id FROM applications WHERE vacancy_id = %d" % vid))
    assert e1.get("/profiles/%d" % r1.uid).status_code == 200
    r = r1.post("/applications/%d/withdraw" % aid, {},
                csrf_from="/applications")
    assert r.status_code == 303
    assert e1.get("/profiles/%d" % r1.uid).status_code == 404
    # The same page as for a profile that does not exist.
    assert e1.get("/profiles/%d" % r1.uid).text.replace(
        "/profiles/%d" % r1.uid, "P") == e1.get("/profiles/999999999") \
        .text.replace("/profiles/999999999", "P")
    form = e1.get("/messages/new?application=%d" % aid)
    assert form.status_code == 200 and "closed" in form.text
    r = e1.post("/messages/new", {"application": str(aid), "subject":
                "Still interested?", "body": "please come back"},
                csrf_from="/messages/new")
    assert r.status_code == 422
    assert "closed" in r.text and "please come back" in r.text
    assert psql("SELECT count(*) FROM conversations WHERE application_id = "
                "%d" % aid) == "0"
    # Applying again gives the access back.
    assert r1.post("/jobs/%d/apply" % vid, {"message": "Again."},
                   csrf_from="/jobs/%d" % vid).status_code == 303
    assert e1.get("/profiles/%d" % r1.uid).status_code == 200


def test_vacancy_states(new_client):
    """Current: published (an edit under review waits beside it), up to
    30 days past the deadline, or closed up to 30 days ago.  After that,
    as a draft, pending (never approved, or sent again after a
    rejection) or rejected, only the person offered or given the place
    stays."""
    p = people(new_client)
    vid = vacancy(p["e1"])
    aid = new_id("INSERT INTO applications (vacancy_id, user_id, message) "
                 "VALUES (%d, %d, 'I can lay stones.') RETURNING id"
                 % (vid, p["r1"].uid))
    rows = [
        # state, deadline (days from today), closed (days ago), live for
        # an open status, live for offered/hired
        ("published", 0, None, Y, Y),
        ("published", -1, None, Y, Y),
        ("published", -30, None, Y, Y),
        ("published", -31, None, N, Y),
        ("pending", 10, None, N, Y),
        ("pending", -31, None, N, Y),
        ("closed", 10, 0, Y, Y),
        ("closed", -20, 29, Y, Y),
        ("closed", 10, 31, N, Y),
        ("closed", 10, None, N, Y),     # closed before closed_at existed
        ("draft", 10, None, N, Y),
        ("rejected", 10, None, N, Y),
    ]
    bad = []
    first = True
    for state, deadline, closed, open_live, got_live in rows:
        set_vacancy(vid, state, deadline, closed)
        for status, live in (("shortlisted", open_live),
                             ("offered", got_live)):
            psql("UPDATE applications SET status = '%s' WHERE id = %d"
                 % (status, aid))
            case = "%s deadline %+d closed %s %s" % (state, deadline, closed,
                                                     status)
            check(p, "first" if first else case, vid, "application", aid,
                  live, live, bad)
            first = False
    assert not bad, "\n".join(bad)


def test_closing_and_reopening_through_the_site(new_client, staff):
    """Closing starts the 30 days; an edit that reopens the vacancy waits
    beside it, and once approved the vacancy is current again."""
    p = people(new_client)
    r1, e1 = p["r1"], p["e1"]
    vid = vacancy(e1)
    psql("INSERT INTO applications (vacancy_id, user_id, message) VALUES "
         "(%d, %d, 'I lay stones.')" % (vid, r1.uid))
    r = e1.post("/jobs/%d/close" % vid, {"reason": "filled"},
                csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    assert psql("SELECT closed_at > now() - interval '1 minute' FROM "
                "vacancies WHERE id = %d" % vid) == "t"
    assert e1.get("/profiles/%d" % r1.uid).status_code == 200
    psql("UPDATE vacancies SET closed_at = now() - interval '31 days' "
         "WHERE id = %d" % vid)
    assert e1.get("/profiles/%d" % r1.uid).status_code == 404
    r = e1.post("/jobs/%d/edit" % vid, vacancy_form(),
                csrf_from="/jobs/%d/edit" % vid)
    assert r.status_code == 303, r.text[:2000]
    assert psql("SELECT state FROM vacancies WHERE id = %d" % vid) == \
        "closed"
    assert e1.get("/profiles/%d" % r1.uid).status_code == 404
    r = staff().post("/mod/jobs/%d/approve" % vid, {}, csrf_from="/mod/jobs")
    assert r.status_code == 303
    assert psql("SELECT state || ' ' || (closed_at IS NULL) FROM vacancies "
                "WHERE id = %d" % vid) == "published true"
    assert e1.get("/profiles/%d" % r1.uid).status_code == 200


def test_referral_states(new_client, staff):
    p = people(new_client)
    vid = vacancy(p["e1"])
    rid = new_id("INSERT INTO referrals (vacancy_id, user_id, "
                 "moderator_id) SELECT %d, %d, id FROM users WHERE "
                 "username = '%s' RETURNING id"
                 % (vid, p["r1"].uid, staff("moderator").name))
    rows = [
        # status, vacancy (state, deadline, closed days ago), live
        ("referred", ("published", 30, None), Y),
        ("not_placed", ("published", 30, None), N),
        ("contacted", ("published", 30, None), Y),
        ("interview", ("published", 30, None), Y),
        ("placed", ("published", 30, None), Y),
        ("enrolled", ("published", 30, None), Y),
        ("completed", ("published", 30, None), Y),
        ("referred", ("published", -31, None), N),
        ("referred", ("closed", 10, 5), Y),
        ("referred", ("closed", 10, 31), N),
        ("placed", ("closed", 10, 31), Y),
        ("not_placed", ("closed", 10, 5), N),
    ]
    bad = []
    for i, (status, (state, deadline, closed), live) in enumerate(rows):
        set_vacancy(vid, state, deadline, closed)
        psql("UPDATE referrals SET status = '%s' WHERE id = %d"
             % (status, rid))
        check(p, "first" if i == 0 else "%s %s %+d %s" % (
            status, state, deadline, closed), vid, "referral", rid, live,
            live, bad)
    assert not bad, "\n".join(bad)


def test_existing_conversation_continues(new_client):
    """A conversation started while the application was live stays open
    to both sides after a withdrawal; the returnee can block."""
    p = people(new_client)
    r1, e1 = p["r1"], p["e1"]
    vid = vacancy(e1)
    aid = new_id("INSERT INTO applications (vacancy_id, user_id, message) "
                 "VALUES (%d, %d, 'I lay stones.') RETURNING id"
                 % (vid, r1.uid))
    r = e1.post("/messages/new", {"application": str(aid), "subject":
                "Interview", "body": "Come on Monday."},
                csrf_from="/messages/new")
    assert r.status_code == 303
    cid = int(re.match(r"/messages/(\d+)", r.headers["Location"]).group(1))
    psql("UPDATE applications SET status = 'withdrawn' WHERE id = %d" % aid)
    assert e1.get("/profiles/%d" % r1.uid).status_code == 404
    # The link from the application still leads to the conversation.
    r = e1.get("/messages/new?application=%d" % aid)
    assert r.status_code == 303 and r.headers["Location"] == \
        "/messages/%d" % cid
    assert e1.post("/messages/%d/reply" % cid, {"body": "Sorry to hear."},
                   csrf_from="/messages/%d" % cid).status_code == 303
    assert "Sorry to hear." in r1.get("/messages/%d" % cid).text
    assert r1.post("/messages/%d/block" % cid, {},
                   csrf_from="/messages/%d" % cid).status_code == 303
    assert e1.post("/messages/%d/reply" % cid, {"body": "Hello?"},
                   csrf_from="/messages/%d" % cid).status_code != 303


# ---- Naming someone in a new message -----------------------------------

ERR = re.compile(r'<p class="err" id="to-err">(.*?)</p>', re.S)


def named(c, name, body):
    return start(c, body, to=name, subject="Hello there")


def refusal(r, name, body):
    """The page of a refused name, with the echoed name taken out: what
    it tells about the name."""
    assert r.status_code == 422, (name, r.status_code, r.text[:2000])
    assert body in r.text, "the text was not kept"
    m = ERR.search(r.text)
    assert m, "no problem named next to the field"
    page = r.text.replace('value="%s"' % name, 'value="NAME"')
    return m.group(1), re.sub(r'name="(csrf|idem)" value="[^"]*"', "", page)


def test_names_tell_nothing(new_client, staff):
    """Returnees and employers get the same answer for a name without an
    account, a returnee's, an employer's and a counsellor's (which no
    longer opens a counselling conversation quietly)."""
    rets = [returnee(new_client), returnee(new_client)]
    emps = [employer(new_client), employer(new_client)]
    mods = [staff("moderator"), staff("admin")]
    deleted = returnee(new_client)
    psql("UPDATE users SET deleted_at = now() WHERE id = %d" % deleted.uid)
    names = ([c.name for c in rets + emps + mods] +
             ["nobody" + unique(), deleted.name])
    before = psql("SELECT count(*) FROM conversations")
    for sender in rets + emps:
        answers = set()
        for name in names:
            if name == sender.name:
                continue
            body = "Kept words for %s" % name
            err, page = refusal(named(sender, name, body), name, body)
            answers.add((err, page.replace(body, "BODY")))
        assert len(answers) == 1, (sender.name, [a[0] for a in answers])
        # It points to the way that is open.
        assert 'href="/messages/new">Write to the counsellors instead' \
            in answers.pop()[1]
    assert psql("SELECT count(*) FROM conversations") == before
    # Oneself is still named as such: it tells nothing new.
    r = named(rets[0], rets[0].name, "me")
    assert r.status_code == 422 and "yourself" in r.text
    # Counsellors may write to anyone, and hear of a name without one.
    for m in mods:
        r = named(m, "nobody" + unique(), "kept for nobody")
        assert r.status_code == 422 and "no account" in r.text
        assert "kept for nobody" in r.text
        assert named(m, rets[1].name, "From the counsellors"). \
            status_code == 303
    # The counsellors are one empty field away.
    assert start(rets[0], "I need help").status_code == 303
    assert start(emps[0], "We need help").status_code == 303


def test_names_tell_nothing_with_peer_messages(new_client, staff):
    """With peer messages allowed, a returnee writes to a returnee; every
    other name still gets the one answer."""
    admin = staff("admin")
    rets = [returnee(new_client), returnee(new_client)]
    emps = [employer(new_client), employer(new_client)]
    mod = staff("moderator")
    settings(admin, peer_messages=1)
    try:
        for a, b in ((rets[0], rets[1]), (emps[0], emps[1])):
            assert named(a, b.name, "Hello, peer").status_code == 303
        for sender, others in ((rets[0], [emps[0].name, mod.name]),
                               (emps[0], [rets[0].name, mod.name])):
            answers = set()
            for name in others + ["nobody" + unique()]:
                body = "Kept words for %s" % name
                err, page = refusal(named(sender, name, body), name, body)
                answers.add((err, page.replace(body, "BODY")))
            assert len(answers) == 1, [a[0] for a in answers]
    finally:
        settings(admin)
