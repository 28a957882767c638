# bench/report_speed.sh: `netlat report` time against recording size.
# Recordings: -I 10ms ones of growing length (many intervals) and the
# memory section's soaks (1 s intervals). netlat stores aggregated
# intervals only, never raw events, so size is intervals and bytes.
# Writes $WORK/report.tsv: file intervals bytes text_ms csv_intervals_ms maxrss_kb.

time_report() {	# FILE ARGS...: median wall ms of 3 runs, and the last run's maxrss
	_file=$1
	shift
	for _i in 1 2 3; do
		rm -f "$WORK/rs.st"
		"$NLBENCH" run -o "$WORK/rs.st" -- "$NETLAT" report -i "$_file" "$@" > /dev/null 2>&1
		awk -v w="$(kv "$WORK/rs.st" wall_ns)" 'BEGIN { printf "%.2f\n", w / 1e6 }'
	done | mmm | awk '{ print $2 }'
}

run_report_speed() {
	printf 'file\tintervals\tbytes\ttext_ms\tcsv_intervals_ms\tmaxrss_kb\n' > "$WORK/report.tsv"
	for _s in $RS_SECONDS; do
		log "report speed: making a ${_s}s recording at -I 10ms"
		"$NLBIN/netlat-load" udp-flood -d "$((_s + 1))s" -s 64 --rate 20000 -p $((BENCH_PORT + 1)) \
			>/dev/null 2>&1 &
		_bg=$!
		"$NETLAT" record -q -a -I 10ms -d "${_s}s" -o "$WORK/rs.$_s.data" || true
		wait "$_bg" 2>/dev/null
	done
	for _f in "$WORK"/rs.*.data "$WORK"/soak.*.data; do
		[ -f "$_f" ] || continue
		log "report speed: $(basename "$_f")"
		_iv=$("$NETLAT" report -i "$_f" --format json 2>/dev/null | sed -n 's/.*"nintervals":\([0-9]*\).*/\1/p')
		_text=$(time_report "$_f")
		_csv=$(time_report "$_f" --format csv --intervals)
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$_f")" "${_iv:-0}" "$(wc -c < "$_f" | tr -d ' ')" \
			"$_text" "$_csv" "$(kv "$WORK/rs.st" maxrss_kb)" >> "$WORK/report.tsv"
	done
}
