-- Notifications for every domain, not just the forum: a kind, who caused
-- it, what it is about (shown as text) and where it leads.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications
	ALTER COLUMN thread_id DROP NOT NULL,
	ALTER COLUMN post_id DROP NOT NULL,
	ADD COLUMN subject text NOT NULL DEFAULT '',
	ADD COLUMN link text NOT NULL DEFAULT '';
UPDATE notifications n SET subject = t.title, link = '/p/' || n.post_id
	FROM threads t WHERE t.id = n.thread_id;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind ~ '^[a-z_]{1,32}$');
ALTER TABLE notifications ADD CONSTRAINT notifications_link_local
	CHECK (link ~ '^/[^/\\]');
