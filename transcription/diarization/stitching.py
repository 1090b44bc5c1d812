"""Link local speakers across overlapping windows into two global speakers.

Each (window, local speaker) that is active becomes a node of a signed graph. Two active
local speakers of one window are different people (negative edge). A local speaker of one
window and one of a later, overlapping window are the same person when their activity over
the shared frames coincides and different people when it does not (edge weight ``2 * IoU - 1``,
scaled by the share of frames the windows have in common). Two-party calls then reduce to
2-colouring the graph: colours spread along its maximum spanning tree (strongest evidence
first), then single nodes flip while that raises the agreement.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, connected_components, minimum_spanning_tree

from transcription.diarization.segmentation import FRAME_STEP, Segmentation

MIN_ACTIVE = 0.2  # seconds a local speaker must speak in a window to become a node
MIN_SHARED = 0.1  # seconds of activity in the shared frames for a linking edge


def nodes_of(seg: Segmentation, onset: float) -> list[tuple[int, int]]:
    """Return the (window, local speaker) pairs active for at least MIN_ACTIVE seconds."""
    active = (seg.scores > onset).sum(axis=1) * FRAME_STEP
    return [(int(w), int(k)) for w, k in zip(*np.nonzero(active >= MIN_ACTIVE), strict=True)]


def signed_graph(seg: Segmentation, nodes: list[tuple[int, int]], onset: float) -> sparse.csr_array:
    """Return the symmetric signed affinity matrix between ``nodes`` (sparse)."""
    index = {node: i for i, node in enumerate(nodes)}
    frames = seg.scores.shape[1]
    edges: dict[tuple[int, int], float] = {}
    by_window: dict[int, list[int]] = {}
    for w, k in nodes:
        by_window.setdefault(w, []).append(k)
    for w, locals_ in by_window.items():
        for a in locals_:
            for b in locals_:
                if a < b:
                    edges[index[(w, a)], index[(w, b)]] = -1.0
        for v in range(w + 1, len(seg.starts)):
            shift = seg.offset(v) - seg.offset(w)
            if shift >= frames:
                break
            for a in locals_:
                pa = seg.scores[w, shift:, a]
                for b in by_window.get(v, []):
                    pb = seg.scores[v, : frames - shift, b]
                    busy = max((pa > onset).sum(), (pb > onset).sum()) * FRAME_STEP
                    if busy < MIN_SHARED:
                        continue
                    iou = np.minimum(pa, pb).sum() / max(np.maximum(pa, pb).sum(), 1e-6)
                    edges[index[(w, a)], index[(v, b)]] = (2 * iou - 1) * (frames - shift) / frames
    n = len(nodes)
    if not edges:
        return sparse.csr_array((n, n))
    rows, cols = np.array(list(edges)).T
    weights = np.fromiter(edges.values(), dtype=np.float64)
    upper = sparse.coo_array((weights, (rows, cols)), shape=(n, n))
    return (upper + upper.T).tocsr()


def two_colour(graph: sparse.csr_array) -> np.ndarray:
    """Return labels in {0, 1} that (locally) maximise the agreement with signed ``graph``.

    Each connected component is coloured on its own; their relative colours are arbitrary.
    """
    labels = np.zeros(graph.shape[0], dtype=int)
    comp = components(graph)
    for c in np.unique(comp):
        members = np.flatnonzero(comp == c)
        labels[members] = _colour_connected(graph[members][:, members].tocsr())
    return labels


def _tree_signs(graph: sparse.csr_array) -> np.ndarray:
    """Return +-1 signs propagated along the maximum spanning tree of ``|graph|``.

    The strongest evidence decides first: each node takes its colour from the edge of
    largest magnitude that reaches it, so one weak link cannot flip a long stretch.
    """
    magnitude = abs(graph).tocsr()
    magnitude.data = -magnitude.data  # minimum spanning tree of negated weights
    tree = minimum_spanning_tree(magnitude)
    tree = (tree + tree.T).tocsr()
    order, predecessors = breadth_first_order(tree, 0, directed=False)
    signs = np.ones(graph.shape[0])
    for node in order[1:]:
        parent = predecessors[node]
        signs[node] = signs[parent] * (1.0 if graph[parent, node] > 0 else -1.0)
    return signs


def _colour_connected(graph: sparse.csr_array) -> np.ndarray:
    """Return {0, 1} labels for one connected signed graph."""
    n = graph.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    signs = _tree_signs(graph)
    indptr, indices, data = graph.indptr, graph.indices, graph.data
    for _ in range(50):
        flipped = False
        for i in range(n):
            lo, hi = indptr[i], indptr[i + 1]
            if signs[i] * (data[lo:hi] @ signs[indices[lo:hi]]) < -1e-9:
                signs[i] = -signs[i]
                flipped = True
        if not flipped:
            break
    if signs[0] < 0:
        signs = -signs
    return (signs < 0).astype(int)


def components(graph: sparse.csr_array) -> np.ndarray:
    """Return the connected-component id of every node (edges are non-zero weights)."""
    if graph.shape[0] == 0:
        return np.zeros(0, dtype=int)
    return connected_components(abs(graph) > 0, directed=False)[1]
