"""Indonesian→English machine translation for newsrooms: aligned, glossary-aware, post-editable.

>>> from translate import Translator  # doctest: +SKIP
>>> Translator().translate_text("Selamat pagi.")  # doctest: +SKIP
"""

from __future__ import annotations

# First: modules imported below read ``translate.__version__`` while this one is loading.
from translate.version import __version__

# isort: split
from translate.document import (
    Block,
    Document,
    Meta,
    Paragraph,
    QAIssue,
    Record,
    Sentence,
    Span,
    Term,
    TranslatedDocument,
)
from translate.errors import (
    InputError,
    ModelLoadError,
    ModelNotFoundError,
    OutputError,
    TranslateError,
    UsageError,
)
from translate.formats.readers import read_file, read_text
from translate.pipeline.spec import TranslatorSpec
from translate.pipeline.translator import DEFAULT, Translator, translate_text
from translate.terms.glossary import Glossary
from translate.terms.suggest import suggest
from translate.terms.values import GlossaryError

__all__ = [
    "DEFAULT",
    "Block",
    "Document",
    "FinetuneSettings",
    "Glossary",
    "GlossaryError",
    "InputError",
    "Meta",
    "ModelLoadError",
    "ModelNotFoundError",
    "OutputError",
    "Paragraph",
    "QAIssue",
    "RayOptions",
    "Record",
    "Sentence",
    "Span",
    "Term",
    "TranslateError",
    "TranslatedDocument",
    "Translator",
    "TranslatorSpec",
    "UsageError",
    "__version__",
    "finetune",
    "read_file",
    "read_text",
    "suggest",
    "translate_dataset",
    "translate_text",
]


def __getattr__(name: str) -> object:
    # The scale-out API is loaded on first use: it sits above the pipeline (which imports
    # this package), and a plain ``import translate`` should not pull it in.
    if name in ("RayOptions", "translate_dataset"):
        from translate.cluster import on_ray

        return getattr(on_ray, name)
    # Fine-tuning, likewise (``translate.training``; torch only once a run starts).
    if name == "finetune":
        from translate.training.run import finetune

        return finetune
    if name == "FinetuneSettings":
        from translate.training.loop import FinetuneSettings

        return FinetuneSettings
    raise AttributeError(f"module 'translate' has no attribute {name!r}")
