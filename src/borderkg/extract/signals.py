"""Row-level signals read from wording: online format, twin-town links, signed agreements."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONLINE = re.compile(
    r"дистанцион|онлайн|он-лайн|online|заочн|телемост|видеоконферен|видеосвяз|\bВКС\b|"
    r"вебинар|в режиме видео|в формате видео|в интернет|интернет-площадк|в социальн\w* сет",
    re.IGNORECASE,
)
# «очный» / «в очном формате», not «заочный».
_IN_PERSON = re.compile(r"(?<![а-яё])очн\w*", re.IGNORECASE)
_TWIN = re.compile(r"побратим", re.IGNORECASE)
# The twin towns as a noun («городов-побратимов»), not the abstract «побратимство».
_TWIN_NOUN = re.compile(r"побратим(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b", re.IGNORECASE)
_INTENT = re.compile(r"намерени|о намерен|планиру|запланир|будет подписан|предстоит|станут|станет|в будущем|"
                     r"проект\w* (?:соглашени|договор|меморандум)", re.IGNORECASE)
# A gathering of twin towns names no pair («Форума городов-побратимов … в Бресте»).
_TWIN_GATHERING = re.compile(r"(?:форум|съезд|слет|слёт|ассоциаци|конференци|фестивал)\w*\s+(?:\w+\s+)?"
                             r"(?:городов|муниципалитетов)-побратимов", re.IGNORECASE)
_SIGNED = re.compile(r"подпис(?:ан|али|ала|ание|ания|анию|анием|ании|ывани)|заключ(?:[её]н|или|ил|ение|ения|ено)|"
                     # an infinitive told of in the past («было честью заключить соглашение»)
                     r"\b(?:был[оаи]?|удалось|довелось)\b[^.]{0,40}\b(?:заключить|подписать)\b|"
                     # work done under an agreement between two named parties
                     r"в рамках (?:\w+ )?(?:соглашени|договор|меморандум)\w*[^.]{0,80}?\bмежду\b",
                     re.IGNORECASE)
# Plans, recommendations and resolutions' imperatives are not signatures.
_PLANNED = re.compile(r"планир|будет подписан|предстоит|намерены подписать|инициир|рекоменд|"
                      r"предлож|необходимо|следует|разработк\w* и подписани|готовится|проект\w* соглашени",
                      re.IGNORECASE)
_AGREEMENT_KINDS = (
    ("memorandum", re.compile(r"меморандум\w*", re.IGNORECASE)),
    ("protocol", re.compile(r"протокол\w*", re.IGNORECASE)),
    ("agreement", re.compile(r"соглашени\w*|договор(?!ённост|енност)\w*", re.IGNORECASE)),
)


def is_online(place: str, title: str) -> bool:
    """True when the place cell (or, failing it, the title) says the event was remote;
    a mixed in-person and remote event is not online.

    >>> is_online("В дистанционном формате", "Конкурс")
    True
    >>> is_online("В очном (г. Смоленск) и дистанционном форматах", "Конкурс")
    False
    >>> is_online("г. Смоленск", "Онлайн-викторина «Беларусь»")
    True
    >>> is_online("г. Смоленск", "Заочный конкурс рисунков")
    True
    """
    for text in (place, title):
        if _ONLINE.search(text):
            return not _IN_PERSON.search(text)
    return False


def is_mixed(place: str, title: str) -> bool:
    """In person and remote at once («в очном и дистанционном форматах»).

    >>> is_mixed("В очном (г. Смоленск) и дистанционном форматах", ""), is_mixed("г. Орша", "")
    (True, False)
    """
    return any(_ONLINE.search(t) and _IN_PERSON.search(t) for t in (place, title))


def mentions_twinning(sentence: str) -> bool:
    """A sentence that states a twin-town relation (not an intention to establish one).

    >>> mentions_twinning("делегация из города-побратима Толочин")
    True
    >>> mentions_twinning("подписан меморандум о намерении установить побратимские связи")
    False
    >>> mentions_twinning("реализовывался проект «Побратимы истории»"), mentions_twinning("Смоленск и Орша станут городами-побратимами")
    (False, False)
    >>> mentions_twinning("В рамках Форума городов-побратимов Беларуси и России, который проходит в Бресте")
    False

    A page's hashtags are its topics, not a statement; a future is no relation yet:

    >>> mentions_twinning("#города_побратимы #Минск #Смоленск")
    False
    >>> mentions_twinning("«В будущем мы выйдем либо на сотрудничество, либо на побратимство»")
    False
    """
    plain = _without_titles(sentence)
    return bool(_TWIN.search(_TWIN_GATHERING.sub("", plain))) and not _INTENT.search(sentence)


def names_twins(sentence: str) -> bool:
    """The sentence speaks of twin towns (a noun), so its twins are the ones the text
    around it names («председатели собраний городов-побратимов»).

    >>> names_twins("председатели собраний городов-побратимов"), names_twins("Опыт побратимства безграничен")
    (True, False)
    """
    return bool(_TWIN_NOUN.search(_without_titles(sentence)))


_HASHTAG = re.compile(r"#[\w-]+")


def _without_titles(text: str) -> str:
    """The text with its quoted titles and hashtags blanked out («проект «Побратимы истории»»,
    «#города_побратимы»)."""
    text = _HASHTAG.sub(lambda m: " " * len(m.group(0)), text)
    out, depth = [], 0
    for char in text:
        depth += char == "«"
        out.append(" " if depth else char)
        depth -= char == "»" and depth > 0
    return "".join(out)


@dataclass(frozen=True)
class AgreementMention:
    kind: str  # "agreement" | "memorandum" | "protocol"
    start: int
    end: int
    text: str


def signed_agreements(sentence: str) -> list[AgreementMention]:
    """Agreements, memoranda and protocols a sentence says were signed or concluded.

    >>> [a.kind for a in signed_agreements("был подписан меморандум о намерении установить связи")]
    ['memorandum']
    >>> signed_agreements("Планируется подписать соглашение о сотрудничестве")
    []
    >>> signed_agreements("Инициировать разработку и подписание соглашений со СМИ")
    []
    >>> [a.kind for a in signed_agreements("церемония подписания Соглашения …, а также Соглашения о сотрудничестве")]
    ['agreement', 'agreement']
    """
    signed = _SIGNED.search(sentence)
    if not signed or _PLANNED.search(sentence):
        return []
    found = []
    for kind, pattern in _AGREEMENT_KINDS:
        for match in pattern.finditer(sentence):
            found.append(AgreementMention(kind, match.start(), match.end(), match.group(0)))
    return sorted(found, key=lambda a: a.start)
