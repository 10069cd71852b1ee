"""The complaint: a helpdesk ticket of the quality complaints team.

This file owns what happens when a complaint is created, written, registered or
receives a message; each concern implements its part as named hooks, in the
order a case flows:

- helpdesk_ticket_registration.py  Table 1, checklist, acknowledgement (docs/process.md §1)
- helpdesk_ticket_order.py         order, product and delivered lots (docs/process.md §1)
- helpdesk_ticket_grading.py       grade and override (docs/process.md §2)
- helpdesk_ticket_dispatch.py      the responsibles' activities (docs/process.md §2)
- helpdesk_ticket_customer_messages.py  acknowledgement and response time, queued
                                   and sent in batch by a cron (docs/process.md §1, §2)
- helpdesk_ticket_sla.py           response deadline, first response (docs/process.md §2)
- helpdesk_ticket_investigation.py the investigation of its lot (docs/process.md §3)
- helpdesk_ticket_remedy.py        the customer remedy plan (docs/process.md §4, §5)
- helpdesk_ticket_feedback.py      the result told to the customer, satisfaction
                                   (docs/process.md §5), from the rating page
                                   (rating_apply) or a call
- helpdesk_ticket_feedback_result.py  Send Result, Record Feedback (docs/process.md §5)
- helpdesk_ticket_followup.py      the 30-day call-back (docs/process.md §6)
- helpdesk_ticket_links.py         complaints opened from a call-back (docs/process.md §6)
- helpdesk_ticket_closing.py       closing rules, closed complaints read-only (docs/process.md §6)
- helpdesk_ticket_flow.py          the stages the case moves through
- helpdesk_ticket_portal.py        what the customer sees on the portal (docs/process.md §5)
"""

from odoo import api, models

from ..roles import CUSTOMER_SERVICE, role
from .helpdesk_ticket_feedback import FEEDBACK_PROTECTED
from .helpdesk_ticket_followup import FOLLOWUP_PROTECTED
from .helpdesk_ticket_grading import GRADING_FACTS, GRADING_PROTECTED
from .helpdesk_ticket_remedy import REMEDY_TICKET_PROTECTED
from .helpdesk_ticket_sla import SLA_PROTECTED

# Only business actions set these: registration, grading, the SLA clock.
REGISTRATION_PROTECTED = {
    "complaint_state",
    "registered_date",
    "registered_by_id",
    "ack_sent_date",
    "qc_messages_due",
}
PROTECTED_FIELDS = (
    REGISTRATION_PROTECTED
    | GRADING_PROTECTED
    | SLA_PROTECTED
    | REMEDY_TICKET_PROTECTED
    | FEEDBACK_PROTECTED
    | FOLLOWUP_PROTECTED
)


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = [
        "helpdesk.ticket",
        "quality.complaint.ticket.registration",
        "quality.complaint.ticket.order",
        "quality.complaint.ticket.grading",
        "quality.complaint.ticket.dispatch",
        "quality.complaint.ticket.customer.messages",
        "quality.complaint.ticket.sla",
        "quality.complaint.ticket.investigation",
        "quality.complaint.ticket.followup",
        "quality.complaint.ticket.feedback",
        "quality.complaint.ticket.feedback.result",
        "quality.complaint.ticket.links",
        "quality.complaint.ticket.remedy",
        "quality.complaint.ticket.closing",
        "quality.complaint.ticket.flow",
        "quality.complaint.ticket.portal",
        "quality.complaint.protected.mixin",
    ]
    _qc_protected_fields = PROTECTED_FIELDS

    _qc_messages_due_idx = models.Index("(id) WHERE qc_messages_due")

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        self._qc_check_investigation_vals(vals_list, creating=True)
        self._qc_prepare_registration_vals(vals_list)
        self._qc_prepare_order_vals(vals_list)
        self._qc_check_closing_create(vals_list)
        tickets = super().create(vals_list)
        tickets._qc_check_closing_entry()
        return tickets

    def write(self, vals):
        self._qc_check_protected([vals])
        self._qc_check_investigation_vals([vals])
        self._qc_check_closed_write(vals)
        if vals.get("stage_id") and not self.env.su:
            self._qc_check_stage_move(vals["stage_id"])
        closing = self._qc_check_closing_write(vals)
        result = super().write(vals)
        self._qc_check_closing_entry(closing)
        if "stage_id" in vals:
            self._qc_on_stage_changed()
        if GRADING_FACTS & vals.keys():
            self._qc_on_facts_changed()
        return result

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        self._qc_on_message_posted(message)
        return message

    def rating_apply(self, rate, token=None, rating=None, **kwargs):
        rating = super().rating_apply(rate, token=token, rating=rating, **kwargs)
        if rating.res_model == self._name:
            self.browse(rating.res_id)._qc_on_rating_applied(rating)
        return rating

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The complaints' kanban shows the complaint teams' own stages, not the
        generic helpdesk ones."""
        if self.env.context.get("qc_complaint_stages"):
            teams = self.env["helpdesk.ticket.team"].search([("qc_is_quality_team", "=", True)])
            own = stages.search([("team_ids", "in", teams.ids)])
            if own:
                return own | stages
        return super()._read_group_stage_ids(stages, domain)

    # ------------------------------------------------------------ actions
    @role(CUSTOMER_SERVICE)
    def action_register_complaint(self):
        """Complete the registration: check Table 1, record it, grade, start the
        response clock, dispatch, and queue the customer's acknowledgement."""
        self._qc_check_registrable()
        to_register = self.filtered(lambda t: t.complaint_state == "draft")
        to_register._qc_on_register()
        to_register._qc_move_to_step("registered")
        self.filtered(lambda t: t.complaint_state == "registered" and not t.grade_id)._qc_grade()
        to_register._qc_assign()
        to_register._qc_after_registration()
        to_register._qc_queue_customer_messages()
        return True

    def _qc_after_registration(self):
        """Hook: the complaints in ``self`` were just registered, graded and
        assigned, their acknowledgement not yet queued. Extended by
        quality_complaint_action (a complaint that repeats a verified action's
        problem)."""
        return None

    @role(CUSTOMER_SERVICE)
    def action_make_quality_complaint(self):
        """Turn ordinary tickets (e-mail alias, portal form) into complaints."""
        for ticket in self:
            vals = {"is_quality_complaint": True}
            team = (ticket.company_id or self.env.company).qc_team_id
            if team and not ticket.team_id.qc_is_quality_team:
                vals["team_id"] = team.id
            ticket.write(vals)
        return True

    @role(CUSTOMER_SERVICE)
    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------ hooks
    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s cannot be set directly: they follow from the complaint's "
            "registration, grading and response clock. Use the buttons of the "
            "complaint (Register, Override Grade, Contacted Customer).",
            fields=labels,
        )

    def _qc_on_facts_changed(self):
        """A fact that grades changed: registered, open complaints are graded again."""
        self.filtered(
            lambda t: t.complaint_state == "registered" and not t.stage_id.closed
        )._qc_grade()

    # ------------------------------------------------------------ helpers
    def _qc_action_for(self, domain, context=None, name=None):
        """Window action on the complaints matching ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint.action_quality_complaints"
        )
        action["domain"] = [("is_quality_complaint", "=", True), *domain]
        action["context"] = dict(context or {}, default_is_quality_complaint=True)
        if name:
            action["name"] = name
        return action

    @api.model
    def _qc_count_by(self, groupby, domain):
        """Number of complaints per value of ``groupby``, in one query: {id: count}."""
        groups = self._read_group(
            [("is_quality_complaint", "=", True), *domain], [groupby], ["__count"]
        )
        return {record.id: count for record, count in groups}
