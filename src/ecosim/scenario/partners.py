"""Parameters of partner choice and of what moves trust between partners.

Cooperation as the source articles describe it: a municipality chooses partners on several
dimensions (geography first: seed 004, "wie zijn onze buren"), learns what a partner is worth
by working with it (seed 003, "Kent de ander"; seed 002, reason 3), and trusts partners more
or less by what it experiences. The weights and strengths have no measured values: each is an
assumption with a range, shipped as an experiment factor.
"""

from __future__ import annotations

from ecosim.scenario.base import Group, NonNeg, Prob
from ecosim.scenario.uncertainty import uncertain


class PartnerParams(Group):
    """Choosing partners: the dimensions a municipality weighs, and how it gets to know a partner."""

    weight_geography: NonNeg = uncertain(
        1.0,
        0.0,
        2.0,
        "Weight of geography (1 for a neighbour, region_proximity for another municipality of the region) in a "
        "partner's attraction. Seed 004: choices are 'sterk beïnvloed door geografische ligging'; Bel & Warner "
        "2016 (meta-regression): spatial factors drive cooperation. Relative weight not found.",
    )
    weight_needs: NonNeg = uncertain(
        1.0,
        0.0,
        2.0,
        "Weight of similar needs (clients in care or waiting per inhabitant in the task's domain) in a partner's "
        "attraction. Feiock 2007: similar communities have lower transaction costs of agreeing. Weight not found.",
    )
    weight_size: NonNeg = uncertain(
        1.0,
        0.0,
        2.0,
        "Weight of similar size (organisation) in a partner's attraction. Bel & Warner 2016: organisational "
        "factors drive cooperation. Weight not found.",
    )
    weight_policy: NonNeg = uncertain(
        1.0,
        0.0,
        2.0,
        "Weight of similar policy (the lever pairs' values at the two stances, never the stance itself) in a "
        "partner's attraction. Weight not found.",
    )
    weight_trust: NonNeg = uncertain(
        1.0,
        0.0,
        2.0,
        "Weight of trust from experience (cooperation.initial_trust for a stranger) in a partner's attraction. "
        "Weight not found.",
    )
    region_proximity: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Geography score of a municipality of the same region that is not a neighbour (a neighbour scores 1; "
        "others are not considered) [0-1].",
    )
    size_ratio_dissimilar: float = uncertain(
        10.0,
        2.0,
        50.0,
        "Population ratio at which two municipalities count as wholly unlike in size (similarity falls linearly "
        "in the log ratio from 1 at equal size to 0 here) [-].",
        gt=1.0,
    )
    acquaintance_months: float = uncertain(
        24.0,
        6.0,
        60.0,
        "Months of working together that halve the misjudgement of a partner (seed 002, reason 3: cooperation "
        "is the start of a process of getting to know each other) [month].",
        gt=0.0,
    )
    vote_population_weight: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Weight of population, against one member one vote, in an arrangement's joint policy and its votes on "
        "its form [0-1]. Arrangements differ in their stemverhoudingen (5dok, 'Processen binnen het openbaar "
        "bestuur' 4.3.1); no typical weight was found.",
    )


class TrustParams(Group):
    """What moves trust between partners, and when an arrangement is reconsidered."""

    expectation_weight: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Weight of unmet or exceeded expectations (what a membership brought against what the member expected "
        "when it joined), against the plain result, in the economic experience of cooperating (seed 002, "
        "reason 3: municipalities will find out whether cooperation brings what they expected) [0-1].",
    )
    free_riding_weight: NonNeg = uncertain(
        0.5,
        0.0,
        1.0,
        "Trust lost toward a partner per unit by which it puts in less than oneself (its cooperation energy, "
        "the stand-in for the staff time it brings: free riding) [trust per unit].",
    )
    inequity_weight: NonNeg = uncertain(
        0.5,
        0.0,
        1.0,
        "Trust lost toward a partner that gained more per inhabitant than oneself, per unit of the relative "
        "difference (an uneven spread of benefits, as between small and large members or a dominant centre "
        "municipality: MODEL.md practitioners' lessons) [trust per unit].",
    )
    broken_agreement_penalty: Prob = uncertain(
        0.2,
        0.0,
        0.5,
        "Share of their trust the remaining members lose toward a member that leaves (a broken agreement; "
        "remembered when choosing partners later) [-].",
    )
    reconsider_below: Prob = uncertain(
        0.45,
        0.3,
        0.6,
        "Members' mean trust in each other below which an arrangement is reconsidered at a review (poor "
        "experience) [0-1].",
    )
    split_trust: Prob = uncertain(
        0.4,
        0.2,
        0.6,
        "Mutual trust two members need to stay partners when an arrangement is reconsidered: if the members "
        "fall apart into two or more groups of at least two that trust each other at this level and not across, "
        "the arrangement splits [0-1].",
    )
