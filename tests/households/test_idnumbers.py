import contextlib
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from households import idnumbers
from households.idnumbers import IdNumberError


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_it_accepts_the_published_examples(number):
    assert idnumbers.parse(number).number == number


@pytest.mark.parametrize(
    "typed, expected",
    [
        (" 11010519491231002x", "11010519491231002X"),
        ("'11010519491231002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("110105 1949 1231 002X", "11010519491231002X"),
        ("110105\u00a019491231002X", "11010519491231002X"),
        ("110105\u300019491231002X", "11010519491231002X"),
    ],
)
def test_it_normalises_what_villages_type(typed, expected):
    assert idnumbers.parse(typed).number == expected


def test_it_upgrades_a_fifteen_digit_number():
    parsed = idnumbers.parse("110105491231002")
    assert parsed.upgraded
    assert parsed.number == "11010519491231002X"


@pytest.mark.parametrize(
    "value, code",
    [
        ("11010519491231002", "id_invalid_format"),
        ("1101051949123100XX", "id_invalid_format"),
        ("11010519491231002A", "id_invalid_format"),
        ("110105194912310021", "id_invalid_checksum"),
        ("110105194902300028", "id_invalid_date"),
        ("110105491331002", "id_invalid_date"),
        ("3.71521E+17", "id_numeric_precision_lost"),
        (371521195001010000, "id_numeric_precision_lost"),
        (3.71521195001e17, "id_numeric_precision_lost"),
    ],
)
def test_it_rejects_bad_numbers_with_the_import_code(value, code):
    with pytest.raises(IdNumberError) as caught:
        idnumbers.parse(value)
    assert caught.value.code == code
    assert caught.value.message


def test_it_derives_sex_and_birth_date():
    parsed = idnumbers.parse("440524188001010014")
    assert parsed.sex == "male"
    assert parsed.birth_date == datetime.date(1880, 1, 1)
    assert idnumbers.parse("11010519491231002X").sex == "female"


@pytest.mark.parametrize(
    "on, age",
    [
        (datetime.date(2018, 2, 28), 17),
        (datetime.date(2018, 3, 1), 18),
        (datetime.date(2020, 2, 28), 19),
        (datetime.date(2020, 2, 29), 20),
    ],
)
def test_it_counts_a_feb_29_birthday_on_mar_1_in_other_years(on, age):
    assert idnumbers.age_on(datetime.date(2000, 2, 29), on) == age


def test_it_masks_all_but_the_area_code_and_the_last_four():
    assert idnumbers.mask("371521195001010013") == "371521********0013"
    assert idnumbers.mask("") == ""


birth_dates = st.dates(
    min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)
)


@given(born=birth_dates, seq=st.integers(0, 999))
def test_it_accepts_every_number_with_a_correct_check_character(born, seq):
    first17 = f"371521{born:%Y%m%d}{seq:03d}"
    number = first17 + idnumbers.check_char(first17)
    parsed = idnumbers.parse(number.lower())
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.sex == ("male" if seq % 2 else "female")


@given(born=birth_dates, seq=st.integers(0, 999), wrong=st.sampled_from("0123456789X"))
def test_it_rejects_every_wrong_check_character(born, seq, wrong):
    first17 = f"371521{born:%Y%m%d}{seq:03d}"
    if wrong == idnumbers.check_char(first17):
        return
    with pytest.raises(IdNumberError) as caught:
        idnumbers.parse(first17 + wrong)
    assert caught.value.code == "id_invalid_checksum"


@given(st.text(max_size=30))
def test_it_never_raises_anything_but_an_id_number_error(text):
    with contextlib.suppress(IdNumberError):
        idnumbers.parse(text)


@given(born=st.dates(min_value=datetime.date(1900, 1, 1)), on=st.dates())
def test_age_is_never_negative_after_birth_and_grows_by_one_a_year(born, on):
    if on < born:
        return
    age = idnumbers.age_on(born, on)
    assert age >= 0
    if on.year < 9999 and not (on.month == 2 and on.day == 29):
        assert idnumbers.age_on(born, on.replace(year=on.year + 1)) == age + 1


@pytest.mark.parametrize(
    "value", ["11010519491231002²", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "11010519491231²02X"]
)
def test_it_rejects_non_ascii_digits_as_a_format_error(value):
    with pytest.raises(IdNumberError) as caught:
        idnumbers.parse(value)
    assert caught.value.code == "id_invalid_format"
