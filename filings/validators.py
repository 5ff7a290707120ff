"""Identity validators shared by forms and eligibility rules.

Every ``clean_*`` function takes the raw user input, returns the normalised
value and raises :class:`django.core.exceptions.ValidationError` (with a
Simplified Chinese message and a stable ``code``) when the value is invalid.
Every ``validate_*`` function is the matching Django field validator: it only
raises and returns ``None``.

The helpers that read information out of a code (``uscc_division``,
``ric_gender``, ``patent_type`` ...) accept raw or already-cleaned values and
clean them first, so they raise the same ``ValidationError`` on bad input.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

__all__ = [
    "SHANGHAI_DISTRICTS",
    "USCC_ORG_CATEGORIES",
    "calc_patent_check_digit",
    "clean_email",
    "clean_fixed_phone",
    "clean_mobile",
    "clean_patent_number",
    "clean_phone",
    "clean_postcode",
    "clean_ric",
    "clean_uscc",
    "normalise_text",
    "patent_type",
    "postcode_is_shanghai",
    "ric_birth_date",
    "ric_gender",
    "uscc_division",
    "uscc_is_shanghai",
    "uscc_org_category",
    "uscc_shanghai_district",
    "validate_email",
    "validate_fixed_phone",
    "validate_mobile",
    "validate_patent_number",
    "validate_phone",
    "validate_postcode",
    "validate_ric",
    "validate_uscc",
]

# Hyphen-like characters users paste from Word/WeChat; NFKC does not fold
# these into ASCII "-", so they are unified explicitly.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))


# ---------------------------------------------------------------------------
# Shared text helpers
# ---------------------------------------------------------------------------


def _as_text(value: object) -> str:
    # Django may hand us None for empty optional fields; treat it as "".
    return "" if value is None else str(value)


def _nfkc(value: object) -> str:
    # NFKC folds full-width digits/letters/punctuation (e.g. "９１", "（", "＠",
    # U+3000 ideographic space) into their ASCII counterparts.
    return unicodedata.normalize("NFKC", _as_text(value)).translate(_DASH_TABLE)


def normalise_text(value: object) -> str:
    """NFKC-normalise, strip and collapse internal whitespace to one space."""
    return re.sub(r"\s+", " ", _nfkc(value)).strip()


def _today() -> datetime.date:
    # Indirection so tests can pin "today" with monkeypatch.
    return datetime.date.today()


# ---------------------------------------------------------------------------
# 统一社会信用代码 (USCC), GB 32100-2015
# ---------------------------------------------------------------------------

# GB 32100-2015 §4: the code alphabet is 0-9 plus upper-case letters except
# I, O, Z, S, V (too easily confused with 1, 0, 2, 5, U).
_DIGITS = frozenset("0123456789")
_USCC_ALPHABET = _DIGITS | frozenset("ABCDEFGHJKLMNPQRTUWXY")
_USCC_LENGTH = 18

# GB 32100-2015 表1 and the later assignments of registration-authority codes
# (第1位 登记管理部门, 第2位 机构类别). Y1 is "其他" without sub-categories;
# trade unions are 8x (81 基层工会).
USCC_ORG_CATEGORIES: dict[str, str] = {
    # 1 机构编制
    "11": "机关",
    "12": "事业单位",
    "13": "中央编办直接管理机构编制的群众团体",
    "19": "其他机构编制登记单位",
    # 2 外交
    "21": "外国常驻新闻机构",
    "29": "其他外交登记单位",
    # 3 司法行政
    "31": "律师执业机构",
    "32": "公证处",
    "33": "基层法律服务所",
    "34": "司法鉴定机构",
    "35": "仲裁委员会",
    "39": "其他司法行政登记单位",
    # 4 文化
    "41": "外国在华文化中心",
    "49": "其他文化登记单位",
    # 5 民政
    "51": "社会团体",
    "52": "民办非企业单位（社会服务机构）",
    "53": "基金会",
    "59": "其他社会组织",
    # 6 旅游
    "61": "外国旅游部门常驻代表机构",
    "62": "港澳台地区旅游部门常驻内地（大陆）代表机构",
    "69": "其他旅游登记单位",
    # 7 宗教
    "71": "宗教活动场所",
    "72": "宗教院校",
    "79": "其他宗教登记单位",
    # 8 工会
    "81": "基层工会",
    "89": "其他工会登记单位",
    # 9 工商 (now 市场监管)
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
    # A 中央军委改革和编制办公室
    "A1": "军队事业单位",
    "A9": "其他军队登记单位",
    # N 农业
    "N1": "组级集体经济组织",
    "N2": "村级集体经济组织",
    "N3": "乡镇级集体经济组织",
    "N9": "其他农村集体经济组织",
    # Y 其他
    "Y1": "其他",
}

# GB/T 2260 division codes used in Shanghai USCCs, mapped to the district
# that covers the area today. Historic codes stay valid inside USCCs issued
# before a merger, so they must still resolve. Municipal-level codes map to
# None (registered by a city-level authority, no district).
SHANGHAI_DISTRICTS: dict[str, str | None] = {
    "310000": None,  # 上海市 (市级登记机关)
    "310100": None,  # 市辖区
    "310200": None,  # 县 (abolished 2016)
    # Current districts.
    "310101": "黄浦区",
    "310104": "徐汇区",
    "310105": "长宁区",
    "310106": "静安区",
    "310107": "普陀区",
    "310109": "虹口区",
    "310110": "杨浦区",
    "310112": "闵行区",
    "310113": "宝山区",
    "310114": "嘉定区",
    "310115": "浦东新区",
    "310116": "金山区",
    "310117": "松江区",
    "310118": "青浦区",
    "310120": "奉贤区",
    "310151": "崇明区",
    # Abolished districts.
    "310102": "黄浦区",  # 南市区, merged into 黄浦区 2000
    "310103": "黄浦区",  # 卢湾区, merged into 黄浦区 2011
    "310108": "静安区",  # 闸北区, merged into 静安区 2015
    "310111": "宝山区",  # 吴淞区, merged into 宝山区 1988
    "310119": "浦东新区",  # 南汇区, merged into 浦东新区 2009
    # Former counties (1982-2016 codes).
    "310221": "闵行区",  # 上海县 → 闵行区 1992
    "310222": "嘉定区",  # 嘉定县 → 1992
    "310223": "宝山区",  # 宝山县 → 1988
    "310224": "浦东新区",  # 川沙县 → 1993
    "310225": "浦东新区",  # 南汇县 → 南汇区 2001 → 浦东新区 2009
    "310226": "奉贤区",  # 奉贤县 → 2001
    "310227": "松江区",  # 松江县 → 1998
    "310228": "金山区",  # 金山县 → 1997
    "310229": "青浦区",  # 青浦县 → 1999
    "310230": "崇明区",  # 崇明县 → 崇明区 2016
}


def _compact_code(value: object) -> str:
    # Codes carry no separators: drop every space and hyphen, upper-case.
    return re.sub(r"[\s\-]", "", _nfkc(value)).upper()


def _uscc_illegal_chars(code: str) -> list[str]:
    bad: list[str] = []
    for index, char in enumerate(code):
        # GB 32100-2015: positions 3-8 are the GB/T 2260 division code (digits).
        allowed = char in _DIGITS if 2 <= index < 8 else char in _USCC_ALPHABET
        if not allowed and char not in bad:
            bad.append(char)
    return bad


def clean_uscc(value: object) -> str:
    """Return the normalised 18-character USCC or raise ``ValidationError``."""
    code = _compact_code(value)
    if len(code) != _USCC_LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。"),
            code="uscc_length",
            params={"length": len(code)},
        )
    bad = _uscc_illegal_chars(code)
    if bad:
        raise ValidationError(
            _(
                "统一社会信用代码含有非法字符：%(chars)s。第3至8位应为数字，"
                "其余各位只能是数字或除 I、O、Z、S、V 以外的大写字母。"
            ),
            code="uscc_chars",
            params={"chars": "、".join(bad)},
        )
    # Check character per GB 32100-2015 §5 (mod 31), computed by stdnum.
    if stdnum_uscc.calc_check_digit(code[:-1]) != code[-1]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="uscc_check")
    return code


def validate_uscc(value: object) -> None:
    """Django field validator for 统一社会信用代码."""
    clean_uscc(value)


def uscc_division(uscc: str) -> str:
    """Return the 6-digit administrative division code (characters 3-8)."""
    return clean_uscc(uscc)[2:8]


def uscc_is_shanghai(uscc: str) -> bool:
    """True if the registering authority sits in Shanghai (GB/T 2260 "31")."""
    return uscc_division(uscc).startswith("31")


def uscc_shanghai_district(uscc: str) -> str | None:
    """Current Shanghai district name for the USCC, or None.

    None means: not a Shanghai code, a municipal-level registration
    (310000/310100), or a Shanghai division code we do not know.
    """
    return SHANGHAI_DISTRICTS.get(uscc_division(uscc))


def uscc_org_category(uscc: str) -> str | None:
    """Meaning of the first two characters (registration authority + category)."""
    return USCC_ORG_CATEGORIES.get(clean_uscc(uscc)[:2])


# ---------------------------------------------------------------------------
# 公民身份号码 (resident ID), GB 11643-1999
# ---------------------------------------------------------------------------

_RIC_RE = re.compile(r"\d{17}[\dX]", re.ASCII)
_RIC_MIN_BIRTH = datetime.date(1900, 1, 1)


def _compact_ric(value: object) -> str:
    # NFKC turns U+3000 into a normal space, then every whitespace goes.
    # stdnum's compact() keeps internal spaces, hence our own version.
    return re.sub(r"\s", "", _nfkc(value)).upper()


def _ric_birth_date_or_error(number: str) -> datetime.date:
    # GB 11643-1999 §5.2: characters 7-14 are the birth date YYYYMMDD.
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期（%(date)s）不是有效日期。"),
            code="ric_birth_date",
            params={"date": number[6:14]},
        ) from None
    if born < _RIC_MIN_BIRTH:
        raise ValidationError(_("身份证号码中的出生日期不能早于1900年。"), code="ric_birth_date")
    if born > _today():
        raise ValidationError(_("身份证号码中的出生日期不能晚于今天。"), code="ric_birth_date")
    return born


def clean_ric(value: object) -> str:
    """Return the normalised 18-character ID number or raise ``ValidationError``.

    Deliberately more lenient than ``stdnum.cn.ric.validate``: that function
    rejects genuine numbers whose area code did not exist in the birth year
    (e.g. 310115 浦东新区, created 1992, for someone born 1985 who was
    registered there later). Only the province digit is checked.
    """
    number = _compact_ric(value)
    if len(number) != 18:
        message = (
            _("请填写18位身份证号码，15位旧号码已停止使用。")
            if len(number) == 15
            else _("身份证号码应为18位，当前为%(length)d位。")
        )
        raise ValidationError(message, code="ric_length", params={"length": len(number)})
    if not _RIC_RE.fullmatch(number):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位应为数字或字母X。"), code="ric_chars")
    # GB/T 2260: the first digit is the region (1 华北 … 8 港澳台); 0 and 9
    # are never assigned.
    if number[0] in "09":
        raise ValidationError(_("身份证号码前6位地址码不正确。"), code="ric_region")
    _ric_birth_date_or_error(number)
    # GB 11643-1999 §5.4: ISO 7064 MOD 11-2; stdnum expects the full number.
    if stdnum_ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="ric_check")
    return number


def validate_ric(value: object) -> None:
    """Django field validator for 身份证号码."""
    clean_ric(value)


def ric_birth_date(value: str) -> datetime.date:
    """Birth date encoded in an ID number."""
    number = clean_ric(value)
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def ric_gender(value: str) -> str:
    """'男' or '女': GB 11643-1999 §5.3, the sequence code is odd for men."""
    return "男" if int(clean_ric(value)[16]) % 2 else "女"


# ---------------------------------------------------------------------------
# 专利申请号 (Chinese patent application numbers)
# ---------------------------------------------------------------------------

# Type digit (申请种类): 8/9 are PCT applications entering the national phase.
_PATENT_TYPES: dict[str, str] = {
    "1": "发明",
    "2": "实用新型",
    "3": "外观设计",
    "8": "发明",
    "9": "实用新型",
}
# CNIPA switched from 8-digit (YY) to 12-digit (YYYY) numbers on 2003-10-01;
# 8-digit numbers were issued from 1985 until then.
_PATENT_FIRST_YEAR = 1985
_PATENT_NEW_FORMAT_YEAR = 2003
_PATENT_RE = re.compile(r"(?P<body>\d{8}|\d{12})\.?(?P<check>[\dX])", re.ASCII)
_PATENT_PREFIX_RE = re.compile(r"^(?:ZL|CN)")


def calc_patent_check_digit(digits: str) -> str:
    """Check character for the 8 or 12 body digits of an application number.

    Weights 2..9 repeat from the left; sum mod 11; 10 is written "X".
    """
    total = sum(int(digit) * (2 + index % 8) for index, digit in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _compact_patent(value: object) -> str:
    text = re.sub(r"\s", "", _nfkc(value)).upper()
    # Users type the Chinese full stop or a middle dot before the check char.
    text = text.replace("。", ".").replace("·", ".")
    return _PATENT_PREFIX_RE.sub("", text, count=1)


def _patent_year(body: str) -> int:
    if len(body) == 12:
        return int(body[:4])
    yy = int(body[:2])
    return 1900 + yy if yy >= 85 else 2000 + yy


def _patent_year_is_valid(body: str, year: int) -> bool:
    if len(body) == 12:
        return _PATENT_NEW_FORMAT_YEAR <= year <= _today().year
    return _PATENT_FIRST_YEAR <= year <= _PATENT_NEW_FORMAT_YEAR


def clean_patent_number(value: object) -> str:
    """Return e.g. ``"200410018477.9"`` (no ZL/CN prefix) or raise."""
    match = _PATENT_RE.fullmatch(_compact_patent(value))
    if match is None:
        raise ValidationError(
            _("专利申请号格式不正确，应为12位数字（2003年前为8位）加校验位，例如 200410018477.9。"),
            code="patent_format",
        )
    body, check = match.group("body"), match.group("check")
    if not _patent_year_is_valid(body, _patent_year(body)):
        raise ValidationError(_("专利申请号中的申请年份不正确。"), code="patent_year")
    type_digit = body[4] if len(body) == 12 else body[2]
    if type_digit not in _PATENT_TYPES:
        raise ValidationError(
            _("专利申请号中的专利类型位不正确（应为1、2、3、8或9）。"),
            code="patent_type",
        )
    if calc_patent_check_digit(body) != check:
        raise ValidationError(_("专利申请号校验位不正确，请核对。"), code="patent_check")
    return f"{body}.{check}"


def validate_patent_number(value: object) -> None:
    """Django field validator for 专利申请号."""
    clean_patent_number(value)


def patent_type(number: str) -> str:
    """'发明', '实用新型' or '外观设计' (PCT entries map to their base type)."""
    body = clean_patent_number(number).split(".")[0]
    return _PATENT_TYPES[body[4] if len(body) == 12 else body[2]]


# ---------------------------------------------------------------------------
# Telephone numbers
# ---------------------------------------------------------------------------

# MIIT numbering plan: mobile numbers are 11 digits, 13x-19x.
_MOBILE_RE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})", re.ASCII)
# Area code: 0 + 2 digits for 010 and 02x, 0 + 3 digits elsewhere. Local
# numbers are 7-8 digits and never start with 0 or 1.
_FIXED_RE = re.compile(
    r"(?:(?P<area>0(?:[12]\d|[3-9]\d{2}))-?)?"
    r"(?P<head>[2-9]\d{2,3})-?(?P<tail>\d{4})"
    r"(?:-(?P<ext>\d{1,6}))?",
    re.ASCII,
)
_EXTENSION_RE = re.compile(r"(?:转|分机|EXT\.?|X|#)\s*(?P<ext>\d{1,6})\s*$", re.IGNORECASE | re.ASCII)
_INTERNATIONAL_PREFIX_RE = re.compile(r"^\(?(?:\+|00)86\)?[\s\-]*")


def clean_mobile(value: object) -> str:
    """Return the bare 11-digit mobile number or raise ``ValidationError``."""
    text = re.sub(r"[\s\-()]", "", _nfkc(value))
    match = _MOBILE_RE.fullmatch(text)
    if match is None:
        raise ValidationError(_("请输入有效的11位手机号码。"), code="mobile_invalid")
    return match.group(1)


def validate_mobile(value: object) -> None:
    """Django field validator for 手机号码."""
    clean_mobile(value)


def clean_fixed_phone(value: object) -> str:
    """Return ``"021-23170417"`` style (``"-123"`` appended for extensions)."""
    text = _nfkc(value).strip()
    extension = None
    ext_match = _EXTENSION_RE.search(text)
    if ext_match is not None:
        extension = ext_match.group("ext")
        text = text[: ext_match.start()]
    # "+86 21 ..." drops the trunk 0 of the area code; put it back.
    text, replaced = _INTERNATIONAL_PREFIX_RE.subn("", text.strip())
    if replaced:
        text = "0" + text
    text = re.sub(r"[\s()]", "", text)
    match = _FIXED_RE.fullmatch(text)
    if match is None or (extension and match.group("ext")):
        raise ValidationError(
            _("请输入有效的固定电话号码，例如 021-23170417。"),
            code="fixed_phone_invalid",
        )
    number = match.group("head") + match.group("tail")
    if match.group("area"):
        number = f"{match.group('area')}-{number}"
    extension = extension or match.group("ext")
    return f"{number}-{extension}" if extension else number


def validate_fixed_phone(value: object) -> None:
    """Django field validator for 固定电话."""
    clean_fixed_phone(value)


def clean_phone(value: object) -> str:
    """Accept a mobile or a fixed-line number; return its normalised form."""
    for cleaner in (clean_mobile, clean_fixed_phone):
        try:
            return cleaner(value)
        except ValidationError:
            continue
    raise ValidationError(_("请输入有效的手机号码或固定电话号码。"), code="phone_invalid")


def validate_phone(value: object) -> None:
    """Django field validator for 联系电话 (mobile or fixed)."""
    clean_phone(value)


# ---------------------------------------------------------------------------
# 邮政编码
# ---------------------------------------------------------------------------

_POSTCODE_RE = re.compile(r"\d{6}", re.ASCII)


def clean_postcode(value: object) -> str:
    """Return the 6-digit postal code or raise ``ValidationError``."""
    code = re.sub(r"\s", "", _nfkc(value))
    if not _POSTCODE_RE.fullmatch(code):
        raise ValidationError(_("邮政编码应为6位数字。"), code="postcode_invalid")
    return code


def validate_postcode(value: object) -> None:
    """Django field validator for 邮政编码."""
    clean_postcode(value)


def postcode_is_shanghai(value: str) -> bool:
    """Shanghai postal codes are 200000-209999 (zone "20")."""
    return clean_postcode(value).startswith("20")


# ---------------------------------------------------------------------------
# 电子邮箱
# ---------------------------------------------------------------------------

_email_validator = EmailValidator(message=_("请输入有效的电子邮箱地址。"), code="email_invalid")


def clean_email(value: object) -> str:
    """Return the address with a lower-cased domain, or raise."""
    email = normalise_text(value)
    local, at, domain = email.rpartition("@")
    if at:
        # Domains are case-insensitive; the local part is left untouched.
        email = f"{local}@{domain.lower()}"
    _email_validator(email)
    return email


def validate_email(value: object) -> None:
    """Django field validator for 电子邮箱."""
    clean_email(value)
