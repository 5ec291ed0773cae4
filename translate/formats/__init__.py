"""File formats: reading articles, writing translations, publishing and CAT exchange.

``registry`` lists every format (name → ``Format``: extension, media type, reader, writer);
``paths`` says where outputs go. Readers: ``readers`` (txt, md; html and docx through
``markup``). Writers: ``writers`` (txt, json, md; Markdown escaping in ``markdown``),
``publish`` (html, bilingual-html, docx), ``tmx`` and ``xliff`` (translation units and their
XML in ``units``). ``exchange`` imports edited CAT files back into a stored document.
"""
