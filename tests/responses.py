"""Reading responses the way a client does, streamed or not."""

import csv
import io


def body(response) -> str:
    """The whole text of a response; a CSV's byte-order mark is dropped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response))))
