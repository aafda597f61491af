"""Refusals of the operating system a user can fix are messages in their language, not 'Erreur inattendue'."""

import errno

from datactiviste.cli import _os_error
from datactiviste.i18n import set_language


def test_disk_full_permission_and_read_only_are_plain_french():
    set_language("fr")
    assert "disque est plein" in _os_error(OSError(errno.ENOSPC, "No space left on device", "/clé/x.db"))
    assert "Accès refusé : /clé/x.db" in _os_error(PermissionError(errno.EACCES, "Permission denied", "/clé/x.db"))
    assert "lecture seule" in _os_error(OSError(errno.EROFS, "Read-only file system", "/cd/x.db"))
    assert _os_error(OSError(errno.EBADF, "Bad file descriptor")) is None   # a bug stays a bug


def test_memory_error_is_a_message_and_exit_2(run_cli, monkeypatch):
    import datactiviste.ingest.importer as load

    def no_memory(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(load, "import_file", no_memory)
    import pathlib
    pathlib.Path("x.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    result = run_cli("--lang", "fr", "import", "x.csv")
    assert result.exit_code == 2
    assert "Pas assez de mémoire" in result.output and "inattendue" not in result.output
