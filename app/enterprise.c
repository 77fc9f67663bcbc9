/*
 * Enterprises.  An employer's account belongs to one, made at
 * registration with only a name; its employers fill in the rest.  A
 * counsellor verifies it once, and the badge shows on its page and its
 * vacancies; changing any detail of a verified enterprise (its name,
 * sector, governorate, address, phone, website or description) takes the
 * badge away until a counsellor has looked again, so what was verified
 * cannot be swapped for something else under the badge.  The page is public once the enterprise is verified or has a
 * published vacancy (whose page shows the same details anyway).
 */
#include <string.h>

#include "account.h"
#include "audit.h"
#include "buf.h"
#include "db.h"
#include "enterprise.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "note.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "enterprise_get", "SELECT e.id AS id, e.name AS name, "
	    "e.sector AS sector_key, e.governorate AS gov_key, "
	    "e.address AS address, e.phone AS phone, e.website AS website, "
	    "e.description AS description, "
	    "e.verified_at IS NOT NULL AS verified, EXISTS (SELECT 1 FROM "
	    "vacancies v WHERE v.enterprise_id = e.id AND v.state = "
	    "'published' AND v.deadline >= magnet_today()) AS has_live "
	    "FROM enterprises e WHERE e.id = $1" },
	{ "enterprise_live", "SELECT v.id AS id, v.title AS title, "
	    "v.kind = 'training' AS training, v.governorate AS gov_key, "
	    "to_char(v.deadline, 'YYYY-MM-DD') AS deadline FROM vacancies v "
	    "WHERE v.enterprise_id = $1 AND v.state = 'published' "
	    "AND v.deadline >= magnet_today() "
	    "ORDER BY v.published_at DESC, v.id DESC LIMIT 100" },
	/* What a counsellor verified is everything the badge stands next
	 * to: a change of any of it sends the enterprise back to them. */
#define ENTERPRISE_SAME \
	"(name, sector, governorate, address, phone, website, description) " \
	"IS NOT DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8)"
	{ "enterprise_update", "UPDATE enterprises SET name = $2, sector = $3, "
	    "governorate = $4, address = $5, phone = $6, website = $7, "
	    "description = $8, updated_at = now(), "
	    "queued_at = CASE WHEN " ENTERPRISE_SAME " OR verified_at IS NULL "
	    "THEN queued_at ELSE now() END, "
	    "verified_by = CASE WHEN " ENTERPRISE_SAME " THEN verified_by END, "
	    "verified_at = CASE WHEN " ENTERPRISE_SAME " THEN verified_at END "
	    "WHERE id = $1 RETURNING verified_at IS NOT NULL AS verified" },
	{ "enterprise_verify", "UPDATE enterprises SET verified_at = now(), "
	    "verified_by = $2 WHERE id = $1 AND verified_at IS NULL "
	    "RETURNING name AS name" },
	{ "enterprise_staff", "SELECT id AS id FROM users "
	    "WHERE enterprise_id = $1 "
	    "AND deleted_at IS NULL" },
	/* Back into the queue, as a renamed enterprise goes. */
	{ "enterprise_unverify", "UPDATE enterprises SET verified_at = NULL, "
	    "verified_by = NULL, queued_at = now() WHERE id = $1 AND "
	    "verified_at IS NOT NULL RETURNING name AS name" },
};

void
enterprise_init(void)
{
	DB_REGISTER(stmts);
}

static int
mine(struct request *req, long long id)
{
	return req->user != NULL && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id == id;
}

static int
no_such(struct request *req)
{
	return page_error(req, 404, N_("There is no such enterprise."));
}

/* "+964 750 123 4567" as a tel: URI's number, "+9647501234567"; NULL
 * when it has no digits.  The form accepts only digits, spaces and
 * + - ( ), so nothing else can reach the link. */
static const char *
tel_uri(struct request *req, const char *phone)
{
	char *t, *o;
	const char *p;

	o = t = arena_strdup(req->arena, phone);
	for (p = phone; *p != '\0'; p++)
		if ((*p >= '0' && *p <= '9') || (*p == '+' && o == t))
			*o++ = *p;
	*o = '\0';
	return strspn(t, "+") < strlen(t) ? t : NULL;
}

/* A vacancy of the enterprise's list: its governorate's name. */
int
enterprise_page(struct request *req)
{
	struct tmpl_vars v;
	PGresult *e, *r;
	int verified;

	if ((e = DB_Q(req, "enterprise_get", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(e) != 1)
		return no_such(req);
	verified = db_get_bool(e, 0, "verified");
	if (!verified && !db_get_bool(e, 0, "has_live") &&
	    !mine(req, req->id) && !request_is_mod(req))
		return no_such(req);
	if ((r = DB_Q(req, "enterprise_live", request_id(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, e, 0);
	tmpl_set(&v, "sector", jobs_label(req, JOBS_SECTOR,
	    db_get(e, 0, "sector_key")));
	tmpl_set(&v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_get(e, 0, "gov_key")));
	tmpl_set(&v, "tel", tel_uri(req, db_get(e, 0, "phone")));
	tmpl_set_bool(&v, "mine", mine(req, req->id));
	tmpl_set_bool(&v, "can_verify", request_is_mod(req) && !verified);
	tmpl_set_bool(&v, "can_unverify", request_is_mod(req) && verified);
	tmpl_set(&v, "next", req->path);
	tmpl_set_rows(&v, "vacancies", r, jobs_row_labels, req);
	return page_render(req, 200, db_get(e, 0, "name"), "jobs_enterprise",
	    &v);
}

static int
form_page(struct request *req, int status, const char *name,
    const char *sector, const char *gov, const char *address,
    const char *phone, const char *website, const char *description,
    int verified, const char *problem)
{
	static const char *const fields[] = { "name", "sector", "governorate",
	    "address", "phone", "website", "description" };
	struct tmpl_vars v;
	size_t i;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "name", name);
	jobs_set_options(req, &v, "sector_opts", JOBS_SECTOR, sector,
	    N_("Choose a sector"));
	jobs_set_options(req, &v, "gov_opts", JOBS_GOVERNORATE, gov,
	    N_("Choose a governorate"));
	tmpl_set(&v, "address", address);
	tmpl_set(&v, "phone", phone);
	tmpl_set(&v, "website", website);
	tmpl_set(&v, "description", description);
	tmpl_set_bool(&v, "verified", verified);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    fields[i]), param_err_html(req, fields[i]));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, T(req, "Your enterprise"),
	    "jobs_enterprise_form", &v);
}

static int
not_employer(struct request *req)
{
	return page_error(req, 403, N_("Only an enterprise's employers can "
	    "change its details."));
}

int
enterprise_edit_form(struct request *req)
{
	PGresult *e;

	if (req->user->role != ROLE_EMPLOYER || req->user->enterprise_id == 0)
		return not_employer(req);
	if ((e = DB_Q(req, "enterprise_get", request_num(req,
	    req->user->enterprise_id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(e) != 1)
		return no_such(req);
	return form_page(req, 200, db_get(e, 0, "name"),
	    db_get(e, 0, "sector_key"), db_get(e, 0, "gov_key"),
	    db_get(e, 0, "address"), db_get(e, 0, "phone"),
	    db_get(e, 0, "website"), db_get(e, 0, "description"),
	    db_get_bool(e, 0, "verified"), NULL);
}

/* Digits (ASCII, Arabic-Indic, Persian), spaces and + - ( ). */
static int
phone_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int digits = 0;

	while (*p != '\0') {
		if (*p >= '0' && *p <= '9') {
			digits++;
			p++;
		} else if (strchr("+-() ", *p) != NULL)
			p++;
		else if ((p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9) ||
		    (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9)) {
			digits++;
			p += 2;
		} else
			return 0;
	}
	return digits >= 5;
}

/* An http(s) address with a host and nothing that could break out. */
static int
website_ok(const char *s)
{
	const char *host;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	if (*host == '\0' || *host == '/' || *host == '.')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || strchr("\"'<>\\`", *s) != NULL)
			return 0;
	return 1;
}

int
enterprise_edit(struct request *req)
{
	const char *name, *sector, *gov, *address, *phone, *website, *desc;
	PGresult *r;
	int verified;

	if (req->user->role != ROLE_EMPLOYER || req->user->enterprise_id == 0)
		return not_employer(req);
	name = param_str(req, "name");
	sector = param_str(req, "sector");
	gov = param_str(req, "governorate");
	address = param_str(req, "address");
	phone = param_str(req, "phone");
	website = param_str(req, "website");
	desc = param_str(req, "description");
	if (param_err(req, "phone") == NULL && *phone != '\0' &&
	    !phone_ok(phone))
		param_set_err_ex(req, "phone", N_("Use only digits, spaces "
		    "and %1$s, such as %2$s."), "+ - ( )", "+964 750 123 4567");
	/* "example.com" is taken as https://example.com. */
	if (website_ok(param_url_fill(req, website)))
		website = param_url_fill(req, website);
	if (param_err(req, "website") == NULL && *website != '\0' &&
	    !website_ok(website))
		param_set_err_ex(req, "website", N_("Give the address of the "
		    "website without spaces, such as %s."),
		    "https://www.example.com", NULL);
	if (req->nerrors > 0)
		return form_page(req, 422, name, sector, gov, address, phone,
		    website, desc, 0, N_("Please correct the marked fields."));
	if ((r = DB_Q(req, "enterprise_update", request_num(req,
	    req->user->enterprise_id), name, sector, gov, address, phone,
	    website, desc)) == NULL)
		return page_unavailable(req);
	verified = PQntuples(r) == 1 && db_get_bool(r, 0, "verified");
	if (account_welcome_done(req) == -1)
		return page_unavailable(req);
	log_info("enterprise %lld updated by user=%lld (verified=%d)",
	    req->user->enterprise_id, req->user->id, verified);
	return request_redirect(req, "/employer?saved=1");
}

/* Tell every employer of enterprise id, in the open transaction. */
static int
tell_staff(struct request *req, const char *kind, const char *name)
{
	PGresult *s;
	int i;

	if ((s = DB_Q(req, "enterprise_staff", request_id(req))) ==
	    NULL)
		return -1;
	for (i = 0; i < PQntuples(s); i++)
		if (note_add(db_get_ll(s, i, "id"), kind, req->user->id, name,
		    arena_printf(req->arena, "/enterprises/%lld", req->id)) ==
		    -1)
			return -1;
	return 0;
}

int
enterprise_verify(struct request *req)
{
	const char *target, *name;
	PGresult *r;

	target = arena_printf(req->arena, "enterprise:%lld", req->id);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "enterprise_verify", request_id(req),
	    request_uid(req))) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		if ((r = DB_Q(req, "enterprise_get", request_id(req))) ==
		    NULL)
			return page_unavailable(req);
		if (PQntuples(r) != 1)
			return no_such(req);
		/* Verified already by someone else: the queue is current. */
		return request_redirect(req, jobs_next(req, "/mod/jobs"));
	}
	name = db_get(r, 0, "name");
	if (audit(req->user->id, "enterprise.verify", target, "") == -1 ||
	    tell_staff(req, "verified", name) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("enterprise.verify %s by user=%lld", target, req->user->id);
	return request_redirect(req, jobs_next(req, "/mod/jobs"));
fail:
	db_rollback();
	return page_unavailable(req);
}

/*
 * A counsellor takes the badge back (a closed business, a misleading
 * name): the enterprise goes back into the verification queue, its
 * employers are told, and the reason goes to the audit log.
 */
int
enterprise_unverify(struct request *req)
{
	const char *target, *name;
	PGresult *r;

	if (req->nerrors > 0)
		return page_error(req, 400, N_("Please give the reason for "
		    "taking the badge back; only counsellors see it."));
	target = arena_printf(req->arena, "enterprise:%lld", req->id);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "enterprise_unverify", request_id(req))) ==
	    NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		/* Not verified (any more), or no such enterprise. */
		return request_redirect(req, arena_printf(req->arena,
		    "/enterprises/%lld", req->id));
	}
	name = db_get(r, 0, "name");
	if (audit(req->user->id, "enterprise.unverify", target,
	    param_str(req, "reason")) == -1 ||
	    tell_staff(req, "unverified", name) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("enterprise.unverify %s by user=%lld", target, req->user->id);
	return request_redirect(req, arena_printf(req->arena, "/enterprises/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}
