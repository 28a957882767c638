# bench/memory.sh: peak RSS of system-wide recordings of two lengths under
# the same background load (a paced UDP flood plus bursts of new TCP
# connections, so new flow keys keep appearing). Bounded memory means the
# long recording peaks where the short one does.
# Writes $WORK/memory.tsv: seconds intervals maxrss_kb rss_first_kb rss_last_kb;
# keeps the recordings as $WORK/soak.SECONDS.data for the report-speed section.

# background load for S seconds; prints nothing, leaves pids in BG_PIDS
start_background() {
	"$NLBIN/netlat-load" udp-flood -d "$(($1 + 5))s" -s 64 --rate 20000 -p $((BENCH_PORT + 1)) \
		>/dev/null 2>&1 &
	BG_PIDS=$!
	(
		_n=0
		# a burst of 50 connections every 2 s, bounded by the soak's length
		while [ "$_n" -lt $(($1 / 2 + 2)) ]; do
			"$NLBIN/netlat-load" tcp-connect -n 50 -p $((BENCH_PORT + 2)) >/dev/null 2>&1
			sleep 2
			_n=$((_n + 1))
		done
	) &
	BG_PIDS="$BG_PIDS $!"
}

stop_background() {
	for _p in $BG_PIDS; do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	BG_PIDS=
}

run_memory() {
	printf 'seconds\tintervals\tmaxrss_kb\trss_first_kb\trss_last_kb\n' > "$WORK/memory.tsv"
	for _s in $MEM_SECONDS; do
		log "memory: ${_s}s system-wide recording with background load"
		rm -f "$WORK/mem.$_s"
		start_background "$_s"
		"$NLBENCH" run -r 1000 -o "$WORK/mem.$_s" -- \
			"$NETLAT" record -q -a -d "${_s}s" -o "$WORK/soak.$_s.data" || log "warning: soak $_s failed"
		stop_background
		_iv=$("$NETLAT" report -i "$WORK/soak.$_s.data" --format json 2>/dev/null |
			sed -n 's/.*"nintervals":\([0-9]*\).*/\1/p')
		_samples=$(kv "$WORK/mem.$_s" rss_samples_kb)
		printf '%s\t%s\t%s\t%s\t%s\n' "$_s" "${_iv:-0}" "$(kv "$WORK/mem.$_s" maxrss_kb)" \
			"$(echo "$_samples" | cut -d, -f2)" "$(echo "$_samples" | tr ',' '\n' | tail -n 1)" \
			>> "$WORK/memory.tsv"
		# the RSS curve, one sample a second, for the JSON
		echo "$_samples" > "$WORK/memory.$_s.curve"
	done
}
