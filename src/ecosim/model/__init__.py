"""The model: the world, its month and the rules the phases share.

``EcosimModel`` (and with it Mesa) is imported on first use, so a submodule such as
:mod:`ecosim.model.geography` can be imported without the whole model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecosim.model.model import EcosimModel

__all__ = ["EcosimModel"]


def __getattr__(name: str) -> Any:
    if name == "EcosimModel":
        from ecosim.model.model import EcosimModel

        return EcosimModel
    raise AttributeError(f"module 'ecosim.model' has no attribute {name!r}")
