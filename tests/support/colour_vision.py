"""Colour-vision arithmetic for the tests: Machado 2009 CVD simulation, CIELAB, CIEDE2000, WCAG contrast.

Small on purpose (numpy only) so the colour tests need no extra package. The simulation applies
Machado, Oliveira & Fernandes (2009) matrices at severity 1.0 in linear sRGB, as colorspacious
and the authors' own page do; CIEDE2000 follows Sharma, Wu & Dalal (2005), whose test pairs
tests/unit/test_theme.py checks.
"""

from __future__ import annotations

import numpy as np

# Machado et al. 2009, severity 1.0, for linear RGB
# (https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html).
MACHADO: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
VISIONS: tuple[str, ...] = ("normal", *MACHADO)

_SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def hex_to_srgb(colour: str) -> np.ndarray:
    """``#RRGGBB`` → sRGB in 0…1."""
    value = colour.lstrip("#")
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """Gamma-encoded sRGB (0…1) → linear light."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light → gamma-encoded sRGB, clipped to the displayable range."""
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(srgb: np.ndarray, vision: str) -> np.ndarray:
    """How ``srgb`` (shape ``(..., 3)``, 0…1) looks to someone with ``vision`` (``normal`` = unchanged)."""
    if vision == "normal":
        return srgb
    return to_srgb(to_linear(srgb) @ MACHADO[vision].T)


def lab(srgb: np.ndarray) -> np.ndarray:
    """sRGB (0…1) → CIELAB (D65)."""
    xyz = to_linear(srgb) @ _SRGB_TO_XYZ.T / _WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def lightness(colour: str) -> float:
    """CIELAB L* of a colour: what is left of it in grayscale print."""
    return float(lab(hex_to_srgb(colour))[0])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = (float(v) for v in lab1)
    l2, a2, b2 = (float(v) for v in lab2)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dhp / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(hp_bar - 30))
        + 0.24 * np.cos(np.radians(2 * hp_bar))
        + 0.32 * np.cos(np.radians(3 * hp_bar + 6))
        - 0.20 * np.cos(np.radians(4 * hp_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    d_theta = 30 * np.exp(-(((hp_bar - 275) / 25) ** 2))
    r_t = -2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25**7)) * np.sin(np.radians(2 * d_theta))
    return float(np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh / s_h) ** 2 + r_t * (dc / s_c) * (dh / s_h)))


def delta_e(colour1: str, colour2: str, vision: str = "normal") -> float:
    """CIEDE2000 between two hex colours as seen with ``vision``."""
    return ciede2000(lab(simulate(hex_to_srgb(colour1), vision)), lab(simulate(hex_to_srgb(colour2), vision)))


def smallest_delta_e(colours: dict[str, str], vision: str) -> tuple[float, str, str]:
    """The closest pair of a legend under ``vision``: (ΔE, name, name)."""
    names = list(colours)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    return min((delta_e(colours[a], colours[b], vision), a, b) for a, b in pairs)


def luminance(colour: str) -> float:
    """WCAG relative luminance."""
    return float(to_linear(hex_to_srgb(colour)) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(colour1: str, colour2: str) -> float:
    """WCAG contrast ratio (1…21)."""
    high, low = sorted((luminance(colour1), luminance(colour2)), reverse=True)
    return (high + 0.05) / (low + 0.05)
