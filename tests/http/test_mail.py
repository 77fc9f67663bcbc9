"""Mail (issue 20) against a real SMTP server: aiosmtpd, started here on a
free port, and a server of its own configured to use it.  Each mail is
read as it arrives: its headers, its language and direction, its link."""
import base64
import email
import email.policy
import os
import re
import signal
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest

from aiosmtpd.controller import Controller

from conftest import TOP, Client, free_port, own_server, psql, unique
from test_forum import new_thread, reply


class Inbox:
    """What the relay received: parsed messages, in order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.msgs = []
        self.refuse = None      # an SMTP reply to give instead of 250

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        m = email.message_from_bytes(envelope.content,
                                     policy=email.policy.default)
        with self.lock:
            self.msgs.append((envelope.rcpt_tos, m))
        return "250 OK"

    def to(self, addr):
        with self.lock:
            return [m for rc, m in self.msgs if addr in rc]

    def wait(self, addr, n=1, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            got = self.to(addr)
            if len(got) >= n:
                return got
            time.sleep(0.2)
        raise AssertionError("%d mail(s) to %s, wanted %d" %
                             (len(self.to(addr)), addr, n))


class Relay:
    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.ctl = None

    def start(self):
        self.ctl = Controller(self.inbox, hostname="127.0.0.1",
                              port=self.port)
        self.ctl.start()

    def stop(self):
        if self.ctl:
            self.ctl.stop()
            self.ctl = None


@pytest.fixture(scope="module")
def relay():
    r = Relay()
    r.start()
    yield r
    r.stop()


def mail_settings(relay, **more):
    s = dict(smtp_host="127.0.0.1", smtp_port=str(relay.port),
             smtp_tls="off", mail_retry_min="1", mail_lease="3",
             mail_digest_hour="-1", mail_per_hour="50",
             mail_sender="on")
    s.update(more)
    return s


@pytest.fixture(scope="module")
def msrv(relay):
    with own_server(**mail_settings(relay)) as s:
        yield s


def address():
    return "%s@example.org" % unique("m").lower()


def with_address(c, addr=None):
    """An account with a confirmed address, set in the database."""
    addr = addr or address()
    psql("UPDATE users SET email = '%s' WHERE username = '%s'" %
         (addr, c.name))
    return addr


def uid_of(name):
    return int(psql("SELECT id FROM users WHERE username = '%s'" % name))


def parts(m):
    html = m.get_body(("html",)).get_content()
    text = m.get_body(("plain",)).get_content()
    return html, text


def digest(server_conf_env=None):
    env = dict(os.environ, MAGNET_DB=os.environ["MAGNET_TEST_DB"])
    out = subprocess.run([os.environ["MAGNET_BIN"], "mail", "digest"],
                         cwd=TOP, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def note(uid, kind, subject="A subject", link="/jobs"):
    psql("INSERT INTO notifications (user_id, kind, actor_id, subject, "
         "link) VALUES (%d, '%s', %d, '%s', '%s')" % (uid, kind, uid,
                                                      subject, link))


def test_notification_at_once_in_the_readers_language(msrv, relay):
    c = Client(msrv.base)
    c.register()
    psql("UPDATE users SET lang = 'ckb' WHERE username = '%s'" % c.name)
    addr = with_address(c)
    note(uid_of(c.name), "application_status", "Welder in Duhok",
         "/applications")
    m = relay.inbox.wait(addr)[0]
    html, text = parts(m)
    assert re.search(r'<html lang="ckb" dir="rtl">', html)
    assert "Welder in Duhok" in html and "Welder in Duhok" in text
    assert msrv.base + "/applications" in text
    # Sorani subject, RFC 2047 encoded on the wire.
    assert re.search("[\u0600-\u06ff]", str(m["Subject"]))
    assert m["List-Unsubscribe"].startswith("<" + msrv.base +
                                            "/mail/unsubscribe/")
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Sent once and marked so.
    time.sleep(1.5)
    assert len(relay.inbox.to(addr)) == 1
    assert psql("SELECT state FROM mail_outbox WHERE sent_to = '%s'" %
                addr) == "sent"


def test_unknown_kind_gets_a_generic_mail(msrv, relay):
    c = Client(msrv.base)
    c.register()
    addr = with_address(c)
    psql("INSERT INTO mail_prefs VALUES (%d, 'brand_new', 'now')" %
         uid_of(c.name))
    note(uid_of(c.name), "brand_new", "Something new", "/events")
    html, text = parts(relay.inbox.wait(addr)[0])
    assert "Something new" in text


def test_no_address_no_mail_and_hidden_content_is_not_mailed(msrv, relay):
    alice, bob = Client(msrv.base), Client(msrv.base)
    alice.register()
    bob.register()
    # No address: nothing is queued at all.
    note(uid_of(bob.name), "message", "Hello")
    assert psql("SELECT count(*) FROM mail_outbox WHERE user_id = %d" %
                uid_of(bob.name)) == "0"
    addr = with_address(alice)
    tid, title = new_thread(alice, "erbil")
    assert reply(bob, tid, "A reply in a thread about to be hidden"
                 ).status_code == 303
    # Hidden before the digest went: the sender re-checks and drops it.
    psql("UPDATE threads SET state = 'hidden' WHERE id = %d" % tid)
    digest()
    time.sleep(3)
    assert relay.inbox.to(addr) == []
    assert psql("SELECT state FROM mail_outbox WHERE user_id = %d AND "
                "kind = 'digest'" % uid_of(alice.name)) == "dropped"


def test_digest_gathers_replies(msrv, relay):
    alice, bob = Client(msrv.base), Client(msrv.base)
    alice.register()
    bob.register()
    addr = with_address(alice)
    tid, title = new_thread(alice, "duhok")
    assert reply(bob, tid, "First answer").status_code == 303
    assert reply(bob, tid, "Second answer").status_code == 303
    time.sleep(2)
    assert relay.inbox.to(addr) == []       # replies wait for the digest
    digest()
    msgs = relay.inbox.wait(addr)
    html, text = parts(msgs[0])
    assert text.count(title) == 2
    time.sleep(1.5)
    assert len(relay.inbox.to(addr)) == 1


def test_header_injection_is_impossible(msrv, relay):
    c = Client(msrv.base)
    c.register()
    addr = with_address(c)
    note(uid_of(c.name), "message", "Hi\r\nBcc: victim@example.org")
    m = relay.inbox.wait(addr)[0]
    assert m["Bcc"] is None
    for rcpts, _ in relay.inbox.msgs:
        assert "victim@example.org" not in rcpts


def test_refused_address_does_not_stop_others(msrv, relay):
    a, b = Client(msrv.base), Client(msrv.base)
    a.register()
    b.register()
    bad = with_address(a, "nobody@bad.example.org")
    good = with_address(b)
    relay.inbox.refuse = None

    orig = relay.inbox.handle_DATA

    async def picky(server, session, envelope):
        if bad in envelope.rcpt_tos:
            return "550 no such user"
        return await orig(server, session, envelope)
    relay.inbox.handle_DATA = picky
    try:
        note(uid_of(a.name), "message", "To a bad address")
        note(uid_of(b.name), "message", "To a good address")
        relay.inbox.wait(good)
        end = time.time() + 20
        while time.time() < end and psql(
                "SELECT state FROM mail_outbox WHERE user_id = %d" %
                uid_of(a.name)) != "failed":
            time.sleep(0.3)
        assert psql("SELECT state FROM mail_outbox WHERE user_id = %d" %
                    uid_of(a.name)) == "failed"
    finally:
        relay.inbox.handle_DATA = orig


def test_relay_down_for_a_while_every_mail_arrives_once(msrv, relay):
    c = Client(msrv.base)
    c.register()
    addr = with_address(c)
    relay.stop()
    try:
        for i in range(5):
            note(uid_of(c.name), "message", "While down %d" % i)
        time.sleep(4)     # several attempts fail meanwhile
        assert int(psql("SELECT min(attempts) FROM mail_outbox WHERE "
                        "user_id = %d" % uid_of(c.name))) >= 1
    finally:
        relay.start()
    got = relay.inbox.wait(addr, 5, timeout=60)
    time.sleep(3)
    got = relay.inbox.to(addr)
    ids = [m["Message-ID"] for m in got]
    assert len(ids) == 5 and len(set(ids)) == 5


def test_sigkill_while_queued_every_mail_arrives_none_twice(relay):
    with own_server(**mail_settings(relay)) as s:
        c = Client(s.base)
        c.register()
        addr = with_address(c)
        uid = uid_of(c.name)
        relay.stop()           # mails stay queued
        for i in range(6):
            note(uid, "message", "Queued %d" % i)
        time.sleep(1)
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
        relay.start()
        s.start()               # the same database: the outbox is there
        got = relay.inbox.wait(addr, 6, timeout=60)
        time.sleep(4)
        ids = [m["Message-ID"] for m in relay.inbox.to(addr)]
        assert len(ids) == 6 and len(set(ids)) == 6, ids


LINK = re.compile(r"(http://127\.0\.0\.1:\d+/[^\s<>\"]+)")


def links(m):
    return LINK.findall(parts(m)[1])


def test_confirm_an_address_and_change_it(msrv, relay):
    c = Client(msrv.base)
    c.register()
    # Not an address: refused, the text kept.
    r = c.post("/account/email", {"email": "not an address"})
    assert r.status_code == 422
    assert 'value="not an address"' in r.text
    first = address()
    r = c.post("/account/email", {"email": first})
    assert r.status_code == 303
    # Not confirmed: nothing else is mailed to it.
    assert psql("SELECT email IS NULL FROM users WHERE username = '%s'" %
                c.name) == "t"
    link = [l for l in links(relay.inbox.wait(first)[0])
            if "/account/email/confirm/" in l][0]
    path = link.split(str(msrv.port), 1)[1]
    # Opening the link asks; its button (a POST) confirms.
    v = Client(msrv.base)
    assert v.get(path).status_code == 200
    assert psql("SELECT email IS NULL FROM users WHERE username = '%s'" %
                c.name) == "t"
    assert v.post(path, {}).status_code == 200
    assert psql("SELECT email FROM users WHERE username = '%s'" %
                c.name) == first
    assert Client(msrv.base).get(path).status_code == 404   # single use
    assert Client(msrv.base).post(path, {}, csrf_from="/login"
                                  ).status_code == 404
    # Another account never sees it; the data export has it.
    assert first in c.get("/account/export").text
    # A change mails the old address once the new one is confirmed.
    second = address()
    assert c.post("/account/email", {"email": second}).status_code == 303
    link = [l for l in links(relay.inbox.wait(second)[0])
            if "/account/email/confirm/" in l][0]
    assert c.post(link.split(str(msrv.port), 1)[1], {}).status_code == 200
    old = relay.inbox.wait(first, 2)
    assert "/contact" in parts(old[1])[1]
    # Deleting the account removes the address.
    r = c.post("/account/delete", {"password": c.password},
               csrf_from="/account/delete")
    assert r.status_code == 303
    assert psql("SELECT count(*) FROM users WHERE email = '%s'" %
                second) == "0"


def test_password_reset_by_mail(msrv, relay):
    c = Client(msrv.base)
    c.register()
    addr = with_address(c)
    v = Client(msrv.base)
    a = v.post("/password/forgot", {"who": addr})
    b = v.post("/password/forgot", {"who": "no-such-" + unique()})
    assert a.status_code == b.status_code == 200
    strip = lambda t: re.sub(r'value="[0-9a-f]{64}"', "", t)
    assert strip(a.text) == strip(b.text)   # the same answer
    link = [l for l in links(relay.inbox.wait(addr)[0]) if "/reset/" in l][0]
    path = link.split(str(msrv.port), 1)[1]
    new = "a brand new passphrase 4821"
    r = v.post(path, {"password": new})
    assert r.status_code == 303, r.text[:500]
    assert Client(msrv.base).post(path, {"password": new}, csrf_from="/login"
                  ).status_code in (404, 410)
    assert Client(msrv.base).login(c.name, new).status_code == 303


def test_one_click_unsubscribe(msrv, relay):
    c = Client(msrv.base)
    c.register()
    addr = with_address(c)
    uid = uid_of(c.name)
    note(uid, "message", "Before")
    m = relay.inbox.wait(addr)[0]
    url = m["List-Unsubscribe"].strip("<>")
    path = url.split(str(msrv.port), 1)[1]
    # GET asks; a wrong signature is a 404.
    assert Client(msrv.base).get(path).status_code == 200
    assert psql("SELECT count(*) FROM mail_prefs WHERE user_id = %d" %
                uid) == "0"
    bad = path[:-4] + "0000"
    assert Client(msrv.base).s.post(msrv.base + bad, data={
        "List-Unsubscribe": "One-Click"}).status_code == 404
    # The mail program's POST: no session, no form token.
    r = requests_post(msrv.base + path)
    assert r.status_code == 200
    assert psql("SELECT mode FROM mail_prefs WHERE user_id = %d AND "
                "kind = 'message'" % uid) == "never"
    note(uid, "message", "After")
    time.sleep(3)
    assert len(relay.inbox.to(addr)) == 1


def requests_post(url):
    import requests
    return requests.post(url, data={"List-Unsubscribe": "One-Click"},
                         allow_redirects=False, timeout=30)
