"""Renderers of the leadership report (``okrctl report``): one module per format (see ``okrctl.render.formats``)."""
