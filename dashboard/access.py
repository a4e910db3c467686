"""Who may see what: roles, per-unit scope, the access configuration, small-count suppression.

Plain Python (no Streamlit). The scope is enforced where data are read: ``ScopedSnapshot``
wraps a snapshot and answers every read (monthly values, summaries, roll-ups, facts,
classifications, targets) with in-scope rows only, so pages, goals, exports, downloads and the
map all get the same restriction whatever they ask for. Sign-in itself is in ``ui_auth.py``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from dashboard import query, schema
from dashboard.catalog import CATALOG
from dashboard.geography import COUNTRY_CODE, Geography

VIEWER, DATA_MANAGER = "viewer", "data_manager"
# The meeting's secretary (thư ký) records meetings and conclusions but imports no data.
SECRETARY = "secretary"
ROLES: tuple[str, ...] = (VIEWER, DATA_MANAGER, SECRETARY)
MODES: tuple[str, ...] = ("oidc", "password")

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
    """

    role: str = DATA_MANAGER
    units: tuple[str, ...] = (COUNTRY_CODE,)

    @property
    def whole_country(self) -> bool:
        return COUNTRY_CODE in self.units

    @property
    def can_import(self) -> bool:
        """Only a data manager sees the import section."""
        return self.role == DATA_MANAGER

    def allows(self, code: str, geography: Geography) -> bool:
        """Whether ``code`` is one of the user's units or below one."""
        if self.whole_country or code in self.units:
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
        found = set(self.units)
        for unit in self.units:
            found.update(geography.descendants(unit))
        return frozenset(found)

    def touches(self, code: str, geography: Geography) -> bool:
        """Whether ``code`` is visible or holds one of the user's units (a province or district to pick)."""
        return self.allows(code, geography) or any(code in geography.ancestors(u) for u in self.units)

    def units_within(self, code: str, geography: Geography) -> list[str]:
        """The user's own units below ``code`` (for a user who may not see ``code`` as a whole)."""
        return [u for u in self.units if code in geography.ancestors(u)]


FULL_ACCESS = Access()


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


def load_config(path: Path | str, geography: Geography | None = None) -> AccessConfig:
    """Read and check an access file (TOML); raise AccessConfigError naming every problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AccessConfigError(f"Không đọc được tệp phân quyền {path}: {exc}") from exc
    return parse_config(raw, path, geography)


def parse_config(raw: dict, path: Path | None = None, geography: Geography | None = None) -> AccessConfig:
    """The checked configuration from the parsed TOML (see ``load_config``)."""
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
        unknown = [u for u in units if geography is not None and not geography.has(u)]
        if unknown:
            problems.append(f"người dùng {name}: không có đơn vị mã {', '.join(unknown)}")
            continue
        key = name.strip().lower() if mode == "oidc" else name.strip()
        users[key] = Access(role, tuple(dict.fromkeys(units)))
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


# --------------------------------------------------------------------------- small counts


def suppress_small_counts(
    frame: pl.DataFrame,
    geography: Geography,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    columns: Sequence[str] = ("value", "previous"),
    indicator: str | None = None,
) -> pl.DataFrame:
    """Null commune-level counts of people from 1 to ``threshold − 1``, and what is derived from them.

    ``frame`` has ``unit_code`` and either an ``indicator`` column or, for a one-indicator
    table, ``indicator``. A zero stays: it tells nobody apart. Each column that lost a value
    gets a companion ``<column>_shown`` text column holding ``"<5"`` there, which
    ``tables.localize`` turns into what a reader sees.
    """
    columns = [c for c in columns if c in frame.columns]
    if frame.is_empty() or not columns or "unit_code" not in frame.columns:
        return frame
    ind = pl.col("indicator") if indicator is None else pl.lit(indicator)
    if indicator is None and "indicator" not in frame.columns:
        return frame
    communes = [c for c in frame["unit_code"].unique().to_list() if geography.has(c) and
                geography.level(c) == "commune"]  # fmt: skip
    sensitive = ind.is_in(list(PERSON_INDICATORS)) & pl.col("unit_code").is_in(communes)
    small = {c: sensitive & (pl.col(c) > 0) & (pl.col(c) < threshold) for c in columns}
    label = f"<{threshold}"
    any_small = pl.any_horizontal(*small.values())
    value_small = small.get("value", pl.lit(False))
    # The change needs both years; the rate per population only this year's value.
    derived = {c: value_small if c == "per_population" else any_small for c in _DERIVED if c in frame.columns}
    out = frame.with_columns(
        *(pl.when(cond).then(pl.lit(label)).alias(f"{c}_shown") for c, cond in small.items()),
        *(pl.when(cond).then(None).otherwise(pl.col(c)).alias(c) for c, cond in small.items()),
        *(pl.when(cond).then(None).otherwise(pl.col(c)).alias(c) for c, cond in derived.items()),
    )
    return out.drop([f"{c}_shown" for c in columns if out[f"{c}_shown"].null_count() == out.height])


def changes_outside(report, base, access: Access, geography: Geography) -> list[str]:
    """Units outside ``access`` whose facts, classification or targets an import would change (sorted)."""
    if access.whole_country:
        return []
    touched: set[str] = set()
    for name, code in (("facts", "unit_code"), ("status", "commune_code"), ("targets", "unit_code")):
        new = getattr(report, name)
        if new is None:
            continue
        old = getattr(base, name) if base is not None else new.clear()
        changed = pl.concat(
            [new.join(old, on=new.columns, how="anti"), old.join(new, on=new.columns, how="anti")]
        )
        touched.update(changed[code].unique().to_list())
    return sorted(access.denied(touched, geography))


# --------------------------------------------------------------------------- the scoped data path


class ScopedSnapshot:
    """A snapshot seen through an Access: every read returns in-scope rows only.

    Rows of units outside the scope are dropped before any aggregation, and a query that names
    an out-of-scope unit gets nothing for it. It offers what pages, goals, maps and exports
    read from ``Snapshot`` (``monthly``, ``summarize``, ``status``, ``targets``, ``rollups``,
    ``facts``, ``scan``) and passes the rest (date, source, months) through.
    """

    def __init__(self, snapshot, access: Access, geography: Geography):
        self._inner = snapshot
        self.access = access
        self._geography = geography
        self._visible = access.visible(geography)
        self._memo: dict = {}

    def __getattr__(self, name: str):
        # Metadata only (id, dates, manifest, months, path for files beside it); data reads are below.
        if name in ("snapshot_id", "path", "manifest", "stats", "warnings", "as_of", "demo", "source",
                    "last_period", "years"):  # fmt: skip
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

    def scan(self) -> pl.LazyFrame:
        return self._inner.scan().filter(pl.col("unit_code").is_in(list(self._visible)))

    @cached_property
    def facts(self) -> pl.DataFrame:
        return self.scan().collect()

    def rollups(self, geography: Geography) -> pl.DataFrame:
        key = ("rollups", id(geography))
        if key not in self._memo:
            rolled = self._inner.rollups(geography)
            self._memo[key] = rolled.filter(pl.col("unit_code").is_in(list(self._visible)))
        return self._memo[key]

    def monthly(
        self,
        geography: Geography,
        codes: Sequence[str],
        indicators: Sequence[str],
        years: tuple[int, int] | None = None,
    ) -> pl.DataFrame:
        allowed = self._codes(codes)
        if not allowed:
            return pl.DataFrame(schema=schema.FACTS_SCHEMA)
        return self._inner.monthly(geography, allowed, indicators, years)

    def summarize(
        self,
        geography: Geography,
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
        # Every allowed unit lies wholly inside the scope, so the whole snapshot answers for them.
        return self._inner.summarize(geography, allowed, indicators, grain, years, combine_as=combine_as)

    def units_with_data(self, geography: Geography, level: str) -> list[str]:
        codes = self.rollups(geography)["unit_code"].unique().to_list()
        return sorted(c for c in codes if geography.has(c) and geography.level(c) == level)


def restrict(snapshot, access: Access, geography: Geography):
    """The snapshot itself for whole-country access, else a ScopedSnapshot."""
    return snapshot if access.whole_country else ScopedSnapshot(snapshot, access, geography)
