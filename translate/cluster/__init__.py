"""Scale-out: the same batch translation on a Ray cluster (``translate batch --engine ray``).

Nothing here is imported unless a run asks for Ray; the ``[ray]`` extra installs it.
"""
