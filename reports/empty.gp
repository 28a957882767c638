# A chart with nothing to draw: the metric saw no events in this recording.
unset key
unset tics
unset border
unset grid
set xrange [0:1]
set yrange [0:1]
set label 1 "no events" at graph 0.5, graph 0.5 center font ",20" textcolor rgb "#808080"
set label 2 empty_why at graph 0.5, graph 0.4 center textcolor rgb "#a0a0a0"
plot 2 notitle
