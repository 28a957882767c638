# A derived ratio per interval, one line per row (device): x = time since start, y = the ratio.
# NAME.dat: one block per row (blocks separated by two blank lines, in the order of `rows`),
# columns t_start_s t_end_s ratio numerator denominator (NaN where the denominator was 0)
set xlabel "time since start (s)"
set ylabel ratio_label
set xrange [0:t_end]
set yrange [0:y_hi]
set key below
plot for [i=1:nrows] datafile index (i-1) using (($1+$2)/2):3 with linespoints lt i title word(rows, i)
