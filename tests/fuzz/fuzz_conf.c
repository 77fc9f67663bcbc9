/*
 * Fuzz the configuration parser: any text either parses into values
 * within their ranges or is refused with a message naming the line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	char err[1024], *text;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	conf_defaults(&c);
	if (conf_parse(&c, text, "fuzz.conf", err, sizeof(err)) == 0) {
		if (c.threads < 1 || c.threads > 256 || c.listen_port < 1 ||
		    c.listen_port > 65535 || c.max_body < 1024)
			__builtin_trap();
	} else if (strncmp(err, "fuzz.conf:", 10) != 0)
		__builtin_trap();
	free(text);
	return 0;
}
