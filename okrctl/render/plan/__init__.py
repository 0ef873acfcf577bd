"""Renderers of ``okrctl plan``: one module per format (see ``okrctl.render.formats``)."""
