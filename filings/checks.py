"""System checks for the A4 申请书 PDF (SPEC §5): what WeasyPrint needs from the machine."""

import logging
import subprocess

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

log = logging.getLogger(__name__)

SUBSETTER_PACKAGE = "libharfbuzz-subset0"
FONT_PACKAGE = "fonts-noto-cjk"


def harfbuzz_subset_usable() -> bool:
    """Asks WeasyPrint's own lookup, so the answer is the one its renders will get.

    WeasyPrint 70 opens libharfbuzz-subset when it is imported
    (weasyprint.text.ffi.harfbuzz_subset, None when missing) and subsets with it
    only if HarfBuzz is at least 4.1.0 (weasyprint.pdf.fonts.Font.subset);
    otherwise it falls back to fontTools, which is about 30 times slower on a
    65,000-glyph CJK font.
    """
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


def cjk_serif_families() -> list[str] | None:
    """Chinese-capable serif families fontconfig knows, or None if fc-list cannot be run."""
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.debug("fc-list not available: %s", error)
        return None
    if result.returncode != 0:
        return None
    families = {name.strip() for line in result.stdout.splitlines() for name in line.split(",")}
    return sorted(name for name in families if "Serif" in name or "Song" in name or "宋" in name)


@register(Tags.compatibility, "pdf")
def pdf_rendering_check(app_configs, **kwargs):
    messages = []
    try:
        usable = harfbuzz_subset_usable()
    except OSError as error:  # WeasyPrint's other libraries (Pango, …) are missing altogether
        return [
            Error(
                f"WeasyPrint cannot load its libraries: {error}",
                hint="Install WeasyPrint's system libraries (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
                f"libharfbuzz0b {SUBSETTER_PACKAGE}).",
                id="filings.E002",
            )
        ]
    if not usable:
        # Slow PDFs are a production fault; a development start only needs to know.
        production = getattr(settings, "PRODUCTION", False)
        messages.append(
            (Error if production else Warning)(
                "HarfBuzz's font subsetter (libharfbuzz-subset, HarfBuzz >= 4.1.0) is not available to WeasyPrint: "
                "the 申请书 PDF would subset its CJK font with fontTools, about 30 times slower.",
                hint=f"Install the Debian package {SUBSETTER_PACKAGE} (apt-get install {SUBSETTER_PACKAGE}) "
                "and restart the web and worker processes.",
                id="filings.E001" if production else "filings.W002",
            )
        )
    families = cjk_serif_families()
    if families is not None and not families:
        messages.append(
            Warning(
                "fontconfig finds no Chinese serif font: the 申请书 PDF will be printed in whatever "
                "font covers Chinese, or show empty boxes.",
                hint=f"Install the Debian package {FONT_PACKAGE} (Noto Serif CJK SC).",
                id="filings.W001",
            )
        )
    return messages
