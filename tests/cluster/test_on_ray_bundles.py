"""How ``cluster.on_ray`` sizes an actor's work: bundles of documents by source tokens.

Pure functions, no Ray: these run everywhere (the Ray runs are in ``test_on_ray.py``).
"""

from __future__ import annotations

import pytest

from translate.cluster.on_ray import CHARACTERS_PER_TOKEN, bundles, estimated_tokens
from translate.formats.readers import read_text


@pytest.mark.parametrize(
    ("sizes", "tokens", "expected"),
    [
        ([], 100, []),
        ([10, 20, 30], 100, [[0, 1, 2]]),
        ([60, 50, 40], 100, [[0], [1, 2]]),
        ([500, 10, 10], 100, [[0], [1, 2]]),  # a long report alone, not split
        ([10, 500, 10], 100, [[0], [1], [2]]),
        ([100, 100], 100, [[0], [1]]),
    ],
)
def test_bundles_are_sized_by_tokens_not_rows(
    sizes: list[int], tokens: int, expected: list[list[int]]
) -> None:
    assert bundles(sizes, tokens) == expected


def test_every_document_is_in_exactly_one_bundle() -> None:
    sizes = [(7 * i) % 300 + 1 for i in range(200)]
    groups = bundles(sizes, 1000)
    assert [i for g in groups for i in g] == list(range(200))
    assert all(sum(sizes[i] for i in g) <= 1000 or len(g) == 1 for g in groups)


def test_tokens_are_estimated_from_the_source_length() -> None:
    text = "Warga Aleppo merayakan kemenangan pasukan pemerintah pada Senin malam. " * 20
    document = read_text(text, "txt", name="x")
    chars = sum(len(b.source) for b in document.blocks)
    assert estimated_tokens(document) == 1 + round(chars / CHARACTERS_PER_TOKEN)
