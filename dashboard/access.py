"""Who may see what: roles, per-unit scope, the access configuration, small-count suppression.

Plain Python (no Streamlit). The scope is enforced where data are read: ``ScopedView``
wraps a view (``view.View``) and answers every read (monthly values, summaries, roll-ups, facts,
classifications, targets) with in-scope rows only, so pages, goals, exports, downloads and the
map all get the same restriction whatever they ask for. Sign-in itself is in ``ui/auth.py``.

A scope is set in one administrative structure: the old units (the default) or the units in
force from 1 July 2025 (``structure = "2025"`` in the access file). Most codes name a unit in
both (new commune 00004 is Phường Ba Đình, old commune 00004 Phường Phúc Xá), so a scope only
ever answers in a unit tree of its own structure and sees nothing through the other one.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import tomllib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from dashboard import query, reform, schema
from dashboard.catalog import CATALOG
from dashboard.geography import COUNTRY_CODE, LEVELS_2025, Geography

VIEWER, DATA_MANAGER = "viewer", "data_manager"
# The meeting's secretary (thư ký) records meetings and conclusions but imports no data.
SECRETARY = "secretary"
ROLES: tuple[str, ...] = (VIEWER, DATA_MANAGER, SECRETARY)
MODES: tuple[str, ...] = ("oidc", "password")
# The structures a scope can be set in (the access file's ``structure``, as the CLI's --structure).
LEGACY, NEW = reform.LEGACY, reform.NEW
SCOPE_STRUCTURES: tuple[str, ...] = (LEGACY, NEW)

ACCESS_FILE_ENV = "DASHBOARD_ACCESS_FILE"
DEFAULT_ACCESS_FILE = Path(__file__).resolve().parent.parent / ".streamlit" / "access.toml"

DEFAULT_THRESHOLD = 5
# Person-level indicators: counts of people (catalog unit "người"). Population counts people too,
# but a commune's population is public and identifies nobody.
PERSON_INDICATORS: frozenset[str] = frozenset(
    i.id for i in CATALOG.values() if i.unit_vi == "người" and i.is_fact and i.id != "population"
)
# Columns computed from a suppressed count: they would give it away (value = per_population × population).
_DERIVED = ("change", "change_pct", "per_population")


class AccessConfigError(ValueError):
    """The access configuration cannot be used; the message says what is wrong, in Vietnamese."""


@dataclass(frozen=True)
class Access:
    """A user's role and the units they may see (a unit, and everything below it).

    ``Access()`` is the whole country as a data manager: what everyone gets without sign-in.
    ``structure``: the unit tree the ``units`` are codes of (``LEGACY`` or ``NEW``); measured
    against a tree of the other structure a scope allows nothing (the whole country excepted).
    """

    role: str = DATA_MANAGER
    units: tuple[str, ...] = (COUNTRY_CODE,)
    structure: str = LEGACY

    @property
    def whole_country(self) -> bool:
        return COUNTRY_CODE in self.units

    def reads(self, geography: Geography) -> bool:
        """Whether the user's units are codes of ``geography``'s structure (always, for the whole country)."""
        return self.whole_country or structure_of(geography) == self.structure

    @property
    def can_import(self) -> bool:
        """Only a data manager sees the import section."""
        return self.role == DATA_MANAGER

    def allows(self, code: str, geography: Geography) -> bool:
        """Whether ``code`` is one of the user's units or below one."""
        if self.whole_country:
            return True
        if not self.reads(geography):
            return False
        if code in self.units:
            return True
        if not geography.has(code):
            return False
        return any(a in self.units for a in geography.ancestors(code))

    def clip(self, codes: Iterable[str], geography: Geography) -> list[str]:
        """The codes the user may see, in the given order."""
        return [c for c in codes if self.allows(c, geography)]

    def denied(self, codes: Iterable[str], geography: Geography) -> list[str]:
        """The codes the user may not see, in the given order."""
        return [c for c in codes if not self.allows(c, geography)]

    def visible(self, geography: Geography) -> frozenset[str]:
        """Every unit code the user may see (their units and all units below them)."""
        if self.whole_country:
            return frozenset([COUNTRY_CODE, *geography.units["unit_code"].to_list()])
        if not self.reads(geography):
            return frozenset()
        found = set(self.units)
        for unit in self.units:
            found.update(geography.descendants(unit))
        return frozenset(found)

    def touches(self, code: str, geography: Geography) -> bool:
        """Whether ``code`` is visible or holds one of the user's units (a province or district to pick)."""
        if not self.reads(geography):
            return False
        return self.allows(code, geography) or any(code in geography.ancestors(u) for u in self.units)

    def units_within(self, code: str, geography: Geography) -> list[str]:
        """The user's own units below ``code`` (for a user who may not see ``code`` as a whole)."""
        if not self.reads(geography):
            return []
        return [u for u in self.units if code in geography.ancestors(u)]


FULL_ACCESS = Access()


def structure_of(geography: Geography) -> str:
    """The structure a unit tree is of: ``NEW`` for the two-level tree of 2025, else ``LEGACY``."""
    return NEW if geography.levels == LEVELS_2025 else LEGACY


def scope_geography(access: Access, legacy: Geography, new: Geography | None = None) -> Geography:
    """The unit tree the user's units are codes of (``new`` defaults to the 2025 reference)."""
    if access.structure == NEW and not access.whole_country:
        return new if new is not None else reform.geography_2025()
    return legacy


@dataclass(frozen=True)
class SmallCounts:
    """Suppression of small commune-level counts of people: on for exports unless switched off."""

    threshold: int = DEFAULT_THRESHOLD
    exports: bool = True

    @property
    def label(self) -> str:
        return f"<{self.threshold}"


@dataclass(frozen=True)
class AccessConfig:
    """The access file: the sign-in mode, who may see what, and small-count suppression.

    ``users`` maps an OIDC e-mail (lower case) or a password-mode user name to their Access.
    """

    mode: str
    users: dict[str, Access]
    small_counts: SmallCounts = field(default_factory=SmallCounts)
    provider: str | None = None  # oidc: the [auth.<provider>] section of secrets.toml
    credentials: Path | None = None  # password: streamlit-authenticator's YAML file
    path: Path | None = None

    def access_for(self, user: str | None) -> Access | None:
        """The user's Access, or None for a user the file does not list."""
        if not user:
            return None
        return self.users.get(user.strip().lower() if self.mode == "oidc" else user.strip())


def access_file() -> Path | None:
    """``$DASHBOARD_ACCESS_FILE`` if set, else ``.streamlit/access.toml`` if it exists; None: sign-in off."""
    named = os.environ.get(ACCESS_FILE_ENV)
    if named:
        return Path(named)
    return DEFAULT_ACCESS_FILE if DEFAULT_ACCESS_FILE.is_file() else None


def load_config(
    path: Path | str, geography: Geography | None = None, new_geography: Geography | None = None
) -> AccessConfig:
    """Read and check an access file (TOML); raise AccessConfigError naming every problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AccessConfigError(f"Không đọc được tệp phân quyền {path}: {exc}") from exc
    return parse_config(raw, path, geography, new_geography)


def parse_config(
    raw: dict,
    path: Path | None = None,
    geography: Geography | None = None,
    new_geography: Geography | None = None,
) -> AccessConfig:
    """The checked configuration from the parsed TOML (see ``load_config``).

    ``geography`` (the old units) and ``new_geography`` (the 2025 units; the reference when
    omitted and ``geography`` is given) check that every unit exists in its user's structure.
    Without ``geography`` the codes are not checked.
    """
    if geography is not None and new_geography is None:
        new_geography = reform.geography_2025()
    trees = {LEGACY: geography, NEW: new_geography}
    problems: list[str] = []
    mode = raw.get("mode")
    if mode not in MODES:
        problems.append(f"mode phải là một trong {', '.join(MODES)} (đang là {mode!r})")
    users: dict[str, Access] = {}
    for name, entry in (raw.get("users") or {}).items():
        role = entry.get("role") if isinstance(entry, dict) else None
        units = entry.get("units") if isinstance(entry, dict) else None
        if role not in ROLES:
            problems.append(f"người dùng {name}: role phải là một trong {', '.join(ROLES)}")
            continue
        if not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units):
            problems.append(f'người dùng {name}: units phải là danh sách mã đơn vị (ví dụ ["008"])')
            continue
        structure = entry.get("structure", LEGACY)
        if structure not in SCOPE_STRUCTURES:
            problems.append(
                f'người dùng {name}: structure phải là "{LEGACY}" (đơn vị cũ, mặc định) hoặc "{NEW}" '
                f"(đơn vị hành chính từ 01/7/2025), không phải {structure!r}"
            )
            continue
        problem = _units_problem(units, structure, trees)
        if problem:
            problems.append(f"người dùng {name}: {problem}")
            continue
        key = name.strip().lower() if mode == "oidc" else name.strip()
        # The whole country is the same in both structures: one Access for it.
        structure = LEGACY if COUNTRY_CODE in units else structure
        users[key] = Access(role, tuple(dict.fromkeys(units)), structure)
    small = raw.get("small_counts") or {}
    threshold = small.get("threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, int) or threshold < 1:
        problems.append("small_counts.threshold phải là số nguyên dương")
        threshold = DEFAULT_THRESHOLD
    credentials = None
    if mode == "password":
        named = raw.get("credentials")
        if not named:
            problems.append('chế độ password cần credentials = "<tệp YAML của streamlit-authenticator>"')
        else:
            credentials = Path(named)
            if not credentials.is_absolute() and path is not None:
                credentials = path.parent / credentials
    if problems:
        where = f" ({path})" if path else ""
        raise AccessConfigError("Tệp phân quyền không hợp lệ" + where + ":\n- " + "\n- ".join(problems))
    return AccessConfig(
        mode=mode,
        users=users,
        small_counts=SmallCounts(threshold, bool(small.get("exports", True))),
        provider=raw.get("provider"),
        credentials=credentials,
        path=path,
    )


def _units_problem(units: list[str], structure: str, trees: dict[str, Geography | None]) -> str | None:
    """Why a user's units cannot be used in their structure (None: they can).

    A scope holds units of one structure only: a code that exists only in the other one is
    refused with a word on how to declare it, rather than read as a unit of the wrong tree.
    """
    own, other = trees[structure], trees[NEW if structure == LEGACY else LEGACY]
    if own is None:
        return None
    unknown = [u for u in units if not own.has(u)]
    elsewhere = [u for u in unknown if other is not None and other.has(u)]
    missing = [u for u in unknown if u not in elsewhere]
    parts = []
    if elsewhere:
        named = ", ".join(f"{u} ({other.name(u)})" for u in elsewhere)
        if structure == LEGACY:
            parts.append(
                f"mã {named} là đơn vị hành chính mới (từ 01/7/2025), không phải đơn vị cũ: thêm "
                f'structure = "{NEW}" nếu mọi đơn vị của người dùng này là đơn vị mới'
            )
        else:
            parts.append(
                f"mã {named} là đơn vị cũ (trước 01/7/2025), không có trong đơn vị hành chính mới; một "
                "người dùng chỉ có phạm vi trong một cơ cấu đơn vị (cũ hoặc mới): tạo tài khoản riêng "
                "cho phạm vi theo đơn vị cũ"
            )
    if missing:
        parts.append(f"không có đơn vị mã {', '.join(missing)}")
    return "; ".join(parts) or None


# --------------------------------------------------------------------------- sign-in throttling


@dataclass
class SignInThrottle:
    """Failed sign-ins counted per key (a user name, a client address), shared by every session.

    After ``limit`` failures in a row a key is locked for ``base_seconds``; each further failure
    after a lock doubles the lock, up to ``max_seconds``. A success clears the key. While any
    key of an attempt is locked the password is not even checked.
    """

    limit: int = 5
    base_seconds: float = 30.0
    max_seconds: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict = field(default_factory=dict, repr=False)
    _until: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self, keys: Iterable[Hashable]) -> float:
        """Seconds until none of ``keys`` is locked (0: the attempt may go ahead)."""
        now = self.clock()
        with self._lock:
            return max([0.0, *(self._until.get(k, now) - now for k in keys)])

    def record(self, keys: Iterable[Hashable], ok: bool) -> None:
        """Count a failed attempt against every key, or clear them after a success."""
        now = self.clock()
        with self._lock:
            for key in keys:
                if ok:
                    self._failures.pop(key, None)
                    self._until.pop(key, None)
                    continue
                count = self._failures.get(key, 0) + 1
                self._failures[key] = count
                if count >= self.limit:
                    seconds = min(self.base_seconds * 2 ** (count - self.limit), self.max_seconds)
                    self._until[key] = now + seconds


# --------------------------------------------------------------------------- small counts


COMPLEMENT_LABEL = "×"  # a count of 5 or more hidden so that the small ones beside it cannot be worked out


def suppress_small_counts(
    frame: pl.DataFrame,
    geography: Geography,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    columns: Sequence[str] = ("value", "previous"),
    indicator: str | None = None,
) -> pl.DataFrame:
    """Hide commune-level counts of people from 1 to ``threshold − 1`` so that no arithmetic brings them back.

    The one rule for every table, chart, export and goals table (README, "Số đếm nhỏ"):

    1. *Primary*: a commune's count of people from 1 to ``threshold − 1`` is hidden.
    2. *Secondary*: a district's total is public (every page shows it), so its communes' figures
       for the same indicator and period form a group whose sum is known. In a group with a
       hidden count, every count below ``threshold`` is hidden, zeros too (all read "<5", which
       is true of a zero), so the known sum is shared among several cells. When that still
       pins them — a single hidden cell, or all of them at ``threshold − 1`` — the smallest
       counts of ``threshold`` or more in the group (ties included) are hidden as well and read
       ``COMPLEMENT_LABEL``.

    ``frame`` has ``unit_code`` and either an ``indicator`` column or, for a one-indicator
    table, ``indicator``; groups are also split by ``period`` and ``year`` when present. Each
    column that lost a value gets a companion ``<column>_shown`` text column ("<5" or "×"),
    which ``tables.localize`` turns into what a reader sees; ``change``, ``change_pct`` and
    ``per_population`` are emptied where they would give a hidden count away. A ``rank`` of a
    hidden row is emptied and such rows go last, so no position tells a value either.
    """
    columns = [c for c in columns if c in frame.columns]
    if frame.is_empty() or not columns or "unit_code" not in frame.columns:
        return frame
    if indicator is None and "indicator" not in frame.columns:
        return frame
    ind = pl.col("indicator") if indicator is None else pl.lit(indicator)
    parents = {
        c: geography.parent(c)
        for c in frame["unit_code"].unique().to_list()
        if geography.has(c) and geography.level(c) == "commune"
    }
    work = frame.with_columns(
        pl.col("unit_code").replace_strict(parents, default=None, return_dtype=pl.String).alias("_parent")
    )
    sensitive = ind.is_in(list(PERSON_INDICATORS)) & pl.col("_parent").is_not_null()
    group = ["_parent", *(k for k in ("indicator", "period", "year") if k in frame.columns)]
    label = f"<{threshold}"
    hidden: dict[str, pl.Expr] = {}
    shown: dict[str, pl.Expr] = {}
    for c in columns:
        value = pl.col(c)
        primary = sensitive & (value > 0) & (value < threshold)
        needed = primary.any().over(group)
        low = sensitive & needed & value.is_not_null() & (value < threshold)
        n = low.sum().over(group)
        total = pl.when(low).then(value).otherwise(0).sum().over(group)
        pinned = needed & ((n == 1) | (total == (threshold - 1) * n))
        big = sensitive & (value >= threshold)
        smallest_big = pl.when(big).then(value).otherwise(None).min().over(group)
        complement = big & pinned & (value == smallest_big)
        hidden[c] = low | complement
        shown[c] = pl.when(low).then(pl.lit(label)).when(complement).then(pl.lit(COMPLEMENT_LABEL))
    work = work.with_columns(
        *(
            pl.coalesce(pl.col(f"{c}_shown"), e) if f"{c}_shown" in frame.columns else e
            for c, e in ((c, shown[c].alias(f"{c}_shown")) for c in columns)
        ),  # fmt: skip
        *(pl.when(cond).then(None).otherwise(pl.col(c)).alias(f"_hidden_{c}") for c, cond in hidden.items()),
        *(cond.alias(f"_is_hidden_{c}") for c, cond in hidden.items()),
    )
    any_hidden = pl.any_horizontal(*(pl.col(f"_is_hidden_{c}") for c in columns))
    value_hidden = pl.col("_is_hidden_value") if "value" in columns else pl.lit(False)
    # The change needs both years; the rate per population only this year's value.
    derived = {c: value_hidden if c == "per_population" else any_hidden for c in _DERIVED if c in frame}
    if "rank" in frame.columns:
        derived["rank"] = any_hidden
    work = work.with_columns(
        *(pl.col(f"_hidden_{c}").alias(c) for c in columns),
        *(pl.when(cond).then(None).otherwise(pl.col(c)).alias(c) for c, cond in derived.items()),
        any_hidden.alias("_any_hidden"),
    )
    if "rank" in frame.columns:
        work = work.sort("_any_hidden", maintain_order=True)
    out = work.drop("_parent", "_any_hidden", *(f"_hidden_{c}" for c in columns),
                    *(f"_is_hidden_{c}" for c in columns))  # fmt: skip
    return out.drop([f"{c}_shown" for c in columns if out[f"{c}_shown"].null_count() == out.height])


def changes_outside(
    report,
    base,
    access: Access,
    geography: Geography,
    new_geography: Geography | None = None,
    structure_from: dt.date | None = None,
) -> list[str]:
    """Units outside ``access`` whose facts, classification or targets an import would change (sorted).

    With ``structure_from`` (a version 2 result: the 2025 units from that month) the months from
    then and the lists and targets of its year on are codes of the 2025 units, judged in
    ``new_geography`` (default: the reference); the rest in ``geography``. A scope answers in its
    own structure only, so a data manager changes the figures of their own structure's units.
    """
    found = _outside(report, base, access, geography, new_geography, structure_from)
    return sorted({code for codes in found.values() for code in codes})


def names_outside(
    report,
    base,
    access: Access,
    geography: Geography,
    new_geography: Geography | None = None,
    structure_from: dt.date | None = None,
) -> list[str]:
    """``changes_outside`` as unit names, each named in the structure its rows are in."""
    found = _outside(report, base, access, geography, new_geography, structure_from)
    trees = {LEGACY: geography, NEW: new_geography if new_geography is not None else reform.geography_2025()}
    return [trees[s].name(c) if trees[s].has(c) else c for s in (LEGACY, NEW) for c in found[s]]


def _outside(report, base, access, geography, new_geography, structure_from) -> dict[str, list[str]]:
    if access.whole_country:
        return {LEGACY: [], NEW: []}
    touched: dict[str, set[str]] = {LEGACY: set(), NEW: set()}
    for name, code, when in (
        ("facts", "unit_code", "period"),
        ("status", "commune_code", "year"),
        ("targets", "unit_code", "year"),
    ):
        new = getattr(report, name)
        if new is None:
            continue
        old = getattr(base, name) if base is not None else new.clear()
        changed = pl.concat(
            [new.join(old, on=new.columns, how="anti"), old.join(new, on=new.columns, how="anti")]
        )
        if structure_from is None:
            later = pl.lit(False)
        else:
            later = pl.col(when) >= (structure_from if when == "period" else structure_from.year)
        touched[NEW].update(changed.filter(later)[code].unique().to_list())
        touched[LEGACY].update(changed.filter(~later)[code].unique().to_list())
    new_tree = new_geography if new_geography is not None or not touched[NEW] else reform.geography_2025()
    return {
        LEGACY: sorted(access.denied(touched[LEGACY], geography)),
        NEW: sorted(access.denied(touched[NEW], new_tree)) if touched[NEW] else [],
    }


# --------------------------------------------------------------------------- the scoped data path


class ScopedView:
    """A view seen through an Access: every read returns in-scope rows only.

    Rows of units outside the scope are dropped before any aggregation, and a query that names
    an out-of-scope unit gets nothing for it. It reads like the ``view.View`` it wraps
    (``monthly``, ``summarize``, ``status``, ``targets``, ``spans``, ``rollups``, ``facts``,
    ``scan``) and passes the rest (date, source, months) through. The scope is measured in the
    wrapped view's own unit tree, the one every read answers in, so it can never be applied to
    codes of the other structure.
    """

    def __init__(self, view, access: Access):
        self._inner = view
        self.access = access
        self._visible = access.visible(view.geography)
        self._memo: dict = {}

    def __getattr__(self, name: str):
        # Metadata only (id, dates, manifest, months, path for files beside it); data reads are below.
        if name in ("view_id", "snapshot_id", "structure", "geography", "path", "manifest", "stats",
                    "warnings", "as_of", "demo", "source", "last_period", "first_period", "years",
                    "structure_from"):  # fmt: skip
            return getattr(self._inner, name)
        raise AttributeError(f"{type(self).__name__} không cho đọc {name!r} (ngoài phạm vi được phép)")

    def allows(self, code: str) -> bool:
        return code in self._visible

    def _codes(self, codes: Iterable[str]) -> list[str]:
        return [c for c in codes if c in self._visible]

    @cached_property
    def status(self) -> pl.DataFrame:
        return self._inner.status.filter(pl.col("commune_code").is_in(list(self._visible)))

    @cached_property
    def targets(self) -> pl.DataFrame:
        return self._inner.targets.filter(pl.col("unit_code").is_in(list(self._visible)))

    @cached_property
    def spans(self) -> pl.DataFrame:
        return self._inner.spans.filter(pl.col("unit_code").is_in(list(self._visible)))

    def scan(self) -> pl.LazyFrame:
        return self._inner.scan().filter(pl.col("unit_code").is_in(list(self._visible)))

    @cached_property
    def facts(self) -> pl.DataFrame:
        return self.scan().collect()

    def rollups(self) -> pl.DataFrame:
        if "rollups" not in self._memo:
            rolled = self._inner.rollups()
            self._memo["rollups"] = rolled.filter(pl.col("unit_code").is_in(list(self._visible)))
        return self._memo["rollups"]

    def monthly(
        self,
        codes: Sequence[str],
        indicators: Sequence[str],
        years: tuple[int, int] | None = None,
    ) -> pl.DataFrame:
        allowed = self._codes(codes)
        if not allowed:
            return pl.DataFrame(schema=schema.FACTS_SCHEMA)
        return self._inner.monthly(allowed, indicators, years)

    def summarize(
        self,
        codes: Sequence[str],
        indicators: Sequence[str] | None = None,
        grain: str = "year",
        years: tuple[int, int] | None = None,
        *,
        combine_as: str | None = None,
    ) -> pl.DataFrame:
        allowed = self._codes(codes)
        if not allowed:
            return pl.DataFrame(schema=query.RESULT_SCHEMA)
        # Every allowed unit lies wholly inside the scope, so the whole view answers for them.
        return self._inner.summarize(allowed, indicators, grain, years, combine_as=combine_as)

    def units_with_data(self, level: str) -> list[str]:
        geography = self._inner.geography
        codes = self.rollups()["unit_code"].unique().to_list()
        return sorted(c for c in codes if geography.has(c) and geography.level(c) == level)

    def restricted(self, access: Access):
        """Scopes do not nest: a view is restricted once, from the whole."""
        raise TypeError("ScopedView is already restricted")


def restrict(view, access: Access):
    """The view itself for whole-country access, else a ``ScopedView`` of it."""
    return view if access.whole_country else ScopedView(view, access)
