"""Change over time and what-if: compare two snapshots, try a scenario, generate options for the board.

Pure functions from (Landscape, Analysis) pairs to a :class:`Changes` value; nothing here writes files."""

from .compare import Changes, changes_document, compare

__all__ = ["Changes", "compare", "changes_document"]
