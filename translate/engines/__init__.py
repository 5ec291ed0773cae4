"""Translation engines: the shared protocol and batching (``base``), the backends by name
(``registry``; one subpackage each: ``torch``, ``ct2``) and model download."""
