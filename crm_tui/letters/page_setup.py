"""The sheet a letter is printed on: A4 for a DL window envelope, the margins, the print
options a council configures (return line, fold marks) and the type sizes, which follow the
customer's print size so that nothing on a large-print letter is smaller than they need."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from crm_tui.letters.content import Letter

WIDTH, HEIGHT = A4
MARGIN = 20 * mm  # left and right: nothing is printed closer to the edge (fold marks aside)
TOP = 12 * mm
# A DL window envelope shows 20-110 mm from the left, 48-88 mm from the top of the sheet.
WINDOW_LEFT, WINDOW_RIGHT = 20 * mm, 110 * mm
WINDOW_TOP, WINDOW_BOTTOM = HEIGHT - 48 * mm, HEIGHT - 88 * mm
RIGHT_COLUMN = 118 * mm  # beside the window: the letterhead's details and the reference
# Folded in three for a DL envelope: the two folds, marked in the left margin on request.
FOLDS = (HEIGHT - 99 * mm, HEIGHT - 198 * mm)
STANDARD_BODY = 12.0  # points: the body of a standard letter
LARGE_DEFAULT = 16  # points: large print where the customer's size is not recorded
SMALLEST = 8.0  # points: nothing on a standard letter is smaller


@dataclass(frozen=True)
class PrintOptions:
    """The council's choices for every letter (configuration `return_line`, `fold_marks`)."""

    return_line: bool = True  # the council's return address, above the window
    fold_marks: bool = False  # marks in the left margin where the sheet is folded


@dataclass(frozen=True)
class Sizes:
    """Type sizes in points for one letter."""

    body: float
    large: bool

    @property
    def details(self) -> float:
        """The letterhead's address and contact details, the reference block."""
        return self.body if self.large else 9.0

    @property
    def footer(self) -> float:
        return self.body if self.large else SMALLEST

    @property
    def return_line(self) -> float:
        return self.body if self.large else SMALLEST

    @property
    def council(self) -> float:
        return max(self.body * 1.15, 14.0)

    @property
    def subject(self) -> float:
        return self.body * 1.15

    @property
    def stamp(self) -> float:
        return self.body if self.large else SMALLEST

    @property
    def leading(self) -> float:
        return self.body * 1.35


def sizes_for(letter: Letter) -> Sizes:
    """The customer's size where recorded (large print), else the standard sizes."""
    if letter.print_pt:
        return Sizes(float(max(letter.print_pt, STANDARD_BODY)), True)
    if letter.large_print:
        return Sizes(float(LARGE_DEFAULT), True)
    return Sizes(STANDARD_BODY, False)
