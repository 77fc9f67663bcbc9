"""Two nodes on one outbox (issue 20): two servers on the test database,
both with their mail sender on and pointing at one SMTP relay, 40 mails
queued at once.  Every mail arrives exactly once: counted by Message-ID
at the relay (the outbox row's id), none missing, none twice.

The relay takes a quarter of a second per mail, so that a batch a
sender claimed takes longer to send than the lease (3 s here): a row
whose lease ran out while it still waited its turn in the first
sender's batch must not be sent by the other sender as well."""
import asyncio
import re
import time

import pytest

from conftest import own_server, psql, unique
from test_mail import Relay, mail_settings

N = 40
MSGID = re.compile(r"<magnet-mail-(\d+)@")


class SlowRelay(Relay):
    def __init__(self, delay):
        Relay.__init__(self)
        orig = self.inbox.handle_DATA

        async def slow(server, session, envelope):
            await asyncio.sleep(delay)
            return await orig(server, session, envelope)
        self.inbox.handle_DATA = slow


@pytest.fixture(scope="module")
def relay():
    r = SlowRelay(0.25)
    r.start()
    yield r
    r.stop()


def accounts(prefix, n):
    """n returnees with confirmed addresses, written in one statement."""
    psql("INSERT INTO users (username, username_key, password_hash, role, "
         "lang, email) SELECT '%s' || i, '%s' || i, 'x', 'returnee', "
         "'ckb', '%s' || i || '@example.org' FROM generate_series(1, %d) i"
         % (prefix, prefix, prefix, n))


def test_two_nodes_send_each_mail_once(relay):
    prefix = unique("n").lower()
    with own_server(**mail_settings(relay)) as a, \
            own_server(**mail_settings(relay)) as b:
        accounts(prefix, N)
        # Both senders poll; the 40 mails become due in one commit.
        psql("INSERT INTO notifications (user_id, kind, actor_id, subject, "
             "link) SELECT id, 'message', id, 'Two nodes', '/messages' "
             "FROM users WHERE username LIKE '%s%%'" % prefix)
        ids = set(psql("SELECT o.id FROM mail_outbox o JOIN users u ON "
                       "u.id = o.user_id WHERE u.username LIKE '%s%%'" %
                       prefix).split())
        assert len(ids) == N
        end = time.time() + 90
        while time.time() < end and psql(
                "SELECT count(*) FROM mail_outbox o JOIN users u ON u.id = "
                "o.user_id WHERE u.username LIKE '%s%%' AND o.state = "
                "'sent'" % prefix) != str(N):
            time.sleep(0.5)
        # Longer than a lease: a row taken twice would arrive by now.
        time.sleep(5)
        got = []
        with relay.inbox.lock:
            for rc, m in relay.inbox.msgs:
                k = MSGID.match(m["Message-ID"] or "")
                if k and k.group(1) in ids:
                    got.append(k.group(1))
        missing = ids - set(got)
        twice = sorted(i for i in set(got) if got.count(i) > 1)
        assert not missing, "never arrived: %s" % sorted(missing)
        assert not twice, "arrived more than once: %s" % twice
        assert len(got) == N
        # Both nodes took part.
        for s in (a, b):
            sent = re.findall(r"mail (\d+) sent", s.logtext())
            assert set(sent) & ids, "a node sent none of them"
