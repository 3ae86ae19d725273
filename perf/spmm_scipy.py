"""Times SciPy's A @ B on two .npz files, as a whole process (load, multiply, save), for comparison
with `xmr spmm`. Usage: python3 spmm_scipy.py A.npz B.npz C.npz [--no-compress] [--unsorted]
--no-compress saves with save_npz(compressed=False) (as `xmr spmm --no-compress`); --unsorted leaves the
product's rows as SciPy's multiply emits them (xmr's rows are always sorted, which sort_indices() gives SciPy).
Each stage is reported as wall ms, CPU ms (user + system) and minor page faults, as `xmr spmm` reports its own."""
import resource
import sys
import time

import scipy.sparse as sp

args = [a for a in sys.argv[1:] if not a.startswith("--")]
compressed = "--no-compress" not in sys.argv
sort = "--unsorted" not in sys.argv


def now():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), r.ru_utime + r.ru_stime, r.ru_minflt


def stage(name, start):
    end = now()
    return f"{name} {1000 * (end[0] - start[0]):.0f} ms (cpu {1000 * (end[1] - start[1]):.0f} ms, {end[2] - start[2]:,} page faults)"


t = now()
a = sp.load_npz(args[0]).tocsr()
b = sp.load_npz(args[1]).tocsr()
read = stage("read", t)
t = now()
c = a @ b
if sort:
    c.sort_indices()
multiply = stage("multiply" + (" + sort_indices" if sort else ""), t)
t = now()
sp.save_npz(args[2], c, compressed=compressed)
write = stage("write", t)
print(f"scipy stages: {read}; {multiply}; {write}; nnz {c.nnz}", file=sys.stderr)
