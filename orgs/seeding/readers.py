"""How each report's folder in `fixtures/source/` is read: one registry of readers.

A report reads its YAML record files (`read_yaml_report`) unless `READERS` names a reader of
its own; only reports whose source is not in the record format need one.
"""

from collections.abc import Callable
from pathlib import Path

import yaml

from orgs.seeding.epim import read_epim
from orgs.seeding.records import read_records
from orgs.seeding.registry import Registry

FIGURES_FILE = "figures.yaml"
ERASMI_SURVEY = "erasmi-2020-network-survey"


def load_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def read_yaml_report(registry: Registry, folder: Path, report: str):
    """Every `*.yaml` file of the folder in name order, `figures.yaml` last."""
    paths = sorted(folder.glob("*.yaml"), key=lambda path: (path.name == FIGURES_FILE, path.name))
    for path in paths:
        read_records(registry, load_yaml(path), report, f"{report}/{path.name}")


def read_epim_report(registry: Registry, folder: Path, report: str):
    """The survey and figures in YAML, then Annex 2 from its table and mapping files."""
    read_yaml_report(registry, folder, report)
    read_epim(registry, folder)


def read_erasmi_report(registry: Registry, folder: Path, report: str):
    """The network profiles in YAML; each profile is also its network's survey response."""
    read_yaml_report(registry, folder, report)
    add_network_profiles_as_responses(registry)


READERS: dict[str, Callable[[Registry, Path, str], None]] = {
    "epim-2019": read_epim_report,
    "erasmi-2021": read_erasmi_report,
}


def reader_for(report: str) -> Callable[[Registry, Path, str], None]:
    return READERS.get(report, read_yaml_report)


def add_network_profiles_as_responses(registry: Registry):
    """Each ERASMI profile is the published answer of its network to the questionnaire."""
    questions = [question["key"] for question in registry.surveys[ERASMI_SURVEY]["questions"]]
    coordinators = {
        network: organisation
        for (network, organisation), membership in registry.memberships.items()
        if membership["role"] == "coordinator"
    }
    for network in registry.of_kind("network"):
        values = network.values
        answers = {
            "name": network.name,
            "founded": str(values.get("founded") or ""),
            "location": "\n".join(network.raw.get("location_raw", [])),
            "coordinator": values.get("coordinator_raw", ""),
            "formalisation": values.get("formalisation_raw", ""),
            "members": values.get("members_raw", ""),
            "focus": "\n".join(network.raw.get("focus_raw", [])),
            "target_groups": "\n".join(network.raw.get("target_groups_raw", [])),
            "type": values.get("type_raw", ""),
            "websites": "\n".join(
                network.lists.get("websites", []) + network.lists.get("social_media", [])
            ),
            "status": (values.get("status_date") or "")[:7],
        }
        for name in questions:
            answers.setdefault(name, values.get(name, ""))
        respondents = {"network": network.key}
        if network.key in coordinators:
            respondents["organisation"] = coordinators[network.key]
        registry.responses[(ERASMI_SURVEY, network.key)] = {
            "respondents": respondents,
            "answers": {k: v for k, v in answers.items() if k in questions and v},
            # The profile's fields as the directory's categories (networks-*.yaml).
            "terms": {
                "focus": network.lists.get("focus_areas", []),
                "target_groups": network.lists.get("target_groups", []),
                "type": [values["network_type"]] if values.get("network_type") else [],
            },
            "locator": network.citations[0][1],
        }
