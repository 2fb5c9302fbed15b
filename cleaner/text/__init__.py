"""The text path: a page of normalized lines, rule kinds that remove spans, and extraction."""
