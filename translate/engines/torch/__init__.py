"""The transformers + torch backend: Marian checkpoints and constrained beam search."""
