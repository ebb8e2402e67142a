"""Every tuning number of the extractor, in one place, with the reason for its value."""

from __future__ import annotations

# --- DOM cleaning (domclean) ------------------------------------------------------------
# A container holding this share of the page's paragraph text is the article itself (or
# wraps it), whatever its class says: "share" or "promo" in a wrapper's class is common.
PROTECTED_TEXT_SHARE = 0.35
# ... and so is any container with this many prose paragraphs of its own.
PROTECTED_PROSE_PARAGRAPHS = 3
# A prose paragraph: at least this many words with a sentence end.
PROSE_MIN_WORDS = 12
# A standfirst (dek) is a sentence or two; a description longer than this is the story's text.
STANDFIRST_MAX_WORDS = 60
# A widget under a junk heading is link-dominated: at least this share of its text is links.
WIDGET_MIN_LINK_DENSITY = 0.5
HEADLINE_MAX_WORDS = 25
# A widget lists a few headlines; a list of more linked items is a directory the story is.
HEADLINE_LIST_MAX_ITEMS = 10
# A headline pasted between paragraphs without a link has at least this many words
# (shorter plain lines between paragraphs are too often the story's own subheads).
UNLINKED_HEADLINE_MIN_WORDS = 5
# A caption or credit under an image is a fragment of at most this many words.
CAPTION_MAX_WORDS = 30
# A list is a link list (related stories) when links cover this share of its text and it
# has at least this many items; lists inside the story carry prose around their links.
LINK_LIST_MIN_LINK_DENSITY = 0.8
LINK_LIST_MIN_ITEMS = 2
# A teaser card is all link (headline and dek inside one <a>), sentence or not; a grid of
# them outside a list element needs a few, since two linked lines in a div are common prose.
CARD_MIN_LINK_DENSITY = 0.95
CARD_GRID_MIN_ITEMS = 3
# A card of a linked headline and its dek is short.
CARD_MAX_WORDS = 60

# A table is the page's layout, not data, when a cell of its own holds at least this many words
# of prose (two sentences or more): a story's column. Data cells are values and short notes
# (40 to 120 words score the same on the dev sets).
LAYOUT_CELL_MIN_WORDS = 80

# --- extracted blocks (blocks) ----------------------------------------------------------
# A leading line this short, with no sentence end, is a section label ("World").
LABEL_MAX_WORDS = 3
# A byline or dateline before the first paragraph ("By Jane Doe, 5 May 2024 10:31") is short.
BYLINE_MAX_WORDS = 30
# ... and an "Updated at 1:23 p.m." line anywhere in the text is shorter still.
DATELINE_MAX_WORDS = 8
# Headline-like lines directly under a widget heading go with it, up to this many words.
WIDGET_HEADLINE_MAX_WORDS = 30
# The title of an embedded video, next to a video notice, is at most this long.
VIDEO_TITLE_MAX_WORDS = 16

# --- template learning (recurring) --------------------------------------------------------
# A line is boilerplate of a host when it was extracted from at least this many of its pages ...
RECURRING_MIN_PAGES = 3
# ... that are this share of the host's pages seen: where one host serves many sources, a
# line common to a handful of them (a subheading, a sign-off) is not the host's template.
RECURRING_MIN_SHARE = 0.25
# ... and is short: long prose repeated across pages is a syndicated paragraph, not a widget.
RECURRING_MAX_WORDS = 20
# How many distinct lines per host the learner remembers (bounded memory on long crawls).
RECURRING_MAX_LINES_PER_HOST = 5000

# --- the page's own statement of its body (JSON-LD articleBody) ------------------------------
# trafilatura lost the body when the declared one has this many times its words (a declared
# body a little longer is the same text with captions or a teaser appended: ours is better) ...
DECLARED_BODY_MIN_RATIO = 1.5
# ... and is a real article's length, not a teaser.
DECLARED_BODY_MIN_WORDS = 150

# --- a body split into sibling chunks (chunks) ----------------------------------------------
# A chunk of the same kind as the one trafilatura took is more of the body when it holds this
# many prose paragraphs (a sibling of the body's kind with none is a promo or an embed).
CHUNK_MIN_PROSE_PARAGRAPHS = 1

# --- structure between two paragraphs of the body (gaps) -----------------------------------
# A list, table or heading between two taken paragraphs is the story's unless links cover more
# than this share of its text (a related-links list); the story's lists link a term or two.
GAP_MAX_LINK_DENSITY = 0.5
# A line this long (in letters) found inside an extracted paragraph was taken; a shorter one
# must be a line of its own, or a subheading would count as taken for its words in the prose.
GAP_SUBSTRING_MIN_LETTERS = 40
# The gap's container is the parent of the paragraphs around it, or at most this many wrappers
# up (a table in its scroll box): further up, the "gap" is a sidebar beside the story.
GAP_MAX_WRAPPERS = 1

# --- trafilatura's recall mode as a fallback (extractor) ------------------------------------
# Balanced mode kept less than 1/3 of the characters of the page's paragraphs: it pruned the
# story, and recall mode is tried (its result is kept if longer). Between 2 and 3 the dev sets
# score the same (2 of 711 wcxb_dev pages change, 0 elsewhere); at 5 one of them goes unnoticed.
RECALL_FALLBACK_RATIO = 3

# --- result gates ------------------------------------------------------------------------
# A page whose body has fewer characters than this is not an article (index, gallery, error).
MIN_ARTICLE_CHARS = 200

# A page whose text is at least this share (in characters) of lines made of its links' words is a
# page of links (an index, a sitemap, a link farm), never an article, whatever its size. A story's
# prose is not linked: of all dev pages it refuses one, a wcxb_dev portfolio of client links whose
# truth is a service blurb (F1 0.9465 -> 0.9472); dragnet_dev, scrapinghub and junk are unchanged.
LINK_PAGE_MIN_SHARE = 0.9

# --- syndicated copies (fingerprint) --------------------------------------------------------
# Texts are sets of word 5-shingles: long enough that two articles on one event share few.
SYNDICATION_SHINGLE_WORDS = 5
# MinHash values per text, in bands of this many rows: 42 bands of 3 find a candidate pair
# with Jaccard 0.4 (a teaser half the article, with some junk) 94% of the time, 0.5 99.6%.
SYNDICATION_PERMUTATIONS = 126
SYNDICATION_BAND_ROWS = 3
# A text of fewer shingles (about a 40-word brief) is too short to call a copy.
SYNDICATION_MIN_SHINGLES = 40
# A copy holds at least this share of the smaller text's shingles (edits, cuts, added lines).
SYNDICATION_MIN_CONTAINMENT = 0.6

# Language detection (py3langid) on the extracted text.
LANGUAGE_MIN_WORDS = 20
"""Shorter texts are not identified: a few words are too little evidence (names, quotes)."""
LANGUAGE_MIN_CONFIDENCE = 0.95
"""py3langid's normalised probability; below it the detection is not used, and a declared
language is not reported as contradicted (close languages: Norwegian/Danish, Spanish/Galician)."""
LANGUAGE_SAMPLE_CHARS = 3000
"""Characters of the text the detector reads: enough for a sure answer, no slower on long articles."""

# --- site rules (siterules.py) ----------------------------------------------------------------
# A site's rules are kept only when their text holds at least this share of the generic path's
# prose: below it the rule has gone stale (the site changed its markup) and picks a fragment,
# a teaser list or nothing.
SITE_RULE_MIN_PROSE_KEPT = 0.5
