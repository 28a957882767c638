# bench/startup.sh: launch -> armed, per tool.
# Each tool is launched with `nlbench mark` as its command, which every one
# of them starts only once its probes are attached: mark notes the
# monotonic time it was exec'd, then sends 5 datagrams to a closed port,
# and the run only counts if the tool saw events (so "armed" is checked).
# netlat also says (-v) when its collectors were started.
# Writes $WORK/startup.tsv: tool rep armed_ms collectors_started_ms total_ms events.

run_startup() {
	printf 'tool\trep\tarmed_ms\tcollectors_started_ms\ttotal_ms\tevents\n' > "$WORK/startup.tsv"
	_r=1
	while [ "$_r" -le "$SU_REPS" ]; do
		for _t in bpf tracefs bpftrace perf; do
			_f=$WORK/su.$_t.$_r
			rm -f "$_f.mark"
			_t0=$("$NLBENCH" now)
			under "$_t" "$_f" "$NLBENCH" mark -o "$_f.mark" -p 9 -n 5 >/dev/null || true
			_t1=$("$NLBENCH" now)
			_cs=$(sed -n 's/.*collectors started at monotonic \([0-9]*\) ns.*/\1/p' "$_f.err" 2>/dev/null)
			# shellcheck disable=SC2046 # "EVENTS LOST": split on purpose
			set -- $(tool_events "$_t" "$_f")
			awk -v t="$_t" -v r="$_r" -v t0="$_t0" -v t1="$_t1" -v ex="$(kv "$_f.mark" exec_monotonic_ns)" \
				-v cs="$_cs" -v ev="$1" 'BEGIN {
				printf "%s\t%d\t%s\t%s\t%.1f\t%d\n", t, r,
					ex ? sprintf("%.1f", (ex - t0) / 1e6) : "-",
					cs ? sprintf("%.1f", (cs - t0) / 1e6) : "-", (t1 - t0) / 1e6, ev }' \
				>> "$WORK/startup.tsv"
		done
		_r=$((_r + 1))
	done
}
