"""Normalization, decoding and the public API."""

from __future__ import annotations

import codecs

import pytest

from cleaner import Document, InputError, clean
from cleaner.decode import decode
from cleaner.normalize import normalize, normalize_lines


def test_normalize_spaces_and_invisibles():
    assert normalize_lines("a\u00a0\u00a0b\tc\u200b\u00add  \r\n") == ["a b cd", ""]


def test_normalize_keeps_line_count():
    text = "one\n\n\n\ntwo\r\nthree"
    assert len(normalize_lines(text)) == 6


def test_normalize_paragraphs_and_lists():
    assert normalize("  • first\n* second\n– third\n\n\n\nplain") == "- first\n\n- second\n\n- third\n\nplain\n"


def test_normalize_is_nfc_not_nfkc():
    assert normalize("№ 5 e\u0301") == "№ 5 é\n"


def test_normalize_keeps_quotes():
    assert normalize("“quoted” ‘single’ it's") == "“quoted” ‘single’ it's\n"


def test_normalize_idempotent():
    text = " x \n\n • a\u00a0b\n\n\n y"
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize("codec", ["cp1251", "koi8_u"])
def test_decode_cyrillic_code_pages(codec):
    text = "Уряд затвердив нові правила. Київ, Харків і Львів отримали кошти на відбудову шкіл та лікарень у цьому році."
    got, encoding, how = decode(text.encode(codec))
    assert got == text and how == "detected" and encoding == codecs.lookup(codec).name


def test_decode_bom_and_declared():
    assert decode(codecs.BOM_UTF8 + "é".encode())[1:] == ("utf-8", "bom")
    html = '<html><head><meta charset="windows-1251"></head><body>Київ</body></html>'.encode("cp1251")
    assert decode(html)[1:] == ("cp1251", "declared")


def test_decode_rejects_binary_and_empty():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 4, "x.bin")
    with pytest.raises(InputError, match="empty"):
        decode(b"", "x.txt")


def test_clean_str_and_bytes_agree():
    text = "Plain article text that stays as it is, with one sentence.\n"
    assert clean(text).text == clean(text.encode()).text == text


def test_clean_whitespace_only_is_an_error():
    with pytest.raises(InputError, match="empty"):
        clean("  \n\n ")


def test_document_dict_uses_trafilatura_names():
    d = clean("Body text of the article, long enough to stay.\n", url="https://example.com/a").to_dict()
    assert {"text", "title", "author", "date", "description", "sitename", "hostname", "url", "categories", "tags"} <= set(d)
    assert d["hostname"] == "example.com"
    assert isinstance(Document, type)
