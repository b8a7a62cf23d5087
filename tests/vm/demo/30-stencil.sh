# Shown by `make demo`: Jacobi sweeps of a 5-point stencil with halo
# exchange between neighbouring PEs (examples/stencil,
# Documentation/wse/examples.rst).
echo
echo "\$ stencil -r 128 -c 128 -p 8 -q 8 -t 100"
stencil -r 128 -c 128 -p 8 -q 8 -t 100
