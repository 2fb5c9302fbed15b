"""cleaner: strip site chrome from scraped news pages with per-outlet rule packs."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from .batch import RecordOptions, StreamFields, clean_many, clean_record
from .document import Document, Removal
from .errors import BadArgument, CleanerError, InputError, OutputError, PackError, PageTimeout, PathConflict
from .packs.loader import load_packs
from .pipeline import Options, clean

__all__ = [
    "BadArgument",
    "CleanerError",
    "Document",
    "InputError",
    "Options",
    "OutputError",
    "PackError",
    "PageTimeout",
    "PathConflict",
    "RecordOptions",
    "Removal",
    "StreamFields",
    "__version__",
    "clean",
    "clean_many",
    "clean_record",
    "load_packs",
]

try:
    __version__ = version("news-cleaner")
except PackageNotFoundError:  # run from a checkout that was not installed
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())
