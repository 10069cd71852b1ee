from freezegun import freeze_time

from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCouponGone(ComplaintGradingCase):
    """The sales manager deletes or archives the apology coupon issued for Alice's
    complaint in Sales: the complaint says so, the coupon remedy is no longer done
    and customer service issues a new one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_manager = new_test_user(
            cls.env,
            login="qc_gone_sales_manager",
            name="Sid Sales",
            groups="sales_team.group_sale_manager",
        )

    def setUp(self):
        super().setUp()
        frozen = freeze_time(self.at(0, 10))
        frozen.start()
        self.addCleanup(frozen.stop)

    def coupon_line(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(
                self.complaint_vals(
                    name="Scratch on the lid", impact_level="cosmetic", customer_request="other"
                )
            )
        )
        ticket.action_register_complaint()
        ticket.action_propose_remedy_plan()
        line = ticket.remedy_ids.filtered(lambda r: r.action == "coupon")
        line.action_execute()
        self.assertEqual(line.state, "executed")
        return ticket, line

    def assertToIssueAgain(self, ticket, line, note):
        self.env.invalidate_all()
        self.assertEqual(line.state, "approved", "no longer counted as done")
        self.assertFalse(line.coupon_id)
        self.assertFalse(line.executed_date)
        self.assertIn(note, str(line.message_ids.mapped("body")))
        self.assertIn(note, str(ticket.message_ids.mapped("body")))
        as_cs = ticket.with_user(self.cs_user)
        self.assertEqual(as_cs.qc_coupon_count, 0)
        self.assertFalse(line.with_user(self.cs_user).customer_info)
        Form(as_cs)  # the complaint's form opens
        line.with_user(self.cs_user).action_execute()
        self.assertEqual(line.state, "executed")
        self.assertTrue(line.coupon_id.active, "a new coupon")

    def test_coupon_deleted_is_issued_again(self):
        ticket, line = self.coupon_line()
        coupon = line.coupon_id
        code = coupon.code
        # no group may delete coupons: only the system (an administrator's clean-up)
        coupon.sudo().unlink()
        self.assertFalse(coupon.exists())
        self.assertToIssueAgain(
            ticket, line, f"Coupon {code} was deleted: {line.name} is to be executed again."
        )

    def test_coupon_archived_in_sales_is_issued_again(self):
        ticket, line = self.coupon_line()
        coupon = line.coupon_id
        coupon.with_user(self.sales_manager).action_archive()
        self.assertFalse(coupon.active)
        self.assertToIssueAgain(
            ticket, line, f"Coupon {coupon.code} was archived: {line.name} is to be executed again."
        )
        self.assertNotEqual(line.coupon_id, coupon)
