"""The one rule for a term being applied: whole words, nesting, token forms, room."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from translate.terms.count import TokenTerm, count_target, inside, nested, room, token_forms, width


@pytest.mark.parametrize(
    ("inner", "outer", "copies"),
    [
        ("Jakarta", "East Jakarta", 1),
        ("UN", "UN Security Council", 1),
        ("UN", "UNESCO", 0),  # whole words only
        ("Bora", "Bora Bora", 2),
        ("Jakarta", "Jakarta", 0),  # a term is not inside itself
    ],
)
def test_inside(inner: str, outer: str, copies: int) -> None:
    assert inside(inner, outer) == copies


def test_nested_wants_the_inner_target_once_more_per_outer_copy() -> None:
    wanted = Counter({"East Jakarta": 2, "Jakarta": 1, "UN": 1, "UN Security Council": 1})
    assert nested(wanted) == Counter(
        {"East Jakarta": 2, "Jakarta": 3, "UN": 2, "UN Security Council": 1}
    )
    # What the English must then hold, counted the same way: exact.
    english = "East Jakarta met Jakarta and East Jakarta; the UN and the UN Security Council."
    assert {t: count_target(english, t) for t in wanted} == nested(wanted)


def test_room_is_the_longest_form_per_wanted_occurrence() -> None:
    forms = ((1, 2, 3), (4, 5))
    assert width(forms) == 3
    assert room([(forms, 2), (((7,),), 1)]) == 7
    assert room([]) == 0


def test_token_term_spans_count_glued_forms_only_after_an_opener() -> None:
    term = TokenTerm(forms=((10, 11), (12, 11)), glued=(False, True), openers=frozenset({99}))
    assert term.longest == 2
    assert term.spans([10, 11, 5, 12, 11, 99, 12, 11]) == [(0, 2), (6, 8)]
    assert term.at_end([99, 12], 1, 1) and not term.at_end([5, 12], 1, 1)
    assert term.at_end([12], 1, 1)  # at the start of the output: no context needed


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir: Path):  # type: ignore[no-untyped-def]
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(str(tiny_model_dir))


@pytest.mark.parametrize("target", ["Lavrov", "UN Security Council", "East Jakarta", "US"])
def test_token_forms_spell_the_target_after_a_space_or_an_opener(
    tokenizer: object, target: str
) -> None:
    forms = token_forms(tokenizer, target)
    assert forms and len(set(forms)) == len(forms)
    decode = tokenizer.decode  # type: ignore[attr-defined]
    for form in forms:
        assert decode(list(form), skip_special_tokens=True).strip() == target
    # The form after a space comes first; each one is what the tokenizer writes in context.
    plain = tokenizer(text_target=target, add_special_tokens=False)["input_ids"]  # type: ignore[operator]
    assert forms[0] == tuple(plain)
    quoted = tokenizer(text_target=f"({target}", add_special_tokens=False)["input_ids"]  # type: ignore[operator]
    assert any(tuple(quoted[-len(f) :]) == f for f in forms)
