"""Event categories: what an event is about, from the wording of its report row.

The categories are the SKOS concepts of ``ontology/categories.ttl`` (IRIs
``https://w3id.org/borderkg/id/category/<slug>``). An event may be in several categories
(a concert dedicated to the Victory is ``culture`` and ``memory``); every event gets one at
least: ``culture`` when no rule fires, the domain of the reports being cultural cooperation.

Labelling guidelines (the hand labels of ``data/curation/categories_sample.tsv`` follow them):

* ``culture`` — concerts, festivals and creative contests (music, dance, theatre, fine art,
  poetry, folklore, crafts), libraries, museums, films.
* ``education`` — school, teacher and university work as such: pedagogical readings and
  round tables of teachers, pupils' research contests and conferences, olympiads,
  dictations, seminars on upbringing. Pupils of art schools at a contest are ``culture``.
* ``sport`` — tournaments, competitions, games, sports cooperation, cycle rides.
* ``memory`` — memory and patriotic: the Great Patriotic War and the Victory, memorials,
  rallies and wreath-laying, patriotic actions, events dedicated to the Victory.
* ``official`` — official visits and delegations of authorities, receptions and meetings
  of heads, agreements and memoranda, twin-town links, forums of local self-government.
* ``economy`` — economy, trade, business, agriculture and tourism.
* ``science`` — scientific conferences and research.
* ``youth`` — youth policy: youth forums, youth and volunteer organisations.

The rules are stems matched as regular expressions over the lower-cased text, per field:
the title carries most weight; the content only its stronger cues (its stated goals repeat
«патриотическое воспитание» or «экономического сотрудничества» as boilerplate); the
participants cell tells who came (sportsmen, delegations of executive committees).
Stems rather than lemmas: they are fast (no morphological analyser) and the reports'
vocabulary is formulaic.

>>> categorize("Международный турнир по волейболу")
['sport']
>>> categorize("Концерт «Россия-Беларусь», посвященный 80-летию Победы в Великой Отечественной войне")
['culture', 'memory']
>>> categorize("Прием Главой г. Смоленска официальной делегации из г. Бхопала")
['official']
>>> categorize("Заседание")
['culture']
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.paths import CURATION, REPORTS

SAMPLE = CURATION / "categories_sample.tsv"
CATEGORIES = ("culture", "education", "sport", "memory", "official", "economy", "science", "youth")
DEFAULT = "culture"

# category → field → pattern; a category is chosen when any of its patterns matches its field.
# Fields: "title", "content", "participants".
RULES: dict[str, dict[str, str]] = {
    "culture": {
        "title": r"концерт|фестивал|творч|искусств|музык|песн|певческ|вокал|хор(?:ов|а\b)|"
                 r"танц|хореограф|театр|библиотек|музе|фольклор|ремесл|поэ[тз]|литератур|"
                 r"художествен|изобразительн|рисун|живопис|фотограф|кино|фильм|стих|исполнител|"
                 r"балалайк|саксофон",
        # Not «музей» here: delegations visit museums as part of official programmes.
        "content": r"концерт|фестивал|творческ\w* (?:коллектив|номер)|библиотек|театральн|"
                   r"хореографическ|вокалист|культурн\w* (?:связ|обмен|взаимодейств)|"
                   r"организаци\w* культуры|культурно-массов",
    },
    "education": {
        "title": r"педагог|учител|образовательн|олимпиад|лице[йя]|гимнази|диктант|"
                 r"исследовател|учащихся|урок|семинар",
        # Not «педагогическое мастерство»: the goal of every music contest.
        "content": r"\bпедагог(?:и|ами)\b|педагогическ\w* опыт|просветительск|"
                   r"учебн\w* год|воспитательн\w* проект",
        "participants": r"студент",
    },
    "sport": {
        "title": r"спорт|турнир|соревнован|чемпионат|\bигр(?:ы|ах)\b|волейбол|футбол|баскетбол|"
                 r"хоккей|борьб|самбо|тхэквондо|бокс|шахмат|велопробег",
        "content": r"турнир|соревнован|спортсмен|физическ\w* культур\w* и спорт|физкультур|"
                   r"видам спорта",
        "participants": r"спортсмен|команд[ыа]\b|борц|велосипедист|спортивн\w* школ",
    },
    "memory": {
        # «Победа» alone in quotes names a tournament; «памяти <артиста>» honours a person.
        "title": r"(?<!«)побед(?!ител)|великой отечественной|\bвойн[аеыу]\b|патриот|митинг|"
                 r"мемориал|реквием|освобожден|защитник|памятник|(?:дорог|свеч|огонь|вахт|пост)\w* памяти",
        "content": r"великой отечественной войн|историческ\w* памят|митинг|возложени|"
                   r"захоронени|концлагер|(?<!года )защитник\w* отечества|вахт\w* памяти|памятник|"
                   r"военно-патриотическ|урок\w* мужества",
    },
    "official": {
        "title": r"визит|официальн|при[её]м\w* глав|встреч\w* глав|делегаци|переговор|"
                 r"соглашени|меморандум|побратим|самоуправлени|муниципальн\w* форум|"
                 r"телемост с представител",
        "content": r"официальн\w* делегаци|переговор|подписан|соглашени|меморандум|"
                   r"побратим|по итогам визита",
        "participants": r"\bглава\b|руководител\w* органов местного самоуправления|"
                        r"официальн\w* делегаци|(?<!творческие )делегаци\w* (?:из )?(?:г\.|город|\w+ района)",
    },
    "economy": {
        "title": r"туризм|турист|экономи|торгов|бизнес|инвестиц|ярмарк|агро|промышлен|"
                 r"предпринимат",
        # Not «Министерство культуры и туризма»: a ministry's name says nothing of the event.
        "content": r"туристск|(?<!культуры и )туризм|деловых кругов|агропромышлен|"
                   r"сельскохозяйствен|торгово-промышлен|инвестиц",
    },
    "science": {
        "title": r"научн\w*[- ]практическ|научн\w* обществ|научн\w* конференц|исследовани",
        "content": r"научн\w*[- ]практическ\w* конференц|научн\w* исследован",
    },
    "youth": {
        "title": r"молод[её]жн",
        "participants": r"молод[её]жн\w* движени|волонт[её]р",
    },
}

# Weaker cues, used only when no rule above fires: who took part, when nothing says what.
FALLBACK: dict[str, dict[str, str]] = {
    "official": {
        "participants": r"администраци|исполнительн\w* комитет|совет\w* депутатов|делегаци",
    },
}


def _compile(rules: dict[str, dict[str, str]]) -> dict[str, dict[str, re.Pattern]]:
    return {category: {field: re.compile(pattern) for field, pattern in fields.items()}
            for category, fields in rules.items()}


_COMPILED, _FALLBACK = _compile(RULES), _compile(FALLBACK)


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def categorize(title: str, content: str = "", participants: str = "") -> list[str]:
    """The category slugs of one event, in the order of ``CATEGORIES``; never empty.

    >>> categorize("Участие в XIII Международном экономическом форуме и выставке-ярмарке")
    ['economy']
    >>> categorize("Телемост", participants="Представители Администрации, Славгородского районного исполнительного комитета")
    ['official']
    """
    fields = {"title": _normal(title), "content": _normal(content),
              "participants": _normal(participants)}
    for rules in (_COMPILED, _FALLBACK):
        found = [category for category in CATEGORIES
                 if any(pattern.search(fields[field]) for field, pattern in rules.get(category, {}).items())]
        if found:
            return found
    return [DEFAULT]


def explain(title: str, content: str = "", participants: str = "") -> list[tuple[str, str, str]]:
    """(category, field, matched text) of every rule that fires, fallbacks included: why
    ``categorize`` chose what it chose.

    >>> explain("Турнир по самбо «Победа»")
    [('sport', 'title', 'турнир'), ('sport', 'title', 'самбо')]
    """
    fields = {"title": _normal(title), "content": _normal(content),
              "participants": _normal(participants)}
    return [(category, field, match.group(0))
            for rules in (_COMPILED, _FALLBACK) for category in CATEGORIES
            for field, pattern in rules.get(category, {}).items()
            for match in pattern.finditer(fields[field])]


@dataclass
class SampleEvent:
    """One hand-labelled event of the sample, with the cells of its report row."""

    doc: str
    n: int
    title: str
    labels: frozenset[str]
    content: str = ""
    participants: str = ""


@dataclass
class CategoryScores:
    """Exact-set accuracy, per-category precision and recall, micro-averaged F1."""

    events: int
    exact: int
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # tp, fp, fn
    misses: list[tuple[SampleEvent, list[str]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.exact / self.events if self.events else 0.0

    @property
    def micro_f1(self) -> float:
        tp, fp, fn = (sum(c[i] for c in self.counts.values()) for i in range(3))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def precision_recall(self, category: str) -> tuple[float | None, float | None]:
        tp, fp, fn = self.counts.get(category, (0, 0, 0))
        return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)


def load_sample(path: str | Path = SAMPLE, reports: str | Path = REPORTS) -> list[SampleEvent]:
    """The hand-labelled events (lines starting with ``#`` are comments), each filled with
    the content and participants of its row, read again from the report."""
    from borderkg.parse import Column, parse_report
    from borderkg.read import read_document

    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    events = [SampleEvent(row["doc"], int(row["n"]), row["title"],
                          frozenset(filter(None, row["labels"].split(","))))
              for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]
    rows = {}
    for doc in sorted({event.doc for event in events}):
        report = parse_report(read_document(Path(reports) / doc))
        rows.update({(doc, row.n): row for row in (report.rows if report else [])})
    for event in events:
        row = rows.get((event.doc, event.n))
        if row is not None:
            event.content, event.participants = row.cell(Column.CONTENT), row.cell(Column.PARTICIPANTS)
    return events


def score(events: list[SampleEvent]) -> CategoryScores:
    """Compare ``categorize`` with the hand labels of each event.

    >>> event = SampleEvent("d", 1, "Турнир по самбо", frozenset({"sport"}))
    >>> scores = score([event])
    >>> scores.accuracy, scores.micro_f1
    (1.0, 1.0)
    """
    scores = CategoryScores(len(events), 0, {c: (0, 0, 0) for c in CATEGORIES})
    for event in events:
        predicted = set(categorize(event.title, event.content, event.participants))
        if predicted == event.labels:
            scores.exact += 1
        else:
            scores.misses.append((event, sorted(predicted)))
        for category in CATEGORIES:
            tp, fp, fn = scores.counts[category]
            hit, gold = category in predicted, category in event.labels
            scores.counts[category] = (tp + (hit and gold), fp + (hit and not gold), fn + (gold and not hit))
    return scores


__all__ = ["CATEGORIES", "DEFAULT", "FALLBACK", "RULES", "explain", "SAMPLE", "CategoryScores", "SampleEvent",
           "categorize", "load_sample", "score"]
