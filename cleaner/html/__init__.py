"""The HTML path: selectolax (Lexbor) strips chrome and reads fields; a pack's body selector
or trafilatura gives the article text, which then goes through the same text rules."""
