"""Kore's privilege separation and sandbox, as issue 15 asks: started as
root, the parent keeps root (it accepts no connection; it restarts and
signals workers) and every process that touches a request runs as the
configured user; every Kore worker has Kore's seccomp filter and no new
privileges; with `chroot` the workers live in that directory, which
needs to hold nothing but the database's socket."""
import os
import pwd
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import TOP, Server, own_server


def status(pid):
    with open("/proc/%d/status" % pid) as f:
        return dict(l.split(":", 1) for l in f.read().splitlines()
                    if ":" in l)


def children(pid):
    kids = []
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % d) as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    kids.append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    return kids


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        out += kids
        todo += kids
    return out


def cmdline(pid):
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        return f.read().replace(b"\0", b" ").decode().strip()


def workers(server):
    return [k for k in children(server.proc.pid) if "[wrk" in cmdline(k)]


def test_processes_drop_root_and_are_sandboxed(server):
    uid = pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else \
        os.geteuid()
    kids = children(server.proc.pid)
    names = {k: cmdline(k) for k in kids}
    assert len(workers(server)) >= 1, names
    assert any("md-broker" in n for n in names.values()), names
    for k in descendants(server.proc.pid):
        st = status(k)
        assert st["Uid"].split() == [str(uid)] * 4, (cmdline(k), st["Uid"])
    for w in workers(server):
        st = status(w)
        # 2: a seccomp filter; Kore's, with Magnet's additions.
        assert st["Seccomp"].strip() == "2", cmdline(w)
        assert st["NoNewPrivs"].strip() == "1", cmdline(w)


def test_chroot(server):
    if os.geteuid() != 0:
        # Only root can chroot: the server refuses to start, and says so.
        conf = tempfile.NamedTemporaryFile("w", suffix=".conf",
                                           delete=False)
        with open(os.path.join(TOP, "tests/http/test.conf")) as f:
            conf.write(f.read() + "\nchroot = /tmp\n")
        conf.close()
        s = Server(conf=conf.name)
        with pytest.raises(RuntimeError) as e:
            s.start()
        assert "chroot: Kore chroots its workers only when started as " \
            "root" in str(e.value)
        return
    # An empty directory but for the database's socket, at the path the
    # connection string names (a hard link to it: the same socket).
    sockdir = re.search(r"host=(\S+)",
                        os.environ["MAGNET_TEST_DB"]).group(1)
    root = tempfile.mkdtemp(prefix="magnet-chroot-")
    os.chmod(root, 0o755)
    inner = os.path.join(root, sockdir.lstrip("/"))
    os.makedirs(inner)
    d = inner
    while d != root:
        os.chmod(d, 0o755)
        d = os.path.dirname(d)
    for name in os.listdir(sockdir):
        if name.startswith(".s.PGSQL.") and not name.endswith(".lock"):
            os.link(os.path.join(sockdir, name), os.path.join(inner, name))
    try:
        with own_server(chroot=root) as s:
            for w in workers(s):
                assert os.readlink("/proc/%d/root" % w) == root
                assert status(w)["Seccomp"].strip() == "2"
            c = __import__("conftest").Client(s.base)
            c.register()
            assert c.signed_in()
            r = c.get("/b/erbil")
            assert r.status_code == 200
    finally:
        shutil.rmtree(root)


def test_markdown_broker_restarted_when_killed():
    """The markdown broker killed (a crash): it is started again at once,
    and the next preview is rendered; the server itself never notices
    beyond the renders that were in flight."""
    import time
    from conftest import Client
    from test_forum import new_thread, reply
    with own_server() as s:
        sup = [k for k in children(s.proc.pid) if "md-broker" in cmdline(k)]
        assert len(sup) == 1, sup
        c = Client(s.base)
        c.register()
        tid, _ = new_thread(c)
        for round in range(3):
            broker = children(sup[0])
            assert len(broker) == 1, broker
            os.kill(broker[0], 9)
            deadline = time.time() + 5
            while broker[0] in children(sup[0]) and time.time() < deadline:
                time.sleep(0.01)
            r = reply(c, tid, "**bold %d** after a crash" % round,
                      preview="1")
            assert r.status_code == 200, r.text[:2000]
            assert "<strong>bold %d</strong>" % round in r.text
            assert children(sup[0]) and children(sup[0]) != broker
        assert [k for k in children(s.proc.pid)
                if "md-broker" in cmdline(k)] == sup
        assert "starting another" in s.logtext()


def test_kore_configuration_from_the_route_table():
    """`magnet kore-conf`: the Kore configuration `serve` runs with, made
    from the settings and the route table: one Kore route per pattern
    (literal paths first, then expressions, then the catch-all that
    answers 404), every limit with its setting's value."""
    env = dict(os.environ, MAGNET_CONF=os.path.join(TOP, "conf/magnet.conf"),
               MAGNET_LISTEN="127.0.0.1:8123")
    out = subprocess.run([os.environ["MAGNET_BIN"], "kore-conf"], env=env,
                         cwd=TOP, capture_output=True, text=True, check=True)
    conf = out.stdout
    routes = subprocess.run([os.environ["MAGNET_BIN"], "routes"], env=env,
                            cwd=TOP, capture_output=True, text=True,
                            check=True).stdout.split("\n")
    patterns = sorted(set(l.split()[1] for l in routes if l))
    kore = re.findall(r"^\troute (\S+) server_serve$", conf, re.M)
    assert kore[-1] == "^/"
    assert len(kore) == len(patterns) + 1
    literal = [p for p in patterns if "{" not in p]
    assert kore[:len(literal)] == [p for p in kore if not p.startswith("^")]
    assert sorted(kore[:len(literal)]) == sorted(literal)
    assert "\troute ^/t/[1-9][0-9]*$ server_serve" in conf
    assert "\troute ^/b/[^/]+/new$ server_serve" in conf
    assert "\tbind 127.0.0.1 8123 server_connect" in conf
    for line in ("http_header_max 8192", "http_body_max 262144",
                 "http_header_timeout 10", "http_body_timeout 10",
                 "http_keepalive_time 10", "http_hsts_enable 0",
                 "http_server_version kore", "tls no"):
        assert re.search(r"^\s*%s$" % re.escape(line), conf, re.M), line
    workers = int(re.search(r"^workers (\d+)$", conf, re.M).group(1))
    assert workers == os.cpu_count()
    per = int(re.search(r"^worker_max_connections (\d+)$", conf,
                        re.M).group(1))
    assert per * workers >= 1024 > (per - 1) * workers
