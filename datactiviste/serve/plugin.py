"""Our Datasette plugin: the `datasette` entry point `datactiviste` of our package, and
registered in-process by `app.build_datasette` when that entry point is not installed.

It acts only on a Datasette instance that asks for it: one built by `app.build_datasette`
(it carries a `datactiviste_options` attribute), or a plain `datasette` whose metadata
configures the plugin (`plugins: {datactiviste: {lang: fr, classroom: true}}`, see
`options_of`). Any other Datasette, even with datactiviste installed beside it, is untouched:
- `prepare_jinja2_environment`: wraps the template loader with `TranslatingLoader` and
  installs the gettext functions the rewritten templates call;
- `register_routes`: the translated column-menu script and our stylesheet (`layout.py`);
- `extra_css_urls`, `extra_js_urls`, `extra_body_script`: that stylesheet, the script that
  opens folded panels on wide screens (`layout.py`), and on tables with latitude/longitude
  the offline map (`map.py`);
- `render_cell`: numbers and BLOB sizes in the HTML cells written in the page's language (`cells.py`).
"""

from __future__ import annotations

from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response
from jinja2 import pass_context
from markupsafe import Markup

from datactiviste.i18n.formats import format_number
from datactiviste.errors import DatactivisteError
from datactiviste.serve.sqlguard import explain_failure, guard_connection
from datactiviste.serve.describe import describe_table, translate_error
from datactiviste.serve.upload import (MAX_UPLOAD_BYTES, UPLOAD_PATH, import_upload,
                                       parse_multipart, result_page_source, same_origin, upload_form)
from datactiviste.serve.home import join_hint, lessons_panel
from datactiviste.serve import layout
from datactiviste.serve.map import VENDOR_PREFIX, coordinate_columns, countries_json, map_script, read_vendor_file
from datactiviste.serve.translate import TranslatingLoader, translate_table_js

PLUGIN_NAME = "datactiviste-serve"
STATIC_PREFIX = "/-/datactiviste/"


CONFIG_NAME = "datactiviste"  # the key under `plugins` in Datasette's metadata


def options_of(datasette):
    """Our options for this instance, or None when it did not ask for our plugin.

    `datactiviste serve` attaches them; a plain `datasette` gets them from its plugin
    configuration ({"lang": "fr"|"en", "classroom": bool}), read once and kept on the instance.
    """
    options = getattr(datasette, "datactiviste_options", None)
    if options is not None or getattr(datasette, "_datactiviste_unconfigured", False):
        return options
    config = datasette.plugin_config(CONFIG_NAME) if hasattr(datasette, "plugin_config") else None
    if not isinstance(config, dict):
        datasette._datactiviste_unconfigured = True
        return None
    from datactiviste.serve.app import ServeOptions
    from datactiviste.serve.tiles import open_tile_pack

    language = config.get("lang") if config.get("lang") in ("fr", "en") else "fr"
    base = Path(getattr(datasette, "config_dir", None) or ".")  # tiles/ of a published folder
    options = ServeOptions(language=language, classroom=bool(config.get("classroom")),
                           tiles=[open_tile_pack(base / t) for t in config.get("tiles") or []])
    datasette.datactiviste_options = options
    return options


@hookimpl
def prepare_jinja2_environment(env, datasette):
    options = options_of(datasette)
    if options is None:
        return
    translator = options.translator
    loader = TranslatingLoader(env.loader)
    options.loader = loader
    env.loader = loader
    env.cache.clear() if env.cache is not None else None
    language = translator.language
    env.globals.update({
        "_": translator.gettext,
        "_n": translator.ngettext,
        "dt_lang": language,
        "dt_number": lambda value, decimals=0: format_number(value, decimals, lang=language),
        "dt_error": lambda error: translate_error(translator, error),
        "dt_describe": lambda filters, search, sort, sort_desc, fallback="": describe_table(
            translator, filters, search, sort, sort_desc, fallback),
        "dt_table_js": lambda: datasette.urls.path(STATIC_PREFIX + f"table-{language}.js"),
        "dt_banner": Markup(options.banner_html or ""),
        "dt_upload_form": lambda: upload_form(datasette),
        "dt_lessons": pass_context(lambda context: join_hint(options, context.get("request")) + lessons_panel(language)),
    })


@hookimpl
def register_routes(datasette):
    # Routes are collected when Datasette builds its app, possibly before our options are set
    # (its test client does so in the constructor): the views check at request time.

    async def table_js(datasette, request):
        import datasette as datasette_package

        if options_of(datasette) is None:
            return Response.text("", status=404)
        source = (Path(datasette_package.__file__).parent / "static" / "table.js").read_text("utf-8")
        body = translate_table_js(source, options_of(datasette).translator)
        return Response(body, content_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    async def stylesheet(datasette, request):
        if options_of(datasette) is None:
            return Response.text("", status=404)
        return Response(layout.stylesheet(), content_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    async def vendor(datasette, request):
        found = read_vendor_file(request.url_vars["name"])
        if options_of(datasette) is None or found is None:
            return Response.text("", status=404)
        body, content_type = found
        return Response(body, content_type=content_type, headers={"Cache-Control": "max-age=86400"})

    async def countries(datasette, request):
        if options_of(datasette) is None:
            return Response.text("", status=404)
        return Response(countries_json(), content_type="application/geo+json",
                        headers={"Cache-Control": "max-age=86400"})

    async def upload(datasette, request):
        options = options_of(datasette)
        if options is None or options.classroom:
            return Response.text("", status=404 if options is None else 403)
        if request.method != "POST":
            return Response.redirect(datasette.urls.instance())
        if not same_origin(request.headers):
            return Response.text(options.translator.gettext("Refused: this form must be sent from "
                                                            "the datactiviste page."), status=403)
        body = await request.post_body()
        error = results = None
        fields = {}
        if len(body) > MAX_UPLOAD_BYTES:
            error = DatactivisteError(options.translator.gettext("The file is too big to send "
                                                                 "through the browser: use datactiviste import."))
        else:
            try:
                fields = parse_multipart(request.headers.get("content-type", ""), body)
                results = import_upload(datasette, fields)
            except DatactivisteError as caught:
                error = caught
        source, context = result_page_source(results, error, datasette, fields.get("database"))
        html = await datasette.render_template(datasette.jinja_env.from_string(source), context,
                                               request=request)
        return Response.html(html, status=400 if error else 200)

    async def tile(datasette, request):
        options = options_of(datasette)
        vars_ = request.url_vars
        index, z, x, y = (int(vars_[k]) for k in ("index", "z", "x", "y"))
        if options is None or index >= len(options.tiles):
            return Response.text("", status=404)
        pack = options.tiles[index]
        data = pack.tile(z, x, y)
        if data is None:
            return Response.text("", status=404)
        return Response(data, content_type=pack.content_type, headers={"Cache-Control": "max-age=86400"})

    async def robots(datasette, request):
        policy = (datasette.plugin_config(CONFIG_NAME) or {}).get("robots")
        if options_of(datasette) is None or not isinstance(policy, str):
            return Response.text("", status=404)
        return Response.text(policy)

    return [
        (r"^/robots\.txt$", robots),  # a published folder's policy (datactiviste publish)
        (r"^/-/datactiviste/tiles/(?P<index>\d+)/(?P<z>\d+)/(?P<x>\d+)/(?P<y>\d+)(\.\w+)?$", tile),
        (r"^/-/datactiviste/upload$", upload),
        (r"^/-/datactiviste/table-(?P<lang>[a-z]+)\.js$", table_js),
        (r"^/-/datactiviste/serve\.css$", stylesheet),
        (r"^/-/datactiviste/vendor/(?P<name>[A-Za-z.]+)$", vendor),
        (r"^/-/datactiviste/countries\.geojson$", countries),
    ]


def _map_columns(datasette, view_name, columns):
    if options_of(datasette) is None or view_name != "table":
        return None
    return coordinate_columns(columns)


@hookimpl
def extra_css_urls(datasette, view_name, columns):
    if options_of(datasette) is None:
        return []
    urls = [datasette.urls.path(STATIC_PREFIX + "serve.css")]
    if _map_columns(datasette, view_name, columns):
        urls += [datasette.urls.path(VENDOR_PREFIX + name)
                 for name in ("leaflet.css", "MarkerCluster.css", "MarkerCluster.Default.css")]
    return urls


@hookimpl
def extra_js_urls(datasette, view_name, columns):
    if not _map_columns(datasette, view_name, columns):
        return []
    return [datasette.urls.path(VENDOR_PREFIX + name)
            for name in ("leaflet.js", "leaflet.markercluster.js")]


@hookimpl
def extra_body_script(datasette, view_name, columns):
    options = options_of(datasette)
    if options is None:
        return ""
    found = _map_columns(datasette, view_name, columns)
    if not found:
        return layout.FOLD_SCRIPT
    return layout.FOLD_SCRIPT + map_script(found[0], found[1], datasette.urls, options.translator, options.tiles)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    options = options_of(datasette)
    if options is None:
        return None
    return options.cells.render(value, column, table, database, datasette, row)


@hookimpl
def prepare_connection(conn, datasette):
    """Every served connection, local or classroom: see sqlguard (authorizer, limits, budget)."""
    options = options_of(datasette)
    if options is not None:
        guard_connection(conn, options.classroom, options.translator)


@hookimpl
def handle_exception(datasette, request, exception):
    """A query stopped by the SQLite heap cap: a clear 400, not a 500 with a traceback."""
    options = options_of(datasette)
    message = explain_failure(exception, options.translator) if options is not None else None
    if message is None:
        return None
    from datasette.handle_exception import handle_exception as render_error
    from datasette.views.base import DatasetteError

    return render_error(datasette, request, DatasetteError(message, status=400))


@hookimpl
def asgi_wrapper(datasette):
    """Datasette's CSV pages, formulas neutralised (see csvguard); checked per request, since
    Datasette may build its app before our options are set."""
    from datactiviste.serve.csvguard import CsvFormulaFilter

    return lambda app: CsvFormulaFilter(app, enabled=lambda: options_of(datasette) is not None)


@hookimpl
def skip_csrf(datasette, scope):
    """The upload route checks its origin itself (see upload.same_origin)."""
    return options_of(datasette) is not None and scope.get("path", "").endswith(UPLOAD_PATH)


def register() -> None:
    """Register this module with Datasette's plugin manager, once per process."""
    import sys

    from datasette.plugins import pm

    # Installed, the entry points already registered both modules (under other names).
    if not pm.is_registered(sys.modules[__name__]):
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)
    from datactiviste.serve import search_page  # the search boxes and the search-all page

    if not pm.is_registered(search_page):
        pm.register(search_page, name=search_page.PLUGIN_NAME)
