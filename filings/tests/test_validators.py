"""Tests for filings.validators (pure functions, no database)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django import forms
from django.core.exceptions import ValidationError
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from filings import validators
from filings.validators import (
    SHANGHAI_DISTRICTS,
    calc_patent_check_digit,
    clean_email,
    clean_fixed_phone,
    clean_mobile,
    clean_patent_number,
    clean_phone,
    clean_postcode,
    clean_ric,
    clean_uscc,
    normalise_text,
    patent_type,
    postcode_is_shanghai,
    ric_birth_date,
    ric_gender,
    uscc_division,
    uscc_is_shanghai,
    uscc_org_category,
    uscc_shanghai_district,
    validate_email,
    validate_fixed_phone,
    validate_mobile,
    validate_patent_number,
    validate_phone,
    validate_postcode,
    validate_ric,
    validate_uscc,
)

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _error(func: Callable[[str], object], value: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        func(value)
    return excinfo.value


def _error_code(func: Callable[[str], object], value: str) -> str | None:
    return _error(func, value).code


def _uscc(body17: str) -> str:
    """Complete a 17-character USCC body with stdnum's check character."""
    return body17 + stdnum_uscc.calc_check_digit(body17)


def _ric(body17: str) -> str:
    """Complete a 17-digit ID body; stdnum ignores the placeholder last char."""
    return body17 + stdnum_ric.calc_check_digit(body17 + "0")


# Patent weights listed by hand (2..9 repeating from the left), deliberately
# not reusing the module's formula.
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def _patent_check(body: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(body, _PATENT_WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


def _patent(body: str) -> str:
    return f"{body}.{_patent_check(body)}"


BEIJING_USCC = "91110000600037341L"  # stdnum's documented valid example
PUDONG_USCC = _uscc("91310115MA1K3YJ12")
assert PUDONG_USCC == "91310115MA1K3YJ12G"


# ---------------------------------------------------------------------------
# normalise_text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a\u3000 b\n\tc ", "a b c"),
        ("ＡＢＣ１２３", "ABC123"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_text_folds_width_and_whitespace(raw: str | None, expected: str) -> None:
    assert normalise_text(raw) == expected


# ---------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (BEIJING_USCC, BEIJING_USCC),
        ("91110000600037341l", BEIJING_USCC),  # lower-case check char
        ("91310115ma1k3yj12g", PUDONG_USCC),  # lower-case letters
        ("  9131 0115 MA1K 3YJ1 2G ", PUDONG_USCC),  # spaces
        ("91310115-MA1K3YJ12-G", PUDONG_USCC),  # hyphens
        ("９１３１０１１５ＭＡ１Ｋ３ＹＪ１２Ｇ", PUDONG_USCC),  # full-width
        (
            "９１３１０１１５\u3000ｍａ１ｋ３ｙｊ１２ｇ",
            PUDONG_USCC,
        ),  # full-width lower + U+3000
        ("91310115—MA1K3YJ12G", PUDONG_USCC),  # em dash pasted from a document
    ],
)
def test_uscc_valid_is_normalised(raw: str, expected: str) -> None:
    assert clean_uscc(raw) == expected


def test_uscc_letter_prefixed_codes_are_accepted() -> None:
    # stdnum.validate insists on 8 leading digits; Y1/N1/A1 codes are real.
    code = _uscc("Y1310115MA1K3YJ12")
    assert clean_uscc(code) == code
    assert uscc_org_category(code) == "其他"


@pytest.mark.parametrize("raw", ["9131011MA1K3YJ12G", "91310115MA1K3YJ12GG", "", "   "])
def test_uscc_wrong_length(raw: str) -> None:
    assert _error_code(clean_uscc, raw) == "uscc_length"


def test_uscc_wrong_length_message() -> None:
    assert _error(clean_uscc, "9131011MA1K3YJ12G").messages == ["统一社会信用代码应为18位，当前为17位。"]


@pytest.mark.parametrize(
    "raw",
    [
        "91310115MO1K3YJ12G",  # O is excluded by GB 32100-2015
        "91310115MA1K3YJ1IG",  # I
        "91310115MA1K3YJ1SG",  # S
        "9131A115MA1K3YJ12G",  # letter inside the division code
        "91310115MA1K3YJ12*",
        "91310115MA1K3YJ12中",
    ],
)
def test_uscc_illegal_characters(raw: str) -> None:
    assert _error_code(clean_uscc, raw) == "uscc_chars"


def test_uscc_illegal_characters_message_names_them() -> None:
    error = _error(clean_uscc, "91310115MO1K3YJ12G")
    assert error.messages == [
        ("统一社会信用代码含有非法字符：O。第3至8位应为数字，其余各位只能是数字或除 I、O、Z、S、V 以外的大写字母。")
    ]


@pytest.mark.parametrize("raw", ["91310115MA1K3YJ12H", "91110000600037341M", "911100006000373410"])
def test_uscc_wrong_check_character(raw: str) -> None:
    error = _error(clean_uscc, raw)
    assert error.code == "uscc_check"
    assert error.messages == ["统一社会信用代码校验位不正确，请核对。"]


def test_uscc_agrees_with_stdnum_on_digit_prefixed_codes() -> None:
    bodies = [
        "91310000132200821",
        "12310000425006117",
        "52310115MJ5005331",
        "91110108MA01ABCD1",
    ]
    for body in bodies:
        for check in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            code = body + check
            accepted = True
            try:
                clean_uscc(code)
            except ValidationError:
                accepted = False
            assert accepted == stdnum_uscc.is_valid(code), code


def test_uscc_division_returns_characters_3_to_8() -> None:
    assert uscc_division(PUDONG_USCC) == "310115"
    assert uscc_division(BEIJING_USCC) == "110000"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (PUDONG_USCC, True),
        (_uscc("91310000MA1FL1234"), True),
        (BEIJING_USCC, False),
        (_uscc("91320500MA1MXXX12"), False),  # Suzhou
    ],
)
def test_uscc_is_shanghai_by_division(code: str, expected: bool) -> None:
    assert uscc_is_shanghai(code) is expected


@pytest.mark.parametrize(
    ("division", "expected"),
    [
        ("310115", "浦东新区"),
        ("310101", "黄浦区"),
        ("310103", "黄浦区"),  # 卢湾区 (historic)
        ("310108", "静安区"),  # 闸北区 (historic)
        ("310225", "浦东新区"),  # 南汇县 (historic)
        ("310230", "崇明区"),  # 崇明县 (historic)
        ("310151", "崇明区"),
        ("310000", None),  # municipal level
        ("310100", None),
        ("310199", None),  # unknown Shanghai code
        ("110000", None),  # Beijing
    ],
)
def test_uscc_shanghai_district_maps_current_name(division: str, expected: str | None) -> None:
    assert uscc_shanghai_district(_uscc(f"91{division}MA1K3YJ12")) == expected


def test_uscc_shanghai_districts_table_is_shanghai_only() -> None:
    assert all(code.startswith("31") and len(code) == 6 for code in SHANGHAI_DISTRICTS)
    assert SHANGHAI_DISTRICTS["310103"] == "黄浦区"
    assert SHANGHAI_DISTRICTS["310000"] is None


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("91", "企业"),
        ("92", "个体工商户"),
        ("93", "农民专业合作社"),
        ("11", "机关"),
        ("12", "事业单位"),
        ("13", "中央编办直接管理机构编制的群众团体"),
        ("51", "社会团体"),
        ("52", "民办非企业单位（社会服务机构）"),
        ("53", "基金会"),
        ("59", "其他社会组织"),
        ("31", "律师执业机构"),
        ("81", "基层工会"),
        ("N2", "村级集体经济组织"),
        ("Y1", "其他"),
        ("94", None),
        ("00", None),
    ],
)
def test_uscc_org_category_by_prefix(prefix: str, expected: str | None) -> None:
    assert uscc_org_category(_uscc(f"{prefix}310115MA1K3YJ12")) == expected


def test_uscc_helpers_reject_invalid_codes() -> None:
    assert _error_code(uscc_division, "91310115MA1K3YJ12H") == "uscc_check"
    assert _error_code(uscc_is_shanghai, "bad") == "uscc_length"


# ---------------------------------------------------------------------------
# 身份证号码
# ---------------------------------------------------------------------------

GB_EXAMPLE_RIC = "11010519491231002X"  # the worked example in GB 11643-1999
PUDONG_1985_RIC = _ric("31011519850101123")


def test_ric_standard_example_is_valid() -> None:
    assert clean_ric(GB_EXAMPLE_RIC) == GB_EXAMPLE_RIC
    assert clean_ric("360426199101010071") == "360426199101010071"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", GB_EXAMPLE_RIC),  # lower-case x
        ("110105 19491231 002X", GB_EXAMPLE_RIC),  # internal spaces
        ("110105\u300019491231\u3000002x", GB_EXAMPLE_RIC),  # full-width spaces
        ("１１０１０５１９４９１２３１００２Ｘ", GB_EXAMPLE_RIC),  # full-width digits
        (" 11010519491231002X\n", GB_EXAMPLE_RIC),
    ],
)
def test_ric_valid_is_normalised(raw: str, expected: str) -> None:
    assert clean_ric(raw) == expected


def test_ric_area_created_after_birth_is_accepted() -> None:
    # 310115 浦东新区 was created in 1992: stdnum rejects a 1985 birth year,
    # but such numbers are genuinely issued (re-registration after moving).
    assert not stdnum_ric.is_valid(PUDONG_1985_RIC)
    assert clean_ric(PUDONG_1985_RIC) == PUDONG_1985_RIC


def test_ric_feb_29_of_leap_year_is_valid() -> None:
    number = _ric("31010420000229123")
    assert clean_ric(number) == number
    assert ric_birth_date(number) == datetime.date(2000, 2, 29)


@pytest.mark.parametrize(
    "body",
    [
        "31010420010229123",  # 2001 is not a leap year
        "31010419000229123",  # 1900 is not a leap year either
        "31010419901301123",  # month 13
        "31010419900100123",  # day 0
    ],
)
def test_ric_invalid_calendar_date(body: str) -> None:
    assert _error_code(clean_ric, _ric(body)) == "ric_birth_date"


def test_ric_birth_date_in_future(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validators, "_today", lambda: datetime.date(2024, 6, 1))
    assert clean_ric(_ric("31010420240601123"))  # today itself is fine
    error = _error(clean_ric, _ric("31010420240602123"))
    assert error.code == "ric_birth_date"
    assert error.messages == ["身份证号码中的出生日期不能晚于今天。"]


def test_ric_birth_date_far_future_without_pinning() -> None:
    assert _error_code(clean_ric, _ric("31010429990101123")) == "ric_birth_date"


def test_ric_birth_date_before_1900() -> None:
    assert _error_code(clean_ric, _ric("31010418991231123")) == "ric_birth_date"


@pytest.mark.parametrize("raw", ["11010519491231002", "11010519491231002X1", "110105491231002", ""])
def test_ric_wrong_length(raw: str) -> None:
    assert _error_code(clean_ric, raw) == "ric_length"


def test_ric_fifteen_digit_message_mentions_old_numbers() -> None:
    assert _error(clean_ric, "110105491231002").messages == ["请填写18位身份证号码，15位旧号码已停止使用。"]


@pytest.mark.parametrize(
    "raw",
    [
        "1101051949123100XX",
        "11010519491231A02X",
        "11010519491231002Y",
        "110105-19491231002",
    ],
)
def test_ric_illegal_characters(raw: str) -> None:
    assert _error_code(clean_ric, raw) == "ric_chars"


@pytest.mark.parametrize("body", ["01010519491231002", "91010519491231002"])
def test_ric_bad_province_digit(body: str) -> None:
    assert _error_code(clean_ric, _ric(body)) == "ric_region"


@pytest.mark.parametrize("raw", ["110105194912310021", "360426199101010072", "310115198501011230"])
def test_ric_wrong_check_digit(raw: str) -> None:
    error = _error(clean_ric, raw)
    assert error.code == "ric_check"
    assert error.messages == ["身份证号码校验位不正确，请核对。"]


def test_ric_birth_date_and_gender() -> None:
    assert ric_birth_date(GB_EXAMPLE_RIC) == datetime.date(1949, 12, 31)
    assert ric_gender(GB_EXAMPLE_RIC) == "女"  # sequence 002 is even
    assert ric_gender("360426199101010071") == "男"  # sequence 007 is odd
    assert ric_birth_date("11010519491231002x") == datetime.date(1949, 12, 31)


def test_ric_helpers_reject_invalid_numbers() -> None:
    assert _error_code(ric_gender, "110105194912310021") == "ric_check"


# ---------------------------------------------------------------------------
# 专利申请号
# ---------------------------------------------------------------------------

# Hand-computed check characters (weights 2,3,4,5,6,7,8,9,2,3,4,5, mod 11):
#   200410018477: 2*2+0*3+0*4+4*5+1*6+0*7+0*8+1*9+8*2+4*3+7*4+7*5
#               = 4+0+0+20+6+0+0+9+16+12+28+35 = 130; 130 % 11 = 9 -> ".9"
#   200410018475: ... +7*4+5*5 = 120; 120 % 11 = 10 -> ".X"
#   98123456 (pre-2003): 18+24+4+10+18+28+40+54 = 196; 196 % 11 = 9 -> ".9"
REAL_PATENT = "200410018477.9"


def test_patent_check_hand_computed_examples() -> None:
    assert calc_patent_check_digit("200410018477") == "9"
    assert calc_patent_check_digit("200410018475") == "X"
    assert calc_patent_check_digit("98123456") == "9"


@pytest.mark.parametrize(
    "body",
    [
        "202310123456",
        "201320123456",
        "201930123456",
        "200380012345",
        "85100001",
        "03100001",
    ],
)
def test_patent_check_matches_hand_listed_weights(body: str) -> None:
    assert calc_patent_check_digit(body) == _patent_check(body)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (REAL_PATENT, REAL_PATENT),
        ("ZL200410018477.9", REAL_PATENT),
        ("ZL 200410018477.9", REAL_PATENT),
        ("zl200410018477.9", REAL_PATENT),
        ("CN200410018477.9", REAL_PATENT),
        ("2004100184779", REAL_PATENT),  # dot omitted
        ("ＺＬ２００４１００１８４７７．９", REAL_PATENT),  # full-width
        ("ZL 2004 1 0018477.9", REAL_PATENT),
        ("200410018475.x", "200410018475.X"),
        ("200410018475X", "200410018475.X"),
        ("98123456.9", "98123456.9"),  # pre-2003 format
        ("ZL98123456.9", "98123456.9"),
        ("981234569", "98123456.9"),
        (_patent("202310123456"), "202310123456.6"),
    ],
)
def test_patent_number_valid_is_normalised(raw: str, expected: str) -> None:
    assert clean_patent_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ZL",
        "2004100184",
        "20041001847.9",
        "200410018477.99",
        "ABC10018477.9",
        "US200410018477.9",
    ],
)
def test_patent_number_bad_format(raw: str) -> None:
    assert _error_code(clean_patent_number, raw) == "patent_format"


@pytest.mark.parametrize(
    "body",
    [
        "200210012345",  # 12-digit numbers only exist from 2003
        f"{datetime.date.today().year + 1}10012345",  # next year
        "84100001",  # 1984: before the Patent Law took effect
        "04100001",  # 8-digit numbers ended in 2003
    ],
)
def test_patent_number_bad_year(body: str) -> None:
    assert _error_code(clean_patent_number, _patent(body)) == "patent_year"


@pytest.mark.parametrize("body", ["200450018477", "200400018477", "200470018477", "98423456"])
def test_patent_number_bad_type_digit(body: str) -> None:
    assert _error_code(clean_patent_number, _patent(body)) == "patent_type"


@pytest.mark.parametrize("raw", ["200410018477.8", "ZL200410018477.X", "98123456.0"])
def test_patent_number_bad_check(raw: str) -> None:
    error = _error(clean_patent_number, raw)
    assert error.code == "patent_check"
    assert error.messages == ["专利申请号校验位不正确，请核对。"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("200410018477", "发明"),
        ("201320123456", "实用新型"),
        ("201930123456", "外观设计"),
        ("200380012345", "发明"),  # PCT invention
        ("200390012345", "实用新型"),  # PCT utility model
        ("98123456", "发明"),
        ("99212345", "实用新型"),
    ],
)
def test_patent_type_by_type_digit(body: str, expected: str) -> None:
    assert patent_type(_patent(body)) == expected


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "86-13800138000",
        "0086 13800138000",
        "(+86)13800138000",
        "１３８００１３８０００",
    ],
)
def test_mobile_valid_is_normalised(raw: str) -> None:
    assert clean_mobile(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12800138000",
        "1380013800",
        "138001380001",
        "+85213800138000",
        "1380013800a",
        "021-23170417",
    ],
)
def test_mobile_invalid(raw: str) -> None:
    assert _error_code(clean_mobile, raw) == "mobile_invalid"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("021-23170417", "021-23170417"),
        ("23170417", "23170417"),
        ("(021)23110888", "021-23110888"),
        ("（０２１）２３１１０８８８", "021-23110888"),
        ("021 2311 0888-123", "021-23110888-123"),
        ("02123170417", "021-23170417"),
        ("021-2317-0417", "021-23170417"),
        ("021-23110888转123", "021-23110888-123"),
        ("021-23110888 ext. 8", "021-23110888-8"),
        ("+86 21 2317 0417", "021-23170417"),
        ("010-62751234", "010-62751234"),
        ("0571-8888666", "0571-8888666"),
        ("0571 88886666", "0571-88886666"),
    ],
)
def test_fixed_phone_valid_is_normalised(raw: str, expected: str) -> None:
    assert clean_fixed_phone(raw) == expected
    assert clean_fixed_phone(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "13800138000",  # mobile
        "021-12345678",  # local numbers never start with 1
        "021-03170417",  # ... nor with 0
        "021-231704",  # too short
        "021-231704171",  # too long
        "02-23170417",
        "021-23170417转",
        "021-23170417-12转3",  # two extensions
        "电话021-23170417",
    ],
)
def test_fixed_phone_invalid(raw: str) -> None:
    assert _error_code(clean_fixed_phone, raw) == "fixed_phone_invalid"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138 0013 8000", "13800138000"),
        ("(021)23110888", "021-23110888"),
        ("23170417", "23170417"),
    ],
)
def test_phone_accepts_mobile_or_fixed(raw: str, expected: str) -> None:
    assert clean_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "123", "12800138000", "021-1234"])
def test_phone_invalid(raw: str) -> None:
    error = _error(clean_phone, raw)
    assert error.code == "phone_invalid"
    assert error.messages == ["请输入有效的手机号码或固定电话号码。"]


# ---------------------------------------------------------------------------
# 邮政编码
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("200080", "200080"),
        (" 200080 ", "200080"),
        ("２０００８０", "200080"),
        ("100871", "100871"),
    ],
)
def test_postcode_valid_is_normalised(raw: str, expected: str) -> None:
    assert clean_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "20008", "2000800", "20008a", "200-080", "٢٠٠٠٨٠"])
def test_postcode_invalid(raw: str) -> None:
    assert _error_code(clean_postcode, raw) == "postcode_invalid"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("200080", True),
        ("201203", True),
        ("２０２１５０", True),
        ("100871", False),
        ("215000", False),
    ],
)
def test_postcode_is_shanghai_by_prefix(raw: str, expected: bool) -> None:
    assert postcode_is_shanghai(raw) is expected


# ---------------------------------------------------------------------------
# 电子邮箱
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("user@example.com", "user@example.com"),
        ("  User.Name@Example.COM ", "User.Name@example.com"),
        ("user＠example.com", "user@example.com"),  # full-width @
        ("user@例子.中国", "user@例子.中国"),  # IDN domain
    ],
)
def test_email_valid_is_normalised(raw: str, expected: str) -> None:
    assert clean_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "user", "user@", "@example.com", "user@@example.com", "user name@example.com"],
)
def test_email_invalid(raw: str) -> None:
    error = _error(clean_email, raw)
    assert error.code == "email_invalid"
    assert error.messages == ["请输入有效的电子邮箱地址。"]


# ---------------------------------------------------------------------------
# Django field validators
# ---------------------------------------------------------------------------

_VALIDATOR_CASES = [
    (validate_uscc, PUDONG_USCC, "91310115MA1K3YJ12H", "uscc_check"),
    (validate_ric, GB_EXAMPLE_RIC, "110105194912310021", "ric_check"),
    (validate_patent_number, REAL_PATENT, "200410018477.8", "patent_check"),
    (validate_mobile, "13800138000", "12800138000", "mobile_invalid"),
    (validate_fixed_phone, "021-23170417", "021-1234", "fixed_phone_invalid"),
    (validate_phone, "021-23170417", "021-1234", "phone_invalid"),
    (validate_postcode, "200080", "20008", "postcode_invalid"),
    (validate_email, "user@example.com", "user@", "email_invalid"),
]


@pytest.mark.parametrize(("validator", "good", "bad", "code"), _VALIDATOR_CASES)
def test_validator_callables_return_none_or_raise(
    validator: Callable[[str], None], good: str, bad: str, code: str
) -> None:
    assert validator(good) is None
    assert _error_code(validator, bad) == code


@pytest.mark.parametrize(("validator", "good", "bad", "code"), _VALIDATOR_CASES)
def test_validator_callables_work_on_form_fields(
    validator: Callable[[str], None], good: str, bad: str, code: str
) -> None:
    field = forms.CharField(validators=[validator])
    assert field.clean(good) == good
    with pytest.raises(ValidationError) as excinfo:
        field.clean(bad)
    assert [error.code for error in excinfo.value.error_list] == [code]
