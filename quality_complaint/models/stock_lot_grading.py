from datetime import timedelta

from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"  # pylint: disable=consider-merging-classes-inherited

    qc_batch_alert_date = fields.Datetime(
        string="Batch defect alert",
        readonly=True,
        copy=False,
        help="When the quality manager was alerted that complaints on this lot "
        "reached the batch defect threshold.",
    )

    def _qc_alert_batch_defect(self, complaints):
        """Alert the quality manager once per batch window for each lot of ``self``."""
        now = fields.Datetime.now()
        for lot in self:
            company = (
                lot.company_id
                or complaints.filtered(lambda t, lot=lot: lot in t.lot_ids)[:1].company_id
            )
            window = timedelta(days=company.qc_batch_window_days)
            if lot.qc_batch_alert_date and lot.qc_batch_alert_date >= now - window:
                continue
            on_lot = complaints.filtered(lambda t, lot=lot: lot in t.lot_ids)
            manager = (
                company.qc_quality_manager_id
                or on_lot.grade_id.filtered(lambda g: "batch" in g.rule_ids.mapped("code"))[
                    :1
                ].escalation_user_id
            )
            body = self.env._(
                "Batch defect: the complaints on lot %(lot)s reached %(threshold)s affected "
                "units. Open complaints on this lot were upgraded: %(complaints)s.",
                lot=lot.name,
                threshold=f"{company.qc_batch_threshold:g}",
                complaints=", ".join(on_lot.mapped("number")),
            )
            lot.sudo().message_post(
                body=body,
                subject=self.env._("Batch defect on lot %s", lot.name),
                partner_ids=manager.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            lot.sudo().qc_batch_alert_date = now
