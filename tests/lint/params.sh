#!/bin/sh
# A handler's parameter name that no route declares reads as "" at run
# time: a typo would go unnoticed.  This check runs with every build and
# fails it when app/*.c asks param_str, param_int, param_present,
# param_err, param_err_html, param_set_err, param_set_err_ex or
# param_markdown for a name that is in no `const struct param x[]` table.
cd "$(dirname "$0")/../.." || exit 1
awk '
/^(static )?const struct param [a-z_0-9]+\[\] = \{/ { intable = 1; next }
intable && /^\};/ { intable = 0; next }
intable {
	if (match($0, /\{ "[^"]*"/))
		declared[substr($0, RSTART + 3, RLENGTH - 4)] = 1
	next
}
{
	line = $0
	while (match(line, /param_(str|int|present|err|err_html|set_err|set_err_ex|markdown)\([a-z_>-]+, "[^"]*"/)) {
		call = substr(line, RSTART, RLENGTH)
		line = substr(line, RSTART + RLENGTH)
		sub(/^[^"]*"/, "", call)
		sub(/"$/, "", call)
		used[call] = used[call] FILENAME ":" FNR " "
	}
}
END {
	bad = 0
	for (n in used)
		if (!(n in declared)) {
			printf("%s: parameter \"%s\" is declared by no route\n",
			    used[n], n) > "/dev/stderr"
			bad = 1
		}
	exit bad
}' app/*.c
