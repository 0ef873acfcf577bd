"""Renderers of ``okrctl trends``: one module per format (see ``okrctl.render.formats``)."""
