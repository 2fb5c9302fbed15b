"""Pack selection: signature without a URL, host with one, never the other outlet's pack."""

from __future__ import annotations

import pytest

from cleaner import CleanerError, clean

from .conftest import ROOT

KI = ROOT / "seeds/000_6aa1473ee51530f9.txt"
ESP = ROOT / "seeds/001_f1b761cdafbe3bda.txt"
UNRELATED = """City council approves new budget

The council approved the budget on Monday after a long debate about road repairs and schools.

The mayor said the plan would be reviewed again in the autumn if tax revenue falls short.
"""


@pytest.mark.parametrize(("seed", "pack"), [(KI, "kyiv_independent@2"), (ESP, "espreso_global@3")])
def test_signature_without_url(seed, pack):
    doc = clean(seed.read_bytes())
    assert (doc.pack, doc.pack_reason) == (pack, "signature")


@pytest.mark.parametrize(
    ("url", "pack"),
    [
        ("https://kyivindependent.com/nyt-story/", "kyiv_independent@2"),
        ("https://www.kyivindependent.com/x", "kyiv_independent@2"),
        ("https://global.espreso.tv/no-ukrainians", "espreso_global@3"),
    ],
)
def test_host(url, pack):
    doc = clean(UNRELATED, url=url)
    assert (doc.pack, doc.pack_reason) == (pack, "host")
    assert doc.hostname == url.split("/")[2]


def test_host_must_be_a_real_subdomain():
    assert clean(UNRELATED, url="https://notkyivindependent.com/x").pack == "_generic@6"


def test_packs_do_not_fire_on_each_other():
    assert clean(KI.read_bytes(), pack=None).pack != "espreso_global@3"
    assert clean(ESP.read_bytes(), pack=None).pack != "kyiv_independent@2"


def test_unrelated_page_gets_generic():
    doc = clean(UNRELATED)
    assert (doc.pack, doc.pack_reason) == ("_generic@6", "fallback")
    assert doc.text.startswith("City council approves new budget")


def test_explicit_pack():
    assert clean(UNRELATED, pack="kyiv_independent").pack_reason == "explicit"
    with pytest.raises(CleanerError, match="did you mean 'kyiv_independent'"):
        clean(UNRELATED, pack="kyiv_independant")


def test_guard_falls_back_to_generic():
    # a forced pack whose title rule would cut everything above a late "byline" line
    text = UNRELATED + "\nShort line\nby Someone January 5, 2024 10:00 AM 3 min read\n\nEnd.\n"
    doc = clean(text, pack="kyiv_independent")
    assert doc.pack == "_generic@6" and doc.pack_reason == "guard"
    assert any("fell back to _generic" in w for w in doc.warnings)
    assert "The council approved the budget" in doc.text


def test_common_web_labels_do_not_make_a_page_kyiv_independent():
    blog = (
        "Skip to content\nUncategorized\nMy blog about gardening\n\n5 min read\n\n"
        "Tomatoes need plenty of sun and regular watering during the summer months, gardeners say.\n"
    )
    doc = clean(blog)
    assert (doc.pack, doc.pack_reason, doc.warnings) == ("_generic@6", "fallback", ())  # never chose KI


QUOTING = """Army says the offensive near Pokrovsk has slowed

Ukrainian commanders say Russian assaults near Pokrovsk have slowed over the past week as losses mounted.

{attribution}

"They are regrouping, not retreating," he said, adding that reserves were being moved up to the front.
"""


@pytest.mark.parametrize(
    ("attribution", "pack"),
    [
        # another outlet quoting Espreso: the name alone is not enough
        ("A brigade spokesman told Espreso TV that the attacks would likely resume in spring.", "_generic@6"),
        # Espreso's own attribution line under the lead, with the name: a bare Espreso page
        ("He said this on Espreso TV.", "espreso_global@3"),
    ],
)
def test_espreso_attribution_line(attribution, pack):
    assert clean(QUOTING.format(attribution=attribution)).pack == pack
