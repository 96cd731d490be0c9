"""The public pages' addresses, each served by the module of its kind of page.

The lists' CSV downloads (`orgs:organisations_csv`, `orgs:advocates_csv`, `orgs:networks_csv`)
are in this namespace too, but served by the API's CSV: `directory.urls` adds them from
`orgs.api.downloads`.
"""

from django.urls import path

from orgs.pages import (
    feeds,
    listed,
    lists,
    matching,
    open_data,
    overviews,
    privacy,
    records,
    relaying,
    suggestions,
)

app_name = "orgs"

urlpatterns = [
    path("search/", lists.search_results, name="search"),
    path("organisations/", lists.organisation_list, name="organisations"),
    # Before the records' pages: otherwise "feed" would be read as a record's slug.
    path("organisations/feed/", feeds.organisation_feed, name="organisations_feed"),
    path("advocates/feed/", feeds.advocate_feed, name="advocates_feed"),
    path("networks/feed/", feeds.network_feed, name="networks_feed"),
    path("organisations/<slug:slug>/", records.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/suggest/",
        suggestions.suggest_organisation_correction,
        name="organisation_suggestion",
    ),
    path("advocates/", lists.advocate_list, name="advocates"),
    path("advocates/<slug:slug>/", records.advocate_detail, name="advocate"),
    path(
        "advocates/<slug:slug>/suggest/",
        suggestions.suggest_advocate_correction,
        name="advocate_suggestion",
    ),
    path("advocates/<slug:slug>/write/", relaying.write_to_advocate, name="advocate_write"),
    path("suggest/", suggestions.suggest_organisation, name="suggest"),
    path("suggest/thanks/", suggestions.suggestion_thanks, name="suggestion_thanks"),
    path("networks/", lists.network_list, name="networks"),
    path("networks/<slug:slug>/", records.network_detail, name="network"),
    path("networks/<slug:slug>/write/", relaying.write_to_network, name="network_write"),
    path("messages/check-your-mailbox/", relaying.message_held, name="message_held"),
    path("messages/sent/", relaying.message_sent, name="message_sent"),
    path("messages/confirm/<str:token>/", relaying.confirm_sender, name="confirm_sender"),
    path("messages/stop/<str:token>/", relaying.stop_messages, name="stop_messages"),
    path("countries/", overviews.country_list, name="countries"),
    path("countries/<str:code>/", overviews.country_detail, name="country"),
    path("focus/", overviews.focus_list, name="focus_areas"),
    path("focus/<slug:slug>/", overviews.focus_detail, name="focus"),
    path("sources/", overviews.source_list, name="sources"),
    path("sources/<slug:key>/", overviews.source_detail, name="source"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("data/", open_data.open_data, name="open_data"),
    path("data/directory.zip", open_data.package, name="open_data_package"),
    path("data/directory-hsds.zip", open_data.hsds_package, name="open_data_hsds"),
    path("match-my-list/", matching.match_list, name="match_list"),
    # The listed's own pages, through the personal link in their notice ("record" first: a
    # link's token never is that word).
    path("listed/record/", listed.record_page, name="listed_record"),
    path("listed/<str:token>/", listed.open_link, name="listed_link"),
    path("listed/<str:token>/new-link/", listed.new_link, name="listed_new_link"),
]
