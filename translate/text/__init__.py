"""Text: repairing and normalising the source, and splitting it into sentences."""
