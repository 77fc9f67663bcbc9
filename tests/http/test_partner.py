"""Partner offices (issue 21, item 7): an office of the Kurdistan Regional
Government reads the outcomes of its governorate (or of all) on /partner
and as CSV, counts from 1 to 4 as "fewer than 5", read-only, nothing
personal, every page it opens in the audit log.  The rows are vacancies
published in 2032, where no other test writes: 3 in Duhok (shown as
"fewer than 5"), 6 in Erbil (shown as 6)."""
import csv
import io
import os
import random
import re
import subprocess

import pytest

from conftest import Client, TOP, psql, unique

FROM, TO = "2032-01-01", "2032-12-31"
PERIOD = "?from=%s&to=%s" % (FROM, TO)
# The column of "Vacancies published" in the CSV: dimension, group, then
# the measures in outcomes.c's order.
VACANCIES = 2 + 5


def cli_add(name, role, *extra):
    env = dict(os.environ, MAGNET_DB=os.environ["MAGNET_TEST_DB"])
    password = "a long test passphrase %d" % random.randint(0, 10**9)
    out = subprocess.run([os.environ["MAGNET_BIN"], "user", "add", name,
                          "--role", role] + list(extra),
                         input=password + "\n", env=env,
                         capture_output=True, text=True, cwd=TOP)
    return out, password


def partner(server, gov=None):
    """A signed-in partner office made by `magnet user add`, reading
    English."""
    name = unique("prt")
    out, password = cli_add(name, "partner",
                            *(["--governorate", gov] if gov else []))
    assert out.returncode == 0, out.stderr
    c = Client(server.base, lang="en")
    c.name, c.password = name, password
    assert c.login().status_code == 303
    c.id = int(psql("SELECT id FROM users WHERE username = '%s'" % name))
    return c


@pytest.fixture(scope="module")
def rows(server):
    """The vacancies of 2032 and their employer's name."""
    name = unique("pemp")
    # Verified long before (out of the period, and out of the
    # counsellors' queue, which other tests read).
    ent = int(psql("INSERT INTO enterprises (name, governorate, "
                   "verified_at) VALUES ('Partner test %s', 'duhok', "
                   "'2030-01-01') RETURNING id" % name).split()[0])
    emp = int(psql("INSERT INTO users (username, username_key, "
                   "password_hash, role, enterprise_id) VALUES ('%s', '%s', "
                   "'!', 'employer', %d) RETURNING id"
                   % (name, name.lower(), ent)).split()[0])
    for gov, n in (("duhok", 3), ("erbil", 6)):
        for i in range(n):
            psql("INSERT INTO vacancies (enterprise_id, author_id, kind, "
                 "title, description_md, description_html, governorate, "
                 "sector, contract, positions, deadline, state, "
                 "published_at) VALUES (%d, %d, 'job', 'Partner test', 'x', "
                 "'<p>x</p>', '%s', 'construction', 'full_time', 1, "
                 "'2032-12-31', 'published', '2032-03-0%d 09:00+03')"
                 % (ent, emp, gov, i + 1))
    return name


def page_figure(text, label="Vacancies published"):
    """The figure of the whole period's table for a measure."""
    m = re.search(r'<table class="stats outcomes-all">.*?<th scope="row">'
                  + re.escape(label) + r'</th><td>([^<]*)</td>', text, re.S)
    assert m, text[:3000]
    return m.group(1)


def csv_rows(res):
    assert res.status_code == 200, res.text[:2000]
    assert res.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))


def csv_figure(rows, dim, group):
    for r in rows:
        if r[0] == dim and r[1] == group:
            return r[VACANCIES]
    return None


def views(c, reason):
    return int(psql("SELECT count(*) FROM audit_log WHERE actor_id = %d "
                    "AND action = 'partner.view' AND target = 'user:%d' "
                    "AND reason = '%s'" % (c.id, c.id, reason)))


def test_each_office_reads_its_governorate(server, rows):
    duhok, erbil, every = (partner(server, "duhok"), partner(server, "erbil"),
                           partner(server))
    res = duhok.get("/partner" + PERIOD)
    assert res.status_code == 200
    assert '<html lang="en" dir="ltr">' in res.text
    assert "Figures for: Duhok" in res.text
    assert page_figure(res.text) == "fewer than 5"
    assert rows not in res.text     # no employer's name
    assert "Erbil" not in res.text.split('<main id="main">')[1]
    res = erbil.get("/partner" + PERIOD)
    assert "Figures for: Erbil" in res.text
    assert page_figure(res.text) == "6"
    res = every.get("/partner" + PERIOD)
    assert "Figures for: All governorates" in res.text
    assert page_figure(res.text) == "9"

    d = csv_rows(duhok.get("/partner/outcomes.csv" + PERIOD))
    assert csv_figure(d, "All", "All") == "fewer than 5"
    assert csv_figure(d, "Governorate", "Duhok") == "fewer than 5"
    assert csv_figure(d, "Governorate", "Erbil") is None
    e = csv_rows(erbil.get("/partner/outcomes.csv" + PERIOD))
    assert csv_figure(e, "All", "All") == "6"
    assert csv_figure(e, "Governorate", "Duhok") is None
    a = csv_rows(every.get("/partner/outcomes.csv" + PERIOD))
    assert csv_figure(a, "All", "All") == "9"
    assert csv_figure(a, "Governorate", "Duhok") == "fewer than 5"
    assert csv_figure(a, "Governorate", "Erbil") == "6"
    assert rows not in a[0] + sum(a, [])


def test_every_page_an_office_opens_is_audited(server, staff):
    c = partner(server, "duhok")
    assert views(c, "/partner" + PERIOD) == 0
    assert c.get("/partner" + PERIOD).status_code == 200
    assert views(c, "/partner" + PERIOD) == 1
    assert c.get("/partner/outcomes.csv" + PERIOD).status_code == 200
    assert views(c, "/partner/outcomes.csv" + PERIOD) == 1
    assert c.get("/events").status_code == 200
    assert views(c, "/events") == 1
    # The counsellors read it in their words.
    mod = staff("moderator")
    mod.s.headers["Accept-Language"] = "en"
    mod.s.cookies.set("lang", "en")
    res = mod.get("/mod/audit")
    assert res.status_code == 200
    assert "Partner office opened a page" in res.text


def test_header_and_account_menu(server):
    c = partner(server, "erbil")
    c.s.headers["Accept-Language"] = "ckb"
    res = c.get("/")
    assert '<html lang="ckb" dir="rtl">' in res.text
    nav = res.text.split("</nav>")[0]
    assert 'href="/partner"' in nav and 'href="/events"' in nav
    assert 'href="/messages"' not in nav
    assert 'href="/notifications"' not in nav
    res = c.get("/account")
    assert res.status_code == 200
    assert 'href="/account/password"' in res.text
    assert 'href="/account/delete"' not in res.text
    assert 'action="/account/calendar"' not in res.text


def test_bad_period_comes_back_named(server):
    c = partner(server, "duhok")
    res = c.get("/partner?from=2032-13-01&to=2032-12-31")
    assert res.status_code == 422
    assert 'value="2032-13-01"' in res.text and 'id="from-err"' in res.text
    assert c.get("/partner/outcomes.csv?from=x").status_code == 400


def test_an_office_only_reads(server, new_client):
    author = new_client()
    author.register()
    r = author.post("/b/erbil/new", {"title": "A thread for partners",
                                     "body": "Hello from Erbil."},
                    csrf_from="/b/erbil/new")
    assert r.status_code == 303, r.text[:2000]
    tid = int(re.search(r"/t/(\d+)", r.headers["Location"]).group(1))
    vid = int(psql("SELECT max(id) FROM vacancies"))
    c = partner(server, "duhok")
    threads = psql("SELECT count(*) FROM threads")
    for path, data in (
            ("/b/erbil/new", {"title": "Partner thread", "body": "text"}),
            ("/t/%d/reply" % tid, {"body": "a reply"}),
            ("/t/%d/thank" % tid, {}),
            ("/jobs/%d/apply" % vid, {"message": "hello"}),
            ("/jobs/%d/save" % vid, {}),
            ("/messages/new", {"to": "", "subject": "hi", "body": "hi"}),
            ("/profile", {"governorate": "duhok"}),
            ("/contact", {"subject": "hi", "body": "hi"}),
            ("/account/delete", {"password": c.password}),
            ("/account/calendar", {})):
        res = c.post(path, data, csrf_from="/")
        assert res.status_code == 403, (path, res.status_code)
    assert psql("SELECT count(*) FROM threads") == threads
    for path in ("/mod", "/mod/stats", "/mod/users", "/mod/audit", "/admin",
                 "/jobs/new", "/profile", "/messages", "/messages/new",
                 "/notifications", "/applications", "/jobs/for-you",
                 "/mod/stats/outcomes.csv", "/b/erbil/new",
                 "/account/delete", "/account/export"):
        assert c.get(path).status_code == 403, path
    # Its password it may change, and it may sign out.
    new = "another long passphrase %d" % random.randint(0, 10**9)
    res = c.post("/account/password", {"current": c.password,
                                       "password": new})
    assert res.status_code in (200, 303), res.text[:2000]
    assert c.logout().status_code == 303
    assert not c.signed_in()
    assert c.login(password=new).status_code == 303
    assert c.signed_in()


def test_staff_read_it_too_others_do_not(server, staff, new_client):
    mod = staff("moderator")
    res = mod.get("/partner" + PERIOD)
    assert res.status_code == 200
    assert int(psql("SELECT count(*) FROM audit_log WHERE actor_id = (SELECT "
                    "id FROM users WHERE username = '%s')" % mod.name)) == 0
    returnee = new_client()
    returnee.register()
    assert returnee.get("/partner").status_code == 403
    assert returnee.get("/partner/outcomes.csv").status_code == 403
    visitor = new_client()
    assert visitor.get("/partner").status_code == 303


def test_cli_makes_partners_and_refuses_bad_scopes():
    name = unique("prt")
    out, _ = cli_add(name, "partner", "--governorate", "halabja")
    assert out.returncode == 0, out.stderr
    assert psql("SELECT role || ':' || partner_governorate FROM users WHERE "
                "username = '%s'" % name) == "partner:halabja"
    out, _ = cli_add(unique("prt"), "partner", "--governorate", "basra")
    assert out.returncode != 0 and "governorate" in out.stderr
    out, _ = cli_add(unique("ret"), "returnee", "--governorate", "duhok")
    assert out.returncode != 0
    # Only a partner has a governorate.
    with pytest.raises(subprocess.CalledProcessError):
        psql("INSERT INTO users (username, username_key, password_hash, "
             "role, partner_governorate) VALUES ('%s', '%s', '!', "
             "'returnee', 'duhok')" % (name + "r", name + "r"))


def test_an_admin_makes_an_account_an_office(server, staff, new_client,
                                             rows):
    """On a person's card an admin chooses "Partner office" and its
    governorate; the office then reads that governorate alone, and an
    admin can widen it to all or make it a returnee again."""
    admin, mod = staff("admin"), staff("moderator")
    office = new_client()
    office.register()
    uid = int(psql("SELECT id FROM users WHERE username = '%s'"
                   % office.name))
    card = admin.get("/mod/users/%d" % uid).text
    assert '<option value="partner">Partner office</option>' in card
    assert '<option value="returnee" selected>' in card
    # A counsellor has no role form; the route refuses them.
    assert 'action="/admin/users/%d/role"' % uid not in \
        mod.get("/mod/users/%d" % uid).text
    assert mod.post("/admin/users/%d/role" % uid, {
        "role": "partner"}, csrf_from="/mod").status_code == 403
    # A governorate that is none is named.
    r = admin.post("/admin/users/%d/role" % uid, {
        "role": "partner", "governorate": "basra"},
        csrf_from="/mod/users/%d" % uid)
    assert r.status_code == 422
    r = admin.post("/admin/users/%d/role" % uid, {
        "role": "partner", "governorate": "erbil"},
        csrf_from="/mod/users/%d" % uid)
    assert r.status_code == 303, r.text[:2000]
    assert psql("SELECT role || ':' || partner_governorate FROM users "
                "WHERE id = %d" % uid) == "partner:erbil"
    assert psql("SELECT reason FROM audit_log WHERE action = 'user.role' "
                "AND target = 'user:%d'" % uid) == "partner erbil"
    card = admin.get("/mod/users/%d" % uid).text
    assert '<option value="partner" selected>' in card
    assert '<option value="erbil" selected>' in card
    # The change ended the account's sessions: signed in again, it is
    # an office of Erbil.
    assert not office.signed_in()
    assert office.login().status_code == 303
    res = office.get("/partner" + PERIOD)
    assert res.status_code == 200 and "Figures for: Erbil" in res.text
    assert page_figure(res.text) == "6"
    assert office.get("/profile").status_code == 403
    # All governorates, then a returnee again (no governorate left).
    assert admin.post("/admin/users/%d/role" % uid, {
        "role": "partner", "governorate": ""},
        csrf_from="/mod/users/%d" % uid).status_code == 303
    assert psql("SELECT coalesce(partner_governorate, 'all') FROM users "
                "WHERE id = %d" % uid) == "all"
    assert admin.post("/admin/users/%d/role" % uid, {
        "role": "returnee", "governorate": "duhok"},
        csrf_from="/mod/users/%d" % uid).status_code == 303
    assert psql("SELECT role || ':' || coalesce(partner_governorate, '-') "
                "FROM users WHERE id = %d" % uid) == "returnee:-"
