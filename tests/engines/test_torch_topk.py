"""The search's per-row selection (``engines.torch.topk.row_top``): exactly the ``width`` best
of each row under (score descending, column ascending), as a stable full sort gives them."""

from __future__ import annotations

import pytest
import torch

from translate.engines.torch.topk import CHUNK, row_top


def _reference(scores: torch.Tensor, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    values, columns = torch.sort(scores, dim=1, descending=True, stable=True)
    return values[:, :width], columns[:, :width]


def _scores(rows: int, columns: int, levels: int | None, seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    scores = torch.randn(rows, columns, generator=gen)
    if levels is not None:  # few distinct values: ties everywhere, at every cut-off
        scores = (scores * levels).round() / levels
    return scores


CASES = [
    # rows, columns, width, levels
    (3, 32_000, 8, None),
    (5, 31_991, 8, None),  # the last chunk short
    (4, 31_991, 8, 4),  # many ties: the lower column must win each one
    (6, 54_796, 8, 2),
    (2, 4 * CHUNK * 8 + 1, 8, 3),  # just above the chunked path's threshold
    (3, 300, 8, 3),  # below it: one pass over the row
    (2, 8, 8, 2),  # width = columns
    (7, 2_000, 2, None),
]


@pytest.mark.parametrize(("rows", "columns", "width", "levels"), CASES)
def test_matches_a_stable_sort(rows: int, columns: int, width: int, levels: int | None) -> None:
    scores = _scores(rows, columns, levels, seed=columns + width)
    values, ids = row_top(torch, scores, width)
    want_values, want_ids = _reference(scores, width)
    assert torch.equal(ids, want_ids)
    assert torch.equal(values, want_values)


def test_bfloat16_ties_as_the_search_sees_them() -> None:
    """bf16 logits made float32: ties everywhere; the chosen set and order are the sort's."""
    scores = torch.randn(8, 20_000).bfloat16().float() * 4
    values, ids = row_top(torch, scores, 8)
    want_values, want_ids = _reference(scores, 8)
    assert torch.equal(ids, want_ids) and torch.equal(values, want_values)


@pytest.mark.parametrize("columns", [300, 31_991], ids=["one-pass", "chunked"])
def test_rows_with_few_finite_scores(columns: int) -> None:
    """A row at its bound has one finite score (end-of-sentence): it comes first, then -inf
    entries of the lowest columns, none repeated (the short last chunk's padding never shows)."""
    scores = torch.full((3, columns), -torch.inf)
    scores[0, columns - 1] = -1.5  # only the last column, in the short last chunk
    scores[1, 7] = 0.0
    scores[2, columns // 2] = -2.0
    scores[2, columns - 2] = -2.0  # a tie: the lower column first
    values, ids = row_top(torch, scores, 8)
    want_values, want_ids = _reference(scores, 8)
    assert torch.equal(ids, want_ids) and torch.equal(values, want_values)
    for row in ids.tolist():
        assert len(set(row)) == len(row)


def test_negative_zero_ties_with_zero() -> None:
    """-0.0 and 0.0 are equal scores: the lower column ranks first, whichever sign it has."""
    scores = torch.full((1, 50), -5.0)
    scores[0, 9] = 0.0
    scores[0, 4] = -0.0
    _, ids = row_top(torch, scores, 2)
    assert ids.tolist() == [[4, 9]]
