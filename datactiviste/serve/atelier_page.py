"""The trainer's pages of the live room: the code form, the dashboard and its refusals, as HTML.

Rendered through Datasette's `base.html` (the served pages' header, app.css and serve.css), so
the room looks like the rest of the site. Everything a learner sent (names, step ids of an
unknown curriculum) is hostile: escaped here, before it meets the page. The dashboard
refreshes itself every 10 s by fetching its own address and swapping its content (a meta
refresh without JavaScript); nothing leaves this server.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from datactiviste.serve.atelier_report import local_time, status_label
from datactiviste.serve.atelier_status import DONE, IN_PROGRESS, NOT_STARTED, STRUGGLING

REFRESH_SECONDS = 10
SYMBOLS = {DONE: "✓", STRUGGLING: "!", IN_PROGRESS: "…", NOT_STARTED: "·"}
CLASSES = {DONE: "dt-done", STRUGGLING: "dt-struggling", IN_PROGRESS: "dt-progress", NOT_STARTED: "dt-todo"}

TEMPLATE = ('{% extends "base.html" %}{% block title %}{{ dt_title }}{% endblock %}'
            "{% block extra_head %}{{ super() }}{{ dt_head }}{% endblock %}"
            "{% block content %}{{ dt_body }}{% endblock %}")

# Fetch this page again and swap the dashboard; on failure say so and keep the last one shown.
REFRESH_SCRIPT = """<script>
(function () {
  var box = document.getElementById("dt-atelier"), note = document.getElementById("dt-atelier-lost");
  function again() {
    fetch(window.location.href, {cache: "no-store", credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (text) {
      var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("dt-atelier");
      if (fresh) { box.innerHTML = fresh.innerHTML; }
      note.hidden = true;
    }).catch(function () { note.hidden = false; });
  }
  window.setInterval(again, %d);
})();
</script>""" % (REFRESH_SECONDS * 1000)


async def render(atelier, scope, title: str, body: str, head: str = "") -> str:
    from datasette.utils.asgi import Request

    datasette = atelier.datasette
    if datasette is None:  # the layer used alone (library tests): a bare page
        lang = escape(atelier.translator.language)
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{escape(title)}</title>{head}</head><body>{body}</body></html>\n")
    await datasette.invoke_startup()
    template = datasette.jinja_env.from_string(TEMPLATE)
    return await datasette.render_template(
        template, {"dt_title": title, "dt_body": Markup(body), "dt_head": Markup(head)},
        request=Request(dict(scope, csrftoken=lambda: ""), None))  # no form of ours posts to Datasette


def _form(atelier) -> str:
    from datactiviste.serve.atelier import PREFIX

    _ = atelier.translator.gettext
    return (f'<form class="dt-atelier-code" action="{PREFIX}" method="get">'
            f'<label for="dt-atelier-code">{escape(_("Trainer code:"))}</label> '
            '<input id="dt-atelier-code" name="code" type="password" autocomplete="off" '
            'autocapitalize="characters" spellcheck="false" maxlength="40" required> '
            f'<input type="submit" value="{escape(_("Open the room"))}"></form>')


async def code_form(atelier, scope, message: str) -> str:
    _ = atelier.translator.gettext
    said = (f'<p class="message-error">{escape(message)}</p>' if message else   # it says where the code is
            f"<p>{escape(_('The trainer code is printed in the terminal where the server was started.'))}</p>")
    body = f"<h1>{escape(_('Live room'))}</h1>" + said + _form(atelier)
    return await render(atelier, scope, _("Live room"), body)


async def refusal_page(atelier, scope, message: str, show_form: bool) -> str:
    _ = atelier.translator.gettext
    if show_form:
        return await code_form(atelier, scope, message)
    return await render(atelier, scope, _("Live room"),
                        f"<h1>{escape(_('Live room'))}</h1><p class=\"message-error\">{escape(message)}</p>")


def join_command(host: str, code: str = "CODE") -> str:
    """What a learner types: `datactiviste lesson join http://ADDRESS:PORT CODE`."""
    return f"datactiviste lesson join http://{host} {code}"


async def dashboard(atelier, scope, data: dict, host: str) -> str:
    from datactiviste.serve.atelier import EXPORT_PATH

    _ = atelier.translator.gettext
    ngettext = atelier.translator.ngettext
    tr = atelier.translator
    code = atelier.settings.trainer_code
    count = len(data["learners"])
    parts = [
        f"<h1>{escape(_('Live room'))}</h1>",
        f'<p class="dt-atelier-join">{escape(_("Room code (write it on the board):"))} '
        f'<strong class="dt-atelier-room">{escape(atelier.settings.room_code)}</strong><br>'
        f'{escape(_("Learners type:"))} <code>{escape(join_command(host))}</code></p>',
        f'<p class="dt-atelier-meta">{escape(ngettext("{count} learner", "{count} learners", count).format(count=count))}'
        f" · {escape(_('updated at {time}').format(time=local_time(data['now'], seconds=True)[11:]))}"
        f" · {escape(_('refreshes every {seconds} s').format(seconds=REFRESH_SECONDS))}"
        f' · <a href="{EXPORT_PATH}?code={escape(code)}" download>{escape(_("Export (CSV)"))}</a></p>',
        _stuck_section(tr, data),
    ]
    if data["modules"]:
        parts.append(_legend(tr))
    parts += [_module_section(tr, module, data["learners"]) for module in data["modules"]]
    if data["steps_left_out"]:
        note = ngettext("{count} step sent by learners is not in this server's lessons and is not shown.",
                        "{count} steps sent by learners are not in this server's lessons and are not shown.",
                        data["steps_left_out"]).format(count=data["steps_left_out"])
        parts.append(f'<p class="message-warning">{escape(note)}</p>')
    parts.append(_learners_section(tr, data))
    if not data["learners"]:
        parts.append(f"<p>{escape(_('Nobody has joined yet.'))}</p>")
    lost = ('<p id="dt-atelier-lost" class="message-warning" hidden>'  # outside the part swapped
            f"{escape(_('The server does not answer: the page shown is the last one received.'))}</p>")
    body = lost + '<div id="dt-atelier">' + "".join(parts) + "</div>" + REFRESH_SCRIPT
    head = f'<noscript><meta http-equiv="refresh" content="{REFRESH_SECONDS}"></noscript>'
    return await render(atelier, scope, _("Live room"), body, head)


def _legend(tr) -> str:
    signs = "".join(f'<span><b class="{CLASSES[status]}" aria-hidden="true">{SYMBOLS[status]}</b> '
                    f"{escape(status_label(tr, status))}</span>" for status in SYMBOLS)
    return f'<p class="dt-atelier-legend">{signs}</p>'


def _step_name(tr, module: int, position, title: str) -> str:
    return tr.gettext("module {module}, step {position} “{title}”").format(
        module=module, position=position, title=title)


def _stuck_section(tr, data) -> str:
    _ = tr.gettext
    ngettext = tr.ngettext
    positions = {(m["number"], s["id"]): s["position"] for m in data["modules"] for s in m["steps"]}
    items = []
    for stuck in data["stuck"]:
        why = (ngettext("{count} wrong try", "{count} wrong tries", stuck["wrong"]).format(count=stuck["wrong"])
               if not stuck["slow"] else _("much longer than planned"))
        since = _("since {time} ({minutes} min)").format(time=local_time(stuck["since"]), minutes=stuck["minutes"])
        where = _step_name(tr, stuck["module"], positions.get((stuck["module"], stuck["step"]), "?"), stuck["title"])
        items.append(f"<li><strong>{escape(stuck['name'])}</strong> — {escape(where)} — "
                     f"{escape(since)}, {escape(why)}</li>")
    content = (f'<ul class="bullets">{"".join(items)}</ul>' if items
               else f"<p>{escape(_('Nobody is stuck right now.'))}</p>")
    return f'<section class="dt-atelier-stuck"><h2>{escape(_("Stuck now"))}</h2>{content}</section>'


def _module_section(tr, module, learners) -> str:
    _ = tr.gettext
    ngettext = tr.ngettext
    heads = "".join(f'<th scope="col" title="{escape(s["title"])}">{escape(s["position"])}</th>'
                    for s in module["steps"])
    rows = []
    for learner in learners:
        cells = {c["step"]: c for c in learner["cells"] if c["module"] == module["number"]}
        if not cells:  # not in this module (the learners' list says where she is)
            continue
        shown = []
        for step in module["steps"]:
            cell = cells.get(step["id"], {})
            status = cell.get("status", NOT_STARTED)
            label = status_label(tr, status)
            if cell.get("attempts"):
                label += " — " + ngettext("{attempts} try, {wrong} wrong", "{attempts} tries, {wrong} wrong",
                                          cell["attempts"]).format(attempts=cell["attempts"], wrong=cell["wrong"])
            if cell.get("hints"):
                label += ", " + ngettext("{count} hint", "{count} hints", cell["hints"]).format(count=cell["hints"])
            if cell.get("solution"):
                label += ", " + _("solution shown")
            shown.append(f'<td class="{CLASSES[status]}" title="{escape(label)}">'
                         f'<span aria-hidden="true">{SYMBOLS[status]}</span>'
                         f'<span class="dt-sr">{escape(label)}</span></td>')
        rows.append(f'<tr><th scope="row">{escape(learner["name"])}</th>{"".join(shown)}</tr>')
    rates = "".join(f'<td title="{escape(_rate_text(tr, s))}">{escape(_rate(s))}</td>' for s in module["steps"])
    steps = "".join(f"<li><b>{escape(s['position'])}.</b> {escape(s['title'])}{escape(_planned(tr, s))} — "
                    f"{escape(_rate_text(tr, s))}</li>" for s in module["steps"])
    title = " — " + module["title"] if module["title"] else ""
    return (f'<section class="dt-atelier-module"><h2>{escape(_("Module {number}").format(number=module["number"]))}'
            f"{escape(title)}</h2>"
            f'<div class="table-wrapper"><table class="dt-atelier-grid"><thead><tr>'
            f'<th scope="col">{escape(_("Learner"))}</th>{heads}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody>'
            f'<tfoot><tr><th scope="row">{escape(_("Finished"))}</th>{rates}</tr></tfoot></table></div>'
            f'<ol class="dt-atelier-steps">{steps}</ol></section>')


def _rate(step) -> str:
    return f"{step['done']}/{step['reached']}" if step["reached"] else "–"


def _rate_text(tr, step) -> str:
    if not step["reached"]:
        return tr.gettext("nobody yet")
    percent = round(100 * step["done"] / step["reached"])
    return tr.gettext("finished: {done} of {reached} ({percent} %)").format(
        done=step["done"], reached=step["reached"], percent=percent)


def _planned(tr, step) -> str:
    if not step["planned_minutes"]:
        return ""
    from datactiviste.i18n.formats import format_number

    minutes = format_number(step["planned_minutes"], decimals=0, lang=tr.language)
    return " " + tr.gettext("({minutes} min planned)").format(minutes=minutes)


def _learners_section(tr, data) -> str:
    _ = tr.gettext
    if not data["learners"]:
        return ""
    titles = {(m["number"], s["id"]): (s["position"], s["title"]) for m in data["modules"] for s in m["steps"]}
    rows = []
    for learner in data["learners"]:
        current = learner["current"]
        where = _("finished") if learner["cells"] else _("nothing sent yet")
        if current is not None:
            position, title = titles.get((current["module"], current["step"]), ("?", current["step"]))
            where = _step_name(tr, current["module"], position, title)
        rows.append(f'<tr><th scope="row">{escape(learner["name"])}</th>'
                    f"<td>{escape(local_time(learner['heard']))}</td><td>{escape(where)}</td></tr>")
    return (f'<section class="dt-atelier-learners"><h2>{escape(_("Learners"))}</h2>'
            f'<div class="table-wrapper"><table class="dt-atelier-list"><thead><tr>'
            f'<th scope="col">{escape(_("Learner"))}</th><th scope="col">{escape(_("Last heard"))}</th>'
            f'<th scope="col">{escape(_("Now on"))}</th></tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table></div></section>")
