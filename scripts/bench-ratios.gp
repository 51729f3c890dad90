# scripts/bench-ratios.gp -- figure (c) of docs/bench.md: every case as a
# ratio to Linux in the same emulator, turned so that above 1 always means
# teachos is better (teachos/Linux for a throughput, Linux/teachos for a time).
#
#   gnuplot -e "datafile='D'; outfile='O.png'; ncases=N; ymax=Y; subtitle='S'" scripts/bench-ratios.gp
#
# Optional: heading='H' and ytitle='T' replace the title's first line and
# the y label -- figure (d), the second passes (FFS on md) against tmpfs in
# the same boot, is drawn by this script too.
#
# Written by scripts/bench-report.py, with the data file: one line per case,
#
#   "read 4 KiB" 0.23
#
# Each bar carries its value. The y axis is logarithmic and runs from 1/ymax to ymax, so 2x better and
# 2x worse are bars of the same length either side of the line at 1, and
# each bar starts at 1 (boxxyerror: x, y, x from-to, y from 1 to the ratio).
set terminal pngcairo size (ncases * 34 + 260 < 960 ? 960 : ncases * 34 + 260),640 font ",11" noenhanced
set output outfile
if (!exists("heading")) heading = "teachos against Linux in the same QEMU (above 1: teachos better)"
if (!exists("ytitle")) ytitle = "normalised ratio (teachos/Linux; Linux/teachos for times; log scale)"
set title heading."\n".subtitle
set ylabel ytitle
set xlabel "case (throughput: MB/s or ops/s; time: ns or us per operation)"
set logscale y 2
set yrange [1.0 / ymax:ymax]
set xrange [-0.7:ncases - 0.3]
set xtics rotate by -40 left nomirror
set grid ytics
set style fill solid 0.8 border -1
unset key
plot datafile using 0:2:($0 - 0.35):($0 + 0.35):(1):2:($2 >= 1 ? 0x2ca02c : 0xd62728):xtic(1) \
         with boxxyerror lc rgb variable, \
     1 with lines lc rgb "black" lw 1.5, \
     datafile using 0:($2 >= 1 ? $2 * 1.12 : $2 / 1.12):(sprintf("%.2f", $2)) with labels font ",9"
