/*
 * Administration, for admins only: who the counsellors and
 * administrators are and changing an account's role, the settings
 * (setting.c keeps them), and the boards' order and names in each
 * language.  Every change writes the audit log in its transaction.
 */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "setting.h"
#include "tmpl.h"

const char *const admin_roles[] = { "returnee", "partner", "moderator",
    "admin", NULL };
const char *const admin_role_names[] = { N_("Returnee"),
    N_("Partner office"), N_("Moderator (counsellor)"),
    N_("Administrator"), NULL };

/* A board's name and description in one language, as two columns. */
#define BOARD_LANG(l, a) \
	"max(l.name) FILTER (WHERE l.lang = '" l "') AS name_" a ", " \
	"max(l.description) FILTER (WHERE l.lang = '" l "') " \
	"AS description_" a

static const struct db_stmt stmts[] = {
	{ "admin_staff", "SELECT id, username, role FROM users WHERE role IN "
	    "('moderator', 'admin', 'partner') AND deleted_at IS NULL "
	    "ORDER BY username" },
	/* A partner office sees its governorate ($4) or all (''). */
	{ "admin_role", "UPDATE users SET role = $2, partner_governorate = "
	    "CASE WHEN $2 = 'partner' THEN nullif($4, '') END WHERE id = $1 AND "
	    "deleted_at IS NULL AND role <> 'employer' AND id <> $3 "
	    "RETURNING username" },
	{ "admin_boards", "SELECT b.slug, coalesce(l.name, e.name) AS name "
	    "FROM boards b "
	    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' "
	    "LEFT JOIN board_names l ON l.board_id = b.id AND l.lang = $1 "
	    "ORDER BY b.position, b.id" },
	{ "admin_board_get", "SELECT b.position, "
	    BOARD_LANG("en", "en") ", " BOARD_LANG("ckb", "ckb") ", "
	    BOARD_LANG("kmr-Arab", "kmr") ", " BOARD_LANG("ar", "ar") " "
	    "FROM boards b LEFT JOIN board_names l ON l.board_id = b.id "
	    "WHERE b.slug = $1 GROUP BY b.id, b.position" },
	{ "admin_board_pos", "UPDATE boards SET position = $2 WHERE slug = $1 "
	    "RETURNING id" },
	{ "admin_board_name", "INSERT INTO board_names (board_id, lang, name, "
	    "description) SELECT id, $2, $3, $4 FROM boards WHERE slug = $1 "
	    "ON CONFLICT (board_id, lang) DO UPDATE SET name = excluded.name, "
	    "description = excluded.description" },
	{ "admin_board_unname", "DELETE FROM board_names WHERE lang = $2 AND "
	    "lang <> 'en' AND board_id = (SELECT id FROM boards WHERE "
	    "slug = $1)" },
};

void
admin_init(void)
{
	DB_REGISTER(stmts);
}

static void
staff_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	tmpl_set(row, "role_label", page_role_label(ctx, db_get(r, i,
	    "role")));
}

/* The numeric settings as the list "settings", for their inputs. */
static void
settings(struct request *req, struct tmpl_vars *v)
{
	struct tmpl_vars *items;
	int i;

	items = arena_alloc(req->arena, SET__MAX * sizeof(*items));
	for (i = 0; i < SET__MAX; i++) {
		tmpl_init(&items[i], req->arena);
		tmpl_set(&items[i], "key", setting_info[i].key);
		tmpl_set(&items[i], "label", T(req, setting_info[i].label));
		tmpl_set_int(&items[i], req->arena, "min", setting_info[i].min);
		tmpl_set_int(&items[i], req->arena, "max", setting_info[i].max);
		tmpl_set_int(&items[i], req->arena, "value",
		    setting_get((enum setting)i));
	}
	tmpl_set_items(v, "settings", items, SET__MAX);
}

int
admin_home(struct request *req)
{
	struct tmpl_vars v;
	const char *offices;
	PGresult *r, *b;

	if ((r = DB_Q(req, "admin_staff")) == NULL ||
	    (b = DB_Q(req, "admin_boards", i18n_langs[req->lang].tag)) ==
	    NULL ||
	    (offices = setting_text(req->arena, SET_TEXT_OFFICES)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "staff", r, staff_row, req);
	tmpl_set_rows(&v, "boards", b, NULL, NULL);
	settings(req, &v);
	tmpl_set(&v, "offices", offices);
	tmpl_set_int(&v, req->arena, "offices_max", SET_TEXT_OFFICES_MAX);
	req->personal = 1;
	return page_render(req, 200, T(req, "Administration"), "admin", &v);
}

int
admin_role(struct request *req)
{
	PGresult *r;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("Please choose one of the "
		    "options."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "admin_role", request_id(req), param_str(req,
	    "role"), request_uid(req), param_str(req, "governorate"))) == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 422, N_("The role of this account "
		    "cannot be changed here."));
	}
	if (auth_sessions_end_all(req->id) == -1 || audit(req->user->id,
	    "user.role", arena_printf(req->arena, "user:%lld", req->id),
	    strcmp(param_str(req, "role"), "partner") == 0 &&
	    *param_str(req, "governorate") != '\0' ? arena_printf(req->arena,
	    "partner %s", param_str(req, "governorate")) :
	    param_str(req, "role")) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/mod/users/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
admin_settings(struct request *req)
{
	const char *offices;
	struct buf what;
	int i;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("A setting is out of range."));
	if ((offices = setting_text(req->arena, SET_TEXT_OFFICES)) == NULL)
		return page_unavailable(req);
	if (db_begin() == -1)
		return page_unavailable(req);
	/* What changed, for the audit log (text, not a page). */
	buf_init(&what);
	for (i = 0; i < SET__MAX; i++) {
		if (setting_set((enum setting)i, param_int(req,
		    setting_info[i].key)) == -1)
			goto fail;
		buf_printf(&what, "%s%s=%lld", i ? " " : "",
		    setting_info[i].key, param_int(req, setting_info[i].key));
	}
	if (strcmp(offices, param_str(req, SET_TEXT_OFFICES)) != 0) {
		if (setting_set_text(SET_TEXT_OFFICES, param_str(req,
		    SET_TEXT_OFFICES)) == -1)
			goto fail;
		buf_puts(&what, " offices: changed");
	}
	if (audit(req->user->id, "settings.change", "settings", what.p) == -1 ||
	    db_commit() == -1)
		goto fail;
	buf_free(&what);
	return request_redirect(req, "/admin");
fail:
	buf_free(&what);
	db_rollback();
	setting_flush();
	return page_unavailable(req);
}

int
admin_board_form(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "admin_board_get", req->slug)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such board."));
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "slug", req->slug);
	tmpl_bind_row(&v, r, 0);
	req->personal = 1;
	return page_render(req, 200, T(req, "Edit board"), "admin_board", &v);
}

int
admin_board(struct request *req)
{
	const char *name, *desc;
	PGresult *r;
	int i;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("Every board needs an English "
		    "name, and names are at most 80 characters."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "admin_board_pos", req->slug, request_num(req,
	    param_int(req, "position")))) == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 404, N_("There is no such board."));
	}
	for (i = 0; i < LANG__MAX; i++) {
		name = param_str(req, arena_printf(req->arena, "name_%s",
		    i18n_langs[i].tag));
		desc = param_str(req, arena_printf(req->arena,
		    "description_%s", i18n_langs[i].tag));
		if (*name == '\0') {
			if (DB_RUN("admin_board_unname", req->slug,
			    i18n_langs[i].tag) == -1)
				goto fail;
			continue;
		}
		if (DB_RUN("admin_board_name", req->slug, i18n_langs[i].tag,
		    name, desc) == -1)
			goto fail;
	}
	if (audit(req->user->id, "board.edit", arena_printf(req->arena,
	    "board:%s", req->slug), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, "/admin");
fail:
	db_rollback();
	return page_unavailable(req);
}
