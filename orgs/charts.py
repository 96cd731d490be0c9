"""Bar charts drawn on the server as SVG, so they need no script and no network."""

from dataclasses import dataclass, field

from django.utils.text import slugify

LABEL_WIDTH = 260
BAR_AREA = 300
ROW_HEIGHT = 22


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    y: int = 0
    length: float = 0
    value_x: float = 0


@dataclass
class BarChart:
    title: str
    rows: list = field(default_factory=list)
    sample: str = ""
    label_width: int = LABEL_WIDTH
    width: int = LABEL_WIDTH + BAR_AREA + 50

    def __post_init__(self):
        rows = [row for row in self.rows if row[1]]
        largest = max((row[1] for row in rows), default=0) or 1
        self.bars = []
        for position, row in enumerate(rows):
            label, value, url = (list(row) + [""])[:3]
            length = max(2.0, round(BAR_AREA * value / largest, 1))
            self.bars.append(
                Bar(
                    label=str(label),
                    value=value,
                    url=url,
                    y=position * ROW_HEIGHT,
                    length=length,
                    value_x=self.label_width + length + 6,
                )
            )
        self.height = max(ROW_HEIGHT, len(self.bars) * ROW_HEIGHT)
        self.id = "chart-" + slugify(self.title)[:40]
