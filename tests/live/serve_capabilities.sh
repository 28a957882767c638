#!/bin/sh
# serve_capabilities: the shipped netlat.service is a valid unit and the capabilities it
# grants are enough. systemd-analyze verify checks the unit (ExecStart pointed at the
# netlat under test); then netlat serve runs as uid 0 with its bounding set cut to exactly
# the unit's CapabilityBoundingSet (setpriv), and must arm the bpf collector, serve
# /metrics and disarm on SIGTERM. Nothing of full root beyond those capabilities.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/prom.sh"
need_root
UNIT="$NLROOT/netlat.service"
[ -f "$UNIT" ] || fail "no netlat.service in the tree"
command -v setpriv >/dev/null 2>&1 || fail "no setpriv (util-linux): run make deps"

if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|^ExecStart=/usr/local/bin/netlat |ExecStart=$NETLAT |" "$UNIT" > "$NLTMP/netlat.service"
	systemd-analyze verify "$NLTMP/netlat.service" > "$NLTMP/verify" 2>&1 ||
		{ cat "$NLTMP/verify"; fail "systemd-analyze verify rejects netlat.service"; }
	grep -q 'netlat.service' "$NLTMP/verify" && { cat "$NLTMP/verify"; fail "systemd-analyze verify complains"; }
	note "systemd-analyze verify: clean"
else
	note "no systemd-analyze here: unit syntax not verified"
fi

CAPS=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT")
[ -n "$CAPS" ] || fail "netlat.service sets no CapabilityBoundingSet"
SETCAPS=$(echo "$CAPS" | tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ /,+/g')
note "bounding set: $CAPS"

SP=$(nl_free_port 20000)
setpriv --bounding-set=-all,+"$SETCAPS" --inh-caps=-all "$NETLAT" serve -q --listen "127.0.0.1:$SP" \
	-m softirq,qdisc,napi > "$NLTMP/serve.log" 2>&1 &
NL_SERVE_PID=$!
NL_SERVE_URL="http://127.0.0.1:$SP"
ok=0
for _i in $(seq 1 100); do
	curl -sf "$NL_SERVE_URL/healthz" 2>/dev/null | grep -q '^ok: serving' && { ok=1; break; }
	kill -0 "$NL_SERVE_PID" 2>/dev/null || break
	sleep 0.1
done
[ $ok = 1 ] || { cat "$NLTMP/serve.log"; fail "netlat serve with the unit's capabilities did not come up"; }
eff=$(awk '/^CapEff:/ { print $2 }' "/proc/$NL_SERVE_PID/status")
note "serve's CapEff: $eff"
[ "$eff" != 000001ffffffffff ] && [ "$eff" != 000003ffffffffff ] || fail "serve runs with every capability: setpriv did not restrict it"
curl -sf "$NL_SERVE_URL/metrics" > "$NLTMP/m" || fail "no /metrics"
for m in softirq qdisc napi; do
	grep -q "^netlat_metric_up{metric=\"$m\",backend=\"bpf\"} 1" "$NLTMP/m" ||
		{ grep netlat_metric_up "$NLTMP/m"; cat "$NLTMP/serve.log"; fail "$m not armed on bpf with the unit's capabilities"; }
done
nl_serve_stop || fail "serve exited non-zero after SIGTERM"
exit 0
