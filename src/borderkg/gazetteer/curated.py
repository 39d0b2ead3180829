"""Small curated tables that no machine-readable source in
``data/gazetteer/sources`` provides. Every entry is a well-known fact
(official administrative centres, the Minsk city districts, Russian names of
villages whose sources only give a Belarusian form); the build checks each
one against the sources (e.g. a centre must exist among the settlements and
fall inside its raion's polygon).
"""

from __future__ import annotations

# ISO 3166-2 → (id, centre in Russian, GeoNames admin1 code, dr5hn state_code).
OBLASTS = {
    "BY-BR": ("by-brest-oblast", "Брест", "01", "BR"),
    "BY-VI": ("by-vitebsk-oblast", "Витебск", "07", "VI"),
    "BY-HO": ("by-gomel-oblast", "Гомель", "02", "HO"),
    "BY-HR": ("by-grodno-oblast", "Гродно", "03", "HR"),
    "BY-MA": ("by-mogilev-oblast", "Могилев", "06", "MA"),
    "BY-MI": ("by-minsk-oblast", "Минск", "05", "MI"),
}
MINSK = {"id": "by-minsk", "iso": "BY-HM", "name_ru": "Минск", "name_be": "Мінск",
         "admin1": "04", "state_code": "HM"}

# Keys: by_admin ids and GeoNames ids of settlements. dr5hn gives Minsk the QID
# Q21579751, which is not the city item (Minsk is Q2280); Pinsk's Q21579783 is
# from the same series of village items, so it is blanked rather than trusted.
WIKIDATA_OVERRIDES = {"by-minsk": "Q2280", "625144": "Q2280", "623549": ""}

# Minsk city districts: (Russian, Belarusian, GeoNames admin2 English name).
MINSK_DISTRICTS = [
    ("Заводской район", "Заводскі раён", "Zavodski Rayon"),
    ("Ленинский район", "Ленінскі раён", "Lyeninski Rayon"),
    ("Московский район", "Маскоўскі раён", "Maskowski Rayon"),
    ("Октябрьский район", "Кастрычніцкі раён", "Kastrychnitski Rayon"),
    ("Партизанский район", "Партызанскі раён", "Partyzanski Rayon"),
    ("Первомайский район", "Першамайскі раён", "Pyershamayski Rayon"),
    ("Советский район", "Савецкі раён", "Savyetski Rayon"),
    ("Фрунзенский район", "Фрунзенскі раён", "Frunzyenski Rayon"),
    ("Центральный район", "Цэнтральны раён", "Tsentral’ny Rayon"),
]

# GeoNames admin2 rows that are not current raions.
EXCLUDED_GEONAMES_ADMIN2 = {
    "828879": "Uvarovichskiy Rayon: abolished (merged into Buda-Koshelyovo raion)",
    "829413": "Molodechnenskij Rajon: duplicate of 625025 Maladzyechanski Rayon",
}

# Raion (Russian adjective, ё folded) → administrative centre (Russian nominative).
RAION_CENTRES = {
    # Brest oblast
    "Барановичский": "Барановичи", "Березовский": "Береза", "Брестский": "Брест",
    "Ганцевичский": "Ганцевичи", "Дрогичинский": "Дрогичин", "Жабинковский": "Жабинка",
    "Ивановский": "Иваново", "Ивацевичский": "Ивацевичи", "Каменецкий": "Каменец",
    "Кобринский": "Кобрин", "Лунинецкий": "Лунинец", "Ляховичский": "Ляховичи",
    "Малоритский": "Малорита", "Пинский": "Пинск", "Пружанский": "Пружаны",
    "Столинский": "Столин",
    # Vitebsk oblast
    "Бешенковичский": "Бешенковичи", "Браславский": "Браслав",
    "Верхнедвинский": "Верхнедвинск", "Витебский": "Витебск", "Глубокский": "Глубокое",
    "Городокский": "Городок", "Докшицкий": "Докшицы", "Дубровенский": "Дубровно",
    "Лепельский": "Лепель", "Лиозненский": "Лиозно", "Миорский": "Миоры",
    "Оршанский": "Орша", "Полоцкий": "Полоцк", "Поставский": "Поставы",
    "Россонский": "Россоны", "Сенненский": "Сенно", "Толочинский": "Толочин",
    "Ушачский": "Ушачи", "Чашникский": "Чашники", "Шарковщинский": "Шарковщина",
    "Шумилинский": "Шумилино",
    # Gomel oblast
    "Брагинский": "Брагин", "Буда-Кошелевский": "Буда-Кошелево", "Ветковский": "Ветка",
    "Гомельский": "Гомель", "Добрушский": "Добруш", "Ельский": "Ельск",
    "Житковичский": "Житковичи", "Жлобинский": "Жлобин", "Калинковичский": "Калинковичи",
    "Кормянский": "Корма", "Лельчицкий": "Лельчицы", "Лоевский": "Лоев",
    "Мозырский": "Мозырь", "Наровлянский": "Наровля", "Октябрьский": "Октябрьский",
    "Петриковский": "Петриков", "Речицкий": "Речица", "Рогачевский": "Рогачев",
    "Светлогорский": "Светлогорск", "Хойникский": "Хойники", "Чечерский": "Чечерск",
    # Grodno oblast
    "Берестовицкий": "Большая Берестовица", "Волковысский": "Волковыск",
    "Вороновский": "Вороново", "Гродненский": "Гродно", "Дятловский": "Дятлово",
    "Зельвенский": "Зельва", "Ивьевский": "Ивье", "Кореличский": "Кореличи",
    "Лидский": "Лида", "Мостовский": "Мосты", "Новогрудский": "Новогрудок",
    "Островецкий": "Островец", "Ошмянский": "Ошмяны", "Свислочский": "Свислочь",
    "Слонимский": "Слоним", "Сморгонский": "Сморгонь", "Щучинский": "Щучин",
    # Mogilev oblast
    "Белыничский": "Белыничи", "Бобруйский": "Бобруйск", "Быховский": "Быхов",
    "Глусский": "Глуск", "Горецкий": "Горки", "Дрибинский": "Дрибин",
    "Кировский": "Кировск", "Климовичский": "Климовичи", "Кличевский": "Кличев",
    "Костюковичский": "Костюковичи", "Краснопольский": "Краснополье",
    "Круглянский": "Круглое", "Кричевский": "Кричев", "Могилевский": "Могилев",
    "Мстиславский": "Мстиславль", "Осиповичский": "Осиповичи",
    "Славгородский": "Славгород", "Хотимский": "Хотимск", "Чаусский": "Чаусы",
    "Чериковский": "Чериков", "Шкловский": "Шклов",
    # Minsk oblast
    "Березинский": "Березино", "Борисовский": "Борисов", "Вилейский": "Вилейка",
    "Воложинский": "Воложин", "Дзержинский": "Дзержинск", "Клецкий": "Клецк",
    "Копыльский": "Копыль", "Крупский": "Крупки", "Логойский": "Логойск",
    "Любанский": "Любань", "Минский": "Минск", "Молодечненский": "Молодечно",
    "Мядельский": "Мядель", "Несвижский": "Несвиж", "Пуховичский": "Марьина Горка",
    "Слуцкий": "Слуцк", "Смолевичский": "Смолевичи", "Солигорский": "Солигорск",
    "Стародорожский": "Старые Дороги", "Столбцовский": "Столбцы", "Узденский": "Узда",
    "Червенский": "Червень",
}
# Raions whose centre is a separate unit outside the raion's own territory
# (Minsk is a city of republican subordination): their polygon is the one left
# after all others are labelled from their centres.
CENTRE_OUTSIDE = {"Минский"}

# GeoNames id → Russian name, where GeoNames has no Russian form (only the
# Belarusian one) or the heuristic picks a wrong one. Standard Russian forms.
NAME_RU_OVERRIDES = {
    "620945": "Телеханы",
    "629829": "Большой Тростенец",
    "8019860": "Привольный",
    "621543": "Станьково",
    "8019799": "Щомыслица",
    "629663": "Турец-Бояры",
    "622279": "Семково",
    "8256205": "Усяж",
    "8247406": "Лесковка",
    "622406": "Сорочи",
    "625853": "Луговая Слобода",
    "624612": "Насилово",
    "8019846": "Атолино",
    "7931605": "Натальевск",
    "8072166": "Вишневец",
    "619462": "Заболотье",
    "620096": "Валевачи",
    "814990": "Рясно",
    "8019803": "Юбилейный",
    "8020001": "Свислочь",
    "8020004": "Дружный",
}

# GeoNames alternate names that pass the Russian-spelling filter but are typos,
# Ukrainian/Belarusian hybrids or common words («Победа»), so no alt name.
ALT_NAMES_DROP = {"Красноролье", "Стовпци", "Мсцислав", "Сонечный", "Перемога", "Победа"}

# GeoNames id → Belarusian name where the only GeoNames form is a typo.
NAME_BE_OVERRIDES = {
    "624034": "Асіповічы",   # GeoNames: «Асіпоповічы»; dr5hn native: «Асіповічы»
    "814990": "Расна",       # only in the GeoNames name field «Ryasno, Рясно, Расна»
}
