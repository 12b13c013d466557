"""The reference GM-CNN convolution, rebuilt the reference's way, for a cross-framework check.

Usage: python reference_gmconv.py GROUP N T SEED
  GROUP  cyclic | dihedral (the grid is GROUP_N x GROUP_N)
  N      the axis parameter (Z_N, or D_N of order 2N)
  T      the neighbourhood radius
  SEED   torch seed for the random input, weights and bias

Builds the index table as kiryteo/GM-CNN does (utils.py: group elements with their string
forms, string group matrices, their Kronecker product by string concatenation, the
neighbourhood by string concatenation; gmconv.py: the table row of a neighbourhood element is
`np.where(group_matrix.T == element)[1]`), from this file alone: it is never handed the
Rust table. numpy is not in the test environment, so `np.where` over the transposed string
matrix is written as the equivalent row-major scan. Then computes the reference layer,
`einsum('ojk,bikl->bojl', w, x[:, :, 0, index]) + bias`, in float64 and prints one JSON
object: the shapes, x, w, bias and y (flattened, row-major).
"""
import json
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch warns once that numpy is absent; it is not needed
    import torch


class Cyclic:
    """An element k (mod n), as the reference's CyclicGroupElement."""

    def __init__(self, k, n):
        self.k, self.n = k % n, n

    def product(self, other):
        return Cyclic(self.k + other.k, self.n)

    def inverse(self):
        return Cyclic(self.n - self.k, self.n)

    def __str__(self):
        return f"{self.k} (mod {self.n})"


class Dihedral:
    """An element f^f r^r of D_n, as the reference's DihedralElement."""

    def __init__(self, r, f, n):
        self.r, self.f, self.n = r % n, f % 2, n

    def product(self, other):
        if other.f == 0:
            return Dihedral(self.r + other.r, self.f, self.n)
        return Dihedral(self.n - self.r + other.r, 1 - self.f, self.n)

    def inverse(self):
        return Dihedral(-self.r, 0, self.n) if self.f == 0 else Dihedral(self.r, 1, self.n)

    def __str__(self):
        return f"f^{self.f} * r^{self.r}" if self.f else f"r^{self.r}"


def elements(group, n):
    if group == "cyclic":
        return [Cyclic(k, n) for k in range(n)]
    return [Dihedral(r, 0, n) for r in range(n)] + [Dihedral(r, 1, n) for r in range(n)]


def group_matrix(els):
    inverses = [e.inverse() for e in els]
    return [[str(inverses[k].product(els[j])) for j in range(len(els))] for k in range(len(els))]


def kronecker(m1, m2):
    return [[a + b for a in row1 for b in row2] for row1 in m1 for row2 in m2]


def neighbourhood(group, n, t):
    out = []
    for i in range(-t, t + 1):
        if group == "cyclic":
            out.append(str(Cyclic(i, n)))
        else:
            out.append(str(Dihedral(i, 0, n)))
            out.append(str(Dihedral(i, 1, n)))
    return out


def where_transposed(matrix, element):
    """np.where(matrix.T == element)[1]: column indices of the matches, row-major in matrix.T."""
    size = len(matrix)
    return [k for j in range(size) for k in range(size) if matrix[k][j] == element]


def index_table(group, n, t):
    m1 = group_matrix(elements(group, n))
    gm = kronecker(m1, m1)
    nbr = neighbourhood(group, n, t)
    targets = [a + b for a in nbr for b in nbr]
    table = [where_transposed(gm, e) for e in targets]
    assert all(len(row) == len(gm) for row in table), "one match per row"
    return table


def main():
    group, n, t, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    if group not in ("cyclic", "dihedral"):
        sys.exit(f"unknown group {group!r}: cyclic or dihedral")
    index = torch.tensor(index_table(group, n, t), dtype=torch.long)
    k, order = index.shape
    torch.manual_seed(seed)
    batch, cin, cout = 2, 3, 4
    x = torch.randn(batch, cin, 1, order, dtype=torch.float64)
    w = torch.randn(cout, 1, k, dtype=torch.float64)
    bias = torch.randn(cout, dtype=torch.float64)
    y = torch.einsum("ojk,bikl->bojl", w, x[:, :, 0, index]) + bias[None, :, None, None]
    flat = lambda a: a.reshape(-1).tolist()
    print(json.dumps({
        "batch": batch, "in_channels": cin, "out_channels": cout, "kernel": k, "order": order,
        "x": flat(x), "w": flat(w), "bias": flat(bias), "y": flat(y),
    }))


if __name__ == "__main__":
    main()
