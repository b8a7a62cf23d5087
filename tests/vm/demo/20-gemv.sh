# Shown by `make demo`: GEMV, y = A x, on the wafer against a host
# reference (examples/gemv, Documentation/wse/examples.rst). 1024x1024
# needs 32x32 PEs: it runs when the demo mesh is that large
# (WSE_DEMO_MESH=32x32 make demo).
echo
echo "\$ gemv -m 256 -n 256 -p 8 -q 8"
gemv -m 256 -n 256 -p 8 -q 8
rc=$?
mesh=${WSE_EXPECT_MESH:-8x8}
if [ "${mesh%x*}" -ge 32 ] && [ "${mesh#*x}" -ge 32 ]; then
	echo
	echo "\$ gemv -m 1024 -n 1024 -p 32 -q 32"
	gemv -m 1024 -n 1024 -p 32 -q 32 || rc=1
fi
echo
echo "\$ wse-run -l /usr/share/wse/gemv-256x256-8x8.img"
wse-run -l /usr/share/wse/gemv-256x256-8x8.img || rc=1
[ $rc -eq 0 ]
