"""Parameters of how municipalities meet the structural cuts in their indications.

The 2015 cuts lowered each domain's budget per inhabitant. Municipalities met part of that by
indicating less care per client (fewer hours, lighter arrangements) rather than fewer clients:
the volume of household help fell from 2015 to 2018 and municipalities attribute that to the
2015 cut; they became stricter in indicating (Berenschot, second interim evaluation of the
AMvB reële prijs Wmo 2015, sent to the Tweede Kamer in February 2020; reported by Skipr,
"Tarieven huishoudelijke hulp in de lift", February 2020). No national share of the cut met this
way was found, so the share is uncertain over its whole range, and so is what fewer hours do to
recovery. The rule is the same for every municipality: it does not read the stance. See docs/ODD.md 7.14.
"""

from __future__ import annotations

from ecosim.scenario.base import Group, NonNeg, Prob
from ecosim.scenario.uncertainty import uncertain


class IndicationParams(Group):
    """The share of the structural cut met by smaller indications, and what smaller indications cost in recovery."""

    cut_pass_on: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Share of a domain's structural cut (budget.cut_fraction x budget.cut_phase_in of the year) that "
        "municipalities meet by indicating less care per client: a client-month of care costs (1 - cut_pass_on x "
        "cut share) of its full volume [-]. Berenschot (2020, second interim evaluation of the AMvB reële prijs "
        "Wmo 2015) found the volume of household help fell 2015-2018, which municipalities attribute to the 2015 "
        "cut (stricter indication); no national share was found, so the default is the middle of the whole range "
        "(assumption) and baseline_2015 calibrates it.",
    )
    recovery_elasticity: NonNeg = uncertain(
        0.5,
        0.0,
        1.0,
        "Elasticity of a client's monthly chance of improvement to the volume of care indicated [-]: the chance "
        "is multiplied by volume ** recovery_elasticity. 0: fewer hours do no harm; 1: improvement falls in "
        "proportion to the hours. No source was found for the effect of smaller indications on outcomes "
        "(assumption; default the middle of the range).",
    )
