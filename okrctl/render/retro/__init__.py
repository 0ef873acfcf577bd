"""Renderers of ``okrctl retro``: one module per format (see ``okrctl.render.formats``)."""
