"""The visual server: ``ecosim viz`` serves Mesa's SolaraViz page for ecosim.

- ``command.py``: the ``ecosim viz`` subcommand (starts ``solara run app.py``; ``--measure``).
- ``app.py``: the Solara entry point (session culling, quiet log); ``page.py``: SolaraViz with
  ecosim's model, parameters and components, and the scenario picker.
- ``page_model.py``: the Mesa model the page steps: one run, or two variants side by side in lockstep.
- ``params.py``: SolaraViz model parameters, from ``controls.py`` (the levers, generated from the
  scenario schema); ``scenarios.py``: scenario files found from any working directory.
- ``components.py``: map, money and citizens, provider market, arrangements, build status.
- ``map_figure.py`` and ``figures.py``: the matplotlib pictures, built once and updated month by month.
- ``timing.py``: the time of one Step (model step and page render).
"""
