"""The CTranslate2 backend: decoding, term repair and checkpoint conversion."""
