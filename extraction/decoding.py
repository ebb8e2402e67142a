"""Page bytes to text: trafilatura's charset detection, then mojibake repaired.

Some CMSs store UTF-8 text that was once decoded as Latin-1 or cp1252 and print it so
("doesnâ€™t", "Â©"): the bytes are valid, the text is not, and no charset fixes it. ftfy
knows each such round trip and undoes only those; clean text passes unchanged.
"""

from __future__ import annotations

import re

import ftfy
from trafilatura.utils import decode_file

# What mojibake leaves behind (a UTF-8 lead byte read as Â, Ã or â; C1 controls): without
# any of it, a page is not scanned further.
_MOJIBAKE_HINT_RE = re.compile("[ÂÃ]|â[\u0080-\u00bf\u20ac\u201a-\u203a\u2122]|[\u0080-\u009f]")


def page_text(body: bytes) -> str:
    """The page as text, its mojibake undone."""
    text = decode_file(body)
    return str(ftfy.fix_encoding(text)) if _MOJIBAKE_HINT_RE.search(text) else text
