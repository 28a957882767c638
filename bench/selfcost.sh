# bench/selfcost.sh: netlat's report of its own cost (include/netlat/self_cost.h)
# against the kernel's counters for the same programs, and record -v's
# time to armed. Sourced by bench/run.sh (section "selfcost").
#
# Agreement: `nlbench stats` holds BPF_ENABLE_STATS for the whole recording,
# so the kernel counts every run (the truth) while netlat, with the sysctl
# at 0, still samples its 100 ms slices and scales (it reads counter
# deltas inside its slices only, so the extra holder does not bias it).
# The traced command takes `bpftool -j prog show` before and after a paced
# UDP flood; netlat's programs are the BPF fds its process holds. Compared:
# netlat's summed run_ns over the recording against bpftool's run_time_ns
# delta over the command (the recording is longer by the gaps before and
# after the command, where the programs see only the machine's own traffic).
# Writes $WORK/selfcost.tsv: rep programs netlat_runs bpftool_runs
# netlat_run_ms bpftool_run_ms ratio, and $WORK/armed.tsv: rep armed_ms.

SC_RATE=${SC_RATE:-20000}

# sc_truth BEFORE AFTER IDS: "runs run_ns" summed over the programs in IDS, after minus before
sc_truth() {
	jq -r --slurpfile b "$1" --rawfile ids "$3" '
		($ids | split("\n") | map(select(length > 0) | tonumber)) as $want
		| ($b[0] | map({key: (.id | tostring), value: .}) | from_entries) as $old
		| [ .[] | select(.id as $i | $want | index($i)) | . as $p
		    | { r: (($p.run_cnt // 0) - ($old[$p.id | tostring].run_cnt // 0)),
		        t: (($p.run_time_ns // 0) - ($old[$p.id | tostring].run_time_ns // 0)) } ]
		| "\(map(.r) | add // 0) \(map(.t) | add // 0)"' "$2"
}

run_selfcost() {
	printf 'rep\tprograms\tnetlat_runs\tbpftool_runs\tnetlat_run_ms\tbpftool_run_ms\tratio\n' > "$WORK/selfcost.tsv"
	printf 'rep\tarmed_ms\n' > "$WORK/armed.tsv"
	if ! command -v bpftool >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
		log "self cost: needs bpftool and jq, skipped"
		return 0
	fi
	if [ "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)" != 0 ]; then
		log "self cost: kernel.bpf_stats_enabled is not 0: netlat would not sample, agreement skipped"
	else
		for _r in $(seq 1 "$SC_REPS"); do
			_f=$WORK/sc.$_r
			{
				echo "bpftool -j prog show > '$_f.before' 2>/dev/null"
				echo "cat /proc/\$PPID/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' > '$_f.ids'"
				echo "'$NLBIN/netlat-load' udp-flood -d ${SC_DUR}s -s 64 --rate $SC_RATE --cpu 0 --peer-cpu 1 -p $BENCH_PORT > /dev/null"
				echo "bpftool -j prog show > '$_f.after' 2>/dev/null"
			} > "$_f.sh"
			log "self cost: rep $_r, ${SC_DUR}s UDP at $SC_RATE/s"
			"$NLBENCH" stats -- "$NETLAT" record -q --collector bpf -o "$_f.data" -- /bin/sh "$_f.sh" \
				> "$_f.log" 2>&1 || { log "self cost: rep $_r failed: $(tail -n 1 "$_f.log")"; continue; }
			"$NETLAT" report -i "$_f.data" --format csv > "$_f.csv" || continue
			# netlat's own figures for the same program ids
			_ours=$(awk -F, -v ids="$_f.ids" '
				BEGIN { while ((getline l < ids) > 0) want[l] = 1 }
				$2 == "total" && $3 == "overhead" && $4 ~ /^prog=/ {
					id = $4; sub(/.* id=/, "", id); sub(/ .*/, "", id)
					if (!(id in want)) next
					if ($5 == "runs") { r += $8; p[id] = 1 } else if ($5 == "run_ns") t += $8
				}
				END { n = 0; for (i in p) n++; print n, r + 0, t + 0 }' "$_f.csv")
			# shellcheck disable=SC2086 # "N R T": split on purpose
			set -- $_ours $(sc_truth "$_f.before" "$_f.after" "$_f.ids")
			awk -v r="$_r" -v n="$1" -v nr="$2" -v nt="$3" -v br="$4" -v bt="$5" 'BEGIN {
				printf "%s\t%d\t%d\t%d\t%.2f\t%.2f\t%s\n", r, n, nr, br, nt / 1e6, bt / 1e6,
					(bt > 0 ? sprintf("%.3f", nt / bt) : "-") }' >> "$WORK/selfcost.tsv"
		done
	fi
	# time to armed, as record -v says it (launch of netlat to every collector started)
	for _r in $(seq 1 "$SC_ARM_REPS"); do
		"$NETLAT" record -v -q -d 1s -o "$WORK/arm.data" > "$WORK/arm.log" 2>&1
		_ms=$(sed -n 's/^netlat: armed \([0-9]*\) ms after netlat started$/\1/p' "$WORK/arm.log")
		printf '%s\t%s\n' "$_r" "${_ms:--}" >> "$WORK/armed.tsv"
	done
}

# selfcost_targets: the target rows of this section, for bench/publish.sh's table
selfcost_targets() {
	awk -F'\t' 'NR > 1 && $7 != "-" { n++; r[n] = $7 }
		END {
			if (!n) exit
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
			m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
			worst = (1 - r[1] > r[n] - 1) ? r[1] : r[n]
			printf "self cost vs bpftool run_time_ns\twithin 5%%\tmedian x%.3f, worst x%.3f (%d runs)\t%s\n",
				m, worst, n, (worst >= 0.95 && worst <= 1.05) ? "yes" : "no"
		}' "$WORK/selfcost.tsv"
	awk -F'\t' 'NR > 1 && $2 != "-" { n++; a[n] = $2 + 0 }
		END {
			if (!n) exit
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			m = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
			printf "record -v time to armed (default set)\t<= 300 ms, median of %d\t%d ms\t%s\n", n, m, m <= 300 ? "yes" : "no"
		}' "$WORK/armed.tsv"
}
