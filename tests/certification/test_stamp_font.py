"""The visible signature's text is laid out right: glyph widths in thousandths of an em, Vietnamese covered."""

from io import BytesIO

from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.reader import PdfFileReader

from learning.certification import signing
from learning.certification.stamp_font import STAMP_FONT, scaled_font


def test_the_committed_stamp_font_is_the_scaled_certificate_font():
    font = TTFont(str(STAMP_FONT))
    assert font["head"].unitsPerEm == 1000 and signing.FONT == STAMP_FONT
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "Ký số bởi: Ủy ban nhân dân tỉnh Quảng Ninh Đ đ")
    assert TTFont(BytesIO(scaled_font()))["head"].unitsPerEm == 1000


def test_stamp_glyph_widths_are_em_thousandths(app, test_ca, use_signing, issue_certificate):
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("stamp")), SIGN_PKCS12_PASSWORD="secret")
    pdf = issue_certificate().file.pdf
    appearance = PdfFileReader(BytesIO(pdf)).embedded_signatures[0].sig_field["/AP"]["/N"]
    font = next(iter(appearance["/Resources"]["/Font"].values())).get_object()
    widths = [w for item in font["/DescendantFonts"][0].get_object()["/W"] if isinstance(item, list) for w in item]
    assert widths and max(widths) <= 1000  # with DejaVu's 2048 units "K" was 1530: letters spread apart
