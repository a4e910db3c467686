"""Tổng quan's headline cards as one HTML string: what each card shows, its sparkline, the arrow
beside the colour, the notes, English, and every text escaped."""

from __future__ import annotations

import dataclasses
import re

import pytest

from dashboard import cards, memo, page_figures, theme
from dashboard.catalog import CATALOG
from dashboard.goals import quota_achievement
from dashboard.i18n import t
from dashboard.page_figures import Kpi, Quota
from tests.support.cards import read_cards


def kpi(indicator: str, value, previous, history=(), quota=None) -> Kpi:
    """A card as ``page_figures.kpis`` makes it: change, percent change and tone from the values."""
    change = None if value is None or previous is None else value - previous
    pct = change / previous * 100 if change is not None and previous else None
    achievement = quota_achievement(value, quota.value) if quota else None
    tone = page_figures.change_tone(indicator, change)
    return Kpi(indicator, value, previous, change, pct, tone, True, quota, achievement, tuple(history))


ADDICTS = kpi("addicts_managed", 445, 460, history=(470, 480, 460, 445))
REHAB = kpi("compulsory_rehab", 38, 30, history=(20, 30, 38), quota=Quota(32, 1, 1))
METHADONE = kpi("methadone_patients", 120, None, history=(120,))
HEALTHY = kpi("healthy_communes", None, None)


def one(card: Kpi, lang: str = "vi", note: str = ""):
    (read,) = read_cards(cards.grid_html([card], lang, [note]))
    return read


def test_a_card_shows_label_value_with_unit_change_and_note():
    read = one(ADDICTS, note="126/126 xã, phường đã báo cáo")
    texts = cards.kpi_texts(ADDICTS, "vi")
    assert read.indicator == "addicts_managed"
    assert read.label == CATALOG["addicts_managed"].label("vi") == "Người nghiện có hồ sơ quản lý"
    # Nothing hides behind a tooltip, which a touch screen cannot open: the unit is on the card.
    assert read.unit == CATALOG["addicts_managed"].unit("vi") == "người"
    assert "title=" not in cards.card_html(ADDICTS, "vi")
    assert (read.value, read.delta) == ("445", "-15 (-3,26%)") == (texts["value"], texts["delta"])
    # Fewer addicts is good: the good colour, and a falling arrow besides the colour.
    assert (read.tone, read.arrow) == ("good", cards.DOWN)
    assert read.notes == ("126/126 xã, phường đã báo cáo",)


def test_the_change_colour_is_the_themes_and_the_arrow_follows_the_sign():
    body = cards.grid_html([ADDICTS, REHAB], "vi")
    for tone, color in theme.CHANGE_TONE_COLORS.items():
        assert re.search(rf"\.kpi-delta\.kpi-{tone} {{ color: {color};", body), tone
    rise, fall = one(REHAB), one(kpi("compulsory_rehab", 30, 38))
    assert (rise.arrow, rise.delta, rise.tone) == (cards.UP, "+8 (+26,67%)", "good")
    assert (fall.arrow, fall.delta, fall.tone) == (cards.DOWN, "-8 (-21,05%)", "bad")
    # No change, or one too small to show: no arrow, the neutral tone.
    flat = one(kpi("hiv_prevalence", 1.001, 1.0))
    assert (flat.arrow, flat.tone, flat.delta) == ("", "neutral", "+0,00 điểm %")
    assert cards.arrow(0.004) == cards.arrow(None) == "" and cards.arrow(-0.01) == cards.DOWN


def test_quota_line_no_previous_line_and_unknown_commune_count():
    rehab = one(REHAB, note="1/1")
    assert rehab.notes == ("Chỉ tiêu 32 · tỷ lệ đạt 118,75%", "1/1")
    assert "<strong>Chỉ tiêu 32 · tỷ lệ đạt 118,75%</strong>" in cards.card_html(REHAB, "vi")
    methadone = one(METHADONE)
    assert methadone.delta is None and methadone.arrow == ""
    assert methadone.notes == (t("kpi.no_previous", "vi"),)
    healthy = one(HEALTHY)
    assert healthy.value == t("status.unknown", "vi")  # an unknown count is not 0
    assert cards.figure_note(HEALTHY, None, ("report", None), "vi") == ""
    found = kpi("healthy_communes", 4, 3)
    assert cards.figure_note(found, None, ("report", None), "vi") == "theo số báo cáo"
    assert cards.figure_note(found, None, ("mixed", None), "vi") == "theo danh sách xã, theo số báo cáo"


def test_a_stock_is_a_line_a_flow_bars_and_one_point_no_sparkline():
    assert (one(ADDICTS).spark, one(REHAB).spark, one(METHADONE).spark) == ("line", "bars", None)
    line = cards.sparkline((470, 480, 460, 445), bars=False, color=theme.GOOD)
    points = [tuple(map(float, p.split(","))) for p in re.search(r'points="([^"]+)"', line)[1].split()]
    assert len(points) == 4 and f'stroke="{theme.GOOD}"' in line
    # Over the values' own range: the highest value at the top, the lowest at the bottom.
    ys = [y for _, y in points]
    assert (
        ys[1] == min(ys)
        and ys[3] == max(ys)
        and [x for x, _ in points] == pytest.approx([0, 100 / 3, 200 / 3, 100], abs=0.01)
    )
    bars = cards.sparkline((20, 30, 40), bars=True, color=theme.BAD)
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"', bars)]
    # From zero: each bar's height is in proportion to its value.
    assert len(heights) == 3 and heights[0] / heights[2] == pytest.approx(0.5)
    assert f'fill="{theme.BAD}"' in bars
    # The tone's colour on the card (fewer addicts: good).
    assert f'stroke="{theme.GOOD}"' in cards.card_html(ADDICTS, "vi")


def test_english_via_the_language_switch():
    read = one(METHADONE, "en")
    assert read.label == CATALOG["methadone_patients"].label("en")
    assert read.unit == "people"
    assert read.notes == ("no figure for the same period last year",)
    assert one(REHAB, "en").notes == ("Quota 32 · achievement 118.75%",)


def test_texts_from_a_file_or_the_catalog_are_shown_as_text(monkeypatch):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> & co'
    entry = dataclasses.replace(CATALOG["addicts_managed"], label_vi=hostile, unit_vi='người" onmouseover="x')
    monkeypatch.setitem(CATALOG, "addicts_managed", entry)
    body = cards.grid_html([ADDICTS], "vi", [hostile])
    assert "<script" not in body and "<img" not in body and 'onmouseover="' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    read = one(ADDICTS, note=hostile)
    assert read.label == hostile and read.notes == (hostile,)
    # The grid is one line of HTML to Streamlit's Markdown: a line break in a text would end it,
    # and what followed would be read as Markdown (here a link). It is a space instead.
    body = cards.grid_html([ADDICTS], "vi", ["a\n\n[x](http://evil)\r\n\u2028b"])
    assert "\n" not in body and "\r" not in body and "\u2028" not in body
    assert one(ADDICTS, note="a\n\n[x](http://evil)").notes == ("a [x](http://evil)",)
    assert read.unit == 'người" onmouseover="x'


def test_the_grid_holds_every_card_in_order_and_is_remembered_by_its_inputs():
    shown = [ADDICTS, REHAB, METHADONE, HEALTHY]
    notes = ["a", "b", "", ""]
    read = read_cards(cards.grid_html(shown, "vi", notes))
    assert [c.indicator for c in read] == [c.indicator for c in shown]
    no_previous = t("kpi.no_previous", "vi")
    assert [c.notes for c in read] == [
        ("a",),
        ("Chỉ tiêu 32 · tỷ lệ đạt 118,75%", "b"),
        (no_previous,),
        (no_previous,),
    ]
    # The cards are keys by value, so every session showing the same view shares one string.
    assert all(memo.content_key(card)[0] == "value" for card in shown)
    first = memo.remembered(cards.grid_html, list(shown), "vi", tuple(notes))
    assert memo.remembered(cards.grid_html, list(shown), "vi", tuple(notes)) is first
    assert memo.remembered(cards.grid_html, list(shown), "en", tuple(notes)) != first


@pytest.mark.parametrize("tone", sorted(theme.CHANGE_TONE_COLORS))
def test_a_change_reads_at_4_5_to_1_on_what_is_behind_it(tone):
    color, behind = theme.CHANGE_TONE_COLORS[tone], cards.DELTA_BACKGROUNDS[tone]
    if behind == "none":
        ground = theme.BACKGROUND
    else:
        # The wash laid on the card's white, as the browser blends it.
        *rgb, alpha = (float(v) for v in re.fullmatch(r"rgba\((.+)\)", behind)[1].split(","))
        white = theme.hex_to_rgb(theme.BACKGROUND)
        ground = "#" + "".join(f"{round(w + alpha * (c - w)):02X}" for c, w in zip(rgb, white, strict=True))
        assert alpha == theme.CHANGE_WASH_ALPHA and theme.wash(color, alpha) == behind
    assert theme.contrast(color, ground) >= 4.5, (tone, ground)


def test_no_unit_after_a_percentage_or_a_figure_that_is_not_there():
    assert one(kpi("hiv_prevalence", 0.21, 0.2)).unit == ""  # its "%" is in the value
    assert one(kpi("hiv_prevalence", 0.21, 0.2)).value.endswith("%")
    assert one(HEALTHY).unit == ""  # "chưa rõ xã" would read as a count
    assert one(kpi("healthy_communes", 4, 3)).unit == "xã"


def test_the_whole_label_shows_on_every_screen():
    # A long name wraps instead of ending in "…" (its end was only in a tooltip before).
    body = cards.grid_html([kpi("prostitution_prone_businesses", 12, 10)], "vi")
    label_rule = re.search(r"\.kpi-label \{([^}]*)\}", body)[1]
    assert "ellipsis" not in label_rule and "nowrap" not in label_rule
    assert one(kpi("prostitution_prone_businesses", 12, 10)).label == (
        "Cơ sở kinh doanh dịch vụ dễ phát sinh mại dâm"
    )
