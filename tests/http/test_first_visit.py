"""First visits (issue 17): the welcome of a new account, the account
menu of each role with how complete a returnee's profile is, and
registering from a shared link that brings one back to it."""
import re

import pytest

from conftest import make_user, psql, unique
from test_jobs import published, save_profile

WELCOME = 'class="welcome"'


@pytest.fixture
def mod(server):
    return make_user(server, "moderator")


def links(page):
    return set(re.findall(r'<a [^>]*href="([^"]*)"', page.text))


def test_returnee_welcome_asks_for_the_profile_until_saved(new_client):
    c = new_client(lang="en")
    c.register()
    home = c.get("/")
    assert WELCOME in home.text
    welcome = home.text.split(WELCOME, 1)[1].split("</section>", 1)[0]
    # What to do, what it is for and who sees it, and where to find it.
    assert 'href="/profile"' in welcome
    assert "Counsellors read it to suggest vacancies" in welcome
    assert "An employer sees it only if you agree" in welcome
    assert "account menu" in welcome
    # On every page, not only the first, but not on the form it asks for.
    assert WELCOME in c.get("/jobs").text
    assert WELCOME not in c.get("/profile").text
    save_profile(c)
    assert WELCOME not in c.get("/").text
    assert WELCOME not in c.get("/jobs").text


def test_not_now_closes_the_welcome_and_goes_back(new_client):
    c = new_client(lang="en")
    c.register()
    page = c.get("/jobs")
    form = page.text.split('action="/account/welcome"', 1)[1].split(
        "</form>", 1)[0]
    assert 'name="next" value="/jobs"' in form
    r = c.post("/account/welcome", {"next": "/jobs"}, csrf_from="/jobs")
    assert r.status_code == 303 and r.headers["Location"] == "/jobs"
    assert WELCOME not in c.get("/jobs").text
    # Another site is no place to go back to.
    r = c.post("/account/welcome", {"next": "//evil.example/"},
               csrf_from="/jobs")
    assert r.headers["Location"] == "/"
    # Without the page's token it is refused.
    r = c.s.post(c.base + "/account/welcome", data={"next": "/"},
                 allow_redirects=False)
    assert r.status_code == 403


def test_accounts_made_by_the_operator_get_no_welcome(server):
    m = make_user(server, "moderator")
    assert WELCOME not in m.get("/").text


def test_returnee_account_menu_and_profile_completeness(new_client):
    c = new_client(lang="en")
    c.register()
    me = c.get("/account")
    assert me.status_code == 200
    assert {"/profile", "/applications", "/messages", "/events",
            "/account/password"} <= links(me)
    assert "0 of 8 details filled in" in me.text
    assert re.search(r'<progress max="8" value="0"', me.text)
    # The header's name leads to the menu.
    assert re.search(r'<a href="/account"><bdi class="me">%s</bdi></a>'
                     % re.escape(c.name), me.text)
    save_profile(c, country="", skills="", experience="", consent=None)
    me = c.get("/account")
    assert "5 of 8 details filled in" in me.text
    assert re.search(r'<progress max="8" value="5"', me.text)
    assert "Not shared with employers" in me.text
    save_profile(c)
    me = c.get("/account")
    assert "8 of 8 details filled in" in me.text
    assert "Shared with the employers of vacancies you apply to" in me.text
    # Sorani: the digits are Sorani's too.
    ckb = new_client(lang="ckb")
    ckb.register()
    assert re.search(r'id="profile-filled">[^<]*٠[^<]*٨', ckb.get(
        "/account").text)


def test_employer_welcome_and_menu(new_client):
    e = new_client(lang="en")
    e.register(role="employer")
    home = e.get("/")
    assert WELCOME in home.text
    welcome = home.text.split(WELCOME, 1)[1].split("</section>", 1)[0]
    assert 'href="/enterprise"' in welcome
    me = e.get("/account")
    assert {"/employer", "/enterprise", "/jobs/new", "/messages",
            "/events"} <= links(me)
    assert "/profile" not in links(me)
    r = e.post("/enterprise", {"name": "Zagros Build " + unique("z"),
                               "sector": "construction",
                               "governorate": "erbil"},
               csrf_from="/enterprise")
    assert r.status_code == 303, r.text[:2000]
    assert WELCOME not in e.get("/").text


def test_counsellor_and_admin_menus(server):
    m = make_user(server, "moderator")
    assert {"/mod", "/messages/counselling", "/messages"} <= links(
        m.get("/account"))
    assert "/admin" not in links(m.get("/account"))
    a = make_user(server, "admin")
    assert {"/mod", "/admin"} <= links(a.get("/account"))


def test_register_from_a_shared_vacancy_comes_back_to_it(new_client, mod):
    _, vid = published(new_client, mod)
    v = new_client(lang="en")
    page = v.get("/jobs/%d" % vid)
    assert page.status_code == 200
    # Both ways in keep the vacancy.
    assert 'href="/login?next=/jobs/%d"' % vid in page.text
    assert 'href="/register?next=/jobs/%d"' % vid in page.text
    reg = v.get("/register?next=/jobs/%d" % vid)
    assert '<input type="hidden" name="next" value="/jobs/%d">' % vid \
        in reg.text
    assert 'href="/login?next=%%2Fjobs%%2F%d"' % vid in reg.text
    # A wrong form keeps it too.
    r = v.post("/register", {"username": "x", "password": "short",
                             "role": "returnee", "next": "/jobs/%d" % vid},
               csrf_from="/register")
    assert r.status_code == 400
    assert '<input type="hidden" name="next" value="/jobs/%d">' % vid \
        in r.text
    name = unique()
    r = v.post("/register", {"username": name,
                             "password": "a fine long passphrase 17",
                             "role": "returnee", "next": "/jobs/%d" % vid},
               csrf_from="/register?next=/jobs/%d" % vid)
    assert r.status_code == 303, r.text[:2000]
    assert r.headers["Location"] == "/jobs/%d" % vid
    back = v.get(r.headers["Location"])
    assert WELCOME in back.text
    assert 'action="/jobs/%d/apply"' % vid in back.text
    # Signed in, /register?next= goes on to the page.
    r = v.get("/register?next=/jobs/%d" % vid)
    assert r.status_code == 303 and r.headers["Location"] == "/jobs/%d" % vid


@pytest.mark.parametrize("bad", ["//evil.example/x", "https://evil.example/",
                                 "/\\evil.example", "jobs/1"])
def test_register_next_is_a_local_path_only(new_client, bad):
    v = new_client()
    r = v.post("/register", {"username": unique(),
                             "password": "a fine long passphrase 17",
                             "role": "returnee", "next": bad},
               csrf_from="/register")
    assert r.status_code == 303
    assert r.headers["Location"] == "/"


def test_sign_in_page_offers_registering_with_next(new_client):
    v = new_client()
    page = v.get("/login?next=/events/3")
    assert 'href="/register?next=%2Fevents%2F3"' in page.text
    # Without next, a plain link.
    assert 'href="/register"' in v.get("/login").text


# ---- A forgotten password without an account (item 3) ----

def admin_sets_offices(server, text):
    a = make_user(server, "admin")
    page = a.get("/admin").text
    data = {}
    for m in re.finditer(r'<input id="([a-z_]+)" name="\1" type="number"[^>]*'
                         r'value="(\d+)"', page):
        data[m.group(1)] = m.group(2)
    data["offices"] = text
    r = a.post("/admin/settings", data, csrf_from="/admin")
    assert r.status_code == 303, r.text[:2000]
    return a


def test_sign_in_page_shows_the_way_to_the_counsellors_and_offices(
        server, new_client):
    office = ("Erbil: 60 Meter Street, +964 750 000 0000, "
              "Sunday to Thursday 9-15\nDuhok: <b>Kawa</b> Street")
    a = admin_sets_offices(server, office)
    assert "Kawa" in a.get("/admin").text
    v = new_client(lang="en")
    page = v.get("/login")
    assert 'href="/contact"' in page.text
    assert "ask a counsellor (a moderator)" not in page.text
    assert ('<p class="offices-text" dir="auto">Erbil: 60 Meter Street, '
            '+964 750 000 0000, Sunday to Thursday 9-15\nDuhok: '
            '&lt;b&gt;Kawa&lt;/b&gt; Street</p>') in page.text
    assert "&lt;b&gt;Kawa" in v.get("/contact").text
    assert psql("SELECT count(*) FROM audit_log WHERE action = "
                "'settings.change' AND reason LIKE '%offices: changed%'") \
        != "0"
    # Without offices, no empty section.
    admin_sets_offices(server, "")
    assert "offices-text" not in v.get("/login").text


def test_contact_form_lands_in_the_counselling_inbox(server, new_client):
    v = new_client(lang="en")
    form = v.get("/contact")
    assert form.status_code == 200
    assert "say what only you know" in form.text
    name = unique("lost")
    r = v.post("/contact", {"username": name,
                            "reach": "+964 750 123 4567 (WhatsApp)",
                            "body": "I forgot my password. I applied to "
                                    "the welder vacancy in <Erbil> in May."})
    assert r.status_code == 303 and r.headers["Location"] == "/contact?sent=1"
    assert "Your message is with the counsellors" in v.get(
        r.headers["Location"]).text
    cid = psql("SELECT c.id FROM conversations c JOIN users u ON "
               "u.id = c.created_by WHERE u.username = 'signed-out visitor' "
               "AND c.subject LIKE '%%%s%%'" % name)
    assert cid
    m = make_user(server, "moderator")
    inbox = m.get("/messages/counselling")
    assert 'href="/messages/%s"' % cid in inbox.text
    conv = m.get("/messages/%s" % cid)
    assert conv.status_code == 200
    assert "+964 750 123 4567 (WhatsApp)" in conv.text
    assert "vacancy in &lt;Erbil&gt; in May" in conv.text
    # The account that writes it cannot sign in.
    assert psql("SELECT password_hash FROM users WHERE username = "
                "'signed-out visitor'") == "!"


def test_contact_form_bad_input_kept_and_named(new_client):
    v = new_client(lang="en")
    r = v.post("/contact", {"username": "someone", "reach": "",
                            "body": "short"})
    assert r.status_code == 422
    assert 'value="someone"' in r.text
    assert '>short</textarea>' in r.text
    assert 'id="reach-err"' in r.text and 'id="body-err"' in r.text
    # No token, no message.
    r = v.s.post(v.base + "/contact", data={"reach": "0750 000 0000",
                                            "body": "I forgot my password"},
                 allow_redirects=False)
    assert r.status_code == 403


def test_contact_form_is_rate_limited_per_address(new_client):
    v = new_client(lang="en")
    data = {"reach": "0750 111 2222", "body": "Forgot my password, please."}
    for _ in range(3):
        assert v.post("/contact", data).status_code == 303
    r = v.post("/contact", data)
    assert r.status_code == 429
    assert "Three messages were sent from this address today" in r.text
    # Another address may still write.
    assert new_client().post("/contact", data).status_code == 303


def test_signed_in_people_write_as_themselves(new_client):
    c = new_client()
    c.register()
    r = c.get("/contact")
    assert r.status_code == 303 and r.headers["Location"] == "/messages/new"


# ---- Applying, its status, its conversation; the real wait (item 4) ----

def test_application_sent_status_named_and_conversation_linked(
        new_client, mod):
    emp, vid = published(new_client, mod)
    ret = new_client(lang="en")
    ret.register()
    r = ret.post("/jobs/%d/apply" % vid, {"message": "I weld."},
                 csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    m = re.fullmatch(r"/applications\?sent=1#a(\d+)", r.headers["Location"])
    assert m, r.headers["Location"]
    aid = int(m.group(1))
    page = ret.get(r.headers["Location"])
    assert 'class="notice sent" role="status"' in page.text
    assert "Your application is sent" in page.text
    # Only right after sending.
    assert "Your application is sent" not in ret.get("/applications").text
    r = emp.post("/applications/%d/status" % aid, {"status": "shortlisted"},
                 csrf_from="/jobs/%d/applications" % vid)
    assert r.status_code == 303
    notes = ret.get("/notifications").text
    assert "has a new status: Shortlisted" in notes
    ckb = ret.get("/notifications", headers={"Accept-Language": "ckb"})
    assert ckb.status_code == 200
    # No conversation yet: no link; once the employer writes, one.
    assert 'href="/messages/' not in ret.get("/applications").text.split(
        "<main", 1)[1]
    r = emp.post("/messages/new", {"application": str(aid),
                                   "subject": "Interview on Sunday",
                                   "body": "Can you come at 10?"},
                 csrf_from="/messages/new?application=%d" % aid)
    assert r.status_code == 303, r.text[:2000]
    cid = re.match(r"/messages/(\d+)", r.headers["Location"]).group(1)
    mine = ret.get("/applications").text
    assert '<a href="/messages/%s">Your conversation with the employer</a>' \
        % cid in mine


@pytest.fixture
def slow_new_accounts():
    psql("UPDATE settings SET value = '30' WHERE key = "
         "'new_user_post_interval'")
    import time
    time.sleep(6)   # the settings cache: at most 5 seconds
    yield
    psql("UPDATE settings SET value = '0' WHERE key = "
         "'new_user_post_interval'")
    time.sleep(6)


def test_too_fast_says_the_real_wait(new_client, slow_new_accounts):
    c = new_client(lang="en")
    c.register()
    for i in range(2):
        r = c.post("/b/erbil/new", {"title": "Rent in Erbil %d" % i,
                                    "body": "Where can I rent a flat?"},
                   csrf_from="/b/erbil/new")
    assert r.status_code == 429
    m = re.search(r"Please wait (\d+) seconds", r.text)
    assert m and 25 <= int(m.group(1)) <= 30, r.text[-3000:]
    assert 25 <= int(r.headers["Retry-After"]) <= 30
    assert "a few seconds" not in r.text
    for i in range(2):
        r = c.post("/messages/new", {"subject": "Rent help %d" % i,
                                     "body": "Can someone advise me?"},
                   csrf_from="/messages/new")
    assert r.status_code == 429
    m = re.search(r"Please wait (\d+) seconds", r.text)
    assert m and 25 <= int(m.group(1)) <= 30, r.text[-3000:]
