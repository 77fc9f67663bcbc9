/*
 * A returnee's tools on vacancies (issue 21): saved vacancies, share
 * links that need no JavaScript (the address to copy, WhatsApp and
 * Viber), and similar vacancies on a vacancy's page, found by the
 * occupation's ISCO-08 group (placement.c's vocabulary) and the
 * governorate.  What the vacancy's page shows to everyone is the same
 * for every visitor, so the visitors' cache may keep it.
 */
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "jobs_saved.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

#define LIVE "v.state = 'published' AND v.deadline >= magnet_today()"

static const struct db_stmt stmts[] = {
	/* Only a live vacancy is saved; saving twice is once. */
	{ "saved_add", "INSERT INTO saved_vacancies (user_id, vacancy_id) "
	    "SELECT $1, v.id FROM vacancies v WHERE v.id = $2 AND " LIVE
	    " ON CONFLICT DO NOTHING" },
	{ "saved_remove", "DELETE FROM saved_vacancies WHERE user_id = $1 "
	    "AND vacancy_id = $2" },
	{ "saved_is", "SELECT EXISTS (SELECT 1 FROM saved_vacancies WHERE "
	    "user_id = $1 AND vacancy_id = $2) AS saved" },
	/* Newest saved first; one that closed stays, marked. */
	{ "saved_list", "SELECT " JOBS_VAC_COLS ", "
	    "magnet_day(s.created_at) AS saved_on FROM saved_vacancies s "
	    "JOIN vacancies v ON v.id = s.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE s.user_id = $1 AND v.state IN ('published', 'closed') "
	    "ORDER BY s.created_at DESC, v.id DESC LIMIT 200" },
	/* Live vacancies near this one: the same ISCO-08 minor or
	 * sub-major group anywhere, or the same major group (or, without
	 * codes, the same sector) in the same governorate; closest first. */
	{ "saved_similar", "SELECT " JOBS_VAC_COLS " FROM vacancies v "
	    "JOIN enterprises e ON e.id = v.enterprise_id, "
	    "(SELECT occupation_code AS occ, governorate AS gov, sector "
	    "FROM vacancies WHERE id = $1) s "
	    "WHERE v.id <> $1 AND " LIVE " AND NOT v.sample AND "
	    "(placement_occ_level(v.occupation_code, s.occ) >= 2 OR "
	    "(v.governorate = s.gov AND (placement_occ_level("
	    "v.occupation_code, s.occ) >= 1 OR ((v.occupation_code IS NULL "
	    "OR s.occ IS NULL) AND v.sector = s.sector)))) "
	    "ORDER BY placement_occ_level(v.occupation_code, s.occ) DESC, "
	    "v.governorate = s.gov DESC, v.published_at DESC, v.id DESC "
	    "LIMIT 5" },
};

/* Where a save or unsave goes back to (the list: back=saved). */
const char *const jobs_saved_backs[] = { "saved", NULL };

void
jobs_saved_init(void)
{
	DB_REGISTER(stmts);
}

/* s, URL-encoded, in the arena. */
static const char *
url_arg(struct request *req, const char *s)
{
	struct buf b;
	const char *out;

	buf_init(&b);
	html_url_arg(&b, s);
	out = arena_buf(req->arena, &b);
	buf_free(&b);
	return out;
}

/*
 * The vacancy page's share links, similar vacancies and, for a signed-in
 * returnee, whether it is saved.  0, or -1 when the database failed.
 */
int
jobs_saved_view(struct request *req, struct tmpl_vars *v, const char *id,
    const char *title, int live)
{
	const char *link, *text;
	PGresult *r;

	if (!live)
		return 0;
	link = arena_printf(req->arena, "%s/jobs/%s",
	    conf_active()->base_url, id);
	text = url_arg(req, arena_printf(req->arena, "%s %s", title, link));
	tmpl_set(v, "share_link", link);
	tmpl_set(v, "share_wa", arena_printf(req->arena,
	    "https://wa.me/?text=%s", text));
	tmpl_set(v, "share_viber", arena_printf(req->arena,
	    "viber://forward?text=%s", text));
	if ((r = DB_Q(req, "saved_similar", id)) == NULL)
		return -1;
	tmpl_set_rows(v, "similar", r, jobs_row_labels, req);
	if (req->user == NULL || req->user->role != ROLE_RETURNEE)
		return 0;
	if ((r = DB_Q(req, "saved_is", request_uid(req), id)) == NULL)
		return -1;
	tmpl_set_bool(v, "can_save", 1);
	tmpl_set_bool(v, "is_saved", db_get_bool(r, 0, "saved"));
	return 0;
}

static int
returnees_only(struct request *req)
{
	return page_error(req, 403, N_("Saved vacancies are for returnees' "
	    "accounts."));
}

/* POST /jobs/{id}/save and /jobs/{id}/unsave: back to the vacancy. */
static int
save(struct request *req, const char *stmt)
{
	if (req->user->role != ROLE_RETURNEE)
		return returnees_only(req);
	if (DB_Q(req, stmt, request_uid(req), request_id(req)) == NULL)
		return page_unavailable(req);
	if (*param_str(req, "back") != '\0')
		return request_redirect(req, "/jobs/saved");
	return request_redirect(req, arena_printf(req->arena,
	    "/jobs/%lld#save", req->id));
}

int
jobs_saved_add(struct request *req)
{
	return save(req, "saved_add");
}

int
jobs_saved_remove(struct request *req)
{
	return save(req, "saved_remove");
}

/* GET /jobs/saved */
int
jobs_saved_list(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if (req->user->role != ROLE_RETURNEE)
		return returnees_only(req);
	if ((r = DB_Q(req, "saved_list", request_uid(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "vacancies", r, jobs_row_labels, req);
	req->personal = 1;
	return page_render(req, 200, T(req, "Saved vacancies"), "jobs_saved",
	    &v);
}
