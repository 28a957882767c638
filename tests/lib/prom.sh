# A real Prometheus server for live tests of `netlat serve` (source after common.sh).
# Debian's prometheus package (tests/lib/deps.sh, set "fleet"); the server runs with a
# generated config and a storage directory under $NLTMP, and is stopped at exit.
#
#   nl_serve_start PORT ARGS...     netlat serve on 127.0.0.1:PORT, waits for /healthz
#   nl_prom_start TARGET_PORT [PROMETHEUS ARGS...]   scrape every 1 s; sets NL_PROM (base URL)
#   nl_prom_wait_up                 until the target's `up` is 1
#   nl_prom_query EXPR [TIME]       the API's JSON answer to an instant query
#   nl_prom_scalar EXPR [TIME]      its single value ("" when the result is empty)
#   nl_prom_stop / nl_serve_stop

NL_PROM="" NL_PROM_PID="" NL_SERVE_PID="" NL_SERVE_URL=""

command -v prometheus >/dev/null 2>&1 || fail "no prometheus binary: run make deps"
command -v curl >/dev/null 2>&1 || fail "no curl: run make deps"
command -v python3 >/dev/null 2>&1 || fail "no python3: run make deps"

# nl_free_port BASE: a port near BASE + pid that nothing listens on.
nl_free_port() {
	_p=$(( $1 + $$ % 5000 ))
	while ss -Htln "sport = :$_p" 2>/dev/null | grep -q .; do _p=$((_p + 1)); done
	echo "$_p"
}

nl_serve_start() {
	_port=$1
	shift
	"$NETLAT" serve --listen "127.0.0.1:$_port" "$@" > "$NLTMP/serve.log" 2>&1 &
	NL_SERVE_PID=$!
	NL_SERVE_URL="http://127.0.0.1:$_port"
	for _i in $(seq 1 100); do
		curl -sf "$NL_SERVE_URL/healthz" 2>/dev/null | grep -q '^ok: serving' && return 0
		kill -0 "$NL_SERVE_PID" 2>/dev/null || { cat "$NLTMP/serve.log"; fail "netlat serve exited"; }
		sleep 0.1
	done
	cat "$NLTMP/serve.log"
	fail "netlat serve did not report healthy within 10 s"
}

# SIGTERM, then up to 10 s for serve to disarm and exit (SIGKILL and fail after that).
nl_serve_stop() {
	[ -n "$NL_SERVE_PID" ] || return 0
	kill -TERM "$NL_SERVE_PID" 2>/dev/null
	for _i in $(seq 1 100); do
		kill -0 "$NL_SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$NL_SERVE_PID" 2>/dev/null; then
		kill -KILL "$NL_SERVE_PID"
		NL_SERVE_PID=""
		fail "netlat serve still running 10 s after SIGTERM"
	fi
	wait "$NL_SERVE_PID"
	_rc=$?
	NL_SERVE_PID=""
	return $_rc
}

nl_prom_start() {
	_target=$1
	shift
	_pport=$(nl_free_port 30000)
	mkdir -p "$NLTMP/prom"
	cat > "$NLTMP/prom/prometheus.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	  evaluation_interval: 1s
	scrape_configs:
	  - job_name: netlat
	    static_configs:
	      - targets: ['127.0.0.1:$_target']
	EOF
	prometheus --config.file="$NLTMP/prom/prometheus.yml" --storage.tsdb.path="$NLTMP/prom/data" \
		--web.listen-address="127.0.0.1:$_pport" "$@" > "$NLTMP/prom/log" 2>&1 &
	NL_PROM_PID=$!
	NL_PROM="http://127.0.0.1:$_pport"
	for _i in $(seq 1 300); do
		curl -sf "$NL_PROM/-/ready" >/dev/null 2>&1 && return 0
		kill -0 "$NL_PROM_PID" 2>/dev/null || { tail -n 20 "$NLTMP/prom/log"; fail "prometheus exited"; }
		sleep 0.1
	done
	tail -n 20 "$NLTMP/prom/log"
	fail "prometheus not ready within 30 s"
}

nl_prom_stop() {
	[ -n "$NL_PROM_PID" ] || return 0
	kill -TERM "$NL_PROM_PID" 2>/dev/null
	wait "$NL_PROM_PID" 2>/dev/null
	NL_PROM_PID=""
	rm -rf "$NLTMP/prom/data"
}

nl_prom_query() {
	curl -sf "$NL_PROM/api/v1/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} ||
		fail "prometheus query failed: $1"
}

# The first result's value of an instant vector or scalar query.
nl_prom_scalar() {
	nl_prom_query "$1" "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "success", d
r = d["data"]["result"]
if d["data"]["resultType"] == "scalar":
    print(r[1])
elif r:
    print(r[0]["value"][1])
'
}

nl_prom_wait_up() {
	_end=$(( $(date +%s) + 30 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		[ "$(nl_prom_scalar 'up{job="netlat"}')" = 1 ] && return 0
		sleep 0.2
	done
	curl -sf "$NL_PROM/api/v1/targets" | python3 -c '
import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    print("  target %s: %s %s" % (t["scrapeUrl"], t["health"], t["lastError"]))'
	fail "prometheus never saw the netlat target up"
}
trap 'nl_prom_stop; nl_serve_stop; nl_cleanup' EXIT
trap 'nl_prom_stop; nl_serve_stop; nl_cleanup; exit 1' INT TERM HUP
