"""``finetune``: from approved pairs to a new Marian folder and its before/after report.

The steps: collect the approved pairs (store or TMX) and refuse too few; hold out about 10 %
by document; score the base model; train (``loop.Trainer``, resumable); save a plain Marian
folder (LoRA merged) with its tokenizer; score it, loaded from that folder like any model; write
the report into it. The folder appears complete or not at all: everything is built in a hidden
work folder beside it (``.NAME.finetune/``, which also holds the checkpoint) and renamed at
the end. The base model is only ever read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from translate.config import resolve_model, store_path
from translate.document import model_name
from translate.engines.base import local_checkpoint
from translate.errors import OutputError, UsageError
from translate.files import write_atomic
from translate.training import data
from translate.training.evaluate import Evaluation, score, translations
from translate.training.loop import (
    FinetuneSettings,
    Phase,
    Progress,
    Trainer,
    checkpoint_fingerprint,
    encode,
    plan_steps,
    reference_logprob,
    require_peft,
    weights_sha256,
)
from translate.training.report import REPORT, FinetuneReport
from translate.version import __version__

if TYPE_CHECKING:
    from translate.terms.glossary import Glossary

CHECKPOINT = "checkpoint.pt"


def work_folder(out: str | os.PathLike[str]) -> Path:
    """Where a run into ``out`` keeps its checkpoint and builds the folder: ``.NAME.finetune``."""
    dest = Path(out).expanduser()
    return dest.parent / f".{dest.name}.finetune"


def finetune(
    out: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    tm: Sequence[str | os.PathLike[str]] = (),
    store: str | os.PathLike[str] | bool | None = None,
    settings: FinetuneSettings | None = None,
    glossary: Glossary | Literal["default"] | None = "default",
    guard: bool = True,
    force: bool = False,
    resume: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> FinetuneReport:
    """Fine-tune ``model`` (hub id or folder; default ``$TRANSLATE_MODEL``) on approved pairs
    and save it as a Marian folder ``out``; return the report (also ``out/finetune-report.json``).

    The pairs come from the store's translation memory (``store``: True for the default
    store, or its path) or from TMX files (``tm``), not both. ``glossary``: for the term
    accuracy (``"default"``: the bundled one). ``guard``: also score the out-of-domain guard
    set. An existing ``out`` is refused unless ``force``; an interrupted run continues from
    its checkpoint with ``resume``. Raises ``TooFewPairsError`` below 200 approved pairs.
    """
    started = time.perf_counter()
    settings = settings or FinetuneSettings()
    settings.check()
    if settings.lora:
        require_peft()  # before minutes of scoring the base model
    pairs, source = _collect(tm, store)
    data.require_enough(pairs, source)
    base_id = resolve_model(model)
    dest = Path(out).expanduser()
    work = work_folder(dest)
    checkpoint = work / CHECKPOINT
    _guard_folders(base_id, dest, work, checkpoint, force=force, resume=resume)
    held = data.split(pairs, settings.valid_fraction, settings.seed)
    glossary = _glossary(glossary)

    from translate.engines.torch.engine import MarianEngine, load_marian

    tokenizer, base, device = load_marian(base_id, settings.device)
    base_sha = weights_sha256(base)
    train_encoded, train_kept = encode(tokenizer, held.train, settings.max_length)
    heldout_encoded, heldout_kept = encode(tokenizer, held.heldout, settings.max_length)
    heldout = [held.heldout[i] for i in heldout_kept]
    guard_pairs = data.guard_pairs() if guard else []
    guard_encoded, _ = encode(tokenizer, guard_pairs, 10**6)
    if not len(train_encoded):
        raise UsageError(f"every training pair is over {settings.max_length} tokens long")

    def evaluate(folder: str, scorer: Any, phase: Phase) -> Evaluation:
        engine = MarianEngine(folder, device)
        total = len(heldout) + len(guard_pairs)

        def tell(offset: int) -> Callable[[int], None] | None:
            if progress is None:
                return None
            return lambda done: progress(Progress(phase, offset + done, total))

        sets = []
        for offset, pairs_, encoded in (
            (0, heldout, heldout_encoded),
            (len(heldout), guard_pairs, guard_encoded),
        ):
            english = translations(engine, pairs_, settings.beams, tell(offset))
            logprob = reference_logprob(scorer, encoded, device, settings.batch_tokens)
            sets.append(score(pairs_, english, logprob, glossary))
        return Evaluation(sets[0], sets[1] if guard_pairs else None)

    before = evaluate(base_id, base, "evaluate-base")
    data_sha = data.data_sha256(pairs)
    trainer = Trainer(base, device, settings)
    fingerprint = checkpoint_fingerprint(
        data=data_sha, base=base_sha, settings=settings.fingerprint()
    )
    steps = plan_steps(train_encoded, settings)
    trained = trainer.run(
        train_encoded, steps, checkpoint, fingerprint, resume=resume, progress=progress
    )
    tuned = trainer.merged()
    staging = work / "model"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        tuned.save_pretrained(str(staging))
        tokenizer.save_pretrained(str(staging))
    except OSError as exc:
        raise OutputError(f"{staging}: cannot write the model ({exc})") from None
    after = evaluate(str(staging), tuned, "evaluate-tuned")
    train_documents, heldout_documents = held.documents
    report = FinetuneReport(
        output=str(dest),
        base_model=model_name(base_id),
        base_sha256=base_sha,
        model_sha256=weights_sha256(tuned),
        data_source=source,
        data_sha256=data_sha,
        pairs=len(pairs),
        train_pairs=len(train_encoded),
        heldout_pairs=len(heldout),
        train_documents=train_documents,
        heldout_documents=heldout_documents,
        skipped_long=len(held.train) - len(train_kept) + len(held.heldout) - len(heldout_kept),
        settings=settings,
        learning_rate=settings.learning_rate,
        device=device,
        precision=trainer.precision,
        steps=trained.steps,
        resumed_from=trained.resumed_from,
        train_loss=round(trained.loss, 4),
        samples_per_s=round(trained.samples_per_s, 2),
        duration_s=round(time.perf_counter() - started, 1),
        before=before,
        after=after,
        glossary_sha256=glossary.sha256 if glossary is not None else None,
        version=__version__,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    write_atomic(staging / REPORT, report.to_json())
    _publish(staging, dest)
    shutil.rmtree(work, ignore_errors=True)
    return report


def _collect(
    tm: Sequence[str | os.PathLike[str]], store: str | os.PathLike[str] | bool | None
) -> tuple[list[data.Pair], str]:
    """The approved pairs and where they come from (for messages and the report)."""
    from_store = store is not None and store is not False
    if bool(tm) == from_store:
        raise UsageError("give the pairs either from the store (--from-store) or as --tm FILE…")
    if from_store:
        path = store_path(None if store is True else store)  # type: ignore[arg-type]
        if not path.is_file():
            raise UsageError(f"there is no store at {path}: approve translations first")
        return data.from_store(path), f"the store's translation memory ({path.name})"
    names = ", ".join(Path(p).name for p in tm)
    return data.from_tmx(tm), f"TMX ({names})"


def _guard_folders(
    base_id: str, dest: Path, work: Path, checkpoint: Path, *, force: bool, resume: bool
) -> None:
    """Refuse what would overwrite the base or a model, or lose an interrupted run."""
    if force and resume:
        raise UsageError("--force starts over and --resume continues: give one of them")
    base = local_checkpoint(base_id)
    if base is not None and dest.resolve() == base.resolve():
        raise UsageError(f"{dest} is the base model: choose another --out (the base is only read)")
    if dest.exists() and not force:
        raise UsageError(f"{dest} exists: choose another --out, or --force to replace it")
    if force:
        shutil.rmtree(work, ignore_errors=True)
    elif not resume and checkpoint.exists():
        raise UsageError(
            f"an interrupted run left a checkpoint in {work}: add --resume to continue it, "
            "or --force to start over"
        )


def _glossary(glossary: Glossary | Literal["default"] | None) -> Glossary | None:
    if glossary == "default":
        from translate.terms.compose import compose_glossary

        return compose_glossary().glossary
    return glossary


def _publish(staging: Path, dest: Path) -> None:
    """Rename the finished folder into place; a model already there (``force``) goes last."""
    old = None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
            dest.rename(old / "replaced")
        staging.rename(dest)
    except OSError as exc:
        raise OutputError(f"{dest}: cannot put the fine-tuned model there ({exc})") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
