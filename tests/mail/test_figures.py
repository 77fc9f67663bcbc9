"""Mail figures for the README (issue 20), printed, not judged: how long a
mail takes from the commit of the notification that causes it to its
receipt at the relay (p50 and p99 over 100 mails, each written alone
at a random moment, as events come), and how many mails a second one
sender sends (300 queued in one commit).  The relay is aiosmtpd on
loopback, as in tests/http/test_mail.py.  Run it on the release build:

    sh tests/mail/figures.sh          (BIN=build/san/magnet for the other)

(or with the HTTP suite's environment: pytest -s tests/mail)."""
import os
import random
import re
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))

from conftest import own_server, psql, unique      # noqa: E402
from test_mail import Relay, mail_settings          # noqa: E402

MSGID = re.compile(r"<magnet-mail-(\d+)@")
LATENCY_N = 100
RATE_N = 300


class Timed(Relay):
    """The relay, noting when each Message-ID arrived."""

    def __init__(self):
        Relay.__init__(self)
        self.at = {}
        self.cv = threading.Condition()
        orig = self.inbox.handle_DATA

        async def timed(server, session, envelope):
            rc = await orig(server, session, envelope)
            m = MSGID.search(envelope.content.decode("ascii", "replace"))
            if m:
                with self.cv:
                    self.at.setdefault(m.group(1), time.time())
                    self.cv.notify_all()
            return rc
        self.inbox.handle_DATA = timed

    def wait(self, ids, timeout):
        end = time.time() + timeout
        with self.cv:
            while not ids <= set(self.at) and time.time() < end:
                self.cv.wait(0.5)
        assert ids <= set(self.at), "%d of %d arrived" % (
            len(ids & set(self.at)), len(ids))


def accounts(prefix, n):
    psql("INSERT INTO users (username, username_key, password_hash, role, "
         "lang, email) SELECT '%s' || i, '%s' || i, 'x', 'returnee', "
         "'ckb', '%s' || i || '@example.org' FROM generate_series(1, %d) i"
         % (prefix, prefix, prefix, n))


def outbox(prefix):
    """outbox id -> user id, for the accounts of prefix."""
    rows = psql("SELECT o.id, o.user_id FROM mail_outbox o JOIN users u "
                "ON u.id = o.user_id WHERE u.username LIKE '%s%%'" % prefix)
    return dict(l.split("|") for l in rows.splitlines())


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def test_figures():
    relay = Timed()
    relay.start()
    try:
        with own_server(**mail_settings(relay, mail_per_hour="100000")):
            # Latency: one notification a commit, at random moments.
            prefix = unique("fl").lower()
            accounts(prefix, LATENCY_N)
            uids = psql("SELECT id FROM users WHERE username LIKE '%s%%' "
                        "ORDER BY id" % prefix).split()
            committed = {}
            for uid in uids:
                time.sleep(random.uniform(0, 0.3))
                committed[uid] = float(psql(
                    "WITH n AS (INSERT INTO notifications (user_id, kind, "
                    "actor_id, subject, link) VALUES (%s, 'message', %s, "
                    "'Figures', '/messages') RETURNING id) SELECT "
                    "extract(epoch FROM clock_timestamp()) FROM n" %
                    (uid, uid)))
            rows = outbox(prefix)
            relay.wait(set(rows), 120)
            lat = [relay.at[o] - committed[u] for o, u in rows.items()]
            # Throughput: 300 queued in one commit, one sender.
            prefix = unique("fr").lower()
            accounts(prefix, RATE_N)
            psql("INSERT INTO notifications (user_id, kind, actor_id, "
                 "subject, link) SELECT id, 'message', id, 'Figures', "
                 "'/messages' FROM users WHERE username LIKE '%s%%'" %
                 prefix)
            rows = outbox(prefix)
            relay.wait(set(rows), 600)
            at = sorted(relay.at[o] for o in rows)
            rate = (len(at) - 1) / (at[-1] - at[0])
    finally:
        relay.stop()
    print("\nmail figures (%s)" % os.path.basename(os.environ["MAGNET_BIN"]
                                                  .rstrip("/")))
    print("commit to relay, %d mails: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, "
          "max %.0f ms" % (len(lat), 1000 * pct(lat, 50), 1000 * pct(lat, 90),
                           1000 * pct(lat, 99), 1000 * max(lat)))
    print("one sender, %d mails queued at once: %.1f mails/s (first to "
          "last arrival %.1f s)" % (len(at), rate, at[-1] - at[0]))
    print("load average %.1f %.1f %.1f on %d cores" % (os.getloadavg() +
                                                      (os.cpu_count(),)))
