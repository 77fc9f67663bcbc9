"""Outcomes as the programme reports them (issue 21, item 6): the figures
of a period on /mod/stats and in its CSV match a hand count of rows this
test makes itself, in 2031, where no other test writes."""
import csv
import io

from conftest import psql, unique

FROM, TO = "2031-01-01", "2031-12-31"


def new_id(sql):
    """The id an INSERT ... RETURNING id gave (psql adds its tag)."""
    return int(psql(sql).split()[0])


def user(tag, role="returnee", deleted=False, enterprise="NULL"):
    name = unique(tag)
    return new_id(
        "INSERT INTO users (username, username_key, password_hash, role, "
        "enterprise_id, deleted_at) VALUES ('%s', '%s', '!', '%s', %s, %s) "
        "RETURNING id" % (name, name.lower(), role, enterprise,
                          "'2031-01-01'" if deleted else "NULL"))


def profile(uid, gov, country="", ret="NULL", occ="NULL"):
    psql("INSERT INTO returnee_profiles (user_id, governorate, country, "
         "return_date, occupation_code) VALUES (%d, '%s', '%s', %s, %s)"
         % (uid, gov, country, ret, occ))


def vacancy(ent, author, kind, gov, sector, positions, published, occ):
    return new_id(
        "INSERT INTO vacancies (enterprise_id, author_id, kind, title, "
        "description_md, description_html, governorate, sector, contract, "
        "positions, deadline, state, published_at, occupation_code) VALUES "
        "(%d, %d, '%s', 'Outcomes test', 'x', '<p>x</p>', '%s', '%s', "
        "'full_time', %d, '2031-12-31', 'published', '%s', %s) RETURNING id"
        % (ent, author, kind, gov, sector, positions, published, occ))


def referral(vid, uid, mod, status, created, updated):
    psql("INSERT INTO referrals (vacancy_id, user_id, moderator_id, status, "
         "created_at, updated_at) VALUES (%d, %d, %d, '%s', '%s', '%s')"
         % (vid, uid, mod, status, created, updated))


def application(vid, uid, status, at):
    psql("INSERT INTO applications (vacancy_id, user_id, message, status, "
         "created_at, updated_at) VALUES (%d, %d, 'hello', '%s', '%s', '%s')"
         % (vid, uid, status, at, at))


def counselling(uid, counsellor, answered):
    """A counselling conversation the returnee opened; answered by the
    counsellor at the moment given (or not at all)."""
    cid = new_id(
        "INSERT INTO conversations (kind, subject, created_by, created_at) "
        "VALUES ('counselling', 'help', %d, '2031-01-02') RETURNING id"
        % uid)
    psql("INSERT INTO conversation_members (conversation_id, user_id) "
         "VALUES (%d, %d), (%d, NULL)" % (cid, uid, cid))
    psql("INSERT INTO messages (conversation_id, seq, author_id, body_md, "
         "body_html, created_at) VALUES (%d, 1, %d, 'q', '<p>q</p>', "
         "'2031-01-02')" % (cid, uid))
    if answered:
        psql("INSERT INTO messages (conversation_id, seq, author_id, "
             "body_md, body_html, created_at) VALUES (%d, 2, %d, 'a', "
             "'<p>a</p>', '%s')" % (cid, counsellor, answered))


def make_rows():
    """The rows of 2031, and what a person counts from them."""
    ent = new_id("INSERT INTO enterprises (name, sector, governorate, "
                   "verified_at) VALUES ('Outcomes Co', 'construction', "
                   "'duhok', '2031-03-01 10:00+03') RETURNING id")
    psql("INSERT INTO enterprises (name, governorate, verified_at) VALUES "
         "('Verified before', 'erbil', '2030-06-01')")
    emp = user("oemp", "employer", enterprise=str(ent))
    mod = user("omod", "moderator")
    r1, r2, r3, r4 = (user("or%d" % i) for i in range(1, 5))
    gone = user("orgone", deleted=True)
    # r1 returns on 1 June, answered in May: before departure.
    profile(r1, "duhok", "de", "'2031-06-01'", "'7411'")
    # r2 came back in 2030: after return.
    profile(r2, "erbil", "de", "'2030-01-01'")
    # r3 has no return date but lives in Sweden: before departure.
    profile(r3, "erbil", "se")
    profile(r4, "duhok")
    profile(gone, "duhok", "de", "'2031-06-01'")
    job = vacancy(ent, emp, "job", "duhok", "construction", 3,
                  "2031-02-01 09:00+03", "'7411'")
    course = vacancy(ent, emp, "training", "erbil", "education", 5,
                     "2031-02-02 09:00+03", "'2341'")
    old = vacancy(ent, emp, "job", "duhok", "construction", 7,
                  "2030-12-31 12:00+03", "NULL")
    referral(job, r1, mod, "placed", "2031-03-01", "2031-03-10")
    referral(job, r2, mod, "interview", "2031-03-02", "2031-03-05")
    referral(course, r3, mod, "enrolled", "2031-03-03", "2031-03-20")
    referral(job, gone, mod, "placed", "2031-03-01", "2031-03-10")
    referral(old, r4, mod, "referred", "2030-12-01", "2030-12-01")
    # r1 is also hired through an application: still one person placed.
    application(job, r1, "hired", "2031-04-01")
    application(job, r4, "hired", "2031-04-02")
    application(course, r2, "hired", "2031-04-03")
    application(course, r4, "interview", "2031-04-03")
    counselling(r1, mod, "2031-05-01 10:00+03")
    counselling(r2, mod, "2031-05-02 10:00+03")
    counselling(r3, mod, "2031-05-03 10:00+03")
    counselling(r4, mod, None)
    counselling(gone, mod, "2031-05-03 10:00+03")


# all, then Duhok: before, after, referred, job, training, vacancies,
# positions, enterprises
ALL = [2, 1, 3, 2, 2, 2, 8, 1]
DUHOK = [1, 0, 2, 2, 0, 1, 3, 1]


def sql_row(gov):
    g = "'%s'" % gov if gov else "NULL"
    return [int(x) for x in psql(
        "SELECT concat_ws(',', counselled_before, counselled_after, "
        "referred, placed_job, placed_training, vacancies, positions, "
        "enterprises) FROM placement_outcomes('%s', '%s', %s) WHERE "
        "dim = 'all'" % (FROM, TO, g)).split(",")]


def test_outcomes_match_a_hand_count(client, staff):
    make_rows()
    assert sql_row(None) == ALL
    assert sql_row("duhok") == DUHOK
    by_gov = psql("SELECT string_agg(key || ':' || placed_job, ' ' ORDER BY "
                  "key) FROM placement_outcomes('%s', '%s') WHERE dim = "
                  "'governorate'" % (FROM, TO))
    assert by_gov == "duhok:2 erbil:0"
    funnel = psql("SELECT string_agg(concat_ws(',', governorate, referred, "
                  "contacted, interview, placed), ' ') FROM "
                  "placement_funnel('%s', '%s')" % (FROM, TO))
    assert funnel == ("erbil,1,1,1,1 sulaymaniyah,0,0,0,0 duhok,2,2,2,1 "
                      "halabja,0,0,0,0")
    assert psql("SELECT placed_job FROM placement_outcomes('%s', '%s') "
                "WHERE dim = 'major' AND key = '7'" % (FROM, TO)) == "2"

    mod = staff()
    page = mod.get("/mod/stats?from=%s&to=%s" % (FROM, TO))
    assert page.status_code == 200
    assert 'value="2031-01-01"' in page.text
    assert "<title" in page.text and "<desc" in page.text
    res = mod.get("/mod/stats/outcomes.csv?from=%s&to=%s" % (FROM, TO))
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("text/csv")
    assert res.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in res.content
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert [int(x) for x in rows[1][2:]] == ALL
    assert all(line.startswith('"') for line in
               res.content.decode("utf-8-sig").split("\r\n") if line)
    # Nobody else may read them.
    assert client.get("/mod/stats/outcomes.csv").status_code in (303, 403)


def test_bad_period_comes_back_named(staff):
    mod = staff()
    res = mod.get("/mod/stats?from=2031-13-01&to=2031-12-31")
    assert res.status_code == 422
    assert 'value="2031-13-01"' in res.text
    assert 'id="from-err"' in res.text
    res = mod.get("/mod/stats?from=2031-12-31&to=2031-01-01")
    assert res.status_code == 422
    assert 'id="to-err"' in res.text and 'value="2031-12-31"' in res.text
    assert mod.get("/mod/stats/outcomes.csv?from=x").status_code == 400
