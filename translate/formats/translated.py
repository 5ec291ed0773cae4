"""Reading a translated document (the contract JSON) back from a file."""

from __future__ import annotations

import os
from pathlib import Path

from translate.document import TranslatedDocument, load_json
from translate.formats.readers import decode, read_bytes


def read_translated(path: str | os.PathLike[str]) -> TranslatedDocument:
    """The ``TranslatedDocument`` in a contract JSON file (``--format json``, an export).

    Every problem is one ``InputError`` naming the file: unreadable, too large, not UTF-8,
    not JSON, or against the contract (``ContractError``, with the path of the field).
    """
    p = Path(path)
    return load_json(decode(read_bytes(p), str(p)), str(p))
