"""The population, persons and company register adapters over the demo extracts (INT-5, ACC-1, ACC-2)."""

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st
from stdnum.lv import pvn

from onedoor.parties.registers.company import (
    COMPANY_REGISTER_PATH,
    CompanyStatus,
    LocalCompanyRegister,
    RegisteredCompany,
    Representation,
    RepresentationKind,
    RepresentativeRole,
    company_register,
)
from onedoor.parties.registers.persons import PERSONS_PATH, LocalPersonsRegister, persons_register
from onedoor.parties.registers.population import (
    POPULATION_PATH,
    LocalPopulationRegister,
    RegisteredPerson,
    is_minor,
    population_register,
)

PEOPLE_PATH = Path(__file__).resolve().parent.parent / "demo" / "people.json"
TODAY = date(2026, 11, 22)

ANNA = "32871452034"
EMILS = "32910627483"
MARTINS = "08029012184"
JANIS = "14037812342"
ELZA = "05030920418"
ROBERTS = "12060423071"
LIGA = "30088813564"
MARTA = "17091221150"
EDGARS = "25018614627"
KRISTAPS = "09090124155"
PETERIS = "02115510879"
ILZE = "32543188609"
TOMS = "30061520884"
LAURA = "03129111937"
ERIK = "32395077121"
UNKNOWN_PERSON = "161175-19997"  # valid, in no register

KOKMATERIALI = "40003512877"
ROJAS_ZIVIS = "40103726150"
BALTIJAS_LOGISTIKA = "40003119424"
BERZINA_DARBNICA = "40102944786"
VECA_OSTMALA = "40103111658"
UNKNOWN_COMPANY = "40003032949"  # valid, not registered

INVALID_PERSONAL_CODES = ["328714-52035", "12345", "", KOKMATERIALI]
INVALID_REGISTRATION_NUMBERS = ["40003512878", "4000351287", "", ANNA]


@pytest.fixture(scope="module")
def population() -> LocalPopulationRegister:
    return LocalPopulationRegister()


@pytest.fixture(scope="module")
def persons() -> LocalPersonsRegister:
    return LocalPersonsRegister()


@pytest.fixture(scope="module")
def companies() -> LocalCompanyRegister:
    return LocalCompanyRegister()


def _codes(people: list[RegisteredPerson]) -> list[str]:
    return [person.personal_code for person in people]


def _rights(representations: list[Representation]) -> list[tuple[str, str, RepresentativeRole, RepresentationKind]]:
    return [
        (right.company.registration_number, right.personal_code, right.role, right.representation)
        for right in representations
    ]


# Population register


def test_a_resident_is_found_with_the_registers_facts(population: LocalPopulationRegister) -> None:
    assert population.lookup(ANNA) == RegisteredPerson(
        personal_code=ANNA,
        given_name="Anna",
        family_name="Kalniņa",
        birth_date=date(1992, 7, 21),
        declared_address="Krišjāņa Barona iela 55-7, Rīga, LV-1011",
        municipality_code="RIGA",
        is_alive=True,
    )


def test_hyphenated_codes_are_accepted(population: LocalPopulationRegister) -> None:
    assert population.lookup("328714-52034") == population.lookup(ANNA)
    assert _codes(population.minor_children("328714-52034", on=TODAY)) == [EMILS]
    assert _codes(population.guardians("329106-27483", on=TODAY)) == [ANNA, MARTINS]


def test_both_parents_with_custody_act_for_a_newborn(population: LocalPopulationRegister) -> None:
    assert _codes(population.minor_children(ANNA, on=TODAY)) == [EMILS]
    assert _codes(population.minor_children(MARTINS, on=TODAY)) == [EMILS]
    assert _codes(population.guardians(EMILS, on=TODAY)) == [ANNA, MARTINS]
    assert population.minor_children(EMILS, on=TODAY) == []


def test_a_child_is_no_longer_a_minor_on_their_18th_birthday(population: LocalPopulationRegister) -> None:
    assert _codes(population.minor_children(ANNA, on=date(2044, 10, 1))) == [EMILS]
    assert population.minor_children(ANNA, on=date(2044, 10, 2)) == []
    assert population.guardians(EMILS, on=date(2044, 10, 2)) == []
    assert _codes(population.minor_children(JANIS, on=date(2027, 3, 4))) == [ELZA]
    assert population.minor_children(JANIS, on=date(2027, 3, 5)) == []


def test_adult_children_are_not_minor_children(population: LocalPopulationRegister) -> None:
    assert _codes(population.minor_children(JANIS, on=TODAY)) == [ELZA]
    assert population.guardians(ROBERTS, on=TODAY) == []


def test_a_parent_without_custody_acts_for_no_child(population: LocalPopulationRegister) -> None:
    assert population.minor_children(EDGARS, on=TODAY) == []
    assert _codes(population.minor_children(LIGA, on=TODAY)) == [MARTA]
    assert _codes(population.guardians(MARTA, on=TODAY)) == [LIGA]


def test_an_appointed_guardian_takes_the_place_of_a_deceased_parent(population: LocalPopulationRegister) -> None:
    laura = population.lookup(LAURA)
    assert laura is not None
    assert not laura.is_alive
    assert laura.municipality_code is None
    assert _codes(population.guardians(TOMS, on=TODAY)) == [ILZE]
    assert _codes(population.minor_children(ILZE, on=TODAY)) == [TOMS]
    assert population.minor_children(LAURA, on=TODAY) == []


def test_a_non_resident_is_in_the_persons_register_only(
    population: LocalPopulationRegister, persons: LocalPersonsRegister
) -> None:
    assert population.lookup(ERIK) is None
    assert persons.lookup("323950-77121") == RegisteredPerson(
        personal_code=ERIK,
        given_name="Erik",
        family_name="Lindqvist",
        birth_date=date(1980, 2, 11),
        declared_address="Storgatan 12, 114 51 Stockholm, Zviedrija",
        municipality_code=None,
        is_alive=True,
    )
    assert persons.lookup(ANNA) is None


def test_an_unknown_person_is_none_or_nobody(
    population: LocalPopulationRegister, persons: LocalPersonsRegister, companies: LocalCompanyRegister
) -> None:
    assert population.lookup(UNKNOWN_PERSON) is None
    assert population.minor_children(UNKNOWN_PERSON, on=TODAY) == []
    assert population.guardians(UNKNOWN_PERSON, on=TODAY) == []
    assert persons.lookup(UNKNOWN_PERSON) is None
    assert companies.representations(UNKNOWN_PERSON, on=TODAY) == []


@pytest.mark.parametrize("code", INVALID_PERSONAL_CODES)
def test_an_invalid_personal_code_is_refused_everywhere(
    code: str, population: LocalPopulationRegister, persons: LocalPersonsRegister, companies: LocalCompanyRegister
) -> None:
    for ask in (
        lambda: population.lookup(code),
        lambda: population.minor_children(code, on=TODAY),
        lambda: population.guardians(code, on=TODAY),
        lambda: persons.lookup(code),
        lambda: companies.representations(code, on=TODAY),
    ):
        with pytest.raises(ValidationError) as error:
            ask()
        assert error.value.code == "invalid_personal_code"


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _record(code: str, birth: date) -> dict[str, Any]:
    return {
        "personal_code": code,
        "given_name": "Test",
        "family_name": "Person",
        "birth_date": birth.isoformat(),
        "declared_address": "",
        "municipality_code": None,
        "is_alive": True,
    }


@given(
    st.dates(min_value=date(1901, 1, 1), max_value=date(2080, 12, 31)),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 12, 31)),
)
def test_a_child_is_a_minor_child_exactly_while_under_18(birth: date, on: date) -> None:
    extract = {
        "persons": [_record(ANNA, date(1880, 1, 1)), _record(EMILS, birth)],
        "custody": [{"child": EMILS, "parent_or_guardian": ANNA, "kind": "parent", "has_custody": True}],
    }
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "population.json"
        path.write_text(json.dumps(extract), encoding="utf-8")
        register = LocalPopulationRegister(path)
    minor = _age(birth, on) < 18
    assert is_minor(birth, on=on) is minor
    assert _codes(register.minor_children(ANNA, on=on)) == ([EMILS] if minor else [])
    assert _codes(register.guardians(EMILS, on=on)) == ([ANNA] if minor else [])


@pytest.mark.parametrize("birth", [date(2008, 2, 29), date(2012, 2, 29), date(1896, 2, 29)])
def test_someone_born_on_29_february_comes_of_age_on_1_march(birth: date) -> None:
    assert is_minor(birth, on=date(birth.year + 18, 2, 28))
    assert not is_minor(birth, on=date(birth.year + 18, 3, 1))


# Company register


def test_a_company_is_found_with_its_status(companies: LocalCompanyRegister) -> None:
    assert companies.lookup(BALTIJAS_LOGISTIKA) == RegisteredCompany(
        registration_number=BALTIJAS_LOGISTIKA,
        name='AS "Baltijas Loģistika"',
        legal_form="AS",
        address="Krasta iela 52, Rīga, LV-1019",
        status=CompanyStatus.ACTIVE,
    )
    assert companies.lookup("LV 4000 3119 424") == companies.lookup(BALTIJAS_LOGISTIKA)
    assert companies.lookup(UNKNOWN_COMPANY) is None


def test_a_board_member_with_sole_representation_is_also_a_procurist_and_an_owner(
    companies: LocalCompanyRegister,
) -> None:
    representations = companies.representations("140378-12342", on=TODAY)
    assert _rights(representations) == [
        (KOKMATERIALI, JANIS, RepresentativeRole.PROCURIST, RepresentationKind.SOLE),
        (BALTIJAS_LOGISTIKA, JANIS, RepresentativeRole.BOARD_MEMBER, RepresentationKind.SOLE),
        (BERZINA_DARBNICA, JANIS, RepresentativeRole.OWNER, RepresentationKind.SOLE),
    ]
    procura = representations[0]
    assert (procura.given_name, procura.family_name, procura.since, procura.until) == (
        "Jānis",
        "Bērziņš",
        date(2021, 9, 1),
        None,
    )
    assert procura.company.name == 'SIA "Kokmateriāli"'


def test_board_members_with_joint_representation_only(companies: LocalCompanyRegister) -> None:
    assert _rights(companies.representatives(KOKMATERIALI, on=TODAY)) == [
        (KOKMATERIALI, LIGA, RepresentativeRole.BOARD_MEMBER, RepresentationKind.JOINT),
        (KOKMATERIALI, KRISTAPS, RepresentativeRole.BOARD_MEMBER, RepresentationKind.JOINT),
        (KOKMATERIALI, JANIS, RepresentativeRole.PROCURIST, RepresentationKind.SOLE),
    ]
    assert _rights(companies.representations(KRISTAPS, on=TODAY)) == [
        (KOKMATERIALI, KRISTAPS, RepresentativeRole.BOARD_MEMBER, RepresentationKind.JOINT)
    ]


def test_a_non_resident_board_member_represents_jointly(companies: LocalCompanyRegister) -> None:
    assert _rights(companies.representations(ERIK, on=TODAY)) == [
        (BALTIJAS_LOGISTIKA, ERIK, RepresentativeRole.BOARD_MEMBER, RepresentationKind.JOINT)
    ]


def test_a_right_holds_from_its_first_to_its_last_day(companies: LocalCompanyRegister) -> None:
    assert companies.representations(ANNA, on=date(2022, 5, 1)) == []
    assert _rights(companies.representations(ANNA, on=date(2022, 5, 2))) == [
        (BALTIJAS_LOGISTIKA, ANNA, RepresentativeRole.PROCURIST, RepresentationKind.JOINT)
    ]
    assert len(companies.representations(ANNA, on=date(2025, 12, 31))) == 1
    assert companies.representations(ANNA, on=date(2026, 1, 1)) == []
    assert [right.personal_code for right in companies.representatives(KOKMATERIALI, on=date(2024, 2, 18))] == [
        LIGA,
        JANIS,
    ]


def test_a_company_in_liquidation_is_represented_by_its_liquidator(companies: LocalCompanyRegister) -> None:
    company = companies.lookup(ROJAS_ZIVIS)
    assert company is not None
    assert company.status == CompanyStatus.LIQUIDATION
    assert _rights(companies.representatives(ROJAS_ZIVIS, on=TODAY)) == [
        (ROJAS_ZIVIS, PETERIS, RepresentativeRole.OTHER, RepresentationKind.SOLE)
    ]
    assert _rights(companies.representations(PETERIS, on=date(2026, 3, 31))) == [
        (ROJAS_ZIVIS, PETERIS, RepresentativeRole.BOARD_MEMBER, RepresentationKind.SOLE)
    ]


def test_an_excluded_company_is_known_but_has_no_representatives(companies: LocalCompanyRegister) -> None:
    company = companies.lookup(VECA_OSTMALA)
    assert company is not None
    assert company.status == CompanyStatus.EXCLUDED
    assert companies.representatives(VECA_OSTMALA, on=TODAY) == []
    assert companies.representations(ILZE, on=TODAY) == []


def test_an_unknown_company_has_no_representatives(companies: LocalCompanyRegister) -> None:
    assert companies.representatives(UNKNOWN_COMPANY, on=TODAY) == []


@pytest.mark.parametrize("number", INVALID_REGISTRATION_NUMBERS)
def test_an_invalid_registration_number_is_refused(number: str, companies: LocalCompanyRegister) -> None:
    for ask in (lambda: companies.lookup(number), lambda: companies.representatives(number, on=TODAY)):
        with pytest.raises(ValidationError) as error:
            ask()
        assert error.value.code == "invalid_registration_number"


# The demo extracts agree with each other and with the platform's demo people


def test_the_demo_people_are_in_the_registers_as_the_platform_knows_them(
    population: LocalPopulationRegister, persons: LocalPersonsRegister, companies: LocalCompanyRegister
) -> None:
    people = json.loads(PEOPLE_PATH.read_text(encoding="utf-8"))
    for row in people["persons"]:
        registered = (population if row["is_resident"] else persons).lookup(row["personal_code"])
        assert registered is not None, row["personal_code"]
        assert (registered.given_name, registered.family_name, registered.declared_address) == (
            row["given_name"],
            row["family_name"],
            row["address"],
        )
        assert registered.municipality_code == row["municipality"]
        assert row["birth_date"] in (None, registered.birth_date.isoformat())
        if not row["is_resident"]:
            assert population.lookup(row["personal_code"]) is None
    for row in people["organisations"]:
        company = companies.lookup(row["registration_number"])
        assert company is not None
        assert (company.name, company.legal_form, company.address) == (row["name"], row["legal_form"], row["address"])


def test_the_extracts_hold_valid_identifiers_and_old_codes_carry_the_birth_date() -> None:
    extracts = [json.loads(path.read_text(encoding="utf-8")) for path in (POPULATION_PATH, PERSONS_PATH)]
    for record in [record for extract in extracts for record in extract["persons"]]:
        code = record["personal_code"]
        assert pvn.validate(code) == code
        if not code.startswith("32"):
            assert pvn.get_birth_date(code).isoformat() == record["birth_date"]
    population = LocalPopulationRegister()
    residents, non_residents = extracts
    assert all(population.lookup(record["personal_code"]) for record in residents["persons"])
    assert not any(population.lookup(record["personal_code"]) for record in non_residents["persons"])
    companies = json.loads(COMPANY_REGISTER_PATH.read_text(encoding="utf-8"))["companies"]
    for company in companies:
        assert pvn.validate(company["registration_number"]) == company["registration_number"]
        for officer in company["officers"]:
            assert pvn.validate(officer["personal_code"]) == officer["personal_code"]


# Choosing the implementation


class FakePopulationRegister:
    def lookup(self, personal_code: str) -> RegisteredPerson | None:
        return RegisteredPerson(personal_code, "Fake", "Person", date(2000, 1, 1), "", None, True)

    def minor_children(self, personal_code: str, *, on: date) -> list[RegisteredPerson]:
        return []

    def guardians(self, personal_code: str, *, on: date) -> list[RegisteredPerson]:
        return []


class FakePersonsRegister:
    def lookup(self, personal_code: str) -> RegisteredPerson | None:
        return RegisteredPerson(personal_code, "Fake", "Visitor", date(2000, 1, 1), "", None, True)


class FakeCompanyRegister:
    def lookup(self, registration_number: str) -> RegisteredCompany | None:
        return RegisteredCompany(registration_number, "Fake", "SIA", "", CompanyStatus.ACTIVE)

    def representations(self, personal_code: str, *, on: date) -> list[Representation]:
        return []

    def representatives(self, registration_number: str, *, on: date) -> list[Representation]:
        return []


def test_the_local_extracts_answer_by_default() -> None:
    assert isinstance(population_register(), LocalPopulationRegister)
    assert isinstance(persons_register(), LocalPersonsRegister)
    assert isinstance(company_register(), LocalCompanyRegister)
    assert population_register() is population_register()


@override_settings(
    ONEDOOR_POPULATION_REGISTER=f"{__name__}.FakePopulationRegister",
    ONEDOOR_PERSONS_REGISTER=f"{__name__}.FakePersonsRegister",
    ONEDOOR_COMPANY_REGISTER=f"{__name__}.FakeCompanyRegister",
)
def test_a_setting_plugs_in_another_register() -> None:
    person = population_register().lookup(UNKNOWN_PERSON)
    assert person is not None
    assert person.given_name == "Fake"
    visitor = persons_register().lookup(UNKNOWN_PERSON)
    assert visitor is not None
    assert visitor.family_name == "Visitor"
    company = company_register().lookup(UNKNOWN_COMPANY)
    assert company is not None
    assert company.name == "Fake"
