"""Mail, part 2 (issue 20): the choice per kind of notification on
/account/mail, job alerts, the confirmation link that asks before it
changes anything.  Against a real SMTP server (test_mail's relay)."""
import re
import time

import pytest

from conftest import Client, psql
from test_mail import (digest, links, msrv, note, parts, relay,  # noqa
                       uid_of, with_address)


def checked(html, kind):
    """The value checked in the group m_KIND."""
    got = re.findall(r'<input type="radio" name="m_%s" value="(\w+)"'
                     r' checked>' % kind, html)
    assert len(got) <= 1
    return got[0] if got else None


def choices(c):
    r = c.get("/account/mail")
    assert r.status_code == 200
    return r.text


def test_every_kind_listed_with_defaults_and_generic_label(msrv, relay):
    c = Client(msrv.base, lang="ckb")
    c.register()
    # A kind the code does not know yet: the database learns it from the
    # first notification of it, and the page lists it.
    note(uid_of(c.name), "zz_new_kind", "Something")
    html = choices(c)
    assert checked(html, "message") == "now"
    assert checked(html, "application_status") == "now"
    assert checked(html, "reply") == "digest"
    assert checked(html, "alert") == "digest"
    assert checked(html, "zz_new_kind") == "digest"
    assert re.search(r'<code>zz_new_kind</code>', html)
    for k in ("mention", "watch_reply", "board_thread", "thanks", "event_moved",
              "verified"):
        assert checked(html, k) is not None, k
    assert '<html lang="ckb" dir="rtl"' in html
    # Only the account's own choices: another account's are not shown.
    d = Client(msrv.base)
    d.register()
    assert d.post("/account/mail", {"m_message": "never"}).status_code == 303
    assert checked(choices(c), "message") == "now"
    assert checked(choices(d), "message") == "never"


def test_never_sends_nothing_and_digest_goes_into_the_digest(msrv, relay):
    c = Client(msrv.base)
    c.register()
    addr = with_address(c)
    uid = uid_of(c.name)
    r = c.post("/account/mail", {"m_application_status": "never",
                                 "m_message": "digest",
                                 "m_reply": "digest"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/account/mail?saved=1"
    html = choices(c)
    assert checked(html, "application_status") == "never"
    assert checked(html, "message") == "digest"
    # A choice equal to the default is no row.
    assert psql("SELECT string_agg(kind || '=' || mode, ',' ORDER BY kind) "
                "FROM mail_prefs WHERE user_id = %d" % uid) == \
        "application_status=never,message=digest"
    note(uid, "application_status", "Never mailed")
    note(uid, "message", "Into the digest")
    time.sleep(3)
    assert relay.inbox.to(addr) == []
    assert psql("SELECT count(*) FROM mail_outbox WHERE user_id = %d AND "
                "note_kind = 'application_status'" % uid) == "0"
    digest()
    m = relay.inbox.wait(addr)[0]
    html, text = parts(m)
    assert "Into the digest" in text and "Never mailed" not in text
    time.sleep(1.5)
    assert len(relay.inbox.to(addr)) == 1


def test_bad_choice_keeps_the_form_and_csrf_is_needed(msrv, relay):
    c = Client(msrv.base)
    c.register()
    r = c.post("/account/mail", {"m_message": "never", "m_reply": "often"})
    assert r.status_code == 422
    assert 'role="alert"' in r.text
    assert checked(r.text, "message") == "never"     # as sent
    assert checked(r.text, "reply") is None
    assert psql("SELECT count(*) FROM mail_prefs WHERE user_id = %d" %
                uid_of(c.name)) == "0"
    r = c.post("/account/mail", {"m_message": "never", "csrf": "0" * 64})
    assert r.status_code == 403
    assert Client(msrv.base).get("/account/mail").status_code == 303


def test_registration_with_an_address_and_a_link_that_asks(msrv, relay):
    c = Client(msrv.base, lang="ckb")
    name = "reg" + str(int(time.time() * 1000) % 10**9)
    # Not an address: the form comes back with the text and the field
    # named; nothing is made.
    r = c.post("/register", {"username": name, "password":
                             "a long enough passphrase 77",
                             "role": "returnee", "email": "name at home"})
    assert r.status_code == 400
    assert 'value="name at home"' in r.text
    assert 'id="email-err"' in r.text and 'aria-invalid="true"' in r.text
    assert psql("SELECT count(*) FROM users WHERE username = '%s'" %
                name) == "0"
    addr = "%s@example.org" % name
    r = c.post("/register", {"username": name, "password":
                             "a long enough passphrase 77",
                             "role": "returnee", "email": addr})
    assert r.status_code == 303
    assert psql("SELECT email_pending FROM users WHERE username = '%s'" %
                name) == addr
    link = [l for l in links(relay.inbox.wait(addr)[0])
            if "/account/email/confirm/" in l][0]
    path = link.split(str(msrv.port), 1)[1]
    # A mail scanner follows the link: nothing is confirmed.
    scanner = Client(msrv.base)
    for _ in range(2):
        r = scanner.get(path)
        assert r.status_code == 200
        assert 'method="post"' in r.text
    assert psql("SELECT email IS NULL FROM users WHERE username = '%s'" %
                name) == "t"
    # The person presses the button.
    assert c.post(path, {}).status_code == 200
    assert psql("SELECT email FROM users WHERE username = '%s'" %
                name) == addr
    assert scanner.get(path).status_code == 404


# ---- job alerts ----

def alerts_setup(msrv):
    from conftest import make_user, unique
    from test_jobs import post_vacancy
    emp = Client(msrv.base)
    emp.register(role="employer", enterprise="Enterprise " + unique("e"))
    mod = make_user(msrv, "moderator")
    return emp, mod, post_vacancy, unique


def save_search(c, query):
    """Press "Tell me of new vacancies like these" on /jobs?query."""
    page = c.get("/jobs?" + query)
    assert page.status_code == 200
    form = re.search(r'<form method="post" action="/account/alerts"'
                     r'.*?</form>', page.text, re.S).group(0)
    data = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    r = c.post("/account/alerts", data)
    assert r.status_code == 303, r.text[:1000]
    assert r.headers["Location"] == "/account/alerts?saved=1"


def alert_rows(vid):
    return psql("SELECT count(*) FROM mail_outbox WHERE kind = 'alert' "
                "AND vacancy_id = %d" % vid)


def test_job_alert_for_an_approved_vacancy_once_none_in_review(msrv, relay):
    emp, mod, post_vacancy, unique = alerts_setup(msrv)
    word = unique("weld")
    r = Client(msrv.base, lang="ckb")
    r.register()
    addr = with_address(r)
    assert r.post("/account/mail", {"m_alert": "now"}).status_code == 303
    # Two saved searches that both match, and one that does not.
    save_search(r, "governorate=duhok&sector=construction")
    save_search(r, "q=" + word)
    other = Client(msrv.base)
    other.register()
    other_addr = with_address(other)
    assert other.post("/account/mail", {"m_alert": "now"}
                      ).status_code == 303
    save_search(other, "governorate=erbil")
    listing = r.get("/account/alerts").text
    assert listing.count('/delete"') == 2 and word in listing
    # In review: nothing.
    vid = post_vacancy(emp, governorate="duhok", sector="construction",
                       title="Welder " + word)
    assert alert_rows(vid) == "0"
    time.sleep(2)
    assert relay.inbox.to(addr) == []
    # Published by a counsellor: mailed once, to the one it matches.
    r2 = mod.post("/mod/jobs/%d/approve" % vid, {}, csrf_from="/mod/jobs")
    assert r2.status_code == 303
    m = relay.inbox.wait(addr)[0]
    html, text = parts(m)
    assert "Welder " + word in text
    assert msrv.base + "/jobs/%d" % vid in text
    assert '<html lang="ckb" dir="rtl">' in html
    assert "/mail/unsubscribe/" in m["List-Unsubscribe"]
    time.sleep(2)
    assert len(relay.inbox.to(addr)) == 1
    assert relay.inbox.to(other_addr) == []
    assert alert_rows(vid) == "1"
    # Published again after a close and a reopening: still once.
    psql("UPDATE vacancies SET state = 'closed' WHERE id = %d" % vid)
    psql("UPDATE vacancies SET state = 'published' WHERE id = %d" % vid)
    assert alert_rows(vid) == "1"
    # Another vacancy still in review: none.
    vid2 = post_vacancy(emp, governorate="duhok", sector="construction")
    assert alert_rows(vid2) == "0"
    # The count is in /mod/stats.
    assert "Job alerts" in mod.get("/mod/stats").text


def test_alert_in_the_digest_and_removing_alerts(msrv, relay):
    emp, mod, post_vacancy, unique = alerts_setup(msrv)
    r = Client(msrv.base)
    r.register()
    addr = with_address(r)
    save_search(r, "sector=health&kind=job")    # alerts: digest by default
    vid = post_vacancy(emp, sector="health", title="Nurse " + unique("n"))
    assert mod.post("/mod/jobs/%d/approve" % vid, {}, csrf_from="/mod/jobs"
                    ).status_code == 303
    assert psql("SELECT state FROM mail_outbox WHERE kind = 'alert' AND "
                "vacancy_id = %d AND user_id = %d" %
                (vid, uid_of(r.name))) == "digest"
    digest()
    html, text = parts(relay.inbox.wait(addr)[0])
    assert "Nurse " in text
    # Removing: another returnee cannot; the owner can.
    aid = int(psql("SELECT id FROM job_alerts WHERE user_id = %d" %
                   uid_of(r.name)))
    thief = Client(msrv.base)
    thief.register()
    assert thief.post("/account/alerts/%d/delete" % aid, {},
                      csrf_from="/account/alerts").status_code == 404
    assert r.post("/account/alerts/%d/delete" % aid, {},
                  csrf_from="/account/alerts").status_code == 303
    assert psql("SELECT count(*) FROM job_alerts WHERE id = %d" % aid) == "0"
    # Employers have no alerts.
    assert emp.get("/account/alerts").status_code == 403
    assert emp.post("/account/alerts", {"governorate": "erbil"},
                    csrf_from="/account").status_code == 403
