"""Every tunable number of the engine in one place (vocabulary lives in `rules/`).

A change here changes outputs: say so in the commit, and bump the packs whose output moves."""

from __future__ import annotations

# -- reading ----------------------------------------------------------------------------------
MAX_PAGE_BYTES = 64 * 1024 * 1024  # a page (after decompression) larger than this is refused
MAX_RECORD_BYTES = MAX_PAGE_BYTES + 1024 * 1024  # one JSON line of a stream: the page plus its fields
READ_CHUNK = 1 << 16  # bytes per read() call on files, pipes and streams

# -- decoding ---------------------------------------------------------------------------------
# A page whose UTF-8 breaks in a few places is still UTF-8: it is decoded with U+FFFD for the
# bad bytes (and a warning) when its valid multi-byte characters outnumber the bad bytes by this.
UTF8_VALID_PER_INVALID = 4
# UTF-16 without a byte-order mark: this share of the sniffed code units has a NUL high byte.
UTF16_NUL_SHARE = 0.3
# Bytes that never occur in text (NUL, C0 controls): more than this share of the head is binary.
BINARY_SHARE = 1 / 200
SNIFF_BYTES = 8192

# -- HTML -------------------------------------------------------------------------------------
# The HTML parser's time grows with the square of the nesting depth (100,000 nested <div>
# take minutes). Real pages stay under 600 open tags deep (the public benchmark's deepest);
# a deeper page is read as text without its markup, with a warning.
MAX_HTML_DEPTH = 2000
# A page of at most this many tags parses in under 0.1 s however it nests (10,000 nested <div>
# take 0.06 s): its depth is read from the parsed tree. A larger page is scanned before parsing.
PARSE_SAFE_TAGS = 10_000
# Above this many characters of HTML, trafilatura's tree work takes minutes: the page's text
# is taken whole and the text heuristics (_generic's line model) find the article instead.
LARGE_HTML = 4_000_000
# A strip selector never removes an element holding more than this share of the page's text
# (and this many characters): class-name selectors ([class*=related]) can match a whole
# article's wrapper.
MAX_STRIP_SHARE = 0.3
HTML_STRIP_KEEP_CHARS = 500
# The audit of what the extractor left out: a block whose first this many characters are in the
# extract was kept; a removal shows this much of its text.
HTML_AUDIT_PROBE = 60
HTML_AUDIT_WINDOW = 2000  # ... looked for this many characters ahead of the last block found
HTML_AUDIT_STEP = 20  # a block this long, once found, moves the place the next is looked for
HTML_AUDIT_SEARCHES = 200  # blocks looked for in the whole extract (out of order), a page at most
HTML_AUDIT_CHARS = 200
HTML_BODY_MIN_CHARS = 80  # a pack's body selector that gives less text than this is no article
HTML_BLOCK_SHARE = 0.6  # block elements hold less of an element's text than this: read it line by line
# The main block (html/blocks.py): an element whose own text (outside links) has at least this
# many characters is running text; the block is the element none of whose children holds this
# share of its running text; a page with less running text than this has none (the extractor
# sees it whole).
HTML_PROSE_CHARS = 25
HTML_MAIN_SHARE = 0.9
HTML_MAIN_FLOOR = 0.8  # and the block keeps this share of the page's running text, however deep
HTML_MAIN_MIN_PROSE = 300
# An `outside` element (a comment thread, a consent dialog) that holds one of these is a wrapper
# of the article whose class matched (`<div class="cookies-ok">`): its text still counts.
HTML_ARTICLE_MARKERS = "h1, main, article, [itemprop=articleBody]"
# The block model (html/score.py): a block it scores within this many log-odds of even is one it
# is unsure of; it decides the main block alone when such blocks, with the text outside any
# block, hold at most this share of the block's text (else trafilatura reads the block, once).
HTML_MODEL_MARGIN = 1.5
HTML_MODEL_UNSURE = 0.15
# ... and when it keeps at least this share of the main block's running text (blocks of this
# many characters and more): the block was placed by that text.
HTML_MODEL_MIN_KEPT = 0.5
HTML_PROSE_BLOCK_CHARS = 80
# trafilatura's extract of the main block that is one paragraph holding this share of the block's
# text, of a block of several text blocks, is its last-resort dump (the whole `<article>` as one
# text), not an article it found: the block's lines go to the text heuristics instead.
HTML_DUMP_SHARE = 0.8
# Words of class and id names, in groups: a block under an element whose class or id holds one
# (split at every non-letter: `share-bar` holds `share`) gets its group's feature. The model
# (rules/models/blocks.json) is trained with these groups: change them, retrain it.
HTML_CLASS_GROUPS = {
    "share": "share social sharing follow",
    "related": "related recommend recommended more read also similar trending popular teaser",
    "ad": "ad ads advert advertisement promo sponsor sponsored banner dfp",
    "newsletter": "newsletter subscribe signup subscription",
    "consent": "cookie cookies consent gdpr privacy",
    "overlay": "modal popup overlay dialog lightbox",
    "hidden": "hidden sr invisible visually offscreen",
    "paywall": "paywall premium login register",
    "comment": "comment comments disqus reply",
    "caption": "caption credit photo image img gallery media figure",
    "meta": "byline author meta date time published dateline info",
    "tag": "tag tags topic topics category categories keywords",
    "nav": "breadcrumb breadcrumbs nav menu pagination",
    "footer": "footer bottom copyright",
    "side": "sidebar widget rail aside",
    "body": "content body article text story post entry main",
}
FIELD_MAX_CHARS = 200  # a guessed field (html.guess) longer than this is a paragraph, not an author

# -- time -------------------------------------------------------------------------------------
REGEX_TIMEOUT = 1.0  # seconds per regex call; a pattern that exceeds it is skipped for that page
PAGE_TIMEOUT = 60.0  # seconds one page may take in a batch or stream (--page-timeout)
# A worker stuck in C code past its page's limit is killed this many seconds after it.
KILL_GRACE = 2.0
# A worker that died (killed, out of memory) is replaced, and its page tried again this often.
PAGE_RETRIES = 1
SHUTDOWN_SECONDS = 5.0  # on ^C or SIGTERM, workers that do not stop by then are killed

# -- the match plan (packs/plan.py): one Hyperscan scan a page for every pattern ----------------
# A repeat is rewritten as at most this many times, or as unbounded: the database stays small
# (wide bounded repeats over Unicode make it grow fast) and it still matches a superset.
PLAN_MAX_REPEAT = 4
PLAN_CACHE_FILES = 8  # databases kept on disk (the newest), one per set of packs loaded
MEMO_ENTRIES = 5000  # patterns' literal prefilters kept on disk (packs/cache.py)

# -- template drift (clean --compare, cleaner report compare) ----------------------------------
DRIFT_MIN_PAGES = 5  # a pack is compared only with at least this many pages in both runs
DRIFT_MIN_RATE = 0.2  # a rule that fired on at least this share of its pack's pages before...
DRIFT_RATE_DROP = 0.5  # ...is flagged when its fire rate falls by more than this share of itself
DRIFT_FALLBACK_RISE = 0.1  # a pack's fallback rate rose by more than this (absolute)
DRIFT_KEPT_SHIFT = 0.1  # the median kept share moved by more than this (absolute)

# -- language ---------------------------------------------------------------------------------
LANGUAGE_SAMPLE_CHARS = 800  # the page's longest lines, up to this many characters, are read
LANGUAGE_MIN_LETTERS = 40  # fewer letters than this in the sample: the language is not told

# -- the title finder of pages of unknown outlets (text/heuristics.py) ---------------------------
TITLE_MIN_CHARS = 15  # a line above a dateline is a title when this long...
TITLE_MAX_CHARS = 200  # ...and no longer than this (as any title line)
SLUG_RECALL = 0.7  # a line holding this share of the URL slug's words is the title
SLUG_PRECISION = 0.8  # ...or one that is this much slug, with at least SLUG_MIN_WORDS of its words,
SLUG_MIN_WORDS = 4  # when the slug has a prefix the title lacks ("russia-ukraine-war-")
SLUG_PREFIXED_RECALL = 0.5
REPEATED_TITLE_MIN_CHARS = 20  # a body line this long may be the headline cut before the site's name

# -- span rules (drop kind `span`) ------------------------------------------------------------
SPAN_FRAGMENT_WORDS = 6  # a hit that leaves at most this many words of its sentence takes it whole
SPAN_LABEL_WORDS = 3  # ...when it opens the sentence, after at most a label this long (`Editor's note:`)

# -- the article-line policy of pages of unknown outlets (text/lines.py, features.py, classify.py) -
# The one article-line policy (text/lines.py): how long a sentence-ending line must be to be
# paragraph-like, by what is asked (a line this long, or LONG_LINE, whatever its end).
PARAGRAPH_MIN_CHARS = {
    "article": 25,  # prose of an unknown outlet's page: the line model, learn's article span
    "extract": 40,  # a line the HTML path takes back from the fuller extract
    "rule": 50,  # the default of `from` and `frame` rules' `min_chars`
    "template": 60,  # a line repeated across a batch is template only when shorter
}
LONG_SENTENCE = 80  # a sentence this long is never dropped by a heuristic, only by an explicit marker
LONG_LINE = 150  # a line this long is article text whatever its end (a lead often has no period)
ARTICLE_MIN_CHARS = PARAGRAPH_MIN_CHARS["article"]
ARTICLE_MAX_GAP = 20  # other lines that may stand between two paragraphs of one run (a dump of text
# nodes writes a paragraph cut at its links as several lines)
ARTICLE_LONG_LINE = 150  # a line this long is article-like whatever its end
ARTICLE_FRAGMENT_CHARS = 60  # a line this short that continues a kept sentence is part of it
ARTICLE_UNSPACED_WEIGHT = 2  # a character of Chinese, Japanese, Thai counts as this many more
ARTICLE_FUNCTION_CHAR_SCALE = 2.5  # function characters per character, scaled to a word share
ARTICLE_MIN_LINES = 3  # a page of fewer lines than this has no frame: it stays whole
ARTICLE_MIN_HEAD = 3  # fewer lines than this above the main run are no frame: they stay
ARTICLE_MIN_TAIL = 2  # fewer lines than this below the main run are no frame: they stay
ARTICLE_GUARD_SHARE = 0.3  # the model kept less than this share of the main run's prose: it all stays
ARTICLE_WARN_SHARE = 0.2  # kept less than this share of the sentence-like text: a warning

# -- cleaner learn (cleaner/learn/) -----------------------------------------------------------
LEARN_MIN_PAGES = 3  # fewer readable pages than this: no template can be told from one page
LEARN_SHARE = 0.3  # a template line, shape or phrase is seen on at least this share of pages (2 at least)
LEARN_SIGNATURE_SHARE = 0.6  # a signature line is on at least this share of the pages
LEARN_MAX_SIGNATURES = 4
LEARN_HEADLINE_WORDS = 5  # a title-like line of this many words is a headline, never template
LEARN_PHRASE_WORDS = 4  # the shortest word run that lines which differ may share as template
LEARN_HEAD_MARGIN = 5  # a draft's head rules reach this many lines below the deepest head seen
LEARN_TAIL_AFTER = 0.3  # a draft's tail rules act after this share of the page
LEARN_OPENER_AFTER = 0.4  # the related-stories heading counts after this share of the page
LEARN_OPENER_CHARS = 40  # a heading over a list of headlines is at most this long
LEARN_OPENER_LOOK = 4  # ...and has two headlines among the lines this far under it
LEARN_EDGE_LINES = 3  # the article's last lines are its edge (a bio glued to it), if they name the outlet
LEARN_PHRASE_LINE_CHARS = 300  # longer lines are article text: no template phrase comes from them
LEARN_BYLINE_CHARS = 200  # a dated head line longer than this is no byline
LEARN_SIGNATURE_CHARS = 8  # a signature line is at least this long
LEARN_SHAPE_CHARS = 160  # the longest line a numbers-only shape rule removes
LEARN_LABEL_CHARS = 220  # ... a `Label: ...` rule
LEARN_ROUNDS = 3  # rules that remove an article line are taken out of the draft, this many times at most
