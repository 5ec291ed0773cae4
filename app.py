"""The post-editing workspace: paste or upload an Indonesian article, translate it, then fix and
approve the English row by row. Everything is saved in the store as you go.

Run it with ``translate ui`` (or ``streamlit run app.py``). This file holds layout only; what
it does to documents lives in ``translate.workspace`` and ``translate.store``.
"""

from __future__ import annotations

import os
import threading

import streamlit as st

from translate import DEFAULT, TranslateError, Translator, __version__, workspace
from translate.config import resolve_model
from translate.store import Store

st.set_page_config(page_title="translate · Indonesian → English", layout="wide")

st.markdown(
    """
<style>
.block-container {padding-top: 1.2rem; padding-bottom: 2rem;}
mark.term-ok {background: #d6f5d6; padding: 0 2px; border-radius: 3px;}
mark.term-miss {background: #ffd6d6; padding: 0 2px; border-radius: 3px;}
.src {font-size: 0.92rem; line-height: 1.45;}
.mt {font-size: 0.92rem; line-height: 1.45; color: #444;}
.rowid {font-family: monospace; color: #888; font-size: 0.8rem;}
.kind {font-size: 0.72rem; color: #888; text-transform: uppercase; letter-spacing: .04em;}
.status-draft {color: #8a6d00;} .status-edited {color: #1f5fbf;} .status-approved {color: #177a2b;}
</style>
""",
    unsafe_allow_html=True,  # static CSS only; article text never goes through here unescaped
)


# --- resources shared by every browser session of this server -------------------------------


@st.cache_resource(show_spinner="Loading the translation model …")
def load_engine(model: str, device: str) -> object:
    return workspace.make_engine(model, device)


@st.cache_resource
def model_lock() -> threading.Lock:
    # One model serves every session; generation is not re-entrant.
    return threading.Lock()


def store() -> Store:
    if "store" not in st.session_state:
        st.session_state.store = Store()
    return st.session_state.store


# --- session state ------------------------------------------------------------------------------

# The open document is in the URL too, so a reload (or a bookmark) comes back to it.
st.session_state.setdefault("doc_id", st.query_params.get("doc"))
st.session_state.setdefault("sentence_view", set())


def open_document(doc_id: str | None) -> None:
    st.session_state.doc_id = doc_id
    if doc_id:
        st.query_params["doc"] = doc_id
    else:
        st.query_params.clear()
    for key in [k for k in st.session_state if str(k).startswith(("edit:", "sent:"))]:
        del st.session_state[key]


# --- sidebar: settings and documents -----------------------------------------------------------

with st.sidebar:
    st.header("translate")
    st.caption(f"Indonesian → English · v{__version__}")
    model = st.text_input("Model (hub id or folder)", value=resolve_model(), key="model")
    beams = st.slider("Beam size", 1, 8, 4, key="beams")
    use_glossary = st.checkbox(
        "Apply the default news glossary",
        value=True,
        key="use_glossary",
        help="Countries, capitals, institutions and offices: enforced in the decoder.",
    )
    st.divider()
    st.subheader("Documents")
    documents = store().list()
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
        if cols[1].button("×", key=f"del-{info.id}", help=f"Delete {info.name}"):
            store().delete(info.id)
            if st.session_state.doc_id == info.id:
                open_document(None)
            st.rerun()
    st.divider()
    st.caption(
        "Edits are saved when a field commits: click outside it, press Ctrl+Enter, or use a "
        "button. Closing the tab keeps everything saved so far."
    )


def translator() -> Translator:
    engine = load_engine(model, os.environ.get("TRANSLATE_DEVICE", "auto"))
    return Translator(
        engine=engine,  # type: ignore[arg-type]
        beams=beams,
        glossary=DEFAULT if use_glossary else None,
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
    paste, upload = st.tabs(["Paste", "Upload .txt / .md"])
    with paste:
        name = st.text_input("Title (optional)", key="new_name")
        text = st.text_area("Indonesian article", height=260, key="new_text")
        go_paste = st.button("Translate", type="primary", key="go_paste")
    with upload:
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

try:
    doc = store().load(doc_id)
except TranslateError as exc:
    st.error(str(exc))
    open_document(None)
    st.stop()

pending = store().pending(doc_id).blocks
counts = workspace.counts(doc)
head, actions = st.columns([3, 2])
with head:
    st.subheader(doc.meta.name or doc_id)
    st.caption(
        f"{len(doc.paragraphs)} paragraphs · {counts['approved']} approved · "
        f"{counts['edited']} edited · {counts['draft']} draft · "
        f"{counts['missed']} glossary terms missed · "
        f"model {os.path.basename(doc.meta.model.rstrip('/'))} · beams {doc.meta.beams}"
    )
with actions:
    if pending:
        st.warning(f"{len(pending)} paragraphs are not translated yet.")
        if st.button("Resume translation", type="primary"):
            run_translation(doc_id)
            st.rerun()
    export_cols = st.columns([1.2] + [1] * len(workspace.EXPORTS))
    export_cols[0].markdown("**Export**")
    for col, (fmt, (label, _, _)) in zip(export_cols[1:], workspace.EXPORTS.items(), strict=True):
        data, mime, filename = workspace.export(doc, fmt)
        col.download_button(
            fmt.upper(), data, file_name=filename, mime=mime, help=label, key=f"export:{fmt}"
        )


def save_edit(doc_id: str, segment: str, key: str) -> None:
    try:
        store().edit(doc_id, segment, st.session_state[key])
    except TranslateError as exc:
        st.session_state.flash = str(exc)


def set_status(doc_id: str, paragraph_id: str, status: str) -> None:
    store().set_status(doc_id, paragraph_id, status)


def toggle_sentences(paragraph_id: str) -> None:
    view = st.session_state.sentence_view
    view.symmetric_difference_update({paragraph_id})


if "flash" in st.session_state:
    st.error(st.session_state.pop("flash"))

COLUMNS = [0.55, 4, 4, 4.8, 1.8]
labels = st.columns(COLUMNS)
for col, label in zip(
    labels, ["", "Indonesian", "Machine translation", "English (editable)", "Status"], strict=True
):
    col.markdown(f"**{label}**")

for p in doc.paragraphs:
    st.markdown('<hr style="margin:0.2rem 0 0.4rem 0">', unsafe_allow_html=True)
    number, source_col, mt_col, edit_col, status_col = st.columns(COLUMNS)
    kind = "" if p.kind == "paragraph" else f'<div class="kind">{p.kind.replace("_", " ")}</div>'
    number.markdown(f'<div class="rowid">{p.id}</div>{kind}', unsafe_allow_html=True)
    source_col.markdown(
        f'<div class="src">{workspace.source_html(p)}</div>', unsafe_allow_html=True
    )
    if not p.mt and not p.target:
        mt_col.caption("not translated yet")
        continue
    mt_col.markdown(f'<div class="mt">{workspace.escape(p.mt)}</div>', unsafe_allow_html=True)
    key = f"edit:{doc_id}:{p.id}"
    if key not in st.session_state:
        st.session_state[key] = p.target
    edit_col.text_area(
        f"English for {p.id}",
        key=key,
        label_visibility="collapsed",
        height=max(68, min(220, 24 * (len(p.target) // 70 + 2))),
        on_change=save_edit,
        args=(doc_id, p.id, key),
    )
    for line in workspace.warnings(p):
        edit_col.caption(f"⚠️ {line}")
    status_col.markdown(
        f'<span class="status-{p.status}">● {p.status}</span>', unsafe_allow_html=True
    )
    if p.status != "approved":
        status_col.button(
            "Approve",
            key=f"approve-{p.id}",
            on_click=set_status,
            args=(doc_id, p.id, "approved"),
            use_container_width=True,
        )
    else:
        status_col.button(
            "Reopen",
            key=f"reopen-{p.id}",
            on_click=set_status,
            args=(doc_id, p.id, "edited"),
            use_container_width=True,
        )
    if len(p.sentences) > 1:
        status_col.button(
            "Sentences",
            key=f"sv-{p.id}",
            on_click=toggle_sentences,
            args=(p.id,),
            use_container_width=True,
            help="Show and edit this paragraph sentence by sentence",
        )
    if p.id in st.session_state.sentence_view and len(p.sentences) > 1:
        with st.container(border=True):
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
                b.markdown(
                    f'<div class="mt">{workspace.escape(s.mt)}</div>', unsafe_allow_html=True
                )
                skey = f"sent:{doc_id}:{s.id}"
                if skey not in st.session_state:
                    st.session_state[skey] = s.target
                c.text_input(
                    f"English for {s.id}",
                    key=skey,
                    label_visibility="collapsed",
                    on_change=save_edit,
                    args=(doc_id, s.id, skey),
                    disabled=p.segmentation != "sentence" or s.origin in ("copy", "rule"),
                )
