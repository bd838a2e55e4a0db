"""One exception family for the toolkit, and the problems that input validation reports."""

from __future__ import annotations

from dataclasses import dataclass

from .privacy.scrub import safe_to_show, scrub_identifiers

__all__ = ["McnMapError", "InputError", "Problem", "MAX_PROBLEM_TEXT"]

# Characters of a problem's message or fix: a check that echoes a cell holding megabytes still says something short.
MAX_PROBLEM_TEXT = 2000


class McnMapError(Exception):
    """Base class: anything the CLI turns into a plain message rather than a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as a person would find it in Excel."""

    severity: str  # "error" | "warning"
    message: str
    fix: str = ""
    file: str = ""
    sheet: str | None = None
    row: int | None = None  # as Excel shows it: the header is row 1
    column: str | None = None

    def __post_init__(self) -> None:
        # No problem may ever carry a whole NHS number, whichever check wrote it, nor a control character (an
        # escape sequence from a cell or a sheet name would drive the terminal it is printed on) or direction override.
        for name in ("message", "fix", "file", "sheet", "column"):
            value = getattr(self, name)
            if isinstance(value, str):
                if len(value) > MAX_PROBLEM_TEXT:
                    value = value[:MAX_PROBLEM_TEXT] + "… (cut short)"
                object.__setattr__(self, name, safe_to_show(scrub_identifiers(value)))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.severity}: {self.location}: {self.message}" if self.location else f"{self.severity}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text

    def as_dict(self) -> dict:
        return {
            "severity": self.severity, "file": self.file, "sheet": self.sheet, "row": self.row,
            "column": self.column, "message": self.message, "fix": self.fix,
        }


class InputError(McnMapError):
    """The input could not be loaded; ``problems`` holds every error and warning found in one pass."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str | None = None):
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.is_error]
        self.summary = summary or f"the input has {len(errors)} error{'s' if len(errors) != 1 else ''}"
        super().__init__(self.summary + "".join(f"\n  {p}" for p in errors[:50]))
