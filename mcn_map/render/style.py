"""The map's visual language in one place: tier colours, sector families (colour and shape), link styles, rings.

Every colour here meets WCAG AA for the text drawn on it, and no meaning is carried by colour alone: tiers also read
by position and lightness, sector families by shape, link types by dash pattern, findings by ring width and a badge.
"""

from __future__ import annotations

from ..loading.schema import SECTOR_LABELS

__all__ = [
    "LEVEL_STYLE", "FADED", "SECTOR_FAMILIES", "SECTOR_FAMILY", "SECTOR_COLOURS", "SECTOR_SHAPES", "LINK_STYLE",
    "OVERLAP_COLOUR", "SEAT_COLOUR", "SEAT_HIGHLIGHT", "MISSING_COLOUR", "SEVERITY_COLOURS", "SEVERITY_WIDTH",
    "FORUM_FONT", "AGENCY_FONT", "FONT_FACE", "family_of",
]

FONT_FACE = "Segoe UI, Arial, sans-serif"
# Forum labels in canvas pixels; the page opens at a zoom that keeps the smallest of them at 12 CSS px or more.
FORUM_FONT = {"strategic": 28, "tactical": 26, "operational": 26}
AGENCY_FONT = 15  # drawn only when zoomed in far enough to read (semantic zoom in map.js)

# Tiers in one hue from dark to light: order reads as hierarchy in greyscale and to colour-blind eyes.
LEVEL_STYLE = {
    "strategic": {"background": "#08306b", "border": "#041c40", "font": "#ffffff", "label": "Strategic"},
    "tactical": {"background": "#2b6cb0", "border": "#1d4f85", "font": "#ffffff", "label": "Tactical"},
    "operational": {"background": "#dbe8f6", "border": "#5b84b1", "font": "#0b1f33", "label": "Operational"},
}
FADED = {"background": "#eeeeee", "border": "#767676", "font": "#4a4a4a"}

# Seven families, not 21 sectors: Okabe-Ito colours (robust to colour-blindness), each with its own shape, so the
# family reads in greyscale too. Mental health and drug and alcohol services, the partners most often missing, get
# the strongest colour.
SECTOR_FAMILIES = {
    "health": {"label": "Health", "colour": "#0072B2", "shape": "dot",
               "sectors": ("primary_care", "acute_health", "ambulance", "public_health", "commissioning")},
    "mental_health": {"label": "Mental health, drugs, alcohol", "colour": "#E69F00", "shape": "diamond",
                      "sectors": ("mental_health", "drug_alcohol")},
    "justice": {"label": "Police, justice and fire", "colour": "#CC79A7", "shape": "square",
                "sectors": ("police", "probation", "criminal_justice", "fire")},
    "council": {"label": "Council and social care", "colour": "#009E73", "shape": "triangle",
                "sectors": ("adult_social_care", "childrens_services", "local_authority", "education")},
    "housing": {"label": "Housing and welfare", "colour": "#56B4E9", "shape": "triangleDown",
                "sectors": ("housing", "welfare")},
    "community": {"label": "Community and lived experience", "colour": "#F0E442", "shape": "star",
                  "sectors": ("vcs", "lived_experience", "domestic_abuse")},
    "other": {"label": "Other", "colour": "#999999", "shape": "hexagon", "sectors": ("other",)},
}
SECTOR_FAMILY = {sector: key for key, family in SECTOR_FAMILIES.items() for sector in family["sectors"]}
assert set(SECTOR_FAMILY) == set(SECTOR_LABELS), "every sector belongs to exactly one family"
SECTOR_COLOURS = {s: SECTOR_FAMILIES[SECTOR_FAMILY[s]]["colour"] for s in SECTOR_LABELS}
SECTOR_SHAPES = {s: SECTOR_FAMILIES[SECTOR_FAMILY[s]]["shape"] for s in SECTOR_LABELS}


def family_of(sector: str) -> str:
    return SECTOR_FAMILY.get(sector, "other")


LINK_STYLE = {
    "escalates_to": {"colour": "#D55E00", "dashes": False, "label": "Escalates to"},
    "reports_to": {"colour": "#0072B2", "dashes": False, "label": "Reports to"},
    "feeds_back_to": {"colour": "#007A5A", "dashes": [8, 5], "label": "Feeds back to"},
    "refers_to": {"colour": "#A3548A", "dashes": [2, 5], "label": "Refers to"},
    "shares_case_list": {"colour": "#B07800", "dashes": [12, 4, 2, 4], "label": "Shares case list"},
}
OVERLAP_COLOUR = "#882255"
FLOW_COLOUR = "#332288"  # people moving on from one forum to another (indigo: apart from the link colours)
SEAT_COLOUR = "rgba(110,110,110,0.16)"  # seats are context: light until a forum or agency is hovered or selected
SEAT_HIGHLIGHT = "#3a3a3a"
MISSING_COLOUR = "#B2182B"
SEVERITY_COLOURS = {"high": "#B2182B", "medium": "#B35C00", "low": "#5F5F5F"}
SEVERITY_WIDTH = {"high": 7, "medium": 5, "low": 4}
