"""Review: QA checks, post-edits, effort, the store and the translation memory."""
