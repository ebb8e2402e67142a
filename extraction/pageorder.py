"""Putting recovered lines back where the page has them, among the blocks trafilatura gave."""

from __future__ import annotations

from .blocks import Block
from .text import letters


def merged_in_page_order(blocks: list[Block], position_of: dict[str, int], missed: list[tuple[int, Block]]) -> list[Block]:
    """``blocks`` with each missed block (at its page position) before the first extracted block
    that follows it on the page. ``position_of`` maps a line's ``letters`` to its page position."""
    missed = sorted(missed, key=lambda found: found[0])
    result: list[Block] = []
    last, pending = -1, 0
    for block in blocks:
        last = max(last, position_of.get(letters(block.text), last))
        while pending < len(missed) and missed[pending][0] < last:
            result.append(missed[pending][1])
            pending += 1
        result.append(block)
    return result + [block for _, block in missed[pending:]]
