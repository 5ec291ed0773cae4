"""Translation engines: the protocol, the backends (torch, CTranslate2) and model download."""
