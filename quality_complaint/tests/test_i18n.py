from odoo.tests import tagged

from .common import QualityComplaintCase


@tagged("post_install", "-at_install")
class TestChinese(QualityComplaintCase):
    def test_acknowledgement_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint"], ["zh_CN"])
        self.alice.lang = "zh_CN"
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        ticket.action_register_complaint()
        ack = ticket.message_ids.filtered(lambda m: "已收到" in (m.subject or ""))
        self.assertEqual(len(ack), 1, "the subject is in Chinese")
        self.assertIn("内与您联系", ack.body)
        self.assertIn("24 小时", ack.body)
        self.assertIn(ticket.number, ack.body)
        labels = (
            self.env["helpdesk.ticket"]
            .with_context(lang="zh_CN")
            .fields_get(["affected_qty"], ["string"])
        )
        self.assertEqual(labels["affected_qty"]["string"], "受影响数量")
