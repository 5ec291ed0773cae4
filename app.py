"""The post-editing workspace: paste or upload an Indonesian article, translate it, then fix and
approve the English row by row. Everything is saved in the store as you go.

Run it with ``translate ui`` (or ``streamlit run app.py``). This file holds layout only; what
it does to documents lives in ``translate.ui.workspace``, ``translate.review.store`` and the
public API.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import streamlit as st

from translate import Glossary, GlossaryError, Paragraph, TranslateError, Translator, __version__
from translate.config import resolve_beams, resolve_device, resolve_model, ui_settings_editable
from translate.document import TranslatedDocument, model_name
from translate.review import qa
from translate.review.edits import can_revert, edit_segment, sentence_editable
from translate.review.memory import Memory
from translate.review.store import EditConflict, Store, revertible
from translate.terms.compose import compose_glossary
from translate.terms.files import FORMATS as GLOSSARY_FORMATS
from translate.training.loop import FinetuneSettings
from translate.ui import access, finetune, workspace

if TYPE_CHECKING:
    from translate.engines.base import Engine

st.set_page_config(page_title="translate · Indonesian → English", layout="wide")

st.markdown(
    """
<style>
.block-container {padding-top: 1.2rem; padding-bottom: 2rem;}
mark.term-ok {background: #d6f5d6; padding: 0 2px; border-radius: 3px;}
mark.term-miss {background: #ffd6d6; padding: 0 2px; border-radius: 3px;}
.src {font-size: 0.92rem; line-height: 1.45;}
.mt {font-size: 0.92rem; line-height: 1.45; color: #444;}
.mt.low {border-left: 3px solid #e8a317; padding-left: 6px;}
.low-badge {font-size: 0.72rem; color: #a86b00;}
.rowid {font-family: monospace; color: #888; font-size: 0.8rem; white-space: nowrap;}
.here {color: #1f5fbf; font-size: 0.8rem;}
[class*="status-"] {white-space: nowrap;}
.kind {font-size: 0.6rem; color: #888; white-space: nowrap; overflow: visible;}
.status-carried {color: #888; font-size: 0.8rem;}
.status-draft {color: #8a6d00;} .status-edited {color: #1f5fbf;} .status-approved {color: #177a2b;}
.effort {font-size: 0.72rem; color: #777;}
</style>
""",
    unsafe_allow_html=True,  # static CSS only; article text never goes through here unescaped
)


# --- access: nothing is shown before the password, when one is configured ---------------------


def _secrets() -> dict[str, Any] | None:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file: Streamlit raises its own error type
        return None


password = access.configured_password(_secrets())
try:
    # Unset or empty means every interface to Streamlit: decided from what it actually binds.
    access.check_listen(st.get_option("server.address"), password)
except TranslateError as exc:
    st.error(f"{str(exc)[0].upper()}{str(exc)[1:]}. Then restart.")
    st.stop()
if password is not None and not st.session_state.get("authenticated"):
    st.title("translate")
    with st.form("login"):
        given = st.text_input("Password", type="password", key="password")
        entered = st.form_submit_button("Enter")
    if entered and access.check_password(given, password):
        st.session_state.authenticated = True
        st.rerun()
    if entered:
        st.error("Wrong password.")
    st.stop()


# --- resources shared by every browser session of this server -------------------------------


@st.cache_resource(show_spinner=False)
def load_engine(model: str, device: str, backend: str | None) -> Engine:
    return workspace.make_engine(model, device, backend)


def warm_up(model: str, device: str, backend: str | None) -> None:
    """Load the engine in the background once a document is open, so that the first
    *Alternatives* or *Re-translate* does not wait for the model to load."""
    threading.Thread(target=load_engine, args=(model, device, backend), daemon=True).start()


@st.cache_resource
def model_lock() -> threading.Lock:
    # One model serves every session; generation is not re-entrant.
    return threading.Lock()


def store() -> Store:
    if "store" not in st.session_state:
        st.session_state.store = Store()
    opened: Store = st.session_state.store
    return opened


try:
    documents = store().list()
except TranslateError as exc:  # a damaged store, or one made by a newer version
    st.error(str(exc))
    st.stop()


# --- session state ------------------------------------------------------------------------------

# The open document is in the URL too, so a reload (or a bookmark) comes back to it.
st.session_state.setdefault("doc_id", st.query_params.get("doc"))
# So is the editor's name, so that history after a reload is still attributed.
st.session_state.setdefault("who", st.query_params.get("who", ""))
st.session_state.setdefault("sentence_view", set())
st.session_state.setdefault("history_view", set())
st.session_state.setdefault("custom_rows", [])  # the editor's own glossary entries
st.session_state.setdefault("alternatives", {})  # paragraph id → [(english, score)]
# paragraph id → (what happened, the editor's refused text or None, its segment): a change
# refused because another window changed the paragraph first.
st.session_state.setdefault("conflicts", {})
# The row the keyboard acts on (Ctrl+Shift+Enter approves it), and a row to focus after this run.
st.session_state.setdefault("current", None)
st.session_state.setdefault("focus", None)
# The open document as QA last checked it, with the revisions it was read at: a click on one
# row reads and rechecks that row only (QA reads text, not status: an approval needs none).
st.session_state.setdefault("checked_doc", None)
st.session_state.setdefault("shown", set())  # the rows on screen: those a click may rerun
st.session_state.setdefault("page", 1)
st.session_state.setdefault("said", {})  # paragraph id → what its last action did
st.session_state.setdefault("failed", {})  # paragraph id → why its last change was not made


def open_document(doc_id: str | None) -> None:
    st.session_state.doc_id = doc_id
    if doc_id:
        st.query_params["doc"] = doc_id
    else:
        st.query_params.pop("doc", None)
    st.session_state.alternatives = {}
    st.session_state.conflicts = {}
    st.session_state.checked_doc = None
    st.session_state.current = st.session_state.focus = None
    st.session_state.page = 1
    st.session_state.glossary_for = None  # the document's own entries are loaded on open
    for key in [k for k in st.session_state if str(k).startswith(("edit:", "sent:", "rev:"))]:
        del st.session_state[key]


def custom_glossary() -> Glossary | None:
    rows = st.session_state.custom_rows
    return workspace.glossary_from_rows(rows) if rows else None


def remember_name() -> None:
    """Keep the editor's name in the URL (this browser's bookmark), not on the server."""
    if st.session_state.who:
        st.query_params["who"] = st.session_state.who
    else:
        st.query_params.pop("who", None)


@st.dialog("My glossary entries", width="large")
def glossary_dialog() -> None:
    st.caption(
        "Source (Indonesian), the English every translation must use, and a note. "
        "Variants: other spellings of the source, separated by |."
    )
    edited_rows = st.data_editor(
        st.session_state.custom_rows or [dict.fromkeys(workspace.GLOSSARY_COLUMNS, "")],
        num_rows="dynamic",
        key="glossary_editor",
        column_order=workspace.GLOSSARY_COLUMNS,
        use_container_width=True,
    )
    if st.button("Apply entries", key="apply_glossary", type="primary"):
        rows = [dict(r) for r in edited_rows]
        try:
            workspace.glossary_from_rows(rows)  # validated like a file
        except GlossaryError as exc:
            for problem in exc.problems:
                st.error(str(problem))
            return
        st.session_state.custom_rows = [r for r in rows if r.get("source")]
        keep_glossary()
        st.rerun()


def session_glossary() -> Glossary | None:
    """The default glossary (if chosen) merged with the editor's own entries."""
    try:
        mine = custom_glossary()
    except GlossaryError as exc:
        st.error(f"Your glossary entries have problems and are not applied: {exc}")
        mine = None
    return compose_glossary(default=st.session_state.get("use_glossary", True), own=mine).glossary


def keep_glossary() -> None:
    """Save the editor's entries with the open document, so a reload brings them back."""
    if st.session_state.doc_id:
        store().set_glossary(st.session_state.doc_id, session_glossary())


def load_own_glossary(doc_id: str) -> None:
    """The editor's own entries of ``doc_id``: what its stored glossary adds to the default."""
    if st.session_state.get("glossary_for") == doc_id:
        return
    st.session_state.glossary_for = doc_id
    default = {tuple(r.values()) for r in workspace.glossary_rows(compose_glossary().glossary)}
    stored = workspace.glossary_rows(store().glossary(doc_id))
    st.session_state.custom_rows = [r for r in stored if tuple(r.values()) not in default]


if st.session_state.doc_id:
    with contextlib.suppress(TranslateError):  # deleted elsewhere: the main part says so
        load_own_glossary(st.session_state.doc_id)


# --- sidebar: fine-tuning on the approved translations (translate.ui.finetune) ----------------


def use_model(folder: str) -> None:
    """Switch the workspace's model field (editable settings) to a fine-tuned folder."""
    st.session_state.model = folder


def finetune_panel() -> None:
    """The *Fine-tune* expander, once the store has enough approved pairs. The run is the
    server's (a background thread): this fragment polls it while it runs."""
    run = finetune.job().state()
    polling = st.session_state.get("finetune_polling", False)
    if polling != (run.state == "running"):
        # Started or finished since the last full run: rerun it, so the polling follows.
        st.session_state.finetune_polling = run.state == "running"
        st.rerun()
    count = finetune.approved_pairs(store().path)
    if count < finetune.MIN_PAIRS and run.state == "idle":
        return
    with st.expander(f"Fine-tune ({count} approved pairs)", expanded=run.state != "idle"):
        if run.state == "running" and run.out is not None:
            p = run.progress
            st.progress(
                p.done / max(p.total, 1) if p else 0.0, text=p.line() if p else "Starting …"
            )
            st.caption(f"Into {run.out.name}. The workspace stays usable meanwhile.")
            return
        if run.state == "failed":
            st.error(run.error)
        if run.state == "done" and run.report is not None and run.out is not None:
            report = run.report
            st.caption(
                f"**{run.out.name}**: {report.steps} steps on {report.train_pairs} pairs; "
                f"scored on {report.heldout_pairs} held out and on the general guard set."
            )
            # Lines, not a table: the sidebar is too narrow for four columns of figures.
            st.markdown(
                "\n".join(
                    f"- **{row['']}**: "
                    + "; ".join(f"{name} {cell}" for name, cell in row.items() if name)
                    for row in finetune.report_rows(report.before, report.after)
                )
            )
            if ui_settings_editable():
                st.button(
                    "Use it in the workspace",
                    key="use_finetuned",
                    on_click=use_model,
                    args=(str(run.out),),
                )
            else:
                st.caption(f"To use it, restart with: translate ui --model {run.out}")
        st.caption(
            "Trains a copy of the model on the approved translations (never drafts); the "
            "model in use is not changed."
        )
        name = st.text_input("New model's name", key="finetune_name", placeholder="default: dated")
        lora = st.checkbox("LoRA adapters (fewer trained weights)", key="finetune_lora")
        epochs = st.number_input("Epochs", 1, 20, 3, key="finetune_epochs")
        if st.button("Start fine-tuning", key="finetune_start"):
            try:
                finetune.job().start(
                    finetune.output_folder(model, name),
                    model=model,
                    store=store().path,
                    settings=FinetuneSettings(
                        epochs=int(epochs), lora=lora, device=resolve_device()
                    ),
                )
            except TranslateError as exc:
                st.error(str(exc))
            else:
                st.session_state.finetune_polling = True
                st.rerun()


# --- sidebar: settings, glossary, documents ----------------------------------------------------

with st.sidebar:
    st.header("translate")
    st.caption(f"Indonesian → English · v{__version__}")
    who = st.text_input("Your name (recorded with approvals)", key="who", on_change=remember_name)
    # The open document's work list goes here, filled once the document is read.
    worklist_slot = st.container()
    backends = workspace.available_backends()
    try:
        beams = resolve_beams()
    except TranslateError as exc:
        st.error(str(exc))
        st.stop()
    model, backend = resolve_model(), workspace.default_backend(backends)
    if ui_settings_editable():
        model = st.text_input("Model (hub id or folder)", value=model, key="model")
        backend = st.selectbox(
            "Engine",
            backends,
            index=backends.index(backend),
            key="backend",
            help="torch: glossary enforced inside the search. ct2: CTranslate2, faster on a CPU "
            "(the model is converted once).",
        )
        beams = st.slider("Beam size", 1, 8, min(beams, 8), key="beams")
    else:
        # They change every editor's results, so they are the operator's (`translate ui`).
        st.caption(
            f"Model **{workspace.escape(model_name(model))}** · engine **{backend}** · "
            f"beams **{beams}**",
            help="Set by whoever runs the server: translate ui --model M --backend B "
            "--beams N (or --allow-settings to let editors change them here).",
        )

    st.subheader("Glossary")
    use_glossary = st.checkbox(
        "Default news glossary",
        value=True,
        key="use_glossary",
        help="Countries, capitals, institutions and offices; every term is enforced in the "
        "decoder and reported as applied or missed.",
    )
    use_memory = st.checkbox(
        "Reuse approved translations (memory)",
        value=True,
        key="use_memory",
        help="Sentences an editor already approved are reused without the model; close "
        "matches (75 % or more) are offered beside each row.",
    )
    upload = st.file_uploader(
        f"Add a glossary ({', '.join(f.upper() for f in GLOSSARY_FORMATS)})",
        type=list(GLOSSARY_FORMATS),
        key="glossary_file",
    )
    if upload is not None and st.session_state.get("glossary_loaded") != upload.file_id:
        try:
            st.session_state.custom_rows = workspace.glossary_rows(
                workspace.glossary_from_upload(upload.name, upload.getvalue())
            ) + list(st.session_state.custom_rows)
            st.session_state.glossary_loaded = upload.file_id
            keep_glossary()
        except TranslateError as exc:
            st.error(str(exc))
    if st.button(
        f"My entries ({len(st.session_state.custom_rows)})",
        key="open_glossary",
        use_container_width=True,
        help="Your own terms: they apply to the next translation and are saved with the "
        "open document.",
    ):
        glossary_dialog()
    st.fragment(
        finetune_panel,
        run_every=2 if st.session_state.get("finetune_polling") else None,
        key="finetune",
    )()
    st.divider()
    st.subheader("Documents")
    if st.button("New article", use_container_width=True, type="primary"):
        open_document(None)
        st.rerun()
    for info in documents[:50]:
        label = f"{info.name or info.id} · {info.approved}/{info.paragraphs} approved"
        if info.translated < info.paragraphs:
            label += f" · {info.translated}/{info.paragraphs} translated"
        cols = st.columns([5, 1])
        if cols[0].button(label, key=f"open-{info.id}", use_container_width=True):
            open_document(info.id)
            st.rerun()
        # Deleting is never one click: the popover asks, naming what goes.
        with cols[1].popover("×", help=f"Delete {info.name}"):
            st.caption(
                f"Delete “{info.name or info.id}” with its edits and history? "
                "This cannot be undone (approved sentences stay in the translation memory)."
            )
            if st.button("Delete for good", key=f"del-{info.id}", type="primary"):
                store().delete(info.id)
                if st.session_state.doc_id == info.id:
                    open_document(None)
                st.rerun()
    st.divider()
    st.caption(
        "Edits are saved when a field commits: click outside it, press Ctrl+Enter, or use a "
        "button. Closing the tab keeps everything saved so far."
    )


def memory() -> Memory:
    if "memory" not in st.session_state:
        st.session_state.memory = Memory(store().path)
    opened: Memory = st.session_state.memory
    return opened


def translator() -> Translator:
    with st.spinner("Loading the translation model …"):
        engine = load_engine(model, resolve_device(), backend)
    return Translator(
        engine=engine,
        beams=beams,
        glossary=session_glossary(),
        memory=memory() if use_memory else None,
    )


def run_translation(doc_id: str) -> None:
    bar = st.progress(0.0, text="Translating …")

    def show(p: workspace.Progress) -> None:
        bar.progress(p.done / max(p.total, 1), text=f"Translated {p.done} of {p.total} paragraphs")

    with model_lock():
        workspace.translate_pending(store(), doc_id, translator(), show)
    bar.empty()


# --- main: a new article ----------------------------------------------------------------------

doc_id = st.session_state.doc_id
if doc_id is None:
    st.title("New article")
    paste_tab, upload_tab = st.tabs(["Paste", "Upload .txt / .md"])
    with paste_tab:
        name = st.text_input("Title (optional)", key="new_name")
        text = st.text_area("Indonesian article", height=260, key="new_text")
        go_paste = st.button("Translate", type="primary", key="go_paste")
    with upload_tab:
        uploaded = st.file_uploader("Article file", type=["txt", "md", "markdown"])
        go_upload = st.button("Translate file", type="primary", key="go_upload")
    if (go_paste and not text.strip()) or (go_upload and uploaded is None):
        st.warning("Paste an article or choose a file first.")
    elif go_paste or go_upload:
        try:
            if go_upload and uploaded is not None:
                document, source = workspace.document_from_upload(
                    uploaded.name, uploaded.getvalue()
                )
            else:
                document, source = workspace.document_from_paste(text, name), text
            if not document.blocks:
                st.warning("The article is empty.")
                st.stop()
            new_id = workspace.create(store(), document, source, translator())
            open_document(new_id)
            run_translation(new_id)
        except TranslateError as exc:
            st.error(str(exc))
            st.stop()
        st.rerun()
    st.stop()


# --- main: an open document -------------------------------------------------------------------

PAGE_SIZE = 25  # rows drawn at once: a long document stays quick to work in
# The parts that show the whole document's state. A click in a row reruns that row alone
# (its fragment) and these follow on their next tick: a keyed rerun of them from the callback
# cost 40-80 ms more per approval and 200-350 ms more per edit (bench/ui_latency.py).
STATUS = ("header", "actions", "worklist", "toolbar")
STATUS_EVERY = 3  # seconds: how soon the header and the work list follow a click in a row
# Keys of the keyboard flow (Streamlit's own button shortcuts). Ctrl+Shift+Enter also commits
# the English field being typed in (a text area commits on Ctrl+Enter), then approves.
KEYS = {
    "approve-next": ("Ctrl+Shift+Enter", "Save the English, approve the row, go to the next one"),
    "next-unapproved": ("Alt+Shift+N", "Next row not approved yet"),
    "next-qa-error": ("Alt+Shift+E", "Next row with a QA error"),
    "next-missed-term": ("Alt+Shift+M", "Next row with a missed glossary term"),
    "next-low-confidence": ("Alt+Shift+L", "Next sentence the model was least sure of"),
}  # fmt: skip
LABELS = {
    "approve-next": "Approve & next",
    "next-unapproved": "Next open",
    "next-qa-error": "Next error",
    "next-missed-term": "Next term",
    "next-low-confidence": "Next unsure",
}
ONE = {
    "qa-error": "QA error",
    "missed-term": "missed glossary term",
    "unapproved": "row not approved",
    "low-confidence": "least confident sentence",
}
NONE_LEFT = {
    "unapproved": "Every row is approved.",
    "qa-error": "No QA errors left.",
    "missed-term": "No missed glossary terms left.",
    "low-confidence": "No unsure sentences left to check.",
}
NEXT = {
    "next-unapproved": "unapproved",
    "next-qa-error": "qa-error",
    "next-missed-term": "missed-term",
    "next-low-confidence": "low-confidence",
}


def qa_inputs(p: Paragraph) -> Paragraph:
    # What the QA checks read of a row: its status and approval are not among them.
    return replace(p, status="draft", qa=(), approved_by="", approved_at="")


def checked_document() -> TranslatedDocument:
    """The open document as stored now, QA-checked. Only paragraphs whose revision moved are
    read again, and QA runs again only when some text changed (an approval changes none)."""
    revisions = store().revisions(doc_id)
    cached = st.session_state.checked_doc
    if cached is not None and cached[0] == doc_id:
        _, known, document = cached
        if known == revisions:
            return document
        moved = [pid for pid, rev in revisions.items() if known.get(pid) != rev]
        if known.keys() == revisions.keys() and len(moved) <= PAGE_SIZE:
            old = {p.id: p for p in document.paragraphs}
            fresh = {pid: store().paragraph(doc_id, pid) for pid in moved}
            # New MT comes with new meta (read in full below); edits and approvals do not.
            if all(fresh[pid].mt == old[pid].mt for pid in moved):
                if all(qa_inputs(fresh[pid]) == qa_inputs(old[pid]) for pid in moved):
                    found = tuple(
                        replace(fresh[p.id], qa=p.qa) if p.id in fresh else p
                        for p in document.paragraphs
                    )
                    document = replace(document, paragraphs=found)
                else:
                    found = tuple(fresh.get(p.id, p) for p in document.paragraphs)
                    document = qa.check_document(replace(document, paragraphs=found))
                st.session_state.checked_doc = (doc_id, revisions, document)
                return document
    document = qa.check_document(store().load(doc_id))
    st.session_state.checked_doc = (doc_id, revisions, document)
    return document


def last_checked() -> TranslatedDocument:
    """The document as QA last checked it in this window (no store read)."""
    cached = st.session_state.checked_doc
    if cached is None or cached[0] != doc_id:
        return checked_document()
    document: TranslatedDocument = cached[2]
    return document


def checked_row(paragraph_id: str) -> Paragraph:
    """One row as stored now, QA-checked: its own checks run again when its text changed;
    the document-wide ones (consistency) wait for the header's check, which runs after the
    row is drawn, so a long document does not slow the row down."""
    p = store().paragraph(doc_id, paragraph_id)
    document = last_checked()
    old = next((x for x in document.paragraphs if x.id == paragraph_id), None)
    if old is not None and qa_inputs(old) == qa_inputs(p):
        return replace(p, qa=old.qa)
    found = tuple(p if x.id == paragraph_id else x for x in document.paragraphs)
    mixed = replace(document, paragraphs=found)
    return qa.check_paragraph(mixed, paragraph_id, document_wide=False)


def order() -> list[str]:
    return [p.id for p in last_checked().paragraphs]


def page_of(paragraph_id: str) -> int:
    ids = order()
    return ids.index(paragraph_id) // PAGE_SIZE + 1 if paragraph_id in ids else 1


try:
    doc = checked_document()
except TranslateError as exc:
    st.error(str(exc))
    open_document(None)
    st.stop()

low = workspace.least_confident(doc)
if "warmed" not in st.session_state:
    st.session_state.warmed = True
    warm_up(model, resolve_device(), backend)


# --- row actions (callbacks run before the rerun, so the fields show the new text) ------------


def editor() -> str:
    # Callbacks run before the script body, so they read the field from the session state.
    return str(st.session_state.get("who", ""))


def redraw(*paragraph_ids: str) -> None:
    """Rerun these rows (those on screen) and the status parts: for the keys and the work
    list, which move from one row to another. A click inside a row needs none of this: it
    reruns its own row (a fragment), and the status parts follow on their next tick."""
    rows = [f"row-{pid}" for pid in dict.fromkeys(paragraph_ids) if pid in st.session_state.shown]
    st.rerun([*rows, *STATUS])


def refresh(paragraph: Paragraph, revision: str | None = None) -> None:
    """Show ``paragraph`` as stored now, and remember the revision this window has seen."""
    st.session_state[f"edit:{doc_id}:{paragraph.id}"] = paragraph.target
    for s in paragraph.sentences:
        st.session_state[f"sent:{doc_id}:{s.id}"] = s.target
    if revision is None:
        revision = store().revisions(doc_id)[paragraph.id]
    st.session_state[f"rev:{doc_id}:{paragraph.id}"] = revision


def write(
    paragraph_id: str,
    change: Callable[[str | None], Paragraph],
    mine: tuple[str, str] | None = None,
) -> None:
    """Make a change based on the revision this window showed; when another window changed
    the paragraph first, show its text instead and keep the editor's (``mine``: segment and
    text) for *Use mine*."""
    try:
        refresh(change(st.session_state.get(f"rev:{doc_id}:{paragraph_id}")))
        st.session_state.conflicts.pop(paragraph_id, None)
    except EditConflict as exc:
        st.session_state.conflicts[paragraph_id] = (str(exc), *(mine or (None, None)))
        refresh(exc.paragraph, exc.revision)
    except TranslateError as exc:
        st.session_state.failed[paragraph_id] = str(exc)  # shown in the row


def save_edit(segment: str, key: str) -> None:
    english = st.session_state[key]
    pid = segment.partition(".")[0]
    write(pid, edit_to(segment, english), (segment, english))
    # Ctrl+Shift+Enter commits the field, then presses Approve & next: that approves this row.
    st.session_state.edited_now = pid


def edit_to(segment: str, english: str) -> Callable[[str | None], Paragraph]:
    """The edit of ``segment`` to ``english``, made on the revision it is given."""
    return lambda seen: store().edit(doc_id, segment, english, editor(), seen=seen)


def set_status(paragraph_id: str, status: str) -> None:
    s = store()
    write(
        paragraph_id, lambda seen: s.set_status(doc_id, paragraph_id, status, editor(), seen=seen)
    )


def revert_to_mt(paragraph_id: str) -> None:
    write(paragraph_id, lambda seen: store().revert(doc_id, paragraph_id, editor(), seen=seen))


def revert_to(segment: str, history_id: int) -> None:
    pid = segment.partition(".")[0]
    write(pid, lambda seen: store().revert_to(doc_id, segment, history_id, editor(), seen=seen))


def take(paragraph_id: str, english: str) -> None:
    write(paragraph_id, edit_to(paragraph_id, english))
    st.session_state.alternatives.pop(paragraph_id, None)


def take_sentence(paragraph: Paragraph, sentence_id: str, english: str) -> None:
    write(paragraph.id, edit_to(edit_segment(paragraph, sentence_id), english))


def use_mine(paragraph_id: str) -> None:
    _, segment, english = st.session_state.conflicts[paragraph_id]
    write(paragraph_id, edit_to(segment, english))


def keep_theirs(paragraph_id: str) -> None:
    st.session_state.conflicts.pop(paragraph_id, None)


def retranslate(paragraph_id: str) -> None:
    with model_lock():
        t = translator()
        store().set_glossary(doc_id, t.glossary)
        done = workspace.retranslate(store(), doc_id, paragraph_id, t)
    refresh(done.paragraph)
    st.session_state.said[paragraph_id] = done.message


def show_alternatives(paragraph_id: str) -> None:
    with model_lock():
        paragraph = store().paragraph(doc_id, paragraph_id)
        st.session_state.alternatives[paragraph_id] = workspace.alternatives(
            translator(), paragraph
        )


def toggle(view: str, paragraph_id: str) -> None:
    st.session_state[view].symmetric_difference_update({paragraph_id})


def go_to(paragraph_id: str, also: tuple[str | None, ...] = ()) -> None:
    """Make ``paragraph_id`` the current row and put the cursor in its English (``also``:
    other rows to draw again, e.g. the one just approved)."""
    before = st.session_state.current
    st.session_state.current = paragraph_id
    st.session_state.focus = (paragraph_id, st.session_state.get("focus_count", 0) + 1)
    st.session_state.focus_count = st.session_state.focus[1]
    page = page_of(paragraph_id)
    if page != st.session_state.page:
        st.session_state.page = page
        return  # another page: the whole page is drawn
    redraw(*[pid for pid in (before, paragraph_id, *also) if pid])


def go_next(kind: str, also: tuple[str | None, ...] = ()) -> None:
    """To the next open item of ``kind`` after the current row (round to the top)."""
    items = workspace.work_list(checked_document())
    rows = list(dict.fromkeys(i.paragraph for i in items if i.kind == kind))
    if not rows:
        st.session_state.notice = NONE_LEFT[kind]
        return
    ids = order()
    here = ids.index(st.session_state.current) if st.session_state.current in ids else -1
    after = [pid for pid in rows if ids.index(pid) > here]
    go_to((after or rows)[0], also)


def approve_next() -> None:
    """Approve the current row (its English as saved: the field commits first), then go to
    the next row not approved yet."""
    previous = st.session_state.current
    pid = st.session_state.pop("edited_now", None) or previous
    st.session_state.current = pid
    if pid is not None:
        set_status(pid, "approved")
        if pid in st.session_state.conflicts:  # not approved: stay on it
            redraw(pid, previous)
    go_next("unapproved", also=(pid, previous))
    redraw(*[x for x in (pid, previous) if x])  # nothing left to go to: the toast says so


def approve_clean(paragraph_ids: list[str]) -> None:
    """Approve the rows listed, those of them still without a QA error (each on the revision
    this window showed, so a row changed elsewhere since is not approved unseen)."""
    still = set(workspace.approvable(checked_document()))
    for pid in paragraph_ids:
        if pid in still:
            set_status(pid, "approved")


# --- the header: counts, what is open, exports (reruns with every row change) ------------------


@st.fragment(key="actions", run_every=STATUS_EVERY)
def actions() -> None:
    """What is still open before publishing, the exports, and a translation to resume."""
    pending = store().pending(doc_id).blocks
    if pending:
        st.warning(f"{len(pending)} paragraphs are not translated yet.")
        if st.button("Resume translation", type="primary"):
            run_translation(doc_id)
            st.rerun()
    exports()


@st.fragment(key="header", run_every=STATUS_EVERY)
def header() -> None:
    """The document's title, counts and effort."""
    d = checked_document()
    st.subheader(d.meta.name or doc_id)
    st.caption(
        f"{workspace.header_line(workspace.counts(d))}  \n"
        f"Post-editing effort: {workspace.document_effort_line(d)} · "
        f"model {model_name(d.meta.model)} ({d.meta.backend}) · beams {d.meta.beams}",
        help=workspace.EFFORT_HELP,
    )
    if d.meta.notes:  # what reading the source repaired or left out
        st.caption("Source: " + "; ".join(d.meta.notes))


def exports() -> None:
    d = checked_document()
    items = workspace.open_items(d)
    allowed = True
    if items:
        st.info("Still open before publishing:\n" + "\n".join(f"- {i}" for i in items))
        allowed = st.checkbox("Export anyway", key="export_anyway")
    st.markdown("**Export**")
    short = {
        "bilingual-html": "Bilingual",
        "html": "HTML",
        "xliff": "XLIFF 1.2",
        "xliff2": "XLIFF 2.0",
    }
    formats = list(workspace.EXPORTS.items())
    s = store()  # the download thread has no session: it gets the store itself

    def current(fmt: str) -> Callable[[], bytes]:
        # Built when the button is pressed, from the store: an export is never stale.
        return lambda: workspace.export(qa.check_document(s.load(doc_id)), fmt)[0]

    for row in (formats[i : i + 3] for i in range(0, len(formats), 3)):
        for col, (fmt, spec) in zip(st.columns(3), row, strict=False):
            col.download_button(
                short.get(fmt, fmt.upper()),
                current(fmt),
                file_name=workspace.export_name(d, fmt),
                mime=spec.media_type,
                help=spec.label,
                key=f"export-{fmt}",
                disabled=not allowed and fmt not in workspace.CAT_EXPORTS,
                use_container_width=True,
                on_click="ignore",
            )


@st.fragment(key="worklist", run_every=STATUS_EVERY)
def work_panel() -> None:
    items = workspace.work_list(checked_document())
    st.markdown(f"**Open items ({len(items)})**")
    if not items:
        st.caption("Nothing open: every row is approved and QA found no error.")
        return
    for kind, label in workspace.WORK_KINDS.items():
        mine = [i for i in items if i.kind == kind]
        if not mine:
            continue
        shown = label if len(mine) != 1 else ONE[kind]
        with st.expander(f"{len(mine)} {shown}", expanded=kind == "qa-error"):
            for n, item in enumerate(mine[:12]):
                st.button(
                    f"{item.where} · {item.label}",
                    key=f"wl-{kind}-{n}",
                    on_click=go_to,
                    args=(item.paragraph,),
                    type="tertiary",
                )
            if len(mine) > 12:
                st.caption(f"… and {len(mine) - 12} more: the keys go through them all")


# --- one row: a fragment, so a click in it redraws it alone ----------------------------------

COLUMNS = [0.62, 4, 4, 4.8, 1.8]


def row(pid: str) -> None:
    st.session_state.pop("edited_now", None)  # it means an edit of this interaction only
    p = checked_row(pid)
    current = st.session_state.current == pid
    box = st.container(border=current, key=f"box-{pid}")
    number, source_col, mt_col, edit_col, status_col = box.columns(COLUMNS)
    # Short enough for the narrow id column ("list_item" would run into the source).
    label = "list" if p.kind == "list_item" else p.kind
    kind = "" if p.kind == "paragraph" else f'<div class="kind" title="{p.kind}">{label}</div>'
    marker = '<div class="here">▶</div>' if current else ""
    number.markdown(f'<div class="rowid">{p.id}</div>{kind}{marker}', unsafe_allow_html=True)
    source_col.markdown(
        f'<div class="src">{workspace.source_html(p)}</div>', unsafe_allow_html=True
    )
    if not p.mt and not p.target:
        mt_col.caption("not translated yet")
        return
    unsure = [s for s in p.sentences if s.id in low]
    mt_col.markdown(
        f'<div class="mt{" low" if unsure else ""}">{workspace.escape(p.mt)}</div>',
        unsafe_allow_html=True,
    )
    if any(s.origin == "memory" for s in p.sentences):
        mt_col.caption("partly from the translation memory (approved earlier)")
    if unsure:
        worst = min(low[s.id] for s in unsure)
        mt_col.markdown(
            f'<span class="low-badge">least confident ({worst:.2f} per token): check here '
            "first</span>",
            unsafe_allow_html=True,
        )
    key = f"edit:{doc_id}:{p.id}"
    revision = store().revisions(doc_id).get(p.id, "")
    if st.session_state.get(f"rev:{doc_id}:{p.id}") != revision:
        # New to this window, or changed by another one since it was shown here.
        refresh(p, revision)
    edit_col.text_area(
        f"English for {p.id}",
        key=key,
        label_visibility="collapsed",
        height="content",  # grows with its text: no scrolling inside the field
        on_change=save_edit,
        args=(p.id, key),
    )
    if p.id in st.session_state.conflicts:
        what, _, mine = st.session_state.conflicts[p.id]
        if mine is None:
            edit_col.warning(f"{what}: your change was not made. This is its English now.")
        else:
            edit_col.warning(f"{what}. Above is its English now; your text is kept below.")
            edit_col.text_area(
                f"Your text for {p.id}", mine, key=f"mine-text-{p.id}", disabled=True
            )
        use, theirs = edit_col.columns(2)
        if mine is not None:
            use.button("Use mine", key=f"mine-{p.id}", on_click=use_mine, args=(p.id,))
        label = "Keep theirs" if mine is not None else "OK"  # nothing of the editor's to keep
        theirs.button(label, key=f"theirs-{p.id}", on_click=keep_theirs, args=(p.id,))
    if p.id in st.session_state.said:  # what the last action on this row did
        edit_col.info(st.session_state.said.pop(p.id))
    if p.id in st.session_state.failed:
        edit_col.error(st.session_state.failed.pop(p.id))
    for severity, lines in workspace.findings(p):
        icon = ":material/error:" if severity == "error" else ":material/warning:"
        edit_col.caption("  \n".join(f"{icon} {severity}: {line}" for line in lines))
    if p.target != p.mt:
        edit_col.caption(
            f"Edited: {workspace.effort_line(p.mt, p.target)}", help=workspace.EFFORT_HELP
        )
    if not p.translated:
        # Nothing went through the model (a credit, a byline): carried over as it is, and
        # not counted among the rows to approve (the header and the gate say the same).
        status_col.markdown(
            '<span class="status-carried">carried over</span>', unsafe_allow_html=True
        )
    else:
        status_col.markdown(
            f'<span class="status-{p.status}">● {p.status}</span>', unsafe_allow_html=True
        )
    if p.translated and p.status != "approved":
        status_col.button(
            "Approve",
            key=f"approve-{p.id}",
            on_click=set_status,
            args=(p.id, "approved"),
            use_container_width=True,
        )
    elif p.translated:
        status_col.button(
            "Reopen",
            key=f"reopen-{p.id}",
            on_click=set_status,
            args=(p.id, "edited"),
            use_container_width=True,
        )
    translated = any(s.origin == "mt" for s in p.sentences)
    with status_col.popover("More", use_container_width=True, key=f"more-{p.id}"):
        if translated:
            st.button("Re-translate", key=f"retranslate-{p.id}", on_click=retranslate, args=(p.id,))
            st.button("Alternatives", key=f"alts-{p.id}", on_click=show_alternatives, args=(p.id,))
        if len(p.sentences) > 1:
            st.button("Sentences", key=f"sv-{p.id}", on_click=toggle, args=("sentence_view", p.id))
        st.button("History", key=f"hist-{p.id}", on_click=toggle, args=("history_view", p.id))
        if can_revert(p):
            st.button("Revert to MT", key=f"revert-{p.id}", on_click=revert_to_mt, args=(p.id,))

    if use_memory and p.status != "approved":
        for s, hit, diff in workspace.memory_matches(memory(), p):
            a, b = box.columns([8, 1])
            a.markdown(
                f'<span class="effort">memory {hit.score:.0f}% · {s.id} · source was: '
                f"{diff}</span><br>{workspace.escape(hit.target)}",
                unsafe_allow_html=True,
            )
            b.button("Use", key=f"tm-{s.id}", on_click=take_sentence, args=(p, s.id, hit.target))

    if p.id in st.session_state.alternatives:
        with box.container(border=True):
            st.caption(f"Alternatives for {p.id}, best first (mean log-probability per token)")
            for i, (english, score) in enumerate(st.session_state.alternatives[p.id]):
                a, b = st.columns([8, 1])
                shown = "" if score is None else f" ({score:.2f})"
                a.markdown(f"{workspace.escape(english)}{shown}", unsafe_allow_html=True)
                b.button("Use", key=f"take-{p.id}-{i}", on_click=take, args=(p.id, english))

    if p.id in st.session_state.history_view:
        with box.container(border=True):
            st.caption(f"History of {p.id}")
            for h in store().history(doc_id, p.id):
                a, b = st.columns([8, 1.2])
                by = f" by {workspace.escape(h.who)}" if h.who else ""
                a.markdown(
                    f"`{h.at[:19].replace('T', ' ')}` **{h.action}**{by} · {h.segment} · "
                    f"{workspace.escape(h.target)}",
                    unsafe_allow_html=True,
                )
                if revertible(h, p):
                    b.button(
                        "Revert to this",
                        key=f"to-{h.id}",
                        on_click=revert_to,
                        args=(h.segment, h.id),
                    )

    if p.id in st.session_state.sentence_view and len(p.sentences) > 1:
        with box.container(border=True):
            if p.segmentation != "sentence":
                st.caption(
                    "This paragraph was edited as a whole (its sentence count changed): "
                    "edit it above."
                )
            for s in p.sentences:
                a, b, c = st.columns([4, 4, 5])
                a.markdown(
                    f'<div class="src">{workspace.escape(s.source)}</div>', unsafe_allow_html=True
                )
                flag = " low" if s.id in low else ""
                b.markdown(
                    f'<div class="mt{flag}">{workspace.escape(s.mt)}</div>',
                    unsafe_allow_html=True,
                )
                skey = f"sent:{doc_id}:{s.id}"  # set with the paragraph's field (refresh)
                c.text_area(
                    f"English for {s.id}",
                    key=skey,
                    label_visibility="collapsed",
                    height="content",
                    on_change=save_edit,
                    args=(s.id, skey),
                    disabled=not sentence_editable(p, s),
                )

    focus = st.session_state.focus
    if focus is not None and focus[0] == pid:
        # Browsers only move the cursor from the page itself; Streamlit has no call for it.
        st.html(
            workspace.focus_script(f"English for {pid}", focus[1]), unsafe_allow_javascript=True
        )
        st.session_state.focus = None


# --- the page, top to bottom ----------------------------------------------------------------

st.session_state.pop("edited_now", None)

with worklist_slot:
    work_panel()

head, side = st.columns([3, 2])
with head:
    header()
with side:
    actions()


def apply_import(accept: list[str]) -> None:
    preview = st.session_state.pop("import_preview")
    try:
        report = workspace.apply_upload(store(), doc_id, preview, accept, editor())
    except TranslateError as exc:
        st.session_state.flash = str(exc)
        return
    # Every imported row shows its new English at once.
    for key in [k for k in st.session_state if str(k).startswith(("rev:", "edit:", "sent:"))]:
        del st.session_state[key]
    left = len(report.conflicts)
    st.session_state.imported = (
        f"Imported {preview.origin.removeprefix('import:')}: {len(report.changed)} changed"
        + (f" ({len(report.overwritten)} over newer work)" if report.overwritten else "")
        + f", {report.unchanged} unchanged"
        + (f", {left} conflicting not applied" if left else "")
        + (f", {len(report.errors)} failed" if report.errors else "")
        + ". Each change is in the row's history."
    )


def cancel_import() -> None:
    st.session_state.pop("import_preview", None)


preview = st.session_state.get("import_preview")
with head.expander(
    "Import from a CAT tool (XLIFF, TMX or JSON)",
    expanded=preview is not None or "imported" in st.session_state,
):
    if "imported" in st.session_state:
        st.success(st.session_state.pop("imported"))
    st.caption(
        "Units are matched by id (p3.s1). You see what would change first; nothing is "
        "written until you apply it. Ids this document does not have are listed, never guessed."
    )
    returned = st.file_uploader(
        "Edited file", type=["xlf", "xliff", "tmx", "json"], key=f"import-{doc_id}"
    )
    if returned is not None and st.button("Preview import", key="do_import"):
        try:
            preview = workspace.preview_upload(store(), doc_id, returned.name, returned.getvalue())
        except TranslateError as exc:
            st.error(str(exc))
        else:
            st.session_state.import_preview = preview
    if preview is not None and preview.doc_id == doc_id:
        n = preview.counts()
        st.markdown(
            f"**{preview.origin.removeprefix('import:')}**: {n['changed']} would change · "
            f"{n['conflict']} conflict with newer work · {n['unchanged']} unchanged · "
            f"{n['unknown']} unknown ids · {n['skipped']} without a translation · "
            f"{n['error']} refused"
        )
        for error in preview.errors:
            st.error(error)
        accept = []
        for unit in preview.having("changed", "conflict", "error", "unknown"):
            with st.container(border=True, key=f"unit-{unit.id}"):
                st.markdown(
                    f"`{unit.id}` **{unit.state}**"
                    + (f" — {workspace.escape(unit.reason)}" if unit.reason else "")
                )
                if unit.state in ("changed", "conflict"):
                    was, comes = st.columns(2)
                    was.caption("Now")
                    was.markdown(workspace.escape(unit.current) or "—")
                    comes.caption("From the file")
                    comes.markdown(workspace.escape(unit.incoming) or "—")
                if unit.warning:
                    st.warning(unit.warning)
                if unit.state == "conflict" and st.checkbox(
                    "Apply the file's English anyway", key=f"accept-{unit.id}"
                ):
                    accept.append(unit.id)
        go, stop = st.columns(2)
        go.button(
            f"Apply {n['changed'] + len(accept)} changes",
            key="apply_import",
            type="primary",
            on_click=apply_import,
            args=(accept,),
            disabled=not n["changed"] and not accept,
        )
        stop.button("Cancel", key="cancel_import", on_click=cancel_import)

with head.expander("Proper nouns in this article that no glossary covers"):
    found = workspace.suggestions(doc, session_glossary())
    if not found:
        st.caption("None.")
    for hint in found:
        a, b = st.columns([6, 1])
        a.markdown(
            f"**{workspace.escape(hint.form)}** · {hint.kind} · ×{hint.count} — "
            f"<span class='effort'>{workspace.escape(hint.context)}</span>",
            unsafe_allow_html=True,
        )
        with b.popover("Add", help="Add to my glossary"):
            english = st.text_input(
                f"English for “{hint.form}”",
                value=getattr(hint, "target", hint.form),
                key=f"suggest-en-{hint.form}",
            )
            if st.button("Add to my glossary", key=f"suggest-{hint.form}", type="primary"):
                st.session_state.custom_rows = [
                    *st.session_state.custom_rows,
                    {"source": hint.form, "target": english.strip() or hint.form,
                     "case_sensitive": True, "variants": "",
                     "note": "name; accepted from suggestions"},
                ]  # fmt: skip
                keep_glossary()
                st.rerun()

if "flash" in st.session_state:
    st.error(st.session_state.pop("flash"))
if "notice" in st.session_state:
    st.toast(st.session_state.pop("notice"))


# The keyboard flow: buttons with Streamlit's own shortcuts, listed in the help popover.
@st.fragment(key="toolbar")
def toolbar() -> None:
    """The keyboard flow: buttons with Streamlit's own shortcuts, the keys in a popover."""
    bar = st.container(horizontal=True, vertical_alignment="center")
    for key, (keys, what) in KEYS.items():
        if key == "approve-next":
            bar.button(
                LABELS[key], key=key, shortcut=keys, help=what, on_click=approve_next,
                type="primary", width="content",
            )  # fmt: skip
        else:
            bar.button(
                LABELS[key], key=key, shortcut=keys, help=what, on_click=go_next,
                args=(NEXT[key],), width="content",
            )  # fmt: skip
    clean = workspace.approvable(last_checked())
    with bar.popover(f"Approve {len(clean)} without errors", disabled=not clean):
        st.caption(
            "These rows have no QA error and will be approved as they are now: " + ", ".join(clean)
        )
        st.button(
            f"Approve these {len(clean)}",
            key="approve-clean",
            on_click=approve_clean,
            args=(clean,),
            type="primary",
        )
    with bar.popover("Keys", key="keys-help"):
        st.markdown(
            "| Key | Does |\n|---|---|\n"
            "| Ctrl+Enter | Save the English you typed (or click outside the field) |\n"
            + "".join(f"| {keys} | {what} |\n" for keys, what in KEYS.values())
            + "\nThe current row (▶, framed) is the one you last edited, approved or went to. "
            "Each button shows its key."
        )


toolbar()

pages = max(1, -(-len(doc.paragraphs) // PAGE_SIZE))
if pages > 1:
    # Unkeyed, so that moving to a row on another page (the work list, the keys) shows it.
    st.session_state.page = st.pagination(pages, default=min(st.session_state.page, pages))
start = (st.session_state.page - 1) * PAGE_SIZE
on_page = doc.paragraphs[start : start + PAGE_SIZE]
if pages > 1:
    st.caption(f"Rows {start + 1}–{start + len(on_page)} of {len(doc.paragraphs)}")
st.session_state.shown = {p.id for p in on_page}

labels = st.columns(COLUMNS)
for col, label in zip(
    labels, ["", "Indonesian", "Machine translation", "English (editable)", "Status"], strict=True
):
    col.markdown(f"**{label}**")
for p in on_page:
    st.fragment(row, key=f"row-{p.id}")(p.id)
