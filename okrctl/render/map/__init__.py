"""Renderers of the alignment map (``okrctl map``): one module per format (see ``okrctl.render.formats``)."""
