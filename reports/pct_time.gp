# Percentiles per interval: x = time since the recording started, y = latency (log scale).
# NAME.dat columns: t_start_s t_end_s p50_s p99_s p999_s count (NaN where an interval saw nothing)
set logscale y 10
set format y "%.0s%cs"
set xlabel "time since start (s)"
set ylabel "latency (log scale)"
set xrange [0:t_end]
set yrange [y_lo:y_hi]
set key top left
plot datafile using (($1+$2)/2):5 with linespoints lt 3 title "p99.9", \
     '' using (($1+$2)/2):4 with linespoints lt 2 title "p99", \
     '' using (($1+$2)/2):3 with linespoints lt 1 title "p50"
