# Heatmap: x = time (one column per interval), y = latency bucket (quarter octaves, log scale),
# colour = samples in that interval and bucket (log scale); blank = none.
# Boxes rather than "with image": image needs a regular grid of at least 2x2 points, and a
# one-interval recording, a short last interval or a log axis would break it.
# NAME.dat columns: t_start_s t_end_s bucket_lo_s bucket_hi_s count (non-empty cells only)
set logscale y 10
set format y "%.0s%cs"
set xlabel "time since start (s)"
set ylabel "latency (log scale)"
set xrange [0:t_end]
set yrange [y_lo:y_hi]
set logscale cb 10
set cbrange [1:cb_hi]
set cblabel "samples"
set grid front
unset key
plot datafile using (($1+$2)/2):(sqrt($3*$4)):1:2:3:4:5 with boxxyerror fs solid 1.0 noborder lc palette notitle
