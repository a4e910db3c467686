"""The indicator catalog: one entry per indicator, with labels, unit, kind, roll-up and direction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["stock", "flow", "rate", "status", "reference", "rating", "flag"]
Better = Literal["up", "down", "neutral"]


@dataclass(frozen=True)
class Display:
    """How values of an indicator are written (``formatting.fmt_value``): a percentage or a count.

    ``decimals``: the places a value is written with. A count that is not whole (an average, a
    pro-rata share of a quota) is written with ``FRACTION_DECIMALS`` places instead, so that it
    does not read as a whole count.
    """

    percent: bool
    decimals: int


FRACTION_DECIMALS = 2
PERCENT = Display(percent=True, decimals=2)  # rates and shares: 118,75%
COUNT = Display(percent=False, decimals=0)  # people, cases, communes: 1.456

DOMAINS: dict[str, tuple[str, str]] = {
    "population": ("Dân số", "Population"),
    "drugs": ("Ma túy", "Drugs"),
    "prostitution": ("Mại dâm", "Prostitution"),
    "trafficking": ("Mua bán người", "Human trafficking"),
    "hiv": ("HIV/AIDS", "HIV/AIDS"),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator.

    ``kind``: ``stock`` (a count on a date: end of period over time, sum over space),
    ``flow`` (events in a period: sum over time and space), ``rate`` (numerator /
    denominator × 100 after both are aggregated), ``status`` (a count of communes by their
    yearly classification), and ``reference``/``rating``/``flag`` for report figures that
    are not stored as facts.
    """

    id: str
    label_vi: str
    label_en: str
    unit_vi: str
    unit_en: str
    domain: str
    kind: Kind
    better: Better
    numerator: str | None = None
    denominator: str | None = None
    headline: bool = False
    note_vi: str = ""  # what the indicator counts, where its label alone is not enough
    note_en: str = ""
    # A commune count as a report prints it ("18/142 xã … không có tệ nạn ma túy"): a stored stock
    # that feeds the status count named here where no commune list exists (query.status_counts).
    reported_for: str | None = None

    @property
    def is_fact(self) -> bool:
        """Whether values of this indicator are stored in facts.parquet."""
        return self.kind in ("stock", "flow")

    @property
    def rollup(self) -> str:
        """How the indicator is aggregated, in words for the documentation."""
        return {
            "stock": "sum over units; value at the end of the period over time",
            "flow": "sum over units and over the months of the period",
            "rate": f"sum({self.numerator}) / sum({self.denominator}) × 100",
            "status": "count of communes in the category in the year",
            "reference": "taken from the reference geography",
            "rating": "qualitative rating, not aggregated",
            "flag": "yes/no per unit, not aggregated",
        }[self.kind]

    @property
    def display(self) -> Display:
        """How its values are written: a percentage when its unit is "%", else a count."""
        return PERCENT if self.unit_vi == "%" else COUNT

    @property
    def percent(self) -> bool:
        """Whether its values are percentages (rates, shares): changes in them are in points."""
        return self.display.percent

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en

    def note(self, lang: str = "vi") -> str:
        return self.note_vi if lang == "vi" else self.note_en

    def unit(self, lang: str = "vi") -> str:
        return self.unit_vi if lang == "vi" else self.unit_en


def _stock(id_, vi, en, domain, better, unit=("người", "people"), headline=False):
    return Indicator(id_, vi, en, unit[0], unit[1], domain, "stock", better, headline=headline)


def _flow(id_, vi, en, domain, better, unit=("người", "people"), headline=False):
    return Indicator(id_, vi, en, unit[0], unit[1], domain, "flow", better, headline=headline)


# Who "drug users" are (Luật Phòng, chống ma túy 2021, Luật số 73/2021/QH14, Điều 2): the law
# defines "người sử dụng trái phép chất ma túy" and "người nghiện ma túy" as two statuses, and
# the police count them as two groups (539 addicts + 1.122 other users = 1.661 in one province's
# report); other reports give users including addicts (Quảng Nam 2017: 1.793 users, of whom
# 1.456 addicts with records, seed report 001). The indicator holds everyone who uses drugs
# illegally, addicts included — the total both kinds of report give — so the seed figure stays
# as printed and a police-style report is typed as the sum of its two groups.
DRUG_USERS_NOTE_VI = (
    "Tổng số người sử dụng trái phép chất ma túy, KỂ CẢ người nghiện (Luật Phòng, chống ma túy 2021 "
    "tách hai tình trạng: người sử dụng trái phép và người nghiện). Báo cáo đếm riêng hai nhóm (cách "
    "thống kê của công an, ví dụ 539 người nghiện và 1.122 người sử dụng) thì ghi tổng 1.661."
)
DRUG_USERS_NOTE_EN = (
    "Everyone who uses drugs illegally, addicts included (the 2021 Law on Drug Prevention separates "
    "illegal users and addicts). A report counting the two groups apart (the police's way: 539 addicts "
    "and 1,122 users) is typed as their sum, 1,661."
)

_BUSINESS = ("cơ sở", "businesses")
_PLACE = ("điểm", "places")
_COMMUNE = ("xã", "communes")
_PCT = ("%", "%")

INDICATORS: tuple[Indicator, ...] = (
    _stock("population", "Dân số", "Population", "population", "neutral"),
    # Drugs: stocks
    Indicator(
        "drug_users",
        "Người sử dụng trái phép chất ma túy",
        "Illegal drug users",
        "người",
        "people",
        "drugs",
        "stock",
        "down",
        headline=True,
        note_vi=DRUG_USERS_NOTE_VI,
        note_en=DRUG_USERS_NOTE_EN,
    ),
    _stock(
        "addicts_managed",
        "Người nghiện có hồ sơ quản lý",
        "Addicts with management records",
        "drugs",
        "down",
        headline=True,
    ),
    _stock("addicts_in_community", "Người nghiện ở cộng đồng", "Addicts in the community", "drugs", "down"),
    _stock(
        "addicts_absent",
        "Người nghiện vắng mặt tại địa phương",
        "Addicts absent from the locality",
        "drugs",
        "down",
    ),
    _stock(
        "addicts_in_rehab_center",
        "Người nghiện đang ở cơ sở cai nghiện",
        "Addicts in rehab centres",
        "drugs",
        "neutral",
    ),
    _stock(
        "addicts_in_prison_or_school",
        "Người nghiện trong trại giam, trường giáo dưỡng",
        "Addicts in prison or reform school",
        "drugs",
        "neutral",
    ),
    _stock(
        "addicts_confirmed", "Người được xác định nghiện", "People confirmed as addicted", "drugs", "down"
    ),
    _stock(
        "methadone_patients",
        "Người điều trị thay thế bằng Methadone",
        "Methadone patients",
        "drugs",
        "up",
        headline=True,
    ),
    _stock(
        "rehab_center_residents",
        "Học viên tại cơ sở cai nghiện",
        "Rehab centre residents",
        "drugs",
        "neutral",
    ),
    _stock(
        "drug_hotspots", "Tụ điểm, điểm phức tạp về ma túy", "Drug hotspots", "drugs", "down", unit=_PLACE
    ),
    # Drugs: flows
    _flow(
        "compulsory_rehab",
        "Đưa đi cai nghiện bắt buộc",
        "Sent to compulsory rehab",
        "drugs",
        "up",
        headline=True,
    ),
    _flow(
        "home_community_rehab",
        "Cai nghiện tự nguyện tại gia đình, cộng đồng",
        "Voluntary rehab at home or in the community",
        "drugs",
        "up",
        headline=True,
    ),
    _flow(
        "voluntary_rehab_center",
        "Cai nghiện tự nguyện tại cơ sở cai nghiện",
        "Voluntary rehab at a centre",
        "drugs",
        "up",
        headline=True,
    ),
    Indicator(
        "rehab_total",
        "Tổng số người cai nghiện (mọi hình thức)",
        "People in rehab, all forms",
        "người",
        "people",
        "drugs",
        "flow",
        "up",
        note_vi=(
            "Người được cai nghiện trong kỳ theo mọi hình thức: bắt buộc và tự nguyện tại cơ sở cai nghiện, "
            "tại gia đình, cộng đồng — con số báo cáo thường ghi 'đạt …% kế hoạch năm'; kế hoạch năm ghi ở "
            "trang Chỉ tiêu với quy tắc Tối thiểu. Ghi đúng số báo cáo; khi báo cáo chỉ có từng hình thức, "
            "ghi từng chỉ tiêu riêng."
        ),
        note_en=(
            "People treated in the period in every form: compulsory and voluntary at a centre, at home or in "
            "the community — the figure reports judge as '…% of the yearly plan'; the plan is a yearly "
            "'at least' target."
        ),
    ),
    _flow(
        "post_rehab_returnees",
        "Người hoàn thành cai nghiện trở về",
        "People returning from rehab",
        "drugs",
        "neutral",
    ),
    _flow("post_rehab_managed", "Người sau cai được quản lý", "Returnees managed after rehab", "drugs", "up"),
    _flow(
        "post_rehab_supported",
        "Người sau cai được giúp đỡ, tạo việc làm, học nghề",
        "Returnees helped with jobs or training",
        "drugs",
        "up",
    ),
    _flow("post_rehab_loans", "Người sau cai được hỗ trợ vay vốn", "Loans to returnees", "drugs", "up"),
    _flow(
        "vocational_training",
        "Người sau cai được dạy nghề",
        "Vocational training of returnees",
        "drugs",
        "up",
    ),
    _flow(
        "commune_education_cases",
        "Giáo dục tại xã, phường (Nghị định 111)",
        "Education at the commune (Decree 111)",
        "drugs",
        "neutral",
    ),
    # Prostitution
    _stock(
        "service_businesses",
        "Cơ sở kinh doanh dịch vụ",
        "Service businesses",
        "prostitution",
        "neutral",
        unit=_BUSINESS,
    ),
    _stock(
        "sensitive_businesses",
        "Cơ sở kinh doanh dịch vụ nhạy cảm",
        "Sensitive businesses",
        "prostitution",
        "neutral",
        unit=_BUSINESS,
    ),
    _stock(
        "prostitution_prone_businesses",
        "Cơ sở kinh doanh dịch vụ dễ phát sinh mại dâm",
        "Businesses prone to prostitution",
        "prostitution",
        "down",
        unit=_BUSINESS,
        headline=True,
    ),
    _stock(
        "sex_workers_managed",
        "Người bán dâm được quản lý",
        "Sex workers under management",
        "prostitution",
        "neutral",
        headline=True,
    ),
    _stock(
        "public_prostitution_hotspots",
        "Tụ điểm mại dâm công cộng phức tạp",
        "Public prostitution hotspots",
        "prostitution",
        "down",
        unit=_PLACE,
    ),
    _stock(
        "prostitution_model_wards",
        "Xã, phường thực hiện mô hình phòng, chống mại dâm",
        "Communes running the prostitution-prevention model",
        "prostitution",
        "up",
        unit=_COMMUNE,
    ),
    # Trafficking
    _flow(
        "trafficking_victims_returned",
        "Nạn nhân bị mua bán trở về",
        "Trafficking victims returned",
        "trafficking",
        "neutral",
        headline=True,
    ),
    _stock(
        "missing_persons",
        "Người đi khỏi địa phương không rõ tung tích",
        "People gone with whereabouts unknown",
        "trafficking",
        "down",
    ),
    # HIV/AIDS
    _stock("hiv_cases", "Người nhiễm HIV còn sống", "People living with HIV", "hiv", "down"),
    _stock("arv_patients", "Bệnh nhân điều trị ARV", "ARV patients", "hiv", "up"),
    _stock(
        "b93_clubs",
        "Câu lạc bộ quản lý sau cai (B93)",
        "Post-rehab clubs (B93)",
        "drugs",
        "up",
        unit=("câu lạc bộ", "clubs"),
    ),
    _flow("pregnant_hiv", "Phụ nữ mang thai nhiễm HIV", "Pregnant women with HIV", "hiv", "down"),
    _flow(
        "pregnant_hiv_pmtct",
        "Phụ nữ mang thai nhiễm HIV được điều trị dự phòng",
        "Pregnant women with HIV given prevention treatment",
        "hiv",
        "up",
    ),
    # Derived rates (%)
    Indicator(
        "hiv_prevalence",
        "Tỷ lệ nhiễm HIV trong cộng đồng",
        "HIV prevalence",
        *_PCT,
        "hiv",
        "rate",
        "down",
        numerator="hiv_cases",
        denominator="population",
        headline=True,
    ),
    Indicator(
        "home_rehab_share",
        "Tỷ lệ người nghiện cai tại gia đình, cộng đồng",
        "Share of addicts in home or community rehab",
        *_PCT,
        "drugs",
        "rate",
        "up",
        numerator="home_community_rehab",
        denominator="addicts_managed",
    ),
    Indicator(
        "post_rehab_managed_share",
        "Tỷ lệ người sau cai được quản lý",
        "Share of returnees managed after rehab",
        *_PCT,
        "drugs",
        "rate",
        "up",
        numerator="post_rehab_managed",
        denominator="post_rehab_returnees",
    ),
    Indicator(
        "post_rehab_supported_share",
        "Tỷ lệ người sau cai được giúp đỡ, tạo việc làm",
        "Share of returnees helped with jobs or training",
        *_PCT,
        "drugs",
        "rate",
        "up",
        numerator="post_rehab_supported",
        denominator="post_rehab_returnees",
    ),
    Indicator(
        "pmtct_coverage",
        "Tỷ lệ phụ nữ mang thai nhiễm HIV được điều trị dự phòng",
        "Prevention of mother-to-child transmission coverage",
        *_PCT,
        "hiv",
        "rate",
        "up",
        numerator="pregnant_hiv_pmtct",
        denominator="pregnant_hiv",
    ),
    # Commune classifications (counts per year)
    Indicator(
        "key_communes",
        "Xã, phường trọng điểm về ma túy",
        "Key communes (drugs)",
        *_COMMUNE,
        "drugs",
        "status",
        "down",
        headline=True,
    ),
    Indicator(
        "complex_communes",
        "Xã, phường phức tạp về ma túy, mại dâm",
        "Complex communes (drugs, prostitution)",
        *_COMMUNE,
        "drugs",
        "status",
        "down",
        headline=True,
    ),
    Indicator(
        "healthy_communes",
        "Xã, phường lành mạnh không có tệ nạn ma túy, mại dâm",
        "Healthy communes (no drugs or prostitution)",
        *_COMMUNE,
        "drugs",
        "status",
        "up",
        headline=True,
    ),
    Indicator(
        "drug_free_communes",
        "Xã, phường không có ma túy",
        "Drug-free communes",
        *_COMMUNE,
        "drugs",
        "status",
        "up",
    ),
    Indicator(
        "drug_free_share",
        "Tỷ lệ xã, phường không có ma túy",
        "Share of drug-free communes",
        *_PCT,
        "drugs",
        "status",
        "up",
        headline=True,  # the national goal's measure (50% of communes by 2030; provinces 20% in 2025)
    ),
    Indicator(
        "drug_problem_communes",
        "Xã, phường có tệ nạn ma túy",
        "Communes with drug problems",
        *_COMMUNE,
        "drugs",
        "status",
        "down",
    ),
    # Commune counts as reports print them, stored as facts at the report's month (a stock: the
    # count on that date). The list of communes wins where one exists for the unit and year.
    *(
        Indicator(
            f"reported_{status_id}",
            f"{vi} (theo số báo cáo)",
            f"{en} (as reported)",
            *_COMMUNE,
            "drugs",
            "stock",
            better,
            reported_for=status_id,
        )
        for status_id, vi, en, better in (
            ("key_communes", "Số xã, phường trọng điểm về ma túy", "Key communes", "down"),
            ("complex_communes", "Số xã, phường phức tạp về ma túy, mại dâm", "Complex communes", "down"),
            ("healthy_communes", "Số xã, phường lành mạnh", "Healthy communes", "up"),
            ("drug_free_communes", "Số xã, phường không có tệ nạn ma túy", "Drug-free communes", "up"),
            (
                "drug_problem_communes",
                "Số xã, phường có tệ nạn ma túy",
                "Communes with drug problems",
                "down",
            ),
            ("commune_total", "Tổng số xã, phường, thị trấn", "Communes in the unit", "neutral"),
        )
    ),
    # Report figures kept for completeness: not stored as facts
    Indicator(
        "district_count",
        "Số đơn vị hành chính cấp huyện",
        "Number of districts",
        "huyện",
        "districts",
        "population",
        "reference",
        "neutral",
    ),
    Indicator(
        "rehab_quota_completion",
        "Tỷ lệ hoàn thành chỉ tiêu cai nghiện được giao",
        "Completion of the assigned rehab quota",
        *_PCT,
        "drugs",
        "rating",
        "up",
    ),
    Indicator(
        "prostitution_free",
        "Đơn vị lành mạnh không có tệ nạn mại dâm",
        "Unit free of prostitution",
        "có/không",
        "yes/no",
        "prostitution",
        "flag",
        "up",
    ),
    Indicator(
        "b93_club_rating",
        "Xếp loại câu lạc bộ B93",
        "Rating of B93 clubs",
        "loại",
        "grade",
        "drugs",
        "rating",
        "up",
    ),
)

CATALOG: dict[str, Indicator] = {ind.id: ind for ind in INDICATORS}

FACT_INDICATORS: frozenset[str] = frozenset(i.id for i in INDICATORS if i.is_fact)
STOCK_INDICATORS: frozenset[str] = frozenset(i.id for i in INDICATORS if i.kind == "stock")
FLOW_INDICATORS: frozenset[str] = frozenset(i.id for i in INDICATORS if i.kind == "flow")
RATE_INDICATORS: tuple[Indicator, ...] = tuple(i for i in INDICATORS if i.kind == "rate")
STATUS_INDICATORS: tuple[str, ...] = tuple(i.id for i in INDICATORS if i.kind == "status")
# Status count → the stored indicator that carries it as a report prints it (plus the denominator).
REPORTED_COUNTS: dict[str, str] = {i.reported_for: i.id for i in INDICATORS if i.reported_for}
# Stored indicators measured month by month in every unit (reported commune counts are not).
MONTHLY_INDICATORS: frozenset[str] = FACT_INDICATORS - frozenset(REPORTED_COUNTS.values())

# The forms of rehab the catalog counts; ``rehab_total`` is reported on its own, and in the
# demo it is their sum.
REHAB_FORMS: tuple[str, ...] = ("compulsory_rehab", "home_community_rehab", "voluntary_rehab_center")

# Parts that may not exceed their whole (data contract).
PARTS_OF_WHOLE: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("addicts_in_community", "addicts_absent", "addicts_in_rehab_center", "addicts_in_prison_or_school"),
        "addicts_managed",
    ),
    (("prostitution_prone_businesses",), "service_businesses"),
)
# Parts whose excess over the whole is only worth a warning: a report that counts addicts and
# other users as separate groups (the police's way) may have been typed with its "users" group
# as the total, and must still import (DRUG_USERS_NOTE_VI).
PARTS_OF_WHOLE_WARNED: tuple[tuple[tuple[str, ...], str], ...] = ((("addicts_managed",), "drug_users"),)


def get(indicator_id: str) -> Indicator:
    """The catalog entry for an id; KeyError names the id."""
    return CATALOG[indicator_id]


def in_domain(domain: str) -> list[Indicator]:
    """Indicators of one domain that can be charted (facts and rates; reported commune counts are
    charted through their status count)."""
    return [
        i
        for i in INDICATORS
        if i.domain == domain and i.kind in ("stock", "flow", "rate") and i.reported_for is None
    ]
