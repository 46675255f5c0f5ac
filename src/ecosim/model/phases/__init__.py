"""The phases of the month, one module each, in the order ``EcosimModel.step`` runs them."""
