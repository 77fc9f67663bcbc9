#!/bin/sh
# A template's variable that nothing sets renders as nothing, silently: a
# select with no options, a form without its fields.  This check runs with
# every build and fails it when a name a template uses ({{x}}, {{&x}},
# {{%x}}, {{+x}}, {{@x}}, {{#x}}, {{^x}}, {{?x}}) appears nowhere in
# app/*.c: neither set by a handler or page.c nor selected by a statement
# (a word test: it catches a name left behind when its setter went, not a
# misspelt one that happens to be a word elsewhere).
# A raw tag ({{&x}}) must moreover be a column named *_html, an *_err
# message (param_err_html) or a name set with tmpl_set_raw.
cd "$(dirname "$0")/../.." || exit 1
bad=0
names=$(sed 's/{{/\n{{/g' assets/templates/*.html |
	sed -n 's/^{{[&%+@#^?/]\{0,1\}\([a-z_0-9]*\)}}.*/\1/p' | sort -u)
words=$(cat app/*.c | tr -c 'a-z_0-9' '\n' | sort -u)
for n in $names; do
	# x_err: the message of parameter x, set by name ("%s_err").
	case $n in *_err) n=${n%_err} ;; esac
	if ! printf '%s\n' "$words" | grep -qx "$n"; then
		echo "templates: {{$n}} ($(grep -l "{{[&%+@#^?/]\{0,1\}$n}}" \
		    assets/templates/*.html | tr '\n' ' ')) is set nowhere" >&2
		bad=1
	fi
done
raws=$(sed 's/{{/\n{{/g' assets/templates/*.html |
	sed -n 's/^{{&\([a-z_0-9]*\)}}.*/\1/p' | sort -u)
for n in $raws; do
	case $n in *_html|*_err) continue ;; esac
	if ! grep -q "tmpl_set_raw([^,]*, \"$n\"" app/*.c; then
		echo "templates: {{&$n}} is not set with tmpl_set_raw" >&2
		bad=1
	fi
done
exit $bad
