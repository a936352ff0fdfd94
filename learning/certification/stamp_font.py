"""The font of the visible signature, made fit for pyHanko: ``python -m learning.certification.stamp_font``.

pyHanko's glyph accumulator writes the glyph widths (/W) in the font's own units, while PDF reads them in
thousandths of an em: with DejaVu (2048 units per em) every letter of the stamp was spread twice as wide and
the signer's name cut off. So the stamp uses certificates/default/fonts/DejaVuSerif-Stamp.ttf, the
certificate font subset to Latin and Vietnamese and scaled to 1000 units per em, made by this module (slow,
a few seconds, so it is made once and committed, not at signing time).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

from learning.config import PROJECT_ROOT

FONTS = PROJECT_ROOT / "certificates" / "default" / "fonts"
SOURCE = FONTS / "DejaVuSerif.ttf"
STAMP_FONT = FONTS / "DejaVuSerif-Stamp.ttf"
# Basic Latin, Latin-1, Latin Extended-A/B, combining marks, Vietnamese (Latin Extended Additional), punctuation.
UNICODES = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070)]
UNITS_PER_EM = 1000


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


if __name__ == "__main__":
    STAMP_FONT.write_bytes(scaled_font())
    print(f"wrote {STAMP_FONT}")
