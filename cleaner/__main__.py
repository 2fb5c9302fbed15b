"""`python -m cleaner` is the `cleaner` command."""

from .cli import cleaner_main

cleaner_main()
