from odoo import Command, fields, http
from odoo.addons.quality_complaint.tests.common import receive_lots, sell_and_deliver
from odoo.tests import HttpCase, new_test_user


class ComplaintPortalCase(HttpCase):
    """Paula, a customer with a portal account, follows her kettle complaint on
    /my/ticket/<id>; Pete, another customer, must not see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        env = cls.env
        cls.team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
        env.company.qc_team_id = cls.team
        cls.cs_user = new_test_user(
            env,
            login="qc_portal_cs",
            name="Carla Service",
            email="carla@example.com",
            groups="quality_complaint.group_complaint_user",
        )
        cls.officer = new_test_user(
            env,
            login="qc_portal_officer",
            name="Oscar Officer",
            groups="quality_complaint.group_complaint_officer",
        )
        cls.owner = new_test_user(
            env,
            login="qc_portal_owner",
            name="Rita Remedyowner",
            groups="quality_complaint.group_complaint_user",
        )
        cls.paula = new_test_user(
            env,
            login="qc_portal_paula",
            name="Paula Portal",
            email="paula@example.com",
            groups="base.group_portal",
        )
        cls.pete = new_test_user(
            env,
            login="qc_portal_pete",
            name="Pete Other",
            email="pete@example.com",
            groups="base.group_portal",
        )
        cls.customer = cls.paula.partner_id
        vendor = env["res.partner"].create({"name": "Portal Kettle Vendor"})
        cls.kettle = env["product.product"].create(
            {
                "name": "Portal Kettle",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "standard_price": 37.45,
            }
        )
        receive_lots(env, vendor, cls.kettle, {"PORTAL-LOT-1": 10})
        cls.lot = env["stock.lot"].search([("name", "=", "PORTAL-LOT-1")])
        cls.order = sell_and_deliver(env, cls.customer, [(cls.kettle, 3, cls.lot, None)])
        cls.important = env.ref("quality_complaint.grade_important")
        cls.urgent = env.ref("quality_complaint.grade_urgent")
        cls.instructions = env.ref("quality_complaint_remedy.remedy_type_instructions")
        cls.compensation = env.ref("quality_complaint_remedy.remedy_type_compensation")
        cls.replacement = env.ref("quality_complaint_remedy.remedy_type_replacement")

    # ------------------------------------------------------------ fixtures
    def register(self, **overrides):
        """Paula's complaint, registered by customer service, acknowledged."""
        vals = {
            "name": "Portal kettle leaks",
            "description": "<p>Water drips from the base seam whenever the kettle "
            "is filled above one litre, from the first use.</p>",
            "is_quality_complaint": True,
            "team_id": self.team.id,
            "user_id": False,
            "partner_id": self.customer.id,
            "sale_order_id": self.order.id,
            "product_id": self.kettle.id,
            "lot_ids": [Command.set(self.lot.ids)],
            "affected_qty": 1,
            "occurrence": "At home, when filled above one litre.",
            "impact_level": "main_function",
            "defect_category_id": self.env.ref("quality_complaint.defect_category_function").id,
            "customer_request": "exchange",
            **overrides,
        }
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(vals)
        ticket.action_register_complaint()
        self.env["helpdesk.ticket"]._cron_send_customer_messages()
        return ticket.with_user(self.env.user)

    def add_remedy(self, ticket, kind, **vals):
        return self.env["quality.complaint.remedy"].create(
            {
                "ticket_id": ticket.id,
                "type_id": kind.id,
                "name": kind.description,
                "product_id": self.kettle.id,
                "user_id": self.owner.id,
                **vals,
            }
        )

    def execute(self, remedy):
        """The remedy's document is done (the executors are other concerns)."""
        remedy.action_approve()
        remedy._qc_write_protected({"state": "in_progress"})
        remedy._qc_document_done()

    def feedback_due_complaint(self):
        """The plan executed and its result sent: the customer is asked."""
        ticket = self.register()
        self.execute(self.add_remedy(ticket, self.instructions))
        self.assertEqual(ticket.qc_feedback_state, "due")
        self.result_sent(ticket)
        return ticket

    def result_sent(self, ticket):
        """Customer service sent the result (Send Result is another concern)."""
        ticket._qc_write_protected(
            {"qc_feedback_state": "sent", "qc_feedback_sent_date": fields.Datetime.now()}
        )

    def page(self, ticket, login="qc_portal_paula"):
        self.authenticate(login, login)
        response = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(response.status_code, 200)
        return response

    def post(self, ticket, route, data, files=None):
        response = self.url_open(
            f"/my/ticket/{ticket.id}/{route}",
            data={**data, "csrf_token": http.Request.csrf_token(self)},
            files=files,
        )
        self.env.invalidate_all()
        return response

    def portal_messages(self, ticket):
        """The messages the portal chatter loads for the logged-in user."""
        return str(
            self.make_jsonrpc_request(
                "/mail/chatter_fetch",
                {"thread_model": "helpdesk.ticket", "thread_id": ticket.id},
            )
        )
