"""Every screen of our modules opens, after the upgrade (``bin/qc upgrade-check``).

Run in an ``odoo shell`` of the current code on the updated database. As the
administrator (a real user, not the superuser):

- every window action whose external id is of a ``quality_complaint*`` module:
  ``get_views`` of its view modes (and its search view), then the first 5 records
  with ``web_search_read`` on the fields its views show, and the form's fields of
  the first record with ``web_read``, as the web client asks them;
- every view of our modules is valid (``_check_xml``) and, when primary, renders
  with ``get_views``.

Prints one line per failure (the action or view, and why) and exits with status 1
when there is one; nothing is written.
"""
# ruff: noqa: F821  (``env`` is given by odoo shell)

import datetime
import sys

from dateutil.relativedelta import relativedelta

from odoo.tools.safe_eval import safe_eval

admin_env = env(user=env.ref("base.user_admin").id, su=False)
failures = []


def fail(what, error):
    failures.append(what)
    print(f"[views] FAILED: {what}: {type(error).__name__}: {str(error)[:500]}")


def xmlids(model):
    env.cr.execute(
        "SELECT res_id, module || '.' || name FROM ir_model_data"
        " WHERE model = %s AND module LIKE 'quality\\_complaint%%' ORDER BY module, name",
        (model,),
    )
    return env.cr.fetchall()


def eval_context(action):
    today = datetime.date.today()
    return {
        **env["ir.actions.actions"].with_env(admin_env)._get_eval_context(action),
        "active_id": False,
        "active_ids": [],
        "active_model": action.binding_model_id.model or action.res_model,
        "context_today": lambda: today,
        "relativedelta": relativedelta,
        "allowed_company_ids": admin_env.user.company_ids.ids,
        "current_company_id": admin_env.company.id,
        "company_id": admin_env.company.id,
    }


def spec_of(fields):
    return {
        name: {}
        for name, field in fields.items()
        if field.get("type") not in ("properties", "properties_definition")
    }


actions = xmlids("ir.actions.act_window")
for action_id, xmlid in actions:
    action = admin_env["ir.actions.act_window"].browse(action_id)
    what = f"action {xmlid} ({action.name!r}, {action.res_model})"
    try:
        ctx = eval_context(action)
        context = safe_eval(action.context or "{}", ctx)
        domain = safe_eval(action.domain or "[]", {**ctx, "context": context})
        model = admin_env[action.res_model].with_context(
            **{k: v for k, v in context.items() if not k.startswith("search_default")}
        )
        modes = [m.strip() for m in (action.view_mode or "list,form").split(",") if m.strip()]
        explicit = {view.view_mode: view.view_id.id for view in action.view_ids}
        views = [
            [explicit.get(mode) or (action.view_id.type == mode and action.view_id.id), mode]
            for mode in modes
        ] + [[action.search_view_id.id or False, "search"]]
        result = model.get_views(views, {"action_id": action.id, "load_filters": True})
        fields = result["models"][action.res_model]["fields"]
        if action.target == "new" or model._transient:
            # a dialog: its form opens on a new record
            model.onchange({}, [], {name: {} for name in spec_of(fields)})
            print(f"[views] ok: {what}: dialog {', '.join(modes)}")
            continue
        records = model.web_search_read(domain, spec_of(fields), limit=5)
        if "form" in modes and records["records"]:
            form = model.get_views([[explicit.get("form", False), "form"]])
            form_fields = form["models"][action.res_model]["fields"]
            model.browse(records["records"][0]["id"]).web_read(spec_of(form_fields))
        print(f"[views] ok: {what}: {', '.join(modes)}, {records['length']} records")
    except Exception as error:
        fail(what, error)

views = xmlids("ir.ui.view")
for view_id, xmlid in views:
    view = env["ir.ui.view"].browse(view_id)
    what = f"view {xmlid} ({view.type} of {view.model})"
    try:
        view._check_xml()
        if view.mode == "primary" and view.type != "qweb" and view.model in env:
            admin_env[view.model].get_views([[view.id, view.type]])
    except Exception as error:
        fail(what, error)

env.cr.rollback()
print(f"[views] {len(actions)} window actions, {len(views)} views: {len(failures)} failed")
if failures:
    sys.exit(1)
