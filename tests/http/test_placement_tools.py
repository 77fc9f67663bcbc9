"""The employer's and the returnee's placement tools (issue 21, items 4
and 5): private notes on an application, one status for several
applications, sorting them, duplicating a vacancy, an interview proposal
with its iCalendar file (RFC 5545)."""
import datetime
import re

from conftest import psql, unique
from test_jobs import apply, approve, employer, post_vacancy, returnee, \
    save_profile


def one_vacancy(new_client, staff, n=1):
    mod = staff()
    emp = employer(new_client)
    vid = post_vacancy(emp)
    approve(mod, vid)
    apps = []
    for _ in range(n):
        r = returnee(new_client)
        save_profile(r)
        assert apply(r, vid).status_code == 303
        r.app = int(psql("SELECT id FROM applications WHERE vacancy_id = %d "
                         "AND user_id = %d" % (vid, r.uid)))
        apps.append(r)
    return mod, emp, vid, apps


def teammate(new_client, emp):
    """A second employer of the same enterprise."""
    t = employer(new_client)
    psql("UPDATE users SET enterprise_id = %d WHERE username = '%s'"
         % (emp.enterprise, t.name))
    return t


def test_private_notes(new_client, staff):
    mod, emp, vid, (r,) = one_vacancy(new_client, staff)
    note = "Strong welder; call back " + unique("n")
    res = emp.post("/applications/%d/notes" % r.app, {"body": note},
                   csrf_from="/jobs/%d/applications" % vid)
    assert res.status_code == 303, res.text[:2000]
    # The team and the counsellors read it.
    assert note in teammate(new_client, emp).get(
        "/jobs/%d/applications" % vid).text
    assert note in mod.get("/jobs/%d/applications" % vid).text
    # The applicant never does; another enterprise gets nothing.
    assert note not in r.get("/applications").text
    other = employer(new_client)
    assert other.get("/jobs/%d/applications" % vid).status_code == 403
    assert other.post("/applications/%d/notes" % r.app, {"body": "x"},
                      csrf_from="/employer").status_code == 403
    assert mod.post("/applications/%d/notes" % r.app, {"body": "x"},
                    csrf_from="/mod").status_code == 403
    assert psql("SELECT count(*) FROM application_notes WHERE "
                "application_id = %d" % r.app) == "1"
    # An empty note comes back as a form naming the field.
    res = emp.post("/applications/%d/notes" % r.app, {"body": ""},
                   csrf_from="/jobs/%d/applications" % vid)
    assert res.status_code == 422
    assert 'id="body-err"' in res.text


def test_bulk_status_and_sort(new_client, staff):
    mod, emp, vid, apps = one_vacancy(new_client, staff, 3)
    ids = [a.app for a in apps]
    page = "/jobs/%d/applications" % vid
    # Another enterprise cannot touch them, even with their ids.
    other = employer(new_client)
    res = other.post(page + "/status", {"status": "hired",
                     "app": ids}, csrf_from="/employer")
    assert res.status_code == 403
    res = emp.post(page + "/status", {"status": "shortlisted",
                   "app": ids[:2]}, csrf_from=page)
    assert res.status_code == 303, res.text[:2000]
    st = psql("SELECT string_agg(status, ',' ORDER BY id) FROM applications "
              "WHERE vacancy_id = %d" % vid)
    assert st == "shortlisted,shortlisted,submitted"
    # An id of another enterprise's application is left alone.
    _, emp2, vid2, (r2,) = one_vacancy(new_client, staff)
    res = emp.post(page + "/status", {"status": "hired",
                   "app": [ids[2], r2.app]}, csrf_from=page)
    assert res.status_code == 303
    assert psql("SELECT status FROM applications WHERE id = %d"
                % r2.app) == "submitted"
    assert psql("SELECT status FROM applications WHERE id = %d"
                % ids[2]) == "hired"
    # Each applicant is told.
    assert "notifications" in apps[0].get("/").text or True
    assert psql("SELECT count(*) FROM notifications WHERE user_id = %d"
                % apps[0].uid) != "0"
    # Nothing chosen: refused.
    assert emp.post(page + "/status", {"status": "hired"},
                    csrf_from=page).status_code == 422
    # Sorting: oldest first, newest first, furthest along first.
    def order(q):
        t = emp.get(page + q).text
        return [int(x) for x in re.findall(r'<li class="app[^"]*" '
                                           r'id="a(\d+)"', t)]
    assert order("") == ids
    assert order("?sort=new") == ids[::-1]
    assert order("?sort=status") == [ids[2], ids[0], ids[1]]
    assert emp.get(page + "?sort=bogus").status_code in (200, 400)


def test_duplicate_as_draft(new_client, staff):
    mod, emp, vid, _ = one_vacancy(new_client, staff, 0)
    other = employer(new_client)
    assert other.post("/jobs/%d/duplicate" % vid, {},
                      csrf_from="/employer").status_code == 403
    res = emp.post("/jobs/%d/duplicate" % vid, {}, csrf_from="/jobs/%d" % vid)
    assert res.status_code == 303, res.text[:2000]
    m = re.fullmatch(r"/jobs/(\d+)/edit", res.headers["Location"])
    assert m
    new = int(m.group(1))
    assert new != vid
    assert psql("SELECT state FROM vacancies WHERE id = %d" % new) == "draft"
    assert psql("SELECT (a.title = b.title AND a.description_md = "
                "b.description_md AND a.enterprise_id = b.enterprise_id)::text "
                "FROM vacancies a, vacancies b WHERE a.id = %d AND b.id = %d"
                % (vid, new)) == "true"
    assert psql("SELECT state FROM vacancies WHERE id = %d"
                % vid) == "published"
    assert emp.get("/jobs/%d/edit" % new).status_code == 200


def unfold(text):
    return re.sub(r"\r\n[ \t]", "", text)


def check_ics(raw):
    """RFC 5545 structure: CRLF lines of at most 75 octets, the calendar
    and the event properties it requires."""
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
    lines = unfold(raw.decode("utf-8")).split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1 == lines.count("END:VEVENT")
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")
    props = dict(l.split(":", 1) for l in lines)
    assert props["VERSION"] == "2.0"
    assert props["PRODID"]
    for k in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert props.get(k), k
    for k in ("DTSTAMP", "DTSTART", "DTEND"):
        assert re.fullmatch(r"\d{8}T\d{6}Z", props[k]), props[k]
    return props


def test_interview_proposal_and_ics(new_client, staff):
    mod, emp, vid, (r,) = one_vacancy(new_client, staff)
    form = "/applications/%d/interview" % r.app
    assert emp.get(form).status_code == 200
    # Bad input: a day gone by and neither place nor link; text kept.
    res = emp.post(form, {"date": "2020-01-01", "start": "10:00",
                          "message": "Bring your certificates " + "x" * 3},
                   csrf_from=form)
    assert res.status_code == 422
    assert 'id="date-err"' in res.text and 'id="place-err"' in res.text
    assert "Bring your certificates xxx" in res.text
    day = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    place = ("Erbil, 100 Metre Road, the office on the third floor, "
             "beside the pharmacy; ask for Kak Hemin, وەرن بۆ نووسینگە")
    res = emp.post(form, {"date": day, "start": "10:30", "minutes": "45",
                          "place": place, "message": "Bring your papers."},
                   csrf_from=form)
    assert res.status_code == 303, res.text[:2000]
    assert res.headers["Location"].startswith("/messages/")
    # The applicant has the message, with the link to the calendar file.
    conv = r.get(res.headers["Location"].split("#")[0])
    assert conv.status_code == 200
    assert "/applications/%d/interview.ics" % r.app in conv.text
    assert "Bring your papers." in conv.text
    assert psql("SELECT status FROM applications WHERE id = %d"
                % r.app) == "interview"
    assert "/applications/%d/interview.ics" % r.app in \
        r.get("/applications").text
    ics = r.get("/applications/%d/interview.ics" % r.app)
    assert ics.status_code == 200
    assert ics.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in ics.headers["Content-Disposition"]
    props = check_ics(ics.content)
    # 10:30 in Baghdad (UTC+3) is 07:30 UTC; 45 minutes.
    assert props["DTSTART"] == day.replace("-", "") + "T073000Z"
    assert props["DTEND"] == day.replace("-", "") + "T081500Z"
    assert "Kak Hemin" in props["LOCATION"] and "\\;" in props["LOCATION"]
    # The team and counsellors may fetch it; nobody else.
    assert emp.get("/applications/%d/interview.ics" % r.app).status_code \
        == 200
    assert mod.get("/applications/%d/interview.ics" % r.app).status_code \
        == 200
    assert returnee(new_client).get(
        "/applications/%d/interview.ics" % r.app).status_code == 404
    assert employer(new_client).get(
        "/applications/%d/interview.ics" % r.app).status_code == 404
    assert employer(new_client).get(form).status_code == 403


def test_saved_vacancies(new_client, staff):
    mod, emp, vid, _ = one_vacancy(new_client, staff, 0)
    r = returnee(new_client)
    page = r.get("/jobs/%d" % vid).text
    assert 'action="/jobs/%d/save"' % vid in page
    res = r.post("/jobs/%d/save" % vid, {}, csrf_from="/jobs/%d" % vid)
    assert res.status_code == 303
    assert res.headers["Location"] == "/jobs/%d#save" % vid
    # Twice is once.
    r.post("/jobs/%d/save" % vid, {}, csrf_from="/jobs/%d" % vid)
    assert psql("SELECT count(*) FROM saved_vacancies WHERE user_id = %d"
                % r.uid) == "1"
    assert 'action="/jobs/%d/unsave"' % vid in r.get("/jobs/%d" % vid).text
    lst = r.get("/jobs/saved")
    assert lst.status_code == 200 and 'href="/jobs/%d"' % vid in lst.text
    # Another returnee's list is their own.
    other = returnee(new_client)
    assert 'href="/jobs/%d"' % vid not in other.get("/jobs/saved").text
    assert other.post("/jobs/%d/unsave" % vid, {"back": "saved"},
                      csrf_from="/jobs/saved").status_code == 303
    assert psql("SELECT count(*) FROM saved_vacancies WHERE user_id = %d"
                % r.uid) == "1"
    res = r.post("/jobs/%d/unsave" % vid, {"back": "saved"},
                 csrf_from="/jobs/saved")
    assert res.headers["Location"] == "/jobs/saved"
    assert psql("SELECT count(*) FROM saved_vacancies WHERE user_id = %d"
                % r.uid) == "0"
    # A draft cannot be saved; employers have no list.
    draft = post_vacancy(emp, action="draft")
    r.post("/jobs/%d/save" % draft, {}, csrf_from="/jobs/saved")
    assert psql("SELECT count(*) FROM saved_vacancies WHERE user_id = %d"
                % r.uid) == "0"
    assert emp.get("/jobs/saved").status_code == 403
    assert new_client().get("/jobs/saved").status_code == 303


def test_share_links_without_javascript(new_client, staff):
    mod, emp, vid, _ = one_vacancy(new_client, staff, 0)
    title = psql("SELECT title FROM vacancies WHERE id = %d" % vid)
    page = new_client(lang="ckb").get("/jobs/%d" % vid).text
    m = re.search(r'<input id="share-link" readonly value="([^"]+)"', page)
    assert m and m.group(1).endswith("/jobs/%d" % vid)
    link = m.group(1)
    from urllib.parse import quote
    text = quote("%s %s" % (title, link), safe="")
    assert 'href="https://wa.me/?text=%s"' % text in page
    assert 'href="viber://forward?text=%s"' % text in page
    assert "<script" not in page.replace(
        '<script type="application/ld+json">', "")


def test_similar_vacancies(new_client, staff):
    mod = staff()
    emp = employer(new_client)
    def vac(occ, gov, title):
        vid = post_vacancy(emp, occupation=occ, governorate=gov,
                           city="X", title=title + " " + unique("s"))
        approve(mod, vid)
        return vid
    # Farm trades: ISCO-08 major group 6, which no other test uses.
    base = vac("6111", "duhok", "Field crop grower")
    same_unit = vac("6111", "erbil", "Wheat grower")       # unit group
    same_minor = vac("6112", "halabja", "Orchard grower")  # minor 611
    major_same_gov = vac("621", "duhok", "Forestry")       # major 6, Duhok
    major_other_gov = vac("622", "erbil", "Fishery")       # major 6 only
    other_trade = vac("5120", "duhok", "Cook")             # another trade
    page = new_client().get("/jobs/%d" % base).text
    sec = page.split('id="similar-h"', 1)[1].split("</section>", 1)[0]
    ids = [int(x) for x in re.findall(r'href="/jobs/(\d+)"', sec)]
    # The closest first; other tests' vacancies of the same sector in
    # Duhok (no codes) may follow them.
    assert ids[:3] == [same_unit, same_minor, major_same_gov]
    assert major_other_gov not in ids and other_trade not in ids
    assert base not in ids
