"""napkinXC's prediction file ('label:score ...' per test row) -> a SciPy CSR .npz that `xmr evaluate` reads.
Usage: /usr/bin/python3 nxc_to_npz.py PRED.txt ROWS LABELS OUT.npz"""
import sys

import numpy as np
import scipy.sparse as sp


def main():
    path, rows, labels, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    indptr, indices, data = [0], [], []
    with open(path) as f:
        for line in f:
            for pair in line.split():
                label, score = pair.split(":")
                indices.append(int(label))
                data.append(float(score))
            indptr.append(len(indices))
    if len(indptr) - 1 != rows:
        sys.exit(f"{path}: {len(indptr) - 1} prediction rows, expected {rows}")
    m = sp.csr_matrix((np.array(data, np.float32), np.array(indices, np.int32), np.array(indptr, np.int64)), shape=(rows, labels))
    sp.save_npz(out, m, compressed=False)


if __name__ == "__main__":
    main()
