"""The model's agents: municipalities, care providers, citizens in need, arrangements; and contracts."""

from ecosim.agents.arrangement import Arrangement
from ecosim.agents.citizen import Citizen, CitizenState, CitizenTable
from ecosim.agents.contracts import ARRANGEMENT, MUNICIPALITY, Contract, ContractBook
from ecosim.agents.municipality import Municipality
from ecosim.agents.provider import CareProvider

__all__ = [
    "ARRANGEMENT",
    "MUNICIPALITY",
    "Arrangement",
    "CareProvider",
    "Citizen",
    "CitizenState",
    "CitizenTable",
    "Contract",
    "ContractBook",
    "Municipality",
]
