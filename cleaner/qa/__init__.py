"""Quality checks: the packs' embedded tests and the invariants every cleaning keeps."""
