"""Events as their users meet them: a counsellor publishes a job fair in
Erbil with two places; two returnees sign up and a third is told it is
full; the attendees export as CSV; the fair is in the iCalendar feed,
which is checked here by a strict RFC 5545 reader.  Also: concurrent
sign-ups for the last place, cancellation, past events with their
attendance, access with two accounts per role, and bad input."""
import csv
import datetime
import io
import re
import threading
import xml.etree.ElementTree as ET

from conftest import Client, psql, unique

UTC = datetime.timezone.utc
BAGHDAD = datetime.timezone(datetime.timedelta(hours=3))


def local_slot(days=30, hours=0, minutes=0, length=3):
    """(date, start, end_date, end) in Baghdad time, and the UTC start."""
    now = datetime.datetime.now(BAGHDAD).replace(second=0, microsecond=0)
    start = now + datetime.timedelta(days=days, hours=hours, minutes=minutes)
    if days:
        start = start.replace(hour=9, minute=0)
    end = start + datetime.timedelta(hours=length)
    return (start.strftime("%Y-%m-%d"), start.strftime("%H:%M"),
            end.strftime("%Y-%m-%d"), end.strftime("%H:%M"),
            start.astimezone(UTC))


def new_event(mod, title=None, capacity="2", gov="erbil", kind="job_fair",
              days=30, **extra):
    date, start, end_date, end, utc = local_slot(days=days)
    title = title or "Job fair " + unique("f")
    data = {"kind": kind, "title": title, "date": date, "start": start,
            "end_date": end_date, "end": end, "governorate": gov,
            "city": "Erbil", "address": "Fair ground, hall 2",
            "organiser": "IOM and the Erbil Chamber of Commerce",
            "body": "Bring your **CV**.", "capacity": capacity}
    data.update(extra)
    r = mod.post("/events/new", data, csrf_from="/events/new")
    assert r.status_code == 303, (r.status_code, r.text[:3000])
    m = re.fullmatch(r"/events/(\d+)", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1)), title


def sign_up(c, eid):
    return c.post("/events/%d/signup" % eid, {}, csrf_from="/events/%d" % eid)


def withdraw(c, eid):
    return c.post("/events/%d/withdraw" % eid, {},
                  csrf_from="/events/%d" % eid)


# ---- a strict reader for the iCalendar feed (RFC 5545 section 3) -------

def ics_parse(raw):
    """Check the transport rules and return the components as nested
    dicts: {"name": ..., "props": [(name, params, value)], "subs": [...]}."""
    assert raw.endswith(b"\r\n"), "the last line must end in CRLF"
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, "line longer than 75 octets: %r" % line
        assert b"\n" not in line and b"\r" not in line, "bare LF or CR"
        line.decode("utf-8")        # every physical line is whole UTF-8
    logical = []
    for line in physical:
        if line.startswith(b" ") or line.startswith(b"\t"):
            assert logical, "continuation without a line"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack = [{"name": None, "props": [], "subs": []}]
    for line in logical:
        text = line.decode("utf-8")
        m = re.match(r"^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", text, re.S)
        assert m, "not a content line: %r" % text
        name, params, value = m.group(1).upper(), m.group(2), m.group(3)
        if name == "BEGIN":
            comp = {"name": value, "props": [], "subs": []}
            stack[-1]["subs"].append(comp)
            stack.append(comp)
        elif name == "END":
            assert len(stack) > 1 and stack[-1]["name"] == value, \
                "END:%s does not close BEGIN:%s" % (value, stack[-1]["name"])
            stack.pop()
        else:
            assert len(stack) > 1, "property outside a component"
            stack[-1]["props"].append((name, params, value))
    assert len(stack) == 1, "unclosed BEGIN:%s" % stack[-1]["name"]
    cals = stack[0]["subs"]
    assert len(cals) == 1 and cals[0]["name"] == "VCALENDAR"
    return cals[0]


def ics_text(value):
    """Undo TEXT escaping; a lone backslash before anything else is an
    error."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            n = value[i + 1]
            assert n in "\\;,nN", "bad escape \\%s" % n
            out.append("\n" if n in "nN" else n)
            i += 2
            continue
        assert c not in ";,", "unescaped %r in TEXT" % c
        out.append(c)
        i += 1
    return "".join(out)


def prop(comp, name):
    vals = [v for n, _, v in comp["props"] if n == name]
    assert len(vals) == 1, "%s appears %d times" % (name, len(vals))
    return vals[0]


def ics_check(cal):
    for name in ("VERSION", "PRODID"):
        prop(cal, name)
    assert prop(cal, "VERSION") == "2.0"
    utc = re.compile(r"^\d{8}T\d{6}Z$")
    events = {}
    for ev in cal["subs"]:
        assert ev["name"] == "VEVENT"
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            assert utc.match(prop(ev, name)) or name == "UID"
        assert prop(ev, "DTEND") > prop(ev, "DTSTART")
        assert prop(ev, "STATUS") in ("CONFIRMED", "CANCELLED")
        uid = prop(ev, "UID")
        assert uid not in events, "duplicate UID"
        events[uid] = ev
    return events


# ---- the journey of the issue ------------------------------------------

def test_job_fair_two_places_third_is_full_csv_and_calendar(server, staff,
                                                            new_client):
    mod = staff("moderator")
    # Soonest of all test events, so the home page shows it.
    date, start, end_date, end, utc = local_slot(days=0, hours=2)
    title = "Erbil job fair, hall 2; " + unique("f") + " \\ سەرەتا"
    r = mod.post("/events/new", {
        "kind": "job_fair", "title": title, "date": date, "start": start,
        "end_date": end_date, "end": end, "governorate": "erbil",
        "city": "Erbil", "address": "Fair ground, hall 2",
        "organiser": "IOM", "body": "Employers from **Erbil**.",
        "capacity": "2"}, csrf_from="/events/new")
    assert r.status_code == 303, r.text[:3000]
    eid = int(r.headers["Location"].rsplit("/", 1)[1])

    v = Client(server.base)
    page = v.get("/events/%d" % eid)
    assert page.status_code == 200
    assert "0 of 2 places taken" in page.text
    assert "Sign in</a> to sign up" in page.text
    assert 'href="/events/%d"' % eid in v.get("/events").text
    assert 'href="/events/%d"' % eid in v.get("/").text
    assert 'href="/events/%d"' % eid in v.get("/b/erbil").text
    assert 'href="/events/%d"' % eid not in v.get("/b/duhok").text

    a, b, c = new_client(), new_client(), new_client()
    for x in (a, b, c):
        x.register()
    assert sign_up(a, eid).status_code == 303
    assert "You are signed up" in a.get("/events/%d" % eid).text
    assert sign_up(b, eid).status_code == 303
    # Signing up twice changes nothing.
    assert sign_up(b, eid).status_code == 303
    full = sign_up(c, eid)
    assert full.status_code == 409
    assert "this event is full" in full.text
    assert "no sign-up was made" in full.text
    assert "2 of 2 places taken" in full.text
    assert 'action="/events/%d/signup"' % eid not in \
        c.get("/events/%d" % eid).text
    assert psql("SELECT taken FROM events WHERE id = %d" % eid) == "2"
    assert psql("SELECT count(*) FROM event_signups WHERE event_id = %d"
                % eid) == "2"

    # The counsellor sees the attendees and exports them.
    att = mod.get("/events/%d/attendees" % eid)
    assert att.status_code == 200
    assert a.name in att.text and b.name in att.text
    assert c.name not in att.text
    exp = mod.get("/events/%d/attendees.csv" % eid)
    assert exp.status_code == 200
    assert exp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert exp.headers["Content-Disposition"] == \
        'attachment; filename="event-%d-attendees.csv"' % eid
    assert exp.headers["Cache-Control"] == "no-store"
    body = exp.content.decode("utf-8")
    assert body.startswith("\ufeff") and "\r\n" in body
    rows = list(csv.reader(io.StringIO(body[1:], newline="")))
    assert rows[0] == ["Username", "Role", "Enterprise",
                       "Signed up (Baghdad time)"]
    assert [r[0] for r in rows[1:]] == [a.name, b.name]
    assert all(r[1] == "Returnee" for r in rows[1:])

    # A place freed is a place taken.
    assert withdraw(a, eid).status_code == 303
    assert "1 of 2 places taken" in v.get("/events/%d" % eid).text
    assert sign_up(c, eid).status_code == 303
    assert psql("SELECT taken FROM events WHERE id = %d" % eid) == "2"

    # The calendar feed.
    feed = v.get("/feeds/events.ics")
    assert feed.status_code == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = ics_check(ics_parse(feed.content))
    ours = [e for u, e in events.items() if u.startswith("event-%d@" % eid)]
    assert len(ours) == 1
    ev = ours[0]
    assert ics_text(prop(ev, "SUMMARY")) == title
    assert prop(ev, "DTSTART") == utc.strftime("%Y%m%dT%H%M%SZ")
    assert prop(ev, "URL").endswith("/events/%d" % eid)
    assert "Fair ground, hall 2" in ics_text(prop(ev, "LOCATION"))
    assert "Employers from **Erbil**." in ics_text(prop(ev, "DESCRIPTION"))
    # A calendar library reads it the same way, where one is installed
    # (Debian's python3-icalendar; not a dependency of the suite).
    try:
        import icalendar
    except ImportError:
        icalendar = None
    if icalendar is not None:
        got = [e for e in icalendar.Calendar.from_ical(feed.content).walk(
            "VEVENT") if str(e["UID"]).startswith("event-%d@" % eid)]
        assert len(got) == 1
        assert str(got[0]["SUMMARY"]) == title
        assert got[0].decoded("DTSTART") == utc
    # And the Atom feed.
    atom = v.get("/feeds/events.atom")
    assert atom.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.findtext("a:id", namespaces=ns) for e in
           root.findall("a:entry", ns)]
    assert any(i.endswith("/events/%d" % eid) for i in ids)

    assert psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
                "WHERE target = 'event:%d'" % eid) == \
        "event_create,event_export_attendees"


def test_last_place_goes_to_one_of_many_at_once(server, staff, new_client):
    mod = staff("moderator")
    eid, _ = new_event(mod, capacity="3", days=31)
    people = []
    for i in range(12):
        c = new_client()
        c.register(role="employer" if i % 3 == 0 else "returnee")
        c.token = c.csrf("/events/%d" % eid)
        people.append(c)
    results = [None] * len(people)
    go = threading.Barrier(len(people))

    def run(i):
        go.wait()
        results[i] = people[i].post("/events/%d/signup" % eid,
                                    {"csrf": people[i].token}).status_code
    threads = [threading.Thread(target=run, args=(i,))
               for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [303] * 3 + [409] * 9, results
    assert psql("SELECT taken FROM events WHERE id = %d" % eid) == "3"
    assert psql("SELECT count(*) FROM event_signups WHERE event_id = %d"
                % eid) == "3"


def test_cancelled_and_past_events(server, staff, new_client):
    mod = staff("moderator")
    r1 = new_client()
    r1.register()
    # Cancelled: listed as such, no sign-ups, CANCELLED in the calendar.
    eid, title = new_event(mod, days=32)
    assert mod.get("/events/%d/cancel" % eid).status_code == 200
    r = mod.post("/events/%d/cancel" % eid, {"reason": "hall not free"},
                 csrf_from="/events/%d/cancel" % eid)
    assert r.status_code == 303
    page = r1.get("/events/%d" % eid)
    assert "This event was cancelled." in page.text
    assert 'action="/events/%d/signup"' % eid not in page.text
    r = sign_up(r1, eid)
    assert r.status_code == 409 and "cancelled" in r.text
    events = ics_check(ics_parse(Client(server.base).get(
        "/feeds/events.ics").content))
    ev = [e for u, e in events.items() if u.startswith("event-%d@" % eid)]
    assert prop(ev[0], "STATUS") == "CANCELLED"
    assert int(prop(ev[0], "SEQUENCE")) == 1
    assert psql("SELECT reason FROM audit_log WHERE target = 'event:%d' "
                "AND action = 'event_cancel'" % eid) == "hall not free"

    # Past: kept, with how many signed up and how many came.
    pid, ptitle = new_event(mod, title="Workshop " + unique("w"),
                            kind="workshop", days=33, capacity="")
    assert sign_up(r1, pid).status_code == 303
    psql("UPDATE events SET starts_at = now() - interval '3 days', "
         "ends_at = now() - interval '3 days' + interval '2 hours' "
         "WHERE id = %d" % pid)
    assert 'href="/events/%d"' % pid not in Client(server.base).get(
        "/events").text
    r = sign_up(new_client_registered(new_client), pid)
    assert r.status_code == 409 and "already started" in r.text
    r = withdraw(r1, pid)
    assert r.status_code == 409
    # The counsellor records the attendance afterwards.
    form = mod.get("/events/%d/edit" % pid)
    assert form.status_code == 200 and 'name="attended"' in form.text
    fields = dict(re.findall(r'<input id="[^"]*" name="([a-z_]+)" '
                             r'(?:type="[a-z]+" )?value="([^"]*)"',
                             form.text))
    fields.update({"kind": "workshop", "title": ptitle, "governorate":
                   "erbil", "body": "Past.", "attended": "5"})
    r = mod.post("/events/%d/edit" % pid, fields,
                 csrf_from="/events/%d/edit" % pid)
    assert r.status_code == 303, r.text[:3000]
    past = Client(server.base).get("/events/past")
    assert 'href="/events/%d"' % pid in past.text
    row = past.text[past.text.index('href="/events/%d"' % pid):]
    row = row[:row.index("</li>")]
    assert "Signed up: 1" in row and "Came: 5" in row
    assert "Events held:" in past.text
    assert psql("SELECT count(*) FROM audit_log WHERE target = 'event:%d' "
                "AND action = 'event_edit'" % pid) == "1"


def new_client_registered(new_client, role="returnee"):
    c = new_client()
    c.register(role=role)
    return c


def test_event_access_two_accounts_per_role(server, staff, new_client):
    mod, mod2, admin = staff("moderator"), staff("moderator"), \
        staff("admin")
    eid, title = new_event(mod, days=34, capacity="10")
    # Another counsellor and an admin may change it.
    r = mod2.get("/events/%d/edit" % eid)
    assert r.status_code == 200
    assert admin.get("/events/%d/attendees" % eid).status_code == 200
    # Counsellors organise; they do not take places.
    assert sign_up(mod2, eid).status_code == 403
    people = [new_client_registered(new_client, role) for role in
              ("returnee", "returnee", "employer", "employer")]
    for c in people:
        assert c.get("/events/new").status_code == 403
        assert c.post("/events/new", {"title": "Mine"},
                      csrf_from="/events").status_code == 403
        assert c.get("/events/%d/edit" % eid).status_code == 403
        assert c.post("/events/%d/edit" % eid, {"title": "Defaced"},
                      csrf_from="/events").status_code == 403
        assert c.post("/events/%d/cancel" % eid, {},
                      csrf_from="/events").status_code == 403
        assert c.get("/events/%d/attendees" % eid).status_code == 403
        assert c.get("/events/%d/attendees.csv" % eid).status_code == 403
        # Returnees and employers both take places.
        assert sign_up(c, eid).status_code == 303
    # One person's withdrawal never touches another's place.
    first, second = people[0], people[1]
    assert withdraw(second, eid).status_code == 303
    assert withdraw(second, eid).status_code == 303
    names = mod.get("/events/%d/attendees" % eid).text
    assert first.name in names and second.name not in names
    assert psql("SELECT taken FROM events WHERE id = %d" % eid) == "3"
    # A visitor reads but cannot sign up or see the attendees.
    v = Client(server.base)
    assert v.get("/events/%d" % eid).status_code == 200
    assert v.post("/events/%d/signup" % eid, {},
                  csrf_from="/events/%d" % eid).status_code == 403
    assert v.get("/events/%d/attendees" % eid).status_code == 303
    assert v.get("/events/%d/attendees.csv" % eid).status_code == 303
    assert v.get("/events/new").status_code == 303
    assert v.get("/events/999999999").status_code == 404
    assert sign_up(first, 999999999).status_code == 404
    assert mod.get("/events/999999999/attendees").status_code == 404
    assert psql("SELECT title FROM events WHERE id = %d" % eid) == title


def test_csv_export_defuses_formulas(server, staff, new_client):
    mod = staff("moderator")
    eid, _ = new_event(mod, days=35)
    emp = new_client()
    emp.register(role="employer",
                 enterprise="=HYPERLINK(\"http://evil.example\",\"x\")")
    assert sign_up(emp, eid).status_code == 303
    body = mod.get("/events/%d/attendees.csv" % eid).content.decode()
    rows = list(csv.reader(io.StringIO(body[1:], newline="")))
    assert rows[1][2] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert rows[1][1] == "Employer"
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_event_bad_input_keeps_the_text(server, staff):
    mod = staff("moderator")
    date, start, end_date, end, _ = local_slot(days=36)
    base = {"kind": "workshop", "title": "Workshop on CVs", "date": date,
            "start": start, "end_date": end_date, "end": end,
            "governorate": "duhok", "city": "Duhok", "organiser": "IOM",
            "body": "my careful description", "capacity": "20"}

    def post(**changes):
        data = dict(base)
        data.update(changes)
        return mod.post("/events/new", data, csrf_from="/events/new")

    cases = [
        ({"title": ""}, "title-err"),
        ({"date": "2025-02-30"}, "date-err"),
        ({"date": "tomorrow"}, "date-err"),
        ({"start": "25:00"}, "start-err"),
        ({"end": start, "end_date": date}, "end-err"),
        ({"governorate": ""}, "governorate-err"),
        ({"governorate": "mosul"}, "governorate-err"),
        ({"city": ""}, "city-err"),
        ({"online": "1", "governorate": "", "city": "",
          "link": "javascript:alert(1)"}, "link-err"),
        ({"link": "https://exa mple.org"}, "link-err"),
        ({"capacity": "0"}, "capacity-err"),
        ({"capacity": "lots"}, "capacity-err"),
        ({"kind": "party"}, "kind-err"),
        ({"body": "> " * 50 + "deep"}, "body-err"),
        ({"organiser": ""}, "organiser-err"),
    ]
    for changes, field in cases:
        r = post(**changes)
        assert r.status_code == 422, (changes, r.status_code)
        assert 'id="%s"' % field in r.text, (changes, field)
        assert "Workshop on CVs" in r.text or changes.get("title") == ""
        assert "my careful description" in r.text or "body" in changes
    # A time that has passed.
    yesterday = (datetime.datetime.now(BAGHDAD) -
                 datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    r = post(date=yesterday, end_date=yesterday)
    assert r.status_code == 422 and "already passed" in r.text
    # Online events need no place; Arabic-Indic digits are read.
    eid_r = post(online="1", governorate="", city="",
                 link="https://meet.example.org/magnet",
                 date="".join("٠١٢٣٤٥٦٧٨٩"[int(ch)] if ch.isdigit() else ch
                              for ch in date))
    assert eid_r.status_code == 303, eid_r.text[:3000]
    eid = int(eid_r.headers["Location"].rsplit("/", 1)[1])
    page = Client(server.base).get("/events/%d" % eid).text
    assert 'href="https://meet.example.org/magnet"' in page
    # Fewer places than people signed up is refused on edit.
    psql("UPDATE events SET taken = 5 WHERE id = %d" % eid)
    data = dict(base)
    data.update(online="1", governorate="", city="", capacity="4")
    r = mod.post("/events/%d/edit" % eid, data,
                 csrf_from="/events/%d/edit" % eid)
    assert r.status_code == 422 and 'id="capacity-err"' in r.text
    assert psql("SELECT capacity FROM events WHERE id = %d" % eid) == "20"
    psql("UPDATE events SET taken = 0 WHERE id = %d" % eid)
    # A resubmitted form makes one event.
    key = "e" * 43
    r1, r2 = post(idem=key), post(idem=key)
    assert r1.status_code == r2.status_code == 303
    assert r1.headers["Location"] == r2.headers["Location"]
    assert psql("SELECT count(*) FROM events WHERE idem_key = '%s'" % key) \
        == "1"


def test_people_signed_up_hear_of_a_move_or_cancellation(server, staff,
                                                          new_client):
    mod = staff("moderator")
    eid, title = new_event(mod, days=40, capacity="5")
    stays, leaves = new_client(), new_client()
    stays.register()
    leaves.register()
    assert sign_up(stays, eid).status_code == 303
    assert sign_up(leaves, eid).status_code == 303
    assert withdraw(leaves, eid).status_code == 303

    def edit(days, body):
        date, start, end_date, end, _ = local_slot(days=days)
        data = {"kind": "job_fair", "title": title, "date": date,
                "start": start, "end_date": end_date, "end": end,
                "governorate": "erbil", "city": "Erbil",
                "address": "Fair ground, hall 2",
                "organiser": "IOM and the Erbil Chamber of Commerce",
                "body": body, "capacity": "5"}
        r = mod.post("/events/%d/edit" % eid, data,
                     csrf_from="/events/%d/edit" % eid)
        assert r.status_code == 303, r.text[:3000]

    def notes(c):
        return int(psql("SELECT count(*) FROM notifications n JOIN users u "
                        "ON u.id = n.user_id WHERE u.username = '%s' AND "
                        "n.link = '/events/%d'" % (c.name, eid)))

    # A new description alone is not news; a new day is.
    edit(40, "Bring your **CV** and a pen.")
    assert notes(stays) == 0
    edit(41, "Bring your **CV** and a pen.")
    assert notes(stays) == 1
    assert "The time or place of" in stays.get("/notifications").text
    r = mod.post("/events/%d/cancel" % eid, {"reason": "no hall"},
                 csrf_from="/events/%d/cancel" % eid)
    assert r.status_code == 303
    assert notes(stays) == 2
    assert "was cancelled" in stays.get("/notifications").text
    # Whoever withdrew hears nothing.
    assert notes(leaves) == 0


def test_event_form_offers_the_kinds_and_governorates(server, staff):
    """A counsellor writing an event picks its kind and governorate from
    lists that are there, and finds the choice kept when the form comes
    back and when the event is edited."""
    mod = staff("moderator")
    options = re.compile(r'<select id="(kind|governorate)"[^>]*>(.*?)'
                         r'</select>', re.S)

    def chosen(html):
        found = {}
        for name, body in options.findall(html):
            values = re.findall(r'<option value="([^"]*)"', body)
            sel = re.findall(r'<option value="([^"]*)" selected>', body)
            found[name] = (values, sel)
        return found

    form = chosen(mod.get("/events/new").text)
    assert set(form) == {"kind", "governorate"}, form
    assert {"info_meeting", "job_fair", "training_fair",
            "workshop"} <= set(form["kind"][0])
    assert {"erbil", "duhok", "sulaymaniyah"} <= set(form["governorate"][0])
    date, start, end_date, end, _ = local_slot(days=40)
    data = {"kind": "workshop", "title": "", "date": date, "start": start,
            "end_date": end_date, "end": end, "governorate": "duhok",
            "city": "Duhok", "organiser": "IOM", "body": "x",
            "capacity": "5"}
    back = chosen(mod.post("/events/new", data,
                           csrf_from="/events/new").text)
    assert back["kind"][1] == ["workshop"], back
    assert back["governorate"][1] == ["duhok"], back
    eid, _ = new_event(mod, kind="training_fair", gov="erbil")
    edit = chosen(mod.get("/events/%d/edit" % eid).text)
    assert edit["kind"][1] == ["training_fair"], edit
    assert edit["governorate"][1] == ["erbil"], edit
