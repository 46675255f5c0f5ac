"""Parameters of provider entry: where new providers come from, how big they are, when they can work.

New providers enter a region and domain where the places are (nearly) full and a buyer will
contract them: at a coming re-tender, or mid-term where the buyer admits newcomers (open
house). They are small, take clients only after a lag, and are paid only under a contract
(docs/ODD.md 7.6, 7.7; the figures are in docs/SOURCES.md 7).
"""

from __future__ import annotations

from pydantic import Field

from ecosim.scenario.base import Group, NonNeg
from ecosim.scenario.levers import ProbPair, lever_pair
from ecosim.scenario.uncertainty import uncertain


class EntryParams(Group):
    """Provider entry: its rate, the entrants' size and lag, and buyers' admission of newcomers."""

    rate: NonNeg = uncertain(
        0.25,
        0.05,
        1.0,
        "Entrants per 100,000 inhabitants per domain per month where demand (clients and waiting) fills "
        "every place and every buyer will contract a newcomer [providers/100k/month]. Derived from the "
        "growth of youth-care establishments registered at the Chamber of Commerce, 1,180 (2014) to 4,186 "
        "(2021): +3,006 in 84 months for 17.0 m inhabitants, 0.21, over the open-house share 0.85 (de "
        "Stentor/FTM, Mar 2021; docs/SOURCES.md 7). Other counts give 0.08 (KvK main activity, 5,316 in "
        "2015 to 6,476 in 2022, Jeugdautoriteit 2023) to 0.4 (IGJ: 384 before 2015 to more than 6,000 in "
        "2021); no count was found for Wmo or participation providers, which take the youth rate.",
    )
    turnover_median_eur: NonNeg = uncertain(
        150_000.0,
        50_000.0,
        500_000.0,
        "Median yearly turnover of an entrant [EUR/year]; its places are that turnover over the price of "
        "an average client-month of its domain. No median was found: three quarters of youth-care "
        "providers are neither a BV nor a stichting (FTM, Nov 2020), 1,360 youth-domain institutions had "
        "employees in 2019 (CBS) against 4,186-6,000 providers, and 63 of the about 1,400 'small' "
        "providers had more than EUR 1 m turnover in 2018 (FTM; docs/SOURCES.md 7).",
    )
    turnover_sd: NonNeg = uncertain(
        1.0,
        0.5,
        1.5,
        "Log-sd of entrants' yearly turnover [-] (with the median: about 4 % of entrants above EUR 1 m "
        "at the defaults, as among the small providers of 2018, FTM).",
    )
    lag_months: int = uncertain(
        6,
        2,
        12,
        "Months from entry (registration) to the first month an entrant can take clients: staff, "
        "registration and the buyer's admission check [month]. No figure was found.",
        ge=0,
        le=60,
    )
    admission: ProbPair = lever_pair(
        0.85,
        0.85,
        "Stance pair (control, transformation): chance that a buyer with running contracts admits a newcomer "
        "that becomes ready to them, on the same terms, until they end (open house with entry during the "
        "whole term, PIANOo); otherwise the newcomer waits for the buyer's next tender [-]. Open house held "
        "87 % of Wmo and 90 % of youth-care contracts in 2018 (Monitor gemeentelijke zorginkoop 2018), some "
        "of them with entry only at set moments ('semi open house'); no source ties it to the stance.",
        kind="policy",
        source="PPRC/NJi Monitor gemeentelijke zorginkoop 2018 via Binnenlands Bestuur (docs/SOURCES.md 6)",
        uncertain=(0.0, 1.0),
    )
    small_turnover_eur: NonNeg = Field(
        1_000_000.0,
        description="Yearly turnover below which a provider counts as small in the outputs [EUR/year] "
        "(Intrakoop's annual-report analysis of 2020 left out providers under EUR 1 m, skipr Oct 2021; a "
        "definition for the outputs, not a parameter of the model's behaviour).",
    )
