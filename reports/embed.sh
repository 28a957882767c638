#!/bin/sh
# Turn the gnuplot templates reports/*.gp into a C header (netlat embeds them in its binary).
# Usage: sh reports/embed.sh reports/*.gp > BUILD/plot_templates.h
# Each FILE.gp becomes a string constant; nl_gp_templates[] maps "FILE" to its text.
set -eu
echo "/* Generated from the gnuplot templates in reports/ by reports/embed.sh: do not edit. */"
names=""
for f in "$@"; do
	n=$(basename "$f" .gp | tr -c 'A-Za-z0-9_\n' '_')
	names="$names $n"
	echo "static const char nl_gp_$n[] ="
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$f"
	printf '\t;\n'
done
echo "static const struct { const char *name; const char *text; } nl_gp_templates[] = {"
for n in $names; do
	printf '\t{ "%s", nl_gp_%s },\n' "$n" "$n"
done
echo "};"
