"""Every public method of our models declares who may call it, and refuses
everybody else over the web client's JSON-RPC (ARCHITECTURE.md, Security).

The test walks the registry rather than a list: a method added tomorrow without
``@role`` or ``@api.private`` fails here, and a declared one is called as every
role of the matrix that it does not name."""

from lxml import etree

from odoo.addons.quality_complaint.tests.common_rpc import call_kw, role_users
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

OUR_MODULES = ("quality_complaint",)


def is_ours(klass):
    module = getattr(klass, "_module", None) or ""
    return module == OUR_MODULES[0] or module.startswith(OUR_MODULES[0] + "_")


def our_public_methods(env):
    """{(model, method): function} for every public method that one of our
    addons introduces (overrides of Odoo's or OCA's own methods keep their
    owner's access rules), with the definitions of every addon of ours."""
    found = {}
    for model_name in env.registry:
        cls = type(env[model_name])
        classes = cls.__mro__[1:]
        foreign = set()
        for klass in classes:
            if not is_ours(klass):
                foreign.update(vars(klass))
        for klass in classes:
            if not is_ours(klass):
                continue
            for name, attr in vars(klass).items():
                if name.startswith("_") or name in foreign or not callable(attr):
                    continue
                if isinstance(attr, (classmethod, staticmethod, type)):
                    continue
                found.setdefault((model_name, name), []).append((klass, attr))
    return found


@tagged("post_install", "-at_install")
class TestRoles(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        customer = Partner.create({"name": "Roles Customer", "is_company": True})
        supplier = Partner.create({"name": "Roles Supplier", "is_company": True})
        cls.users = role_users(cls.env, "qc_roles", customer, supplier)
        cls.methods = our_public_methods(cls.env)

    def test_every_public_method_declares_a_role(self):
        self.assertGreater(len(self.methods), 50, "the registry walk finds our methods")
        undeclared = sorted(
            f"{model}.{name} ({klass._module})"
            for (model, name), definitions in self.methods.items()
            for klass, attr in definitions
            if not getattr(attr, "_qc_roles", None) and not getattr(attr, "_api_private", False)
        )
        self.assertFalse(
            undeclared,
            "Public methods without @role(...) or @api.private:\n" + "\n".join(undeclared),
        )

    @mute_logger("odoo.http")
    def test_roles_are_refused_over_json_rpc(self):
        """Each declared method, called over /web/dataset/call_kw by each role it
        does not name, is refused by its role check and runs nothing."""
        declared = {}
        refusals = {}
        for model, name in self.methods:
            method = getattr(type(self.env[model]), name)
            roles = getattr(method, "_qc_roles", None)
            if roles and not self.env[model]._abstract:
                declared[model, name] = (roles, getattr(method, "_api_model", False))
                refusals[model, name] = method._qc_refusal
        self.assertIn(("quality.complaint.remedy", "action_execute"), declared)
        record_ids = {}
        for model, _name in declared:
            if model not in record_ids:
                Model = self.env[model].sudo()
                record = Model if Model._abstract else Model.search([], limit=1, order="id")
                record_ids[model] = record.id or 1
        calls = 0
        for role_name, user in self.users.items():
            self.authenticate(user.login, user.login)
            for (model, name), (roles, model_level) in sorted(declared.items()):
                if any(user.has_group(group) for group in roles):
                    continue
                args = [] if model_level else [[record_ids[model]]]
                result, error = call_kw(self, model, name, args)
                calls += 1
                self.assertTrue(error, f"{role_name} called {model}.{name}: {result!r}")
                self.assertEqual(
                    error["name"],
                    "odoo.exceptions.AccessError",
                    f"{role_name} calling {model}.{name}: {error}",
                )
                if not refusals[model, name]:
                    self.assertIn(
                        "may not do this",
                        error["message"],
                        f"{role_name} calling {model}.{name} is refused by its role",
                    )
        self.assertGreater(calls, 300)

    def test_public_session_reaches_no_method(self):
        self.authenticate(None, None)
        _result, error = call_kw(self, "quality.complaint.remedy", "action_execute", [[1]])
        self.assertTrue(error)
        self.assertIn("SessionExpired", error["name"])

    def test_buttons_are_shown_to_roles_that_may_use_them(self):
        """A button of our views, shown to a group, calls a method that group's
        users may call: nobody is shown a button that refuses them."""
        data = self.env["ir.model.data"].search(
            [("module", "=like", "quality_complaint%"), ("model", "=", "ir.ui.view")]
        )
        views = self.env["ir.ui.view"].browse(data.mapped("res_id"))
        wrong, checked = [], 0
        for view in views.exists():
            if view.model not in self.env:
                continue
            Model = type(self.env[view.model])
            for button in etree.fromstring(view.arch_db or "<x/>").iter("button"):
                name, groups = button.get("name"), button.get("groups")
                if button.get("type") != "object" or not groups or not name:
                    continue
                if any(node.tag == "field" for node in button.iterancestors()):
                    continue  # a button of a line: another model
                roles = getattr(getattr(Model, name, None), "_qc_roles", None)
                if not roles:
                    continue
                allowed = {self.env.ref(role).id for role in roles}
                for xmlid in groups.split(","):
                    if xmlid.startswith("!"):
                        continue
                    group = self.env.ref(xmlid.strip())
                    checked += 1
                    if not allowed & set(group.all_implied_ids.ids):
                        wrong.append(f"{view.xml_id or view.name}: {name} shown to {xmlid}")
        self.assertGreater(checked, 30)
        self.assertFalse(
            wrong, "Buttons shown to groups their method refuses:\n" + "\n".join(wrong)
        )

    def test_matrix_allows_the_business(self):
        """The roles that have the business are let through (not refused by the
        role check): customer service executes remedies, purchasing reviews
        supplier answers, only a quality manager releases a held lot."""
        Remedy = type(self.env["quality.complaint.remedy"])
        Action = type(self.env["quality.complaint.action"])
        Lot = type(self.env["stock.lot"])
        users = self.users
        allowed = [
            (Remedy.action_execute, "customer_service", True),
            (Remedy.action_execute, "purchase", False),
            (Remedy.action_execute, "stock", False),
            (Action.action_accept_supplier_answer, "purchase", True),
            (Action.action_open, "purchase", False),
            (Action.action_done, "purchase", False),
            (Action.action_cancel, "purchase", False),
            (Action.action_reset_draft, "purchase", False),
            (Lot.action_qc_release_hold, "officer", False),
            (Lot.action_qc_release_hold, "manager", True),
            (Lot.action_qc_release_hold, "stock", False),
        ]
        for method, role_name, expected in allowed:
            user = users[role_name]
            self.assertEqual(
                any(user.has_group(group) for group in method._qc_roles),
                expected,
                f"{role_name} on {method.__name__}",
            )
