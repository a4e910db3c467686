"""Figures and cards remembered by the content of their inputs (dashboard.memo, widgets.chart)."""

import datetime as dt

import polars as pl
import pytest

from dashboard import charts, memo
from dashboard.access import VIEWER, Access
from dashboard.ui import widgets


@pytest.fixture(autouse=True)
def _fresh():
    memo.clear()
    yield
    memo.clear()


def _series(values: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "period": [dt.date(2020 + i, 1, 1) for i in range(len(values))],
            "period_label": [str(2020 + i) for i in range(len(values))],
            "unit_name": ["Tỉnh A"] * len(values),
            "value": values,
        }
    )


def _build(frame: pl.DataFrame, **kwargs) -> list:
    return [frame["value"].sum(), kwargs]


def test_equal_content_is_built_once_and_shared():
    first = memo.remembered(_build, _series([1, 2, 3]), lang="vi")
    second = memo.remembered(_build, _series([1, 2, 3]), lang="vi")  # a new frame, same content
    assert first is second
    assert memo.stats()["misses"] == 1 and memo.stats()["hits"] == 1


@pytest.mark.parametrize(
    "other",
    [
        lambda: (_series([1, 2, 4]), {"lang": "vi"}),  # one value differs
        lambda: (_series([1, 2, 3]).reverse(), {"lang": "vi"}),  # same rows, another order
        lambda: (_series([1, 2, 3]).with_columns(pl.col("value").cast(pl.Float32)), {"lang": "vi"}),
        lambda: (_series([1, 2, 3]), {"lang": "en"}),  # another language
    ],
)
def test_any_difference_in_content_or_arguments_is_another_result(other):
    first = memo.remembered(_build, _series([1, 2, 3]), lang="vi")
    frame, kwargs = other()
    assert memo.remembered(_build, frame, **kwargs) is not first


def test_a_hidden_small_count_is_another_frame():
    shown = _series([1, 2, 3])
    hidden = shown.with_columns(
        pl.when(pl.col("value") < 2).then(None).otherwise(pl.col("value")).alias("value")
    )
    assert memo.remembered(_build, shown) is not memo.remembered(_build, hidden)
    assert memo.remembered(_build, hidden)[0] == 5


def test_oldest_results_are_dropped_beyond_the_limit(monkeypatch):
    monkeypatch.setattr(memo, "MAX_ENTRIES", 2)
    first = memo.remembered(_build, _series([1]))
    memo.remembered(_build, _series([2]))
    memo.remembered(_build, _series([3]))
    assert memo.stats()["entries"] == 2
    assert memo.remembered(_build, _series([1])) is not first


def test_ui_chart_shares_a_figure_within_a_scope_never_across_scopes(monkeypatch):
    data = _series([10, 20, 30])
    kwargs = dict(lang="vi", title="Người nghiện: Tỉnh A, 2020–2022", note="Nguồn: thử")
    scope = {"now": Access()}
    monkeypatch.setattr(widgets, "access", lambda: scope["now"])
    country = widgets.chart(charts.time_series, data, **kwargs)
    assert widgets.chart(charts.time_series, _series([10, 20, 30]), **kwargs) is country
    scope["now"] = Access(role=VIEWER, units=("11",))
    scoped = widgets.chart(charts.time_series, data, **kwargs)
    assert scoped is not country and scoped.figure is not country.figure
    # The shared figure is what the builder draws, and its screen copy is the builder's too.
    built = charts.time_series(data, **kwargs)
    assert country.figure.to_plotly_json() == built.to_plotly_json()
    assert country.screen.to_plotly_json() == charts.for_screen(built).to_plotly_json()


def test_a_known_frame_is_keyed_by_its_arguments_and_a_derived_one_by_its_content(monkeypatch):
    summary = memo.know(_series([1, 2, 3]), ("summary", "2025-12-31", Access(), ("11",)))
    derived = summary.filter(pl.col("value") > 1)
    digested = []
    real_digest = memo.frame_digest
    monkeypatch.setattr(
        memo, "frame_digest", lambda frame: digested.append(frame.height) or real_digest(frame)
    )
    first = memo.remembered(_build, summary)
    assert digested == [] and memo.remembered(_build, summary) is first
    # Another frame with the same content but not known by those arguments: digested, still shared.
    assert memo.remembered(_build, _series([1, 2, 3])) is not first
    assert memo.remembered(_build, derived)[0] == 5 and digested == [3, 2]
    # The same arguments under another scope name another frame.
    other = memo.know(
        _series([1, 2, 3]), ("summary", "2025-12-31", Access(role=VIEWER, units=("11",)), ("11",))
    )
    assert memo.remembered(_build, other) is not first


def test_a_remembered_frame_is_known_by_its_own_key(monkeypatch):
    labelled = memo.remembered(lambda frame: frame.with_columns(pl.lit("x").alias("label")), _series([4, 5]))
    monkeypatch.setattr(memo, "frame_digest", lambda frame: pytest.fail("a remembered frame was digested"))
    assert memo.remembered(_build, labelled)[0] == 9


def test_sessions_asking_at_once_for_a_missing_result_wait_for_one_build():
    import threading
    import time

    calls = []

    def slow(frame: pl.DataFrame) -> list:
        calls.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to ask while it is being made
        return [frame["value"].sum()]

    got = []
    threads = [
        threading.Thread(target=lambda: got.append(memo.remembered(slow, _series([1, 2])))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(got) == 8 and all(result is got[0] for result in got)


def test_a_failed_build_lets_the_waiting_sessions_try_for_themselves():
    import threading
    import time

    attempts = []

    def fails_once(frame: pl.DataFrame) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            time.sleep(0.2)
            raise RuntimeError("hỏng")
        return int(frame["value"].sum())

    results, errors = [], []

    def ask() -> None:
        try:
            results.append(memo.remembered(fails_once, _series([2, 3])))
        except RuntimeError as exc:
            errors.append(exc)

    first = threading.Thread(target=ask)
    first.start()
    time.sleep(0.05)  # the first is building
    second = threading.Thread(target=ask)
    second.start()
    first.join()
    second.join()
    assert len(errors) == 1 and results == [5]
    assert memo.remembered(fails_once, _series([2, 3])) == 5 and len(attempts) == 2  # now remembered
