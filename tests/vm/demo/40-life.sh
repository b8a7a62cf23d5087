# Shown by `make demo`: the game of life in the dataflow style, every PE
# exchanging its edges with its eight neighbours by async sends and
# receives (examples/life, Documentation/wse/porting-from-csl.rst); then
# the stencil's dataflow kernel, in fewer cycles than the one above.
echo
echo "\$ life -g 10"
life -g 10
echo
echo "\$ stencil -t 100 -i /usr/share/wse/stencil-df-128x128-8x8.img"
stencil -t 100 -i /usr/share/wse/stencil-df-128x128-8x8.img
