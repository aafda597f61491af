"""Which single-byte code page a file that is not UTF-8 uses, judged by how its words read.

Every candidate decodes the same sample of words (runs of letters holding bytes 0x80-0xFF). A
reading scores for words made of one script's letters, frequent letters of one language, in a
plausible case (Москва, МОСКВА, москва; not мОСКВА), and loses for what real text never holds:
C1 control characters, box drawing, a symbol between two letters (Wroc³aw), a Latin word without
a plain letter (Ëåùíéäáò is Greek read as Latin-1), two scripts in one word (Rйgion is French
read as Cyrillic), a Cyrillic word without a vowel, a final letter inside a word. One-letter
words are no evidence. cp1252/ISO-8859-1 stay the answer unless another reading is clearly
better: a few stray bytes never turn a French file Cyrillic. The same idea as charset_normalizer's
"mess" and "coherence" measures, small enough to read, and better on data tables (see
tests/test_import_encodings.py and benchmarks/encoding_detect.md).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

# Non-ASCII letters of each language, most frequent first (Latin scripts: only the accented ones).
_LETTERS = {
    "fr": "éèàêçâôîœûùëïüÿæ", "de": "üäößé", "es": "óíáéñúü", "pt": "ãçéáóíêõâúôàü",
    "it": "àèéùòìóî", "nl": "ëéèïöóüá", "ca": "éàèíòóçúïü", "nordic": "äåöøæéü",
    "pl": "łęąóżśćńź", "cs": "íáéýěřčšžůúňťďó", "sk": "áíéýčšžúôäľťďňóĺŕ", "hu": "éáőöóíüúű",
    "ro": "ăîâţşșț", "hr": "čšžćđ", "tr": "ıüşçğöİâîû",
    "el": "αοιετσνηυρπκμλςόίάέωδγήύχθώφβξζψϊΐϋΰ",
    "ru": "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё", "uk": "оанвиітерсклудмпязьбгчхцйжшюїєщфґ",
    "bg": "аоеинтрсвлкдпмзгъябучжцшйщхфью", "sr": "аиоенрстјвудклмпзгбчшћцњжљхђџфѓќѕ",
    "ar": "اليمونرتبةعدسفهكقحجأشصطإخزذضثغظىئءؤآپچگکیژ",
    "he": "יוהלארתמבשנדכעקחפםגסןזצטךףץ",
}
_PRIOR = {"fr": 0.5}      # francophone files first: Benoît and Ardèche, not Benoåt and Ardäche
_UNKNOWN, _OTHER_SCRIPT = -2.0, -4.0   # a letter outside the language's alphabet; outside its script
_MIXED, _ODD_CASE, _ODD_MARK, _INSIDE, _GLUED, _BOX, _CONTROL = -4.0, -3.0, -3.0, -3.0, -1.0, -3.0, -5.0
_HEBREW_FINALS, _FINAL_FORM = set("םןףךץ"), 2.0
_WORD_FINAL = {"hebrew": _HEBREW_FINALS, "greek": set("ς"), "arabic": set("ةى")}
_VOWELS = {"greek": set("αεηιουωάέήίόύώϊϋΐΰ"), "cyrillic": set("аеёиоуыэюяіїєў")}
_GOOD_PUNCTUATION = set("«»‘’“”„–—…•·€£°§²³№\xa0¿¡،؛؟ºª½µ©®™")
_OPENERS = set("‚„¿¡")     # never glued after a letter
_DASHES = set("–—")         # glued between two words in English typography (home—and)
_RARE_SIGNS = set("¤¦¨¯¸¬")  # Latin-1's signs no table uses (ISO-8859-15 puts € Š š Ž ž there)
_JOINERS = set("’‘'´`-‐‑–·\u00ad׳״ـ")


@dataclass(frozen=True)
class CodePage:
    codec: str
    shown: str          # the name users see and pass to --encoding
    family: str         # names the reason in the report
    languages: tuple[str, ...]


_WESTERN = ("fr", "de", "es", "pt", "it", "nl", "ca", "nordic", "western-mix")
_CENTRAL = ("pl", "cs", "sk", "hu", "ro", "hr")
_CYRILLIC = ("ru", "uk", "bg", "sr")
# In order of preference when two readings of the file are the same text: the ISO name when the
# file has no byte 0x80-0x9F (then nothing of Windows' own is used), as for ISO-8859-1.
CODE_PAGES = [
    CodePage("latin-1", "iso-8859-1", "western", _WESTERN),
    CodePage("cp1252", "cp1252", "western", _WESTERN),
    CodePage("iso8859-15", "iso-8859-15", "western", _WESTERN),
    CodePage("cp850", "cp850", "dos", _WESTERN),
    CodePage("mac_roman", "mac_roman", "mac", _WESTERN),
    CodePage("iso8859-9", "iso-8859-9", "turkish", ("tr",)),
    CodePage("cp1254", "cp1254", "turkish", ("tr",)),
    CodePage("iso8859-2", "iso-8859-2", "central-european", _CENTRAL),
    CodePage("cp1250", "cp1250", "central-european", _CENTRAL),
    CodePage("iso8859-7", "iso-8859-7", "greek", ("el",)),
    CodePage("cp1253", "cp1253", "greek", ("el",)),
    CodePage("cp1251", "cp1251", "cyrillic", _CYRILLIC),
    CodePage("koi8-r", "koi8-r", "cyrillic", _CYRILLIC),
    CodePage("koi8-u", "koi8-u", "cyrillic", _CYRILLIC),   # KOI8-R plus і ї є ґ where it draws boxes
    CodePage("iso8859-5", "iso-8859-5", "cyrillic", _CYRILLIC),
    CodePage("cp866", "cp866", "cyrillic", _CYRILLIC),
    CodePage("cp1256", "cp1256", "arabic", ("ar-fr",)),   # Maghreb files mix Arabic and French
    CodePage("iso8859-6", "iso-8859-6", "arabic", ("ar",)),
    CodePage("cp1255", "cp1255", "hebrew", ("he",)),
]
DEFAULT_CODECS = ("latin-1", "cp1252")
WORD_REPEATS = 5


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250:
        return "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x590 <= code < 0x600:
        return "hebrew"
    if 0x600 <= code < 0x700 or code >= 0xFB50:
        return "arabic"
    return "other"


def _language_weights() -> dict[str, tuple[dict[str, float], frozenset[str]]]:
    """{language: (weight of each letter, its scripts)}: 3 for the most frequent down to -1 for the
    rarest of an alphabet, where frequency tells readings apart (KOI8-R and cp1251 hold the same
    letters), and to 0.5 for accented Latin letters, where belonging to the language is what counts."""
    models = {}
    for name, letters in _LETTERS.items():
        weights = {}
        lowest = 0.5 if _script(letters[0]) == "latin" else -1.0
        for rank, letter in enumerate(letters):
            weight = 3.0 - (3.0 - lowest) * rank / max(len(letters) - 1, 1) + _PRIOR.get(name, 0.0)
            for form in (letter, letter.upper()):
                if len(form) == 1:
                    weights.setdefault(form, weight)
        models[name] = (weights, frozenset(_script(c) for c in letters))
    # A Western file may hold names from several languages: their letters, each a little lower.
    mix: dict[str, float] = {}
    for name in _WESTERN[:-1]:
        for letter, weight in models[name][0].items():
            mix[letter] = max(mix.get(letter, -9.0), weight - 1.0)
    models["western-mix"] = (mix, frozenset({"latin"}))
    arabic, french = models["ar"][0], models["fr"][0]
    models["ar-fr"] = ({**french, **arabic}, frozenset({"arabic", "latin"}))
    return models


_MODELS = _language_weights()


def _kind(char: str) -> str:
    if char == "\ufffd":
        return "control"
    category = unicodedata.category(char)
    if char in _JOINERS or category == "Cf":
        return "joiner"
    if category[0] == "L" and category != "Lm" and char not in "ªºµ":
        return "letter"
    if category[0] == "M":
        return "mark"
    if category == "Cc":
        return "control"
    if "\u2500" <= char <= "\u25ff":
        return "box"
    return "punctuation" if char in _GOOD_PUNCTUATION else "symbol"


def _case_shape_ok(word: str) -> bool:
    cased = "".join(c for c in word if c.swapcase() != c and len(c.swapcase()) == 1)
    return cased.islower() or cased.isupper() or (cased[:1].isupper() and cased[1:].islower()) or not cased


def _case_is_odd(letters: str, index: int) -> bool:
    """A capital after a small letter or between a capital and a small one (ZŸrich is mac_roman
    read as cp1252), or a small letter after two capitals."""
    char = letters[index]
    if len(char.swapcase()) != 1 or char.swapcase() == char:
        return False            # no case (ß, Arabic, Hebrew)
    before = letters[index - 1] if index else ""
    if char.isupper():
        return before.islower() or (before.isupper() and letters[index + 1:index + 2].islower())
    return index >= 2 and before.isupper() and letters[index - 2].isupper()


def _segment(letters: str, counted: Counter, weight: int) -> float:
    """Penalties of one run of letters; its plausible non-ASCII letters are counted for the languages."""
    marks = [i for i, c in enumerate(letters) if c >= "\x80" and _kind(c) == "mark"]
    if any(i == 0 or letters[i - 1] < "\x80" or _script(letters[i - 1]) != _script(letters[i]) for i in marks):
        return _ODD_MARK * weight          # a vowel sign with no letter of its script to sit on
    plain = "".join(c for c in letters if c < "\x80" or _kind(c) == "letter")
    if len(plain) < 2:
        return 0.0                         # a one-letter word says nothing
    scripts = {_script(c) for c in plain}
    odd_word = len(scripts) > 1 or _implausible(plain, scripts.pop())
    # Case that only the non-ASCII letters spoil (øC is cp850's °C read as Latin-1): all are odd.
    odd_case = not _case_shape_ok(plain) and _case_shape_ok("".join(c for c in plain if c < "\x80"))
    fixed = 0.0
    if not odd_word and plain[-1] in _HEBREW_FINALS:
        fixed += _FINAL_FORM * weight      # ם ן ף ך ץ where Hebrew puts them: a sign of Hebrew
    for index, char in enumerate(plain):
        if char < "\x80":
            continue
        if odd_word:
            fixed += _MIXED * weight
        elif odd_case or _case_is_odd(plain, index):
            fixed += _ODD_CASE * weight
        else:
            counted[char] += weight
    return fixed


def _implausible(word: str, script: str) -> bool:
    """A word no language of its script writes: Latin without a plain letter (Ëåùíéäáò is Greek
    read as Latin-1) or with four accented letters in a row; a final form inside a word; Greek or
    Cyrillic without a vowel (beyond capitals, as in СССР) or with five consonants in a row."""
    if len(word) >= 3 and len(set(word.lower())) == 1:
        return True                        # аааааа: padding (cp866 reads NBSP as а), not a word
    if script == "latin":
        if word.isascii():
            return False
        return all(c >= "\x80" for c in word) or _longest_run(word, lambda c: c >= "\x80") >= 4
    finals = _WORD_FINAL.get(script)
    if finals and any(c in finals for c in word[:-1]):
        return True                        # ם ן ף ך ץ, ς, ة ى only end a word
    vowels = _VOWELS.get(script)
    if vowels is None:
        return False
    lower = word.lower()
    soft_after_vowel = any(a in vowels and b in "ьъ" for a, b in zip(lower, lower[1:]))
    if script == "cyrillic" and (lower[0] in "ьъы" or soft_after_vowel):
        return True                        # no Russian word starts with ь ъ ы or puts ь ъ after a vowel
    if not any(c in vowels for c in lower):
        return len(word) >= 5 or not word.isupper()
    return _longest_run(lower, lambda c: c not in vowels) >= 5


def _longest_run(word: str, test) -> int:
    longest = run = 0
    for char in word:
        run = run + 1 if test(char) else 0
        longest = max(longest, run)
    return longest


def _read_words(text: list[str], counts: list[int]) -> tuple[float, Counter]:
    """Penalties of one reading of the sample, and the letters left for the language models."""
    fixed = 0.0
    counted: Counter = Counter()
    for word, count in zip(text, counts):
        start = None
        for index, char in enumerate(word):
            kind = "letter" if char < "\x80" else _kind(char)
            if kind in ("letter", "mark"):
                if start is None:
                    start = index
                continue
            if start is not None:
                fixed += _segment(word[start:index], counted, count)
                start = None
            if kind == "control":
                fixed += _CONTROL * count
            elif kind == "box":
                fixed += _BOX * count
            elif kind in ("punctuation", "symbol", "joiner"):
                fixed += _sign(word, index, kind) * count
        if start is not None:
            fixed += _segment(word[start:], counted, count)
    return fixed, counted


def _is_sign(char: str) -> bool:
    return char >= "\x80" and _kind(char) in ("punctuation", "symbol")


def _sign(word: str, index: int, kind: str) -> float:
    """A punctuation mark or symbol by where it stands. Typographic punctuation counts for the
    reading, most where it joins two letters as it should (l’école, home—and: the very bytes
    0x80-0x9F that tell cp1252); a symbol glued to a letter (¶ργους) counts a little against it,
    one between letters or an opening mark after a letter (Wroc³aw, Bal‚) clearly against it."""
    char = word[index]
    before = index > 0 and word[index - 1].isalpha()
    after = index + 1 < len(word) and word[index + 1].isalpha()
    if char not in _DASHES and char != "’":
        # Signs in a row between letters (x…¿y, what Mac Roman makes of xÉÀy) are inside the
        # word as much as one sign alone is.
        left, right = index - 1, index + 1
        while left >= 0 and _is_sign(word[left]):
            left -= 1
        while right < len(word) and _is_sign(word[right]):
            right += 1
        before = before or (left >= 0 and left < index - 1 and word[left].isalpha())
        after = after or (right < len(word) and right > index + 1 and word[right].isalpha())
    if char == "’":
        if before and after:
            return 3.0
        # One opening a word before a small letter is the Greek Ά of cp1253 read as ISO-8859-7.
        return _GLUED if after and word[index + 1].islower() else 0.0
    if char in _DASHES:
        # Between two letters it speaks for the reading (home—and); glued to one side only it
        # says nothing: cp1252's Ñ and Ð are Mac Roman's — and –, and "Ñaari" is no "—aari".
        return 2.0 if before and after else 0.0
    if kind == "joiner":
        return 0.0
    if before and (after or char in _OPENERS):
        return _INSIDE
    if kind == "symbol":
        return _GLUED if before or after or char in _RARE_SIGNS else 0.0
    # N° and n° (numéro) head many a French column: the sign's best evidence.
    return 3.0 if char in "°º" and word[index - 1:index] in ("N", "n") else 1.0


def _language_score(counted: Counter, language: str) -> float:
    weights, scripts = _MODELS[language]
    total = 0.0
    for char, count in counted.items():
        weight = weights.get(char)
        if weight is None:
            weight = _UNKNOWN if _script(char) in scripts else _OTHER_SCRIPT
        total += weight * count
    return total


@dataclass
class Reading:
    page: CodePage
    score: float
    language: str


def rank_readings(present: bytes, words: Counter) -> list[Reading]:
    """Every distinct reading of the file, best first.

    `present` holds each byte 0x80-0xFF the file contains; `words` counts sample words (bytes).
    Code pages that read these bytes as the same text are one reading, judged with all their
    languages and named by the first of them (the default one when it is among them).
    """
    groups: dict[str, list[CodePage]] = {}
    for page in CODE_PAGES:
        try:
            groups.setdefault(present.decode(page.codec), []).append(page)
        except UnicodeDecodeError:
            continue                       # a byte this code page does not define
    # Each distinct word counts at most a few times: the evidence is the vocabulary, so one
    # value repeated down a column (or a run of padding) cannot outweigh every other word.
    sample = [(w, min(n, WORD_REPEATS)) for w, n in words.items() if not _valid_utf8(w)]
    raw = b"\n".join(w for w, _ in sample)
    counts = [n for _, n in sample]
    readings = []
    for pages in groups.values():
        fixed, counted = _read_words(raw.decode(pages[0].codec).split("\n") if raw else [], counts)
        languages = dict.fromkeys(name for page in pages for name in page.languages)
        scores = {name: _language_score(counted, name) for name in languages}
        language = max(scores, key=scores.get)
        readings.append(Reading(pages[0], fixed + scores[language], language))
    return sorted(readings, key=lambda r: -r.score)


def _valid_utf8(word: bytes) -> bool:
    try:
        word.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def choose(present: bytes, words: Counter) -> tuple[CodePage, list[Reading]]:
    """The code page to read the file with: cp1252/ISO-8859-1 unless another reads clearly better."""
    readings = rank_readings(present, words)     # never empty: Latin-1 reads every byte
    # cp1252 when it reads bytes 0x80-0x9F (Latin-1 would make them control characters, which no
    # table holds), else the Latin-1 reading (the same text as cp1252 when those bytes are absent).
    defaults = {r.page.codec: r for r in readings if r.page.codec in DEFAULT_CODECS}
    default = defaults.get("cp1252") or defaults["latin-1"]
    for reading in readings:
        if reading.page.codec in DEFAULT_CODECS:
            break
        # Another Western code page (DOS, Mac) needs less to win than another script or language.
        # Clearly better than the default; another script or language also needs good evidence of
        # its own, not only less bad than the default. A DOS or Mac reading needs less.
        western = reading.page.family in ("dos", "mac")
        base, share, floor = (3.0, 0.1, 1.0) if western else (4.0, 0.15, 4.0)
        if reading.score > max(default.score + base + share * abs(default.score), floor):
            return reading.page, readings
    return default.page, readings
