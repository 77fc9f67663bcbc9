"""The job board as its users meet it: an employer posts, a counsellor
approves, returnees apply and are referred; who may see what, expiry,
the schema.org data, the feed, the API and bad input."""
import datetime
import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import Client, make_user, psql, unique

ATOM = "{http://www.w3.org/2005/Atom}"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>',
                    re.S)


def esc(s):
    """Text as the server escapes it."""
    return html.escape(s).replace("&#x27;", "&#39;")


def today(offset=0):
    """A date in the Kurdistan Region (UTC+3), as the form sends it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return (now + datetime.timedelta(hours=3, days=offset)).strftime(
        "%Y-%m-%d")


def employer(new_client, enterprise=None):
    c = new_client()
    c.register(role="employer", enterprise=enterprise or
               "Enterprise " + unique("e"))
    page = c.get("/employer")
    assert page.status_code == 200, page.text[:2000]
    c.enterprise = int(re.search(r'href="/enterprises/(\d+)"',
                                 page.text).group(1))
    return c


def returnee(new_client):
    c = new_client()
    c.register()
    c.uid = int(psql("SELECT id FROM users WHERE username = '%s'" % c.name))
    return c


def vacancy_form(**kw):
    data = {"kind": "job", "title": "Site engineer " + unique("v"),
            "description": "Build **schools** in Erbil.\n\n- 5 years",
            "governorate": "erbil", "city": "Erbil", "sector":
            "construction", "contract": "full_time", "positions": "2",
            "skills": "welding, AutoCAD", "salary_min": "750000",
            "salary_max": "1200000", "deadline": today(30),
            "action": "submit", "l_ckb": "1", "l_en": "1"}
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def post_vacancy(c, **kw):
    r = c.post("/jobs/new", vacancy_form(**kw), csrf_from="/jobs/new")
    assert r.status_code == 303, (r.status_code, r.text[:3000])
    m = re.fullmatch(r"/jobs/(\d+)", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def approve(mod, vid):
    r = mod.post("/mod/jobs/%d/approve" % vid, {}, csrf_from="/mod/jobs")
    assert r.status_code == 303, (r.status_code, r.text[:2000])
    return r


def published(new_client, mod, emp=None, **kw):
    emp = emp or employer(new_client)
    vid = post_vacancy(emp, **kw)
    approve(mod, vid)
    return emp, vid


def apply(c, vid, message="I have built schools in Germany for six years."):
    return c.post("/jobs/%d/apply" % vid, {"message": message},
                  csrf_from="/jobs/%d" % vid)


def save_profile(c, **kw):
    data = {"governorate": "erbil", "country": "de", "return_date":
            today(-100), "occupation": "Welder", "skills": "welding",
            "education": "vocational", "experience": "Six years in Köln.",
            "consent": "1", "l_ckb": "1", "l_de": "1"}
    data.update(kw)
    data = {k: v for k, v in data.items() if v is not None}
    r = c.post("/profile", data, csrf_from="/profile")
    assert r.status_code == 303, (r.status_code, r.text[:3000])


def api_ids(c, query=""):
    r = c.get("/api/v1/jobs" + query)
    assert r.status_code == 200, r.text[:1000]
    assert r.headers["Content-Type"].startswith("application/json")
    return [j["id"] for j in r.json()["jobs"]]


def feed_ids(c, query=""):
    r = c.get("/feeds/jobs.atom" + query)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == ATOM + "feed"
    return [int(e.find(ATOM + "id").text.rsplit("/", 1)[1])
            for e in root.findall(ATOM + "entry")]


def listed(c, vid, query=""):
    return 'href="/jobs/%d"' % vid in c.get("/jobs" + query).text


@pytest.fixture
def mod(server):
    return make_user(server, "moderator")


def test_the_issue_journey(server, new_client, mod):
    """How it is checked, end to end."""
    emp = employer(new_client)
    visitor = Client(server.base)
    alice, bob = returnee(new_client), returnee(new_client)
    emp2 = employer(new_client)

    # An employer posts a vacancy that nobody else can see.
    title = "Electrician " + unique("j")
    vid = post_vacancy(emp, title=title)
    page = emp.get("/jobs/%d" % vid)
    assert page.status_code == 200
    assert "Waiting for review" in page.text
    for c in (visitor, alice, emp2):
        assert c.get("/jobs/%d" % vid).status_code == 404
        assert not listed(c, vid)
    assert vid not in api_ids(visitor)
    assert visitor.get("/api/v1/jobs/%d" % vid).status_code == 404
    assert vid not in feed_ids(visitor)
    assert title not in visitor.get("/jobs?q=" + title.split()[1]).text
    assert 'href="/jobs/%d"' % vid not in visitor.get(
        "/search?q=" + title.split()[1]).text

    # A counsellor sees how long it waited, approves it: it is public.
    queue = mod.get("/mod/jobs")
    assert queue.status_code == 200
    assert title in queue.text and "Waiting:" in queue.text
    approve(mod, vid)
    assert psql("SELECT count(*) FROM audit_log WHERE action = "
                "'vacancy.approve' AND target = 'vacancy:%d'" % vid) == "1"
    assert "approved" in emp.get("/notifications").text
    assert visitor.get("/jobs/%d" % vid).status_code == 200
    assert listed(visitor, vid)
    assert vid in api_ids(visitor)
    assert vid in feed_ids(visitor)
    assert listed(visitor, vid, "?q=" + title.split()[1])
    assert 'href="/jobs/%d"' % vid in visitor.get(
        "/search?q=" + title.split()[1]).text

    # A returnee applies; the employer is told.
    r = apply(alice, vid, "Alice's message: I wire houses.")
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/applications?sent=1#a")
    assert "applied to" in emp.get("/notifications").text
    aid = int(psql("SELECT id FROM applications WHERE vacancy_id = %d"
                   % vid))
    # Once only.
    r = apply(alice, vid, "A second time")
    assert r.status_code == 422
    assert "already applied" in r.text
    assert "A second time" in r.text

    # The employer shortlists it, and the returnee sees that.
    apps = emp.get("/jobs/%d/applications" % vid)
    assert apps.status_code == 200
    assert esc("Alice's message: I wire houses.") in apps.text
    r = emp.post("/applications/%d/status" % aid, {"status": "shortlisted"},
                 csrf_from="/jobs/%d/applications" % vid)
    assert r.status_code == 303
    mine = alice.get("/applications")
    assert title in mine.text
    assert "Shortlisted" in mine.text
    assert "has a new status: Shortlisted" in alice.get("/notifications").text

    # A counsellor refers another returnee and marks the referral placed.
    save_profile(bob, skills="welding, electrical wiring")
    sug = mod.get("/mod/jobs/%d/suggestions" % vid)
    assert sug.status_code == 200
    assert bob.name in sug.text
    r = mod.post("/mod/jobs/%d/refer" % vid, {"user": str(bob.uid),
                 "note": "Bob trained as an electrician in Stuttgart."},
                 csrf_from="/mod/jobs/%d/suggestions" % vid)
    assert r.status_code == 303, r.text[:2000]
    rid = int(psql("SELECT id FROM referrals WHERE vacancy_id = %d" % vid))
    assert "referred you" in bob.get("/notifications").text
    assert "Referred" in bob.get("/applications").text
    assert bob.name in emp.get("/jobs/%d/applications" % vid).text
    r = mod.post("/mod/referrals/%d/status" % rid, {"status": "placed"},
                 csrf_from="/mod/referrals")
    assert r.status_code == 303
    assert "Placed" in bob.get("/applications").text
    assert psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
                "WHERE target = 'referral:%d'" % rid) == \
        "referral.create,referral.status"

    # A second employer cannot read the first one's applications.
    assert emp2.get("/jobs/%d/applications" % vid).status_code == 403
    r = emp2.post("/applications/%d/status" % aid, {"status": "hired"},
                  csrf_from="/jobs")
    assert r.status_code == 403
    assert psql("SELECT status FROM applications WHERE id = %d"
                % aid) == "shortlisted"

    # Past its deadline the vacancy disappears by itself.
    psql("UPDATE vacancies SET deadline = magnet_today() - 1 WHERE id = %d"
         % vid)
    assert visitor.get("/jobs/%d" % vid).status_code == 404
    assert not listed(visitor, vid)
    assert vid not in api_ids(visitor)
    assert visitor.get("/api/v1/jobs/%d" % vid).status_code == 404
    assert vid not in feed_ids(visitor)
    assert 'href="/jobs/%d"' % vid not in visitor.get(
        "/search?q=" + title.split()[1]).text
    assert "Expired" in emp.get("/employer").text
    # The applicant can still look at what they applied to.
    page = alice.get("/jobs/%d" % vid)
    assert page.status_code == 200 and "Expired" in page.text
    assert "application/ld+json" not in page.text


def test_access_sweep(server, new_client, mod):
    """Every job-board route against a visitor, two returnees, two
    employers, a counsellor and an admin."""
    visitor = Client(server.base)
    e1, e2 = employer(new_client), employer(new_client)
    e3 = employer(new_client)       # no vacancy, not verified
    r1, r2 = returnee(new_client), returnee(new_client)
    save_profile(r1, consent="1")
    save_profile(r2, consent=None)
    e1, v1 = published(new_client, mod, e1)
    v1p = post_vacancy(e1)                      # pending
    e2, v2 = published(new_client, mod, e2)
    assert apply(r1, v1).status_code == 303
    assert apply(r2, v2).status_code == 303
    a1 = int(psql("SELECT id FROM applications WHERE vacancy_id = %d" % v1))
    r = mod.post("/mod/jobs/%d/refer" % v2, {"user": str(r1.uid)},
                 csrf_from="/mod/jobs/%d/suggestions" % v2)
    assert r.status_code == 303
    ref = int(psql("SELECT id FROM referrals WHERE vacancy_id = %d" % v2))
    admin = make_user(server, "admin")
    who = {"visitor": visitor, "r1": r1, "r2": r2, "e1": e1, "e2": e2,
           "mod": mod, "admin": admin}
    LOGIN = 303     # a visitor is sent to sign in
    rules = [
        ("GET", "/jobs", dict(visitor=200, r1=200, r2=200, e1=200, e2=200,
                              mod=200)),
        ("GET", "/jobs/%d" % v1, dict(visitor=200, r1=200, r2=200, e1=200,
                                      e2=200, mod=200)),
        ("GET", "/jobs/%d" % v1p, dict(visitor=404, r1=404, r2=404, e1=200,
                                       e2=404, mod=200)),
        ("GET", "/jobs/new", dict(visitor=LOGIN, r1=403, r2=403, e1=200,
                                  e2=200, mod=403)),
        ("POST", "/jobs/new", dict(visitor=403, r1=403, r2=403, mod=403)),
        ("GET", "/jobs/%d/edit" % v1, dict(visitor=LOGIN, r1=403, r2=403,
                                           e1=200, e2=403, mod=403)),
        ("POST", "/jobs/%d/edit" % v1, dict(visitor=403, r1=403, r2=403,
                                            e2=403, mod=403)),
        ("POST", "/jobs/%d/close" % v1, dict(visitor=403, r1=403, r2=403,
                                             e2=403, mod=403)),
        ("GET", "/jobs/%d/apply" % v1, dict(visitor=LOGIN, r1=303, r2=200,
                                            e1=403, e2=403, mod=403)),
        ("GET", "/jobs/%d/apply" % v1p, dict(r1=404, r2=404)),
        ("POST", "/jobs/%d/apply" % v1, dict(visitor=403, e1=403, e2=403,
                                             mod=403)),
        ("GET", "/jobs/%d/applications" % v1, dict(visitor=LOGIN, r1=403,
                                                   r2=403, e1=200, e2=403,
                                                   mod=200)),
        ("POST", "/applications/%d/status" % a1, dict(visitor=403, r1=403,
                                                      r2=403, e2=403,
                                                      mod=403)),
        ("GET", "/applications", dict(visitor=LOGIN, r1=200, r2=200,
                                      e1=403, e2=403, mod=403)),
        ("GET", "/employer", dict(visitor=LOGIN, r1=403, r2=403, e1=200,
                                  e2=200, mod=403)),
        ("GET", "/enterprise", dict(visitor=LOGIN, r1=403, r2=403, e1=200,
                                    e2=200, mod=403)),
        ("POST", "/enterprise", dict(visitor=403, r1=403, r2=403, mod=403)),
        ("GET", "/enterprises/%d" % e1.enterprise, dict(
            visitor=200, r1=200, r2=200, e1=200, e2=200, mod=200)),
        ("GET", "/enterprises/%d" % e3.enterprise, dict(
            visitor=404, r1=404, r2=404, e1=404, e2=404, mod=200)),
        ("GET", "/profile", dict(visitor=LOGIN, r1=200, r2=200, e1=403,
                                 e2=403, mod=403)),
        ("POST", "/profile", dict(visitor=403, e1=403, e2=403, mod=403)),
        # r1 applied to e1 and was referred to e2, and shares.
        ("GET", "/profiles/%d" % r1.uid, dict(visitor=LOGIN, r1=200,
                                              r2=404, e1=200, e2=200,
                                              mod=200)),
        # r2 applied to e2 but does not share.
        ("GET", "/profiles/%d" % r2.uid, dict(visitor=LOGIN, r1=404,
                                              r2=200, e1=404, e2=404,
                                              mod=200)),
        ("GET", "/mod/jobs", dict(visitor=LOGIN, r1=403, r2=403, e1=403,
                                  e2=403, mod=200)),
        ("POST", "/mod/jobs/%d/approve" % v1p, dict(visitor=403, r1=403,
                                                    r2=403, e1=403,
                                                    e2=403)),
        ("POST", "/mod/jobs/%d/reject" % v1p, dict(visitor=403, r1=403,
                                                   r2=403, e1=403,
                                                   e2=403)),
        ("POST", "/mod/enterprises/%d/verify" % e1.enterprise, dict(
            visitor=403, r1=403, r2=403, e1=403, e2=403)),
        ("GET", "/mod/jobs/%d/suggestions" % v1, dict(visitor=LOGIN, r1=403,
                                                      r2=403, e1=403,
                                                      e2=403, mod=200)),
        ("POST", "/mod/jobs/%d/refer" % v1, dict(visitor=403, r1=403,
                                                 r2=403, e1=403, e2=403)),
        ("GET", "/mod/referrals", dict(visitor=LOGIN, r1=403, r2=403,
                                       e1=403, e2=403, mod=200)),
        ("POST", "/mod/referrals/%d/status" % ref, dict(
            visitor=403, r1=403, r2=403, e1=403, e2=403)),
        ("GET", "/feeds/jobs.atom", dict(visitor=200, r1=200, e1=200,
                                         mod=200)),
        ("GET", "/api/v1/jobs", dict(visitor=200, r1=200, e1=200, mod=200)),
        ("GET", "/api/v1/jobs/%d" % v1, dict(visitor=200, e1=200, mod=200)),
        # The API shows what a visitor may see, whoever asks.
        ("GET", "/api/v1/jobs/%d" % v1p, dict(visitor=404, e1=404,
                                              mod=404)),
    ]
    bad = []
    for method, path, expect in rules:
        if "mod" in expect:
            expect = dict(expect, admin=expect["mod"])
        for name, want in expect.items():
            c = who[name]
            if method == "GET":
                got = c.get(path).status_code
            else:
                got = c.post(path, {"status": "hired", "reason": "filled",
                                    "user": str(r2.uid)},
                             csrf_from="/jobs").status_code
            if got != want:
                bad.append("%s %s as %s: %d, expected %d" % (
                    method, path, name, got, want))
    assert not bad, "\n".join(bad)
    # Nothing changed through the refused requests.
    assert psql("SELECT state FROM vacancies WHERE id = %d" % v1p) == \
        "pending"
    assert psql("SELECT state FROM vacancies WHERE id = %d" % v1) == \
        "published"
    assert psql("SELECT status FROM applications WHERE id = %d" % a1) == \
        "submitted"
    assert psql("SELECT status FROM referrals WHERE id = %d" % ref) == \
        "referred"
    assert psql("SELECT count(*) FROM referrals WHERE vacancy_id = %d"
                % v1) == "0"
    assert psql("SELECT verified_at IS NULL FROM enterprises WHERE id = %d"
                % e1.enterprise) == "t"
    # Each employer's dashboard lists its own vacancies only.
    d1, d2 = e1.get("/employer").text, e2.get("/employer").text
    assert 'href="/jobs/%d"' % v1 in d1 and 'href="/jobs/%d"' % v2 not in d1
    assert 'href="/jobs/%d"' % v2 in d2 and 'href="/jobs/%d"' % v1 not in d2
    # Each returnee sees only their own applications.
    assert 'href="/jobs/%d"' % v1 in r1.get("/applications").text
    assert 'href="/jobs/%d"' % v1 not in r2.get("/applications").text
    # Each role finds its pages from /jobs.
    assert 'href="/applications"' in r1.get("/jobs").text
    assert 'href="/employer"' in e1.get("/jobs").text
    assert 'href="/mod/referrals"' in mod.get("/jobs").text
    assert 'href="/applications"' not in visitor.get("/jobs").text
    # Personal pages are not cached.
    assert e1.get("/employer").headers["Cache-Control"] == "no-store"
    assert r1.get("/profiles/%d" % r1.uid).headers["Cache-Control"] == \
        "no-store"


def test_bad_input_is_named_and_kept(new_client):
    emp = employer(new_client)
    cases = [
        (dict(deadline=today(-1)), "deadline", "already passed"),
        (dict(deadline="2025-02-30"), "deadline", "year-month-day"),
        (dict(deadline=today(400)), "deadline", "within a year"),
        (dict(salary_min="-5000"), "salary_min", "cannot be negative"),
        (dict(salary_max="−5000"), "salary_max", "cannot be negative"),
        (dict(salary_min="lots"), "salary_min", "whole number"),
        (dict(salary_min="900000", salary_max="500000"), "salary_max",
         "lower than the lowest"),
        (dict(governorate="baghdad"), "governorate",
         "choose one of the options"),
        (dict(sector="mining"), "sector", "choose one of the options"),
        (dict(contract="forever"), "contract", "choose one of the options"),
        (dict(title="x" * 201), "title", "too long"),
        (dict(city="y" * 81), "city", "too long"),
        (dict(skills="z" * 301), "skills", "too long"),
        (dict(description="d" * 10001), "description", "too long"),
        (dict(description=""), "description", "required"),
        (dict(positions="0"), "positions", "from 1 to 10000"),
    ]
    for change, field, words in cases:
        form = vacancy_form(**change)
        form["title"] = change.get("title", "Kept title " + unique("k"))
        r = emp.post("/jobs/new", form, csrf_from="/jobs/new")
        assert r.status_code == 422, (change, r.status_code)
        err = re.search(r'<p class="err" id="%s-err">(.*?)</p>' % field,
                        r.text)
        # An example in the message is markup (<bdi dir="ltr"><code>).
        assert err and words in re.sub(r"<[^>]*>", "", err.group(1)), (
            change, r.text[:4000])
        assert 'aria-invalid="true"' in r.text
        # What was typed comes back.
        assert esc(form["title"]) in r.text
        assert "Build **schools** in Erbil." in r.text or \
            change.get("description") is not None
    # Nothing was saved.
    assert psql("SELECT count(*) FROM vacancies v JOIN users u ON "
                "u.id = v.author_id WHERE u.username = '%s'" % emp.name) \
        == "0"
    # Digits as typed in Kurdish and Arabic are understood.
    vid = post_vacancy(emp, salary_min="٧٥٠٬٠٠٠", salary_max="۱,۲۰۰,۰۰۰",
                       positions="٣")
    assert psql("SELECT salary_min || ' ' || salary_max || ' ' || positions "
                "FROM vacancies WHERE id = %d" % vid) == "750000 1200000 3"


def test_bad_application_and_profile_input(server, new_client, mod):
    emp, vid = published(new_client, mod)
    r = returnee(new_client)
    res = apply(r, vid, "m" * 4001)
    assert res.status_code == 422
    assert "too long" in res.text
    assert "m" * 4001 in res.text
    res = apply(r, vid, "   ")
    assert res.status_code == 422 and "required" in res.text
    res = r.post("/profile", {"governorate": "mosul", "return_date":
                              "31/12/2016", "occupation": "Baker",
                              "experience": "e" * 3001},
                 csrf_from="/profile")
    assert res.status_code == 422
    assert "choose one of the options" in res.text
    assert "year-month-day" in res.text
    assert "too long" in res.text
    assert 'value="Baker"' in res.text
    res = emp.post("/enterprise", {"name": "Acme", "website":
                                   "javascript:alert(1)", "phone": "call me"},
                   csrf_from="/enterprise")
    assert res.status_code == 422
    assert "https://" in res.text and "digits" in res.text
    assert 'value="javascript:alert(1)"' in res.text
    assert 'href="javascript' not in res.text


def test_expiry_boundary_and_home_page(server, new_client, mod):
    visitor = Client(server.base)
    emp, vid = published(new_client, mod, deadline=today(0))
    title = psql("SELECT title FROM vacancies WHERE id = %d" % vid)
    # The last day is still open.
    assert visitor.get("/jobs/%d" % vid).status_code == 200
    assert listed(visitor, vid)
    home = visitor.get("/")
    assert "Latest vacancies" in home.text
    assert esc(title) in home.text
    psql("UPDATE vacancies SET deadline = magnet_today() - 1 WHERE id = %d"
         % vid)
    assert visitor.get("/jobs/%d" % vid).status_code == 404
    assert not listed(visitor, vid)
    assert esc(title) not in visitor.get("/").text
    assert visitor.get("/enterprises/%d" % emp.enterprise).status_code \
        == 404
    # Nobody can apply any more.
    r = returnee(new_client)
    assert apply(r, vid).status_code == 404
    # The employer sees why, and may extend the deadline: the change is
    # reviewed before it comes back.
    assert "Expired" in emp.get("/jobs/%d" % vid).text
    form = vacancy_form(title=title, deadline=today(10))
    assert emp.post("/jobs/%d/edit" % vid, form,
                    csrf_from="/jobs/%d/edit" % vid).status_code == 303
    assert psql("SELECT state FROM vacancy_edits WHERE vacancy_id = %d"
                % vid) == "pending"


def test_json_ld(server, new_client, mod):
    visitor = Client(server.base)
    emp, vid = published(new_client, mod,
                         title="Welder </script><script>alert(1)</script>",
                         contract="part_time")
    page = visitor.get("/jobs/%d" % vid)
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    blocks = JSONLD.findall(page.text)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Welder </script><script>alert(1)</script>"
    assert data["employmentType"] == "PART_TIME"
    assert data["validThrough"].startswith(today(30))
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"].startswith("Enterprise ")
    assert data["jobLocation"]["address"]["addressRegion"] == "Erbil"
    assert data["jobLocation"]["address"]["addressCountry"] == "IQ"
    assert data["baseSalary"]["currency"] == "IQD"
    assert data["baseSalary"]["value"]["minValue"] == 750000
    assert data["baseSalary"]["value"]["maxValue"] == 1200000
    assert data["url"].endswith("/jobs/%d" % vid)
    assert "<strong>schools</strong>" in data["description"]
    # The CSP still forbids scripts; the data block is not one.
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    # A training offer is described as a programme, not a job.
    emp, tid = published(new_client, mod, emp, kind="training",
                         contract="course")
    data = json.loads(JSONLD.findall(visitor.get("/jobs/%d" % tid).text)[0])
    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["provider"]["name"].startswith("Enterprise ")
    # Nothing that is not live carries structured data.
    pending = post_vacancy(emp)
    assert "ld+json" not in emp.get("/jobs/%d" % pending).text


def test_feed_is_atom_with_filters(server, new_client, mod):
    visitor = Client(server.base)
    emp, erbil = published(new_client, mod, governorate="erbil")
    emp, duhok = published(new_client, mod, emp, governorate="duhok",
                           sector="health")
    r = visitor.get("/feeds/jobs.atom")
    root = ET.fromstring(r.content)
    assert root.find(ATOM + "title").text.startswith("Jobs and training")
    assert root.find(ATOM + "updated").text.endswith("Z")
    entries = {e.find(ATOM + "id").text.rsplit("/", 1)[1]: e
               for e in root.findall(ATOM + "entry")}
    e = entries[str(duhok)]
    assert e.find(ATOM + "link").get("href").endswith("/jobs/%d" % duhok)
    assert e.find(ATOM + "author/" + ATOM + "name").text.startswith(
        "Enterprise ")
    assert "<strong>schools</strong>" in e.find(ATOM + "content").text
    assert {c.get("term") for c in e.findall(ATOM + "category")} == \
        {"duhok", "health"}
    ids = feed_ids(visitor, "?governorate=duhok")
    assert duhok in ids and erbil not in ids
    assert visitor.get("/feeds/jobs.atom?governorate=mars").status_code \
        == 400


def test_api_filters_and_pages(server, new_client, mod):
    visitor = Client(server.base)
    word = "apitag" + unique("")[-6:]
    emp = employer(new_client)
    made = {}
    for gov, sector, kind, contract in [
            ("erbil", "it", "job", "full_time"),
            ("duhok", "it", "training", "course"),
            ("halabja", "health", "job", "part_time")]:
        emp, vid = published(new_client, mod, emp, governorate=gov,
                             sector=sector, kind=kind, contract=contract,
                             title="Role %s %s" % (word, gov))
        made[gov] = vid
    q = "?q=" + word
    assert sorted(api_ids(visitor, q)) == sorted(made.values())
    assert api_ids(visitor, q + "&governorate=duhok") == [made["duhok"]]
    assert sorted(api_ids(visitor, q + "&sector=it")) == sorted(
        [made["erbil"], made["duhok"]])
    assert api_ids(visitor, q + "&kind=training") == [made["duhok"]]
    assert api_ids(visitor, q + "&contract=part_time") == [made["halabja"]]
    assert api_ids(visitor, q + "&sector=it&kind=job") == [made["erbil"]]
    # Without words: each filter reads its own index.
    ids = api_ids(visitor, "?governorate=erbil&sector=it")
    assert made["erbil"] in ids and made["duhok"] not in ids
    ids = api_ids(visitor, "?sector=health")
    assert made["halabja"] in ids and made["erbil"] not in ids
    ids = api_ids(visitor, "?governorate=duhok&kind=training")
    assert made["duhok"] in ids and made["halabja"] not in ids
    # The same filters on the page.
    page = visitor.get("/jobs" + q + "&governorate=duhok").text
    assert 'href="/jobs/%d"' % made["duhok"] in page
    assert 'href="/jobs/%d"' % made["erbil"] not in page
    one = visitor.get("/api/v1/jobs/%d" % made["erbil"]).json()
    assert one["governorate"] == "erbil" and one["sector"] == "it"
    assert one["salary"] == {"currency": "IQD", "period": "month",
                             "min": 750000, "max": 1200000}
    assert one["languages"] == ["ckb", "en"]
    assert "<strong>schools</strong>" in one["description_html"]
    assert one["enterprise"]["verified"] is False
    # Unknown values are refused, as JSON.
    for bad in ("governorate=mars", "sector=x", "kind=x", "contract=x",
                "after=abc"):
        r = visitor.get("/api/v1/jobs?" + bad)
        assert r.status_code == 400, bad
        assert "error" in r.json()
    # Newest first, in pages, by keyset.
    uid = psql("SELECT author_id FROM vacancies WHERE id = %d" % made["erbil"])
    psql("INSERT INTO vacancies (enterprise_id, author_id, kind, title, "
         "description_md, description_html, governorate, sector, contract, "
         "deadline, state, published_at) SELECT %d, %s, 'job', "
         "'Bulk %s ' || g, 'x', '<p>x</p>', 'erbil', 'retail', 'temporary', "
         "magnet_today() + 5, 'published', now() - g * interval '1 minute' "
         "FROM generate_series(1, 55) g" % (emp.enterprise, uid, word))
    first = visitor.get("/api/v1/jobs?q=bulk+" + word).json()
    assert len(first["jobs"]) == 50
    assert first["next"]
    second = visitor.get(first["next"]).json()
    assert len(second["jobs"]) == 5 and second["next"] is None
    titles = [j["title"] for j in first["jobs"] + second["jobs"]]
    assert titles == ["Bulk %s %d" % (word, g) for g in range(1, 56)]
    page = visitor.get("/jobs?q=bulk+" + word)
    nxt = re.search(r'rel="next" href="([^"]+)"', page.text).group(1)
    page2 = visitor.get(html.unescape(nxt))
    assert "Bulk %s 21<" % word in page2.text.replace("</bdi>", "<")


def test_edit_reject_close(server, new_client, mod):
    visitor = Client(server.base)
    emp, vid = published(new_client, mod)
    # An edit of a live vacancy goes back to review; the approved
    # version stays public meanwhile (test_review.py).
    form = vacancy_form(title="Changed title " + unique("c"))
    r = emp.post("/jobs/%d/edit" % vid, form, csrf_from="/jobs/%d/edit" % vid)
    assert r.status_code == 303
    assert visitor.get("/jobs/%d" % vid).status_code == 200
    assert "edited after publication" in mod.get("/mod/jobs").text
    # A rejection needs a reason; the note typed is kept when it fails.
    r = mod.post("/mod/jobs/%d/reject" % vid, {"reason": "other", "note": ""},
                 csrf_from="/mod/jobs")
    assert r.status_code == 422
    assert "write the note" in r.text
    r = mod.post("/mod/jobs/%d/reject" % vid, {"reason": "fee", "note":
                 "Remove the registration fee."}, csrf_from="/mod/jobs")
    assert r.status_code == 303
    page = emp.get("/jobs/%d" % vid)
    assert "did not approve the changes" in page.text
    assert "never be asked to pay" in page.text
    assert "Remove the registration fee." in page.text
    assert "changes not approved" in emp.get("/employer").text
    assert "did not approve" in emp.get("/notifications").text
    assert psql("SELECT reason FROM audit_log WHERE action = "
                "'vacancy.edit_reject' AND target = 'vacancy:%d'" % vid) == \
        "fee: Remove the registration fee."
    # Deciding twice: the second is told, nothing changes.
    r = mod.post("/mod/jobs/%d/approve" % vid, {}, csrf_from="/mod/jobs")
    assert r.status_code == 409
    # Sent again, approved, then closed as filled.
    r = emp.post("/jobs/%d/edit" % vid, form, csrf_from="/jobs/%d/edit" % vid)
    assert r.status_code == 303
    approve(mod, vid)
    assert visitor.get("/jobs/%d" % vid).status_code == 200
    r = emp.post("/jobs/%d/close" % vid, {"reason": "filled"},
                 csrf_from="/jobs/%d" % vid)
    assert r.status_code == 303
    assert visitor.get("/jobs/%d" % vid).status_code == 404
    assert "Filled" in emp.get("/jobs/%d" % vid).text
    # A draft stays private and out of the queue.
    draft = post_vacancy(emp, action="draft", title="Draft " + unique("d"))
    assert psql("SELECT state FROM vacancies WHERE id = %d" % draft) == \
        "draft"
    assert 'href="/jobs/%d"' % draft not in mod.get("/mod/jobs").text


def test_preview_and_resubmit_make_one_vacancy(new_client):
    emp = employer(new_client)
    form = vacancy_form(action="preview",
                        description="[x](javascript:alert(1)) **bold**")
    r = emp.post("/jobs/new", form, csrf_from="/jobs/new")
    assert r.status_code == 200
    assert "<strong>bold</strong>" in r.text
    assert 'href="javascript' not in r.text
    idem = re.search(r'name="idem" value="([^"]+)"', r.text).group(1)
    form.update(action="submit", idem=idem)
    a = emp.post("/jobs/new", form, csrf_from="/jobs/new")
    b = emp.post("/jobs/new", form, csrf_from="/jobs/new")
    assert a.status_code == b.status_code == 303
    assert a.headers["Location"] == b.headers["Location"]


def test_enterprise_verification_and_badge(server, new_client, mod):
    visitor = Client(server.base)
    emp, vid = published(new_client, mod)
    queue = mod.get("/mod/jobs").text
    assert 'href="/enterprises/%d"' % emp.enterprise in queue
    assert "Verified partner" not in visitor.get("/jobs/%d" % vid).text
    r = emp.post("/enterprise", {"name": "Acme Build " + unique("n"),
                                 "sector": "construction",
                                 "governorate": "erbil",
                                 "phone": "+964 750 123 4567",
                                 "website": "https://acme.example"},
                 csrf_from="/enterprise")
    assert r.status_code == 303
    r = mod.post("/mod/enterprises/%d/verify" % emp.enterprise, {},
                 csrf_from="/mod/jobs")
    assert r.status_code == 303
    assert "Verified partner" in visitor.get("/jobs/%d" % vid).text
    assert "Verified partner" in visitor.get(
        "/jobs?governorate=erbil").text
    assert "verified your enterprise" in emp.get("/notifications").text
    assert psql("SELECT count(*) FROM audit_log WHERE action = "
                "'enterprise.verify' AND target = 'enterprise:%d'"
                % emp.enterprise) == "1"
    data = json.loads(JSONLD.findall(visitor.get("/jobs/%d" % vid).text)[0])
    assert data["hiringOrganization"]["sameAs"] == "https://acme.example"
    # A new name needs a new verification.
    r = emp.post("/enterprise", {"name": "Other name " + unique("n")},
                 csrf_from="/enterprise")
    assert r.status_code == 303
    assert "Verified partner" not in visitor.get("/jobs/%d" % vid).text
    assert 'href="/enterprises/%d"' % emp.enterprise in \
        mod.get("/mod/jobs").text
    assert mod.post("/mod/enterprises/999999999/verify", {},
                    csrf_from="/mod/jobs").status_code == 404


def test_any_change_of_verified_details_goes_back_to_a_counsellor(
        server, new_client, mod):
    """Issue 16: a verified enterprise that changes its website, address,
    description (or any detail shown beside the badge) loses the badge
    and is in the counsellors' queue again; saving it unchanged keeps it."""
    visitor = Client(server.base)
    emp, vid = published(new_client, mod)
    base = {"name": "Acme " + unique("n"), "sector": "construction",
            "governorate": "erbil", "address": "100m Street",
            "phone": "+964 750 123 4567", "website": "https://acme.example",
            "description": "We build schools."}
    changes = {"website": "https://acme-payments.example",
               "address": "Another street", "phone": "+964 751 000 0000",
               "description": "Pay a fee of $100 to apply.",
               "governorate": "duhok", "sector": "agriculture"}
    for field, value in changes.items():
        assert emp.post("/enterprise", base,
                        csrf_from="/enterprise").status_code == 303
        if "Verified partner" not in visitor.get("/jobs/%d" % vid).text:
            r = mod.post("/mod/enterprises/%d/verify" % emp.enterprise, {},
                         csrf_from="/mod/jobs")
            assert r.status_code == 303
        # The same details again: the badge stays.
        assert emp.post("/enterprise", base,
                        csrf_from="/enterprise").status_code == 303
        assert "Verified partner" in visitor.get("/jobs/%d" % vid).text
        changed = dict(base, **{field: value})
        assert emp.post("/enterprise", changed,
                        csrf_from="/enterprise").status_code == 303
        assert "Verified partner" not in visitor.get(
            "/jobs/%d" % vid).text, field
        assert 'href="/enterprises/%d"' % emp.enterprise in \
            mod.get("/mod/jobs").text, field


def test_suggestions_rank_by_governorate_skills_languages(server, new_client,
                                                           mod):
    tag = unique("")[-6:]
    emp, vid = published(new_client, mod, governorate="halabja",
                         skills="plaster%s, tiling%s" % (tag, tag),
                         l_ckb=None, l_en=None, l_sv="1")
    best, good, none = (returnee(new_client) for _ in range(3))
    save_profile(best, governorate="halabja", skills="plaster%s, cooking"
                 % tag, l_ckb=None, l_de=None, l_sv="1")          # 3+2+1+1
    save_profile(good, governorate="duhok", skills="Tiling%s ، plaster%s"
                 % (tag, tag), l_ckb=None, l_de=None)             # 2+2+1
    save_profile(none, governorate="erbil", skills="driving", l_ckb=None,
                 l_de=None, l_fr="1")
    page = mod.get("/mod/jobs/%d/suggestions" % vid).text
    assert best.name in page and good.name in page
    assert none.name not in page
    assert page.index(best.name) < page.index(good.name)
    # Both came back 100 days ago: ready counts 1 (issue 21).
    assert "Score: 7" in page and "Score: 5" in page
    # Referring by name works as well, once.
    r = mod.post("/mod/jobs/%d/refer" % vid, {"username": good.name.upper(),
                 "note": "Knows tiling."}, csrf_from="/mod/referrals")
    assert r.status_code == 303
    r = mod.post("/mod/jobs/%d/refer" % vid, {"username": good.name,
                 "note": "Again, kept"}, csrf_from="/mod/referrals")
    assert r.status_code == 422
    assert "already referred" in r.text and "Again, kept" in r.text
    r = mod.post("/mod/jobs/%d/refer" % vid, {"username": "nobody-" + tag},
                 csrf_from="/mod/referrals")
    assert r.status_code == 422 and "no returnee" in r.text
    r = mod.post("/mod/jobs/%d/refer" % vid, {"username": emp.name},
                 csrf_from="/mod/referrals")
    assert r.status_code == 422
    # The employer sees the referral, and the profile the returnee shares.
    apps = emp.get("/jobs/%d/applications" % vid).text
    assert good.name in apps and "Knows tiling." in apps
    assert 'href="/profiles/%d"' % good.uid in apps
    assert emp.get("/profiles/%d" % good.uid).status_code == 200
    assert emp.get("/profiles/%d" % best.uid).status_code == 404
    assert "A counsellor referred a returnee" in \
        emp.get("/notifications").text
    # Counts by status on the counsellors' list.
    lst = mod.get("/mod/referrals?status=referred")
    assert lst.status_code == 200 and good.name in lst.text


def test_languages_and_digits(server, new_client, mod):
    emp, vid = published(new_client, mod)
    ckb = Client(server.base, lang="ckb")
    page = ckb.get("/jobs/%d" % vid)
    assert '<html lang="ckb" dir="rtl">' in page.text
    # Dates and money in Arabic-Indic digits, grouped with U+066C.
    assert "٧٥٠٬٠٠٠" in page.text
    d = today(30)
    assert d.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) in \
        page.text
    # User text is isolated for mixed directions.
    assert '<h1 dir="auto">' in page.text


def test_returnee_withdraws_and_applies_again(server, new_client, mod):
    emp, vid = published(new_client, mod)
    alice, bob = returnee(new_client), returnee(new_client)
    assert apply(alice, vid, "Alice: I lay bricks.").status_code == 303
    aid = int(psql("SELECT id FROM applications WHERE vacancy_id = %d "
                   "AND user_id = %d" % (vid, alice.uid)))
    mine = alice.get("/applications").text
    assert 'action="/applications/%d/withdraw"' % aid in mine

    # Nobody else can withdraw it: another returnee, the employer.
    r = bob.post("/applications/%d/withdraw" % aid, {},
                 csrf_from="/applications")
    assert r.status_code == 404
    r = emp.post("/applications/%d/withdraw" % aid, {}, csrf_from="/")
    assert r.status_code == 403
    assert psql("SELECT status FROM applications WHERE id = %d"
                % aid) == "submitted"

    r = alice.post("/applications/%d/withdraw" % aid, {},
                   csrf_from="/applications")
    assert r.status_code == 303
    assert r.headers["Location"] == "/applications#a%d" % aid
    assert psql("SELECT status FROM applications WHERE id = %d"
                % aid) == "withdrawn"
    mine = alice.get("/applications").text
    assert "Withdrawn" in mine
    assert 'action="/applications/%d/withdraw"' % aid not in mine
    # Twice is a 404, not a second notification.
    r = alice.post("/applications/%d/withdraw" % aid, {},
                   csrf_from="/applications")
    assert r.status_code == 404

    # The employer is told, sees it withdrawn without the message, and
    # can no longer change its status.
    assert "withdrew the application" in emp.get("/notifications").text
    apps = emp.get("/jobs/%d/applications" % vid).text
    assert "The applicant withdrew this application." in apps
    assert "I lay bricks" not in apps
    assert 'action="/applications/%d/status"' % aid not in apps
    r = emp.post("/applications/%d/status" % aid, {"status": "hired"},
                 csrf_from="/jobs/%d/applications" % vid)
    assert r.status_code == 409
    assert psql("SELECT status FROM applications WHERE id = %d"
                % aid) == "withdrawn"

    # Alice changes her mind: the vacancy page offers to apply again, and
    # the same application comes back with the new message.
    assert 'action="/jobs/%d/apply"' % vid in alice.get("/jobs/%d" % vid).text
    assert apply(alice, vid, "Alice again: still keen.").status_code == 303
    assert psql("SELECT status || ' ' || message FROM applications WHERE "
                "id = %d" % aid) == "submitted Alice again: still keen."
    assert apply(alice, vid, "A third time").status_code == 422


def test_counsellor_takes_the_badge_back(server, new_client, mod):
    visitor = Client(server.base)
    emp, vid = published(new_client, mod)
    ent = emp.enterprise
    page = "/enterprises/%d" % ent
    assert 'action="/mod/enterprises/%d/unverify"' % ent not in \
        mod.get(page).text
    assert mod.post("/mod/enterprises/%d/verify" % ent, {},
                    csrf_from="/mod/jobs").status_code == 303
    assert "Verified partner" in visitor.get("/jobs/%d" % vid).text
    assert 'action="/mod/enterprises/%d/unverify"' % ent in \
        mod.get(page).text
    # Nobody but a counsellor, and not without a reason.
    for c in (visitor, emp):
        r = c.post("/mod/enterprises/%d/unverify" % ent,
                   {"reason": "mine"}, csrf_from="/")
        assert r.status_code in (303, 403), r.status_code
        if r.status_code == 303:
            assert r.headers["Location"].startswith("/login")
    r = mod.post("/mod/enterprises/%d/unverify" % ent, {"reason": ""},
                 csrf_from=page)
    assert r.status_code == 400
    assert "Verified partner" in visitor.get("/jobs/%d" % vid).text

    r = mod.post("/mod/enterprises/%d/unverify" % ent,
                 {"reason": "closed its office"}, csrf_from=page)
    assert r.status_code == 303 and r.headers["Location"] == page
    assert "Verified partner" not in visitor.get("/jobs/%d" % vid).text
    assert "took back the verified badge" in emp.get("/notifications").text
    assert psql("SELECT reason FROM audit_log WHERE action = "
                "'enterprise.unverify' AND target = 'enterprise:%d'"
                % ent) == "closed its office"
    # Back in the queue, to be verified again when it is right again.
    assert 'href="/enterprises/%d"' % ent in mod.get("/mod/jobs").text
