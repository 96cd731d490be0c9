"""The web pages' "Download this list as CSV", written by the API's CSV.

`/organisations/export.csv` (and the advocates' and networks') is the API's
`/api/v1/organisations/?format=csv` at a page's address: the same viewset action
(`DirectoryViewSet.download`), so the same FilterSet, queryset, columns, writer and file name,
and the same JSON errors naming each wrong filter. What stays a page's:

- the address and its name (`orgs:organisations_csv` ...), in each language (`/fr/...`), so
  that its records link to their pages in that language;
- who asks does not matter: no token is read, so a page's download never carries a personal
  address, and no API rate applies (the pages have none);
- parameters the download does not use (the list page's own, such as `show`) are ignored, as
  the pages ignore them; the API's own addresses refuse them.

The project's URLs (`directory.urls`) add these to the pages' namespace: the pages do not
import the API, nor the API the pages.
"""

from django.urls import path

from orgs.api.base import PAGE_DOWNLOAD
from orgs.api.views import AdvocateViewSet, NetworkViewSet, OrganisationViewSet


def page_download(viewset):
    return viewset.as_view({"get": PAGE_DOWNLOAD}, authentication_classes=[], throttle_classes=[])


urlpatterns = [
    path(
        "organisations/export.csv",
        page_download(OrganisationViewSet),
        name="organisations_csv",
    ),
    path("advocates/export.csv", page_download(AdvocateViewSet), name="advocates_csv"),
    path("networks/export.csv", page_download(NetworkViewSet), name="networks_csv"),
]
