"""Renderers of ``okrctl status``: one module per format (see ``okrctl.render.formats``)."""
