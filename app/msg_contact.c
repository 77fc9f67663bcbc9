/*
 * Help for someone who cannot sign in (a forgotten password, most
 * often): a form that needs no account and lands in the counsellors'
 * shared inbox as a counselling conversation of the "signed-out visitor"
 * account (migration 0024), which cannot sign in.  The form asks for what
 * lets a counsellor recognise the account's owner and reach them (no
 * answer can reach a visitor here), and shows the offices' contacts.
 * CONTACT_PER_DAY a day from one address, counted when a message is
 * sent.  Signed in, one writes to the counsellors as oneself.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "msg_contact.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "setting.h"
#include "tmpl.h"

#define CONTACT_PER_DAY	3
const char *const msg_contact_sent[] = { "1", NULL };
static const struct db_stmt stmts[] = {
	/* Who writes the contact form's messages (migration 0024). */
	{ "msg_contact_sender", "SELECT id FROM users WHERE username = "
	    "'signed-out visitor' AND password_hash = '!'" },
};

void
msg_contact_init(void)
{
	DB_REGISTER(stmts);
}

static int
contact_page(struct request *req, int status, const char *problem)
{
	static const char *const names[] = { "username", "reach", "body" };
	struct tmpl_vars v;
	const char *offices;
	size_t i;

	if ((offices = setting_text(req->arena, SET_TEXT_OFFICES)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tmpl_set(&v, names[i], param_str(req, names[i]));
		tmpl_set(&v, arena_printf(req->arena, "%s_err", names[i]),
		    param_err(req, names[i]));
	}
	tmpl_set(&v, "offices", offices);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set_bool(&v, "sent", req->method != M_POST &&
	    *param_str(req, "sent") != '\0');
	req->personal = 1;
	return page_render(req, status, T(req, "Write to the counsellors"),
	    "msg_contact", &v);
}

int
msg_contact_form(struct request *req)
{
	if (req->user != NULL)
		return request_redirect(req, "/messages/new");
	return contact_page(req, 200, NULL);
}

/*
 * One labelled paragraph of the message, lines kept: the stored HTML of
 * a message (as the markdown workers would store it, the user's text
 * escaped) and its markdown source.
 */
static void
contact_part(struct request *req, struct buf *html, struct buf *md,
    const char *label, const char *text)
{
	const char *p;
	size_t n;

	buf_puts(html, "<p><strong>");
	html_txt(html, T(req, label));
	buf_puts(html, "</strong><br>");
	for (p = text; *p != '\0'; p += n + (p[n] != '\0')) {
		n = strcspn(p, "\r\n");
		if (p != text)
			buf_puts(html, "<br>");
		html_ntxt(html, p, n);
		if (p[n] == '\r' && p[n + 1] == '\n')
			n++;
	}
	buf_puts(html, "</p>");
	buf_printf(md, "%s\n%s\n\n", T(req, label), text);
}

int
msg_contact(struct request *req)
{
	struct buf html, md;
	const char *name, *subject;
	PGresult *s, *r = NULL;
	int rc;

	if (req->user != NULL)
		return request_redirect(req, "/messages/new");
	if (req->nerrors > 0)
		return contact_page(req, 422, N_("Please correct the marked "
		    "fields."));
	rc = auth_rate(arena_printf(req->arena, "contact:%s", req->ip_net),
	    86400, CONTACT_PER_DAY);
	if (rc == -1)
		return page_unavailable(req);
	if (rc == 0)
		return contact_page(req, 429, N_("Three messages were sent from "
		    "this address today. The counsellors will answer them; you "
		    "can also call or visit an office."));
	name = param_str(req, "username");
	subject = *name != '\0' ? arena_printf(req->arena, T(req, "Help "
	    "signing in: %s"), i18n_isolate(req->arena, name)) :
	    T(req, "Help signing in");
	buf_init(&html);
	buf_init(&md);
	if (*name != '\0')
		contact_part(req, &html, &md, N_("Name on Magnet"), name);
	contact_part(req, &html, &md, N_("How to reach them"),
	    param_str(req, "reach"));
	contact_part(req, &html, &md, N_("Message"), param_str(req, "body"));
	if ((s = db_query(req->arena, "msg_contact_sender", 0, NULL)) !=
	    NULL && PQntuples(s) == 1)
		r = DB_Q(req, "msg_create", "counselling", subject,
		    db_get(s, 0, "id"), NULL, NULL, arena_strndup(req->arena,
		    md.p, md.len), arena_buf(req->arena, &html),
		    NULL, db_get(s, 0, "id"), NULL);
	buf_free(&html);
	buf_free(&md);
	if (r == NULL || PQntuples(r) != 1)
		return page_unavailable(req);
	log_info("contact form: conversation=%s ip=%s",
	    db_get(r, 0, "conversation_id"), req->ip);
	return request_redirect(req, "/contact?sent=1");
}
