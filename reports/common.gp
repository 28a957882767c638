# ---- common look of every netlat chart (reports/common.gp) ----
# Set fmt before this point to choose the image: gnuplot -e 'fmt="svg"' NAME.gp
if (!exists("fmt")) fmt = "png"
if (fmt eq "svg") {
	set terminal svg size 900,520 dynamic noenhanced font "DejaVu Sans,12" background rgb "white"
	set output name . ".svg"
} else {
	set terminal pngcairo size 900,520 noenhanced font "DejaVu Sans,10" background rgb "white"
	set output name . ".png"
}
set encoding utf8
set title chart_title . "\n" . chart_subtitle
set border 3 lc rgb "#606060"
set tics nomirror textcolor rgb "#303030"
set grid xtics ytics lc rgb "#e0e0e0" lw 1 lt 1
set key top right opaque box lc rgb "#d0d0d0" samplen 2
set style fill solid 0.85 border -1
set datafile missing "NaN"
# Series colours: blue, orange, red, green, purple (distinct for most colour-blind readers too).
c_p50 = "#3b75af"; c_p90 = "#7f7f7f"; c_p99 = "#ef8636"; c_p999 = "#c53a32"; c_other = "#519e3e"
set linetype 1 lc rgb "#3b75af" lw 2 pt 7 ps 0.7
set linetype 2 lc rgb "#ef8636" lw 2 pt 5 ps 0.7
set linetype 3 lc rgb "#c53a32" lw 2 pt 9 ps 0.8
set linetype 4 lc rgb "#519e3e" lw 2 pt 11 ps 0.8
set linetype 5 lc rgb "#8d69b8" lw 2 pt 13 ps 0.8
set linetype 6 lc rgb "#84584e" lw 2 pt 4 ps 0.8
set linetype 7 lc rgb "#d57dbf" lw 2 pt 6 ps 0.8
set linetype 8 lc rgb "#bcbd45" lw 2 pt 8 ps 0.8
set linetype cycle 8
# Heatmap colours: dark blue through teal and green to yellow (viridis-like, readable in grey).
set palette defined (0 "#440154", 1 "#3b528b", 2 "#21918c", 3 "#5ec962", 4 "#fde725")
# A time in seconds as three significant digits with its unit: 0.00314 -> "3.14ms".
t_exp(x) = x > 0 ? 3 * floor(log10(x * 1.0000001) / 3) : 0
t_man(x) = x > 0 ? x / 10.0**t_exp(x) : 0
fmt_t(x) = x <= 0 ? "0" : gprintf(t_man(x) < 9.995 ? "%.2s%cs" : t_man(x) < 99.95 ? "%.1s%cs" : "%.0s%cs", x)
# ---- the chart ----
