"""Renderers of ``okrctl diff``: one module per format (see ``okrctl.render.formats``)."""
