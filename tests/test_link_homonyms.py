"""Linking with the full census gazetteer: homonyms, villages that need evidence, ordinary
words, lands («Дубровенщина») and bodies («райисполком»). Small real excerpts of news items
and reports; the linker alone (no NER), so these run fast."""

from __future__ import annotations

import pytest

from borderkg.link.index import build_index
from borderkg.link.mentions import Mention, find_mentions
from borderkg.link.resolve import link_confidence, resolve


@pytest.fixture(scope="module")
def index():
    return build_index()


def links(text, index, context=""):
    return {l.mention.text: l for l in resolve(find_mentions(text, index), text, index, context or text)}


def ids(text, index, context=""):
    return {m: l.target.id for m, l in links(text, index, context).items()}


def test_minsk_district_is_its_own_place(index):
    found = ids("делегация администрации Московского района города Минска", index)
    assert found["Московского"] == "by-minsk-moskovsky"


@pytest.mark.parametrize("text, mention, expected", [
    # A Smolensk town that is also a Belarusian village: «города» announces the town.
    ("Города Вязьма и Бобруйск стали побратимами", "Вязьма", "vyazemsky"),
    ("Все самое лучшее от приграничных регионов Беларуси и России: Лиозно - Рудня, Верхнедвинск - Себеж",
     "Рудня", "rudnyansky"),
])
def test_russian_town_is_not_a_belarusian_village(index, text, mention, expected):
    assert ids(text, index)[mention] == expected


@pytest.mark.parametrize("text, word", [
    ("Дружба между народами Беларуси и России крепнет с каждым годом", "Дружба"),
    ("Победа наших спортсменов в Беларуси", "Победа"),
    ("народный коллектив Адаменки выступил в Смоленске", "Адаменки"),
])
def test_a_village_needs_evidence(index, text, word):
    assert word not in ids(text, index)


def test_a_cue_or_the_raion_is_evidence_for_a_village(index):
    assert ids("коллектив «Медуніца» из агрогородка Адаменки", index)["Адаменки"] == "by-s-adamenki"
    text = "коллектив из Адаменки выступил"
    found = links(text, index, context=text + "\nзаместитель председателя Лиозненского района")
    assert not found  # the raion named elsewhere is only counted when the extractor passes it
    found = resolve(find_mentions(text, index), text, index, text, {"by-liozna-raion"})
    [link] = [l for l in found if l.mention.text == "Адаменки"]
    assert link.target.id == "by-s-adamenki" and link.confidence <= 0.75


@pytest.mark.parametrize("text, mention, expected", [
    ("народный театральный коллектив г. Барани Оршанского района", "Барани", "by-s-baran"),
    ("ДШИ г. Минска, г. Новополоцка, г. Гомеля, г. Молодечно, г. Полоцка", "Гомеля", "by-s-gomel"),
    ("мастера из г. Городок, г. Лиозно, г. Могилева", "Городок", "by-s-gorodok"),
    ("студенты из г. Новки (Республика Беларусь)", "Новки", "by-s-novka"),
])
def test_homonyms_are_decided_by_cue_context_and_size(index, text, mention, expected):
    assert ids(text, index)[mention] == expected


def test_the_raion_decides_between_homonym_villages(index):
    text = "ансамбль из д. Барань Борисовского района"
    assert ids(text, index)["Барань"] == "by-s-baran-barysau"


@pytest.mark.parametrize("text, mention, expected", [
    ("Делегация Краснинского района посетила Дубровенщину", "Дубровенщину", "by-dubrouna-raion"),
    ("ремесленники из восемнадцати районов Могилевщины и Смоленщины", "Могилевщины", "by-mogilev-oblast"),
    ("между администрацией и Дубровенским райисполкомом", "Дубровенским", "by-dubrouna-raion"),
    ("заместитель председателя Лиозненского райисполкома", "Лиозненского", "by-liozna-raion"),
])
def test_lands_and_executive_committees_name_their_unit(index, text, mention, expected):
    assert ids(text, index)[mention] == expected


def test_town_with_an_ordinary_name_in_a_list_of_places(index):
    text = "Лиозно - Рудня, Верхнедвинск - Себеж, Россоны - Невель, Городок - Усвяты, Дубровно - Красный."
    found = links(text, index)
    assert found["Городок"].target.id == "by-s-gorodok" and found["Городок"].confidence <= 0.7
    assert "Городок" not in ids("Уютный Городок у реки ждёт гостей", index)


def test_confidence_falls_with_weaker_choices():
    bare = Mention(0, 5, "Новка", [], rule="name")
    cued = Mention(0, 5, "Новка", [], rule="name", cue="village")
    assert link_confidence(cued) == 1.0 > link_confidence(bare) == 0.9
    assert link_confidence(cued, 3, "context") > link_confidence(cued, 3, "partners") \
        > link_confidence(cued, 3, "prior")
    assert link_confidence(bare, evidence="raion") <= 0.75
    assert link_confidence(Mention(0, 5, "Новка", [], rule="new-settlement")) < 0.7


def test_an_oblast_named_elsewhere_does_not_make_a_village_of_a_russian_town(index):
    text = "Города Вязьма и Бобруйск стали побратимами"
    found = resolve(find_mentions(text, index), text, index, text, {"by-mogilev-oblast"})
    assert {l.mention.text: l.target.id for l in found}["Вязьма"] == "vyazemsky"


@pytest.mark.parametrize("text, mention, expected", [
    ("ГУО «Мачулищанская ДШИ» (Минский район, Республика Беларусь)", "Мачулищанская", "by-s-machulishchi"),
    ("народный коллектив Ходосовского СДК Мстиславского района", "Ходосовского", "by-s-khodosy"),
])
def test_an_institution_named_after_a_settlement_names_it_with_its_raion(index, text, mention, expected):
    found = links(text, index)
    assert found[mention].target.id == expected and found[mention].confidence <= 0.75


def test_an_institution_adjective_without_its_raion_is_not_a_place(index):
    assert "Мачулищанская" not in ids("ГУО «Мачулищанская ДШИ» приняла гостей", index)


def test_a_small_urban_settlement_needs_evidence_too(index):
    # Зеленый Бор is an urban settlement of 1,142 people (Смолевичский район).
    assert "Зеленого Бора" not in ids("Молодежь Сосновки и Зеленого Бора собралась в клубе.", index)
    assert ids("гости из г.п. Зеленый Бор Смолевичского района", index)["Зеленый Бор"] == "by-s-zeleny-bor"


def test_a_town_with_an_ordinary_name_after_and_in_a_list(index):
    text = "На Смоленщине прошел праздник, съехались гости из Дубровно, Лиозно и Горок."
    assert ids(text, index)["Горок"] == "by-s-gorki"
