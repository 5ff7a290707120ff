"""Growth rates, as the notices' 年均增幅 is read everywhere in the portal.

**interpretation**: "年均增幅不少于30%" (seed 001 工作目标, seed 004 三（二）) is the compound
(geometric) yearly rate: the rate r with base × (1 + r)^years = value, i.e.
(value ÷ base)^(1/years) − 1. The consortium's target rule (CO-7) and the yearly reports'
growth table both use this one function. A base of 0 (or nothing) has no growth rate:
None, never a division by zero.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext


def yearly_growth(base, value, years: int = 2) -> Decimal | None:
    """The compound yearly growth from `base` to `value` over `years` years; None when base is 0."""
    if base is None or value is None or years < 1 or Decimal(base) <= 0:
        return None
    ratio = Decimal(value) / Decimal(base)
    if years == 1:
        return ratio - 1
    if years == 2:
        # Exact where the root is exact (100 → 169 is 30.0%), as CO-7 has always computed it.
        return ratio.sqrt() - 1
    if ratio == 0:
        return Decimal(-1)
    with localcontext() as context:
        context.prec = 28
        return ratio ** (Decimal(1) / Decimal(years)) - 1


def percent(value: Decimal) -> str:
    """A growth rate as people read it: 0.3 → "30.0%"."""
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
