"""Cache invalidation over LISTEN/NOTIFY (app/notify.c, migration 0016),
on a server of its own whose visitors' cache keeps pages for a minute: a
change written by anyone (here psql, as another node or an operator
would) shows at once, while the same change made with the triggers off
does not, which shows the page really came from the cache."""
import time

import pytest

from conftest import Client, cached_server, psql, unique
from test_forum import new_thread

CACHE_MS = 60000


@pytest.fixture(scope="module")
def cached():
    with cached_server(CACHE_MS) as s:
        yield s
    assert "notify: listening on channel magnet" in s.logtext()

def insert_post(tid, words, quiet=False):
    """A reply written straight into the database, as the forum does it.
    quiet: with this table's triggers off inside the transaction (DDL is
    transactional, so nobody else ever sees them off)."""
    sql = ("WITH t AS (UPDATE threads SET post_count = post_count + 1, "
           "last_post_at = now() WHERE id = %d RETURNING post_count, "
           "author_id) INSERT INTO posts (thread_id, seq, author_id, "
           "body_md, body_html) SELECT %d, post_count, author_id, '%s', "
           "'<p>%s</p>' FROM t" % (tid, tid, words, words))
    if quiet:
        sql = ("BEGIN; ALTER TABLE threads DISABLE TRIGGER threads_notify; "
               "ALTER TABLE posts DISABLE TRIGGER posts_notify, "
               "DISABLE TRIGGER posts_notify_update; " + sql +
               "; ALTER TABLE posts ENABLE TRIGGER posts_notify, "
               "ENABLE TRIGGER posts_notify_update; "
               "ALTER TABLE threads ENABLE TRIGGER threads_notify; COMMIT")
    psql(sql)


def wait_for(client, path, words, seconds):
    """Seconds until words show on path, or None after `seconds`."""
    start = time.time()
    while time.time() - start < seconds:
        if words in client.get(path).text:
            return time.time() - start
        time.sleep(0.05)
    return None


def test_write_from_elsewhere_shows_on_cached_page_at_once(cached):
    author = Client(cached.base)
    author.register()
    tid, title = new_thread(author, body="the first words")
    visitor = Client(cached.base)
    path = "/t/%d" % tid
    # Into the cache, once the notifications of the thread's own writes
    # have come (they may drop a copy made before they arrive).
    assert "the first words" in visitor.get(path).text
    time.sleep(0.5)
    assert "the first words" in visitor.get(path).text
    # Without a notification the cached copy stays: the cache is on.
    hidden = unique("unheard")
    insert_post(tid, hidden, quiet=True)
    time.sleep(0.5)
    assert hidden not in visitor.get(path).text
    assert hidden not in Client(cached.base).get(path).text
    # With one, the next visitor's page is fresh, long before cache_ms.
    heard = unique("heard")
    insert_post(tid, heard)
    delay = wait_for(visitor, path, heard, 5)
    assert delay is not None, "a new post did not show within 5 s"
    print("post written by psql shown on the cached page after %.3f s "
          "(cache_ms %d)" % (delay, CACHE_MS))
    page = visitor.get(path).text
    assert hidden in page  # the fresh read has both


def test_board_list_and_home_follow_a_new_thread(cached):
    visitor = Client(cached.base)
    visitor.get("/b/erbil")
    visitor.get("/")
    author = Client(cached.base)
    author.register()
    tid, title = new_thread(author, "erbil")
    assert wait_for(visitor, "/b/erbil", title, 5) is not None
    # A moderator's rename straight in the database, e.g. from psql.
    renamed = unique("Renamed ")
    psql("UPDATE threads SET title = '%s' WHERE id = %d" % (renamed, tid))
    assert wait_for(visitor, "/b/erbil", renamed, 5) is not None


def test_settings_change_from_elsewhere_is_read_at_once(cached):
    a, b = Client(cached.base), Client(cached.base)
    a.register()
    b.register()
    try:
        # a's post reads the settings: no hold; the cache now has them.
        tid, _ = new_thread(a)
        assert psql("SELECT state FROM threads WHERE id = %d" % tid) == \
            "published"
        start = time.time()
        psql("UPDATE settings SET value = '1' WHERE key = 'new_user_holds'")
        # Half a second for the notification, well inside the cache's 5 s.
        time.sleep(0.5)
        tid, _ = new_thread(b)
        elapsed = time.time() - start
        state = psql("SELECT state FROM threads WHERE id = %d" % tid)
        print("setting changed by psql, applied by the next post %.3f s "
              "later (the cache's own limit is 5 s)" % elapsed)
        assert state == "held"
    finally:
        psql("UPDATE settings SET value = '0' WHERE key = 'new_user_holds'")


def test_guide_pages_are_kept_for_visitors(cached):
    """Issue 19: a guide, like a thread, is kept for visitors (the same
    bytes for each) until a write says otherwise."""
    from conftest import make_user
    from test_guides import new_guide
    gid, title = new_guide(make_user(cached, "moderator"), lang="ckb")
    visitor = Client(cached.base)
    path = "/guides/%d?lang=ckb" % gid
    assert title in visitor.get(path).text
    time.sleep(0.5)
    assert title in visitor.get(path).text
    assert title in visitor.get("/guides").text
    quiet = unique("unheard")
    psql("BEGIN; ALTER TABLE guide_versions DISABLE TRIGGER "
         "guide_versions_notify; UPDATE guide_versions SET title = '%s' "
         "WHERE guide_id = %d; ALTER TABLE guide_versions ENABLE TRIGGER "
         "guide_versions_notify; COMMIT" % (quiet, gid))
    assert quiet not in visitor.get(path).text  # the kept copy
    heard = unique("heard")
    psql("UPDATE guide_versions SET title = '%s' WHERE guide_id = %d"
         % (heard, gid))
    assert wait_for(visitor, path, heard, 5) is not None
    assert wait_for(visitor, "/guides", heard, 5) is not None


def test_every_column_of_posts_but_search_notifies():
    """Filling in a reply's search words must not empty the caches
    (migration 0036), and every other change of a post must: the update
    trigger lists every column of posts but search, including any added
    later."""
    missing = psql(
        "SELECT coalesce(string_agg(a.attname, ' ' ORDER BY a.attnum), '') "
        "FROM pg_attribute a, pg_trigger t "
        "WHERE a.attrelid = 'posts'::regclass AND a.attnum > 0 "
        "AND NOT a.attisdropped AND a.attname <> 'search' "
        "AND t.tgrelid = a.attrelid AND t.tgname = 'posts_notify_update' "
        "AND NOT a.attnum = ANY (t.tgattr::int2[])")
    assert missing == ""
    assert psql("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                "'posts'::regclass AND tgname = 'posts_notify_update' AND "
                "(SELECT attnum FROM pg_attribute WHERE attrelid = "
                "'posts'::regclass AND attname = 'search') = ANY "
                "(tgattr::int2[])") == "0"
