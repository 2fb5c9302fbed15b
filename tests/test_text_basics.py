"""Normalization, decoding and the public API."""

from __future__ import annotations

import codecs

import pytest

from cleaner import InputError, clean
from cleaner.decode import decode
from cleaner.normalize import normalize, normalize_lines


def test_normalize_spaces_and_invisibles():
    assert normalize_lines("a\u00a0\u00a0b\tc\u200b\u00add  \r\n") == ["a b cd", ""]


def test_normalize_keeps_line_count():
    text = "one\n\n\n\ntwo\r\nthree"
    assert len(normalize_lines(text)) == 6


def test_normalize_paragraphs_and_lists():
    assert normalize("  • first\n* second\n– third\n\n\n\nplain") == "- first\n\n- second\n\n- third\n\nplain\n"


def test_nested_list_bullets_of_a_text_layout_become_dashes():
    # inscriptis lays nested lists out as `* `, `+ `, `o `: two such lines in a row are a list
    menu = "Sections\n* News\no Local\no World\n+ Politics\n+ Health Care\nEnd"
    assert normalize_lines(menu) == ["Sections", "- News", "- Local", "- World", "- Politics", "- Health Care", "End"]


def test_a_line_that_opens_with_the_article_o_is_no_bullet():
    # Portuguese and Italian write "o" as an article: in lower case after it, or on a line alone
    text = "o presidente disse\no governo vai\nFoi o Brasil.\no Brasil venceu.\n+ 3 points"
    assert normalize_lines(text) == text.split("\n")


def test_normalize_is_nfc_not_nfkc():
    assert normalize("№ 5 e\u0301") == "№ 5 é\n"


def test_normalize_keeps_quotes():
    assert normalize("“quoted” ‘single’ it's") == "“quoted” ‘single’ it's\n"


def test_normalize_idempotent():
    text = " x \n\n • a\u00a0b\n\n\n y"
    assert normalize(normalize(text)) == normalize(text)


def _per_line(text: str) -> list[str]:
    """The obvious per-line statement of normalize_lines's stripping and list markers (the
    module does both as whole-text passes): spaces collapsed, each line stripped, a leading
    bullet, or `*`/`–` and a space, before text becomes `- `."""
    import re

    while "  " in text:
        text = text.replace("  ", " ")
    out = []
    for line in text.split("\n"):
        line = line.strip(" ")
        out.append(re.sub(r"^(?:[•·▪◦‣●] ?|[*–] )(?=\S)", "- ", line))
    return out


@pytest.mark.parametrize(
    "text",
    [
        " a \n b\n\n• x\n•y\n* z\n*z\n– q\n–q\n- r\n-r\n \n",
        "•first line is a bullet\n  • indented bullet  \nlast •",
        "•\n• \n*\n* \n",
        " ",
        "\n\n",
        "no newline at the end",
    ],
)
def test_normalize_matches_the_per_line_statement(text):
    assert normalize_lines(text) == _per_line(text)


@pytest.mark.parametrize("codec", ["cp1251", "koi8_u"])
def test_decode_cyrillic_code_pages(codec):
    text = (
        "Уряд затвердив нові правила. Київ, Харків і Львів отримали кошти на відбудову шкіл та лікарень у цьому році."
    )
    got, encoding, how, _ = decode(text.encode(codec))
    assert got == text and how == "detected" and encoding == codecs.lookup(codec).name


def test_decode_bom_and_declared():
    assert decode(codecs.BOM_UTF8 + "é".encode())[1:3] == ("utf-8", "bom")
    html = '<html><head><meta charset="windows-1251"></head><body>Київ</body></html>'.encode("cp1251")
    assert decode(html)[1:3] == ("cp1251", "declared")


def test_decode_rejects_binary_and_empty():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 4, "x.bin")
    with pytest.raises(InputError, match="empty"):
        decode(b"", "x.txt")


def test_a_str_holding_bytes_is_binary_and_a_few_control_characters_are_not():
    junk = bytes(range(256)).decode("latin-1") * 8  # bytes read as text: control characters throughout
    with pytest.raises(InputError, match="binary"):
        clean(junk)
    text = "Київ: the council met on Monday\x07 and again\x00 on Friday. " + "It voted on the plan. " * 20
    assert "the council met" in clean(text).text  # two stray controls in a page of text
    with pytest.raises(InputError, match="binary"):
        clean("\udc80" + "\x01" * 60 + text)  # a lone surrogate does not hide them


def test_clean_str_and_bytes_agree():
    text = "Plain article text that stays as it is, with one sentence.\n"
    assert clean(text).text == clean(text.encode()).text == text


def test_clean_whitespace_only_is_an_error():
    with pytest.raises(InputError, match="empty"):
        clean("  \n\n ")


def test_document_dict_uses_trafilatura_names():
    d = clean("Body text of the article, long enough to stay.\n", url="https://example.com/a").to_dict()
    assert {
        "text",
        "title",
        "author",
        "date",
        "description",
        "sitename",
        "hostname",
        "url",
        "categories",
        "tags",
    } <= set(d)
    assert d["hostname"] == "example.com"


FORMATS = ("%d.%m.%Y", "%B %d, %Y", "%d %B, %Y %H:%M", "%B %d, %Y %I:%M %p")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2023-05-24", "2023-05-24"),
        ("2023-05", "2023-05"),
        ("2023-05-24T11:41:00+03:00", "2023-05-24T11:41+03:00"),  # the time zone stays
        ("2023-05-24T11:41:00Z", "2023-05-24T11:41+00:00"),
        ("2023-05-24T11:41:00.5-0400", "2023-05-24T11:41-04:00"),
        ("24.05.2023", "2023-05-24"),
        ("May 24, 2023", "2023-05-24"),
        ("24 May, 2023 17:09", "2023-05-24T17:09"),
        ("May 24, 2023 11:41 AM", "2023-05-24T11:41"),
        ("may  24, 2023 11:41 pm", "2023-05-24T23:41"),
        ("May 24, 2023 3:12 p.m.", "2023-05-24T15:12"),  # AP style
        ("May 24, 2023 9:05 a.m.", "2023-05-24T09:05"),
        ("May 24, 2023 11:41", None),
        ("31.02.2023", None),  # fits the shape, not the calendar
        ("2023-13-01", None),
    ],
)
def test_parse_date(value, iso):
    from cleaner.fields import parse_date

    assert parse_date(value, FORMATS) == iso


def test_parse_date_shape_skip_changes_nothing(monkeypatch):
    from cleaner import fields

    values = ["24.05.2023", "May 24, 2023 11:41 AM", "24 May, 2023 17:09", "Sept 3, 2023", "x"]
    fast = [fields.parse_date(v, FORMATS) for v in values]
    monkeypatch.setattr(fields, "_shape", lambda fmt: None)
    assert [fields.parse_date(v, FORMATS) for v in values] == fast
