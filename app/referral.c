/*
 * Referrals.  A counsellor picks returnees from the suggestions for a
 * vacancy (or names one), writes a note that the returnee and the
 * employer both read, and later records the outcome.  Each referral and
 * each change of its status is audited in the same transaction and
 * notified to the returnee; the employer is told of new referrals.
 *
 * Suggestions rank returnees by what they share with the vacancy: the
 * governorate counts 3, each skill in common 2, each language 1.  A
 * candidate shares the governorate or a skill (found through the
 * governorate index and the GIN index on skills); languages only add to
 * the score, since most returnees speak Sorani or Bahdini and a shared
 * language alone would suggest nearly everyone.
 */
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "note.h"
#include "page.h"
#include "param.h"
#include "referral.h"
#include "request.h"
#include "tmpl.h"
#include "user.h"

#define NOTE_MAX	2000
#define LIST_SIZE	50

static const char *const status_any[] = { "", "referred", "contacted",
    "interview", "placed", "not_placed", "enrolled", "completed", NULL };

const struct param referral_create_params[] = {
	{ "user", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "username", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "note", P_TEXT, P_FORM, 0, NOTE_MAX, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param referral_status_params[] = {
	{ "status", P_ENUM, P_FORM, 0, 0, 1, jobs_ref_statuses },
	{ "next", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param referral_list_params[] = {
	{ "status", P_ENUM, P_QUERY, 0, 0, 0, status_any },
	{ "before", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

#define LOCAL_DAY(col) "to_char(" col " AT TIME ZONE 'Asia/Baghdad', " \
	"'YYYY-MM-DD')"

static const struct db_stmt stmts[] = {
	{ "referral_vacancy", "SELECT v.id, v.title, v.governorate, v.skills, "
	    "v.languages, v.kind, v.state = 'published' AND "
	    "v.deadline >= magnet_today(), e.name FROM vacancies v "
	    "JOIN enterprises e ON e.id = v.enterprise_id WHERE v.id = $1" },
	/* Score every candidate cheaply, keep the best, then spell out
	 * what the shown ones have in common. */
	{ "referral_suggest",
	    "WITH v AS (SELECT governorate, skill_keys, languages "
	    "FROM vacancies WHERE id = $1), "
	    "c AS (SELECT p.user_id, p.return_date, "
	    "p.governorate = v.governorate AS gov, "
	    "CASE WHEN p.governorate = v.governorate THEN 3 ELSE 0 END + "
	    "2 * (SELECT count(*) FROM unnest(p.skill_keys) k "
	    "WHERE k = ANY (v.skill_keys)) + "
	    "(SELECT count(*) FROM unnest(p.languages) k "
	    "WHERE k = ANY (v.languages)) AS score "
	    "FROM returnee_profiles p, v WHERE p.governorate = v.governorate "
	    "OR p.skill_keys && v.skill_keys "
	    "ORDER BY score DESC, p.return_date DESC NULLS LAST, p.user_id "
	    "LIMIT 60) "
	    "SELECT u.id, u.username, p.governorate, p.occupation, "
	    "coalesce(to_char(p.return_date, 'YYYY-MM-DD'), ''), p.consent, "
	    "c.gov, array_to_string(ARRAY(SELECT k FROM unnest(p.skill_keys) k, "
	    "v WHERE k = ANY (v.skill_keys) ORDER BY 1), ', '), "
	    "ARRAY(SELECT k FROM unnest(p.languages) k, v "
	    "WHERE k = ANY (v.languages) ORDER BY 1), c.score, r.status, "
	    "a.status FROM c JOIN returnee_profiles p ON p.user_id = c.user_id "
	    "JOIN users u ON u.id = c.user_id "
	    "LEFT JOIN referrals r ON r.vacancy_id = $1 "
	    "AND r.user_id = c.user_id "
	    "LEFT JOIN applications a ON a.vacancy_id = $1 "
	    "AND a.user_id = c.user_id "
	    "WHERE u.role = 'returnee' AND u.deleted_at IS NULL "
	    "ORDER BY c.score DESC, c.return_date DESC NULLS LAST, u.id "
	    "LIMIT 50" },
	{ "referral_user", "SELECT id, role FROM users WHERE id = $1 "
	    "AND deleted_at IS NULL" },
	/* Returnees whose name looks like the one typed ($1, folded as
	 * user_name_key folds), for "did you mean". */
	{ "referral_similar", "SELECT id, username FROM users "
	    "WHERE role = 'returnee' AND deleted_at IS NULL AND "
	    "(strpos(username_key, $1) > 0 OR similarity(username_key, $1) "
	    ">= 0.3) ORDER BY similarity(username_key, $1) DESC, id LIMIT 5" },
	{ "referral_user_by_key", "SELECT id, role FROM users "
	    "WHERE username_key = $1 AND deleted_at IS NULL" },
	{ "referral_insert", "INSERT INTO referrals (vacancy_id, user_id, "
	    "moderator_id, note) VALUES ($1, $2, $3, $4) "
	    "ON CONFLICT (vacancy_id, user_id) DO NOTHING RETURNING id" },
	{ "referral_get", "SELECT r.id, r.user_id, r.status, v.id, v.title "
	    "FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id "
	    "WHERE r.id = $1" },
	{ "referral_set", "UPDATE referrals SET status = $2, "
	    "updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id" },
	{ "referral_mine", "SELECT r.id, r.status, " LOCAL_DAY("r.created_at")
	    ", " LOCAL_DAY("r.updated_at") ", v.id, v.title, v.kind, e.name, "
	    "r.note FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 500" },
	/* Live: the referral still lets the enterprise see the profile
	 * and write (jobs.h). */
	{ "referral_for_vacancy", "SELECT r.id, r.user_id, u.username, "
	    "r.status, " LOCAL_DAY("r.created_at") ", r.note, "
	    "coalesce(p.consent, false), p.user_id IS NOT NULL, "
	    JOBS_REF_LIVE("r", "v") " FROM referrals r "
	    "JOIN vacancies v ON v.id = r.vacancy_id "
	    "JOIN users u ON u.id = r.user_id "
	    "LEFT JOIN returnee_profiles p ON p.user_id = r.user_id "
	    "WHERE r.vacancy_id = $1 ORDER BY r.id LIMIT 1000" },
	{ "referral_list", "SELECT r.id, r.status, " LOCAL_DAY("r.created_at")
	    ", " LOCAL_DAY("r.updated_at") ", v.id, v.title, e.name, u.id, "
	    "u.username, m.username, r.note FROM referrals r "
	    "JOIN vacancies v ON v.id = r.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "JOIN users u ON u.id = r.user_id "
	    "JOIN users m ON m.id = r.moderator_id "
	    "WHERE ($1 = '' OR r.status = $1) AND r.id < $2::bigint "
	    "ORDER BY r.id DESC LIMIT 51" },
	{ "referral_counts", "SELECT status, count(*) FROM referrals "
	    "GROUP BY status" },
};

void
referral_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static const char *
col(struct request *req, const PGresult *r, int row, int c)
{
	return arena_strdup(req->arena, db_val(r, row, c));
}

static const char *
copy(struct request *req, struct buf *b)
{
	return arena_strndup(req->arena, b->p ? b->p : "", b->len);
}

static int
no_vacancy(struct request *req)
{
	return page_error(req, 404, N_("This vacancy does not exist or is no "
	    "longer open."));
}

/*
 * The suggestions for vacancy {id}, with the forms to refer.  After a
 * refused referral (status 422) the problem is shown and what the
 * counsellor typed is kept, next to the returnee it was for.
 */
/* "Did you mean": returnees with a name like key, each with a button
 * that refers them, the note kept.  0, or -1 when the database is down. */
static int
similar_names(struct request *req, struct tmpl_vars *v, const char *key)
{
	struct tmpl_vars row;
	struct buf b;
	PGresult *r;
	int i;

	if ((r = DB_EXEC("referral_similar", key)) == NULL)
		return -1;
	buf_init(&b);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "vid", jobs_id(req, req->id));
		tmpl_set(&row, "uid", col(req, r, i, 0));
		tmpl_set(&row, "name", col(req, r, i, 1));
		tmpl_set(&row, "note", param_str(req, "note"));
		tmpl_set(&row, "csrf", req->csrf);
		tmpl_render(&b, "referral_similar", req->lang, &row);
	}
	if (PQntuples(r) > 0)
		tmpl_set_raw(v, "similar", copy(req, &b));
	buf_free(&b);
	PQclear(r);
	return 0;
}

static int
suggest_page(struct request *req, int status, const char *problem,
    const char *key)
{
	struct tmpl_vars v, row;
	struct buf rows;
	PGresult *vac, *r;
	long long tried;
	int i, live;

	if ((vac = DB_EXEC("referral_vacancy", jobs_id(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(vac) != 1) {
		PQclear(vac);
		return no_vacancy(req);
	}
	live = strcmp(db_val(vac, 0, 6), "t") == 0;
	if ((r = DB_EXEC("referral_suggest", jobs_id(req, req->id))) == NULL) {
		PQclear(vac);
		return page_unavailable(req);
	}
	tried = req->method == M_POST && param_present(req, "user") ?
	    param_int(req, "user") : 0;
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "vid", jobs_id(req, req->id));
		tmpl_set(&row, "uid", col(req, r, i, 0));
		tmpl_set(&row, "name", col(req, r, i, 1));
		tmpl_set(&row, "governorate", jobs_label(req, JOBS_GOVERNORATE,
		    db_val(r, i, 2)));
		tmpl_set(&row, "occupation", col(req, r, i, 3));
		tmpl_set(&row, "returned", *db_val(r, i, 4) ? jobs_date(req,
		    db_val(r, i, 4)) : NULL);
		tmpl_set(&row, "consent", strcmp(db_val(r, i, 5), "t") == 0 ?
		    "1" : NULL);
		tmpl_set(&row, "same_gov", strcmp(db_val(r, i, 6), "t") == 0 ?
		    "1" : NULL);
		tmpl_set(&row, "skills", col(req, r, i, 7));
		tmpl_set(&row, "languages", jobs_lang_names(req,
		    db_val(r, i, 8)));
		tmpl_set(&row, "score", i18n_num(req->arena, req->lang,
		    db_ll(r, i, 9)));
		if (!PQgetisnull(r, i, 10))
			tmpl_set(&row, "referred", jobs_label(req,
			    JOBS_REF_STATUS, db_val(r, i, 10)));
		else if (live)
			tmpl_set(&row, "can_refer", "1");
		if (!PQgetisnull(r, i, 11))
			tmpl_set(&row, "applied", jobs_label(req,
			    JOBS_APP_STATUS, db_val(r, i, 11)));
		if (tried == db_ll(r, i, 0)) {
			tmpl_set(&row, "note", param_str(req, "note"));
			tmpl_set(&row, "problem", problem ? T(req, problem) :
			    NULL);
		}
		tmpl_set(&row, "csrf", req->csrf);
		tmpl_render(&rows, "referral_suggestion", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "id", jobs_id(req, req->id));
	tmpl_set(&v, "title", col(req, vac, 0, 1));
	tmpl_set(&v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_val(vac, 0, 2)));
	tmpl_set(&v, "skills", col(req, vac, 0, 3));
	tmpl_set(&v, "languages", jobs_lang_names(req, db_val(vac, 0, 4)));
	tmpl_set(&v, "kind", jobs_label(req, JOBS_KIND, db_val(vac, 0, 5)));
	tmpl_set(&v, "enterprise", col(req, vac, 0, 7));
	tmpl_set(&v, "live", live ? "1" : NULL);
	tmpl_set(&v, "none", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	/* Names to pick while typing: the best matches. */
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		buf_puts(&rows, "<option value=\"");
		html_attr(&rows, db_val(r, i, 1));
		buf_puts(&rows, "\">");
	}
	tmpl_set_raw(&v, "name_options", copy(req, &rows));
	buf_free(&rows);
	if (key != NULL && similar_names(req, &v, key) == -1) {
		PQclear(r);
		PQclear(vac);
		return page_unavailable(req);
	}
	if (tried == 0) {
		/* The field's own error says it; not twice. */
		if (param_err(req, "username") == NULL &&
		    param_err(req, "note") == NULL)
			tmpl_set(&v, "problem", problem ? T(req, problem) :
			    NULL);
		tmpl_set(&v, "username", param_str(req, "username"));
		tmpl_set(&v, "note", param_str(req, "note"));
		tmpl_set(&v, "username_err", param_err(req, "username"));
		tmpl_set(&v, "note_err", param_err(req, "note"));
	} else if (problem != NULL)
		tmpl_set(&v, "see_below", "1");
	PQclear(r);
	PQclear(vac);
	req->personal = 1;
	return page_render(req, status, arena_printf(req->arena,
	    T(req, "Suggested returnees: %s"),
	    i18n_isolate(req->arena, tmpl_var(&v, "title"))),
	    "referral_suggestions", &v);
}

int
referral_suggestions(struct request *req)
{
	return suggest_page(req, 200, NULL, NULL);
}

int
referral_create(struct request *req)
{
	struct jobs_vacancy v;
	const char *note, *name, *target;
	char key[200];
	PGresult *r;
	long long uid = 0, rid;
	int rc;

	if ((rc = jobs_vacancy_get(req, req->id, &v)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return no_vacancy(req);
	note = param_str(req, "note");
	name = param_str(req, "username");
	if (req->nerrors > 0)
		return suggest_page(req, 422, N_("Please correct the marked "
		    "fields."), NULL);
	if (!v.live)
		return suggest_page(req, 422, N_("This vacancy is not open: "
		    "returnees can be referred only to open vacancies."), NULL);
	if (v.sample)
		return suggest_page(req, 422, N_("This is a sample vacancy: "
		    "nobody can be referred to it."), NULL);
	if (param_present(req, "user") && param_int(req, "user") > 0)
		r = DB_EXEC("referral_user", jobs_id(req,
		    param_int(req, "user")));
	else if (*name != '\0') {
		user_name_key(name, key, sizeof(key));
		r = DB_EXEC("referral_user_by_key", key);
	} else {
		param_set_err(req, "username", N_("This field is required."));
		return suggest_page(req, 422, N_("Name the returnee to refer."),
		    NULL);
	}
	if (r == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1 && strcmp(db_val(r, 0, 1), "returnee") == 0)
		uid = db_ll(r, 0, 0);
	PQclear(r);
	if (uid == 0) {
		if (!param_present(req, "user"))
			param_set_err(req, "username", N_("There is no returnee "
			    "with this name."));
		return suggest_page(req, 422, N_("There is no returnee with "
		    "this name."), param_present(req, "user") ? NULL : key);
	}
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("referral_insert", jobs_id(req, v.id), jobs_id(req,
	    uid), jobs_uid(req), note)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback();
		if (!param_present(req, "user"))
			param_set_err(req, "username", N_("This returnee is "
			    "already referred to this vacancy."));
		return suggest_page(req, 422, N_("This returnee is already "
		    "referred to this vacancy."), NULL);
	}
	rid = db_ll(r, 0, 0);
	PQclear(r);
	target = arena_printf(req->arena, "referral:%lld", rid);
	if (audit(req->user->id, "referral.create", target,
	    arena_printf(req->arena, "vacancy:%lld user:%lld", v.id, uid)) ==
	    -1 || note_add(uid, "referral", req->user->id, v.title,
	    arena_printf(req->arena, "/applications#r%lld", rid)) == -1 ||
	    note_add(v.author_id, "referral_employer", req->user->id, v.title,
	    arena_printf(req->arena, "/jobs/%lld/applications#r%lld", v.id,
	    rid)) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("referral.create %s by user=%lld", target, req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/mod/jobs/%lld/suggestions", v.id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
referral_status(struct request *req)
{
	const char *status, *target, *title;
	PGresult *r;
	long long uid;
	int n;

	if ((r = DB_EXEC("referral_get", jobs_id(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return page_error(req, 404, N_("There is no such referral."));
	}
	uid = db_ll(r, 0, 1);
	title = col(req, r, 0, 4);
	PQclear(r);
	if (req->nerrors > 0)
		return page_error(req, 400, N_("Please choose one of the "
		    "statuses."));
	status = param_str(req, "status");
	target = arena_printf(req->arena, "referral:%lld", req->id);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("referral_set", jobs_id(req, req->id), status)) ==
	    NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 1 && (audit(req->user->id, "referral.status", target,
	    status) == -1 || note_add(uid, "referral_status", req->user->id,
	    title, arena_printf(req->arena, "/applications#r%lld",
	    req->id)) == -1))
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	return request_redirect(req, jobs_next(req, "/mod/referrals"));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
referral_list(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows, counts;
	const char *filter, *before;
	PGresult *r, *c;
	int i, n, shown;

	filter = param_err(req, "status") ? "" : param_str(req, "status");
	before = param_present(req, "before") && !param_err(req, "before") ?
	    jobs_id(req, param_int(req, "before")) : "9223372036854775807";
	if ((r = DB_EXEC("referral_list", filter, before)) == NULL)
		return page_unavailable(req);
	if ((c = DB_EXEC("referral_counts")) == NULL) {
		PQclear(r);
		return page_unavailable(req);
	}
	n = PQntuples(r);
	shown = n > LIST_SIZE ? LIST_SIZE : n;
	buf_init(&rows);
	for (i = 0; i < shown; i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", col(req, r, i, 0));
		tmpl_set(&row, "status", jobs_label(req, JOBS_REF_STATUS,
		    db_val(r, i, 1)));
		tmpl_set(&row, "status_key", col(req, r, i, 1));
		tmpl_set(&row, "created", jobs_date(req, db_val(r, i, 2)));
		tmpl_set(&row, "updated", jobs_date(req, db_val(r, i, 3)));
		tmpl_set(&row, "vid", col(req, r, i, 4));
		tmpl_set(&row, "title", col(req, r, i, 5));
		tmpl_set(&row, "enterprise", col(req, r, i, 6));
		tmpl_set(&row, "uid", col(req, r, i, 7));
		tmpl_set(&row, "name", col(req, r, i, 8));
		tmpl_set(&row, "counsellor", col(req, r, i, 9));
		tmpl_set(&row, "note", col(req, r, i, 10));
		tmpl_set_raw(&row, "options", jobs_options(req,
		    JOBS_REF_STATUS, db_val(r, i, 1), NULL));
		tmpl_set(&row, "csrf", req->csrf);
		tmpl_set(&row, "next", arena_printf(req->arena,
		    "/mod/referrals#r%s", db_val(r, i, 0)));
		tmpl_render(&rows, "referral_row", req->lang, &row);
	}
	buf_init(&counts);
	for (i = 0; jobs_ref_statuses[i] != NULL; i++) {
		long long k = 0;
		int j;

		for (j = 0; j < PQntuples(c); j++)
			if (strcmp(db_val(c, j, 0), jobs_ref_statuses[i]) == 0)
				k = db_ll(c, j, 1);
		buf_puts(&counts, "<li><a href=\"/mod/referrals?status=");
		html_url_arg(&counts, jobs_ref_statuses[i]);
		buf_puts(&counts, "\">");
		html_txt(&counts, jobs_label(req, JOBS_REF_STATUS,
		    jobs_ref_statuses[i]));
		buf_puts(&counts, "</a>: ");
		html_txt(&counts, i18n_num(req->arena, req->lang, k));
		buf_puts(&counts, "</li>");
	}
	memset(&v, 0, sizeof(v));
	tmpl_set_raw(&v, "counts", copy(req, &counts));
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	tmpl_set(&v, "filter", *filter ? jobs_label(req, JOBS_REF_STATUS,
	    filter) : NULL);
	tmpl_set(&v, "none", shown == 0 ? "1" : NULL);
	if (n > LIST_SIZE) {
		struct buf nx;

		buf_init(&nx);
		buf_puts(&nx, "/mod/referrals?");
		if (*filter) {
			buf_puts(&nx, "status=");
			html_url_arg(&nx, filter);
			buf_putc(&nx, '&');
		}
		buf_printf(&nx, "before=%s", db_val(r, shown - 1, 0));
		tmpl_set(&v, "next", copy(req, &nx));
		buf_free(&nx);
	}
	buf_free(&rows);
	buf_free(&counts);
	PQclear(r);
	PQclear(c);
	req->personal = 1;
	return page_render(req, 200, T(req, "Referrals"), "referral_list", &v);
}

int
referral_mine(struct request *req, struct buf *out, int *count)
{
	struct tmpl_vars row;
	PGresult *r;
	int i;

	if ((r = DB_EXEC("referral_mine", jobs_uid(req))) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", col(req, r, i, 0));
		tmpl_set(&row, "status", jobs_label(req, JOBS_REF_STATUS,
		    db_val(r, i, 1)));
		tmpl_set(&row, "status_key", col(req, r, i, 1));
		tmpl_set(&row, "created", jobs_date(req, db_val(r, i, 2)));
		tmpl_set(&row, "updated", strcmp(db_val(r, i, 2),
		    db_val(r, i, 3)) != 0 ? jobs_date(req, db_val(r, i, 3)) :
		    NULL);
		tmpl_set(&row, "vid", col(req, r, i, 4));
		tmpl_set(&row, "title", col(req, r, i, 5));
		tmpl_set(&row, "kind", jobs_label(req, JOBS_KIND,
		    db_val(r, i, 6)));
		tmpl_set(&row, "enterprise", col(req, r, i, 7));
		tmpl_set(&row, "note", col(req, r, i, 8));
		tmpl_render(out, "referral_mine_row", req->lang, &row);
	}
	*count = PQntuples(r);
	PQclear(r);
	return 0;
}

int
referral_for_vacancy(struct request *req, long long vid, int owner,
    struct buf *out, int *count)
{
	struct tmpl_vars row;
	PGresult *r;
	int i, live;

	if ((r = DB_EXEC("referral_for_vacancy", jobs_id(req, vid))) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", col(req, r, i, 0));
		tmpl_set(&row, "uid", col(req, r, i, 1));
		tmpl_set(&row, "name", col(req, r, i, 2));
		tmpl_set(&row, "status", jobs_label(req, JOBS_REF_STATUS,
		    db_val(r, i, 3)));
		tmpl_set(&row, "status_key", col(req, r, i, 3));
		tmpl_set(&row, "created", jobs_date(req, db_val(r, i, 4)));
		tmpl_set(&row, "note", col(req, r, i, 5));
		live = strcmp(db_val(r, i, 8), "t") == 0;
		if (strcmp(db_val(r, i, 7), "t") == 0 && (jobs_is_mod(req) ||
		    (live && strcmp(db_val(r, i, 6), "t") == 0)))
			tmpl_set(&row, "profile", "1");
		if (owner && live)
			tmpl_set(&row, "write", "1");
		if (jobs_is_mod(req)) {
			tmpl_set_raw(&row, "options", jobs_options(req,
			    JOBS_REF_STATUS, db_val(r, i, 3), NULL));
			tmpl_set(&row, "csrf", req->csrf);
			tmpl_set(&row, "next", arena_printf(req->arena,
			    "/jobs/%lld/applications#r%s", vid,
			    db_val(r, i, 0)));
		}
		tmpl_render(out, "referral_vacancy_row", req->lang, &row);
	}
	*count = PQntuples(r);
	PQclear(r);
	return 0;
}
