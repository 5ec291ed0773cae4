"""The engine backends by name: what each one is, accepts, and how it loads.

Each backend is a subpackage of ``translate.engines`` whose ``__init__`` calls
``register_backend`` (light: heavy imports stay inside the loader), so adding one is one new
package. Another package may register one too. The CLI's ``--backend`` and option choices,
the workspace's engine menu and the validation of ``TRANSLATE_BACKEND`` all come from here.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from translate.config import DEFAULT_BACKEND, resolve_backend
from translate.engines.base import Engine
from translate.errors import UsageError


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Backend:
    """One engine backend.

    ``load(model, device, batch_tokens=..., **options)`` returns a loaded ``Engine``;
    ``options`` maps each option it accepts beyond those to its choices (``()`` for a flag);
    ``refusals`` says, per option of another backend, why this one needs no such option;
    ``available`` tells whether its libraries are installed (without importing them).
    """

    name: str
    description: str
    load: Callable[..., Engine]
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    refusals: Mapping[str, str] = field(default_factory=dict)
    available: Callable[[], bool] = _always


_BACKENDS: dict[str, Backend] = {}
_discovered = False


def register_backend(backend: Backend) -> Backend:
    """Add (or replace) ``backend`` under its name; returns it."""
    _BACKENDS[backend.name] = backend
    return backend


def _discover() -> None:
    """Import every backend subpackage of ``translate.engines`` once: they register there."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    import translate.engines as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.ispkg:
            importlib.import_module(f"{package.__name__}.{module.name}")


def backends() -> list[Backend]:
    """Every registered backend, the default first."""
    _discover()
    return sorted(_BACKENDS.values(), key=lambda b: b.name != DEFAULT_BACKEND)


def backend_names() -> list[str]:
    """The names of ``backends()``, the default first."""
    return [b.name for b in backends()]


def get_backend(name: str) -> Backend:
    """The backend called ``name``; a usage error that lists the others if there is none."""
    _discover()
    found = _BACKENDS.get(name)
    if found is None:
        raise UsageError(f"unknown backend {name!r}: use one of {', '.join(backend_names())}")
    return found


def choices(option: str) -> tuple[str, ...]:
    """The values an option takes, over every backend that accepts it (in order, once)."""
    out: dict[str, None] = {}
    for backend in backends():
        out.update(dict.fromkeys(backend.options.get(option, ())))
    return tuple(out)


def _given(value: Any) -> bool:
    # None, False and "auto" are what every caller passes for "not asked for".
    return value is not None and value is not False and value != "auto"


def check_options(name: str, *, known: bool = True, **options: Any) -> Backend | None:
    """The backend ``name``, after refusing an option it does not accept (before any model
    loads): ``--quantize is for the torch backend; …``.

    ``known=False`` (an engine object passed in): a name no backend registered is let be,
    and None returned.
    """
    if not known and name not in {b.name for b in backends()}:
        return None
    backend = get_backend(name)
    for option, value in options.items():
        if option in backend.options or not _given(value):
            continue
        owners = [b.name for b in backends() if option in b.options]
        why = backend.refusals.get(option, f"{backend.name} does not take it")
        flag = "--" + option.replace("_", "-")
        raise UsageError(f"{flag} is for the {', '.join(owners) or 'no'} backend; {why}")
    return backend


def load_engine(
    model: str | os.PathLike[str] | None = None,
    device: str = "auto",
    backend: str | None = None,
    *,
    batch_tokens: int | None = None,
    **options: Any,
) -> Engine:
    """The engine for ``backend`` (argument > ``TRANSLATE_BACKEND`` > torch), loaded now.

    ``options`` are the backend's own (torch: ``quantize``, ``dtype``; ct2: ``quantization``;
    both: ``full_vocab``); one meant for another backend is a usage error.
    """
    chosen = get_backend(resolve_backend(backend))
    check_options(chosen.name, **options)
    accepted = {k: v for k, v in options.items() if k in chosen.options}
    return chosen.load(model, device, batch_tokens=batch_tokens, **accepted)
