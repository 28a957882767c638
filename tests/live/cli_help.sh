#!/bin/sh
# Every command's --help is its option table, and the parser is the same table:
#  - `netlat CMD --help` and `netlat CMD -h` exit 0, print the same usage on stdout, nothing on stderr;
#  - every option the help names (long and short spelling) is accepted with a valid value;
#  - an option another command's help names, and this one's does not, is refused (exit 2);
#  - every option a command took before the tables still is there, spelled the same;
#  - the shared options get the same verdict, with the same message, in every recording command.
# "Accepted" is read without running anything: the option comes first, then a word that is no
# option (--zz-not-an-option); the parser must get past the first and stop, with exit 2, at the
# second. A refused option is the one the error names.
. "$NLROOT/tests/lib/common.sh"

TO=""
command -v timeout >/dev/null 2>&1 && TO="timeout 20"
SENTINEL=--zz-not-an-option
COMMANDS="record report stat diff triage top probe serve"

cd "$NLTMP" || fail "cd $NLTMP"
printf '# no spec: a valid, empty file\n' > empty.txt

# run ARGS...: sets rc, fills out and err
run() {
	$TO "$NETLAT" "$@" > out 2> err < /dev/null
	rc=$?
}

# One line per option in `netlat CMD --help`: "SHORT|LONG|ARG", SHORT "" for long-only,
# ARG " <x>", "[=<x>]" (optional value) or "" (a flag). Continuation lines are indented
# further and never match.
options_of() {
	"$NETLAT" "$1" --help 2>/dev/null |
		sed -nE 's/^    (-([A-Za-z]), |    )--([a-z][a-z0-9-]*)(\[=<[a-z:]*>\]| <[a-z:]*>)?( .*)?$/\2|\3|\4/p' |
		grep -v '|help|'
}

# value CMD LONG ARGH: a value the option must accept (empty: no value known, a test bug)
value() {
	case "$1:$2" in
	*:thresholds|*:noise) echo "$NLTMP/empty.txt"; return ;;
	report:plot-format) echo svg; return ;;
	probe:format) echo kv; return ;;
	esac
	case "$3" in
	'<file>') echo "$NLTMP/x.data" ;;
	'<time>') echo 2s ;;
	'<list>') echo napi,softirq ;;
	'<c>') echo bpf ;;
	'<iface>') echo lo ;;
	'<pid>') echo 1 ;;
	'<name>') echo sshd ;;
	'<port>') echo 80 ;;
	'<inode>') echo 4026531840 ;;
	'<n>') echo 4 ;;
	'<cpus>') echo 0 ;;
	'<func>') echo 'tcp_send*' ;;
	'<tier>') echo auto ;;
	'<hz>') echo 99 ;;
	'<pct>') echo 2 ;;
	'<fmt>') echo json ;;
	'<key>') echo count ;;
	'<k>') echo 0 ;;
	'<dir>') echo "$NLTMP/plots" ;;
	'<how>') echo strict ;;
	'<cmd>') echo true ;;
	'<spec>') echo '*.*.p99=+15%' ;;
	'<addr:port>') echo 127.0.0.1:9465 ;;
	esac
}

# accepted CMD WORDS...: the parser takes WORDS and stops at the sentinel
accepted() {
	c=$1; shift
	run "$c" "$@" "$SENTINEL"
	[ $rc = 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q -- "'$SENTINEL'" err ||
		fail "netlat $c $*: not accepted (exit $rc): $(cat err)"
}

# refused CMD OPTION WORDS...: exit 2, one line, naming OPTION (not the sentinel after it)
refused() {
	c=$1; o=$2; shift 2
	run "$c" "$@" "$SENTINEL"
	[ $rc = 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q -- "'$o'" err ||
		fail "netlat $c $*: '$o' not refused (exit $rc): $(cat err)"
}

all=""
for c in $COMMANDS; do
	run "$c" --help
	[ $rc = 0 ] || fail "netlat $c --help: exit $rc; stderr: $(cat err)"
	[ -s err ] && fail "netlat $c --help: wrote to stderr: $(cat err)"
	grep -q "^ usage: netlat $c" out || fail "netlat $c --help: no 'usage: netlat $c' line"
	cp out help.long
	run "$c" -h
	[ $rc = 0 ] || fail "netlat $c -h: exit $rc"
	cmp -s out help.long || fail "netlat $c -h and --help differ"
	options_of "$c" > "opts.$c"
	[ -s "opts.$c" ] || fail "netlat $c --help lists no option"
	all="$all $(cut -d'|' -f2 "opts.$c")"
done

# Each option of each table, long and short, with a valid value.
n=0
for c in $COMMANDS; do
	while IFS='|' read -r short long arg; do
		argh=$(echo "$arg" | tr -d ' []=')
		if [ -z "$argh" ]; then
			accepted "$c" "--$long"
			[ -n "$short" ] && accepted "$c" "-$short"
		else
			v=$(value "$c" "$long" "$argh")
			[ -n "$v" ] || fail "no test value for netlat $c --$long $argh: add one to value()"
			case $arg in
			'[='*) accepted "$c" "--$long=$v" ;;
			*) accepted "$c" "--$long" "$v"
			   [ -n "$short" ] && accepted "$c" "-$short" "$v" ;;
			esac
		fi
		n=$((n + 1))
	done < "opts.$c"
done
note "$n options accepted as their help says"

# An option of another command that this one's help does not name is refused.
n=0
for c in $COMMANDS; do
	for o in $(echo "$all" | tr ' ' '\n' | sort -u); do
		grep -q "|$o|" "opts.$c" && continue
		refused "$c" "--$o" "--$o" "$NLTMP/x"
		n=$((n + 1))
	done
done
note "$n options of other commands refused"

# The options each command took before its option table, spelled as they were.
expect() {
	c=$1; shift
	for o in "$@"; do
		grep -q "|$o|" "opts.$c" || fail "netlat $c --help lacks --$o"
	done
}
expect record output all-cpus cpu duration interval metrics collector dev pid comm port netns buffer-kb \
	func probe syscall-time pair-sample sample-freq raw raw-events quiet overhead-budget verbose
expect report input format metrics full verbose sort top intervals run plot plot-format html
expect stat repeat output input base base-output duration interval metrics cpu collector dev match csv \
	quiet overhead-budget verbose
expect diff threshold thresholds format output metrics match calibrate noise
expect triage duration input output netns dev pid format collector buffer-kb quiet overhead-budget verbose
expect top interval duration netns dev pid collector overhead-budget verbose
expect probe json format
expect serve listen buckets flow-labels max-clients interval duration metrics all-cpus cpu collector dev \
	pid comm port netns buffer-kb func probe sample-freq syscall-time pair-sample quiet overhead-budget verbose

# The shared options: one verdict and one message in every command that records.
for bad in "--netns 99999999999" "--netns 0" "--netns +5" "--dev a=b" "--dev a/b" "-p +5" "-p 0" \
	   "--port 65536" "-C x" "--collector perf" "-d 0" "--overhead-budget 101"; do
	first=""
	for c in record top triage stat serve; do
		# shellcheck disable=SC2086 # the option and its value are two words
		run "$c" $bad "$SENTINEL"
		[ $rc = 2 ] || fail "netlat $c $bad: exit $rc, expected 2"
		grep -q -- "$SENTINEL" err && fail "netlat $c $bad: accepted"
		[ "$(wc -l < err)" -eq 1 ] || fail "netlat $c $bad: not one line: $(cat err)"
		[ -n "$first" ] || { first=$(cat err); firstc=$c; continue; }
		[ "$(cat err)" = "$first" ] ||
			fail "'$bad': netlat $firstc says '$first', netlat $c says '$(cat err)'"
	done
	note "$bad: $first"
done
# -m: the same check wherever a command takes a metric list
first=""
for c in record stat serve report diff; do
	run "$c" -m napi,nosuchmetric "$SENTINEL"
	[ $rc = 2 ] && [ "$(wc -l < err)" -eq 1 ] || fail "netlat $c -m napi,nosuchmetric: exit $rc: $(cat err)"
	[ -n "$first" ] || first=$(cat err)
	[ "$(cat err)" = "$first" ] || fail "-m: '$first' but netlat $c says '$(cat err)'"
done
note "-m napi,nosuchmetric: $first"
for good in "--netns 4026531840" "--netns 4294967295" "--dev eth0" "-p 1" "--port 443"; do
	for c in record top triage stat serve; do
		# shellcheck disable=SC2086
		accepted "$c" $good
	done
done
note "valid shared values accepted by record, top, triage, stat and serve"
exit 0
