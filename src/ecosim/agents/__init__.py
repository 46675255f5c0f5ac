"""The model's agents: municipalities, care providers, citizens in need."""

from ecosim.agents.citizen import Citizen, CitizenState, CitizenTable
from ecosim.agents.municipality import Municipality
from ecosim.agents.provider import CareProvider

__all__ = ["CareProvider", "Citizen", "CitizenState", "CitizenTable", "Municipality"]
