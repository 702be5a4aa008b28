"""Physical constants of the bodies marsprobe flies between, in SI units.

Every value names its source. Gravitational parameters are the ones of the
DE421 ephemeris (Folkner, Williams & Boggs 2009, "The Planetary and Lunar
Ephemeris DE 421", IPN Progress Report 42-178, Table 2/constants block of the
ephemeris file), so that two-body arcs agree with the ephemeris they are
checked against. Shapes and rotation are from the IAU Working Group on
Cartographic Coordinates and Rotational Elements 2009 report (Archinal et al.
2011, Celest. Mech. Dyn. Astr. 109:101-135), here "WGCCRE 2009".
"""

from __future__ import annotations

import math

# --- units -------------------------------------------------------------------
DAY_S = 86_400.0  # s, by definition (IAU)
JULIAN_YEAR_S = 365.25 * DAY_S  # s, IAU Julian year
AU_M = 149_597_870_700.0  # m, IAU 2012 Resolution B2 (DE421 used 149 597 870.6996 km)
G0_M_S2 = 9.80665  # m/s^2, standard gravity (CGPM 1901), used to turn Isp in s into m/s
C_M_S = 299_792_458.0  # m/s, speed of light (SI definition)

# --- gravitational parameters (DE421 constants, converted from AU^3/day^2) ------
GM_SUN = 1.3271244004094463e20  # m^3/s^2, DE421 GMS
GM_MERCURY = 2.2032090e13  # m^3/s^2, DE421 GM1
GM_VENUS = 3.24858592e14  # m^3/s^2, DE421 GM2
GM_EARTH_MOON = 4.035032363095675e14  # m^3/s^2, DE421 GMB (Earth + Moon)
EARTH_MOON_MASS_RATIO = 81.3005690699153  # DE421 EMRAT
GM_EARTH = GM_EARTH_MOON * EARTH_MOON_MASS_RATIO / (1.0 + EARTH_MOON_MASS_RATIO)  # 3.986004e14
GM_MOON = GM_EARTH_MOON / (1.0 + EARTH_MOON_MASS_RATIO)  # 4.9028e12
GM_MARS = 4.28283752140e13  # m^3/s^2, DE421 GM4 (Mars system; Phobos/Deimos are ~1e-8 of it)
GM_JUPITER = 1.267127648e17  # m^3/s^2, DE421 GM5 (system)
GM_SATURN = 3.79405852e16  # m^3/s^2, DE421 GM6 (system)
GM_URANUS = 5.7945486e15  # m^3/s^2, DE421 GM7 (system)
GM_NEPTUNE = 6.836535e15  # m^3/s^2, DE421 GM8 (system)

# --- Earth ---------------------------------------------------------------------
R_EARTH = 6_378_137.0  # m, equatorial radius, WGS 84 (NIMA TR8350.2, 3rd ed., Table 3.1)
F_EARTH = 1.0 / 298.257223563  # flattening, WGS 84 (same table)
J2_EARTH = 1.08262668e-3  # EGM96 unnormalized C20 (Lemoine et al. 1998, NASA/TP-1998-206861)
OMEGA_EARTH = 7.292115e-5  # rad/s, sidereal rotation rate, WGS 84 (Table 3.1)

# --- Mars ----------------------------------------------------------------------
R_MARS = 3_396_190.0  # m, equatorial radius, WGCCRE 2009 Table 4
R_MARS_POLAR = 3_376_200.0  # m, polar radius, WGCCRE 2009 Table 4
R_MARS_MEAN = 3_389_500.0  # m, mean radius, WGCCRE 2009 Table 4
F_MARS = (R_MARS - R_MARS_POLAR) / R_MARS  # flattening implied by the two radii above
J2_MARS = 1.96045e-3  # unnormalized C20 of the MGS95J field (Konopliv et al. 2006, Icarus 182:23)
# Rotation: W = 176.630 + 350.89198226 d (deg, d in days past J2000 TDB), WGCCRE 2009 Table 2
MARS_W0_DEG = 176.630
MARS_W_RATE_DEG_PER_DAY = 350.89198226
OMEGA_MARS = math.radians(MARS_W_RATE_DEG_PER_DAY) / DAY_S  # rad/s, 7.0882e-5
# Pole: alpha0 = 317.68143 - 0.1061 T, delta0 = 52.88650 - 0.0609 T (T in Julian centuries)
MARS_POLE_RA0_DEG = 317.68143
MARS_POLE_RA_RATE_DEG_PER_CENTURY = -0.1061
MARS_POLE_DEC0_DEG = 52.88650
MARS_POLE_DEC_RATE_DEG_PER_CENTURY = -0.0609
G_MARS_SURFACE = GM_MARS / R_MARS_MEAN**2  # m/s^2, 3.73

# --- spheres of influence (Laplace radius a (m/M)^(2/5), with DE421 masses) ------
SOI_EARTH = 9.24e8  # m, 1 AU * (GM_EARTH/GM_SUN)^(2/5)
SOI_MARS = 5.77e8  # m, 1.5237 AU * (GM_MARS/GM_SUN)^(2/5)

# Obliquity of the ecliptic at J2000, IAU 2006 (Hilton et al. 2006): 84381.406 arcsec
OBLIQUITY_J2000_RAD = math.radians(84_381.406 / 3600.0)

GM = {
    "sun": GM_SUN,
    "mercury": GM_MERCURY,
    "venus": GM_VENUS,
    "earth": GM_EARTH,
    "moon": GM_MOON,
    "mars": GM_MARS,
    "jupiter": GM_JUPITER,
    "saturn": GM_SATURN,
    "uranus": GM_URANUS,
    "neptune": GM_NEPTUNE,
}
"""Gravitational parameter by body name, m^3/s^2."""

RADIUS = {"earth": R_EARTH, "mars": R_MARS, "moon": 1_737_400.0, "sun": 695_700_000.0}
"""Equatorial radius by body name, m (Moon and Sun: WGCCRE 2009 mean radius / IAU 2015 B3)."""
