"""The font of the visible signature, made fit for pyHanko: ``python -m learning.certification.stamp_font``.

pyHanko's glyph accumulator writes the glyph widths (/W) in the font's own units, while PDF reads them in
thousandths of an em: with DejaVu (2048 units per em) every letter of the stamp was spread twice as wide and
the signer's name cut off. So the stamp uses certificates/default/fonts/DejaVuSerif-Stamp.ttf, the
certificate font subset to Latin and Vietnamese and scaled to 1000 units per em, made by this module (slow,
a few seconds, so it is made once and committed, not at signing time).

At signing time pyHanko subsets the stamp font again for every PDF (the glyphs the stamp uses), and on
the ~1,000 glyphs of the committed font, reading its layout tables, that took ~25 ms of CPU per signature.
``stamp_subset`` cuts the font down once to the characters of the stamp (every digit of a date included),
layout features kept, and ``StampFontFactory`` hands pyHanko that small font: its own subset of it is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

from learning.config import PROJECT_ROOT

FONTS = PROJECT_ROOT / "certificates" / "default" / "fonts"
SOURCE = FONTS / "DejaVuSerif.ttf"
STAMP_FONT = FONTS / "DejaVuSerif-Stamp.ttf"
# Basic Latin, Latin-1, Latin Extended-A/B, combining marks, Vietnamese (Latin Extended Additional), punctuation.
UNICODES = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070)]
UNITS_PER_EM = 1000
DIGITS = "0123456789"  # the stamp's date and time: whichever digits today's stamp uses, the subset has them all


def scaled_font(source: Path = SOURCE) -> bytes:
    font = TTFont(str(source))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    scale_upem(font, UNITS_PER_EM)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=8)
def stamp_subset(characters: str) -> bytes:
    """The stamp font with only ``characters`` (and what its layout features reach: ligatures, marks)."""
    font = TTFont(str(STAMP_FONT))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in characters])
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def stamp_characters(text: str) -> str:
    """The cache key of ``stamp_subset`` for a stamp text: its characters and every digit, sorted."""
    return "".join(sorted(set(text) | set(DIGITS)))


@dataclass(frozen=True)
class StampFontFactory(FontEngineFactory):
    """pyHanko's GlyphAccumulatorFactory, but from font bytes in memory (it opened the file for every PDF, and
    never closed it)."""

    data: bytes
    font_size: int

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:  # noqa: ANN001 - pyHanko's signature
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(writer=writer, font_handle=BytesIO(self.data), font_size=self.font_size,
                                obj_stream=obj_stream)


if __name__ == "__main__":
    STAMP_FONT.write_bytes(scaled_font())
    print(f"wrote {STAMP_FONT}")
