/*
 * Referrals.  A counsellor picks returnees from the suggestions for a
 * vacancy (or names one), writes a note that the returnee and the
 * employer both read, and later records the outcome.  Each referral and
 * each change of its status is audited in the same transaction and
 * notified to the returnee; the employer is told of new referrals.
 *
 * Suggestions rank returnees by what they share with the vacancy, as
 * the view placement_matches scores it (migration 0029): the occupation
 * (the same ISCO-08 unit group above the same minor group above the
 * same major group), skills, languages, the governorate and readiness.
 * A candidate shares the occupation, a skill or the governorate;
 * languages only add to the score, since most returnees speak Sorani
 * or Bahdini and a shared language alone would suggest nearly everyone.
 */
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "note.h"
#include "page.h"
#include "placement.h"
#include "param.h"
#include "referral.h"
#include "request.h"
#include "tmpl.h"
#include "user.h"

#define LIST_SIZE	50

const char *const referral_status_any[] = { "", "referred", "contacted",
    "interview", "placed", "not_placed", "enrolled", "completed", NULL };

static const struct db_stmt stmts[] = {
	{ "referral_vacancy", "SELECT v.id, v.title, v.governorate, v.skills, "
	    "v.languages, v.kind, v.state = 'published' AND "
	    "v.deadline >= magnet_today() AS live, e.name AS enterprise, "
	    PLACEMENT_LABEL("o", "$2") " AS vac_occ FROM vacancies v "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "LEFT JOIN vocabulary o ON o.code = v.occupation_code "
	    "WHERE v.id = $1" },
	/* The returnees placement_matches (migration 0029) ranks for the
	 * vacancy, best first, with what they share ($2 the reader's
	 * language, $3 its comma). */
	{ "referral_suggest", "SELECT u.id AS uid, u.username AS name, "
	    "p.governorate, p.occupation, "
	    "to_char(p.return_date, 'YYYY-MM-DD') AS returned, p.consent, "
	    "m.same_gov, m.occ_level, "
	    PLACEMENT_LABEL("o", "$2") " AS occ_label, "
	    "array_to_string(ARRAY(SELECT " PLACEMENT_LABEL("s", "$2")
	    " FROM vocabulary s WHERE s.code = ANY (m.skill_codes) "
	    "ORDER BY s.code), $3) AS skill_labels, "
	    "array_to_string(m.skill_words, $3) AS skills, "
	    "m.langs AS languages, m.score, "
	    "r.status AS ref_status, a.status AS app_status "
	    "FROM placement_matches m "
	    "JOIN returnee_profiles p ON p.user_id = m.user_id "
	    "JOIN users u ON u.id = m.user_id "
	    "LEFT JOIN vocabulary o ON o.code = p.occupation_code "
	    "LEFT JOIN referrals r ON r.vacancy_id = $1 "
	    "AND r.user_id = m.user_id "
	    "LEFT JOIN applications a ON a.vacancy_id = $1 "
	    "AND a.user_id = m.user_id "
	    "WHERE m.vacancy_id = $1 AND u.role = 'returnee' "
	    "AND u.deleted_at IS NULL "
	    "ORDER BY m.score DESC, p.return_date DESC NULLS LAST, u.id "
	    "LIMIT 50" },
	{ "referral_user", "SELECT id, role = 'returnee' AS returnee "
	    "FROM users WHERE id = $1 AND deleted_at IS NULL" },
	/* Returnees whose name looks like the one typed ($1, folded as
	 * user_name_key folds), for "did you mean". */
	{ "referral_similar", "SELECT id AS uid, username AS name FROM users "
	    "WHERE role = 'returnee' AND deleted_at IS NULL AND "
	    "(strpos(username_key, $1) > 0 OR similarity(username_key, $1) "
	    ">= 0.3) ORDER BY similarity(username_key, $1) DESC, id LIMIT 5" },
	{ "referral_user_by_key", "SELECT id, role = 'returnee' AS returnee "
	    "FROM users WHERE username_key = $1 AND deleted_at IS NULL" },
	{ "referral_insert", "INSERT INTO referrals (vacancy_id, user_id, "
	    "moderator_id, note) VALUES ($1, $2, $3, $4) "
	    "ON CONFLICT (vacancy_id, user_id) DO NOTHING RETURNING id" },
	{ "referral_get", "SELECT r.user_id, v.title "
	    "FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id "
	    "WHERE r.id = $1" },
	{ "referral_set", "UPDATE referrals SET status = $2, "
	    "updated_at = now() WHERE id = $1 AND status <> $2 RETURNING id" },
	/* The updated day only when it is not the referral's own. */
	{ "referral_mine", "SELECT r.id, r.status AS status_key, "
	    "magnet_day(r.created_at) AS created, "
	    "nullif(magnet_day(r.updated_at), magnet_day(r.created_at)) "
	    "AS updated, v.id AS vid, v.title, v.kind, e.name AS enterprise, "
	    "r.note FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 500" },
	/* Live: the referral still lets the enterprise see the profile
	 * and write (jobs.h).  $2: the reader is a counsellor; $3: the
	 * vacancy's enterprise. */
	{ "referral_for_vacancy", "SELECT r.id, r.user_id AS uid, "
	    "u.username AS name, r.status AS status_key, "
	    "magnet_day(r.created_at) AS created, r.note, "
	    "p.user_id IS NOT NULL AND ($2::boolean OR (coalesce(p.consent, "
	    "false) AND " JOBS_REF_LIVE("r", "v") ")) AS profile, "
	    "$3::boolean AND " JOBS_REF_LIVE("r", "v") " AS write, "
	    "$2::boolean AS can_set FROM referrals r "
	    "JOIN vacancies v ON v.id = r.vacancy_id "
	    "JOIN users u ON u.id = r.user_id "
	    "LEFT JOIN returnee_profiles p ON p.user_id = r.user_id "
	    "WHERE r.vacancy_id = $1 ORDER BY r.id LIMIT 1000" },
	{ "referral_list", "SELECT r.id, r.status AS status_key, "
	    "magnet_day(r.created_at) AS created, "
	    "magnet_day(r.updated_at) AS updated, v.id AS vid, v.title, "
	    "e.name AS enterprise, u.id AS uid, u.username AS name, "
	    "m.username AS counsellor, r.note FROM referrals r "
	    "JOIN vacancies v ON v.id = r.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "JOIN users u ON u.id = r.user_id "
	    "JOIN users m ON m.id = r.moderator_id "
	    "WHERE ($1 = '' OR r.status = $1) AND r.id < $2::bigint "
	    "ORDER BY r.id DESC LIMIT 51" },
	{ "referral_counts", "SELECT status, count(*) AS n FROM referrals "
	    "GROUP BY status" },
};

void
referral_init(void)
{
	DB_REGISTER(stmts);
}

static int
no_vacancy(struct request *req)
{
	return page_error(req, 404, N_("This vacancy does not exist or is no "
	    "longer open."));
}

/* The statuses' labels in the reader's language, for <select>s. */
static const char **
status_labels(struct request *req)
{
	const char **l;
	size_t i, n;

	for (n = 0; jobs_ref_statuses[n] != NULL; n++)
		;
	l = arena_alloc(req->arena, (n + 1) * sizeof(*l));
	for (i = 0; i < n; i++)
		l[i] = jobs_label(req, JOBS_REF_STATUS, jobs_ref_statuses[i]);
	l[n] = NULL;
	return l;
}

/* What a page's rows need from the page. */
struct rows {
	struct request	 *req;
	const char	**labels;	/* the statuses', for the <select> */
	const char	 *next;		/* where the status form returns */
	long long	  tried;	/* suggestions: the returnee a refused
					 * referral was for */
	const char	 *problem;
};

static void
suggestion_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct rows *x = ctx;
	struct request *req = x->req;
	const char *ref = db_get(r, i, "ref_status");
	const char *app = db_get(r, i, "app_status");
	int tried = x->tried == db_get_ll(r, i, "uid");

	tmpl_set(row, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_get(r, i, "governorate")));
	tmpl_set(row, "languages", jobs_lang_names(req, db_get(r, i,
	    "languages")));
	tmpl_set(row, "occ_why", placement_why(req, db_get_ll(r, i,
	    "occ_level")));
	tmpl_set(row, "referred", *ref ? jobs_label(req, JOBS_REF_STATUS,
	    ref) : NULL);
	tmpl_set(row, "applied", *app ? jobs_label(req, JOBS_APP_STATUS,
	    app) : NULL);
	/* The note and the problem belong to the returnee tried only. */
	tmpl_set(row, "note", tried ? param_str(req, "note") : NULL);
	tmpl_set(row, "problem", tried && x->problem ? T(req, x->problem) :
	    NULL);
}

/*
 * The suggestions for vacancy {id}, with the forms to refer.  After a
 * refused referral (status 422) the problem is shown and what the
 * counsellor typed is kept, next to the returnee it was for; key, when
 * not NULL, is a name that matched nobody: returnees with names like it
 * are offered.
 */
static int
suggest_page(struct request *req, int status, const char *problem,
    const char *key)
{
	struct tmpl_vars v;
	struct rows x;
	PGresult *vac, *r, *sim = NULL;

	if ((vac = DB_Q(req, "referral_vacancy", request_id(req),
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(vac) != 1)
		return no_vacancy(req);
	if ((r = DB_Q(req, "referral_suggest", request_id(req),
	    i18n_langs[req->lang].tag, T(req, ", "))) == NULL || (key != NULL && (sim = DB_Q(req, "referral_similar",
	    key)) == NULL))
		return page_unavailable(req);
	memset(&x, 0, sizeof(x));
	x.req = req;
	x.problem = problem;
	x.tried = req->method == M_POST && param_present(req, "user") ?
	    param_int(req, "user") : 0;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, vac, 0);
	tmpl_set(&v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_get(vac, 0, "governorate")));
	tmpl_set(&v, "languages", jobs_lang_names(req, db_get(vac, 0,
	    "languages")));
	tmpl_set(&v, "kind", jobs_label(req, JOBS_KIND, db_get(vac, 0,
	    "kind")));
	tmpl_set_rows(&v, "suggestions", r, suggestion_row, &x);
	/* Names to pick while typing: the best matches. */
	tmpl_set_rows(&v, "names", r, NULL, NULL);
	if (sim != NULL) {
		tmpl_set_rows(&v, "similar", sim, NULL, NULL);
		tmpl_set_bool(&v, "any_similar", PQntuples(sim) > 0);
	}
	if (x.tried == 0) {
		/* The field's own error says it; not twice. */
		if (param_err(req, "username") == NULL &&
		    param_err(req, "note") == NULL)
			tmpl_set(&v, "problem", problem ? T(req, problem) :
			    NULL);
		tmpl_set(&v, "username", param_str(req, "username"));
		tmpl_set(&v, "note", param_str(req, "note"));
		tmpl_set(&v, "username_err", param_err(req, "username"));
		tmpl_set(&v, "note_err", param_err(req, "note"));
	} else
		tmpl_set_bool(&v, "see_below", problem != NULL);
	req->personal = 1;
	return page_render(req, status, arena_printf(req->arena,
	    T(req, "Suggested returnees: %s"), i18n_isolate(req->arena,
	    db_get(vac, 0, "title"))), "referral_suggestions", &v);
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
		r = DB_Q(req, "referral_user", request_num(req,
		    param_int(req, "user")));
	else if (*name != '\0') {
		user_name_key(name, key, sizeof(key));
		r = DB_Q(req, "referral_user_by_key", key);
	} else {
		param_set_err(req, "username", N_("This field is required."));
		return suggest_page(req, 422, N_("Name the returnee to refer."),
		    NULL);
	}
	if (r == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1 && db_get_bool(r, 0, "returnee"))
		uid = db_get_ll(r, 0, "id");
	if (uid == 0) {
		if (!param_present(req, "user"))
			param_set_err(req, "username", N_("There is no returnee "
			    "with this name."));
		return suggest_page(req, 422, N_("There is no returnee with "
		    "this name."), param_present(req, "user") ? NULL : key);
	}
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "referral_insert", request_num(req, v.id),
	    request_num(req, uid), request_uid(req), note)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		if (!param_present(req, "user"))
			param_set_err(req, "username", N_("This returnee is "
			    "already referred to this vacancy."));
		return suggest_page(req, 422, N_("This returnee is already "
		    "referred to this vacancy."), NULL);
	}
	rid = db_get_ll(r, 0, "id");
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

	if ((r = DB_Q(req, "referral_get", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such referral."));
	uid = db_get_ll(r, 0, "user_id");
	title = db_get(r, 0, "title");
	if (req->nerrors > 0)
		return page_error(req, 400, N_("Please choose one of the "
		    "statuses."));
	status = param_str(req, "status");
	target = arena_printf(req->arena, "referral:%lld", req->id);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "referral_set", request_id(req), status)) ==
	    NULL)
		goto fail;
	if (PQntuples(r) == 1 && (audit(req->user->id, "referral.status", target,
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

/* A referral's status in words, and the form to change it. */
static void
status_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct rows *x = ctx;
	struct request *req = x->req;
	const char *key = db_get(r, i, "status_key");

	tmpl_set(row, "status", jobs_label(req, JOBS_REF_STATUS, key));
	if (x->labels == NULL)
		return;
	page_set_options(req, row, "options", jobs_ref_statuses, x->labels,
	    1, key, NULL);
	tmpl_set(row, "next", arena_printf(req->arena, "%s#r%s", x->next,
	    db_get(r, i, "id")));
}

int
referral_list(struct request *req)
{
	struct tmpl_vars v, *counts;
	struct rows x;
	const char *filter, *before;
	PGresult *r, *c;
	size_t i, n;
	int j;

	filter = param_err(req, "status") ? "" : param_str(req, "status");
	before = param_present(req, "before") && !param_err(req, "before") ?
	    request_num(req, param_int(req, "before")) : "9223372036854775807";
	if ((r = DB_Q(req, "referral_list", filter, before)) == NULL ||
	    (c = DB_Q(req, "referral_counts")) == NULL)
		return page_unavailable(req);
	memset(&x, 0, sizeof(x));
	x.req = req;
	x.labels = status_labels(req);
	x.next = "/mod/referrals";
	tmpl_init(&v, req->arena);
	tmpl_set_rows_max(&v, "referrals", r, LIST_SIZE, status_row, &x);
	/* Each status with its count, 0 for those no referral has. */
	for (n = 0; jobs_ref_statuses[n] != NULL; n++)
		;
	counts = arena_alloc(req->arena, n * sizeof(*counts));
	for (i = 0; i < n; i++) {
		tmpl_init(&counts[i], req->arena);
		tmpl_set(&counts[i], "key", jobs_ref_statuses[i]);
		tmpl_set(&counts[i], "label", x.labels[i]);
		tmpl_set(&counts[i], "n", "0");
		for (j = 0; j < PQntuples(c); j++)
			if (strcmp(db_get(c, j, "status"),
			    jobs_ref_statuses[i]) == 0)
				tmpl_set(&counts[i], "n", db_get(c, j, "n"));
	}
	tmpl_set_items(&v, "counts", counts, n);
	tmpl_set(&v, "filter_key", filter);
	tmpl_set(&v, "filter", *filter ? jobs_label(req, JOBS_REF_STATUS,
	    filter) : NULL);
	if (PQntuples(r) > LIST_SIZE)
		tmpl_set(&v, "older", db_get(r, LIST_SIZE - 1, "id"));
	req->personal = 1;
	return page_render(req, 200, T(req, "Referrals"), "referral_list", &v);
}

static void
mine_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "status", jobs_label(req, JOBS_REF_STATUS,
	    db_get(r, i, "status_key")));
	tmpl_set(row, "kind", jobs_label(req, JOBS_KIND, db_get(r, i,
	    "kind")));
}

int
referral_mine(struct request *req, struct tmpl_vars *v)
{
	PGresult *r;

	if ((r = DB_Q(req, "referral_mine", request_uid(req))) == NULL)
		return -1;
	tmpl_set_rows(v, "refs", r, mine_row, req);
	return 0;
}

int
referral_for_vacancy(struct request *req, struct tmpl_vars *v, long long vid,
    int owner)
{
	struct rows *x;
	PGresult *r;

	if ((r = DB_Q(req, "referral_for_vacancy", request_num(req, vid),
	    request_is_mod(req) ? "true" : "false",
	    owner ? "true" : "false")) ==
	    NULL)
		return -1;
	x = arena_alloc(req->arena, sizeof(*x));
	memset(x, 0, sizeof(*x));
	x->req = req;
	if (request_is_mod(req)) {
		x->labels = status_labels(req);
		x->next = arena_printf(req->arena, "/jobs/%lld/applications",
		    vid);
	}
	tmpl_set_rows(v, "refs", r, status_row, x);
	return 0;
}
