"""0/1 incidence matrices (forums × people, forums × agencies) and their products, without scipy where they are small.

A small landscape's incidence is a numpy array; a large one's a scipy CSR matrix. The counts are whole numbers either
way, so both give the same figures; importing scipy (and the numpy modules it pulls in) would cost a small command
about a fourteenth of a second, more than all its arithmetic.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DENSE_CELLS", "DENSE_ROWS", "incidence", "gram", "sharing_pairs", "shared_columns", "row_sums",
           "column_sums"]

# Dense up to this many cells and rows: then even the product (rows × rows × columns, through BLAS) is a few
# hundredths of a second at worst, and the arrays a few megabytes.
DENSE_CELLS = 250_000
DENSE_ROWS = 500


def incidence(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], dtype=np.int32):
    """A ``shape`` matrix with a 1 at each (``rows[k]``, ``cols[k]``), repeats counting once: a numpy array when
    small (see ``DENSE_CELLS``), else a scipy CSR matrix (which refuses negative positions, as before)."""
    rows, cols = np.asarray(rows), np.asarray(cols)
    small = shape[0] * shape[1] <= DENSE_CELLS and shape[0] <= DENSE_ROWS
    # Only whole-number positions inside the shape: anything else goes to scipy, which handles or refuses it as
    # it always has.
    if small and _inside(rows, shape[0]) and _inside(cols, shape[1]):
        matrix = np.zeros(shape, dtype=dtype)
        matrix[rows, cols] = 1
        return matrix
    from scipy import sparse

    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=dtype), (rows, cols)), shape=shape)
    matrix.data[:] = 1  # repeats were summed
    return matrix


def _inside(positions: np.ndarray, size: int) -> bool:
    return positions.dtype.kind in "iu" and (not len(positions) or (positions.min() >= 0 and positions.max() < size))


def gram(matrix) -> np.ndarray:
    """``matrix @ matrix.T`` as a numpy array (rows × rows: the columns each pair of rows shares), in ``matrix``'s
    dtype. A small one is multiplied in floating point, exact for whole numbers below 2**53."""
    if isinstance(matrix, np.ndarray):
        values = matrix.astype(np.float64)
        return (values @ values.T).astype(matrix.dtype)
    return (matrix @ matrix.T).toarray()


def sharing_pairs(matrix) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j for every pair of rows sharing a column, as two int64 arrays, in no particular order."""
    if isinstance(matrix, np.ndarray):
        first, second = np.nonzero(np.triu(gram(matrix), k=1))
        return first.astype(np.int64), second.astype(np.int64)
    from scipy import sparse  # the matrix is sparse: scipy is imported already

    shared = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    return shared.row.astype(np.int64), shared.col.astype(np.int64)


def shared_columns(matrix, i: int, j: int) -> np.ndarray:
    """Positions of the columns where rows ``i`` and ``j`` both hold a 1."""
    if isinstance(matrix, np.ndarray):
        return np.flatnonzero(matrix[i] * matrix[j])
    return matrix[i].multiply(matrix[j]).nonzero()[1]


def column_sums(matrix, rows=None) -> np.ndarray:
    """Per column, the sum over ``rows`` (positions; None: every row), as a flat array."""
    part = matrix if rows is None else matrix[rows]
    return np.asarray(part.sum(axis=0)).ravel()


def row_sums(matrix, columns=None) -> np.ndarray:
    """Per row, the sum over ``columns`` (a mask or positions; None: every column), as a flat array."""
    part = matrix if columns is None else matrix[:, columns]
    return np.asarray(part.sum(axis=1)).ravel()
