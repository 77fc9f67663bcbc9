/*
 * The vocabulary's pages (issue 21).  Counsellors read the occupations
 * and skills with their four labels, and the occupations people typed
 * that it lacks (candidates, most often typed first); admins correct a
 * label, audited.  Without words the list shows the major and
 * sub-major groups and the skills; a code or words find the rest (at
 * most 100 rows: pages stay small).  Codes never change here: profiles and vacancies
 * point at them, and ISCO-08's codes are the ILO's.
 */
#include <string.h>

#include "audit.h"
#include "admin_vocab.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "vocab_list", "SELECT code, kind = 'occupation' AS occupation, "
	    "length(code) AS level, en, ckb, kmr, ar FROM vocabulary "
	    "WHERE ($1 = '' AND (kind = 'skill' OR length(code) <= 2)) "
	    "OR ($1 <> '' AND (code LIKE $1 || '%' OR folded LIKE '%' || "
	    "replace(replace(replace(magnet_fold($1), '\\', '\\\\'), '%', "
	    "'\\%'), '_', '\\_') || '%')) "
	    "ORDER BY kind, code LIMIT 100" },
	{ "vocab_candidates", "SELECT text, n, magnet_day(last) AS last "
	    "FROM vocabulary_candidates ORDER BY n DESC, last DESC LIMIT 50" },
	{ "vocab_get", "SELECT code, en, ckb, kmr, ar FROM vocabulary "
	    "WHERE code = $1" },
	{ "vocab_set", "UPDATE vocabulary SET en = $2, ckb = $3, kmr = $4, "
	    "ar = $5, updated_at = now(), updated_by = $6 WHERE code = $1 "
	    "RETURNING code" },
};

void
admin_vocab_init(void)
{
	DB_REGISTER(stmts);
}

int
admin_vocab_list(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r, *c;

	if ((r = DB_Q(req, "vocab_list", param_str(req, "q"))) == NULL ||
	    (c = DB_Q(req, "vocab_candidates")) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "q", param_str(req, "q"));
	tmpl_set_bool(&v, "admin", req->user->role == ROLE_ADMIN);
	tmpl_set_rows(&v, "candidates", c, NULL, NULL);
	tmpl_set_rows(&v, "terms", r, NULL, NULL);
	req->personal = 1;
	return page_render(req, 200, T(req, "Occupations and skills"),
	    "admin_vocab_list", &v);
}

static int
form_page(struct request *req, int status, const PGresult *r,
    const char *problem)
{
	static const char *const names[] = { "en", "ckb", "kmr", "ar" };
	struct tmpl_vars v;
	size_t i;

	tmpl_init(&v, req->arena);
	if (r != NULL)
		tmpl_bind_row(&v, r, 0);
	else
		for (i = 0; i < 4; i++)
			tmpl_set(&v, names[i], param_str(req, names[i]));
	tmpl_set(&v, "code", req->slug);
	for (i = 0; i < 4; i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err", names[i]),
		    param_err_html(req, names[i]));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, T(req, "Edit the labels"),
	    "admin_vocab_form", &v);
}

int
admin_vocab_form(struct request *req)
{
	PGresult *r;

	if ((r = DB_Q(req, "vocab_get", req->slug)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such occupation "
		    "or skill."));
	return form_page(req, 200, r, NULL);
}

int
admin_vocab_save(struct request *req)
{
	static const char *const names[] = { "en", "ckb", "kmr", "ar" };
	PGresult *r;
	size_t i;

	for (i = 0; i < 4; i++)
		if (param_err(req, names[i]) == NULL &&
		    *param_str(req, names[i]) == '\0')
			param_set_err(req, names[i], N_("Write the label in "
			    "this language."));
	if (req->nerrors > 0)
		return form_page(req, 422, NULL, N_("Please correct the marked "
		    "fields."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "vocab_set", req->slug, param_str(req, "en"),
	    param_str(req, "ckb"), param_str(req, "kmr"),
	    param_str(req, "ar"), request_uid(req))) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		return page_error(req, 404, N_("There is no such occupation "
		    "or skill."));
	}
	if (audit(req->user->id, "vocabulary.edit", arena_printf(req->arena,
	    "vocabulary:%s", req->slug), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena,
	    "/mod/vocabulary?q=%s", req->slug));
fail:
	db_rollback();
	return page_unavailable(req);
}
