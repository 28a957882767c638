# Distribution of one latency histogram: x = latency on a log scale, y = share of samples.
# NAME.dat columns: bucket_lo_s bucket_hi_s count share_pct (one line per non-empty bucket)
set logscale x 10
set format x "%.0s%cs"
set xlabel "latency (log scale)"
set ylabel "share of samples (%)"
set xrange [x_lo:x_hi]
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set grid noxtics mxtics
set mxtics 10
set arrow 1 from p50, graph 0 to p50, graph 1 nohead lw 1.5 dt 2 lc rgb c_p50
set arrow 2 from p90, graph 0 to p90, graph 1 nohead lw 1.5 dt 2 lc rgb c_p90
set arrow 3 from p99, graph 0 to p99, graph 1 nohead lw 1.5 dt 2 lc rgb c_p99
set arrow 4 from p999, graph 0 to p999, graph 1 nohead lw 1.5 dt 2 lc rgb c_p999
set arrow 1 front; set arrow 2 front; set arrow 3 front; set arrow 4 front
# On the HTML page (page = 1) the bars have no border: half the SVG elements, the same picture.
bar_border = page ? "noborder" : "border lc rgb \"#5b88b5\" lw 0.5"
plot datafile using (sqrt($1*$2)):4:1:2:(0):4 with boxxyerror fc rgb "#9ab8d6" fs solid 1.0 @bar_border \
	title sprintf("%d samples, mean %s", samples, fmt_t(mean)), \
     NaN with lines lw 1.5 dt 2 lc rgb c_p50 title "p50   " . fmt_t(p50), \
     NaN with lines lw 1.5 dt 2 lc rgb c_p90 title "p90   " . fmt_t(p90), \
     NaN with lines lw 1.5 dt 2 lc rgb c_p99 title "p99   " . fmt_t(p99), \
     NaN with lines lw 1.5 dt 2 lc rgb c_p999 title "p99.9 " . fmt_t(p999)
