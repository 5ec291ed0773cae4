"""Glossaries: term lists, their files, matching in Indonesian text, and the term rule."""
