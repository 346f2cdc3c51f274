"""Constructs the developer typed in the editor: hand-written evidence between two saves.

Lines added since the last saved version (and not merely moved), outside every foreign
region, were typed by the developer (or pasted in amounts too small to be a burst); the
constructs that start on them count as written by hand, like the lines of their commits.
"""

from __future__ import annotations

from mindgap.knowledge.unfamiliar import construct_hits
from mindgap.provenance.detection import added_blocks
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument


def typed_constructs(
    document: SyntaxDocument, saved_before: str, regions: list[Region]
) -> list[str]:
    """Keys of the constructs starting in text added since `saved_before`, outside `regions`."""
    keys: list[str] = []
    before_words = " ".join(saved_before.split())
    for start, end in added_blocks(saved_before, document.text):
        if " ".join(document.text[start:end].split()) in before_words:
            continue  # moved, not typed
        for hit in construct_hits(document, start, end):
            offset = document.index.offset_of_point(*hit.start_point)
            if not any(region.start <= offset < region.end for region in regions):
                keys.append(hit.construct.key)
    return list(dict.fromkeys(keys))
