"""Times SciPy's A @ B on two .npz files, as a whole process (load, multiply, save), for comparison
with `xmr spmm`. Usage: python3 spmm_scipy.py A.npz B.npz C.npz"""
import sys
import time

import scipy.sparse as sp

t0 = time.perf_counter()
a = sp.load_npz(sys.argv[1]).tocsr()
b = sp.load_npz(sys.argv[2]).tocsr()
t1 = time.perf_counter()
c = a @ b
c.sort_indices()
t2 = time.perf_counter()
sp.save_npz(sys.argv[3], c)
t3 = time.perf_counter()
print(f"scipy {sp.__name__}: read {1000*(t1-t0):.0f} ms, multiply {1000*(t2-t1):.0f} ms, write {1000*(t3-t2):.0f} ms, nnz {c.nnz}",
      file=sys.stderr)
