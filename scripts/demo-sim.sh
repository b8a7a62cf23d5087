#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo-sim`: the stack's user side on the simulator, in this
# process tree, no QEMU and no VM: GEMV and the stencil (the C examples)
# on sim:8x8, wse-run on the GEMV image with .npy files, and the same
# GEMV as a five-line NumPy session with the wse package. Everything it
# runs comes from build/ (make libwse tools examples).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${B:-$TOP/build}" && pwd) || exit 1
PYTHON=${PYTHON:-/usr/bin/python3}
DEV=${WSE_DEMO_DEVICE:-sim:8x8}
export WSE_DATADIR=$B/vm-extra/usr/share/wse
export PATH=$B:$B/examples:$PATH
export PYTHONPATH=$TOP/python PYTHONDONTWRITEBYTECODE=1
rc=0

step() {
	echo
	echo "\$ $*"
	"$@" || rc=1
}

step gemv -d "$DEV" -m 256 -n 256 -p 8 -q 8
step stencil -d "$DEV" -r 128 -c 128 -p 8 -q 8 -t 100
step wse-run -l "$WSE_DATADIR/gemv-256x256-8x8.img"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/gemv.py" <<'PY'
import os, sys
import numpy as np
import wse

# GEMV as the README shows it: y = A x on 8 x 8 PEs, 32 x 32 of A on each.
A = np.random.default_rng(1).random((256, 256), dtype=np.float32)
x = np.random.default_rng(2).random(256, dtype=np.float32)
with wse.Runtime(os.environ["WSE_DATADIR"] + "/gemv-256x256-8x8.img", device=sys.argv[1]) as rt:
    rt.memcpy_h2d("A", A.reshape(8, 32, 8, 32).transpose(0, 2, 3, 1), 0, 0, 8, 8, 1024)
    rt.memcpy_h2d("x", x, 0, 0, 8, 1, 32)
    cycles = rt.launch("compute").cycles
    y = rt.memcpy_d2h(None, "y", 7, 0, 1, 8, 32).ravel()
ref = A.astype(np.float64) @ x
err = np.abs(y - ref).max() / np.abs(ref).max()
print("python gemv: %d cycles, max relative error %.3g: %s" % (cycles, err, "PASS" if err <= 1e-5 else "FAIL"))
np.save(sys.argv[2] + "/a.npy", np.ascontiguousarray(A.reshape(8, 32, 8, 32).transpose(0, 2, 3, 1)))
np.save(sys.argv[2] + "/x.npy", x.reshape(1, 8, 32))
sys.exit(0 if err <= 1e-5 else 1)
PY
if "$PYTHON" -c "import numpy" 2>/dev/null; then
	cd "$tmp" || exit 1
	echo
	echo "\$ cat gemv.py"
	grep -v '^ref\|^err\|^print\|^np.save\|^sys.exit' gemv.py
	step "$PYTHON" gemv.py "$DEV" .
	step wse-run -d "$DEV" "$WSE_DATADIR/gemv-256x256-8x8.img" --h2d A=a.npy \
		--h2d x@0,0,8,1=x.npy --launch compute --d2h y@7,0,1,8=y.npy
else
	echo
	echo "(no python3-numpy: the Python session and wse-run with .npy files are left out)"
fi
echo
[ $rc -eq 0 ] && echo "demo-sim: PASS" || echo "demo-sim: FAIL"
exit $rc
