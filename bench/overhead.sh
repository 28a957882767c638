# bench/overhead.sh: fixed workloads, bare and under each tracer, A B A B.
# Sourced by bench/run.sh. Writes $WORK/overhead.tsv (one row per run) and
# $WORK/overhead.sum.tsv (per workload, tool and measure: min median max).

# The workloads: pinned ends (sender CPU 0, receiver CPU 1), loopback only.
workload_args() {
	case "$1" in
	tcp_rr) echo "tcp-rr -d ${OV_DUR}s -s 64 --cpu 0 --peer-cpu 1 -p $BENCH_PORT" ;;
	udp_small) echo "udp-flood -d ${OV_DUR}s -s 64 --cpu 0 --peer-cpu 1 -p $BENCH_PORT" ;;
	tcp_bulk) echo "tcp-bulk -d ${OV_DUR}s -s 65536 --cpu 0 --peer-cpu 1 -p $BENCH_PORT" ;;
	esac
}

# ops of a run: round trips, datagrams delivered, bytes delivered
workload_ops() {
	case "$1" in
	tcp_rr) kv "$2" sent_msgs ;;
	udp_small) kv "$2" recv_msgs ;;
	tcp_bulk) kv "$2" recv_bytes ;;
	esac
}

# one_run WORKLOAD TOOL REP: run it, append its row to overhead.tsv
one_run() {
	_f=$WORK/ov.$1.$2.$3
	rm -f "$_f.st" "$_f.load"
	# shellcheck disable=SC2046
	under "$2" "$_f.tr" "$NLBENCH" run -o "$_f.st" -- "$NLBIN/netlat-load" $(workload_args "$1") \
		> "$_f.load" || log "warning: $1 under $2 (rep $3) exited non-zero"
	# shellcheck disable=SC2046 # "EVENTS LOST": split on purpose
	set -- "$1" "$2" "$3" $(tool_events "$2" "$_f.tr")
	_ops=$(workload_ops "$1" "$_f.load")
	_cpu=$(( $(kv "$_f.st" cpu_ns) + $(kv "$_f.st" parent_cpu_ns) ))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${_ops:-0}" \
		"$(kv "$_f.load" p50_us)" "$(kv "$_f.load" p99_us)" "$_cpu" "$(kv "$_f.st" wall_ns)" \
		"$4" "$5" >> "$WORK/overhead.tsv"
}

run_overhead() {
	printf 'workload\ttool\trep\tops\tp50_us\tp99_us\tcpu_ns\twall_ns\tevents\tlost\n' > "$WORK/overhead.tsv"
	for _w in $OV_WORKLOADS; do
		_r=1
		while [ "$_r" -le "$OV_REPS" ]; do
			log "overhead: $_w rep $_r/$OV_REPS"
			for _t in $OV_TOOLS; do
				one_run "$_w" bare "$_r.$_t"	# the A of each A B pair
				one_run "$_w" "$_t" "$_r"
			done
			_r=$((_r + 1))
		done
	done
	summarize_overhead
}

# Each tracer run against the bare run just before it (same sitting):
#   rate        ops/s ratio (1 = no loss)
#   p50, p99    tcp_rr latency ratio (1 = no inflation)
#   cpu_per_op  CPU per op ratio: workload (probes run in its context) + tracer process
#   ns_per_event  extra CPU per op x ops / events the tracer counted
#   events_per_s  events the tracer counted per second
summarize_overhead() {
	awk -F'\t' -v dur="$OV_DUR" '
	NR == 1 { next }
	$2 == "bare" { split($3, k, "."); b = $1 SUBSEP k[1] SUBSEP k[2]
		bops[b] = $4; bp50[b] = $5; bp99[b] = $6; bcpu[b] = $7; next }
	{ b = $1 SUBSEP $3 SUBSEP $2
		if (!(b in bops) || bops[b] <= 0 || $4 <= 0) next
		key = $1 "\t" $2
		out(key, "rate", $4 / bops[b])
		if ($5 != "" && bp50[b] > 0) out(key, "p50", $5 / bp50[b])
		if ($6 != "" && bp99[b] > 0) out(key, "p99", $6 / bp99[b])
		cpo = $7 / $4; bcpo = bcpu[b] / bops[b]
		out(key, "cpu_per_op", cpo / bcpo)
		if ($9 > 0) out(key, "ns_per_event", (cpo - bcpo) * $4 / $9)
		out(key, "events_per_s", $9 / dur)
		if ($9 + $10 > 0) out(key, "lost_share", $10 / ($9 + $10))
	}
	function out(key, m, v) { printf "%s\t%s\t%.6g\n", key, m, v }
	' "$WORK/overhead.tsv" | sort -t '	' -k1,1 -k2,2 -k3,3 > "$WORK/overhead.ratios"
	: > "$WORK/overhead.sum.tsv"
	cut -f1-3 "$WORK/overhead.ratios" | sort -u | while IFS='	' read -r _w _t _m; do
		_s=$(awk -F'\t' -v w="$_w" -v t="$_t" -v m="$_m" '$1 == w && $2 == t && $3 == m { print $4 }' \
			"$WORK/overhead.ratios" | mmm)
		printf '%s\t%s\t%s\t%s\n' "$_w" "$_t" "$_m" "$_s" | tr ' ' '\t' >> "$WORK/overhead.sum.tsv"
	done
}
