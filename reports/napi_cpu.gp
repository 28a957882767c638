# NAPI, two panels: polls that used their whole budget per NAPI instance (device), and
# time_squeeze per CPU (/proc/net/softnet_stat: NET_RX stopped with work left).
# NAME.dat block 0 columns: index dev polls budget_exhausted
#          block 1 columns: cpu time_squeeze processed
set multiplot layout 1,2 title chart_title . "\n" . chart_subtitle
set grid noxtics
set key top left
set boxwidth 0.6
set title "Budget-exhausted polls"
set xlabel "NAPI instance (device)"
set ylabel "polls with work >= budget"
if (ndevs > 0) {
	set xrange [-0.6:ndevs - 0.4]
	if (exhausted_max > 0) { set yrange [0:exhausted_max * 1.2] } else { set yrange [0:1] }
	plot datafile index 0 using 1:4:xtic(2) with boxes fc rgb c_p99 title "budget exhausted", \
	     '' index 0 using 1:4:(sprintf("%d of %d polls", $4, $3)) with labels offset 0,0.8 notitle
} else {
	set label 1 "no NAPI polls" at graph 0.5, graph 0.5 center textcolor rgb "#808080"
	set xrange [0:1]; set yrange [0:1]
	plot 2 notitle
	unset label 1
}
set title "time_squeeze"
set xlabel "CPU"
set ylabel "times NET_RX ran out of budget or time"
set xtics 1
if (ncpus > 0) {
	set xrange [-0.6:ncpus - 0.4]
	if (squeeze_max > 0) { set yrange [0:squeeze_max * 1.2] } else { set yrange [0:1] }
	plot datafile index 1 using 1:2 with boxes fc rgb c_p999 title "time_squeeze", \
	     '' index 1 using 1:2:(sprintf("%d", $2)) with labels offset 0,0.8 notitle
} else {
	set label 1 "no softnet_stat rows" at graph 0.5, graph 0.5 center textcolor rgb "#808080"
	set xrange [0:1]; set yrange [0:1]
	plot 2 notitle
}
unset multiplot
