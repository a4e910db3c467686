"""Deterministic demo snapshots: believable monthly data that reproduces the real report figures.

Every commune of the demo provinces gets a monthly series for every stored indicator from
2015 to 2025. Where ``seed_facts.csv`` gives a real figure (for example Quảng Nam, 9 months of
2017: 1.456 addicts with records) the series of that area are scaled, then nudged by whole
units in the reported month, so that the figure comes out exactly when aggregated the way the
report did. Commune classifications are derived each year from the year-end figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from dashboard import schema
from dashboard.catalog import FACT_INDICATORS
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


PROFILES: tuple[ProvinceProfile, ...] = (
    ProvinceProfile(HANOI, 2.6, 0.10, 2.2, 0.06, 3.0, 4.0),
    ProvinceProfile(QUANG_NAM, 1.4, 0.30, 2.1, 0.44, 0.8, 2.5),
    ProvinceProfile(DIEN_BIEN, 7.0, 0.42, 0.9, 0.15, 6.0, 2.4),
)

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
    )
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

    drug_class = np.full(users.shape, "co_te_nan", dtype=object)
    drug_class[(addicts >= 25) | (hotspots >= 2)] = "trong_diem_3"
    drug_class[(addicts >= 50) | (hotspots >= 3)] = "trong_diem_2"
    drug_class[(addicts >= 100) | (hotspots >= 5)] = "trong_diem_1"
    drug_class[users == 0] = "khong_ma_tuy"

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

    quota_metrics = ("compulsory_rehab", "home_community_rehab", "voluntary_rehab_center")
    districts = geography.units.filter(
        (pl.col("level") == "district") & pl.col("parent_code").is_in([HANOI, QUANG_NAM, DIEN_BIEN])
    )["unit_code"].to_list()
    parent = dict(
        geography.units.filter(pl.col("level") == "commune").select("unit_code", "parent_code").iter_rows()
    )
    yearly = (
        facts.filter(pl.col("indicator").is_in(quota_metrics))
        .with_columns(
            pl.col("unit_code").replace_strict(parent, default=None).alias("district"),
            pl.col("period").dt.year().alias("year"),
        )
        .group_by("district", "year", "indicator")
        .agg(pl.col("value").sum())
    )
    actual = {(d, y, i): v for d, y, i, v in yearly.iter_rows()}
    taken = {(y, u, m) for y, u, m, *_ in rows}
    for district in sorted(districts):
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for metric in quota_metrics:
                if (year, district, metric) in taken:
                    continue
                expected = actual.get((district, year, metric), 0.0)
                quota = max(1.0, float(np.rint(expected * rng.uniform(0.8, 1.2))))
                rows.append((year, district, metric, "at_least", quota, "Chỉ tiêu giao hằng năm"))
    return pl.DataFrame(rows, schema=schema.TARGETS_SCHEMA, orient="row")


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
        missing = FACT_INDICATORS - set(series)
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
    return (
        facts.join(bumps, on=["period", "unit_code", "indicator"], how="left")
        .with_columns((pl.col("value") + pl.col("_add").fill_null(0.0)).alias("value"))
        .drop("_add")
    )


def write_demo(out: Path, geography: Geography, seed: int = DEMO_SEED) -> list[Path]:
    """Write the demo snapshots under ``out`` (a snapshots folder); existing ones are left alone."""
    data = build(geography, seed)
    # Revisions touch Hà Nội outside Nam Từ Liêm, whose figures are the seed report's.
    revised_communes = [
        c for c in geography.descendants(HANOI, "commune") if geography.parent(c) != NAM_TU_LIEM
    ]
    written = []
    for snapshot_id, last_month in SNAPSHOTS:
        last_year = last_month.year
        facts = data.facts.filter(pl.col("period") <= last_month)
        if snapshot_id != SNAPSHOTS[0][0]:
            facts = revise(facts, revised_communes, seed)
        status = data.status.filter(pl.col("year") <= last_year)
        if (Path(out) / snapshot_id).exists():
            continue
        written.append(
            write_snapshot(
                out,
                snapshot_id,
                facts,
                status,
                data.targets,
                as_of=snapshot_id,
                created_at=f"{snapshot_id}T17:00:00+07:00",
                source="Dữ liệu minh họa do máy sinh (demo), khớp với số liệu các báo cáo mẫu",
                demo=True,
                geography=geography,
            )
        )
    return written
