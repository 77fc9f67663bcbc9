/* Tests for app/msg.c: who may start a conversation with whom, every
 * pair of roles, with and without the peer setting and an application,
 * and that every refusal has a sentence to show. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "msg.h"
#include "page.h"
#include "request.h"

#define C MSG_COUNSELLING
#define D MSG_DIRECT

static void
test_start_rule(void **state)
{
	static const struct {
		enum role	 from, to;	/* to ROLE_NONE: the counsellors */
		int		 self, peer, context;
		enum msg_start	 want;
	} c[] = {
		/* Returnees: the counsellors by the inbox, never by a
		 * name (a name's answer would tell its role). */
		{ ROLE_RETURNEE, ROLE_NONE, 0, 0, 0, C },
		{ ROLE_RETURNEE, ROLE_MODERATOR, 0, 0, 0, MSG_NO_STAFF },
		{ ROLE_RETURNEE, ROLE_ADMIN, 0, 1, 0, MSG_NO_STAFF },
		{ ROLE_RETURNEE, ROLE_RETURNEE, 0, 0, 0, MSG_NO_PEER },
		{ ROLE_RETURNEE, ROLE_RETURNEE, 0, 1, 0, D },
		{ ROLE_RETURNEE, ROLE_EMPLOYER, 0, 0, 0, MSG_NO_EMPLOYER },
		{ ROLE_RETURNEE, ROLE_EMPLOYER, 0, 1, 0, MSG_NO_EMPLOYER },
		{ ROLE_RETURNEE, ROLE_RETURNEE, 1, 1, 0, MSG_NO_SELF },
		/* Employers: returnees only about an application. */
		{ ROLE_EMPLOYER, ROLE_NONE, 0, 0, 0, C },
		{ ROLE_EMPLOYER, ROLE_MODERATOR, 0, 0, 0, MSG_NO_STAFF },
		{ ROLE_EMPLOYER, ROLE_ADMIN, 0, 1, 1, MSG_NO_STAFF },
		{ ROLE_EMPLOYER, ROLE_RETURNEE, 0, 0, 0, MSG_NEED_CONTEXT },
		{ ROLE_EMPLOYER, ROLE_RETURNEE, 0, 1, 0, MSG_NEED_CONTEXT },
		{ ROLE_EMPLOYER, ROLE_RETURNEE, 0, 0, 1, D },
		{ ROLE_EMPLOYER, ROLE_EMPLOYER, 0, 0, 0, MSG_NO_PEER },
		{ ROLE_EMPLOYER, ROLE_EMPLOYER, 0, 1, 0, D },
		/* Counsellors: anyone by name; staff privately. */
		{ ROLE_MODERATOR, ROLE_NONE, 0, 0, 0, MSG_NEED_PERSON },
		{ ROLE_MODERATOR, ROLE_RETURNEE, 0, 0, 0, C },
		{ ROLE_MODERATOR, ROLE_EMPLOYER, 0, 0, 0, C },
		{ ROLE_MODERATOR, ROLE_MODERATOR, 0, 0, 0, D },
		{ ROLE_MODERATOR, ROLE_ADMIN, 0, 0, 0, D },
		{ ROLE_MODERATOR, ROLE_MODERATOR, 1, 0, 0, MSG_NO_SELF },
		{ ROLE_ADMIN, ROLE_RETURNEE, 0, 0, 0, C },
		{ ROLE_ADMIN, ROLE_MODERATOR, 0, 0, 0, D },
		/* Nobody writes to a partner office. */
		{ ROLE_RETURNEE, ROLE_PARTNER, 0, 1, 0, MSG_NO_STAFF },
		{ ROLE_EMPLOYER, ROLE_PARTNER, 0, 1, 1, MSG_NO_STAFF },
		{ ROLE_MODERATOR, ROLE_PARTNER, 0, 0, 0, MSG_NO_STAFF },
		{ ROLE_ADMIN, ROLE_PARTNER, 0, 0, 0, MSG_NO_STAFF },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_int_equal(msg_start_rule(c[i].from, c[i].to, c[i].self,
		    c[i].peer, c[i].context), c[i].want);
}

static void
test_every_refusal_says_why(void **state)
{
	enum role from;
	int s;

	(void)state;
	for (from = ROLE_RETURNEE; from < ROLE__MAX; from++)
		for (s = 0; s < MSG_START__MAX; s++) {
			if (s == MSG_COUNSELLING || s == MSG_DIRECT)
				assert_null(msg_start_problem(
				    (enum msg_start)s, from));
			else
				assert_non_null(msg_start_problem(
				    (enum msg_start)s, from));
		}
}

/* A returnee or an employer gets one sentence for every name refused,
 * whatever the reason: no account, another role, a counsellor. */
static void
test_refusal_tells_nothing_about_the_name(void **state)
{
	static const enum msg_start names[] = { MSG_NO_PEER,
	    MSG_NEED_CONTEXT, MSG_NO_EMPLOYER, MSG_NO_STAFF, MSG_NO_ACCOUNT };
	static const enum role from[] = { ROLE_RETURNEE, ROLE_EMPLOYER };
	const char *first;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		first = msg_start_problem(names[0], from[i]);
		for (j = 1; j < sizeof(names) / sizeof(names[0]); j++)
			assert_string_equal(msg_start_problem(names[j],
			    from[i]), first);
	}
	/* Counsellors may write to anyone: they hear of a missing one. */
	assert_string_not_equal(msg_start_problem(MSG_NO_ACCOUNT,
	    ROLE_MODERATOR), msg_start_problem(MSG_NO_ACCOUNT, ROLE_RETURNEE));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_rule),
		cmocka_unit_test(test_every_refusal_says_why),
		cmocka_unit_test(test_refusal_tells_nothing_about_the_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
