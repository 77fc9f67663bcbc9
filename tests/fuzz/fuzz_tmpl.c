/*
 * Fuzz the template engine: any template text is compiled or refused;
 * a compiled one renders with hostile values, which come out escaped.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Trap when s has a '<' that does not start the allowed string. */
static void
no_markup_but(const char *s, size_t n, const char *allowed)
{
	size_t i, len = strlen(allowed);

	for (i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		if (n - i >= len && memcmp(s + i, allowed, len) == 0) {
			i += len - 1;
			continue;
		}
		__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_vars v;
	struct buf out;
	char err[512], *text;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (tmpl_load_one("fuzz", text, err, sizeof(err)) == 0) {
		memset(&v, 0, sizeof(v));
		tmpl_set(&v, "a", "<script>\"'&");
		tmpl_set(&v, "b", "");
		tmpl_set_raw(&v, "c", "<p>ok</p>");
		buf_init(&out);
		tmpl_render(&out, "fuzz", LANG_EN, &v);
		/*
		 * Escaping holds: from a template with no '<' of its own,
		 * the only markup out is the raw variable's.
		 */
		if (out.p != NULL && memchr(text, '<', size) == NULL)
			no_markup_but(out.p, out.len, "<p>ok</p>");
		buf_free(&out);
	}
	tmpl_free();
	free(text);
	return 0;
}
