"""Files that are not tables are refused (exit 2, database untouched) with a message that says
what the file is and what to do; every real table, whatever its encoding, is still imported."""

import hashlib
import os
import random
import struct
import zipfile

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.readers import sniff_format
from tests.conftest import CORPUS, FIXTURES
from tests.realcorpus.checks import load_cases, raw_file

TRAPS = FIXTURES / "import"


def _ole2(streams: list[str]) -> bytes:
    """A minimal compound file (the container of .xls, .doc, .ppt) holding empty streams."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<iiiiiiii", header, 44, 1, 1, 0, 4096, -2, 0, -2, 0)
    struct.pack_into("<109i", header, 76, 0, *([-1] * 108))
    fat = struct.pack("<128i", -3, -2, *([-1] * 126))
    entries = b""
    for position, (name, kind) in enumerate([("Root Entry", 5)] + [(s, 2) for s in streams]):
        encoded = (name + "\x00").encode("utf-16-le")
        entry = bytearray(128)
        entry[:len(encoded)] = encoded
        following = position + 1 if 0 < position < len(streams) else -1
        struct.pack_into("<HBBiii", entry, 64, len(encoded), kind, 1, -1, following, 1 if kind == 5 else -1)
        struct.pack_into("<iI", entry, 116, -2, 0)
        entries += bytes(entry)
    directory = entries + bytes(sector - len(entries) % sector if len(entries) % sector else 0)
    return bytes(header) + fat + directory[:sector]


def _zip(members: dict[str, str]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


HTML = ("<!DOCTYPE html>\n<html lang='fr'><head><meta charset='utf-8'><title>Budget</title></head>"
        "<body><table><tr><th>commune</th><th>montant</th></tr><tr><td>Dakar</td><td>1</td></tr>"
        "</table></body></html>\n").encode()

NON_TABLES = {
    # name: (bytes, words the French message must hold)
    "page.csv": (HTML, "page web"),
    "page_utf16.xls": ("\ufeff<html><body><table><tr><td>1</td></tr></table></body></html>".encode("utf-16-le"),
                       "page web"),
    "page_comment.csv": (b"\n  <!-- export -->\n<HTML>\n<BODY>texte</BODY></HTML>", "page web"),
    "carte.png": (b"\x89PNG\r\n\x1a\n" + bytes(100), "image (PNG)"),
    "photo.csv": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100), "image (JPEG)"),
    "anim.gif": (b"GIF89a" + bytes(100), "image (GIF)"),
    "image.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(100), "image (WebP)"),
    "scan.tif": (b"II*\x00\x08\x00\x00\x00" + bytes(100), "image (TIFF)"),
    "dessin.bmp": (b"BM" + struct.pack("<I", 200) + bytes(4) + struct.pack("<I", 54) + bytes(190), "image (BMP)"),
    "logo.svg": (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10"></svg>', "image (SVG)"),
    "rapport.doc": (_ole2(["WordDocument", "1Table", "\x01CompObj"]), "document texte (Word)"),
    # Compound files whose directory cannot be read (cut short, damaged): the name tells a Word
    # or PowerPoint document; anything else is tried as xls and said damaged in French.
    "abime.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "document texte (Word)"),
    "abime.ppt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "présentation (PowerPoint)"),
    "abime.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Ce classeur est abîmé"),
    "rapport.docx": (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
                     "document texte (Word)"),
    "rapport.odt": (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
                    "document texte (OpenDocument)"),
    "rapport.rtf": (b"{\\rtf1\\ansi Tableau}", "document texte (RTF)"),
    "slides.ppt": (_ole2(["PowerPoint Document", "Current User"]), "présentation (PowerPoint)"),
    "slides.pptx": (_zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
                    "présentation (PowerPoint)"),
    "protege.xlsx": (_ole2(["EncryptedPackage", "EncryptionInfo"]), "mot de passe"),
    "outil.exe": (b"MZ\x90\x00" + bytes(56) + struct.pack("<I", 64) + b"PE\x00\x00" + bytes(100), "programme"),
    "outil.csv": (b"\x7fELF\x02\x01\x01" + bytes(100), "programme"),
    "son.mp3": (b"ID3\x03\x00\x00\x00" + bytes(100), "audio ou vidéo (MP3)"),
    "video.csv": (b"\x00\x00\x00\x18ftypmp42" + bytes(100), "audio ou vidéo (MP4/MOV)"),
    "voix.ogg": (b"OggS\x00\x02" + bytes(100), "audio ou vidéo (Ogg)"),
    "donnees.db": (b"SQLite format 3\x00" + bytes(100), "datactiviste serve"),
    "donnees.csv.gz": (b"\x1f\x8b\x08\x00" + bytes(100), "archive compressée (gzip)"),
    "enquete.sav": (b"$FL2@(#) IBM SPSS STATISTICS" + bytes(100), "SPSS"),
    "donnees.parquet": (b"PAR1\x15\x04" + bytes(100), "Parquet"),
    "communes.shp": (b"\x00\x00\x27\x0a" + bytes(100), "fichier de carte"),
    "export.xml": (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
                   "Excel 2003"),
    "flux.csv": (b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "XML"),
    "bruit.csv": (random.Random(11).randbytes(20_000), "pas du texte"),
    "enquete.por": (b"ASCII SPSS PORT FILE" + b" " * 180 + bytes(range(256)) + b"SPSSPORT", "SPSS portable"),
    "enquete.xpt": (b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  ", "SAS transport"),
    "agenda.csv": (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Atelier\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                   "iCalendar"),
    "contact.csv": (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Awa Diop\r\nTEL:+221 33 000 00 00\r\nEND:VCARD\r\n", "vCard"),
    "communes.prj": (b'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
                     b'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', "fichier de carte"),
    "communes.cpg": (b"UTF-8", "page de code d'un shapefile"),
    # Excel's owner file beside an open workbook, copied along with it onto a USB stick.
    "~$budget.xlsx": (bytes([10]) + b"Awa Diop  ".ljust(54) + bytes([10, 0]) + "Awa Diop  ".encode("utf-16-le")
                      + bytes(165 - 77), "qu'Excel laisse à côté d'un classeur"),
    "regions.cpg": (b"ANSI 1252\r\n", "page de code d'un shapefile"),
    "LISEZMOI.md": (("# Analyse genre — mise à jour\n\nCette mise à jour ajoute :\n\n- des graphiques dans chacun des "
                    "sept résultats ;\n- des comparaisons femmes-hommes ;\n- des lectures transversales ;\n\n"
                    "## Contenu\n\nLes pages sont générées par un script, elles ne sont pas à modifier à la main.\n"
                     ).encode("utf-8"), "du texte (phrases, paragraphes)"),
    "licence.txt": (("# LICENCE OUVERTE 2.0\n\nLe Concédant concède au Réutilisateur un droit non exclusif, gratuit, "
                    "de libre réutilisation de l'Information, dans le monde entier.\n\nLe Réutilisateur est libre de "
                    "réutiliser l'Information, de la reproduire, de la copier, de l'adapter.\n\nSous réserve de "
                    "mentionner la paternité de l'Information, sa source et la date de sa mise à jour.\n"
                     ).encode("utf-8"), "du texte (phrases, paragraphes)"),
    # No title line: a licence opening on its copyright line, whose commas cut sentences into cells.
    "LICENSE.txt": (("Copyright (c) 2024, Réseau des datactivistes de Thiès\n\nPermission est donnée, gratuitement, "
                    "à toute personne obtenant une copie\nde ce logiciel et de sa documentation, de l'utiliser sans "
                    "restriction,\ny compris le droit de copier, modifier, fusionner, publier, distribuer\n\n"
                    "La mention de copyright ci-dessus et la présente autorisation doivent figurer\ndans toutes les "
                    "copies ou parties substantielles du logiciel.\n\nLE LOGICIEL EST FOURNI « TEL QUEL », SANS "
                    "GARANTIE D'AUCUNE SORTE,\nEXPRESSE OU IMPLICITE, Y COMPRIS LES GARANTIES DE QUALITÉ MARCHANDE,\n"
                    "D'ADÉQUATION À UN USAGE PARTICULIER ET D'ABSENCE DE CONTREFAÇON.\n").encode("utf-8"),
                    "du texte (phrases, paragraphes)"),
}

# Text that looks like prose at first sight but is a table (tests the prose rule's other side).
NOT_PROSE = {
    "liste.csv": "Liste des communes de la région de Thiès (2023)\nCommune\nThiès\nMbour\nTivaouane\nJoal-Fadiouth\n",
    "commentaires.csv": "# Extrait du registre, à ne pas diffuser\nauteur,titre,année\nSembène,Les Bouts de bois de Dieu,"
                        "1960\n# ligne de commentaire\n# une autre\nBâ,Une si longue lettre,1979\nKane,L'Aventure ambiguë,1961\n",
    "avis.csv": "Avis des participants à l'atelier de Kaolack\navis\nLa formation était très utile pour mon travail de "
                "journaliste.\nJ'aurais aimé plus de temps pour les exercices pratiques sur les cartes.\n\"Très bonne "
                "ambiance, formateurs disponibles et à l'écoute.\"\n",
    # Rows of sentences in blocks of two, blank lines between the blocks: one width throughout.
    "questions.csv": "\n\n".join(f"Q{2 * i + 1},Combien de communes de la région ont publié leur budget en {2015 + i} ?,"
                                f"oui\nQ{2 * i + 2},Quelle part des dépenses est allée à la santé cette année-là ?,non"
                                for i in range(5)) + "\n",
}


@pytest.mark.parametrize("name", sorted(NOT_PROSE))
def test_tables_under_a_title_are_not_prose(tmp_path, name):
    path = tmp_path / name
    path.write_text(NOT_PROSE[name], encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, search=False))
    assert result.rows_written >= 3


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(NON_TABLES))
def test_non_table_is_refused_with_what_it_is_and_what_to_do(run_cli, tmp_path, name):
    data, words = NON_TABLES[name]
    target = tmp_path / name
    target.write_bytes(data)
    database = tmp_path / "garde.db"
    import_file(TRAPS / "pipe.psv", database)
    before = _digest(database)
    result = run_cli("import", target, "--db", database)
    assert result.exit_code == 2, result.output
    assert words in result.output, result.output
    assert "Que faire" in result.output and "Traceback" not in result.output
    assert "inattendue" not in result.output
    assert _digest(database) == before


def test_messages_are_in_english_too(run_cli, tmp_path):
    page = tmp_path / "page.csv"
    page.write_bytes(HTML)
    result = run_cli("--lang", "en", "import", page)
    assert result.exit_code == 2
    assert "This is a web page (HTML), not a table." in result.output
    assert "save the table itself, or export it as csv" in result.output.lower()
    noise = tmp_path / "noise.csv"
    noise.write_bytes(random.Random(3).randbytes(5000))
    result = run_cli("--lang", "en", "import", noise)
    assert result.exit_code == 2 and "This file is not text" in result.output and "control characters" in result.output


def _real_tables():
    files = [p for p in sorted(TRAPS.iterdir()) if p.suffix not in (".json", ".py", ".pdf") or
             p.name in ("records.json",)]
    if CORPUS.is_dir():
        files += [p for p in sorted(CORPUS.iterdir()) if p.name not in ("MANIFEST.tsv", "README.md", "expected.json")]
    # The wider real corpus (tests/realcorpus): its committed files, and the others when present.
    real = (raw_file(case) for case in load_cases().values() if not case.get("refused"))
    files += sorted(path for path in real if path is not None)
    return files


@pytest.mark.parametrize("path", _real_tables(), ids=lambda p: p.name)
def test_every_real_table_passes_the_format_check(path):
    assert sniff_format(path) in ("csv", "json", "geojson", "xlsx", "xlsm", "xls", "ods")


TABLES = {  # (header, data line): French in the Latin code pages, other scripts in theirs
    "latin": ("Région;Commune;Libellé;Montant", "Thiès;Mékhé;Équipement d’école « Œuvre », reçu n°5 — été;1 234,50"),
    "cp1251": ("Область;Город;Сумма", "Москва;Химки;1 234,5"), "koi8_r": ("Область;Город", "Москва;Химки"),
    "cp1256": ("المنطقة;المدينة;المبلغ", "دكار;تياس;1234"), "cp1253": ("Περιοχή;Πόλη;Ποσό", "Αθήνα;Πειραιάς;12"),
    "shift_jis": ("地域;都市;金額", "東京;横浜;1234"), "gb18030": ("地区;城市;金额", "北京;上海;1234"),
}


@pytest.mark.parametrize("codec", ["cp1252", "latin-1", "cp850", "mac_roman", "cp437", "cp1250", "iso-8859-15",
                                   "cp1251", "koi8_r", "cp1256", "cp1253", "shift_jis", "gb18030"])
def test_legacy_encoded_tables_are_never_taken_for_binary(tmp_path, codec):
    header, line = TABLES.get(codec, TABLES["latin"])
    data = tmp_path / f"{codec}.csv"
    data.write_bytes("\r\n".join([header] + [line] * 120).encode(codec, errors="replace"))
    assert sniff_format(data) == "csv"
    (result,) = import_file(data, tmp_path / "t.db")
    assert result.rows_written == 120 and len(result.columns) == header.count(";") + 1


def test_a_few_stray_control_bytes_do_not_make_a_table_binary(tmp_path):
    rows = ["a;b"] + [f"ligne {i}\x07;{i}" if i % 10 == 0 else f"ligne {i};{i}" for i in range(300)]
    data = tmp_path / "bell.csv"
    data.write_bytes("\n".join(rows).encode("cp1252") + b"\x1a")   # DOS end-of-file mark too
    assert sniff_format(data) == "csv"


def test_binary_evidence_needs_more_than_high_bytes(tmp_path):
    """Bytes 0x80-0xFF alone (any legacy code page) are not evidence; control characters are."""
    high = bytes(random.Random(5).randrange(0x80, 0x100) for _ in range(4000))
    lines = b"\n".join(high[i:i + 40] + b";" + high[i + 40:i + 80] for i in range(0, 4000, 80))
    text_like = tmp_path / "high.csv"
    text_like.write_bytes(lines)
    assert sniff_format(text_like) == "csv"
    binary = tmp_path / "binary.csv"
    binary.write_bytes(os.urandom(4000))
    with pytest.raises(DatactivisteError) as error:
        sniff_format(binary)
    assert "contrôle" in error.value.message


def test_valid_utf8_is_text_whatever_control_characters_it_holds(tmp_path):
    """csvkit's header-newline example: a quoted header cell of tabs, VT, FF and line breaks."""
    data = tmp_path / "entete.csv"
    data.write_bytes(b'"\t\n\x0b\x0c\r start \t\n\x0b\x0c\r end \t\n\x0b\x0c\r",b,c\nd,e,f\n')
    assert sniff_format(data) == "csv"


def test_a_workbook_laid_out_by_another_tool_is_a_workbook():
    from datactiviste.ingest.sniff import zip_kind

    # Office Open XML allows the parts anywhere: some exporters put workbook.xml at the root.
    assert zip_kind(["sheet1.xml", "styles.xml", "workbook.xml", "_rels/workbook.xml.rels", "_rels/.rels",
                     "[Content_Types].xml"], "") == "xlsx"
    assert zip_kind(["[Content_Types].xml", "word/document.xml"], "") == "word:Word"
    assert zip_kind(["workbook.xml", "notes.txt"], "") == "zip"     # no content types: not Office


@pytest.mark.parametrize("text", [
    "Jean Dupont         SN        221-77-111\nAwa Diop            CI        225-07-222\n"
    "Mamadou Ndiaye      ML        223-76-333\n",
    "  1   1 Ohio St          B10\n  2   2 Oregon           P12\n  3   4 Alabama          SEC\n  4   3 TCU              B12\n",
])
def test_a_fixed_width_table_is_refused_with_what_to_do(run_cli, tmp_path, text):
    path = tmp_path / "largeur_fixe.txt"
    path.write_text(text, encoding="utf-8")
    result = run_cli("import", path, "--db", "t.db")
    assert result.exit_code == 2 and "largeur fixe" in result.output and "LibreOffice" in result.output
    assert not (tmp_path / "t.db").exists() or "largeur_fixe" not in (tmp_path / "t.db").read_bytes().decode("latin-1")


@pytest.mark.parametrize("text", ["Jean Dupont\nAwa Diop\nMamadou Ndiaye\nFatou Sow\n",
                                  "Une phrase  avec deux espaces.\nEt  une autre  ici.\nPuis  encore.\n",
                                  "Dakar  Thiès\nKaolack  Fatick\nLouga  Matam\n"])
def test_one_column_of_text_is_not_fixed_width(tmp_path, text):
    path = tmp_path / "liste.txt"
    path.write_text(text, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.rows_written + len(result.set_aside) >= len(text.splitlines()) - 1


@pytest.mark.parametrize("text", ["Nom", "Région;Montant", "latin1x", "UTF-8;1252"])
def test_a_short_header_is_not_a_code_page_file(tmp_path, text):
    path = tmp_path / "entete.csv"
    path.write_text(text, encoding="utf-8")
    assert sniff_format(path) == "csv"
