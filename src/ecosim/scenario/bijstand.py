"""Parameters of income support: bijstand recipients and the BUIG budget that pays their benefits.

Bijstand benefits are not paid from the integration fund (the participation part of that fund
pays for re-integration and sheltered work, the care-like trajectories of the participation
domain) but from a separate yearly budget, the BUIG (gebundelde uitkering, art. 69
Participatiewet), with its own result. Recipients are a stock per municipality with inflow
and outflow driven by an exogenous labour-market path and by the asylum permits of
2015-2019; successful participation trajectories add outflow. Sources: docs/SOURCES.md 16.
"""

from __future__ import annotations

from pydantic import Field

from ecosim.scenario.base import Group, NonNeg, Prob
from ecosim.scenario.uncertainty import uncertain


def per_year(values: list[float], description: str, **kw: object) -> object:
    """A yearly path from 2015 (the last value holds after), as a default factory, with its description."""
    return Field(default_factory=lambda: list(values), min_length=1, description=description, **kw)


class BijstandParams(Group):
    """Bijstand recipients as a stock per municipality, and the BUIG budget and result."""

    in_municipal_finance: bool = Field(
        True,
        description="Whether the BUIG result (budget plus safety net minus benefits) moves the municipality's "
        "reserves and counts in the year's result that puts deficit pressure on its stance. Municipalities "
        "paid BUIG deficits from their general means (8 in 10 had one in 2016, Divosa 2017); false keeps the "
        "BUIG as a report only.",
    )
    unemployment_rate: list[Prob] = per_year(
        [0.069, 0.060, 0.049, 0.038, 0.034],
        "Unemployment rate per year from 2015, yearly means, ILO definition, 15-74 years, before the 2021 "
        "revision (CBS StatLine 80590ned as published to 2020); interpolated linearly between mid-years; "
        "the last value holds after [-]. 2017 4.9 % (CBS Europese meetlat 2019), 2018 3.8 % (CBS Trends in "
        "Nederland 2019), 2019 3.4 % (CBS via AWP, Jan 2020); 2015 6.9 % and 2016 6.0 % not read as yearly "
        "means but matching the monthly figures read (Dec 2014 7.2 %, Dec 2015 6.6 %, Dec 2016 5.4 %) and "
        "101k fewer unemployed in 2017 than in 2016 (CBS).",
    )
    reference_unemployment: Prob = Field(
        0.049,
        gt=0.0,
        description="Unemployment rate at which the inflow and outflow rates below hold: 2017, the year of the "
        "measured outflow (CBS) [-].",
    )
    initial_recipients_per_1000: NonNeg = Field(
        25.7,
        description="Bijstand recipients under the AOW age on 1 January 2015 per 1,000 inhabitants: 434k at "
        "the end of 2014 (CBS, persons with bijstand, via NRC 29-2-2016) over 16.9 m [people/1,000].",
    )
    inflow_per_1000_year: NonNeg = Field(
        5.59,
        description="Regular inflow into bijstand per 1,000 inhabitants per year at the reference unemployment "
        "[people/1,000/year]. Fitted with outflow_rate_year and unemployment_elasticity so that the national "
        "stock ends 2015 at 450k and 2017 at 457k and the 2017 outflow is 118k (CBS); 2016, 2018 and 2019 held "
        "out (calibration/bijstand_fit.py, repeated until the defaults reproduce themselves, since the "
        "participation successes come from a baseline_2015 run with these defaults; docs/SOURCES.md 16).",
    )
    outflow_rate_year: Prob = Field(
        0.2117,
        description="Yearly outflow rate of recipients at the reference unemployment, other than after a "
        "successful participation trajectory [1/year]. Fitted with inflow_per_1000_year (which see); the 118k "
        "who left in 2017 were 25.5 % of the stock, of which the model's participation successes account for "
        "about 20k (0.486 x 0.5 x 82k successes in 2017 in the calibrated baseline_2015).",
    )
    unemployment_elasticity: NonNeg = uncertain(
        0.463,
        0.0,
        1.5,
        "Elasticity of inflow (up) and of the outflow rate (down) with the unemployment rate: flows scale "
        "with (u / u_ref) ** e and (u_ref / u) ** e [-]. Fitted with inflow_per_1000_year (which see); no "
        "published elasticity was found, hence the range.",
    )
    refugee_permits_year: list[NonNeg] = per_year(
        [33_000, 37_000, 29_000, 17_000, 16_000],
        "Asylum residence permits granted per year from 2015 (CBS Asiel en integratie 2020: 33k, 37k, 29k, "
        "17k, and 8k in the first half of 2019, doubled); the last value holds after [people/year]. Permit "
        "holders are housed across municipalities by population (assumption) and most depend on bijstand at "
        "first (90 %, CBS cohort study 2017).",
    )
    refugee_bijstand_share: Prob = uncertain(
        0.5,
        0.3,
        0.7,
        "Bijstand recipients (adults and partners, not children) added per asylum permit [-]: 90 % of permit "
        "holders depend on a benefit (CBS 2017); the share of adults among permits was not found.",
    )
    refugee_lag_months: NonNeg = uncertain(
        6.0,
        0.0,
        12.0,
        "Months between a permit and the first benefit (housing in a municipality), rounded to whole months "
        "[month]; not found.",
        le=60,
    )
    benefit_eur_per_recipient_year: NonNeg = Field(
        12_680.0,
        description="BUIG spending per recipient in 2015 [EUR/recipient/year]: budget minus result (EUR 5.5 bn "
        "+ 105 m) over the mean of the 2014 and 2015 year-end stocks (434k, 450k). It covers all BUIG "
        "spending (also IOAW, IOAZ, Bbz and wage subsidies, about 7 % of it in 2019) per bijstand recipient "
        "under the AOW age (calibration/bijstand_fit.py).",
    )
    benefit_growth_year: float = Field(
        0.0281,
        ge=-0.1,
        le=0.2,
        description="Yearly growth of BUIG spending per recipient [1/year], from 2015 (EUR 12,681) to 2017 "
        "(EUR 5.9 bn + 276 m over 460.75k: EUR 13,404); 2016 and 2018 held out (-0.3 % and -1.2 % off). "
        "Indexation of the norms and a changing mix of households (calibration/bijstand_fit.py).",
    )
    macro_budget_eur: list[NonNeg] = per_year(
        [5.5e9, 5.7e9, 5.9e9, 6.36e9, 6.02e9],
        "National BUIG macro budget per year from 2015 [EUR/year]: 2015 EUR 5.5 bn (provisional, imk.nl "
        "2014); 2016 5.7 bn after the safety-net reservation (Divosa, 18-4-2017); 2017 5.9 bn (definitive, "
        "Binnenlands Bestuur 2018); 2018 6.36 bn derived from the EUR 159 m surplus being 2.5 % of it "
        "(Divosa, 25-4-2019); 2019 6.02 bn (further provisional, SZW via Divosa 2019). After the last year "
        "the budget is the year's spending per recipient times the model's recipients at the end of the year "
        "before (the macro budget follows realisations, SZW). Split over municipalities by their recipients "
        "on 1 January 2015 and scaled to the model's population by budget.national_population.",
    )
    participation_bijstand_share: Prob = Field(
        0.486,
        description="Share of participation-domain clients (re-integration and sheltered work) who receive "
        "bijstand: 128,970 with both of 173,940 with re-integration plus 91,450 Wsw employees (CBS StatLine "
        "83747NED, 2016) [-].",
    )
    exit_after_success: Prob = uncertain(
        0.5,
        0.1,
        1.0,
        "Chance that a bijstand recipient whose participation trajectory succeeds (recovers) leaves bijstand "
        "[-]. Direction sourced (about half of those leaving bijstand go to work, CBS 2018); the share of "
        "completed trajectories that end a benefit was not found.",
    )
    safety_net_threshold: list[Prob] = per_year(
        [0.10, 0.05, 0.05, 0.05, 0.075],
        "Own BUIG deficit, as a share of the municipality's BUIG budget, above which the safety net "
        "(vangnetuitkering) pays, per year from 2015: 10 % in 2015 (Kamerbrief 24-2-2015, 30545-151), 5 % "
        "in 2016-2018 and 7.5 % from 2019 (Toetsingscommissie vangnet Participatiewet, 22-8-2019); the "
        "multi-year condition and the tiers are not modelled [-].",
    )
    safety_net_share: Prob = uncertain(
        0.5,
        0.5,
        1.0,
        "Share of the deficit above the threshold that the safety net pays [-]; the tiers (a step at 12.5 % in "
        "2017) were not read. Paid in December of the same year (in reality two years later, from the macro "
        "budget).",
    )
