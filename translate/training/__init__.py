"""Fine-tuning the Marian model on editors' approved translations (``translate finetune``).

``data`` collects the approved pairs (store or TMX) and holds out some by document; ``loop``
trains (full or LoRA, resumable); ``evaluate`` scores a model before and after; ``report`` is
what a run writes; ``run.finetune`` does it all. torch, transformers and peft are imported
inside the functions that need them: importing this package stays light.
"""

from __future__ import annotations
