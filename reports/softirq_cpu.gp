# softirq per CPU, two panels: time spent in the NET_RX handler, and raise-to-run delay.
# NAME.dat columns: cpu net_rx_time_s raise_delay_p50_s raise_delay_p99_s entries
set multiplot layout 1,2 title chart_title . "\n" . chart_subtitle
unset title
set xlabel "CPU"
set xrange [-0.6:ncpus - 0.4]
set xtics 1
set grid noxtics
set key top left
set boxwidth 0.6
bw = 0.38
# Left: NET_RX handler time summed over the recording (softirq_entry -> softirq_exit).
set title "NET_RX handler time"
set ylabel "time in NET_RX"
set format y "%.0s%cs"
if (time_max > 0) { set yrange [0:time_max * 1.15] } else { set yrange [0:1e-3] }
plot datafile using 1:2 with boxes fc rgb c_p50 title "handler time", \
     '' using 1:2:(fmt_t($2)) with labels offset 0,0.7 notitle
# Right: how long a raised NET_RX waited to run (softirq_raise -> softirq_entry).
set title "NET_RX raise-to-run delay"
set ylabel "delay (log scale)"
set logscale y 10
set yrange [y_lo:y_hi]
plot datafile using ($1 - bw/2):(sqrt($3*y_lo)):($1 - bw):($1):(y_lo):3 with boxxyerror fc rgb c_p50 title "p50", \
     '' using ($1 + bw/2):(sqrt($4*y_lo)):($1):($1 + bw):(y_lo):4 with boxxyerror fc rgb c_p99 title "p99"
unset multiplot
