"""What an area covers: the one definition every district bureau read goes through."""

from django.db.models import Q

from accounts.models import Area


def in_area(area: str | None, organisation: str = "organisation__") -> Q:
    """Rows of organisations in `area` (None: every area, for the city bureau).

    A district is the organisation's 所在区; 临港新片区 is the organisation's own flag,
    because the 统一社会信用代码 does not tell it apart from 浦东, 奉贤 or 闵行.
    """
    if area is None:
        return Q()
    if area == Area.LINGANG:
        return Q(**{f"{organisation}in_lingang": True})
    return Q(**{f"{organisation}district": area})
