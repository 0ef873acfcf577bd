"""A map box's title in a script other than Latin, Greek and Cyrillic is wrapped at its drawn width.

Georgian ლ is 1.07 em in Chromium (DejaVu Sans), Arabic س 1.22 (its final form 1.28), Armenian խ
0.98: all were counted as 0.74 em, and titles of them ran 63, 15 and 9 px past their boxes. The
browser check is ``test_every_title_of_the_alignment_map_stays_inside_its_box``; this one needs no
browser.
"""

from __future__ import annotations

import pytest

from okrctl.render.map.svg import NODE_W, drawn_width, fitted

# Widths in em Chromium measured with DejaVu Sans, regular and bold (over the 15% ``drawn_width``
# adds for bold): the widest letter of each script.
MEASURED = {"ლ": (1.065, 1.074), "س": (1.221, 1.380), "ﺲ": (1.275, 1.414), "խ": (0.980, 0.984), "ໝ": (1.028, 1.363)}


@pytest.mark.parametrize("letter", list(MEASURED))
def test_a_wide_letter_of_another_script_is_counted_at_least_as_wide_as_it_is_drawn(letter: str) -> None:
    regular, bold = MEASURED[letter]
    assert drawn_width(letter * 10, 10) >= regular * 100
    assert drawn_width(letter * 10, 10, bold=True) >= bold * 100


@pytest.mark.parametrize(
    "title",
    [
        "ლლლლ ლლლ ლლლლ ლლლ ლლლლ ლლლ ლლლლ ლლლლ ლლლ ლლლლ ლლლ",
        "سسسس سسس سسسس سسس سسسس سسس سسسس سسسس سسس سسسس سسس",
        "խմխմ խմխ խմխմ խմխ խմխմ խմխ խմխմ խմխմ խմխ խմխմ խմխ",
    ],
)
def test_an_objectives_title_in_another_script_is_wrapped_inside_its_box(title: str) -> None:
    for line in fitted(title, NODE_W - 22, 11, 3):
        # A space is 0.32 em, the ellipsis 1 em; the other letters (մ) are narrower than խ.
        measured = sum(MEASURED.get(c, (1.0 if c == "…" else 0.35 if c == " " else 0.98,))[0] for c in line) * 11
        assert measured <= NODE_W - 22, (line, measured)


def test_a_letter_of_a_script_no_font_here_draws_is_counted_wide() -> None:
    """Devanagari, Thai, Ethiopic: what draws them is the reader's font; 1.25 em each."""
    assert drawn_width("कखग", 10) == pytest.approx(37.5)
    assert drawn_width("กขค", 10) == pytest.approx(37.5)


def test_latin_greek_and_cyrillic_are_counted_as_before() -> None:
    assert drawn_width("Make the first week seamless", 10) == pytest.approx(161.4)
    assert drawn_width("ЖЩ щука Ωω", 10) == pytest.approx(81.2)
