"""Two-colouring the signed window graph."""

import numpy as np
from scipy import sparse

from transcription.diarization.stitching import components, two_colour


def chain_graph(windows: int, weak_at: int | None = None) -> sparse.csr_array:
    """Return a call of ``windows`` windows with two local speakers each (nodes 2w, 2w+1).

    Same-speaker links between consecutive windows are strong; at ``weak_at`` the link is
    weak and points the wrong way (as a mis-segmented window would).
    """
    n = 2 * windows
    graph = np.zeros((n, n))
    for w in range(windows):
        graph[2 * w, 2 * w + 1] = -1
        if w + 1 < windows:
            same, cross = (-0.1, 0.1) if w == weak_at else (0.9, -0.8)
            graph[2 * w, 2 * w + 2] = graph[2 * w + 1, 2 * w + 3] = same
            graph[2 * w, 2 * w + 3] = graph[2 * w + 1, 2 * w + 2] = cross
    return sparse.csr_array(graph + graph.T)


def test_every_window_keeps_its_two_speakers_apart_and_in_order():
    labels = two_colour(chain_graph(300))
    assert (labels[0::2] == 0).all() and (labels[1::2] == 1).all()


def test_one_weak_wrong_link_does_not_flip_the_rest_of_the_call():
    graph = chain_graph(300, weak_at=150)
    labels = two_colour(graph)
    # The weak link is outvoted only if both halves keep one colour each: the best the
    # evidence allows is one swap at the weak link, never a scatter of flips.
    first, second = labels[0:302:2], labels[302::2]  # windows 0..150 and 151..
    assert len(set(first)) == 1 and len(set(second)) == 1
    assert (labels[0::2] != labels[1::2]).all()


def test_disconnected_stretches_are_separate_components():
    graph = sparse.block_diag([chain_graph(5), chain_graph(4)]).tocsr()
    comp = components(graph)
    assert len(set(comp[:10])) == 1 and len(set(comp[10:])) == 1 and comp[0] != comp[10]
    assert two_colour(graph).shape == (18,)
    assert two_colour(sparse.csr_array((0, 0))).shape == (0,)
