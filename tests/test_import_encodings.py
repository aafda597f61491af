"""Golden tests for the code page of files that are not UTF-8 (ingest/codepages.py).

Each table is written here in UTF-8 (tests/encoding_samples.py) and encoded with Python's codecs
in the code pages its country's software exports: the import must find the code page, say why,
and store every cell as written. The Western files (French cp1252, German Latin-1, DOS cp850,
old Mac) must keep their encoding, and a few stray accents must never turn a file Cyrillic.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from datactiviste.i18n import set_language
from datactiviste.ingest import codepages
from datactiviste.ingest.encoding import MAX_WORD, WordSample, detect_encoding
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import
from tests import encoding_samples as samples

# (sample, codec used to write it, label the report shows, reason tag)
FAMILIES = [
    ("GREEK", "cp1253", "cp1253", "greek-letters"),
    ("GREEK", "iso8859-7", "iso-8859-7", "greek-letters"),
    ("RUSSIAN", "cp1251", "cp1251", "cyrillic-letters"),
    ("RUSSIAN", "koi8-r", "koi8-r", "cyrillic-letters"),
    ("RUSSIAN", "iso8859-5", "iso-8859-5", "cyrillic-letters"),
    ("RUSSIAN", "cp866", "cp866", "cyrillic-letters"),
    ("UKRAINIAN", "cp1251", "cp1251", "cyrillic-letters"),
    ("UKRAINIAN", "koi8-u", "koi8-u", "cyrillic-letters"),
    ("RUSSIAN", "koi8-u", "koi8-r", "cyrillic-letters"),   # no Ukrainian letter: the same bytes as KOI8-R
    ("ARABIC", "cp1256", "cp1256", "arabic-letters"),
    ("ARABIC", "iso8859-6", "iso-8859-6", "arabic-letters"),
    ("ARABIC_FRENCH", "cp1256", "cp1256", "arabic-letters"),
    ("HEBREW", "cp1255", "cp1255", "hebrew-letters"),
    ("POLISH", "cp1250", "cp1250", "central-european-letters"),
    ("POLISH", "iso8859-2", "iso-8859-2", "central-european-letters"),
    ("CZECH", "cp1250", "cp1250", "central-european-letters"),
    ("TURKISH", "cp1254", "iso-8859-9", "turkish-letters"),   # no byte 0x80-0x9F: the ISO name
]

WESTERN = [
    ("FRENCH", "cp1252", "cp1252", "cp1252-bytes"),
    ("FRENCH_CAPITALS", "latin-1", "iso-8859-1", "legacy-letters"),
    ("FRENCH_CAPITALS", "cp1252", "iso-8859-1", "legacy-letters"),   # same bytes as Latin-1
    ("GERMAN", "latin-1", "iso-8859-1", "legacy-letters"),
    ("SPANISH_PORTUGUESE", "latin-1", "iso-8859-1", "legacy-letters"),
    ("WOLOF", "latin-1", "iso-8859-1", "legacy-letters"),
    ("EUROPE", "cp1252", "iso-8859-1", "legacy-letters"),
    ("FRENCH_LATIN9", "iso8859-15", "iso-8859-15", "legacy-letters"),
    ("FRENCH_DOS", "cp850", "cp850", "legacy-letters"),
    ("FRENCH_CAPITALS", "cp850", "cp850", "legacy-letters"),
    ("GERMAN", "cp850", "cp850", "legacy-letters"),
    ("WOLOF", "cp850", "cp850", "legacy-letters"),
    ("FRENCH", "mac_roman", "mac_roman", "legacy-letters"),
    ("GERMAN", "mac_roman", "mac_roman", "legacy-letters"),
]


def _stored_text(database, result) -> list[list[str]]:
    """Header labels and every cell as SQLite holds it, as text (numbers compared by their digits)."""
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(f'SELECT * FROM "{result.table}" ORDER BY rowid').fetchall()
    finally:
        connection.close()
    return [[c.label for c in result.columns]] + [[str(v) for v in row] for row in rows]


def _written(text: str) -> list[list[str]]:
    return [line.split(";") for line in text.splitlines()]


def _text_cells(expected: list[list[str]], stored: list[list[str]]) -> tuple[list, list]:
    """The cells holding letters, from both sides: those must come back exactly as written."""
    keep = [[i, j] for i, row in enumerate(expected) for j, cell in enumerate(row)
            if any(c.isalpha() for c in cell)]
    return [expected[i][j] for i, j in keep], [stored[i][j] for i, j in keep]


@pytest.mark.parametrize("sample, codec, label, reason", FAMILIES + WESTERN,
                         ids=[f"{s.lower()}-{c}" for s, c, _l, _r in FAMILIES + WESTERN])
def test_code_page_found_and_every_cell_stored_as_written(tmp_path, sample, codec, label, reason):
    text = getattr(samples, sample)
    path = tmp_path / f"{sample.lower()}.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode(codec))
    (result,) = import_file(path, tmp_path / "t.db")
    assert (result.encoding, result.encoding_reason) == (label, reason)
    assert result.rows_written == text.count("\n") - 1
    expected, stored = _text_cells(_written(text), _stored_text(tmp_path / "t.db", result))
    assert stored == expected


def test_the_report_says_which_code_page_and_why(tmp_path):
    path = tmp_path / "grece.csv"
    path.write_bytes(samples.GREEK.encode("iso8859-7"))
    (result,) = import_file(path, tmp_path / "t.db")
    report = render_import(result)
    assert "iso-8859-7" in report and "mots grecs" in report and "--encoding" in report
    set_language("en")
    assert "Greek words" in render_import(result)


@pytest.mark.parametrize("sample, codec, reason", [(s, c, r) for s, c, _label, r in FAMILIES])
def test_a_header_and_three_rows_are_enough(tmp_path, sample, codec, reason):
    text = "".join(getattr(samples, sample).splitlines(keepends=True)[:4])
    path = tmp_path / "court.csv"
    path.write_bytes(text.encode(codec))
    guess = detect_encoding(path)
    assert guess.reason == reason and path.read_bytes().decode(guess.name) == text


def test_windows_punctuation_names_the_windows_code_page(tmp_path):
    """Greek with typographic quotes and a dash (bytes 0x80-0x9F): cp1253, not ISO-8859-7."""
    path = tmp_path / "grece.csv"
    path.write_bytes((samples.GREEK + "Αττική;«Δήμος Αθηναίων» – κέντρο;1;2\n").encode("cp1253"))
    guess = detect_encoding(path)
    assert (guess.label, guess.reason) == ("cp1253", "greek-letters")


# Short French and Western files: a few accents, a degree sign, a non-breaking space in numbers.
SHORT_WESTERN = [
    "Ville;Température\nParis;12°\n",
    "nom;prix\ncafé;2,50 €\n",
    "code;montant\n1;1\xa0234\n2;56\xa0789\n",
    "N° bureau;inscrits\n1;450\n",
    "région;valeur\nThiès;3\n",
    "a;b\nde 10 à 20;1\n",
    "ÉCOLE;EFFECTIF\nA;1\n",
    "libellé;n\nçà et là;2\n",
    "Ort;Straße\nKöln;Hauptstraße\n",
    "pays;ville\nEspaña;Logroño\n",
    "température (°C);humidité\n25;80\n",
    "intitulé;taux\nœuvre;1 %\n",
    "colonne 0 é,colonne 1 é\r\n0,xÀy\r\n0,xÀy\r\n",    # found by test_import_roundtrip: not Hebrew
    "colonne 0 é,colonne 1 é\r\n0,x’y\r\n0,x’y\r\n",    # nor mac_roman (xíy)
    "message\nat home—and at Fenty’s\n",                    # English dashes: not mac_roman homeóand
]


def _encodable(texts, codecs):
    for text in texts:
        for codec in codecs:
            try:
                yield text.encode(codec), text
            except UnicodeEncodeError:
                continue       # Latin-1 has no € nor œ: the cp1252 case covers that text


@pytest.mark.parametrize("data, text", list(_encodable(SHORT_WESTERN, ["cp1252", "latin-1"])))
def test_a_few_accents_never_turn_a_short_file_to_another_script(tmp_path, data, text):
    path = tmp_path / "court.csv"
    path.write_bytes(data)
    guess = detect_encoding(path)
    assert guess.label in ("cp1252", "iso-8859-1"), guess
    assert data.decode(guess.name) == text


def test_padding_of_non_breaking_spaces_is_no_cyrillic_word(tmp_path):
    """cp866 reads NBSP as «а»: a German table padded with NBSP runs stays Latin-1."""
    lines = ["Fachgebiet;Ärzte\xa0\xa0\xa0\xa0\xa0\xa0;Anzahl"] + [
        f"\xa0\xa0\xa0\xa0\xa0\xa0Hämatologie {i};Ärztinnen\xa0\xa0\xa0\xa0\xa0\xa0;{i}" for i in range(50)]
    path = tmp_path / "aerzte.csv"
    path.write_bytes("\n".join(lines).encode("latin-1"))
    assert detect_encoding(path).label == "iso-8859-1"


def test_mostly_utf8_file_reads_its_legacy_lines_in_their_own_code_page(tmp_path):
    """A Russian UTF-8 export with lines appended by an old cp1251 tool."""
    rows = samples.RUSSIAN.splitlines()
    data = "\n".join(rows[:7]).encode("utf-8") + b"\n" + "\n".join(rows[7:]).encode("cp1251") + b"\n"
    path = tmp_path / "mixte.csv"
    path.write_bytes(data)
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.encoding_reason == "mixed" and result.legacy_lines == [8, 9]
    assert result.legacy_encoding == "cp1251"
    from datactiviste.ingest.report import render_import

    assert "Lignes dans l'ancien encodage (cp1251) : 8, 9" in render_import(result)   # names the code page
    expected, stored = _text_cells(_written(samples.RUSSIAN), _stored_text(tmp_path / "t.db", result))
    assert stored == expected


def test_an_old_mac_file_with_lines_ending_in_cr_reads_each_line_in_its_code_page(tmp_path):
    """Cameroon's investment budget saved on an old Mac: lines end with a lone \\r, accents in
    mac_roman; read by \\n alone the whole file was one line, refused in English."""
    utf8 = ["COD,LIBELLE,MONTANT"] + [f"{n},École {n},{1000 + n}" for n in range(6)]
    legacy = [f"{n},Réhabilitation forage {n},{2000 + n}" for n in range(6, 9)]
    path = tmp_path / "bip.csv"
    path.write_bytes("\r".join(utf8).encode("utf-8") + b"\r" + "\r".join(legacy).encode("mac_roman") + b"\r")
    (result,) = import_file(path, tmp_path / "t.db")
    assert result.rows_written == 9 and [c.type for c in result.columns] == ["INTEGER", "TEXT", "INTEGER"]
    stored = sqlite3.connect(tmp_path / "t.db").execute(f'SELECT libelle FROM "{result.table}"').fetchall()
    assert stored[-1] == ("Réhabilitation forage 8",) and stored[0] == ("École 0",)
    assert result.legacy_lines == [8, 9, 10]


def test_a_csv_error_is_said_in_the_user_s_language_without_the_module_s_english():
    from datactiviste.ingest.delimited import _csv_failure

    error = csv.Error("new-line character seen in unquoted field - do you need to open the file in "
                      "universal-newline mode?")
    message = str(_csv_failure(error, Path("x.csv"), None))
    assert "universal" not in message and "None" not in message
    assert "saut de ligne" in message
    assert "ligne 12" in str(_csv_failure(error, Path("x.csv"), 12))


def test_mostly_cp1252_file_repairs_its_utf8_lines(tmp_path):
    """A survey export edited on two machines: most lines cp1252, a few saved as UTF-8."""
    legacy = "code;unité\n1;kilogramme\n2;sachet d’un kilo\n3;bol « moyen »\n4;boîte\n" + "".join(
        f"{n};tas (équivalent {n} kg)\n" for n in range(10, 30))
    utf8 = "5;cuillère à soupe\n6;pièce\n"
    path = tmp_path / "unites.csv"
    path.write_bytes(legacy.encode("cp1252") + utf8.encode("utf-8"))
    (result,) = import_file(path, tmp_path / "t.db")
    assert (result.encoding, result.encoding_reason, result.repaired_mojibake) == ("cp1252", "legacy-with-utf8-lines", True)
    expected, stored = _text_cells(_written(legacy + utf8.replace("code;unité\n", "")), _stored_text(tmp_path / "t.db", result))
    assert stored == expected
    from datactiviste.ingest.report import render_import

    assert "sauf quelques lignes, dont les Ã© ont été réparés en é" in render_import(result)


def test_encoding_option_still_wins_and_shows_the_iso_name(tmp_path):
    path = tmp_path / "grece.csv"
    path.write_bytes(samples.GREEK.encode("iso8859-7"))
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(encoding="latin-1"))
    assert (result.encoding, result.encoding_reason) == ("iso-8859-1", "forced")
    (result,) = import_file(path, tmp_path / "u.db", ImportOptions(encoding="ISO-8859-7"))
    assert (result.encoding, result.encoding_reason) == ("iso-8859-7", "forced")
    assert result.columns[0].label == "Περιφέρεια"


@pytest.mark.parametrize("word, codec, odd", [
    ("Ëåùíéäáò", "latin-1", True),        # Greek read as Latin-1: no plain letter
    ("Rйgion", "cp1251", True),           # French read as Cyrillic: two scripts in one word
    ("мОСКВА", "cp1251", True),           # KOI8-R read as cp1251: case inside the word
    ("ZŸrich", "cp1252", True),           # mac_roman read as cp1252
    ("Wroc³aw", "cp1252", True),          # cp1250 read as cp1252: a symbol between letters
    ("аааааа", "cp866", True),            # NBSP padding read as cp866
    ("Région", "cp1252", False), ("Москва", "cp1251", False), ("МОСКВА", "cp1251", False),
    ("Αθήνα", "cp1253", False), ("najvyšší", "cp1250", False), ("Gefäßchirurgie", "latin-1", False),
])
def test_what_a_reading_is_penalised_for(word, codec, odd):
    word.encode(codec)        # each is a reading some code page can give
    penalties, letters = codepages._read_words([word], [1])
    assert (penalties < 0) is odd, (penalties, letters)
    assert bool(letters) is not odd      # a plausible word's letters go to the language models


def test_sample_words_are_runs_of_letters_holding_high_bytes():
    sample = WordSample()
    sample.add("Région;Thiès;Dakar;1\xa0234;Région\n".encode("cp1252") + b"\xe9" * (MAX_WORD + 1))
    assert sample.words == Counter({"Région".encode("cp1252"): 2, "Thiès".encode("cp1252"): 1, b"\xa0": 1})


def test_a_file_of_long_runs_of_high_bytes_is_judged_on_a_bounded_sample(tmp_path):
    """No spaces, thousands of distinct 40-byte runs: the sample stays small, the answer quick."""
    noise = random.Random(1)
    path = tmp_path / "bruit.csv"
    path.write_bytes(b";".join(bytes(noise.randrange(0xC0, 0x100) for _ in range(40)) for _ in range(30_000)))
    sample = WordSample()
    sample.add(path.read_bytes())
    assert len(sample.words) <= 300 and sum(map(len, sample.words)) <= 12_040
    assert detect_encoding(path).name in [page.codec for page in codepages.CODE_PAGES]


WESTERN_WORDS = sorted({w for name in ("FRENCH", "FRENCH_CAPITALS", "GERMAN", "SPANISH_PORTUGUESE", "WOLOF",
                                       "EUROPE", "FRENCH_DOS", "FRENCH_LATIN9")
                        for w in getattr(samples, name).replace(";", " ").split() if not w.isascii()})


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.lists(st.one_of(st.sampled_from(WESTERN_WORDS), st.integers(0, 10**6).map(str)),
                               min_size=1, max_size=4), min_size=1, max_size=8),
       header=st.sampled_from(WESTERN_WORDS), codec=st.sampled_from(["cp1252", "latin-1"]))
def test_any_table_of_western_words_keeps_its_code_page(tmp_path_factory, cells, header, codec):
    # Three distinct words with accented letters at least (`(€)` is none): see the known limit below for two.
    assume(len({w for row in [[header]] + cells for w in row
                if any(c.isalpha() and not c.isascii() for c in w)}) >= 3)
    text = "".join(";".join(row) + "\r\n" for row in [[header]] + cells)
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode("cp1252")       # œ € ’: only Windows has them
    path = tmp_path_factory.mktemp("western") / "t.csv"
    path.write_bytes(data)
    guess = detect_encoding(path)
    assert guess.label in ("cp1252", "iso-8859-1", "iso-8859-15") and data.decode(guess.name) == text


@pytest.mark.xfail(strict=True, reason="known limit: with two distinct words, one reading alike in both "
                   "code pages, Tromsø (ø) reads as well as Czech Tromsř (ř); stronger Central European "
                   "evidence from one-line files (chardet's samples) would be lost by a stricter rule")
def test_a_table_of_two_western_words_keeps_its_code_page(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("Andalucía\r\nAndalucía;Tromsø;Tromsø\r\n".encode("cp1252"))
    assert detect_encoding(path).label in ("cp1252", "iso-8859-1")


def _read_as_cp1252(data: bytes) -> str:
    """What a program that takes UTF-8 for cp1252 shows (its five undefined bytes as controls)."""
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in data)


@pytest.mark.parametrize("sample", ["ARABIC", "ARABIC_FRENCH", "GREEK", "HEBREW", "RUSSIAN", "FRENCH", "GERMAN"])
def test_utf8_encoded_twice_through_cp1252_is_repaired_in_every_script(tmp_path, sample):
    """Ø§Ù„Ø¬Ø²Ø§Ø¦Ø± is الجزائر saved as UTF-8 by a program that had read the UTF-8 as cp1252."""
    text = getattr(samples, sample)
    path = tmp_path / "deux_fois.csv"
    path.write_bytes(_read_as_cp1252(text.encode("utf-8")).encode("utf-8"))
    (result,) = import_file(path, tmp_path / "t.db")
    assert (result.encoding, result.encoding_reason, result.repaired_mojibake) == ("utf-8", "utf8-double-encoded", True)
    expected, stored = _text_cells(_written(text), _stored_text(tmp_path / "t.db", result))
    assert stored == expected


def test_real_text_that_looks_like_a_pair_is_not_repaired(tmp_path):
    text = "nom;note\n«CAFÉ»;Ørsted, Øresund\nESPAÑA—PORTUGAL;3 × 2\nÑ–;Ï» et Ð°\n"
    path = tmp_path / "vrai.csv"
    path.write_bytes(text.encode("utf-8"))
    (result,) = import_file(path, tmp_path / "t.db")
    assert (result.encoding_reason, result.repaired_mojibake) == ("utf8-valid", False)
    expected, stored = _text_cells(_written(text), _stored_text(tmp_path / "t.db", result))
    assert stored == expected


def test_no_break_spaces_after_words_do_not_make_a_dos_file(tmp_path):
    """Labels copied from a web page end with a no-break space (cp850 reads 0xA0 as á: `Nameá`);
    with one en dash between two words, the file is cp1252."""
    text = ("Bank Name\xa0,City\xa0,State\xa0,Cert\xa0,Acquiring Institution\xa0,Closing Date\xa0,Fund\r\n"
            "Citizens Bank,Sac City,IA,8758,Iowa Trust & Savings Bank,3-Nov-23,10545\r\n"
            "Silicon Valley Bank,Santa Clara,CA,24735,First–Citizens Bank & Trust Company,10-Mar-23,10539\r\n")
    path = tmp_path / "banques.csv"
    path.write_bytes(text.encode("cp1252"))
    assert detect_encoding(path).name == "cp1252"


def test_capitals_side_by_side_are_no_mac_punctuation(tmp_path):
    """xÉÀy in cp1252 is x…¿y in Mac Roman: signs in a row between letters count against a reading
    as one sign alone does (found by test_import_roundtrip's random tables)."""
    path = tmp_path / "capitales.csv"
    path.write_bytes("colonne 0 é,colonne 1 é\r\n01/01/2000,xAy\r\n01/01/2000,xÉÀy\r\n".encode("cp1252"))
    assert detect_encoding(path).name in ("cp1252", "latin-1")


def test_a_word_starting_with_an_enye_is_not_read_as_a_mac_dash(tmp_path):
    # cp1252's Ñ (0xD1) is Mac Roman's em dash: "Ñaari" (two, in Wolof) must not become "—aari".
    path = tmp_path / "wolof.csv"
    path.write_bytes("Ñaari\r\nÑaari;Œuvre\r\n".encode("cp1252"))
    guess = detect_encoding(path)
    assert guess.label in ("cp1252", "iso-8859-1", "iso-8859-15") and path.read_bytes().decode(guess.name).startswith("Ñaari")
