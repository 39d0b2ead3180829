"""Name handling for the gazetteer: transliteration to ASCII slugs and
choosing the Russian / Belarusian form among mixed Cyrillic alternate names.

GeoNames alternate names mix Russian, Belarusian, Ukrainian, Serbian and
Bulgarian spellings without a language tag, so the choice is heuristic:
letters that do not exist in Russian exclude a form outright, and
Belarusian/Ukrainian spelling habits (akanye «а» for unstressed «о», «я» for
«е», «чы/шы/жы», «шч», «э» inside a word, geminated «-сце/-лле», «ьо»,
«-цьк») add penalties. See ``belarusian_penalty``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

RU_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}

# Belarusian national romanisation (2007) folded to ASCII digraphs; iotated
# vowels are "i"+vowel after a consonant and "j"+vowel elsewhere (Лёзна → liozna).
BE_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "ж": "zh",
    "з": "z", "і": "i", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ы": "y", "ь": "", "ъ": "", "э": "e",
}
BE_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}

# BGN/PCGN-style romanisations, only used to compare with GeoNames' English names.
BGN_BE = dict(BE_TO_LAT, **{"е": "ye", "ё": "yo", "ю": "yu", "я": "ya", "й": "y", "ў": "w"})
BGN_RU = dict(RU_TO_LAT, **{"е": "ye", "ё": "yo"})

RUSSIAN_LETTERS = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
BELARUSIAN_ONLY = set("іў")
FOREIGN_CYRILLIC = set("їєґјљњћђѣәөүңқһ")
# Latin letters that GeoNames contributors typed instead of Cyrillic look-alikes.
LOOKALIKES = str.maketrans("aeopcxyiëAEOPCXHKMBT", "аеорсхуіёАЕОРСХНКМВТ")
# Status words that GeoNames sometimes glues to the name ("Горад Жодзіна").
STATUS_PREFIXES = {
    "гарадскі пасёлак ": "urban_settlement", "городской поселок ": "urban_settlement",
    "аграгарадок ": "agrotown", "агрогородок ": "agrotown",
    "горад ": "city", "город ": "city", "посёлок ": "", "поселок ": "",
}


def fold_yo(text: str) -> str:
    """Replace ё by е (the project's name_ru convention; matchers fold too)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def _slugify(words: str) -> str:
    """Collapse non-alphanumerics to single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


def translit_ru(text: str) -> str:
    """ASCII slug of a Russian name (-ий/-ый → -y: «Хиславичский» → khislavichsky)."""
    text = re.sub(r"[иы]й\b", "ы", text.lower())
    return _slugify("".join(RU_TO_LAT.get(ch, ch) for ch in text))


def translit_be(text: str) -> str:
    """ASCII slug of a Belarusian name («Лёзна» → liozna, «Віцебск» → vitsiebsk)."""
    out, prev = [], " "
    for ch in text.lower().replace("’", "").replace("'", ""):
        if ch in BE_IOTATED:
            after_consonant = prev in BE_TO_LAT and prev not in "аоуэыіиьъ'’"
            out.append(("i" if after_consonant else "j") + BE_IOTATED[ch])
        else:
            out.append(BE_TO_LAT.get(ch, ch))
        prev = ch
    return _slugify("".join(out))


def bgn_key(text: str, table: dict[str, str]) -> str:
    """Lower-case letters-only romanisation for fuzzy comparison with GeoNames."""
    latin = "".join(table.get(ch, ch) for ch in text.lower())
    return re.sub(r"[^a-z]", "", latin)


def similarity(a: str, b: str) -> float:
    """difflib ratio of two strings (0..1)."""
    return difflib.SequenceMatcher(None, a, b).ratio()


def clean_form(raw: str) -> tuple[str, str] | None:
    """Normalise one alternate name → (form, status hint), or None if unusable.

    Drops stress marks and status prefixes (their kind is returned as the
    hint), maps Latin look-alike letters to Cyrillic and rejects anything
    still containing Latin letters.
    """
    text = unicodedata.normalize("NFC", raw.replace("\u0301", "").replace("´", ""))
    text = " ".join(text.split())
    if not re.search(r"[\u0400-\u04ff]", text):
        return None
    text = text.translate(LOOKALIKES)
    hint = ""
    for prefix, kind in STATUS_PREFIXES.items():
        if text.lower().startswith(prefix):
            text, hint = text[len(prefix):], kind
            break
    if not text or re.search(r"[A-Za-z]", text):
        return None
    return text[0].upper() + text[1:], hint


def is_russian_spelling(form: str) -> bool:
    """True if every letter belongs to the Russian alphabet, no word starts in
    lower case (rules out glosses like «Минск ош») and there is no «ъ»
    (only old/Church Slavonic forms like «Полотьскъ» have it here)."""
    letters = [c for c in form.lower() if c.isalpha()]
    if not letters or "ъ" in letters or not all(c in RUSSIAN_LETTERS for c in letters):
        return False
    words = re.split(r"[\s-]+", form)
    return all(w[:1].isupper() or w in ("на", "под") or w.isdigit() for w in words if w)


def is_belarusian_spelling(form: str) -> bool:
    """True if the form can be Belarusian: no и/щ/ъ and no foreign letters."""
    low = form.lower()
    letters = [c for c in low if c.isalpha()]
    if not letters or set(low) & (FOREIGN_CYRILLIC | set("ищъ")):
        return False
    return all(c in RUSSIAN_LETTERS | BELARUSIAN_ONLY for c in letters)


def belarusian_penalty(form: str) -> float:
    """Heuristic score of Belarusian/Ukrainian spelling habits (lower = more Russian)."""
    low = form.lower()
    score = 3.0 * len(re.findall(r"[чшжщ]ы", low)) + 3.0 * low.count("шч")
    score += 2.0 * len(re.findall(r"(?<=[^\s-])э", low))
    score += 2.0 * len(re.findall(r"([бвгджзклмнпрстфхцчш])\1[еая]\b", low))
    score += 2.0 * low.count("дз") + 2.0 * low.count("ьо")
    score += 2.0 * len(re.findall(r"(?:цьк|ськ|ець)\b", low))
    score += 1.0 * len(re.findall(r"[чшжщ]ов", low))  # Рогачов/Домачово for Рогачёв/Домачёво
    # Akanye: Belarusian writes «а» where Russian has unstressed «о».
    score += 0.5 * (low.count("а") - low.count("о")) + 0.5 * low.count("я")
    # Ukrainian/Serbian spell Russian «ы» as «и»; small preference for «ы».
    return score - 0.25 * low.count("ы")


def choose_russian(forms: list[str], exclude: set[str], prefer: str | None) -> str | None:
    """Pick the Russian name among cleaned Cyrillic forms.

    ``prefer`` is a second source's (machine-made) Russian name: it wins when
    it agrees with one of the forms, unless the heuristic finds a spelling
    variant of it (similar string) with clearly fewer Belarusian features
    (penalty lower by 1 or more: «Кореличи» over «Кареличи»).
    ``exclude`` holds forms known to be Belarusian/Ukrainian; they are only
    dropped when something else remains. None if no form is spelt in Russian.
    """
    candidates = sorted({fold_yo(f) for f in forms if is_russian_spelling(f)})
    if not candidates:
        return None
    best = min(candidates, key=lambda f: (belarusian_penalty(f), f))
    if prefer and fold_yo(prefer) in candidates:
        prefer = fold_yo(prefer)
        clearly_better = belarusian_penalty(prefer) - belarusian_penalty(best) >= 1.0
        return best if clearly_better and similarity(prefer, best) >= 0.6 else prefer
    kept = [f for f in candidates if f not in {fold_yo(e) for e in exclude}] or candidates
    return min(kept, key=lambda f: (belarusian_penalty(f), f))


def choose_belarusian(forms: list[str], native: str | None, name_ru: str) -> str:
    """Pick the Belarusian name: the second source's native form if GeoNames
    agrees, else a form with і/ў, else a Belarusian-valid form (often equal to
    the Russian one, e.g. «Орша»)."""
    valid = sorted({f for f in forms if is_belarusian_spelling(f)})
    if native and native in valid:
        return native
    with_be_letters = [f for f in valid if set(f.lower()) & BELARUSIAN_ONLY]
    if with_be_letters:
        return with_be_letters[0]
    if native and is_belarusian_spelling(native) and "'" not in native:
        return native
    non_russian = [f for f in valid if fold_yo(f) != name_ru]
    return (non_russian or valid or [""])[0]


def _is_i_for_y_variant(form: str, others: set[str]) -> bool:
    """True if ``form`` is another form with some «ы» written «и» (the
    Ukrainian/Serbian habit: «Мости» next to «Мосты»)."""
    for other in others:
        if other != form and len(other) == len(form) and all(
            a == b or (a == "и" and b == "ы") for a, b in zip(form, other)
        ):
            return True
    return False


def russian_alt_names(forms: list[str], name_ru: str, name_be: str,
                      exclude: set[str]) -> list[str]:
    """Other spellings a Russian text may use.

    Keeps Russian-alphabet forms other than name_ru: always the ё-spelling of
    name_ru; others only if they are not the Belarusian name, not a known
    Ukrainian form (``exclude``), not an и-for-ы variant and not clearly more
    Belarusian than name_ru (such forms could collide with other words).
    """
    russian = {f for f in forms if is_russian_spelling(f)}
    alts = set()
    base = belarusian_penalty(name_ru)
    for form in russian:
        if form == name_ru:
            continue
        if fold_yo(form) == name_ru:
            alts.add(form)
            continue
        if form in (name_be, fold_yo(name_be)) or form in exclude or form + "ь" == name_ru:
            continue  # «Гомел» next to «Гомель» is the Serbian/Bulgarian form
        if _is_i_for_y_variant(form, russian) or belarusian_penalty(form) - base >= 0.5:
            continue
        alts.add(form)
    return sorted(alts)
