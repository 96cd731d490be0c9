"""The API documentation opens each list as the CSV file the API sends, byte-order mark and all
(Swagger UI's own "Download file" drops the mark)."""

import pytest

pytestmark = pytest.mark.browser

CSV_LINKS = [
    "/api/v1/advocates/?format=csv",
    "/api/v1/countries/?format=csv",
    "/api/v1/focus-areas/?format=csv",
    "/api/v1/levels/?format=csv",
    "/api/v1/network-types/?format=csv",
    "/api/v1/networks/?format=csv",
    "/api/v1/organisations/?format=csv",
    "/api/v1/sources/?format=csv",
    "/api/v1/stats/organisations/?group_by=country&format=csv",
    "/api/v1/surveys/?format=csv",
    "/api/v1/target-groups/?format=csv",
]


def test_the_docs_link_every_list_as_csv_before_any_operation_is_opened(page):
    page.goto("/api/docs/")
    links = page.get_by_role("region", name="About the API").get_by_role("link", name="format=csv")
    links.first.wait_for()
    assert links.evaluate_all("links => links.map(link => link.getAttribute('href'))") == CSV_LINKS


def test_a_csv_link_of_the_docs_saves_the_list_with_its_byte_order_mark(page):
    page.goto("/api/docs/")
    link = page.get_by_role("link", name="/api/v1/organisations/?format=csv").first
    with page.context.expect_event("download") as download:
        link.click()
    assert download.value.suggested_filename == "organisations.csv"
    with open(download.value.path(), "rb") as saved:
        assert saved.read(6) == b"\xef\xbb\xbfid,"
