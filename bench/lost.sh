# bench/lost.sh: lost events against event rate, per netlat collector.
# Paced UDP floods of 64-byte datagrams, rate doubling, then unpaced.
# Writes $WORK/lost.tsv: collector pps_asked events_per_s lost lost_share.

run_lost() {
	printf 'collector\tpps\tevents_per_s\tlost\tlost_share\n' > "$WORK/lost.tsv"
	for _c in bpf tracefs; do
		for _pps in $LOST_RATES; do
			_f=$WORK/lost.$_c.$_pps
			_rate=; [ "$_pps" = max ] || _rate="--rate $_pps"
			log "lost events: $_c at ${_pps} pps"
			# shellcheck disable=SC2086
			under "$_c" "$_f" "$NLBIN/netlat-load" udp-flood -d "${LOST_DUR}s" -s 64 $_rate \
				--cpu 0 --peer-cpu 1 -p "$BENCH_PORT" > "$_f.load" || true
			# events over the recording's own duration (from its meta, in the JSON report)
			_d=$("$NETLAT" report -i "$_f.data" --format json 2>/dev/null |
				sed -n 's/.*"duration_s":\([0-9.e+-]*\).*/\1/p')
			# shellcheck disable=SC2046 # "EVENTS LOST": split on purpose
			set -- $(tool_events "$_c" "$_f")
			awk -v c="$_c" -v p="$_pps" -v e="$1" -v l="$2" -v d="${_d:-$LOST_DUR}" 'BEGIN {
				printf "%s\t%s\t%.0f\t%d\t%.6f\n", c, p, e / d, l, (e + l) ? l / (e + l) : 0 }' \
				>> "$WORK/lost.tsv"
		done
	done
}
