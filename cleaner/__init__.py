"""cleaner: strip site chrome from scraped news pages with per-outlet rule packs."""

from __future__ import annotations

import logging

from .document import Document, Removal
from .errors import CleanerError, InputError, PackError
from .packs.loader import load_packs
from .pipeline import Options, clean

__all__ = ["CleanerError", "Document", "InputError", "Options", "PackError", "Removal", "clean", "load_packs"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
