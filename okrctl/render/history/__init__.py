"""Renderers of ``okrctl history``: one module per format (see ``okrctl.render.formats``)."""
