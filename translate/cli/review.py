"""``translate qa``, ``import``, ``tm`` and ``store``: check, exchange and keep translations."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.common import cli, exit_for, handle_errors
from translate.errors import UsageError


@cli.command("qa")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the checked document as JSON.")
def qa_command(path: Path, as_json: bool) -> None:
    """Run the QA checks on a translation (contract JSON, e.g. edited by hand).

    One line per finding: paragraph or sentence, severity, check, message. Exit code 1 when
    errors remain.

    \b
    Example:
        translate qa berita.en.json
    """
    from translate.formats.translated import read_translated
    from translate.formats.writers import to_json
    from translate.pipeline.outcome import Outcome, qa_counts
    from translate.review.qa import check_document, summary

    with handle_errors():
        document = read_translated(path)
        checked = check_document(document)
        if as_json:
            click.echo(to_json(checked), nl=False)
        for p in checked.paragraphs:
            for q in p.qa:
                click.echo(f"{q.sentence or p.id}\t{q.severity}\t{q.check}\t{q.message}")
        counts = summary(checked)
        errors, warnings = qa_counts(checked)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v and "." in k)
        click.echo(f"{errors} errors, {warnings} warnings" + (f" ({detail})" if detail else ""),
                   err=True)  # fmt: skip
        exit_for(Outcome(qa_errors=errors))


@cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--document", "doc_id", required=True, help="Id of the stored document.")
@click.option("--who", default="", help="Name recorded in the history of each edit.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Apply conflicting units too (they undo newer edits or withdraw approvals).",
)
def import_(path: Path, doc_id: str, who: str, overwrite: bool) -> None:
    """Bring an edited XLIFF, TMX or JSON file back into a stored document.

    Units are matched by id (p3.s1); changed targets become edits, recorded in the history
    as coming from import:FILE; ids the document does not have are reported, never guessed.

    A unit conflicts when it would undo newer work in the store: the file has English the
    unit had before (it was exported before an edit, a revert or another import), the
    paragraph is approved, or an editor changed the English in the store. Conflicting units
    are not applied and each is listed on stderr with its reason ("conflict: p1.s1: ...");
    --overwrite applies them ("overwritten: ..."). A paragraph changed while the import
    runs is never overwritten.

    Exit code 1 when a unit failed or a conflict was left unapplied (unknown ids and units
    without a translation are only reported); 2 for a file that cannot be read; else 0.

    \b
    Example:
        translate import berita.edited.xlf --document d-1a2b3c4d5e6f --who Dewi
        translate import berita.edited.xlf --document d-1a2b3c4d5e6f --overwrite
    """
    from translate.formats.exchange import apply_import, preview_import
    from translate.pipeline.outcome import Outcome
    from translate.review.store import Store

    with handle_errors(), Store() as store:
        preview = preview_import(store, doc_id, path)
        report = apply_import(store, preview, overwrite=overwrite, who=who)
        reasons = {u.id: u.reason for u in preview.units}
        for unit in report.unknown:
            click.echo(f"unknown unit {unit}: not in {doc_id}, ignored", err=True)
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        for conflict in report.conflicts:
            click.echo(f"conflict: {conflict.id}: {conflict.reason}", err=True)
        for unit in report.overwritten:
            click.echo(f"overwritten: {unit}: {reasons[unit]}", err=True)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if report.conflicts and not overwrite:
            click.echo(
                f"{len(report.conflicts)} conflicting units not applied: check them in the "
                "workspace, or import again with --overwrite",
                err=True,
            )
        overwritten = f" ({len(report.overwritten)} overwritten)" if report.overwritten else ""
        click.echo(
            f"{len(report.changed)} changed{overwritten}, {report.unchanged} unchanged, "
            f"{len(report.unknown)} unknown, {len(report.conflicts)} conflicting, "
            f"{len(report.errors)} failed"
        )
        exit_for(Outcome(failed=len(report.errors) + len(report.conflicts)))


@cli.group()
def tm() -> None:
    """Translation memory: approved sentence pairs, reused across articles.

    \b
    Example:
        translate tm import agency-memory.tmx
        translate tm export backup.tmx
    """


@tm.command("import")
@click.argument("path", type=click.Path(path_type=Path))
def tm_import(path: Path) -> None:
    """Seed the translation memory from a TMX file (Indonesian → English pairs).

    \b
    Example:
        translate tm import agency-memory.tmx
    """
    from translate.formats.exchange import read_tmx_pairs
    from translate.review.memory import Memory, MemoryEntry

    with handle_errors(), Memory() as memory:
        pairs = read_tmx_pairs(path)
        added = memory.add_many(MemoryEntry(s, t, path.name) for s, t in pairs)
        click.echo(f"{len(pairs)} pairs read, {added} added or updated; {len(memory)} in memory")


@tm.command("export")
@click.argument("path", type=click.Path(path_type=Path))
def tm_export(path: Path) -> None:
    """Write the whole translation memory to a TMX file.

    \b
    Example:
        translate tm export backup.tmx
    """
    from translate.files import write_atomic
    from translate.formats.tmx import pairs_to_tmx
    from translate.review.memory import Memory

    with handle_errors(), Memory() as memory:
        pairs = memory.pairs()
        write_atomic(path, pairs_to_tmx((p.source, p.target, p.updated) for p in pairs))
        click.echo(f"{len(pairs)} pairs written to {path}")


@cli.group()
def store() -> None:
    """Check and back up the store (documents, edits, history, translation memory).

    \b
    Example:
        translate store check
        translate store backup ~/backups/store-$(date +%F).sqlite
    """


@store.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def store_check(path: Path | None) -> None:
    """Check the store file (default: $TRANSLATE_STORE, else $TRANSLATE_HOME/store.sqlite).

    Runs SQLite's integrity check and counts what the store holds. Exit code 2 when it is
    damaged, with what to do.

    \b
    Example:
        translate store check
    """
    from translate.config import store_path
    from translate.review.database import SCHEMA_VERSION, UnusableStoreError, check_file

    with handle_errors():
        target = store_path(path)
        if not target.is_file():
            raise UsageError(f"{target}: no such store")
        found = check_file(target)
        readable = ", ".join(
            f"{n} {what}" if n is not None else f"{what} unreadable"
            for what, n in found.counts.items()
        )
        if found.ok:
            newer = found.schema is not None and found.schema > SCHEMA_VERSION
            note = " (made by a newer version)" if newer else ""
            click.echo(f"{target}: ok, schema {found.schema}{note}: {readable}")
            return
        for problem in found.problems:
            click.echo(f"{target}: {problem}")
        click.echo(f"{target}: readable: {readable or 'nothing'}")
        raise UnusableStoreError(
            f"{target}: damaged ({len(found.problems)} problem(s) listed above); restore it "
            "from a backup (`translate store backup` makes one), or move it aside: a new "
            "store is made on the next use"
        )


@store.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def store_backup(dest: Path) -> None:
    """Copy the store to DEST, consistently even while the workspace writes to it.

    \b
    Example:
        translate store backup ~/backups/store.sqlite
    """
    from translate.review.store import Store

    with handle_errors(), Store() as opened:
        written = opened.backup(dest)
        click.echo(f"Backed up {opened.path} to {written}")
