"""Write the golden run that tests/model/test_golden.py compares against.

Run it from the repository root only when a change is *meant* to alter the model's results
(and say so in the commit): ``python tests/golden/make_golden.py``. A refactor must leave
the file unchanged.
"""

from pathlib import Path

import ecosim

GOLDEN = Path(__file__).with_name("regional_default_seed7_36m.parquet")
SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "regional_default.toml"


def golden_run():  # noqa: ANN201
    """The monthly model table of the golden run: regional_default, seed 7, 36 months."""
    return ecosim.run(SCENARIO, months=36, seed=7).model_df


if __name__ == "__main__":
    golden_run().to_parquet(GOLDEN, index=False)
    print(f"wrote {GOLDEN}")
