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
		/* The value set with tmpl_set never appears unescaped. */
		if (out.p != NULL && memmem(out.p, out.len, "<script>", 8) !=
		    NULL && memmem(text, size, "<script>", 8) == NULL)
			__builtin_trap();
		buf_free(&out);
	}
	tmpl_free();
	free(text);
	return 0;
}
