"""Windows and widgets: the only layer that imports PySide6."""
