# scripts/bench-throughput.gp -- figure (a) of docs/bench.md: throughput
# against I/O size, the MFS paper's figure (McKusick, Karels, Bostic 1990,
# "A Pageable Memory Based Filesystem", whose MFS moved data at about 45% of
# memcpy's speed).
#
#   gnuplot -e "datafile='D'; outfile='O.png'; nseries=N; colours='C...'; \
#               dashes='D...'; line45=Y; line45title='T'; subtitle='S'" \
#           scripts/bench-throughput.gp
#
# (heading='H' replaces the title's first line: figure (b), "MFS as the
# paper measured it", draws its own series with this script.)
#
# Written by scripts/bench-report.py, which also writes the data file: one
# block per series (blocks separated by two blank lines, so `index i` picks
# series i), each block beginning with a header line whose second word is
# the series' title, then one line per I/O size:
#
#   size "teachos tmpfs read"
#   4096 295.0 290.1 301.7        (bytes, median MB/s, min, max over the boots)
#
# The vertical bars are the min-max spread over the boots. line45 is 45% of
# the best median of the two user copies (libc memcpy, fsbench's copy loop)
# and line45title says which copy and size that was; 0 leaves the line out. colours and dashes give
# each series its colour and dash type, word i for block i (the generator
# picks them: the copies black, memcpy solid and the copy loop dashed;
# teachos blue, Linux orange, MFS green, reads solid and writes dashed), so a series that has no data -- MFS, until
# fsbench runs on it -- is simply not there.
set terminal pngcairo size 960,720 font ",11" noenhanced
set output outfile
if (!exists("heading")) heading = "Throughput against I/O size (sequential, one file)"
set title heading."\n".subtitle
set xlabel "I/O size per read(2)/write(2) call (bytes, log scale)"
set ylabel "throughput (MB/s, 10^6 bytes/s)"
set logscale x 2
set xrange [2900:1500000]
set xtics ("4 KiB" 4096, "64 KiB" 65536, "1 MiB" 1048576)
set yrange [0:*]
set grid ytics
set key below Left reverse maxrows 3 width -8 spacing 1.1
set key autotitle columnhead
set bars small
plot for [i=0:nseries-1] datafile index i using 1:2:3:4 with yerrorlines \
         lw 2 lc rgb word(colours, i + 1) dt int(word(dashes, i + 1)) pt 7 ps 0.8 title columnhead(2), \
     (line45 > 0 ? line45 : 1/0) with lines lw 1.5 dt 3 lc rgb "#2ca02c" \
         title line45title
