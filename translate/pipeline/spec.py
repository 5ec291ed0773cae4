"""What builds a ``Translator``, as a value: the settings every translating command takes.

A ``TranslatorSpec`` is small and picklable, so a distributed run ships it to each worker,
which builds its own ``Translator`` (and loads its own model) once; a ``Translator`` itself
holds a loaded model and locks, and never travels.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translate.pipeline.translator import Translator
    from translate.terms.compose import Composition


@dataclass(frozen=True)
class TranslatorSpec:
    """Engine, glossary and memory settings of a translation (argument > ``TRANSLATE_*`` >
    default is resolved when the ``Translator`` is built, on the machine that builds it)."""

    model: str | None = None
    backend: str | None = None
    device: str = "auto"
    beams: int = 4
    glossaries: tuple[Path, ...] = ()
    no_default_glossary: bool = False
    quantize: bool | None = None
    dtype: str | None = None
    full_vocab: bool | None = None
    no_memory: bool = False
    # The glossary already composed, carried by content (``shipped``): then no file is read.
    # Not a command-line option (``metadata``): the CLI builds specs from the others.
    composition: Composition | None = field(default=None, metadata={"option": False})

    def glossary(self) -> Composition:
        """The default glossary (unless ``no_default_glossary``) merged with ``glossaries``,
        or the ``composition`` the spec carries."""
        from translate.terms.compose import compose_glossary

        if self.composition is not None:
            return self.composition
        return compose_glossary(self.glossaries, default=not self.no_default_glossary)

    def shipped(self) -> TranslatorSpec:
        """This spec with its glossary composed here and carried by content, for workers on
        other machines: the glossary files need not be on storage they see, a bad file fails
        once here, and every worker uses the same entries even if a file changes mid-run."""
        return replace(self, composition=self.glossary())

    def build(self, composition: Composition | None = None) -> Translator:
        """A ``Translator`` with these settings (``composition``: the glossary, when the
        caller composed it already, e.g. to report overrides)."""
        from translate.pipeline.translator import Translator

        composed = composition if composition is not None else self.glossary()
        return Translator(
            model=self.model,
            device=self.device,
            backend=self.backend,
            beams=self.beams,
            glossary=composed.glossary,
            memory=None if self.no_memory else True,
            quantize=self.quantize,
            dtype=self.dtype,
            full_vocab=self.full_vocab,
        )
