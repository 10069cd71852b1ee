from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import QualityComplaintCase

# What customer service scans in the complaint list, left to right.
DEFAULT_COLUMNS = [
    "number",
    "name",
    "partner_id",
    "product_id",
    "lot_ids",
    "grade_id",
    "response_deadline",
    "stage_id",
    "user_id",
]


@tagged("post_install", "-at_install")
class TestComplaintList(QualityComplaintCase):
    """Customer service opens the complaints: a few columns, the rest on demand,
    and searches that answer their questions."""

    def complaint_views(self):
        action = self.env.ref("quality_complaint.action_quality_complaints")
        list_view = action.view_ids.filtered(lambda v: v.view_mode == "list").view_id
        tickets = self.env["helpdesk.ticket"].with_user(self.cs_user)
        views = tickets.get_views([(list_view.id, "list"), (action.search_view_id.id, "search")])
        return {
            mode: etree.fromstring(view["arch"]) for mode, view in views["views"].items()
        }, action

    def test_list_shows_only_what_customer_service_scans(self):
        arch = self.complaint_views()[0]["list"]
        columns = [
            node
            for node in arch.iterchildren("field")
            if node.get("column_invisible") not in ("1", "True", "true")
        ]
        shown = [node.get("name") for node in columns if node.get("optional") != "hide"]
        self.assertEqual(shown, DEFAULT_COLUMNS)
        optional = {node.get("name") for node in columns if node.get("optional") == "hide"}
        # The other columns are still there, a click away.
        for name in (
            "sale_order_id",
            "defect_category_id",
            "impact_level",
            "complaint_state",
            "sla_status",
            "sla_time_left",
            "registered_date",
            "channel_id",
        ):
            self.assertIn(name, optional)

    def test_contact_deadline_is_coloured_by_sla_status(self):
        arch = self.complaint_views()[0]["list"]
        deadline = arch.find("field[@name='response_deadline']")
        self.assertEqual(deadline.get("decoration-danger"), "sla_status == 'breached'")
        self.assertEqual(deadline.get("decoration-warning"), "sla_status == 'at_risk'")
        self.assertEqual(deadline.get("decoration-success"), "sla_status == 'met'")
        self.assertIsNone(deadline.get("invisible"))

    def test_search_filters_and_group_bys(self):
        views, action = self.complaint_views()
        search = views["search"]
        filters = {node.get("name"): node for node in search.iter("filter")}
        for name in (
            "open",
            "my_open_complaints",
            "sla_at_risk",
            "sla_breached",
            "filter_registered_date",
        ):
            self.assertIn(name, filters)
        self.assertEqual(filters["filter_registered_date"].get("date"), "registered_date")
        group_bys = {
            node.get("context")
            for node in filters.values()
            if "group_by" in node.get("context", "")
        }
        for field in (
            "grade_id",
            "sla_status",
            "product_id",
            "lot_ids",
            "partner_id",
            "team_id",
            "channel_id",
            "registered_date:month",
        ):
            self.assertTrue(any(f"'{field}'" in ctx for ctx in group_bys), f"no group by {field}")
        fields = {node.get("name") for node in search.iter("field")}
        self.assertLessEqual(
            {"grade_id", "product_id", "lot_ids", "partner_id", "team_id", "channel_id"}, fields
        )
        # The complaints still open on "Open".
        self.assertIn("'search_default_open': 1", action.context)

    def test_my_open_complaints_are_mine_and_not_closed(self):
        search = self.complaint_views()[0]["search"]
        domain = search.find(".//filter[@name='my_open_complaints']").get("domain")
        self.assertEqual(
            safe_eval(domain, {"uid": self.cs_user.id}),
            [("user_id", "=", self.cs_user.id), ("closed", "=", False)],
        )


@tagged("post_install", "-at_install")
class TestEvidenceCount(QualityComplaintCase):
    def test_the_form_reloads_when_evidence_is_attached(self):
        """The chatter reloads the complaint when a file is attached, so the
        evidence count and the checklist follow at once."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        arch = Ticket.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('reload_on_attachment="True"', arch)
        ticket = Ticket.create(self.complaint_vals())
        self.assertEqual(ticket.evidence_count, 0)
        self.env["ir.attachment"].create(
            {"name": "seam.jpg", "raw": b"jpg", "res_model": ticket._name, "res_id": ticket.id}
        )
        ticket.invalidate_recordset(["evidence_count"])
        self.assertEqual(ticket.evidence_count, 1)
