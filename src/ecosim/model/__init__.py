"""The model: the world, its month and the rules the phases share."""

from ecosim.model.model import EcosimModel

__all__ = ["EcosimModel"]
