"""Issue 17, "First visits and phone screens": reviewing an edit keeps
the live vacancy public; counsellors decide on the vacancy page and the
queue card shows what they decide on; blocking asks first and tells the
counsellors; sample vacancies take no applications; the employer's
preview, enterprise page and phone link; the counsellors' pages."""
import re

import pytest

from conftest import Client, make_user, psql, unique
from test_jobs import (apply, approve, employer, esc, post_vacancy,
                       returnee, save_profile, today, vacancy_form)


@pytest.fixture
def mods(server):
    """Two counsellors: what one decides, the other sees decided."""
    return make_user(server, "moderator"), make_user(server, "moderator")


def edit(emp, vid, **kw):
    return emp.post("/jobs/%d/edit" % vid, vacancy_form(**kw),
                    csrf_from="/jobs/%d/edit" % vid)


def live_vacancy(new_client, mod, **kw):
    emp = employer(new_client)
    title = "Live title " + unique("t")
    vid = post_vacancy(emp, title=title, **kw)
    approve(mod, vid)
    return emp, vid, title


def test_an_edit_keeps_the_live_version_public(server, new_client, mods):
    m1, m2 = mods
    visitor = Client(server.base)
    emp, vid, title = live_vacancy(new_client, m1)
    emp_b = employer(new_client)          # another enterprise
    r1 = returnee(new_client)
    save_profile(r1)
    assert apply(r1, vid).status_code == 303
    new_title = "Edited title " + unique("n")
    r = edit(emp, vid, title=new_title, salary_min="900000",
             salary_max="900000", description="Now with **night shifts**.")
    assert r.status_code == 303, r.text[:2000]
    # Everyone else still sees the approved version, at the same link.
    for c in (visitor, r1, emp_b):
        page = c.get("/jobs/%d" % vid)
        assert page.status_code == 200, page.status_code
        assert esc(title) in page.text
        assert esc(new_title) not in page.text
        assert "night shifts" not in page.text
    assert 'href="/jobs/%d"' % vid in visitor.get("/jobs").text
    assert visitor.get("/api/v1/jobs/%d" % vid).json()["title"] == title
    assert psql("SELECT state FROM vacancies WHERE id = %d" % vid) == \
        "published"
    # The applicant's enterprise still sees the profile (access stays).
    assert emp.get("/profiles/%d" % r1.uid).status_code == 200
    # The employer is told that the edit waits, and sees it.
    page = emp.get("/jobs/%d" % vid).text
    assert "wait for a counsellor" in page
    assert esc(new_title) in page and "night shifts" in page
    assert "changes wait for review" in emp.get("/employer").text
    # The edit form goes on from the waiting edit.
    assert esc(new_title) in emp.get("/jobs/%d/edit" % vid).text
    # The queue card shows description, pay, enterprise, verified or not.
    queue = m2.get("/mod/jobs").text
    card = queue[queue.index('id="v%d"' % vid):]
    card = card[:card.index("</li>")]
    assert esc(new_title) in card
    assert "<strong>night shifts</strong>" in card
    assert "900,000 IQD a month" in card
    assert 'href="/enterprises/%d"' % emp.enterprise in card
    assert "Not yet verified" in card
    assert "edited after publication" in card
    # Counsellors decide on the vacancy page itself.
    page = m2.get("/jobs/%d" % vid).text
    assert 'action="/mod/jobs/%d/approve"' % vid in page
    assert 'action="/mod/jobs/%d/reject"' % vid in page
    assert 'name="next" value="/jobs/%d"' % vid in page
    assert "night shifts" in page
    # Neither the other enterprise nor a returnee sees the edit.
    assert "night shifts" not in emp_b.get("/jobs/%d" % vid).text
    assert emp_b.get("/jobs/%d/edit" % vid).status_code == 403
    # Approved from the vacancy page: it swaps in, same link, same date.
    posted = psql("SELECT published_at FROM vacancies WHERE id = %d" % vid)
    r = m2.post("/mod/jobs/%d/approve" % vid, {"next": "/jobs/%d" % vid},
                csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    assert r.headers["Location"] == "/jobs/%d" % vid
    page = visitor.get("/jobs/%d" % vid).text
    assert esc(new_title) in page and "night shifts" in page
    assert psql("SELECT published_at FROM vacancies WHERE id = %d"
                % vid) == posted
    assert psql("SELECT count(*) FROM vacancy_edits WHERE vacancy_id = %d"
                % vid) == "0"
    assert psql("SELECT count(*) FROM audit_log WHERE action = "
                "'vacancy.edit_approve' AND target = 'vacancy:%d'"
                % vid) == "1"
    assert "approved your changes" in emp.get("/notifications").text
    # The other counsellor's second decision is told it is done.
    r = m1.post("/mod/jobs/%d/approve" % vid, {}, csrf_from="/mod/jobs")
    assert r.status_code == 409


def test_a_rejected_edit_keeps_the_live_one(server, new_client, mods):
    m1, m2 = mods
    visitor = Client(server.base)
    emp, vid, title = live_vacancy(new_client, m1)
    r = edit(emp, vid, title="Pay a fee " + unique("f"))
    assert r.status_code == 303
    r = m2.post("/mod/jobs/%d/reject" % vid, {
        "reason": "fee", "note": "No fees, please.",
        "next": "/jobs/%d" % vid}, csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    assert r.headers["Location"] == "/jobs/%d" % vid
    page = visitor.get("/jobs/%d" % vid)
    assert page.status_code == 200 and esc(title) in page.text
    page = emp.get("/jobs/%d" % vid).text
    assert "did not approve the changes" in page
    assert "No fees, please." in page
    assert "never be asked to pay" in page
    assert "approved version stays" in page
    assert "changes not approved" in emp.get("/employer").text
    assert "did not approve your changes" in \
        emp.get("/notifications").text
    assert psql("SELECT reason FROM audit_log WHERE action = "
                "'vacancy.edit_reject' AND target = 'vacancy:%d'" % vid) \
        == "fee: No fees, please."
    # Nothing is waiting any more; sent again, it waits again.
    assert 'id="v%d"' % vid not in m1.get("/mod/jobs").text
    assert edit(emp, vid, title="Fixed " + unique("x")).status_code == 303
    assert 'id="v%d"' % vid in m1.get("/mod/jobs").text
    assert "did not approve the changes" not in \
        emp.get("/jobs/%d" % vid).text


def test_draft_edit_and_closed_vacancy(server, new_client, mods):
    m1, _ = mods
    visitor = Client(server.base)
    emp, vid, title = live_vacancy(new_client, m1)
    # A draft of changes stays private and out of the queue.
    r = edit(emp, vid, title="Draft change " + unique("d"), action="draft")
    assert r.status_code == 303
    assert esc(title) in visitor.get("/jobs/%d" % vid).text
    assert 'id="v%d"' % vid not in m1.get("/mod/jobs").text
    assert "saved as a draft" in emp.get("/jobs/%d" % vid).text
    # A closed vacancy stays closed until its changes are approved.
    r = emp.post("/jobs/%d/close" % vid, {"reason": "filled"},
                 csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    assert "opens again" in emp.get("/jobs/%d/edit" % vid).text
    assert edit(emp, vid, deadline=today(20)).status_code == 303
    assert psql("SELECT state FROM vacancies WHERE id = %d" % vid) == \
        "closed"
    assert visitor.get("/jobs/%d" % vid).status_code == 404
    approve(m1, vid)
    assert psql("SELECT state || ' ' || (closed_at IS NULL) FROM vacancies "
                "WHERE id = %d" % vid) == "published true"
    assert visitor.get("/jobs/%d" % vid).status_code == 200


def test_new_vacancy_decided_on_its_page(server, new_client, mods):
    m1, m2 = mods
    emp = employer(new_client)
    vid = post_vacancy(emp, salary_min="", salary_max="")
    page = m1.get("/jobs/%d" % vid).text
    assert 'action="/mod/jobs/%d/approve"' % vid in page
    assert "not given" in page          # no pay: said so
    # Not for the employer, nor another counsellor's after a decision.
    assert 'action="/mod/jobs/%d/approve"' % vid not in \
        emp.get("/jobs/%d" % vid).text
    approve(m1, vid)
    assert 'action="/mod/jobs/%d/approve"' % vid not in \
        m2.get("/jobs/%d" % vid).text


def test_pending_again_after_rejection_gives_no_access(new_client, mods):
    """A vacancy the counsellors rejected, sent again by the employer,
    does not give the enterprise the applicants' profiles back."""
    m1, _ = mods
    emp, vid, _ = live_vacancy(new_client, m1)
    r1 = returnee(new_client)
    save_profile(r1)
    assert apply(r1, vid).status_code == 303
    assert emp.get("/profiles/%d" % r1.uid).status_code == 200
    r = m1.post("/mod/jobs/%d/reject" % vid, {"reason": "fee"},
                csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    assert emp.get("/profiles/%d" % r1.uid).status_code == 404
    assert edit(emp, vid).status_code == 303
    assert psql("SELECT state FROM vacancies WHERE id = %d" % vid) == \
        "pending"
    assert emp.get("/profiles/%d" % r1.uid).status_code == 404


def test_block_asks_first_and_tells_the_counsellors(new_client, mods):
    """Item 2: blocking is a question first, apart from Send; blocking an
    employer one applied to goes into the counsellors' log, blocking
    anyone else does not."""
    from test_messages import started, vacancy_with_application
    m1, _ = mods
    emp, emp2 = new_client(), new_client()
    emp.register(role="employer")
    emp2.register(role="employer")
    ret, ret2 = new_client(), new_client()
    ret.register()
    ret2.register()
    _, aid = vacancy_with_application(emp, ret)
    cid = started(emp.post("/messages/new", {
        "application": str(aid), "subject": "Your application",
        "body": "Hello"}, csrf_from="/messages/new"))
    page = ret.get("/messages/%d" % cid).text
    # No one-tap block: a link to a question, below the reply form.
    assert 'action="/messages/%d/block"' % cid not in page
    assert 'href="/messages/%d/block"' % cid in page
    assert page.index('href="/messages/%d/block"' % cid) > \
        page.index("</form>", page.index('action="/messages/%d/reply"'
                                         % cid))
    q = ret.get("/messages/%d/block" % cid)
    assert q.status_code == 200
    assert 'action="/messages/%d/block"' % cid in q.text
    assert "the counsellors are told" in q.text
    assert 'href="/messages/%d"' % cid in q.text      # Cancel
    assert psql("SELECT count(*) FROM message_blocks b JOIN users u ON "
                "u.id = b.blocker_id WHERE u.username = '%s'"
                % ret.name) == "0"
    # Only its two sides may ask.
    assert ret2.get("/messages/%d/block" % cid).status_code == 404
    assert emp2.get("/messages/%d/block" % cid).status_code == 404
    r = ret.post("/messages/%d/block" % cid, {},
                 csrf_from="/messages/%d/block" % cid)
    assert r.status_code == 303
    log = psql("SELECT a.action || ' ' || a.target || ' ' || a.reason "
               "FROM audit_log a JOIN users u ON u.id = a.actor_id "
               "WHERE u.username = '%s'" % ret.name)
    emp_id = psql("SELECT id FROM users WHERE username = '%s'" % emp.name)
    assert log.startswith("message.block_employer user:%s " % emp_id), log
    assert "returnee blocked an employer" in \
        m1.get("/mod/audit").text
    # Blocking twice, or unblocking, adds nothing.
    ret.post("/messages/%d/block" % cid, {}, csrf_from="/messages/%d" % cid)
    ret.post("/messages/%d/unblock" % cid, {},
             csrf_from="/messages/%d" % cid)
    assert psql("SELECT count(*) FROM audit_log a JOIN users u ON "
                "u.id = a.actor_id WHERE u.username = '%s'"
                % ret.name) == "1"
    # An employer blocking an applicant is not for the log.
    _, aid2 = vacancy_with_application(emp2, ret2)
    cid2 = started(emp2.post("/messages/new", {
        "application": str(aid2), "subject": "About your application",
        "body": "Hello"},
        csrf_from="/messages/new"))
    assert "the counsellors are told" not in \
        emp2.get("/messages/%d/block" % cid2).text
    assert emp2.post("/messages/%d/block" % cid2, {},
                     csrf_from="/messages/%d" % cid2).status_code == 303
    assert psql("SELECT count(*) FROM audit_log a JOIN users u ON "
                "u.id = a.actor_id WHERE u.username = '%s'"
                % emp2.name) == "0"


def test_sample_vacancy_takes_no_applications(server, new_client, mods):
    """Item 3: a sample vacancy says so and takes no applications nor
    referrals (seed-demo marks them; test_zy_seed checks the seed)."""
    m1, _ = mods
    visitor = Client(server.base)
    emp, vid, title = live_vacancy(new_client, m1)
    psql("UPDATE vacancies SET sample = true WHERE id = %d" % vid)
    r1, r2 = returnee(new_client), returnee(new_client)
    for r in (r1, r2):
        page = r.get("/jobs/%d" % vid)
        assert page.status_code == 200
        assert "This is a sample vacancy" in page.text
        assert 'action="/jobs/%d/apply"' % vid not in page.text
        assert apply(r, vid).status_code == 403
        assert r.get("/jobs/%d/apply" % vid).status_code == 403
    assert "to apply" not in visitor.get("/jobs/%d" % vid).text
    assert psql("SELECT count(*) FROM applications WHERE vacancy_id = %d"
                % vid) == "0"
    page = m1.get("/jobs/%d" % vid).text
    assert "/mod/jobs/%d/suggestions" % vid not in page
    r = m1.post("/mod/jobs/%d/refer" % vid, {"username": r1.name},
                csrf_from="/mod/jobs/%d/suggestions" % vid)
    assert r.status_code == 422 and "sample vacancy" in r.text
    assert psql("SELECT count(*) FROM referrals WHERE vacancy_id = %d"
                % vid) == "0"


def test_employer_preview_saved_tel_and_no_stray_dot(server, new_client,
                                                     mods):
    """Item 4: the preview is the vacancy as it will appear; saving the
    enterprise says so; its phone can be tapped; the list of open
    vacancies starts with no '·'."""
    m1, _ = mods
    visitor = Client(server.base)
    emp, vid, title = live_vacancy(new_client, m1)
    other = employer(new_client)
    # Preview: title, facts, pay, enterprise and description.
    r = emp.post("/jobs/new", vacancy_form(action="preview",
                                           title="Preview " + unique("p")),
                 csrf_from="/jobs/new")
    assert r.status_code == 200
    prev = r.text[r.text.index('class="preview vacancy"'):]
    prev = prev[:prev.index("</section>")]
    assert "how the vacancy will appear" in prev
    assert "Preview " in prev
    assert "750,000 IQD to 1,200,000 IQD a month" in prev or \
        "750,000 IQD" in prev
    assert "Full time" in prev and "Erbil" in prev
    assert "<strong>schools</strong>" in prev
    assert 'href="/enterprises/%d"' % emp.enterprise in prev
    # Saving the enterprise's page: a confirmation.
    data = {"name": "Acme " + unique("a"), "sector": "construction",
            "governorate": "erbil", "address": "100m Street",
            "phone": "+964 (750) 123-4567", "website": "",
            "description": "We build."}
    r = emp.post("/enterprise", data, csrf_from="/enterprise")
    assert r.status_code == 303
    assert r.headers["Location"] == "/employer?saved=1"
    page = emp.get(r.headers["Location"]).text
    assert "details are saved" in page, page[page.index("<main"):][:1500]
    assert "details are saved" not in other.get("/employer").text
    # The phone is a tel: link, for everyone.
    page = visitor.get("/enterprises/%d" % emp.enterprise).text
    assert 'href="tel:+9647501234567"' in page
    # The open vacancies: no stray separator where the enterprise's
    # name would be.
    assert 'href="/jobs/%d"' % vid in page
    assert not re.search(r'<span class="meta">\s*·', page)


def test_counsellor_pages(server, new_client, mods):
    """Item 5: a counsellor's empty message list does not tell them to
    write to the counsellors; "refer by name" says its error once and
    offers names; the user card shows profile, applications and
    referrals (and only to counsellors)."""
    m1, m2 = mods
    page = m1.get("/messages").text
    assert "write to the counsellors at any time" not in page
    assert 'href="/messages/counselling"' in page
    r1, r2 = returnee(new_client), returnee(new_client)
    assert "write to the counsellors at any time" in r1.get("/messages").text
    save_profile(r1, occupation="Tile setter")
    emp, vid, title = live_vacancy(new_client, m1)
    assert apply(r1, vid).status_code == 303
    # Refer by a name that is nearly right: one error, and the names.
    wrong = r2.name[:-1] + ("x" if r2.name[-1] != "x" else "y")
    r = m2.post("/mod/jobs/%d/refer" % vid, {"username": wrong,
                                             "note": "Good fit."},
                csrf_from="/mod/jobs/%d/suggestions" % vid)
    assert r.status_code == 422
    assert r.text.count("There is no returnee with this name.") == 1
    assert "Did you mean" in r.text
    m = re.search(r'name="username" value="%s"><input type="hidden" '
                  r'name="note" value="Good fit.">' % re.escape(r2.name),
                  r.text)
    assert m, r.text[r.text.index("<main"):][:3000]
    r = m2.post("/mod/jobs/%d/refer" % vid, {"username": r2.name,
                                             "note": "Good fit."},
                csrf_from="/mod/jobs/%d/suggestions" % vid)
    assert r.status_code == 303
    # Names to pick while typing: the suggested returnees.
    page = m2.get("/mod/jobs/%d/suggestions" % vid).text
    assert 'list="returnee-names"' in page
    assert '<option value="%s">' % r1.name in page
    # The user card.
    card = m1.get("/mod/users/%d" % r1.uid).text
    assert "Tile setter" in card
    # The profile's keys in the reader's words, as on the profile page.
    for label in ("Erbil", "Germany", "Vocational training"):
        assert "<dd>%s</dd>" % label in card
    assert re.search(r"<dd>[^<]*German[^<]*</dd>", card)
    assert 'href="/jobs/%d"' % vid in card and esc(title) in card
    assert "Submitted" in card
    card2 = m1.get("/mod/users/%d" % r2.uid).text
    assert "No profile yet." in card2
    assert "Referral" in card2 and "Referred" in card2
    for c in (r2, emp):
        assert c.get("/mod/users/%d" % r1.uid).status_code == 403


def test_event_times_abroad_and_my_events(server, new_client, mods):
    """Item 6: an online event's time also in the zone of a returnee
    still in Europe (the profile's country, return date to come); "my
    events" lists the reader's own sign-ups, nobody else's."""
    from test_events import new_event, sign_up
    m1, _ = mods
    eid, title = new_event(m1, online="1", link="https://meet.example.org/x",
                           gov="", city="", address="", days=40)
    away, home = returnee(new_client), returnee(new_client)
    save_profile(away, country="de", return_date=today(60))
    save_profile(home, country="de", return_date=today(-60))
    start = psql("SELECT to_char(starts_at AT TIME ZONE 'Europe/Berlin', "
                 "'YYYY-MM-DD HH24:MI') FROM events WHERE id = %d" % eid)
    page = away.get("/events/%d" % eid).text
    assert "In Germany: %s" % start in page, start
    assert "In Germany" in away.get("/events").text
    assert "In Germany" not in home.get("/events/%d" % eid).text
    assert "In Germany" not in Client(server.base).get(
        "/events/%d" % eid).text
    # My events.
    assert sign_up(away, eid).status_code == 303
    mine = away.get("/events/mine")
    assert mine.status_code == 200 and esc(title) in mine.text
    assert esc(title) not in home.get("/events/mine").text
    assert "not signed up" in home.get("/events/mine").text
    assert 'href="/events/mine"' in away.get("/events").text
    r = Client(server.base).get("/events/mine")
    assert r.status_code == 303
