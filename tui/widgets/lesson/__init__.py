"""The lesson screen's widgets: the worksheet, the epsilon plot of section 1.0 and the
questions."""
