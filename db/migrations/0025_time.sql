-- Time as pages show it, in one place.  The Kurdistan Region keeps
-- Asia/Baghdad time (UTC+3 all year since 2008); every query that shows a
-- moment or a day, or compares with today, goes through these functions,
-- so the zone is written here and nowhere else.

CREATE FUNCTION magnet_zone() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 'Asia/Baghdad' $$;

-- A moment in local time with its offset, "2026-12-06T11:52:00+03:00":
-- valid for <time datetime=>, and the template's {{@name}} reads the
-- local date and time and the moment itself from it.  One expression
-- without FROM, so that PostgreSQL inlines it into the query (a page of
-- 20 posts: 0.05 ms instead of 0.26 ms as a function called per row).
CREATE FUNCTION magnet_time(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT to_char(t AT TIME ZONE magnet_zone(), 'YYYY-MM-DD"T"HH24:MI:SS') ||
    CASE WHEN (t AT TIME ZONE magnet_zone()) < (t AT TIME ZONE 'UTC')
    THEN '-' ELSE '+' END ||
    to_char(abs(extract(epoch FROM (t AT TIME ZONE magnet_zone()) -
    (t AT TIME ZONE 'UTC'))) * interval '1 second', 'HH24:MI')
$$;

-- The local day, "2026-12-06" ({{@name}} shows it in the reader's digits).
CREATE FUNCTION magnet_day(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT to_char(t AT TIME ZONE magnet_zone(), 'YYYY-MM-DD') $$;

-- The local wall-clock time of a moment, for arithmetic on local days.
CREATE FUNCTION magnet_local(t timestamptz) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT t AT TIME ZONE magnet_zone() $$;

-- The moment of a local wall-clock time (an event's start as typed).
CREATE FUNCTION magnet_moment(t timestamp) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT t AT TIME ZONE magnet_zone() $$;

CREATE OR REPLACE FUNCTION magnet_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT (now() AT TIME ZONE magnet_zone())::date $$;
