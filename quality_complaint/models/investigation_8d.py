"""The 8D report of an investigation (SPEC §4): assembled, never typed twice.

Each discipline reads what the investigation, its complaints and its actions
already record:

- D1 team: the investigation's owner, the complaint handlers, the action
  owners and the approver
- D2 problem: title, product, lots, problem statement, complaints, customers,
  affected quantity
- D3 containment: containment actions, other customers notified
- D4 root cause: 5 Whys and their conclusion, fishbone root causes, summary,
  category, supplier at fault
- D5 chosen corrective actions, D6 implemented actions, D7 preventive actions
- D8 closure: approval, status, complaints closed
"""

from odoo import api, fields, models

from ..roles import CUSTOMER_SERVICE, role

# Actions that count in the report (a cancelled action was not chosen).
LIVE_STATES = ("draft", "open", "done", "effective", "reopened")
VIEW_8D = "quality_complaint.quality_complaint_investigation_view_form_8d"


class QualityComplaintInvestigation8D(models.AbstractModel):
    _name = "quality.complaint.investigation.8d"
    _description = "Investigation: 8D report"

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
