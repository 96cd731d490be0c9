"""The long tail: hundreds of requests nobody made before, each asked once on an empty cache.

A cached list answers in milliseconds, so requests that repeat measure the cache. Visitors
mostly ask for something nobody asked for since the last change: a combination of filters, a
word, a deep page, one record among 100,000. These requests are drawn (seeded, so each run asks
the same) from the database's own values, in four classes, each with its budget (issue 27).
"""

import random
import re
import statistics
import string
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from benchmarks.fetching import FAILURES, Fetch, empty_cache, p95, timed

SEED = 27
LIST_PAGES = "list pages (1-3 filters, sometimes a word or a page)"
API_LISTS = "API lists"
RECORD_PAGES = "record pages"
SEARCH_WORDS = "search words"
CLASSES = (LIST_PAGES, API_LISTS, RECORD_PAGES, SEARCH_WORDS)
# p95 budgets for a request nobody made before (issue 27), in seconds.
P95_AT_1 = {LIST_PAGES: 0.150, API_LISTS: 0.100, RECORD_PAGES: 0.150, SEARCH_WORDS: 0.200}
P95_AT_8 = 0.400
WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass
class Vocabulary:
    """The values the requests are made of, read from the database."""

    filters: dict[str, dict[str, list[str]]]  # list ("organisations") -> filter -> values
    words: list[str]
    slugs: dict[str, list[str]]  # list -> a sample of its records' slugs
    # (list, filters, records): lists long enough for deep pages
    long_lists: list[tuple[str, dict[str, str], int]]


def vocabulary(rng: random.Random, sample: int = 300) -> Vocabulary:
    """Real values: the terms records use, words of their names and descriptions, slugs."""
    from django.db.models import Count

    from orgs.choices import Formalisation, Leadership, LegalForm
    from orgs.models import (
        Advocate,
        City,
        FocusArea,
        Network,
        NetworkType,
        Organisation,
        Source,
        TargetGroup,
        WorkLevel,
    )

    organisations = Organisation.objects.published()
    per_country = dict(
        organisations.exclude(countries=None)
        .values_list("countries")
        .annotate(n=Count("id"))
        .order_by("countries")
    )
    countries = sorted(per_country)
    used = City.objects.filter(organisations__isnull=False)
    cities = sorted(used.values_list("slug", flat=True).distinct())
    common = {
        "country": countries,
        "city": cities,
        "focus": sorted(FocusArea.objects.values_list("slug", flat=True)),
        "target_group": sorted(TargetGroup.objects.values_list("slug", flat=True)),
    }
    levels = sorted(WorkLevel.objects.values_list("slug", flat=True))
    sources = sorted(Source.objects.values_list("key", flat=True))
    networks = Network.objects.published()
    filters = {
        "organisations": {
            **common,
            "leadership": list(Leadership.values),
            "form": list(LegalForm.values),
            "level": levels,
            "network": sorted(networks.values_list("slug", flat=True)),
            "source": sources,
        },
        "advocates": {**common, "level": levels, "source": sources},
        "networks": {
            "type": sorted(NetworkType.objects.values_list("slug", flat=True)),
            "country": countries,
            "formalisation": list(Formalisation.values),
            "focus": common["focus"],
            "target_group": common["target_group"],
        },
    }
    slugs = {
        name: sampled(rng, queryset, sample)
        for name, queryset in [
            ("organisations", organisations),
            ("advocates", Advocate.objects.published()),
            ("networks", networks),
        ]
    }
    texts = organisations.filter(slug__in=slugs["organisations"]).values_list("name", "description")
    words = sorted({word.lower() for text in texts for part in text for word in WORD.findall(part)})
    long_lists = [
        ("organisations", {}, organisations.count()),
        ("advocates", {}, Advocate.objects.published().count()),
        ("networks", {}, networks.count()),
        *(("organisations", {"country": code}, n) for code, n in sorted(per_country.items())),
    ]
    return Vocabulary(filters, words, slugs, long_lists)


def sampled(rng: random.Random, queryset, size: int) -> list[str]:
    """The slugs of `size` records drawn at random (the same each run)."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(size, len(ids)))
    found = dict(queryset.filter(pk__in=chosen).values_list("pk", "slug"))
    return [found[pk] for pk in chosen]


def misspelt(rng: random.Random, word: str) -> str:
    """The word with one of its inner letters replaced by another."""
    at = rng.randrange(1, len(word) - 1)
    other = rng.choice([letter for letter in string.ascii_lowercase if letter != word[at]])
    return word[:at] + other + word[at + 1 :]


def a_word(rng: random.Random, words: list[str]) -> str:
    word = rng.choice(words)
    return misspelt(rng, word) if rng.random() < 0.3 else word


def a_list_query(rng: random.Random, vocabulary: Vocabulary, page_size: int, max_depth: int):
    """A list and its query: 1-3 filters, sometimes a word; or a page deep into a long list."""
    deep = [
        (name, chosen, min(records, max_depth) // page_size)
        for name, chosen, records in vocabulary.long_lists
        if min(records, max_depth) // page_size >= 2
    ]
    if deep and rng.random() < 0.2:
        name, chosen, pages = rng.choice(deep)
        return name, {**chosen, "page": str(rng.randint(2, pages))}
    name = rng.choice(["organisations", "organisations", "organisations", "advocates", "networks"])
    available = {key: values for key, values in vocabulary.filters[name].items() if values}
    keys = rng.sample(sorted(available), rng.randint(1, min(3, len(available))))
    query = {key: rng.choice(available[key]) for key in keys}
    if rng.random() < 0.3 and vocabulary.words:
        query["q"] = a_word(rng, vocabulary.words)
    return name, query


def a_request(rng: random.Random, group: str, vocabulary: Vocabulary) -> str:
    """The address of one request of `group`."""
    from django.conf import settings

    from orgs.pages.lists import PAGE_SIZE
    from orgs.paging import MAX_DEPTH

    if group == LIST_PAGES:
        name, query = a_list_query(rng, vocabulary, PAGE_SIZE, MAX_DEPTH)
        return f"/{name}/?{urlencode(query)}"
    if group == API_LISTS:
        name, query = a_list_query(rng, vocabulary, settings.API_PAGE_SIZE, MAX_DEPTH)
        return f"/api/v1/{name}/?{urlencode(query)}"
    if group == RECORD_PAGES:
        name = rng.choice(["organisations", "organisations", "advocates", "networks"])
        return f"/{name}/{rng.choice(vocabulary.slugs[name])}/"
    words = " ".join(a_word(rng, vocabulary.words) for _ in range(rng.choice([1, 1, 1, 2])))
    where = rng.choice(["/search/", "/search/", "/organisations/", "/advocates/", "/networks/"])
    where = rng.choice([where, where, where, "/api/v1/organisations/"])
    return f"{where}?{urlencode({'q': words})}"


@dataclass(frozen=True)
class Asked:
    group: str
    path: str
    latency: float | None = None
    status: int | None = None


def requests(per_class: int, seed: int = SEED) -> tuple[list[Asked], list[Asked]]:
    """Two sets of distinct requests, `per_class` of each class in each (fewer if the data
    cannot make that many): one to ask at concurrency 1, the other at 8, in a shuffled order."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    if not words.words:
        words.words = ["refugee"]
    seen, sets = set(), ([], [])
    for group in CLASSES:
        made, attempts = 0, 0
        while made < 2 * per_class and attempts < 20 * per_class:
            attempts += 1
            path = a_request(rng, group, words)
            if path not in seen:
                seen.add(path)
                sets[made % 2].append(Asked(group, path))
                made += 1
    for chosen in sets:
        rng.shuffle(chosen)
    return sets


def ask_once(fetch: Fetch, asked: list[Asked], concurrency: int) -> list[Asked]:
    """Each request once: one after another, each on an emptied cache (concurrency 1); or by
    `concurrency` callers at once on a cache emptied when they start."""

    def ask(request: Asked) -> Asked:
        if concurrency == 1:
            empty_cache()
        try:
            latency, status, _ = timed(fetch, request.path)
        except FAILURES:
            return request
        return Asked(request.group, request.path, latency, status)

    empty_cache()
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(ask, asked))


@dataclass
class TailClass:
    """One class's requests, as answered at concurrency 1 and 8."""

    group: str
    at_1: list[Asked] = field(default_factory=list)
    at_8: list[Asked] = field(default_factory=list)

    @staticmethod
    def latencies(asked: list[Asked]) -> list[float]:
        return [request.latency for request in asked if request.status == 200]

    @property
    def count(self) -> int:
        return len(self.at_1) + len(self.at_8)

    @property
    def failures(self) -> list[Asked]:
        return [request for request in self.at_1 + self.at_8 if request.status != 200]

    @property
    def median(self) -> float | None:
        latencies = self.latencies(self.at_1)
        return statistics.median(latencies) if latencies else None

    @property
    def p95_at_1(self) -> float | None:
        return p95(self.latencies(self.at_1))

    @property
    def p95_at_8(self) -> float | None:
        return p95(self.latencies(self.at_8))

    @property
    def slowest(self) -> tuple[Asked, int] | None:
        answered = [
            (request, concurrency)
            for concurrency, asked in ((1, self.at_1), (8, self.at_8))
            for request in asked
            if request.status == 200
        ]
        return max(answered, key=lambda pair: pair[0].latency, default=None)

    def budgets(self) -> list[str]:
        """The budgets this class misses (none when all are met)."""
        if not self.count:
            return ["no request"]
        missed = []
        budget = P95_AT_1[self.group]
        if self.at_1 and (self.p95_at_1 is None or self.p95_at_1 >= budget):
            missed.append(f"p95 ≥ {budget * 1000:.0f} ms")
        if self.at_8 and (self.p95_at_8 is None or self.p95_at_8 >= P95_AT_8):
            missed.append(f"p95 at 8 ≥ {P95_AT_8 * 1000:.0f} ms")
        if failures := self.failures:
            statuses = sorted({str(request.status or "no answer") for request in failures})
            missed.append(f"{len(failures)} failed ({', '.join(statuses)})")
        return missed


def run(fetch: Fetch, per_class: int, log=print, seed: int = SEED) -> list[TailClass]:
    """The long tail: `per_class` requests of each class at concurrency 1, as many others at 8."""
    at_1, at_8 = requests(per_class, seed)
    classes = {group: TailClass(group) for group in CLASSES}
    start = time.perf_counter()
    for request in ask_once(fetch, at_1, 1):
        classes[request.group].at_1.append(request)
    for request in ask_once(fetch, at_8, 8):
        classes[request.group].at_8.append(request)
    log(f"Long tail: {len(at_1) + len(at_8)} requests in {time.perf_counter() - start:.0f} s.")
    return list(classes.values())
