# bench/probecost.sh: in-kernel cost per probe hit, from the kernel's own
# BPF statistics (sysctl kernel.bpf_stats_enabled=1: run_time_ns and
# run_cnt per program; restored afterwards). This times each program's body
# only, not the tracepoint's dispatch to it, and it counts every program run
# (several netlat programs can share one tracepoint), so it complements the
# overhead section's "extra CPU per counted event".
# Writes $WORK/probecost.tsv: workload tool programs runs ns_per_run, and
# $WORK/probecost.progs.tsv: workload tool program runs ns_per_run total_ms.

run_probecost() {
	printf 'workload\ttool\tprograms\truns\tns_per_run\n' > "$WORK/probecost.tsv"
	printf 'workload\ttool\tprogram\truns\tns_per_run\ttotal_ms\n' > "$WORK/probecost.progs.tsv"
	command -v bpftool >/dev/null 2>&1 || { log "probe cost: no bpftool, skipped"; return 0; }
	[ -w /proc/sys/kernel/bpf_stats_enabled ] || { log "probe cost: no bpf_stats, skipped"; return 0; }
	STATS_OLD=$(cat /proc/sys/kernel/bpf_stats_enabled)
	echo 1 > /proc/sys/kernel/bpf_stats_enabled
	for _w in tcp_rr udp_small; do
		for _t in bpf full bpftrace; do
			_f=$WORK/pc.$_w.$_t
			log "probe cost: $_w under $_t"
			# the snapshot is taken by the traced command itself, while the tracer is armed
			{
				# shellcheck disable=SC2046
				echo "'$NLBIN/netlat-load' $(workload_args "$_w") > /dev/null"
				echo "bpftool prog show > '$_f.snap' 2>/dev/null"
				# our tracer's own programs: the prog_id of every BPF fd it holds
				echo "cat /proc/\$PPID/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' > '$_f.ids'"
			} > "$_f.sh"
			# a full path: bpftrace -c refuses a name that resolves twice (/bin/sh, /usr/bin/sh)
			under "$_t" "$_f.tr" /bin/sh "$_f.sh" > /dev/null || true
			tool_events "$_t" "$_f.tr" > /dev/null
			awk -v ids="$_f.ids" -v t="$_t" -v w="$_w" -v pt="$WORK/probecost.tsv" '
				BEGIN { while ((getline l < ids) > 0) ours[l] = 1 }
				/^[0-9]+: / { id = $1; sub(":", "", id); name = "?"; rt = 0; rc = 0
					for (i = 2; i < NF; i++) {
						if ($i == "name") name = $(i + 1)
						if ($i == "run_time_ns") rt = $(i + 1)
						if ($i == "run_cnt") rc = $(i + 1)
					}
					if (!(id in ours) || !rc) next
					# ids held by our tracer only; netlat names its programs nl_*
					if ((t != "bpftrace") != (name ~ /^nl_/)) next
					n++; RT += rt; RC += rc
					printf "%s\t%s\t%s\t%d\t%.1f\t%.1f\n", w, t, name, rc, rt / rc, rt / 1e6
				}
				END { printf "%s\t%s\t%d\t%d\t%s\n", w, t, n, RC, RC ? sprintf("%.1f", RT / RC) : "-" >> pt }
			' "$_f.snap" 2>/dev/null | sort -t '	' -k6,6gr >> "$WORK/probecost.progs.tsv"
		done
	done
	echo "$STATS_OLD" > /proc/sys/kernel/bpf_stats_enabled
	STATS_OLD=
}
