# What `netlat probe --json` says this kernel can do, for tests to tell "cannot be
# measured here" (a skip) from "broken" (a failure). POSIX sh, busybox awk; source
# after common.sh (truth.sh sources it). The JSON is one line when stdout is not a
# terminal; awk walks it by index(), so no JSON tool is needed in the VM.
#
#   nl_probe_collector COLLECTOR METRIC   "yes HOW" / "no WHY": record --collector C -m M
#   nl_probe_metric METRIC                "BACKEND DETAIL": what record (auto) gives M
#   nl_probe_feature NAME                 "yes WHY" / "no WHY": features.NAME
#   nl_probe_function FUNC                "TIER REJECTED": the automatic tier of a target
#   nl_sanitizer_check FILE WHAT          fail if FILE holds a sanitizer report

# nl_probe_json: the probe's JSON, once per test, in $NLTMP/probe.json; in the VM, the one
# its init printed at boot (NL_PROBE_JSON: the same binary on the same boot of the kernel).
nl_probe_json() {
	[ -s "$NLTMP/probe.json" ] && return 0
	if [ -n "${NL_PROBE_JSON:-}" ] && [ -s "$NL_PROBE_JSON" ]; then
		cp "$NL_PROBE_JSON" "$NLTMP/probe.json" && return 0
	fi
	"$NETLAT" probe --json > "$NLTMP/probe.json" 2> "$NLTMP/probe.json.err" ||
		fail "netlat probe --json failed: $(head -n 1 "$NLTMP/probe.json.err")"
}

# NL_PROBE_AWK: str(s, key) is the JSON string value of "key" at or after the start
# of s, unescaped; after(s, pat) is s from just after the first pat ("" if none).
NL_PROBE_AWK='
function after(s, pat,   p) { p = index(s, pat); return p ? substr(s, p + length(pat)) : "" }
function str(s, key,   i, ch, out) {
	s = after(s, "\"" key "\":\""); out = ""
	for (i = 1; i <= length(s); i++) {
		ch = substr(s, i, 1)
		if (ch == "\\") { out = out substr(s, ++i, 1); continue }
		if (ch == "\"") break
		out = out ch
	}
	return out
}
function avail(s) { return substr(after(s, "\"available\":"), 1, 4) == "true" ? "yes" : "no" }'

# nl_probe_collector COLLECTOR METRIC: "yes HOW" or "no WHY", what `netlat probe --json`
# says `netlat record --collector COLLECTOR -m METRIC` gets on this kernel (the metric's
# "collectors" object, docs/probe.md). Empty when probe says nothing of it. The JSON is
# one line (stdout is not a terminal); awk walks it, so busybox needs no JSON tool.
nl_probe_collector() {
	nl_probe_json
	awk -v m="$2" -v c="$1" "$NL_PROBE_AWK"'{
		s = after(after($0, "{\"name\":\"" m "\",\"backend\":"), "\"collectors\":{")
		s = after(s, "\"" c "\":{"); if (s == "") exit
		print avail(s), str(s, "reason") }' "$NLTMP/probe.json"
}

# nl_probe_metric METRIC: "BACKEND DETAIL" (backend bpf, tracefs or unavailable) of a
# tracepoint metric, as record picks it without --collector. Empty if probe omits it.
nl_probe_metric() {
	nl_probe_json
	awk -v m="$1" "$NL_PROBE_AWK"'{
		s = after($0, "{\"name\":\"" m "\","); if (s == "") exit
		print str(s, "backend"), str(s, "detail") }' "$NLTMP/probe.json"
}

# nl_probe_feature NAME: "yes REASON" or "no REASON" for features.NAME (fentry,
# kprobe_bpf, function_graph, kprobe_events, ...). Empty if probe omits it.
nl_probe_feature() {
	nl_probe_json
	awk -v f="$1" "$NL_PROBE_AWK"'{
		s = after(after($0, "\"features\":{"), "\"" f "\":{"); if (s == "") exit
		print avail(s), str(s, "reason") }' "$NLTMP/probe.json"
}

# nl_probe_function FUNC: "TIER REJECTED" for a built-in function target (tier fentry,
# kprobe, graph, kprobe-events, sample or unavailable; REJECTED says why each better
# tier was turned down). Empty if probe omits it.
nl_probe_function() {
	nl_probe_json
	awk -v fn="$1" "$NL_PROBE_AWK"'{
		s = after(after($0, "\"functions\":["), "\"function\":\"" fn "\","); if (s == "") exit
		print str(s, "tier"), str(s, "rejected") }' "$NLTMP/probe.json"
}

# nl_sanitizer_check FILE WHAT: fail when FILE (a netlat stderr) holds a sanitizer report.
nl_sanitizer_check() {
	grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$1" 2>/dev/null || return 0
	grep -m 3 'Sanitizer\|runtime error:' "$1" | sed 's/^/  /'
	fail "$2: sanitizer report"
}

# nl_probe_need_metric METRIC: skip the test when netlat probe says METRIC cannot be
# measured on this kernel (backend "unavailable"), with probe's reason; else return.
nl_probe_need_metric() {
	_pm=$(nl_probe_metric "$1")
	[ -n "$_pm" ] || fail "netlat probe --json says nothing of metric $1"
	[ "${_pm%% *}" = unavailable ] && skip "$1 cannot be measured here (netlat probe: ${_pm#* })"
	return 0
}

# nl_triage_checked OUT RULE: fail when triage's output OUT says RULE was "not checked".
# Call nl_probe_need_metric for the rule's metric first: a rule whose metric probe
# calls measurable must run.
nl_triage_checked() {
	grep -q "^not checked: $2:" "$1" || return 0
	fail "triage did not check $2 though netlat probe says its metric can be measured: $(grep -m1 "^not checked: $2:" "$1")"
}
