"""The classroom's side of ``python -m tui --serve`` (``tui.serve``): the pages the server
serves from this package (``templates``: the app's page, with nothing from any other host,
and the teacher's view, ``teacher``), and the classroom benchmark (``bench``)."""

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
"""The folder of the server's page templates."""
NAME_LENGTH = 40
"""Characters of a student's name at the most (typed in a tab, or given in its address)."""
