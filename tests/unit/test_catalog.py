"""The indicator catalog is complete, bilingual, documented, and covers the contract and the reports."""

import csv
from pathlib import Path

import pytest

from dashboard.catalog import CATALOG, DOMAINS, INDICATORS
from tests.support.data import SEED_FACTS

CONTRACT_STOCKS = [
    "population",
    "drug_users",
    "addicts_managed",
    "addicts_in_community",
    "addicts_absent",
    "addicts_in_rehab_center",
    "addicts_in_prison_or_school",
    "addicts_confirmed",
    "methadone_patients",
    "rehab_center_residents",
    "service_businesses",
    "sensitive_businesses",
    "prostitution_prone_businesses",
    "sex_workers_managed",
    "public_prostitution_hotspots",
    "drug_hotspots",
    "missing_persons",
    "hiv_cases",
    "arv_patients",
    "b93_clubs",
]
CONTRACT_FLOWS = [
    "compulsory_rehab",
    "home_community_rehab",
    "voluntary_rehab_center",
    "post_rehab_returnees",
    "post_rehab_managed",
    "post_rehab_loans",
    "vocational_training",
    "commune_education_cases",
    "trafficking_victims_returned",
    "pregnant_hiv",
    "pregnant_hiv_pmtct",
]
CONTRACT_RATES = ["hiv_prevalence", "home_rehab_share", "post_rehab_managed_share", "pmtct_coverage"]


@pytest.mark.parametrize(
    ("ids", "kind"), [(CONTRACT_STOCKS, "stock"), (CONTRACT_FLOWS, "flow"), (CONTRACT_RATES, "rate")]
)
def test_contract_ids_have_their_kind(ids, kind):
    assert {i: CATALOG[i].kind for i in ids} == dict.fromkeys(ids, kind)


def test_every_seed_indicator_is_in_the_catalog():
    seed = {row["indicator"] for row in csv.DictReader(SEED_FACTS.open(encoding="utf-8"))}
    assert seed - set(CATALOG) == set()


def test_every_indicator_has_both_languages_a_unit_and_a_domain():
    for ind in INDICATORS:
        assert ind.label_vi.strip() and ind.label_en.strip(), ind.id
        assert ind.label_vi != ind.label_en, ind.id
        assert ind.unit_vi and ind.unit_en, ind.id
        assert ind.domain in DOMAINS, ind.id
        assert ind.better in ("up", "down", "neutral"), ind.id


def test_rates_name_stored_parts():
    for ind in INDICATORS:
        if ind.kind == "rate":
            assert CATALOG[ind.numerator].is_fact and CATALOG[ind.denominator].is_fact, ind.id


def test_ids_are_unique():
    assert len(CATALOG) == len(INDICATORS)


def test_documentation_lists_every_indicator():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "DATA_CONTRACT.md").read_text(encoding="utf-8")
    missing = [i.id for i in INDICATORS if f"`{i.id}`" not in doc]
    assert missing == []
