# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/sim-copy.c's Python side: the best time of a 1 MiB NumPy h2d.

usage: sim-copy.py IMAGE DEVICE REPS   (prints seconds)"""

import sys
import time

import numpy as np

import wse


def main():
    image, device, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    a = np.arange(8 * 8 * 4096, dtype=np.float32).reshape(8, 8, 4096)
    best = 1e9
    with wse.Runtime(image, device=device) as rt:
        for _ in range(reps):
            t = time.perf_counter()
            rt.memcpy_h2d("buf", a, 0, 0, 8, 8, 4096)
            t = time.perf_counter() - t
            best = min(best, t)
    print("%.9f" % best)


if __name__ == "__main__":
    main()
