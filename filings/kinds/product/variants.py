"""What makes two models one product (seed 003 附件 一.3（1）).

The notice: 同一型号或品种的产品应作为一件产品进行备案……不同颜色、大小、配置等应归类为同一备案产品.
Our reading (an interpretation, kept in settings so the bureau can change it):

- A model is a model code (the first run of Latin letters and digits, with hyphens or
  underscores inside it) and what follows it. In what follows, colour words (a colour
  character, up to two characters of a colour name before it, an optional 色: 黑色, 曜石黑,
  冰川蓝; or a colour in English), size and configuration words (大号, 标准版, 高配版…),
  storage (8GB+256GB, 512G) and sizes with a unit (55英寸, 1.5升) name a variant and are
  dropped. A model without a Latin code (a 品种 such as 红富士) is compared whole.
- Then width, case and separators are folded: NFKC, case-folded, and white space, hyphens,
  underscores, middle dots, brackets and commas removed. "X-30", "x30" and "Ｘ３０" are one model.
- What is left is compared. "X30 Pro" keeps "pro" and stays another model.

Settings: PRODUCT_VARIANT_COLOURS, PRODUCT_VARIANT_WORDS, PRODUCT_MODEL_SEPARATORS.
"""

import re
import unicodedata
from functools import cache

from django.conf import settings

STORAGE = r"\d+(?:\.\d+)?\s*(?:gb|g|tb|t)(?:\s*\+\s*\d+(?:\.\d+)?\s*(?:gb|g|tb|t))?"
SIZE = r"\d+(?:\.\d+)?\s*(?:英寸|寸|inch|cm|mm|厘米|毫米|毫升|ml|升|l)"
CODE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@cache
def _variant_pattern(colours: tuple[str, ...], words: tuple[str, ...]) -> re.Pattern:
    cjk_colours = [c for c in colours if not c.isascii()]
    latin_colours = [c for c in colours if c.isascii()]
    parts = []
    if words:
        parts.append("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    if cjk_colours:
        parts.append(r"[\u4e00-\u9fff]{0,2}(?:" + "|".join(map(re.escape, cjk_colours)) + ")色?")
    if latin_colours:
        parts.append(r"(?<![a-z])(?:" + "|".join(map(re.escape, latin_colours)) + r")(?![a-z])")
    parts.append(r"(?<![a-z0-9.])(?:" + STORAGE + "|" + SIZE + r")(?![a-z])")
    return re.compile("|".join(f"(?:{p})" for p in parts))


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").casefold()


def _settings() -> tuple[tuple[str, ...], tuple[str, ...], str]:
    colours = tuple(_fold(c) for c in settings.PRODUCT_VARIANT_COLOURS)
    words = tuple(_fold(w) for w in settings.PRODUCT_VARIANT_WORDS)
    return colours, words, settings.PRODUCT_MODEL_SEPARATORS


def model_key(model: str) -> str:
    """The model as compared for duplicates: variant words dropped, width, case and separators folded."""
    colours, words, separators = _settings()
    text = _fold(model)
    code = CODE.search(text)
    if code is not None:
        rest = _variant_pattern(colours, words).sub("", text[code.end() :])
        text = text[: code.end()] + rest
    return re.sub(r"\s+", "", text.translate({ord(c): None for c in _fold(separators)}))


def variant_words(model: str) -> list[str]:
    """The variant words found after the model code, as typed (folded), for messages."""
    colours, words, _separators = _settings()
    text = _fold(model)
    code = CODE.search(text)
    if code is None:
        return []
    return [m.group(0).strip() for m in _variant_pattern(colours, words).finditer(text[code.end() :])]
