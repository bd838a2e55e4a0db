"""How a run is carried out: the concurrency plan (``parallel``) and the progress lines (``progress``)."""
