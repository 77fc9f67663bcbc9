"""`magnet seed-demo` on a database: labelled sample content, once.
Runs late because it adds threads to every board."""
import os
import subprocess

from conftest import TOP, Client, psql


def seed():
    env = dict(os.environ, MAGNET_DB=os.environ["MAGNET_TEST_DB"])
    return subprocess.run([os.environ["MAGNET_BIN"], "seed-demo"], cwd=TOP,
                          env=env, capture_output=True, text=True)


def test_seed_demo_once(server):
    first = seed()
    assert first.returncode == 0, first.stderr
    assert "added" in first.stdout
    again = seed()
    assert again.returncode == 0 and "already there" in again.stdout
    v = Client(server.base)
    for board in ("before-departure", "erbil", "sulaymaniyah", "duhok",
                  "halabja"):
        page = v.get("/b/%s" % board).text
        assert "[Sample]" in page or "[نموونە]" in page, board
    # Every sample is labelled as one, in its own language.
    marked = ("(title LIKE '[Sample] %' OR title LIKE '[نموونە] %' OR "
              "title LIKE '[نموذج] %')")
    assert psql("SELECT count(*) FROM threads WHERE " + marked) == "5"
    assert psql("SELECT count(*) FROM threads t JOIN users u ON "
                "u.id = t.author_id WHERE u.username = 'magnet-sample' "
                "AND NOT " + marked.replace("title", "t.title")) == "0"
    assert psql("SELECT count(*) FROM guide_versions WHERE lang <> 'en' "
                "AND title LIKE '[Sample]%'") == "0"
    # Every language's version of a sample guide says it is one.
    assert psql("SELECT count(*) FROM guide_versions WHERE guide_id IN "
                "(SELECT guide_id FROM guide_versions WHERE title LIKE "
                "'[Sample] %') AND NOT " + marked) == "0"
    assert psql("SELECT count(*) FROM guide_versions WHERE title LIKE "
                "'[نموذج] %'") != "0"
    # Sample vacancies and events, open and shown, marked as samples.
    jobs = v.get("/jobs").text
    assert jobs.count("[Sample] ") >= 2 and "[نموونە] " in jobs
    assert psql("SELECT count(*) FROM vacancies v JOIN users u ON "
                "u.id = v.author_id WHERE u.username = "
                "'magnet-sample-employer' AND v.state = 'published' AND "
                "v.deadline > current_date + 30") == "3"
    # They say so and take no applications (issue 17).
    sample = ("FROM vacancies v JOIN users u ON u.id = v.author_id WHERE "
              "u.username = 'magnet-sample-employer'")
    assert psql("SELECT count(*) " + sample + " AND v.sample") == "3"
    sid = int(psql("SELECT min(v.id) " + sample))
    ret = Client(server.base)
    ret.register()
    page = ret.get("/jobs/%d" % sid).text
    assert "This is a sample vacancy" in page
    assert 'action="/jobs/%d/apply"' % sid not in page
    assert ret.post("/jobs/%d/apply" % sid, {"message": "Hello, I weld."},
                    csrf_from="/jobs/%d" % sid).status_code == 403
    events = v.get("/events").text
    assert "[Sample] Job fair for returnees in Erbil" in events
    assert "[نموونە] " in events
    r = v.post("/login", {"username": "magnet-sample-employer", "password":
                          "anything at all"}, csrf_from="/login")
    assert r.status_code == 400
    # The sample account cannot sign in.
    r = v.post("/login", {"username": "magnet-sample", "password":
                          "anything at all"}, csrf_from="/login")
    assert r.status_code == 400
