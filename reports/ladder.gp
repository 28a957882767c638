# A path as a ladder: one pair of bars per stage, in path order; p50 and p99 side by side.
# NAME.dat columns: index stage p50_s p99_s count (NaN where a stage saw nothing)
set logscale y 10
set format y "%.0s%cs"
set xlabel "stage (in path order)"
set ylabel "latency per stage (log scale)"
set xrange [-0.6:nstages - 0.4]
set yrange [y_lo:y_hi]
set grid noxtics
set xtics rotate by -25 left
set key top left
bw = 0.38
plot datafile using ($1 - bw/2):(sqrt($3*y_lo)):($1 - bw):($1):(y_lo):3:xtic(2) with boxxyerror fc rgb c_p50 title "p50", \
     '' using ($1 + bw/2):(sqrt($4*y_lo)):($1):($1 + bw):(y_lo):4 with boxxyerror fc rgb c_p99 title "p99", \
     '' using ($1 - bw/2):3:(fmt_t($3)) with labels offset 0,0.7 font ",9" notitle, \
     '' using ($1 + bw/2):4:(fmt_t($4)) with labels offset 0,0.7 font ",9" notitle
