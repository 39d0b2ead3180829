"""Organisations, twin links, agreements and municipalities read from prose (issue 13)."""

from __future__ import annotations

from borderkg.document import Document, Paragraph
from borderkg.extract.model import Agreement
from borderkg.extract.orgs import Organisation


def _news(extractor, *paragraphs: str):
    doc = Document("n.txt", "n.txt", "0", paragraphs[0], [Paragraph(p) for p in paragraphs])
    return extractor.extract(doc)[0]


def _sides(agreement: Agreement) -> set[str]:
    return {getattr(p.entity, "id", None) or p.entity.name for p in agreement.parties}


def test_a_minsk_district_is_the_twin_not_minsk(extractor):
    event = _news(extractor, "Смоленск и Московский район города Минска стали побратимами.")
    assert [(t.municipality.id, t.place.id) for t in event.twins] == [("smolensk", "by-minsk-moskovsky")]


def test_planned_twinning_and_a_forum_of_twin_towns_are_no_twin_link(extractor):
    event = _news(extractor, "Смоленск и Орша станут городами-побратимами.",
                  "В рамках Форума городов-побратимов Беларуси и России, который проходит в Бресте, "
                  "запланировано подписание соглашения между Смоленском и Оршанским районом.")
    assert event.twins == () and event.agreements == ()


def test_hashtags_and_a_future_are_no_twin_link(extractor):
    event = _news(extractor, "Смоленск будет сотрудничать с Московским районом Минска",
                  "«В будущем мы выйдем либо на сотрудничество с Московским районом, либо на побратимство», "
                  "— отметил глава Смоленска.", "#города_побратимы #Минск #Смоленск")
    assert event.twins == ()


def test_a_belarusian_party_alone_signed_with_the_texts_municipality(extractor):
    event = _news(extractor, "Смоленск будет сотрудничать с Московским районом Минска",
                  "В ходе визита смоленской делегации в Беларусь был подписан протокол о намерениях "
                  "с Московским районом Минска.", "Фото Администрации города Смоленска")
    assert [(a.kind, _sides(a)) for a in event.agreements] == [("protocol", {"by-minsk-moskovsky", "smolensk"})]
    # a party the gazetteer does not know is the other side, not the text's municipality
    event = _news(extractor, "Смоленск", "Себежский муниципальный округ и Миорский район подписали соглашение.",
                  "Смоленск, Смоленск.")
    assert event.agreements == ()


def test_a_headlines_signing_is_the_agreement_the_text_states_and_an_oblast_after_a_body_qualifies_it(extractor):
    event = _news(extractor, "Подписание Соглашения о сотрудничестве",
                  "Делегация Гродненской области в составе Сморгонского и Волковысского районов посетила г. Вязьму.",
                  "Во время форума было подписано Соглашение о сотрудничестве между Сморгонским районным "
                  "исполнительным комитетом Гродненской области Республики Беларусь и муниципальным "
                  "образованием «Вяземский район» Смоленской области Российской Федерации.")
    [agreement] = event.agreements
    assert [p.name for p in agreement.parties] == ["Сморгонский районный исполнительный комитет", "Вяземский район"]


def test_twin_sides_come_from_the_next_sentence_and_the_year_it_was_established(extractor):
    event = _news(extractor, "Подписи поставили председатели собраний городов-побратимов.",
                  "Смоленск и Витебск — побратимы с 2009 года.")
    assert [(t.municipality.id, t.place.id) for t in event.twins] == [("smolensk", "by-s-vitebsk")]
    assert event.twins[0].established_on.start_iso() == "2009"


def test_an_agreement_between_two_councils_has_both_as_parties(extractor):
    event = _news(extractor, "Сегодня состоялось подписание соглашения о сотрудничестве между "
                             "Смоленским и Витебским городскими Советами депутатов.")
    [agreement] = event.agreements
    assert [p.name for p in agreement.parties] == ["Смоленский городской Совет депутатов",
                                                   "Витебский городской Совет депутатов"]
    assert [p.entity.country for p in agreement.parties] == ["RU", "BY"]


def test_an_agreement_takes_its_unsaid_sides_from_the_sentence_before(extractor):
    event = _news(extractor, "Смоленск и Московский район города Минска стали побратимами.",
                  "Подписание соглашения состоялось в рамках празднования дня города.")
    [agreement] = event.agreements
    assert _sides(agreement) == {"smolensk", "by-minsk-moskovsky"}


def test_an_agreement_with_one_party_before_it_and_one_after(extractor):
    event = _news(extractor, "Администрация Смоленска подписала протокол о намерениях с Московским районом Минска.")
    [agreement] = event.agreements
    assert (agreement.kind, [p.name for p in agreement.parties]) == ("protocol", ["Смоленск", "Московский район"])


def test_an_agreement_with_a_party_of_another_region_is_not_stored(extractor):
    event = _news(extractor, "Себежский муниципальный округ и Миорский район подписали соглашение о сотрудничестве.",
                  "Брянская и Гомельская области заключили договор.")
    assert event.agreements == ()


def test_an_agreement_of_smolensk_oblast_takes_no_municipality_for_its_side(extractor):
    # the graph holds no entity for the oblast: no municipality or town named nearby stands in
    event = _news(extractor, "Две Руси – две сестры",
                  "Фестиваль «Две Руси – две сестры», прошедший 10 декабря в поселке Хиславичи, стал результатом "
                  "многолетнего партнерства. Десногорскую делегацию возглавил глава города.",
                  "В 2006 году в рамках форума «Культурный диалог» в городе Мстиславль Республики Беларусь был "
                  "подписан договор о долгосрочном сотрудничестве в сфере культуры между Смоленской и Могилевской "
                  "областями.")
    assert event.agreements == ()


def test_an_agreement_concluded_in_the_past_with_its_date(extractor):
    event = _news(extractor, "Для меня было честью заключить в октябре 2019 года соглашение о сотрудничестве "
                             "между Могилёвским районом Могилёвской области и Смоленским районом.")
    [agreement] = event.agreements
    assert [p.name for p in agreement.parties] == ["Могилевский район", "Смоленский район"]
    assert agreement.signed_on.start_iso() == "2019-10"


def test_bodies_named_without_their_raion_take_the_raion_named_before(extractor):
    event = _news(extractor, "Делегация Миорского района посетила Себеж. В ее составе председатель райисполкома "
                             "и председатель районного Совета депутатов.")
    names = {(o.name, o.country) for o in event.organisations}
    assert ("Миорский райисполком", "BY") in names
    assert ("Миорский районный Совет депутатов", "BY") in names

    # the raion named right after the body is its own, whatever was named before
    event = _news(extractor, "Гости приехали в Могилев. Договор подписал председатель райисполкома "
                             "Шарковщинского района Витебской области.")
    assert [o.name for o in event.organisations if o.country == "BY"] == ["Шарковщинский райисполком"]


def test_organisations_are_whole_names_not_fragments_events_or_venues(extractor):
    event = _news(extractor, "Представители Хиславичского окружного Совета депутатов, Славгородского районного "
                             "исполнительного комитета (Республика Беларусь). Обучающиеся средней школы № 46 "
                             "г. Витебска им. И.Х. Баграмяна приняли участие во Всероссийской акции «Вахта Памяти» "
                             "и в концерте в Государственном Кремлевском Дворце.")
    assert {o.name: o.country for o in event.organisations} == {
        "Хиславичский окружный Совет депутатов": "RU",
        "Славгородский районный исполнительный комитет": "BY",
        "средняя школа № 46 г. Витебска им. И.Х. Баграмяна": "BY"}


def test_an_institution_named_by_its_places_adjective_and_an_abbreviation(extractor):
    event = _news(extractor, "Оксана Малацион, заместитель главврача Лиозненской ЦРБ, рассказала о программах. "
                             "Выступили учащиеся Руднянской ДШИ.")
    assert {o.name: o.country for o in event.organisations} == {"Лиозненская ЦРБ": "BY", "Руднянская ДШИ": "RU"}


def test_belarusian_institutions_in_lower_case_with_their_raion_or_a_compound_name(extractor):
    event = _news(extractor, "Концерт подготовили работники Централизованной клубной системы Хотимского района. "
                             "Артисты районного центра культуры г. Кричева приняли участие в фестивале.")
    assert {o.name for o in event.organisations if o.country == "BY"} == {
        "Централизованная клубная система Хотимского района", "Кричевский районный центр культуры"}
    event = _news(extractor, "В гостиной приняли участие творческие коллективы Дворца культуры области г. Могилева.")
    assert {o.name: o.country for o in event.organisations}.get("Дворец культуры области г. Могилева") == "BY"
    event = _news(extractor, "Состоятся показы кинофильмов Национальной киностудии «Беларусьфильм».",
                  "Свежие новости Беларуси")
    assert {o.name: o.country for o in event.organisations}.get("Национальная киностудия «Беларусьфильм»") == "BY"
    assert "Свежие новости Беларуси" not in {o.name for o in event.organisations if o.country == "BY"}


def test_one_organisation_across_cases_and_spellings(extractor):
    one = Organisation("Могилёвского городского исполнительного комитета", "executive_committee", "BY",
                       None, "paragraph", 0, 10)
    other = Organisation("Могилевский городской исполнительный комитет", "executive_committee", "BY",
                         None, "paragraph", 0, 10)
    assert one.key == other.key


def test_the_administration_of_a_belarusian_raion_is_its_executive_committee(extractor):
    # A Russian text calls the райисполком by the Russian body's name: one organisation, shown
    # by its own name; the agreement keeps the names as written. Smolensk's администрация stays.
    event = _news(extractor, "Между администрациями Дубровенского и Краснинского районов заключен договор о "
                             "сотрудничестве.", "Проект поддержал Дубровенский райисполком.")
    belarusian = [o for o in event.organisations if o.country == "BY"]
    assert [o.name for o in belarusian] == ["Дубровенский райисполком"]
    assert belarusian[0].body == "Дубровенский районный исполнительный комитет"
    [agreement] = event.agreements
    assert [p.name for p in agreement.parties] == ["администрация Дубровенского района",
                                                   "администрация Краснинского района"]
    assert agreement.parties[0].entity is belarusian[0]
    assert agreement.parties[1].entity.body == "администрация Краснинского района"
    minsk = Organisation("администрация Московского района г. Минска", "administration", "BY", None, "paragraph", 0, 9)
    assert minsk.body == "администрация Московского района Минска" and not minsk.is_alias


def test_a_country_from_a_raion_adjective_in_the_name(extractor):
    event = _news(extractor, "Гости посетили Лиозненский военно-исторический музей и Белорусский государственный "
                             "аграрный технический университет.")
    assert {o.name: o.country for o in event.organisations} == {
        "Лиозненский военно-исторический музей": "BY",
        "Белорусский государственный аграрный технический университет": "BY"}


def test_municipalities_named_by_adjective_alone(extractor):
    event = _news(extractor, "Шумячское «Порубежье» собрало ершичские коллективы.",
                  "Пары приграничья: Лиозно - Рудня, Дубровно - Красный.")
    assert {m.id for m in event.ru_municipalities} == {"shumyachsky", "ershichsky", "rudnyansky", "krasninsky"}


def test_no_main_municipality_when_several_are_named_equally(extractor):
    event = _news(extractor, "Мстиславский район строит отношения с Монастырщинским, Хиславичским и "
                             "Шумячским районами Смоленской области.")
    assert event.municipality is None and len(event.ru_municipalities) == 3


def test_of_municipalities_named_equally_the_main_one_is_where_the_event_was(extractor):
    event = _news(extractor, "Новости", "Сегодня на стадионе г. Починка состоялось открытие турнира по футболу. "
                                        "Участниками турнира стали команды из Смоленска и Витебска.")
    assert event.municipality.id == "pochinkovsky"


def test_a_page_stamp_is_not_the_event_date_and_the_lead_tells_the_format(extractor):
    event = _news(extractor, "https://example.by/news/1", "Воскресенье, 24 ноября 2024",
                  "Дружба и сотрудничество", "Телемост с участием руководства Чаусского района и города Десногорск.")
    assert event.dates is None and event.online


def test_a_date_alone_on_its_line_is_a_stamp_the_text_dates_the_event(extractor):
    event = _news(extractor, "Подписание Соглашения о сотрудничестве", "13 октября 2022 г.",
                  "10-12 октября 2022 года делегация Сморгонского района посетила г. Вязьму.")
    assert (event.dates.start_iso(), event.dates.end_iso()) == ("2022-10-10", "2022-10-12")
    assert _news(extractor, "Фестиваль", "5 Ноября 2013", "В Хиславичах прошел фестиваль.").dates is None


def test_a_news_venue_is_where_the_text_says_it_happened(extractor):
    event = _news(extractor, "День единения Беларуси и России",
                  "Делегация Руднянского района приняла участие в празднике в г.п. Лиозно.")
    assert event.venue.name == "Лиозно"  # not «Беларусь», the first place the headline names
    online = _news(extractor, "Телемост Чаусы — Десногорск", "Телемост прошел в Чаусах.")
    assert online.venue is None


def test_a_pages_navigation_trail_is_no_organisation(extractor):
    event = _news(extractor, "Главная Новости и события Новости Побратимы Шарковщины - ответный визит",
                  "Делегация Шарковщинского района побывала в Смоленске.")
    assert not [o.name for o in event.organisations if o.name.startswith("Главная")]


def test_a_sports_club_or_team_with_a_title(extractor):
    event = _news(extractor, "В турнире сыграли белорусская команда «БАТЭ» и московская команда «Локомотив». "
                             "Организаторами выступили футбольный клуб «Орша» и отдел спорта.")
    named = {o.name: o.country for o in event.organisations}
    assert named.get("белорусская команда «БАТЭ»") == "BY" and named.get("футбольный клуб «Орша»") == "BY"
    assert named.get("московская команда «Локомотив»") != "BY"


def test_a_sports_school_by_its_abbreviation_and_number(extractor):
    event = _news(extractor, "Приз разыгран в споре брянской «Смены» и витебской СДЮШОР-6. "
                             "Участвуют сборная ДЮСШ №2 из города Борисова и ДЮСШ №3 из Орла.")
    named = {o.name: o.country for o in event.organisations}
    assert named.get("витебская СДЮШОР-6") == "BY" and named.get("ДЮСШ №2") == "BY"
    assert named.get("ДЮСШ №3") != "BY"


def test_a_quoted_title_from_a_named_town_is_that_towns(extractor):
    event = _news(extractor, "В этом году на поле встретятся «Локомотив» из Москвы, «БАТЭ» из города Борисова "
                             "(Республика Беларусь) и «Искра» из города Смоленска.")
    named = {o.name: o.country for o in event.organisations}
    assert named.get("«БАТЭ»") == "BY" and named.get("«Искра»") != "BY"


def test_the_twins_of_a_place_are_not_the_texts_municipality(extractor):
    event = _news(extractor, "Побратимы Шарковщины - ответный визит",
                  "Делегация исполкома Шарковщинского района совершила рабочую поездку в Смоленск.")
    assert event.twins == ()
    event = _news(extractor, "В Смоленск прибыла делегация из города-побратима Орши.")
    assert [(t.municipality.id, t.place.name) for t in event.twins] == [("smolensk", "Орша")]
