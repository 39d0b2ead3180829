"""Entity linking on the language of the reports (small real excerpts)."""

from __future__ import annotations

import pytest

from borderkg.extract import Extractor
from borderkg.extract.record import to_gold_record
from borderkg.document import Document, TableRow
from borderkg.gazetteer import load_gazetteer
from borderkg.inflect import name_forms
from borderkg.link.index import build_index
from borderkg.link.municipality import resolve_municipality


def places_of(extractor, participants, place="г. Смоленск", name="Концерт",
              section="Город Смоленск"):
    blocks = [TableRow((section,)),
              TableRow(("1.", name, place, "1 мая 2025 года", "Дружба", participants)),
              TableRow(("2.", "-", "-", "-", "-", "-"))]
    document = Document("t.txt", "t.txt", "0", "Отчет во II квартале 2025 года", blocks)
    record = to_gold_record(extractor.extract(document)[0], extractor.gazetteer)
    return record


def names(record):
    return [p["name"] for p in record.by_places]


@pytest.mark.parametrize("text, expected", [
    ("делегация г. Кричева", ["Кричев"]),
    ("делегации Сенненского и Мстиславского районов", ["Сенненский район", "Мстиславский район"]),
    ("представители Климовичского районного исполнительного комитета", ["Климовичский район"]),
    ("ГУО «Детская школа искусств № 1 г. Витебска»", ["Витебск"]),
    ("ГУО «Могилевская детская школа искусств № 2»", ["Могилев"]),
    ("делегация Дубровенского района Витебской области Республики Беларусь", ["Дубровенский район"]),
    ("гости из Могилевской области Республики Беларусь", ["Могилевская область"]),
    ("Климовичского, Костюковичского, Кричевского районов Могилевской области",
     ["Климовичский район", "Костюковичский район", "Кричевский район"]),
    ("делегаций Мстиславльского района", ["Мстиславский район"]),
    # the head noun announced before a colon
    ("представители четырех приграничных районов: Кричевского, Климовичского, Шумячского и Рославльского",
     ["Кричевский район", "Климовичский район"]),
    ("коллектив г. Барани Оршанского района (Республика Беларусь)", ["Барань", "Оршанский район"]),
    ("возложение цветов в агрогородке Стасево Лиозненского района", ["Стасево", "Лиозненский район"]),
    ("Спортсмены из Смоленской области и Республики Беларусь", []),
    ("Поздравление Победы и мира", []),
])
def test_partner_places(extractor, text, expected):
    assert names(places_of(extractor, text)) == expected


def test_raion_and_oblast_of_a_town(extractor):
    record = places_of(extractor, "команды г. Мстиславля Могилевской области")
    assert record.by_places == [{"name": "Мстиславль", "kind": "town", "raion": "Мстиславский район",
                                 "oblast": "Могилевская область"}]
    assert record.countries == ["BY"] and record.by_country_mentioned


def test_minsk_is_its_own_unit(extractor):
    [minsk] = places_of(extractor, "делегация г. Минска").by_places
    assert minsk["raion"] is None and minsk["oblast"] == "Минск"


def test_russian_places_are_not_belarusian(extractor):
    record = places_of(extractor, "команды пос. Хиславичи, г. Починка Смоленской области")
    assert record.by_places == [] and record.countries == []


def test_new_settlement_is_marked_as_not_from_the_gazetteer(extractor):
    blocks = [TableRow(("Город Смоленск",)),
              TableRow(("1.", "Митинг", "г. Смоленск", "6 мая 2025 года",
                        "возложение цветов в агрогородке Заречное Лиозненского района", "Гости")),
              TableRow(("2.", "-", "-", "-", "-", "-"))]
    extraction = extractor.extract(Document("t.txt", "t.txt", "0", "Отчет 2025", blocks))[0]
    new = [partner.place for partner in extraction.partners if partner.place.name == "Заречное"]
    assert new and not new[0].in_gazetteer and new[0].raion_id == "by-liozna-raion"


def test_countries_named_or_implied(extractor):
    record = places_of(extractor, "Представители стран СНГ, Индии, Китая, Молдавии (Гагаузия), делегация г. Бхопала")
    assert record.countries == ["CN", "IN", "MD"]
    assert not record.by_country_mentioned


@pytest.mark.parametrize("header, expected", [
    ("Хиславичский район", "Хиславичский муниципальный округ"),
    ("Муниципальное образование «Хиславичский муниципальный округ» Смоленской области",
     "Хиславичский муниципальный округ"),
    ("Муниципальное образование «город Десногорск» Смоленской области", "город Десногорск"),
    ("Город Смоленск", "город Смоленск"),
    ("МО «Смоленский район» Смоленской области", "Смоленский муниципальный округ"),
    ("Темкинский район", "Тёмкинский муниципальный округ"),
])
def test_municipality_headers_before_and_after_the_renaming(header, expected):
    municipality = resolve_municipality(header, load_gazetteer())
    assert municipality is not None and municipality.name.replace("ё", "е") == expected.replace("ё", "е")


def test_every_raion_adjective_is_indexed():
    index = build_index()
    gazetteer = load_gazetteer()
    raions = gazetteer.by_kind("raion")
    assert len(raions) == 118
    for raion in raions:
        genitive = next(f for f in name_forms(raion.name) if f.endswith("района"))
        assert genitive.split()[0].lower().replace("ё", "е") in index.adjectives, raion.name


@pytest.mark.parametrize("text, expected", [
    # Горки: a Mogilev-oblast town, and a plural noun; a cue or a qualifier decides.
    ("студенты Белорусской сельскохозяйственной академии г. Горки", ["Горки"]),
    ("делегация из Горок Могилевской области", ["Горки"]),
    ("катание с горки и народные игры", []),
    # Красный is the centre of a Smolensk municipality, not a Belarusian place.
    ("творческие коллективы пос. Красный Смоленской области", []),
    # a village of a Smolensk district is not its Belarusian homonym
    ("фестиваль на берегу озера около деревни Волковичи Рославльского района", []),
    # «Московский район» is Minsk's only with Minsk named nearby.
    ("Московской районной организации г. Минска", ["Московский район", "Минск"]),
    ("делегация Московского района г. Смоленска", []),
])
def test_ambiguous_names_are_resolved_from_context(extractor, text, expected):
    assert names(places_of(extractor, text)) == expected


def test_smolensk_town_is_its_municipality_in_free_text(extractor):
    from borderkg.document import Paragraph

    document = Document("n.txt", "n.txt", "0", "Новости", [
        Paragraph("Наталья Шелегова (Сафоновский округ) и гости из г. Рудня выступили в Смоленске.")])
    record = to_gold_record(extractor.extract(document)[0], extractor.gazetteer)
    assert record.ru_municipalities == ["Руднянский муниципальный округ", "Сафоновский муниципальный округ",
                                        "город Смоленск"]
    assert record.by_places == []


def _linked_places(extractor, texts, persons):
    """Place names linked in ``texts`` when NER takes the words ``persons`` for people."""
    from borderkg.extract.linking import link_texts
    from borderkg.ner import EntityKind, EntityMention

    def tag(text):
        return [EntityMention(EntityKind.PER, text.index(p), text.index(p) + len(p), p, p) for p in persons if p in text]

    cells = link_texts([("paragraph", t) for t in texts], extractor.index, tag)
    return [link.place.name for cell in cells for link in cell.links if link.place is not None]


def test_a_town_taken_for_a_person_is_the_town_when_its_raion_is_named(extractor):
    headline = "Что связывает Чаусы и российский Десногорск?"
    lead = "Телемост с участием руководства Чаусского района и города Десногорск."
    assert "Чаусы" in _linked_places(extractor, [headline, lead], ["Чаусы"])
    assert "Чаусы" not in _linked_places(extractor, [headline, "Телемост с участием города Десногорск."], ["Чаусы"])
    # a name in a longer person's name stays the person's, even beside its raion
    text = "Выступила Лида Иванова из Лидского района."
    assert "Лида" not in _linked_places(extractor, [text], ["Лида Иванова"])


def test_a_town_taken_for_a_person_is_the_town_at_the_end_of_a_list_of_places(extractor):
    text = "В турнире приняли участие команды из Орши, Могилёва и Дубровно."
    assert _linked_places(extractor, [text], ["Дубровно"]) == ["Орша", "Могилев", "Дубровно"]
    # a person after a place is no place of the list («… из Лиозно и Лида Иванова»)
    assert "Лида" not in _linked_places(extractor, ["Выступили гости из Орши и Лида Иванова."], ["Лида Иванова"])


def test_a_town_whose_name_is_a_word_is_the_town_after_v_with_a_capital(extractor):
    assert "Городок" in _linked_places(extractor, ["В Городке состоялось закрытие Дня белорусской письменности."], [])
    assert "Городок" in _linked_places(extractor, ["Праздник прошел в Городке Витебской области."], [])
    assert not _linked_places(extractor, ["Праздник прошел в небольшом городке у реки."], [])
