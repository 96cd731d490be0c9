"""Where editors keep the records right: the admin's pages are in `orgs/editing/`, by area.

- `orgs.editing.base`: what the records' pages share (history with a reason, publish, hide,
  mark checked, the merge action);
- `orgs.editing.organisations`, `advocates`, `networks`: each record's page with its inlines
  and form (advocates also export and erase a person's data);
- `orgs.editing.relations`: affiliations and memberships;
- `orgs.editing.terms`: sources, countries, cities and the vocabularies;
- `orgs.editing.suggestions`: the moderation queue of the public's suggestions;
- `orgs.editing.erasures`: the read-only audit trail of erasures;
- `orgs.editing.surveys`: surveys, their questions and responses;
- `orgs.editing.records_import` and `records_export`: the Import page and the export actions.

Django's admin autodiscovery imports this module; importing the areas registers their admins.
Every write an action or a view makes goes through `orgs.services`.
"""

from orgs.editing import (  # noqa: F401 (imported to register their admins)
    advocates,
    erasures,
    networks,
    organisations,
    relations,
    suggestions,
    surveys,
    terms,
)
