"""The pipeline: ``Translator`` (plan → engine → assemble) and resumable batch runs."""
