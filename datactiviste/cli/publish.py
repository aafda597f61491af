"""`datactiviste publish`: parse options, call datactiviste.publish."""

from __future__ import annotations

import click

from datactiviste.cli.base import command, option
from datactiviste.cli.console import info, success
from datactiviste.i18n import LANGUAGES, _


@command("publish", epilog="Examples:\n"
                           "  datactiviste publish budget.db -o hub\n"
                           "  datactiviste publish budget.db elections.db -o hub --title \"Budgets\" "
                           "--licence \"Licence Ouverte 2.0\" --about-url https://example.org")
@click.argument("databases", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="DB...")
@option("-o", "--output", required=True, type=click.Path(file_okay=False),
        help="Deployment folder to write (updated in place if it exists).")
@option("--title", help="Title of the site (default: datactiviste: your data).")
@option("--lang", "language", type=click.Choice(LANGUAGES), default="fr", show_default=True,
        help="Language of the web pages.")
@option("--licence", help="Licence of the published data, shown on every page.")
@option("--about-url", help="Link to a page about the publisher (http or https).")
@option("--tiles", "tiles", multiple=True, type=click.Path(dir_okay=False), metavar="FILE.mbtiles",
        help="A tile pack shown under the maps (repeatable).")
@option("--no-wheels", is_flag=True, help="Do not gather the wheels (the folder then runs where "
                                          "datactiviste is installed, but docker build fails).")
def publish_command(databases, output, title, language, licence, about_url, tiles, no_wheels):
    """Write a deployment folder (Dockerfile, wheels, read-only databases) for a public server."""
    from datactiviste.publish.folder import PublishOptions, publish
    from datactiviste.safety import safe_href
    from datactiviste.errors import DatactivisteError

    if about_url and not safe_href(about_url):
        raise DatactivisteError(_("--about-url must be an http or https link: {url}").format(url=about_url))
    if not no_wheels:
        info(_("Gathering datactiviste and its dependencies as wheels (from PyPI or the pip cache)..."))
    changed = publish(databases, output, PublishOptions(title=title, language=language, licence=licence,
                                                        about_url=about_url, tiles=tiles),
                      wheels=not no_wheels)
    success(_("Deployment folder ready: {path} ({count} files written or updated). "
              "Read {path}/DEPLOY.md.").format(path=output, count=len(changed)))
