"""Placement across languages (issue 21): the vocabulary of occupations
(ISCO-08) and skills in four languages, the pickers of the profile and
the vacancy form, matching on codes (the counsellors' suggestions and
"vacancies for you"), search by an occupation's label in any language,
the CV in a language the reader picks, and the admins' label editing."""
import html
import os
import re

from conftest import psql, unique
from test_jobs import approve, apply, employer, post_vacancy, returnee, \
    save_profile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
ELECTRICIAN_CKB = "کارەباچییانی بینا"
ELECTRICIAN_AR = "كهربائيو المباني والكهربائيون ذوو الصلة"
ELECTRICIAN_EN = "Building and related electricians"


def tsv(name):
    with open(os.path.join(ROOT, "db", "data", name), encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t") for l in f
                if l.strip() and not l.startswith("#")]


def code_of(uid):
    return psql("SELECT coalesce(occupation_code, '-') FROM "
                "returnee_profiles WHERE user_id = %d" % uid)


def test_vocabulary_is_the_data_files(server):
    occ, skills = tsv("isco08.tsv"), tsv("skills.tsv")
    # Every major (10), sub-major (43) and minor (130) group of ISCO-08.
    assert sum(len(r[0]) == 1 for r in occ) == 10
    assert sum(len(r[0]) == 2 for r in occ) == 43
    assert sum(len(r[0]) == 3 for r in occ) == 130
    codes = {r[0] for r in occ}
    for code in ("7411", "7412", "7413", "7126", "7212", "7231", "8322",
                 "8331", "8332", "7111", "7119", "5120", "2221", "3221",
                 "2512", "2513", "2514", "5414"):
        assert code in codes, code
    # Migration 0029 holds the same rows (labels an admin changed
    # aside).
    want = sorted("%s|%s" % (r[0], r[1]) for r in occ) + \
        sorted("%s|%s" % (r[0], r[2]) for r in skills)
    got = psql("SELECT string_agg(code || '|' || en, E'\\n' ORDER BY "
               "kind, code COLLATE \"C\") FROM vocabulary").split("\n")
    assert len(got) == len(want)
    assert set(w.split("|")[0] for w in want) == \
        set(g.split("|")[0] for g in got)
    for r in occ:
        if r[0] in ("7411", "5120", "2221"):
            assert psql("SELECT ckb || '|' || kmr || '|' || ar FROM "
                        "vocabulary WHERE code = '%s'" % r[0]) == \
                "|".join(r[2:5])


def test_picker_in_sorani_and_any_language(new_client):
    r = new_client(lang="ckb")
    r.register()
    r.uid = int(psql("SELECT id FROM users WHERE username = '%s'" % r.name))
    page = r.get("/profile")
    assert page.status_code == 200
    assert 'list="occ-list"' in page.text
    # The datalist speaks the reader's language, with the code.
    assert '<option value="%s (7411)">' % ELECTRICIAN_CKB in page.text
    assert 'name="skill" value="drv_truck"' in page.text
    # Picked from the list in Sorani.
    save_profile(r, occupation="%s (7411)" % ELECTRICIAN_CKB,
                 skill=["cert_electric", "drv_private"])
    assert code_of(r.uid) == "7411"
    assert psql("SELECT skill_codes FROM returnee_profiles WHERE "
                "user_id = %d" % r.uid) == "{cert_electric,drv_private}"
    page = r.get("/profile")
    assert 'value="%s (7411)"' % ELECTRICIAN_CKB in page.text
    # A label typed in Arabic, without the code, is the same occupation.
    save_profile(r, occupation=ELECTRICIAN_AR)
    assert code_of(r.uid) == "7411"
    # Arabic-Indic digits are a code too.
    save_profile(r, occupation="٥١٢٠")
    assert code_of(r.uid) == "5120"


def test_unknown_code_is_refused_with_the_form_kept(new_client):
    r = returnee(new_client)
    res = r.post("/profile", {"occupation": "Electrician (9999)",
                              "experience": "Ten years in Graz.",
                              "governorate": "duhok"},
                 csrf_from="/profile")
    assert res.status_code == 422
    assert 'id="occupation-err"' in res.text
    assert 'value="Electrician (9999)"' in res.text
    assert "Ten years in Graz." in res.text
    assert '<bdi dir="ltr"><code>9999</code></bdi>' in res.text
    res = r.post("/profile", {"skill": "no_such_skill"},
                 csrf_from="/profile")
    assert res.status_code == 422
    assert 'id="skill-err"' in res.text


def test_typed_occupation_is_a_candidate(new_client, staff):
    r = returnee(new_client)
    word = "Beekeeper " + unique("b")
    save_profile(r, occupation=word)
    assert code_of(r.uid) == "-"
    mod = staff()
    page = mod.get("/mod/vocabulary")
    assert page.status_code == 200
    assert html.escape(word) in page.text
    # Counsellors read; only admins change labels.
    assert 'href="/admin/vocabulary/7411"' not in page.text
    assert mod.post("/admin/vocabulary/7411", {"en": "x", "ckb": "x",
                    "kmr": "x", "ar": "x"},
                    csrf_from="/mod/vocabulary").status_code == 403
    assert r.get("/mod/vocabulary").status_code in (403, 404)


def test_admin_edits_a_label(staff):
    admin = staff("admin")
    page = admin.get("/admin/vocabulary/9621")
    assert page.status_code == 200
    en = psql("SELECT en FROM vocabulary WHERE code = '9621'")
    data = {"en": en, "ckb": "نامەبەران و گەیەنەران",
            "kmr": psql("SELECT kmr FROM vocabulary WHERE code = '9621'"),
            "ar": ""}
    res = admin.post("/admin/vocabulary/9621", data,
                     csrf_from="/admin/vocabulary/9621")
    assert res.status_code == 422 and 'id="ar-err"' in res.text
    assert "نامەبەران و گەیەنەران" in res.text
    data["ar"] = psql("SELECT ar FROM vocabulary WHERE code = '9621'")
    res = admin.post("/admin/vocabulary/9621", data,
                     csrf_from="/admin/vocabulary/9621")
    assert res.status_code == 303
    assert psql("SELECT ckb FROM vocabulary WHERE code = '9621'") == \
        "نامەبەران و گەیەنەران"
    assert psql("SELECT count(*) FROM audit_log WHERE action = "
                "'vocabulary.edit' AND target = 'vocabulary:9621'") != "0"
    assert admin.get("/admin/vocabulary/nosuch").status_code == 404


def electrician_vacancy(new_client, staff):
    emp = employer(new_client)
    vid = post_vacancy(emp, title="Electricians for a hospital " +
                       unique("v"), skills="", governorate="erbil",
                       occupation="%s (7411)" % ELECTRICIAN_EN,
                       skill="cert_electric")
    approve(staff(), vid)
    assert psql("SELECT occupation_code FROM vacancies WHERE id = %d"
                % vid) == "7411"
    return emp, vid


def test_electrician_in_sorani_is_suggested_first(new_client, staff):
    emp, vid = electrician_vacancy(new_client, staff)
    # The electrician lives in another governorate; the cook in the
    # vacancy's own.
    elec = new_client(lang="ckb")
    elec.register()
    elec.uid = int(psql("SELECT id FROM users WHERE username = '%s'"
                        % elec.name))
    save_profile(elec, occupation="%s (7411)" % ELECTRICIAN_CKB,
                 governorate="duhok", skills="", skill="cert_electric")
    cook = returnee(new_client)
    save_profile(cook, occupation="Cooks (5120)", governorate="erbil",
                 skills="")
    mod = staff()
    page = mod.get("/mod/jobs/%d/suggestions" % vid)
    assert page.status_code == 200
    ids = re.findall(r'<li class="app" id="u(\d+)"', page.text)
    assert ids and int(ids[0]) == elec.uid, ids[:5]
    assert str(cook.uid) not in ids
    # Why, in the reader's language.
    assert "Same occupation:" in page.text
    ckb = staff()
    psql("UPDATE users SET lang = 'ckb' WHERE username = '%s'" % ckb.name)
    page = ckb.get("/mod/jobs/%d/suggestions" % vid)
    first = page.text.split('id="u%d"' % elec.uid)[1].split("</li>")[0]
    assert ELECTRICIAN_CKB in first
    assert "Same occupation:" not in first
    # The returnee's own list, in Sorani.
    mine = elec.get("/jobs/for-you")
    assert mine.status_code == 200
    assert 'href="/jobs/%d"' % vid in mine.text
    assert ELECTRICIAN_CKB in mine.text
    assert 'href="/jobs/%d"' % vid not in cook.get("/jobs/for-you").text


def test_search_by_occupation_in_any_language(new_client, staff):
    emp, vid = electrician_vacancy(new_client, staff)
    v = new_client()
    for q in ("کارەباچی", "كهربائيو", "electricians"):
        page = v.get("/jobs", params={"q": q})
        assert 'href="/jobs/%d"' % vid in page.text, q


def test_cv_in_arabic_and_the_employer(new_client, staff):
    emp, vid = electrician_vacancy(new_client, staff)
    other = employer(new_client)
    r = new_client(lang="ckb")
    r.register()
    r.uid = int(psql("SELECT id FROM users WHERE username = '%s'" % r.name))
    save_profile(r, occupation="%s (7411)" % ELECTRICIAN_CKB,
                 skill="drv_truck", consent="1")
    cv = r.get("/profile/cv?lang=ar")
    assert cv.status_code == 200
    assert '<article class="cv" lang="ar" dir="rtl">' in cv.text
    assert ELECTRICIAN_AR in cv.text
    assert "إجازة سوق: حمل (شاحنة ثقيلة)" in cv.text
    dl = r.get("/profile/cv/download?lang=ar")
    assert dl.status_code == 200
    assert dl.headers["Content-Disposition"].startswith("attachment")
    assert dl.headers["X-Content-Type-Options"] == "nosniff"
    assert '<html lang="ar" dir="rtl">' in dl.text
    assert "default-src 'none'" in dl.text and ELECTRICIAN_AR in dl.text
    assert "<link" not in dl.text and "<script" not in dl.text
    assert "size: A4" in dl.text
    # The employer, beside the application.
    assert apply(r, vid).status_code == 303
    aid = int(psql("SELECT id FROM applications WHERE vacancy_id = %d AND "
                   "user_id = %d" % (vid, r.uid)))
    apps = emp.get("/jobs/%d/applications" % vid)
    assert 'href="/applications/%d/cv"' % aid in apps.text
    cv = emp.get("/applications/%d/cv?lang=en" % aid)
    assert cv.status_code == 200 and ELECTRICIAN_EN in cv.text
    assert other.get("/applications/%d/cv" % aid).status_code == 404
    assert returnee(new_client).get("/applications/%d/cv"
                                    % aid).status_code == 404
    # Withdrawn: no longer.
    res = r.post("/applications/%d/withdraw" % aid, {},
                 csrf_from="/applications")
    assert res.status_code == 303
    assert emp.get("/applications/%d/cv" % aid).status_code == 404
    assert 'href="/applications/%d/cv"' % aid not in \
        emp.get("/jobs/%d/applications" % vid).text
    # Without consent, neither.
    r2 = returnee(new_client)
    save_profile(r2, consent=None)
    assert apply(r2, vid).status_code == 303
    aid2 = int(psql("SELECT id FROM applications WHERE vacancy_id = %d AND "
                    "user_id = %d" % (vid, r2.uid)))
    assert emp.get("/applications/%d/cv" % aid2).status_code == 404
    assert staff().get("/applications/%d/cv" % aid2).status_code == 200
