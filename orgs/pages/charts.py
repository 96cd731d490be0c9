"""Bar charts drawn on the server as SVG, so they need no script and no network.

Each label sits on its own line(s) above its bar, whole: long labels wrap instead of being
cut, so two bars never read the same. The SVG is drawn at the width of a phone's column and
never scaled up or much down (see the CSS), so its 13-unit text stays 13 px where it matters.
"""

import textwrap
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.text import slugify

WIDTH = 340
VALUE_SPACE = 96  # room right of the longest bar for "125 (100%)"
BAR_AREA = WIDTH - VALUE_SPACE
LINE_HEIGHT = 16
BAR_HEIGHT = 14
ROW_GAP = 10
LABEL_CHARACTERS = 44  # what fits in WIDTH at 13 px


@dataclass
class Bar:
    label: str
    value: float
    url: str = ""
    text: str = ""  # the value as worded, when not a plain count
    share: float | None = None
    lines: list = field(default_factory=list)
    y: int = 0
    label_ys: list = field(default_factory=list)
    bar_y: int = 0
    length: float = 0
    value_x: float = 0

    @property
    def value_text(self) -> str:
        if self.text:
            return self.text
        if self.share is None:
            return number_format(self.value)
        return f"{number_format(self.value)} ({number_format(Decimal(f'{self.share:g}'))}%)"

    @property
    def label_lines(self) -> list[tuple[int, str]]:
        return list(zip(self.label_ys, self.lines, strict=True))


@dataclass
class BarChart:
    """Rows are (label, count), (label, count, url) or (label, value, url, value as worded).
    With `base` (n, the number who answered) each bar also gives its share of n; `scale` is the
    value a full-length bar stands for (100 for percentages; the largest value by default)."""

    title: str
    rows: list = field(default_factory=list)
    sample: str = ""
    base: int | None = None
    category_label: str = ""
    value_label: str = ""
    note: str = ""
    scale: float | None = None
    width: int = WIDTH

    def __post_init__(self):
        rows = [row for row in self.rows if row[1]]
        largest = self.scale or max((row[1] for row in rows), default=0) or 1
        self.bars = []
        y = LINE_HEIGHT + 6 if self.category_label else 0
        for row in rows:
            label, value, url, text = (list(row) + ["", ""])[:4]
            lines = textwrap.wrap(str(label), LABEL_CHARACTERS) or [""]
            share = round(100 * value / self.base, 1) if self.base else None
            length = max(2.0, round(BAR_AREA * value / largest, 1))
            label_ys = [y + LINE_HEIGHT * (index + 1) - 4 for index in range(len(lines))]
            bar_y = y + LINE_HEIGHT * len(lines) + 2
            self.bars.append(
                Bar(
                    label=str(label),
                    value=value,
                    url=url,
                    text=text,
                    share=share,
                    lines=lines,
                    y=y,
                    label_ys=label_ys,
                    bar_y=bar_y,
                    length=length,
                    value_x=length + 6,
                )
            )
            y = bar_y + BAR_HEIGHT + ROW_GAP
        self.axis_y = y
        self.value_label_lines = [
            (y + LINE_HEIGHT * (index + 1) + 2, line)
            for index, line in enumerate(textwrap.wrap(self.value_label, LABEL_CHARACTERS))
        ]
        self.height = y + LINE_HEIGHT * len(self.value_label_lines) + 8
        self.id = "chart-" + slugify(self.title)[:40]

    @property
    def labels(self) -> list[str]:
        return [bar.label for bar in self.bars]
