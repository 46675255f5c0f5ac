"""The visual server: ``ecosim viz`` serves a Solara page to watch and steer one model.

- ``command.py``: the ``ecosim viz`` subcommand (starts ``solara run app.py``; ``--measure``).
- ``app.py``: the Solara entry point; ``page.py``: one session's state and layout.
- ``views.py``: month, map, series, market and arrangements; ``sidebar.py``: run controls and levers.
- ``map_figure.py`` and ``figures.py``: the matplotlib pictures, built once and updated month by month.
- ``controls.py``: the levers, generated from the scenario schema; ``session.py``: what Reset builds.
- ``timing.py``: the time of one Step (model step and page render).
"""
