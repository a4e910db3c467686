"""Deterministic demo snapshots: believable monthly data that reproduces the real report figures.

Every commune of the demo provinces gets a monthly series for every stored indicator from
2015 to 2025 (``SNAPSHOTS``, contract version 1). Where ``seed_facts.csv`` gives a real figure
(for example Quảng Nam, 9 months of 2017: 1.456 addicts with records) the series of that area
are scaled, then nudged by whole units in the reported month, so that the figure comes out
exactly when aggregated the way the report did. Commune classifications are derived each year
from the year-end figures.

``REFORM_SNAPSHOT`` (contract version 2) carries the same history on to October 2026 across
the 2025 reform: old units until June 2025, with the old Thành phố Đà Nẵng added; from July
2025 the new communes of Hà Nội, Đà Nẵng and Điện Biên (``build_reform``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl

from dashboard import reform, schema
from dashboard.catalog import MONTHLY_INDICATORS, REHAB_FORMS
from dashboard.geography import Geography
from dashboard.snapshot import write_snapshot

DEMO_SEED = 20170928
FIRST_YEAR, LAST_YEAR = 2015, 2025
MONTHS = [dt.date(y, m, 1) for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
N_MONTHS = len(MONTHS)

HANOI, QUANG_NAM, DIEN_BIEN = "01", "49", "11"
NAM_TU_LIEM, HOANG_MAI, DUC_GIANG = "019", "008", "00124"


@dataclass(frozen=True)
class ProvinceProfile:
    """How much of each problem a province has, per 1.000 inhabitants, and how it moves."""

    code: str
    drug_rate: float  # drug users per 1.000 inhabitants in a commune with drugs
    clean_share: float  # share of communes with no drug users at the start
    service_rate: float  # service businesses per 1.000 inhabitants
    prone_share: float  # prone businesses among service businesses
    hiv_rate: float  # people with HIV per 1.000 inhabitants
    healthy_recognitions: float  # new healthy communes recognised a year (mean)
    pop_scale: float = 1.0  # commune populations relative to the usual draws (a large city's are larger)


PROFILES: tuple[ProvinceProfile, ...] = (
    ProvinceProfile(HANOI, 2.6, 0.10, 2.2, 0.06, 3.0, 4.0),
    ProvinceProfile(QUANG_NAM, 1.4, 0.30, 2.1, 0.44, 0.8, 2.5),
    ProvinceProfile(DIEN_BIEN, 7.0, 0.42, 0.9, 0.15, 6.0, 2.4),
)

DEMO_SOURCE = "Dữ liệu minh họa do máy sinh (demo), khớp với số liệu các báo cáo mẫu"

# Snapshot ids (the date the figures stand at) and what each holds.
SNAPSHOTS: tuple[tuple[str, dt.date], ...] = (
    ("2024-12-31", dt.date(2024, 12, 1)),
    ("2025-12-31", dt.date(2025, 12, 1)),
)


def _month_index(year: int, month: int) -> int:
    return (year - FIRST_YEAR) * 12 + month - 1


def _year_slice(year: int, first_month: int = 1, last_month: int = 12) -> slice:
    return slice(_month_index(year, first_month), _month_index(year, last_month) + 1)


def _largest_remainder(total: int, weights: np.ndarray, room: np.ndarray | None = None) -> np.ndarray:
    """Split a whole number ``total`` ≥ 0 over cells in proportion to ``weights``, within ``room``."""
    weights = np.asarray(weights, dtype=float)
    out = np.zeros(len(weights), dtype=np.int64)
    room = np.full(len(weights), np.iinfo(np.int64).max // 4) if room is None else room.astype(np.int64)
    remaining = int(total)
    while remaining > 0:
        open_ = room - out > 0
        if not open_.any():
            raise ValueError("không đủ chỗ để phân bổ")
        w = np.where(open_, weights, 0.0)
        if w.sum() <= 0:
            w = open_.astype(float)
        share = w / w.sum() * remaining
        base = np.minimum(np.floor(share).astype(np.int64), room - out)
        out += base
        remaining -= int(base.sum())
        if remaining <= 0:
            break
        frac = np.where(room - out > 0, share - np.floor(share), -1.0)
        order = np.argsort(-frac, kind="stable")
        for i in order[:remaining]:
            if room[i] - out[i] > 0:
                out[i] += 1
                remaining -= 1
    return out


def _nudge(
    values: np.ndarray, target: int, floor: np.ndarray, cap: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Add or remove whole units so that ``values`` sum to ``target`` within [floor, cap]."""
    values = values.astype(np.int64).copy()
    diff = int(target) - int(values.sum())
    if diff > 0:
        values += _largest_remainder(diff, weights + 1e-9, cap - values)
    elif diff < 0:
        values -= _largest_remainder(-diff, values.astype(float) + 1e-9, values - floor)
    return values


def calibrate_stock(
    series: np.ndarray,
    rows: np.ndarray,
    month: int,
    target: int,
    floor: np.ndarray | None = None,
    cap: np.ndarray | None = None,
) -> None:
    """Scale the rows' whole history so that their sum in ``month`` is ``target``, exactly."""
    block = series[rows].astype(float)
    current = block[:, month].sum()
    if target == 0:
        series[rows] = 0
        return
    if current > 0:
        block = np.rint(block * (target / current))
    lo = np.zeros(len(rows), np.int64) if floor is None else floor[rows, month]
    hi = np.full(len(rows), 10**9, np.int64) if cap is None else cap[rows, month]
    if floor is not None:
        block = np.maximum(block, floor[rows])
    if cap is not None:
        block = np.minimum(block, cap[rows])
    weights = np.maximum(block[:, month], 1.0)
    block[:, month] = _nudge(block[:, month], target, lo, hi, weights)
    series[rows] = block.astype(series.dtype)


def redraw_at_level(
    series: np.ndarray,
    rows: np.ndarray,
    months: slice,
    total: int,
    drivers: np.ndarray,
    seed: int,
    stream: int,
) -> None:
    """Draw the rows' events again so that the reported period's level holds across the years.

    Monthly means follow ``drivers`` (the addicts with records of each commune), scaled so that
    ``months`` expect ``total`` events; the exact total is then set by ``calibrate_flow``.
    """
    base = drivers[rows].astype(float)
    expected = base[:, months].sum()
    if expected <= 0:
        return
    rng = np.random.default_rng([seed, stream, int(total), int(rows[0])])
    series[rows] = rng.poisson(base * (total / expected))


def calibrate_flow(series: np.ndarray, rows: np.ndarray, months: slice, target: int) -> None:
    """Scale the rows' events in ``months`` so that they add up to ``target``, exactly."""
    block = series[rows, months].astype(float)
    current = block.sum()
    if current > 0:
        block = np.floor(block * (target / current))
    flat = block.ravel()
    weights = series[rows, months].astype(float).ravel() + 0.5
    flat = _nudge(
        flat, target, np.zeros_like(flat, dtype=np.int64), np.full(flat.shape, 10**9, np.int64), weights
    )
    series[rows, months] = flat.reshape(block.shape)


def _smooth_noise(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    """Multiplicative AR(1) noise around 1, one row per commune."""
    shocks = rng.normal(0.0, scale, size=(n, N_MONTHS))
    out = np.empty_like(shocks)
    out[:, 0] = shocks[:, 0]
    for t in range(1, N_MONTHS):
        out[:, t] = 0.85 * out[:, t - 1] + shocks[:, t]
    return np.exp(out)


def _trend() -> np.ndarray:
    """Drug use rises until mid-2018, then falls slowly: the national picture of the period."""
    t = np.arange(N_MONTHS) / 12.0
    peak = 3.5
    return np.where(t < peak, 1.0 + 0.06 * t, (1.0 + 0.06 * peak) * np.exp(-0.045 * (t - peak)))


def generate_province(profile: ProvinceProfile, communes: pl.DataFrame, seed: int) -> dict[str, np.ndarray]:
    """Integer monthly series (communes × months) for every stored indicator of one province."""
    rng = np.random.default_rng([seed, int(profile.code)])
    n = communes.height
    kind = communes["commune_type"].to_numpy()
    urban = (kind == "Phường").astype(float)
    town = (kind == "Thị trấn").astype(float)
    rural = 1.0 - urban - town

    base_pop = (
        rng.uniform(8000, 24000, n) * urban
        + rng.uniform(5000, 14000, n) * town
        + rng.uniform(2500, 11000, n) * rural
    ) * profile.pop_scale
    years = np.arange(N_MONTHS) / 12.0
    growth = (1.0 + rng.uniform(0.004, 0.018, n))[:, None] ** years[None, :]
    pop = np.rint(base_pop[:, None] * growth)

    s: dict[str, np.ndarray] = {"population": pop}
    clean = rng.random(n) < profile.clean_share * (0.4 + 0.9 * rural)
    intensity = rng.lognormal(0.0, 0.7, n) * (1.0 + 0.6 * urban) * np.where(clean, 0.0, 1.0)
    slope = rng.normal(0.0, 0.02, n)[:, None] * years[None, :]
    users_f = (
        pop
        / 1000.0
        * profile.drug_rate
        * intensity[:, None]
        * _trend()[None, :]
        * np.exp(slope)
        * _smooth_noise(rng, n, 0.03)
    )
    # A clean commune sometimes sees a few users for a while, so the drug-free list moves.
    for i in np.flatnonzero(clean):
        if rng.random() < 0.5:
            start = rng.integers(0, N_MONTHS - 6)
            length = rng.integers(4, 30)
            users_f[i, start : start + length] = rng.integers(1, 4)
    users = np.rint(users_f)
    ratio = rng.uniform(0.74, 0.88, n)[:, None]
    s["drug_users"] = users
    s["addicts_managed"] = np.minimum(np.rint(users * ratio), users)
    s["methadone_patients"] = np.rint(s["addicts_managed"] * rng.uniform(0.15, 0.35, n)[:, None])
    s["drug_hotspots"] = np.rint(
        s["addicts_managed"] / rng.uniform(30, 60, n)[:, None] * _smooth_noise(rng, n, 0.05)
    )

    service = (
        pop
        / 1000.0
        * profile.service_rate
        * rng.lognormal(0.0, 0.5, n)[:, None]
        * (1.0 + 0.8 * urban)[:, None]
        * (1.0 + 0.02 * years)[None, :]
        * _smooth_noise(rng, n, 0.02)
    )
    s["service_businesses"] = np.rint(service)
    prone_share = np.clip(profile.prone_share * rng.lognormal(0.0, 0.4, n), 0.0, 0.95)
    prone_share = np.where(rng.random(n) < 0.25 * rural, 0.0, prone_share)
    s["prostitution_prone_businesses"] = np.minimum(
        np.rint(service * prone_share[:, None]), s["service_businesses"]
    )
    s["sensitive_businesses"] = np.minimum(
        np.rint(service * rng.uniform(0.04, 0.25, n)[:, None]), s["service_businesses"]
    )
    s["sex_workers_managed"] = np.rint(
        s["prostitution_prone_businesses"] * rng.uniform(0.05, 0.15, n)[:, None]
    )
    s["public_prostitution_hotspots"] = np.rint(
        (s["prostitution_prone_businesses"] > 25) * rng.uniform(0.0, 1.6, n)[:, None]
    )
    model_start = rng.integers(36, N_MONTHS + 24, n)
    s["prostitution_model_wards"] = (np.arange(N_MONTHS)[None, :] >= model_start[:, None]).astype(float)
    s["missing_persons"] = np.rint(
        pop / 1000.0 * 0.02 * rng.lognormal(0.0, 0.8, n)[:, None] * _smooth_noise(rng, n, 0.05)
    )
    s["hiv_cases"] = np.rint(
        pop / 1000.0 * profile.hiv_rate * rng.lognormal(0.0, 0.5, n)[:, None] * (1.0 - 0.01 * years)[None, :]
    )
    s["arv_patients"] = np.minimum(
        np.rint(s["hiv_cases"] * (0.55 + 0.03 * years)[None, :] * rng.uniform(0.9, 1.1, n)[:, None]),
        s["hiv_cases"],
    )
    s["b93_clubs"] = (np.arange(N_MONTHS)[None, :] >= rng.integers(12, N_MONTHS * 3, n)[:, None]).astype(
        float
    )

    managed = s["addicts_managed"]
    s["compulsory_rehab"] = rng.poisson(managed * 0.0065)
    s["home_community_rehab"] = rng.poisson(managed * 0.009)
    s["voluntary_rehab_center"] = rng.poisson(managed * 0.011)
    returnees = rng.poisson(managed * 0.008)
    s["post_rehab_returnees"] = returnees
    s["post_rehab_managed"] = rng.binomial(returnees, 0.93)
    s["post_rehab_supported"] = rng.binomial(returnees, 0.62)
    s["post_rehab_loans"] = rng.binomial(returnees, 0.06)
    s["vocational_training"] = rng.binomial(returnees, 0.18)
    s["commune_education_cases"] = rng.poisson(managed * 0.014)
    s["trafficking_victims_returned"] = rng.poisson(
        np.broadcast_to(0.006 * (1 + urban)[:, None], managed.shape)
    )
    pregnant = rng.poisson(s["hiv_cases"] * 0.0008)
    s["pregnant_hiv"] = pregnant
    s["pregnant_hiv_pmtct"] = rng.binomial(pregnant, 0.9)
    return {k: np.asarray(v, dtype=np.int64) for k, v in s.items()}


def add_rehab_total(series: dict[str, np.ndarray]) -> None:
    """Rehab in all forms as the sum of its forms: derived, so no random stream moves."""
    series["rehab_total"] = sum(np.asarray(series[form]) for form in REHAB_FORMS)


def split_addicts(series: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Where the addicts with records are: rehab centre, prison, absent; the rest in the community."""
    managed = series["addicts_managed"]
    n = managed.shape[0]
    rehab = np.rint(managed * rng.uniform(0.2, 0.3, n)[:, None])
    prison = np.rint(managed * rng.uniform(0.06, 0.1, n)[:, None])
    absent = np.rint(managed * rng.uniform(0.08, 0.13, n)[:, None])
    series["addicts_in_rehab_center"] = rehab.astype(np.int64)
    series["addicts_in_prison_or_school"] = prison.astype(np.int64)
    series["addicts_absent"] = absent.astype(np.int64)
    series["addicts_in_community"] = (managed - rehab - prison - absent).astype(np.int64)
    series["rehab_center_residents"] = np.rint(rehab * 0.4).astype(np.int64)
    series["addicts_confirmed"] = np.rint(managed * 0.9).astype(np.int64)


def _rows(communes: pl.DataFrame, district: str | None = None) -> np.ndarray:
    if district is None:
        return np.arange(communes.height)
    return np.flatnonzero(communes["district_code"].to_numpy() == district)


def calibrate_quang_nam(series: dict[str, np.ndarray], communes: pl.DataFrame) -> None:
    """Quảng Nam, 9 months of 2017 (seed report 001)."""
    rows = _rows(communes)
    sep = _month_index(2017, 9)
    calibrate_stock(series["addicts_managed"], rows, sep, 1456, cap=series["drug_users"])
    calibrate_stock(series["drug_users"], rows, sep, 1793, floor=series["addicts_managed"])
    series["drug_users"] = np.maximum(series["drug_users"], series["addicts_managed"])
    calibrate_stock(series["methadone_patients"], rows, sep, 381)
    calibrate_stock(
        series["service_businesses"], rows, sep, 3073, floor=series["prostitution_prone_businesses"]
    )
    calibrate_stock(
        series["prostitution_prone_businesses"], rows, sep, 1354, cap=series["service_businesses"]
    )
    series["sensitive_businesses"] = np.minimum(series["sensitive_businesses"], series["service_businesses"])
    calibrate_stock(series["sex_workers_managed"], rows, sep, 130)
    calibrate_stock(series["missing_persons"], rows, sep, 46)
    calibrate_flow(series["trafficking_victims_returned"], rows, _year_slice(2017, 1, 9), 14)


def calibrate_nam_tu_liem(series: dict[str, np.ndarray], communes: pl.DataFrame) -> None:
    """Quận Nam Từ Liêm, 2021 and 9 months of 2022 (seed report 004)."""
    rows = _rows(communes, NAM_TU_LIEM)
    sep = _month_index(2022, 9)
    calibrate_stock(series["addicts_managed"], rows, sep, 445)
    series["drug_users"][rows] = np.maximum(series["drug_users"][rows], series["addicts_managed"][rows])
    calibrate_stock(series["sensitive_businesses"], rows, sep, 182, cap=series["service_businesses"])
    calibrate_stock(series["prostitution_prone_businesses"], rows, sep, 5, cap=series["service_businesses"])
    calibrate_stock(series["public_prostitution_hotspots"], rows, sep, 0)
    series["prostitution_model_wards"][rows, _month_index(2020, 1) :] = 1
    # The district's whole history of each flow is brought to the level of the reported period
    # first, so that the reported year does not stand out from the years around it.
    for stream, (name, months, total) in enumerate(
        (
            ("commune_education_cases", _year_slice(2022, 1, 9), 64),
            ("compulsory_rehab", _year_slice(2021), 38),
            ("home_community_rehab", _year_slice(2021), 54),
            ("voluntary_rehab_center", _year_slice(2022, 1, 9), 64),
        )
    ):
        redraw_at_level(series[name], rows, months, total, series["addicts_managed"], DEMO_SEED, stream)
    calibrate_flow(series["commune_education_cases"], rows, _year_slice(2022, 1, 9), 64)
    calibrate_flow(series["compulsory_rehab"], rows, _year_slice(2021), 38)
    calibrate_flow(series["home_community_rehab"], rows, _year_slice(2021), 54)
    calibrate_flow(series["compulsory_rehab"], rows, _year_slice(2022, 1, 9), 22)
    calibrate_flow(series["voluntary_rehab_center"], rows, _year_slice(2022, 1, 9), 64)


def place_nam_tu_liem_addicts(series: dict[str, np.ndarray], communes: pl.DataFrame) -> None:
    """September 2022: of 445 addicts, 232 in the community, 51 absent, 123 in centres, 39 in prison."""
    rows = _rows(communes, NAM_TU_LIEM)
    sep = _month_index(2022, 9)
    managed = series["addicts_managed"][rows, sep]
    left = managed.copy()
    for name, total in (
        ("addicts_in_rehab_center", 123),
        ("addicts_absent", 51),
        ("addicts_in_prison_or_school", 39),
    ):
        part = _largest_remainder(total, managed.astype(float), left)
        series[name][rows, sep] = part
        left = left - part
    series["addicts_in_community"][rows, sep] = left
    calibrate_stock(series["addicts_confirmed"], rows, sep, 406, cap=series["addicts_managed"])


def class_rank(
    users: np.ndarray, addicts: np.ndarray, hotspots: np.ndarray, scale: float = 1.0
) -> np.ndarray:
    """The drug class (index into ``schema.DRUG_CLASSES``) a commune's year-end figures point to.

    No drug users: drug-free; else by addicts with records or drug hotspots, the thresholds
    times ``scale`` (a new commune of 2025 is about three old ones).
    """
    rank = np.ones(users.shape, dtype=np.int64)
    rank[(addicts >= 25 * scale) | (hotspots >= 2 * scale)] = 2
    rank[(addicts >= 50 * scale) | (hotspots >= 3 * scale)] = 3
    rank[(addicts >= 100 * scale) | (hotspots >= 5 * scale)] = 4
    rank[users == 0] = 0
    return rank


def classify(
    series: dict[str, np.ndarray],
    profile: ProvinceProfile,
    communes: pl.DataFrame,
    rng: np.random.Generator,
    healthy_counts: dict[int, int] | None = None,
) -> pl.DataFrame:
    """The yearly classification of each commune, from its December figures."""
    n = communes.height
    dec = [_month_index(y, 12) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    users = series["drug_users"][:, dec]
    addicts = series["addicts_managed"][:, dec]
    hotspots = series["drug_hotspots"][:, dec]
    prone = series["prostitution_prone_businesses"][:, dec]
    workers = series["sex_workers_managed"][:, dec]

    drug_class = np.array(schema.DRUG_CLASSES, dtype=object)[class_rank(users, addicts, hotspots)]

    score = addicts + 4 * workers + 2 * prone
    threshold = np.quantile(score[:, 0], 0.85)
    complex_ = (score >= max(threshold, 8)) & (users > 0)

    eligible = (users == 0) & (workers == 0) & (prone <= 1) & ~complex_
    healthy = np.zeros(users.shape, dtype=bool)
    order = rng.permutation(n)
    first = eligible[:, 0] & (rng.random(n) < 0.55)
    healthy[:, 0] = first
    for y in range(1, users.shape[1]):
        keep = healthy[:, y - 1] & eligible[:, y]
        candidates = [i for i in order if eligible[i, y] and not keep[i]]
        new = candidates[: rng.poisson(profile.healthy_recognitions)]
        healthy[:, y] = keep
        healthy[new, y] = True
        if healthy_counts and FIRST_YEAR + y in healthy_counts:
            healthy[:, y] = _exactly(healthy[:, y], eligible[:, y], healthy_counts[FIRST_YEAR + y], order)

    codes = communes["commune_code"].to_list()
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    return pl.DataFrame(
        {
            "year": np.repeat(years, n).astype(np.int32),
            "commune_code": codes * len(years),
            "drug_class": drug_class.T.ravel().tolist(),
            "complex": complex_.T.ravel(),
            "healthy": healthy.T.ravel(),
        }
    )


def _exactly(current: np.ndarray, eligible: np.ndarray, count: int, order: np.ndarray) -> np.ndarray:
    """Recognise or withdraw communes (in a fixed random order) until exactly ``count`` are healthy."""
    out = current.copy()
    for i in order:
        if out.sum() >= count:
            break
        if eligible[i]:
            out[i] = True
    for i in order[::-1]:
        if out.sum() <= count:
            break
        if out[i]:
            out[i] = False
    if out.sum() != count:
        raise ValueError(f"không đủ xã đủ điều kiện để có đúng {count} xã lành mạnh")
    return out


def series_to_facts(series: dict[str, np.ndarray], codes: list[str]) -> pl.DataFrame:
    """Long facts rows (period, unit_code, indicator, value) from commune × month arrays."""
    n = len(codes)
    frames = []
    periods = pl.Series("period", MONTHS, dtype=pl.Date)
    for indicator in sorted(series):
        values = series[indicator]
        frames.append(
            pl.DataFrame(
                {
                    "period": pl.concat([periods] * n),
                    "unit_code": np.repeat(np.array(codes, dtype=object), N_MONTHS).tolist(),
                    "indicator": indicator,
                    "value": values.ravel().astype(np.float64),
                }
            )
        )
    return pl.concat(frames)


def demo_targets(facts: pl.DataFrame, geography: Geography, rng: np.random.Generator) -> pl.DataFrame:
    """The targets of the seed reports, yearly rehab quotas for every district, and the 2030 goal."""
    rows: list[tuple[int, str, str, str, float, str | None]] = []
    plan_db = "Kế hoạch 827/KH-UBND ngày 28/3/2017"
    rows.append((2017, DIEN_BIEN, "healthy_communes", "keep_all", 47.0, plan_db))
    rows.append((2017, DIEN_BIEN, "healthy_communes", "at_least", 49.0, plan_db))
    for year in range(2017, LAST_YEAR + 1):
        if year > 2017:
            rows.append((year, DIEN_BIEN, "healthy_communes", "keep_all", 0.0, plan_db))
            rows.append((year, DIEN_BIEN, "healthy_communes", "new_at_least", 2.0, plan_db))
        rows.append((year, DIEN_BIEN, "complex_communes", "reduce_more_than_pct", 3.0, plan_db))
        rows.append((year, DIEN_BIEN, "key_communes", "reduce_at_least_pct", 2.0, plan_db))
        rows.append((year, DIEN_BIEN, "post_rehab_supported_share", "at_least", 100.0, plan_db))
    plan_hm = "Kế hoạch 106/KH-UBND ngày 18/3/2019"
    for metric, value in (
        ("compulsory_rehab", 45),
        ("home_community_rehab", 40),
        ("voluntary_rehab_center", 120),
        ("post_rehab_loans", 1),
        ("b93_clubs", 1),
        ("post_rehab_managed_share", 100),
    ):
        rows.append((2019, HOANG_MAI, metric, "at_least", float(value), plan_hm))
    for metric, rule, value, year in (
        ("post_rehab_managed_share", "at_least", 100, 2017),
        ("home_rehab_share", "at_least", 40, 2017),
        ("methadone_patients", "at_least", 38, 2017),
        ("arv_patients", "at_least", 44, 2017),
        ("pmtct_coverage", "at_least", 100, 2017),
        ("hiv_prevalence", "at_most", 0.3, 2020),
    ):
        rows.append((year, DUC_GIANG, metric, rule, float(value), "Nghị quyết của Đảng ủy phường"))
    seeded = {
        (2021, NAM_TU_LIEM, "compulsory_rehab"): 32,
        (2021, NAM_TU_LIEM, "home_community_rehab"): 30,
        (2022, NAM_TU_LIEM, "compulsory_rehab"): 32,
        (2022, NAM_TU_LIEM, "voluntary_rehab_center"): 60,
    }
    for key, value in seeded.items():
        rows.append((*key, "at_least", float(value), "Chỉ tiêu thành phố giao"))
    for province in (HANOI, QUANG_NAM, DIEN_BIEN):
        rows.append((2030, province, "drug_free_share", "at_least", 50.0, "Mục tiêu quốc gia đến năm 2030"))

    taken = {(y, u, m) for y, u, m, *_ in rows}
    rows += district_quotas(facts, geography, (HANOI, QUANG_NAM, DIEN_BIEN), rng, taken)
    return pl.DataFrame(rows, schema=schema.TARGETS_SCHEMA, orient="row")


QUOTA_METRICS = ("compulsory_rehab", "home_community_rehab", "voluntary_rehab_center")
QUOTA_NOTE = "Chỉ tiêu giao hằng năm"


def district_quotas(
    facts: pl.DataFrame,
    geography: Geography,
    provinces: tuple[str, ...],
    rng: np.random.Generator,
    taken: Container[tuple[int, str, str]] = frozenset(),
) -> list[tuple[int, str, str, str, float, str]]:
    """Yearly rehab quotas of every district (with communes) of ``provinces``: about the year's figure.

    Quotas already in ``taken`` (year, district, metric) — a seed report's — are left out.
    """
    districts = geography.units.filter(
        (pl.col("level") == "district") & pl.col("parent_code").is_in(list(provinces))
    )["unit_code"].to_list()
    parent = dict(
        geography.units.filter(pl.col("level") == "commune").select("unit_code", "parent_code").iter_rows()
    )
    yearly = (
        facts.filter(pl.col("indicator").is_in(QUOTA_METRICS))
        .with_columns(
            pl.col("unit_code").replace_strict(parent, default=None).alias("district"),
            pl.col("period").dt.year().alias("year"),
        )
        .group_by("district", "year", "indicator")
        .agg(pl.col("value").sum())
    )
    actual = {(d, y, i): v for d, y, i, v in yearly.iter_rows()}
    rows = []
    for district in sorted(districts):
        if not geography.children(district):
            continue  # an island district without communes (Hoàng Sa) has no figures to set a quota on
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for metric in QUOTA_METRICS:
                if (year, district, metric) in taken:
                    continue
                expected = actual.get((district, year, metric), 0.0)
                quota = max(1.0, float(np.rint(expected * rng.uniform(0.8, 1.2))))
                rows.append((year, district, metric, "at_least", quota, QUOTA_NOTE))
    return rows


@dataclass(frozen=True)
class DemoData:
    """Everything the demo snapshots are cut from."""

    facts: pl.DataFrame
    status: pl.DataFrame
    targets: pl.DataFrame


def build(geography: Geography, seed: int = DEMO_SEED) -> DemoData:
    """Generate the full demo data set (2015–2025) for the demo provinces."""
    facts_parts, status_parts = [], []
    ref = geography.communes.filter(pl.col("commune_code").is_not_null())
    for profile in PROFILES:
        communes = ref.filter(pl.col("province_code") == profile.code).sort("commune_code")
        rng = np.random.default_rng([seed, int(profile.code), 1])
        series = generate_province(profile, communes, seed)
        if profile.code == QUANG_NAM:
            calibrate_quang_nam(series, communes)
        if profile.code == HANOI:
            calibrate_nam_tu_liem(series, communes)
        split_addicts(series, rng)
        if profile.code == QUANG_NAM:
            rows = _rows(communes)
            calibrate_stock(series["rehab_center_residents"], rows, _month_index(2017, 9), 131)
        if profile.code == HANOI:
            place_nam_tu_liem_addicts(series, communes)
        add_rehab_total(series)
        missing = MONTHLY_INDICATORS - set(series)
        if missing:
            raise AssertionError(f"demo thiếu chỉ tiêu: {sorted(missing)}")
        codes = communes["commune_code"].to_list()
        facts_parts.append(series_to_facts(series, codes))
        # Điện Biên had 47 healthy communes when its 2017 plan was made (seed report 003).
        counts = {2016: 47} if profile.code == DIEN_BIEN else None
        status_parts.append(classify(series, profile, communes, rng, counts))
    facts = pl.concat(facts_parts).sort(schema.FACTS_KEY)
    status = pl.concat(status_parts).sort(schema.STATUS_KEY)
    targets = demo_targets(facts, geography, np.random.default_rng([seed, 99]))
    return DemoData(facts, status, targets)


def revise(facts: pl.DataFrame, communes: list[str], seed: int) -> pl.DataFrame:
    """The later snapshot's corrections: some 2024 rehab counts of ``communes``, reported late."""
    rng = np.random.default_rng([seed, 7])
    hanoi_late = facts.filter(
        (pl.col("indicator") == "voluntary_rehab_center")
        & (pl.col("period").dt.year() == 2024)
        & pl.col("unit_code").is_in(communes)
    ).select("period", "unit_code", "indicator")
    pick = hanoi_late.with_columns(pl.Series("_r", rng.random(hanoi_late.height))).filter(pl.col("_r") < 0.03)
    bumps = pick.select("period", "unit_code", "indicator", pl.lit(1.0).alias("_add"))
    # The total of all forms moves with the form that was revised.
    bumps = pl.concat([bumps, bumps.with_columns(pl.lit("rehab_total").alias("indicator"))])
    return (
        facts.join(bumps, on=["period", "unit_code", "indicator"], how="left")
        .with_columns((pl.col("value") + pl.col("_add").fill_null(0.0)).alias("value"))
        .drop("_add")
    )


# --- across the 2025 reform: a snapshot of contract version 2 ---------------------------------
#
# Until June 2025 the demo provinces report in the old units, from July 2025 in the new ones
# (docs/REFORM.md). Thành phố Đà Nẵng (old 48) joins the demo because it and Quảng Nam (49)
# became the new Thành phố Đà Nẵng (48) on 1 July 2025; Hà Nội (01) and Điện Biên (11) kept
# their borders but not their communes. Each old commune's series runs on past June 2025 and is
# handed to the new communes through the crosswalk, so no province total jumps at the reform.

DA_NANG = "48"
# The old Thành phố Đà Nẵng (47 communes in the reference table, about 1,2 million people):
# fewer drug users per head than Hà Nội, many service businesses (a tourist city).
DA_NANG_PROFILE = ProvinceProfile(DA_NANG, 1.1, 0.04, 3.4, 0.25, 1.2, 1.5, pop_scale=1.8)

# New province (2025 code) → the old provinces it was formed from, among those with demo data.
REFORM_PROVINCES: dict[str, tuple[str, ...]] = {
    HANOI: (HANOI,),
    DA_NANG: (QUANG_NAM, DA_NANG),
    DIEN_BIEN: (DIEN_BIEN,),
}

# The version 2 snapshot: its id and the last month with data.
REFORM_SNAPSHOT: tuple[str, dt.date] = ("2026-10-31", dt.date(2026, 10, 1))


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, year, month = [], first.year, first.month
    while dt.date(year, month, 1) <= last:
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# The months of the version 2 snapshot keyed in the 2025 units.
NEW_MONTHS: tuple[dt.date, ...] = tuple(_months(reform.REFORM_DATE, REFORM_SNAPSHOT[1]))
# The months after the generated history (2015–2025) that are continued from December 2025.
EXTENDED_MONTHS: tuple[dt.date, ...] = tuple(_months(dt.date(LAST_YEAR + 1, 1, 1), REFORM_SNAPSHOT[1]))

# How a split old commune's figure is divided between its pieces: a part in proportion to the
# pieces of its whole (after the parts listed before it), so that no piece has more of a part
# than of the whole; an indicator not listed is divided equally. Listed after its whole.
SPLIT_WITHIN: dict[str, tuple[str, tuple[str, ...]]] = {
    "addicts_managed": ("drug_users", ()),
    "addicts_in_rehab_center": ("addicts_managed", ()),
    "addicts_in_prison_or_school": ("addicts_managed", ("addicts_in_rehab_center",)),
    "addicts_absent": ("addicts_managed", ("addicts_in_rehab_center", "addicts_in_prison_or_school")),
    "addicts_in_community": (
        "addicts_managed",
        ("addicts_in_rehab_center", "addicts_in_prison_or_school", "addicts_absent"),
    ),
    "addicts_confirmed": ("addicts_managed", ()),
    "methadone_patients": ("addicts_managed", ()),
    "rehab_center_residents": ("addicts_in_rehab_center", ()),
    "prostitution_prone_businesses": ("service_businesses", ()),
    "sensitive_businesses": ("service_businesses", ()),
    "arv_patients": ("hiv_cases", ()),
    "post_rehab_managed": ("post_rehab_returnees", ()),
    "post_rehab_supported": ("post_rehab_returnees", ()),
    "post_rehab_loans": ("post_rehab_returnees", ()),
    "vocational_training": ("post_rehab_returnees", ()),
    "pregnant_hiv_pmtct": ("pregnant_hiv", ()),
}

# Per new province: healthy communes recognised a year (mean), and for 2026 the share of its
# complex communes taken off the list and the share added (Đà Nẵng's campaign brings the
# count down by well over 3%, Hà Nội's barely moves). In 2025 every list drifts a little.
NEW_PROVINCE_PLANS: dict[str, tuple[float, float, float]] = {
    HANOI: (1.5, 0.02, 0.01),
    DA_NANG: (2.5, 0.10, 0.0),
    DIEN_BIEN: (2.5, 0.06, 0.01),
}
COMPLEX_DRIFT_2025 = (0.04, 0.02)
# Per new province and year: the share of its communes it plans to have recognised drug-free
# (không ma túy), on the road to the national 50% by 2030 (provinces cite at least 20% for 2025;
# Hà Nội's plan 290/KH-UBND 20%, Nghệ An 20% then 30%). Điện Biên, with more drug users per
# resident, plans less.
DRUG_FREE_PLANS: dict[str, dict[int, float]] = {
    HANOI: {2025: 0.20, 2026: 0.30},
    DA_NANG: {2025: 0.20, 2026: 0.30},
    DIEN_BIEN: {2025: 0.15, 2026: 0.20},
}
PLAN_NOTE = "Kế hoạch năm của Ban Chỉ đạo tỉnh, thành phố"
RESTATED_NOTE = "Chỉ tiêu năm 2025 giao cho các huyện cũ, chuyển cho tỉnh, thành phố mới từ 01/7/2025"


def generate_old_da_nang(geography: Geography, seed: int = DEMO_SEED) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Facts (2015–2025) and yearly classifications of the old Thành phố Đà Nẵng, in the old units.

    Drawn from its own random streams, so nothing of the other demo provinces changes.
    """
    communes = geography.communes.filter(
        pl.col("commune_code").is_not_null() & (pl.col("province_code") == DA_NANG)
    ).sort("commune_code")
    rng = np.random.default_rng([seed, int(DA_NANG), 1])
    series = generate_province(DA_NANG_PROFILE, communes, seed)
    split_addicts(series, rng)
    add_rehab_total(series)
    codes = communes["commune_code"].to_list()
    return series_to_facts(series, codes), classify(series, DA_NANG_PROFILE, communes, rng)


def _to_arrays(facts: pl.DataFrame, codes: list[str], months: list[dt.date]) -> dict[str, np.ndarray]:
    """Integer arrays (codes × months) per stored indicator from long facts rows."""
    code_index = pl.DataFrame({"unit_code": codes, "_row": np.arange(len(codes))})
    month_index = pl.DataFrame(
        {"period": months, "_col": np.arange(len(months))}, schema_overrides={"period": pl.Date}
    )
    frame = (
        facts.select(list(schema.FACTS_SCHEMA))
        .join(code_index, on="unit_code")
        .join(month_index, on="period")
    )
    if frame.height != len(codes) * len(months) * len(MONTHLY_INDICATORS):
        raise ValueError("số liệu không đủ mọi xã, mọi tháng, mọi chỉ tiêu")
    out = {}
    for indicator in sorted(MONTHLY_INDICATORS):
        part = frame.filter(pl.col("indicator") == indicator)
        values = np.zeros((len(codes), len(months)), dtype=np.int64)
        values[part["_row"].to_numpy(), part["_col"].to_numpy()] = np.rint(part["value"].to_numpy())
        out[indicator] = values
    return out


def _to_facts(series: dict[str, np.ndarray], codes: list[str], months: list[dt.date]) -> pl.DataFrame:
    n, m = len(codes), len(months)
    frames = [
        pl.DataFrame(
            {
                "period": pl.Series(months * n, dtype=pl.Date),
                "unit_code": np.repeat(np.array(codes, dtype=object), m).tolist(),
                "indicator": indicator,
                "value": series[indicator].ravel().astype(np.float64),
            }
        )
        for indicator in sorted(series)
    ]
    return pl.concat(frames).cast(schema.FACTS_SCHEMA)


def _ar_path(rng: np.random.Generator, n: int, months: int, scale: float, yearly: float) -> np.ndarray:
    """A multiplicative path starting at 1: a steady yearly drift times smooth AR(1) noise."""
    shocks = rng.normal(0.0, scale, size=(n, months))
    noise = np.empty_like(shocks)
    noise[:, 0] = shocks[:, 0]
    for t in range(1, months):
        noise[:, t] = 0.85 * noise[:, t - 1] + shocks[:, t]
    steps = np.arange(1, months + 1) / 12.0
    return yearly ** steps[None, :] * np.exp(noise)


def continue_series(
    hist: dict[str, np.ndarray], months: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """The next ``months`` of one province's communes, from their last 13 months (December to December).

    Stocks drift smoothly from their last level at the province's pace of the last year (kept
    within -10%..+5% a year), with the same kind of monthly noise as the history; flows keep
    each commune's monthly rate of the last twelve months (following the addicts with records
    for the drug flows), drawn again. Parts never exceed their wholes.
    """
    last = {k: v[:, -1].astype(float) for k, v in hist.items()}
    n = hist["population"].shape[0]

    def pace(name: str, low: float = 0.9, high: float = 1.05) -> float:
        before, now = hist[name][:, 0].sum(), hist[name][:, -1].sum()
        return float(np.clip(now / before, low, high)) if before > 0 else 1.0

    def stock(name: str, path: np.ndarray) -> np.ndarray:
        # The last count was rounded: start from a level within half a unit of it, so that a
        # slow drift moves the communes one at a time rather than all in the same month.
        level = last[name] + np.where(last[name] > 0, rng.uniform(-0.5, 0.5, n), 0.0)
        return np.rint(level[:, None] * path).astype(np.int64)

    s: dict[str, np.ndarray] = {}
    steps = np.arange(1, months + 1) / 12.0
    s["population"] = stock("population", pace("population", 0.99, 1.03) ** steps[None, :])

    drugs = _ar_path(rng, n, months, 0.03, pace("addicts_managed"))
    s["drug_users"] = stock("drug_users", drugs)
    managed = np.minimum(stock("addicts_managed", drugs), s["drug_users"])
    s["addicts_managed"] = managed
    left = managed.copy()
    for name in ("addicts_in_rehab_center", "addicts_in_prison_or_school", "addicts_absent"):
        s[name] = np.minimum(stock(name, drugs), left)
        left = left - s[name]
    s["addicts_in_community"] = left
    s["addicts_confirmed"] = np.minimum(stock("addicts_confirmed", drugs), managed)
    s["methadone_patients"] = np.minimum(stock("methadone_patients", drugs), managed)
    s["rehab_center_residents"] = np.minimum(
        stock("rehab_center_residents", drugs), s["addicts_in_rehab_center"]
    )
    s["drug_hotspots"] = stock("drug_hotspots", drugs * _ar_path(rng, n, months, 0.05, 1.0))

    business = _ar_path(rng, n, months, 0.02, pace("service_businesses"))
    s["service_businesses"] = stock("service_businesses", business)
    for name in ("prostitution_prone_businesses", "sensitive_businesses"):
        s[name] = np.minimum(stock(name, business), s["service_businesses"])
    s["sex_workers_managed"] = stock("sex_workers_managed", business * _ar_path(rng, n, months, 0.03, 1.0))
    s["public_prostitution_hotspots"] = stock("public_prostitution_hotspots", np.ones((n, months)))
    s["missing_persons"] = stock("missing_persons", _ar_path(rng, n, months, 0.05, 1.0))
    hiv = pace("hiv_cases") ** steps[None, :]  # as smooth as the history: no monthly noise
    s["hiv_cases"] = stock("hiv_cases", hiv)
    s["arv_patients"] = np.minimum(stock("arv_patients", hiv * (1.0 + 0.03 * steps)[None, :]), s["hiv_cases"])
    # Clubs and model wards, once set up, stay; more start at the pace of the last year.
    for name in ("prostitution_model_wards", "b93_clubs"):
        was_zero = hist[name][:, 0] == 0
        started_lately = (was_zero & (hist[name][:, -1] > 0)).sum()
        hazard = started_lately / max(int(was_zero.sum()), 1) / 12.0
        start = rng.geometric(min(max(hazard, 1e-6), 1.0), n) - 1
        started = (np.arange(months)[None, :] >= start[:, None]) & (last[name] == 0)[:, None]
        s[name] = np.where(started, 1, last[name][:, None]).astype(np.int64)

    def rate(name: str) -> np.ndarray:
        return hist[name][:, 1:].mean(axis=1)[:, None]

    def share(part: str, whole: str) -> float:
        total = hist[whole][:, 1:].sum()
        return float(hist[part][:, 1:].sum() / total) if total > 0 else 0.0

    for name in (
        "compulsory_rehab",
        "home_community_rehab",
        "voluntary_rehab_center",
        "commune_education_cases",
    ):
        s[name] = rng.poisson(rate(name) * drugs)
    returnees = rng.poisson(rate("post_rehab_returnees") * drugs)
    s["post_rehab_returnees"] = returnees
    for name in ("post_rehab_managed", "post_rehab_supported", "post_rehab_loans", "vocational_training"):
        s[name] = rng.binomial(returnees, share(name, "post_rehab_returnees"))
    s["trafficking_victims_returned"] = rng.poisson(
        np.broadcast_to(rate("trafficking_victims_returned"), (n, months))
    )
    pregnant = rng.poisson(np.broadcast_to(rate("pregnant_hiv"), (n, months)))
    s["pregnant_hiv"] = pregnant
    s["pregnant_hiv_pmtct"] = rng.binomial(pregnant, share("pregnant_hiv_pmtct", "pregnant_hiv"))
    add_rehab_total(s)
    missing = MONTHLY_INDICATORS - set(s)
    if missing:
        raise AssertionError(f"phần nối dài thiếu chỉ tiêu: {sorted(missing)}")
    return {k: np.asarray(v, dtype=np.int64) for k, v in s.items()}


def divide(values: np.ndarray, group: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Divide each group's whole number (``values``: groups × months) between its pieces.

    ``group``: the group of each piece; ``weights``: pieces × months, whole numbers ≥ 0. Each
    piece gets its share rounded down, and the units left over go to the largest remainders
    (on a tie, the earlier piece), so a group's pieces add up to its value exactly. When a
    group's value is at most the sum of its weights, no piece gets more than its weight.
    """
    n_groups, n_months = values.shape
    if group.size and group.max() >= n_groups:
        raise ValueError("nhóm ngoài phạm vi")
    weights = weights.astype(np.int64)
    total = np.zeros((n_groups, n_months), dtype=np.int64)
    np.add.at(total, group, weights)
    if (values[total == 0] > 0).any():
        raise ValueError("một giá trị không có mảnh nào để chia vào")
    denominator = np.where(total[group] > 0, total[group], 1)
    scaled = values[group] * weights
    out = np.where(total[group] > 0, scaled // denominator, 0)
    remainder = np.where(total[group] > 0, scaled % denominator, 0)
    given = np.zeros_like(total)
    np.add.at(given, group, out)
    left = values - given
    piece = np.arange(group.size)
    first = np.searchsorted(np.sort(group), np.arange(n_groups))
    for t in range(n_months):
        order = np.lexsort((piece, -remainder[:, t], group))
        rank = np.arange(group.size) - first[group[order]]
        out[order, t] += rank < left[group[order], t]
    return out


@dataclass(frozen=True)
class Division:
    """Old communes' series handed to new communes: one row per (old commune, new commune) piece."""

    old_codes: list[str]
    new_codes: list[str]
    old: dict[str, np.ndarray]  # old communes × months per indicator (what was divided)
    piece_old: np.ndarray  # index into old_codes of each piece
    piece_new: np.ndarray  # index into new_codes of each piece
    pieces: dict[str, np.ndarray]  # pieces × months per indicator
    new: dict[str, np.ndarray]  # new communes × months per indicator (the pieces added up)


def divide_between_new_communes(
    old: dict[str, np.ndarray],
    old_codes: list[str],
    new_codes: list[str],
    crosswalk: pl.DataFrame,
) -> Division:
    """Move old communes' series (old communes × months) to the new communes through the crosswalk.

    An old commune merged whole goes to its new commune; a split one is divided between its
    pieces (equally; parts in proportion to their wholes, ``SPLIT_WITHIN``), each person once.
    A new commune that no old commune reaches (Đặc khu Hoàng Sa, formed from an island
    district without communes) gets zeros.
    """
    rows = (
        crosswalk.filter(pl.col("old_commune_code").is_in(old_codes))
        .select("old_commune_code", "new_commune_code", "default")
        .unique()
        .sort(["old_commune_code", "default", "new_commune_code"], descending=[False, True, False])
    )
    old_index = {c: i for i, c in enumerate(old_codes)}
    new_index = {c: i for i, c in enumerate(new_codes)}
    outside = set(rows["new_commune_code"].to_list()) - set(new_index)
    if outside:
        raise ValueError(f"xã mới ngoài danh sách: {sorted(outside)[:5]}")
    missing = set(old_codes) - set(rows["old_commune_code"].to_list())
    if missing:
        raise ValueError(f"xã cũ không có trong bảng chuyển đổi: {sorted(missing)[:5]}")
    piece_old = np.array([old_index[c] for c in rows["old_commune_code"].to_list()], dtype=np.int64)
    piece_new = np.array([new_index[c] for c in rows["new_commune_code"].to_list()], dtype=np.int64)
    n_months = old["population"].shape[1]
    equal = np.ones((piece_old.size, n_months), dtype=np.int64)
    pieces: dict[str, np.ndarray] = {}
    for indicator in sorted(set(old) - set(SPLIT_WITHIN)):
        pieces[indicator] = divide(old[indicator], piece_old, equal)
    for indicator, (whole, before) in SPLIT_WITHIN.items():
        room = pieces[whole] - sum((pieces[b] for b in before), np.zeros_like(equal))
        values = old[indicator]
        whole_left = old[whole] - sum((old[b] for b in before), np.zeros_like(values))
        if (values > whole_left).any():
            raise ValueError(f"{indicator} vượt quá {whole} ở một xã cũ")
        pieces[indicator] = divide(values, piece_old, room)
    new = {}
    for indicator, values in pieces.items():
        added = np.zeros((len(new_codes), n_months), dtype=np.int64)
        np.add.at(added, piece_new, values)
        new[indicator] = added
    return Division(old_codes, new_codes, old, piece_old, piece_new, pieces, new)


STATUS_FLAGS = ("drug_class", "complex", "healthy")


def _next_list(
    previous: pl.DataFrame,
    figures: dict[str, np.ndarray],
    codes: list[str],
    year: int,
    rng: np.random.Generator,
    complex_cut: float = 0.0,
    complex_new: float = 0.0,
) -> pl.DataFrame:
    """One province's graded list of new communes for ``year``: last year's (``previous``) moved on.

    ``figures``: each indicator's year-end value per commune (aligned with ``codes``). The drug
    class drifts a step towards what the figures point to (a commune without drug users is
    drug-free); a few complex communes leave or join the list (``complex_cut``/``complex_new``:
    shares of last year's count, the lowest and the highest scores). Communes missing from
    ``previous`` start from their figures. Recognitions (drug-free with users under
    management, healthy) are ``_recognise``'s: ``healthy`` is left false here, and ``previous``
    is the graded list of the year before, so the grading runs on whatever was recognised.
    """
    n = len(codes)
    prior = {c: (d, x) for c, d, x in previous.select("commune_code", "drug_class", "complex").rows()}
    rank_of = {name: i for i, name in enumerate(schema.DRUG_CLASSES)}
    users, addicts = figures["drug_users"], figures["addicts_managed"]
    workers, prone = figures["sex_workers_managed"], figures["prostitution_prone_businesses"]
    implied = class_rank(users, addicts, figures["drug_hotspots"], 3.0)
    base = np.array([rank_of[prior[c][0]] if c in prior else implied[i] for i, c in enumerate(codes)])
    was_complex = np.array([bool(prior[c][1]) if c in prior else False for c in codes])

    move = rng.random(n) < 0.25
    rank = base + np.sign(implied - base) * move
    rank = np.where(users == 0, 0, np.maximum(rank, 1))

    score = addicts + 4 * workers + 2 * prone + rng.random(n)  # the fraction breaks ties
    complex_ = was_complex & (users > 0)
    count = int(complex_.sum())
    cut = int(np.rint(count * complex_cut))
    if cut:
        complex_[np.flatnonzero(complex_)[np.argsort(score[complex_], kind="stable")[:cut]]] = False
    joining = int(np.rint(count * complex_new))
    candidates = np.flatnonzero(~complex_ & ~was_complex & (users > 0))
    if joining and candidates.size:
        complex_[candidates[np.argsort(-score[candidates], kind="stable")[:joining]]] = True
    return pl.DataFrame(
        {
            "year": np.full(n, year, dtype=np.int32),
            "commune_code": codes,
            "drug_class": [schema.DRUG_CLASSES[r] for r in rank],
            "complex": complex_,
            "healthy": np.zeros(n, dtype=bool),
        },
        schema=schema.STATUS_SCHEMA,
    )


def _recognise(
    graded: pl.DataFrame,
    previous: pl.DataFrame,
    figures: dict[str, np.ndarray],
    rng: np.random.Generator,
    drug_free_share: float,
    recognitions: float,
) -> pl.DataFrame:
    """The list as published: ``graded`` (``_next_list``) with the year's recognitions added.

    A new commune is a merger of several old ones, so few have no drug user at all; as in a
    real province, communes are recognised *không ma túy* on their situation rather than on a
    zero count (demo rule, docs/REFORM.md): not key and not complex, no place of drug use
    (``drug_hotspots`` 0) at the year's end. One recognised the year before (``previous``, the
    published list) keeps it while it qualifies; more are recognised, the fewest drug users per
    resident first, until ``drug_free_share`` of the communes are drug-free (fewer if not
    enough qualify). *Lành mạnh* (healthy: neither drugs nor prostitution): a drug-free commune
    without a public prostitution hotspot and with at most one sex worker under management (a
    person being helped back, not a trade); healthy ones stay healthy while they qualify (in
    ``previous`` of 2025: the new communes that hold a commune healthy in 2024), and about
    ``recognitions`` more are recognised a year.
    """
    n = graded.height
    codes = graded["commune_code"].to_list()
    prior = {c: (d, h) for c, d, h in previous.select("commune_code", "drug_class", "healthy").rows()}
    was_free = np.array([c in prior and prior[c][0] == "khong_ma_tuy" for c in codes])
    was_healthy = np.array([c in prior and bool(prior[c][1]) for c in codes])
    drug_class = np.array(graded["drug_class"].to_list(), dtype=object)
    complex_ = graded["complex"].to_numpy()
    users, population = figures["drug_users"], figures["population"]
    # A commune nobody lives in (Đặc khu Hoàng Sa) is never recognised.
    qualifies = (
        np.isin(drug_class, ["khong_ma_tuy", "co_te_nan"])
        & ~complex_
        & (figures["drug_hotspots"] == 0)
        & (population > 0)
    )
    free = (drug_class == "khong_ma_tuy") | (was_free & qualifies)
    rate = users / np.where(population > 0, population, 1) + rng.random(n) * 1e-9  # the noise breaks ties
    candidates = np.flatnonzero(qualifies & ~free)
    wanted = max(int(np.rint(drug_free_share * n)) - int(free.sum()), 0)
    free[candidates[np.argsort(rate[candidates], kind="stable")[:wanted]]] = True
    drug_class[free] = "khong_ma_tuy"

    no_trade = (figures["sex_workers_managed"] <= 1) & (figures["public_prostitution_hotspots"] == 0)
    eligible = free & ~complex_ & no_trade & (population > 0)
    healthy = was_healthy & eligible
    new = [i for i in rng.permutation(n) if eligible[i] and not healthy[i]][: rng.poisson(recognitions)]
    healthy[new] = True
    return graded.with_columns(
        pl.Series("drug_class", drug_class.tolist(), dtype=pl.String),
        pl.Series("healthy", healthy),
    )


@dataclass(frozen=True)
class ReformData:
    """The version 2 demo snapshot's tables, and how the old communes' series were handed on."""

    facts: pl.DataFrame
    status: pl.DataFrame
    targets: pl.DataFrame
    division: Division  # every old commune's series from July 2025 and the pieces it gave
    months: tuple[dt.date, ...]  # the months of ``division`` (``NEW_MONTHS``)

    @cached_property
    def continued(self) -> pl.DataFrame:
        """Every old commune's series from July 2025, in the old codes (FACTS_SCHEMA)."""
        return _to_facts(self.division.old, self.division.old_codes, list(self.months))

    @cached_property
    def pieces(self) -> pl.DataFrame:
        """What each old commune gave each new commune: old_commune_code, new_commune_code, period,
        indicator, value."""
        return _pieces_frame(self.division, list(self.months))


def build_reform(
    facts: pl.DataFrame,
    status: pl.DataFrame,
    targets: pl.DataFrame,
    geography: Geography,
    seed: int = DEMO_SEED,
    crosswalk: pl.DataFrame | None = None,
    units_2025: pl.DataFrame | None = None,
) -> ReformData:
    """The version 2 snapshot from the newest version 1 snapshot's tables (2015–2025, old units).

    Facts before July 2025: the version 1 rows, plus the old Thành phố Đà Nẵng. From July 2025:
    every new commune of ``REFORM_PROVINCES``, each old commune's series (version 1 to December
    2025, then ``continue_series``) handed on by ``divide_between_new_communes``. Lists before
    2025 in old communes; 2025 and 2026 in new ones (2024's converted, then moved on). Targets
    before 2025 as in version 1; from 2025 for the new provinces.
    """
    crosswalk = reform.load_crosswalk() if crosswalk is None else crosswalk
    units_2025 = reform.load_units_2025() if units_2025 is None else units_2025
    da_nang_facts, da_nang_status = generate_old_da_nang(geography, seed)
    old_provinces = [p for olds in REFORM_PROVINCES.values() for p in olds]
    old_codes = (
        geography.communes.filter(
            pl.col("commune_code").is_not_null() & pl.col("province_code").is_in(old_provinces)
        )["commune_code"]
        .sort()
        .to_list()
    )
    province_of = dict(geography.communes.select("commune_code", "province_code").drop_nulls().iter_rows())
    history = pl.concat([facts.select(list(schema.FACTS_SCHEMA)), da_nang_facts]).cast(schema.FACTS_SCHEMA)

    # Each old province's communes: the version 1 months from July 2025, then the continuation.
    hist_months = _months(dt.date(LAST_YEAR - 1, 12, 1), dt.date(LAST_YEAR, 12, 1))
    hist = _to_arrays(history.filter(pl.col("period") >= hist_months[0]), old_codes, hist_months)
    kept = hist_months.index(reform.REFORM_DATE)
    continued = {k: np.zeros((len(old_codes), len(NEW_MONTHS)), dtype=np.int64) for k in hist}
    for province in old_provinces:
        rows = np.array([i for i, c in enumerate(old_codes) if province_of[c] == province])
        rng = np.random.default_rng([seed, int(province), 2026])
        ahead = continue_series({k: v[rows] for k, v in hist.items()}, len(EXTENDED_MONTHS), rng)
        for k in continued:
            continued[k][rows] = np.concatenate([hist[k][rows, kept:], ahead[k]], axis=1)

    new_units = units_2025.filter(pl.col("province_code").is_in(list(REFORM_PROVINCES))).sort("commune_code")
    new_codes = new_units["commune_code"].to_list()
    division = divide_between_new_communes(continued, old_codes, new_codes, crosswalk)
    months = list(NEW_MONTHS)
    new_facts = _to_facts(division.new, new_codes, months)
    old_facts = history.filter(pl.col("period") < reform.REFORM_DATE)

    # Lists: old communes up to 2024; new communes from 2025.
    old_status = pl.concat(
        [
            status.filter(pl.col("year") < reform.FIRST_NEW_YEAR),
            da_nang_status.filter(pl.col("year") < reform.FIRST_NEW_YEAR),
        ]
    ).cast(schema.STATUS_SCHEMA)
    converted = reform.status_to_new_structure(
        old_status.filter(pl.col("year") == reform.FIRST_NEW_YEAR - 1), crosswalk
    )
    # The committees look again at the new communes formed from healthy ones: the converted
    # list marks healthy only those formed of healthy communes alone (reform.STATUS_RULE), which
    # after the mergers is almost none.
    healthy_2024 = old_status.filter((pl.col("year") == reform.FIRST_NEW_YEAR - 1) & pl.col("healthy"))
    holds_healthy = crosswalk.filter(pl.col("old_commune_code").is_in(healthy_2024["commune_code"].implode()))
    reviewed = converted.with_columns(
        pl.col("commune_code").is_in(holds_healthy["new_commune_code"].implode()).alias("healthy")
    )
    lists = []
    province_codes = new_units["province_code"].to_list()
    for province in sorted(REFORM_PROVINCES):
        rows = np.array([i for i, p in enumerate(province_codes) if p == province])
        codes = [new_codes[i] for i in rows]
        recognitions, cut, joining = NEW_PROVINCE_PLANS[province]
        graded, published = converted, reviewed
        for year, last_month in ((2025, dt.date(2025, 12, 1)), (2026, REFORM_SNAPSHOT[1])):
            col = months.index(last_month)
            figures = {k: v[rows, col] for k, v in division.new.items()}
            rng = np.random.default_rng([seed, int(province), year])
            plan = (cut, joining) if year == 2026 else COMPLEX_DRIFT_2025
            graded = _next_list(graded, figures, codes, year, rng, *plan)
            share = DRUG_FREE_PLANS[province][year]
            published = _recognise(graded, published, figures, rng, share, recognitions)
            lists.append(published)
    new_status = pl.concat(lists)

    reform_targets = _reform_targets(targets, old_facts, new_facts, da_nang_facts, geography, crosswalk, seed)
    return ReformData(
        facts=pl.concat([old_facts, new_facts]),
        status=pl.concat([old_status, new_status]).sort(schema.STATUS_KEY),
        targets=reform_targets.sort(schema.TARGETS_KEY),
        division=division,
        months=NEW_MONTHS,
    )


def _pieces_frame(division: Division, months: list[dt.date]) -> pl.DataFrame:
    old = np.array(division.old_codes, dtype=object)[division.piece_old]
    new = np.array(division.new_codes, dtype=object)[division.piece_new]
    m = len(months)
    frames = [
        pl.DataFrame(
            {
                "old_commune_code": np.repeat(old, m).tolist(),
                "new_commune_code": np.repeat(new, m).tolist(),
                "period": pl.Series(months * len(old), dtype=pl.Date),
                "indicator": indicator,
                "value": values.ravel().astype(np.float64),
            }
        )
        for indicator, values in sorted(division.pieces.items())
    ]
    return pl.concat(frames)


def _reform_targets(
    targets: pl.DataFrame,
    old_facts: pl.DataFrame,
    new_facts: pl.DataFrame,
    da_nang_facts: pl.DataFrame,
    geography: Geography,
    crosswalk: pl.DataFrame,
    seed: int,
) -> pl.DataFrame:
    """Targets before 2025 in the old units (version 1's, and the old Đà Nẵng's district quotas);
    from 2025 for the new provinces: the 2025 district quotas restated for the new province,
    2026 quotas about 2025's figures, the plans' list rules, and the 2030 goal."""
    first_new = reform.FIRST_NEW_YEAR
    rows = [r for r in targets.rows() if r[0] < first_new]
    da_nang_quotas = district_quotas(
        da_nang_facts, geography, (DA_NANG,), np.random.default_rng([seed, 99, 48])
    )
    rows += [r for r in da_nang_quotas if r[0] < first_new]

    new_province = dict(reform.province_map(crosswalk).iter_rows())
    restated: dict[tuple[str, str], float] = {}
    for year, unit, metric, rule, value, _note in [*targets.rows(), *da_nang_quotas]:
        if year == first_new and metric in QUOTA_METRICS and rule == "at_least" and len(unit) == 3:
            key = (new_province[geography.parent(unit)], metric)
            restated[key] = restated.get(key, 0.0) + value
    for (province, metric), value in sorted(restated.items()):
        rows.append((first_new, province, metric, "at_least", value, RESTATED_NOTE))

    # 2026 quotas: about each new province's figure of 2025 (old communes, then new ones).
    old_province = dict(geography.communes.select("commune_code", "province_code").drop_nulls().iter_rows())
    new_parent = dict(reform.load_units_2025().select("commune_code", "province_code").iter_rows())
    in_2025 = pl.col("period").dt.year() == first_new
    done = pl.concat(
        [
            old_facts.filter(in_2025 & pl.col("indicator").is_in(QUOTA_METRICS)).with_columns(
                pl.col("unit_code")
                .replace_strict(old_province)
                .replace_strict(new_province)
                .alias("province")
            ),
            new_facts.filter(in_2025 & pl.col("indicator").is_in(QUOTA_METRICS)).with_columns(
                pl.col("unit_code").replace_strict(new_parent).alias("province")
            ),
        ]
    )
    actual = dict(
        ((p, i), v)
        for p, i, v in done.group_by("province", "indicator")
        .agg(pl.col("value").sum())
        .sort("province", "indicator")
        .rows()
    )
    rng = np.random.default_rng([seed, 99, 2026])
    for province in sorted(REFORM_PROVINCES):
        for metric in QUOTA_METRICS:
            quota = max(1.0, float(np.rint(actual.get((province, metric), 0.0) * rng.uniform(0.9, 1.1))))
            rows.append((2026, province, metric, "at_least", quota, QUOTA_NOTE))

    # Điện Biên's plan runs on (its code and borders did not change); Đà Nẵng and Hà Nội set
    # list rules of their own for the new communes.
    plan_db = [r for r in targets.rows() if r[0] == LAST_YEAR and r[1] == DIEN_BIEN]
    for year in (2025, 2026):
        rows += [(year, *r[1:]) for r in plan_db]
        rows.append((year, DA_NANG, "healthy_communes", "keep_all", 0.0, PLAN_NOTE))
        rows.append((year, DA_NANG, "healthy_communes", "new_at_least", 2.0, PLAN_NOTE))
    for province in (HANOI, DA_NANG):
        rows.append((2026, province, "complex_communes", "reduce_more_than_pct", 3.0, PLAN_NOTE))
    goals_2030 = [r for r in targets.rows() if r[0] >= first_new and r[2] == "drug_free_share"]
    for r in goals_2030[:1]:
        for province in sorted(REFORM_PROVINCES):
            rows.append((r[0], province, *r[2:]))
    return pl.DataFrame(rows, schema=schema.TARGETS_SCHEMA, orient="row")


def _write_demo_snapshot(
    out: Path,
    snapshot_id: str,
    facts: pl.DataFrame,
    status: pl.DataFrame,
    targets: pl.DataFrame,
    geography: Geography,
    structure_from: dt.date | None = None,
) -> Path:
    """One demo snapshot, dated its id at 17:00, with the figures in the 2025 units derived too
    (the new units open on those files, not on a conversion in memory)."""
    return write_snapshot(
        out,
        snapshot_id,
        facts,
        status,
        targets,
        as_of=snapshot_id,
        created_at=f"{snapshot_id}T17:00:00+07:00",
        source=DEMO_SOURCE,
        demo=True,
        geography=geography,
        structure_from=structure_from,
        derive_2025=True,
    )


def write_reform_snapshot(out: Path, data: ReformData, geography: Geography) -> Path:
    """Write the version 2 demo snapshot (``REFORM_SNAPSHOT``) under ``out``."""
    return _write_demo_snapshot(
        out, REFORM_SNAPSHOT[0], data.facts, data.status, data.targets, geography, reform.REFORM_DATE
    )


def write_demo(out: Path, geography: Geography, seed: int = DEMO_SEED, reform: bool = True) -> list[Path]:
    """Write the demo snapshots under ``out`` (a snapshots folder); existing ones are left alone.

    The two version 1 snapshots (``SNAPSHOTS``) and, with ``reform``, the version 2 snapshot
    ``REFORM_SNAPSHOT`` whose months from July 2025 are in the 2025 units.
    """
    data = build(geography, seed)
    # Revisions touch Hà Nội outside Nam Từ Liêm, whose figures are the seed report's.
    revised_communes = [
        c for c in geography.descendants(HANOI, "commune") if geography.parent(c) != NAM_TU_LIEM
    ]
    written = []
    newest = data.facts
    for snapshot_id, last_month in SNAPSHOTS:
        last_year = last_month.year
        facts = data.facts.filter(pl.col("period") <= last_month)
        if snapshot_id != SNAPSHOTS[0][0]:
            facts = revise(facts, revised_communes, seed)
        newest = facts
        status = data.status.filter(pl.col("year") <= last_year)
        if (Path(out) / snapshot_id).exists():
            continue
        written.append(_write_demo_snapshot(out, snapshot_id, facts, status, data.targets, geography))
    if reform and not (Path(out) / REFORM_SNAPSHOT[0]).exists():
        reformed = build_reform(newest, data.status, data.targets, geography, seed)
        written.append(write_reform_snapshot(out, reformed, geography))
    return written
