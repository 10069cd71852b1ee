"""The corrective actions of an investigation (docs/process.md §4, §6)."""

from odoo import Command, api, fields, models
from odoo.addons.quality_complaint.lang import company_envs
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, OFFICER, role
from odoo.exceptions import AccessError, UserError

# Actions that count in the report (a cancelled action was not chosen).
LIVE_STATES = ("draft", "open", "done", "effective", "reopened")

VIEW_8D = "quality_complaint_action.quality_complaint_investigation_view_form_8d"


class QualityComplaintInvestigation(models.Model):
    _inherit = "quality.complaint.investigation"

    action_ids = fields.One2many(
        "quality.complaint.action", "investigation_id", string="Corrective actions"
    )
    action_count = fields.Integer(string="Corrective action count", compute="_compute_action_count")

    qc8d_team_ids = fields.Many2many(
        "res.users",
        string="D1 Team",
        compute="_compute_qc8d_team_ids",
        help="The investigation's owner, the complaint handlers, the action owners and "
        "the approver.",
    )
    qc8d_customer_ids = fields.Many2many(
        "res.partner", string="Customers", compute="_compute_qc8d_problem"
    )
    qc8d_affected_qty = fields.Float(
        string="Affected quantity",
        digits="Product Unit",
        compute="_compute_qc8d_problem",
        help="Units affected, as the complaints report them.",
    )
    qc8d_first_complaint_date = fields.Datetime(
        string="First complaint", compute="_compute_qc8d_problem"
    )
    qc8d_containment_action_ids = fields.Many2many(
        "quality.complaint.action",
        string="D3 Containment actions",
        compute="_compute_qc8d_actions",
    )
    qc8d_why_conclusion = fields.Char(
        string="5-Why conclusion",
        compute="_compute_qc8d_root_cause",
        help="The answer to the last why.",
    )
    qc8d_root_cause_ids = fields.Many2many(
        "quality.complaint.fishbone.cause",
        string="Fishbone root causes",
        compute="_compute_qc8d_root_cause",
    )
    qc8d_corrective_action_ids = fields.Many2many(
        "quality.complaint.action",
        string="D5 Corrective actions",
        compute="_compute_qc8d_actions",
    )
    qc8d_implemented_action_ids = fields.Many2many(
        "quality.complaint.action",
        string="D6 Implemented actions",
        compute="_compute_qc8d_actions",
        help="Actions done, or verified effective.",
    )
    qc8d_preventive_action_ids = fields.Many2many(
        "quality.complaint.action",
        string="D7 Preventive actions",
        compute="_compute_qc8d_actions",
    )
    qc8d_effective_count = fields.Integer(
        string="Actions verified effective", compute="_compute_qc8d_actions"
    )
    qc8d_action_total = fields.Integer(string="Actions", compute="_compute_qc8d_actions")
    qc8d_closed_ticket_count = fields.Integer(
        string="Complaints closed", compute="_compute_qc8d_closure"
    )
    qc8d_closure = fields.Char(string="D8 Closure", compute="_compute_qc8d_closure")

    @api.depends("action_ids")
    def _compute_action_count(self):
        groups = self.env["quality.complaint.action"]._read_group(
            [("investigation_id", "in", self.ids)], ["investigation_id"], ["__count"]
        )
        counts = {investigation.id: count for investigation, count in groups}
        for investigation in self:
            investigation.action_count = counts.get(investigation.id, 0)

    @role(CUSTOMER_SERVICE)
    def action_view_actions(self):
        self.ensure_one()
        return self.env["quality.complaint.action"]._qca_action_for(
            [("investigation_id", "=", self.id)],
            name=self.env._("Actions of %s", self.name),
            context={"default_investigation_id": self.id, "default_company_id": self.company_id.id},
        )

    # ================================================================
    # Proposed actions (docs/process.md §4): from the approved root cause, the company's
    # action proposals (quality.complaint.action.template) become draft actions.
    # ================================================================
    @role(OFFICER, refusal="_qc_check_can_propose")
    def action_propose_actions(self):
        """Draft actions from the proposals for the approved root cause, once each."""
        self.ensure_one()
        self._qc_check_can_propose()
        Action = self.env["quality.complaint.action"]
        proposals = self._qc_proposals()
        if not proposals:
            raise UserError(
                self.env._(
                    "No action is proposed for the root cause of %(ref)s (%(categories)s): "
                    "add proposals under Configuration > Action Proposals, or add the "
                    "actions by hand.",
                    ref=self.name,
                    categories=", ".join(self._qc_category_labels(self._qc_cause_categories())),
                )
            )
        proposed = (
            Action.with_context(active_test=False)
            .search([("investigation_id", "=", self.id), ("template_id", "!=", False)])
            .template_id
        )
        todo = [(template, cause) for template, cause in proposals if template not in proposed]
        scopes = {}
        vals_list = []
        for template, cause in todo:
            key = (template.root_cause_category, template.to_supplier)
            if key not in scopes:
                scopes[key] = self._qc_proposal_scope(*key)
            vals_list.append(self._qc_proposal_vals(template, cause, scopes[key]))
        actions = Action.create(vals_list) if vals_list else Action
        self._qc_on_actions_proposed(actions)
        return Action._qca_action_for(
            [("investigation_id", "=", self.id), ("template_id", "!=", False)],
            name=self.env._("Proposed actions of %s", self.name),
            context={"default_investigation_id": self.id, "default_company_id": self.company_id.id},
        )

    def _qc_check_can_propose(self):
        if not self.env.user.has_group("quality_complaint.group_complaint_officer"):
            raise AccessError(self.env._("Only a quality officer can propose corrective actions."))
        for investigation in self:
            if investigation.state != "approved":
                raise UserError(
                    self.env._(
                        "Investigation %(ref)s is not approved: actions are proposed from "
                        "an approved root cause. Have the analysis approved first, or add "
                        "the actions by hand.",
                        ref=investigation.name,
                    )
                )

    def _qc_cause_categories(self):
        """The root-cause categories: the investigation's, then its fishbone root causes'."""
        self.ensure_one()
        categories = [self.root_cause_category] if self.root_cause_category else []
        for cause in self._qc_root_causes():
            if cause.category not in categories:
                categories.append(cause.category)
        return categories

    def _qc_category_labels(self, categories):
        labels = dict(self._fields["root_cause_category"]._description_selection(self.env))
        return [labels[category] for category in categories] or [self.env._("none")]

    def _qc_root_causes(self):
        return self.fishbone_cause_ids.filtered("is_root_cause").sorted(
            lambda c: (c.sequence, c.id)
        )

    def _qc_proposals(self):
        """[(template, fishbone root cause or empty)] for the root causes, in order."""
        self.ensure_one()
        categories = self._qc_cause_categories()
        if not categories:
            return []
        templates = self.env["quality.complaint.action.template"].search(
            [
                ("root_cause_category", "in", categories),
                ("company_id", "in", [self.company_id.id, False]),
            ]
        )
        causes = self._qc_root_causes()
        result = []
        for category in categories:
            cause = causes.filtered(lambda c, cat=category: c.category == cat)[:1]
            for template in templates.filtered(
                lambda t, cat=category: t.root_cause_category == cat
            ):
                result.append((template, cause))
        return result

    def _qc_proposal_vals(self, template, cause, scope):
        """Values of the draft action ``template`` proposes, answering ``cause``."""
        self.ensure_one()
        department = template.department_id
        if cause:
            source = "fishbone"
        elif self.why_ids and self.root_cause_category == template.root_cause_category:
            source = "five_whys"
        else:
            source = False
        vals = {
            "title": template.title,
            "kind": template.kind,
            "description": template.description,
            "investigation_id": self.id,
            "company_id": self.company_id.id,
            "template_id": template.id,
            "department_id": department.id,
            "user_id": (department.user_id or self.user_id).id,
            "date_deadline": fields.Date.add(
                fields.Date.context_today(self), days=template.deadline_days
            ),
            "root_cause_source": source,
            "fishbone_cause_id": cause.id,
            "product_ids": [Command.set(scope["products"].ids)],
            "lot_ids": [Command.set(scope["lots"].ids)],
        }
        if template.to_supplier and scope["supplier"]:
            vals["partner_id"] = scope["supplier"].id
            vals["purchase_order_ids"] = [Command.set(scope["purchase_orders"].ids)]
        return vals

    def _qc_proposal_scope(self, category, to_supplier):
        """Supplier, lots, purchase orders and products of a proposed action.

        The investigation's lots; for a material cause, also the bought component
        lots the production traceability gives (those of the supplier at fault, when
        known). Purchase orders: those that received these lots from the supplier.
        """
        self.ensure_one()
        supplier = self.supplier_id.commercial_partner_id
        lots = self.lot_ids
        # the purchase order of a receipt is for purchasing users: read as superuser
        Move = self.env["quality.complaint.lot.move"].sudo()
        if category == "material":
            components = self._qc_component_lots() - lots
            receipts = Move.search([("lot_id", "in", components.ids), ("kind", "=", "receipt")])
            if supplier:
                receipts = receipts.filtered(lambda m: m.partner_id == supplier)
            lots |= components & receipts.lot_id
        orders = self.env["purchase.order"]
        if to_supplier and supplier and lots:
            receipts = Move.search(
                [
                    ("lot_id", "in", lots.ids),
                    ("kind", "=", "receipt"),
                    ("partner_id", "=", supplier.id),
                ]
            )
            orders = receipts.purchase_id.with_env(self.env)
        return {
            "supplier": supplier,
            "lots": lots,
            "products": lots.product_id | self.product_id,
            "purchase_orders": orders,
        }

    def _qc_component_lots(self):
        """Lots consumed to make the investigation's lots (the Manufacturing bridge)."""
        return self.env["stock.lot"]

    def _qc_on_actions_proposed(self, actions):
        """Hook: ``actions`` were just proposed (the bridges pre-fill more)."""
        return None

    # ================================================================
    # end of proposed actions
    # ================================================================

    # ================================================================ verification
    # Closing and reopening with the effectiveness of the actions (docs/process.md §6); see
    # corrective_action_verification.py.
    def _qci_close_if_verified(self):
        """Close the approved investigations whose actions (not cancelled; at least
        one) are all verified effective."""
        closing = self.browse()
        for investigation in self.filtered(lambda inv: inv.state == "approved"):
            actions = investigation.action_ids.filtered(lambda a: a.state != "cancelled")
            if actions and all(action.state == "effective" for action in actions):
                closing |= investigation
        if not closing:
            return
        closing._qc_write_protected({"state": "closed"})
        envs = company_envs(self.env, closing)  # notes for everyone
        closing._message_log_batch(
            {
                investigation.id: envs[investigation.company_id]._(
                    "Closed: all its corrective actions are verified effective (%(refs)s).",
                    refs=", ".join(
                        investigation.action_ids.filtered(lambda a: a.state == "effective").mapped(
                            "name"
                        )
                    ),
                )
                for investigation in closing
            }
        )

    def _qci_reopen_for(self, actions, reason):
        """A closed investigation whose action is reopened (or a new one opened)
        is approved again: its work is not over."""
        reopening = self.filtered(lambda inv: inv.state == "closed")
        if not reopening:
            return
        reopening._qc_write_protected({"state": "approved"})
        envs = company_envs(self.env, reopening)  # notes for everyone
        reopening._message_log_batch(
            {
                investigation.id: envs[investigation.company_id]._(
                    "Reopened with %(refs)s: %(reason)s",
                    refs=", ".join(
                        actions.filtered(lambda a, i=investigation: a.investigation_id == i).mapped(
                            "name"
                        )
                    ),
                    reason=reason,
                )
                for investigation in reopening
            }
        )

    # ------------------------------------------------------------ investigation 8d

    @api.depends(
        "user_id",
        "approved_by_id",
        "ticket_ids.user_id",
        "action_ids.user_id",
        "action_ids.state",
    )
    def _compute_qc8d_team_ids(self):
        for investigation in self:
            actions = investigation.action_ids.filtered(lambda a: a.state in LIVE_STATES)
            users = (
                investigation.user_id
                | investigation.ticket_ids.user_id
                | actions.user_id
                | investigation.approved_by_id
            )
            investigation.qc8d_team_ids = users.filtered(lambda u: not u.share)

    @api.depends("ticket_ids.partner_id", "ticket_ids.affected_qty", "ticket_ids.create_date")
    def _compute_qc8d_problem(self):
        for investigation in self:
            tickets = investigation.ticket_ids
            investigation.qc8d_customer_ids = tickets.partner_id.commercial_partner_id
            investigation.qc8d_affected_qty = sum(tickets.mapped("affected_qty"))
            dates = [date for date in tickets.mapped("create_date") if date]
            investigation.qc8d_first_complaint_date = min(dates) if dates else False

    @api.depends("action_ids.kind", "action_ids.state")
    def _compute_qc8d_actions(self):
        for investigation in self:
            actions = investigation.action_ids.filtered(lambda a: a.state in LIVE_STATES).sorted(
                lambda a: (a.date_deadline or fields.Date.today(), a.id)
            )
            investigation.qc8d_containment_action_ids = actions.filtered(
                lambda a: a.kind == "containment"
            )
            investigation.qc8d_corrective_action_ids = actions.filtered(
                lambda a: a.kind == "corrective"
            )
            investigation.qc8d_preventive_action_ids = actions.filtered(
                lambda a: a.kind == "preventive"
            )
            investigation.qc8d_implemented_action_ids = actions.filtered(
                lambda a: a.state in ("done", "effective")
            )
            investigation.qc8d_effective_count = len(
                actions.filtered(lambda a: a.state == "effective")
            )
            investigation.qc8d_action_total = len(actions)

    @api.depends(
        "why_ids.because",
        "why_ids.why",
        "why_ids.sequence",
        "fishbone_cause_ids.is_root_cause",
    )
    def _compute_qc8d_root_cause(self):
        for investigation in self:
            last = investigation.why_ids.sorted(lambda w: (w.sequence, w.id or 0))[-1:]
            investigation.qc8d_why_conclusion = last.because or last.why or False
            investigation.qc8d_root_cause_ids = investigation.fishbone_cause_ids.filtered(
                "is_root_cause"
            )

    @api.depends("state", "ticket_ids.stage_id", "action_ids.state")
    def _compute_qc8d_closure(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for investigation in self:
            tickets = investigation.ticket_ids
            closed = len(tickets.filtered(lambda t: t.stage_id.closed))
            investigation.qc8d_closed_ticket_count = closed
            investigation.qc8d_closure = self.env._(
                "%(state)s; %(closed)s of %(total)s complaints closed; %(effective)s of "
                "%(actions)s actions verified effective",
                state=states.get(investigation.state, ""),
                closed=closed,
                total=len(tickets),
                effective=investigation.qc8d_effective_count,
                actions=investigation.qc8d_action_total,
            )

    @role(CUSTOMER_SERVICE)
    def action_open_8d(self):
        """The 8D report: a read-only view of what the investigation records."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("8D Report %s", self.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref(VIEW_8D).id, "form")],
            "context": {"create": False, "edit": False, "delete": False},
        }
