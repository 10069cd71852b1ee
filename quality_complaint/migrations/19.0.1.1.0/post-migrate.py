"""19.0.1.1.0: the response SLA moved from columns of the complaint to a
``quality.complaint.deadline`` clock per complaint. The old columns are still in
the table after the update: each graded, registered complaint gets its clock
from them, so that deadlines, pauses, warnings, escalations and first responses
carry over and the cron keeps watching the complaints in progress."""

from odoo.tools.sql import column_exists

LEGACY = (
    "sla_at_risk_date",
    "sla_next_check",
    "sla_paused_since",
    "sla_paused_hours",
    "sla_warned_date",
    "sla_escalated_date",
    "first_response_by_id",
)


def migrate(cr, version):
    if not all(column_exists(cr, "helpdesk_ticket", column) for column in LEGACY):
        return
    cr.execute(
        """
        INSERT INTO quality_complaint_deadline (
            res_model, res_id, kind, company_id, calendar_id, start, duration, unit,
            at_risk_percent, deadline, at_risk_date, paused_since, paused_hours, frozen,
            status, next_check, warned_date, escalated_date, done_date, done_by_id,
            create_uid, create_date, write_uid, write_date)
        SELECT 'helpdesk.ticket', t.id, 'response', t.company_id,
               COALESCE(c.qc_calendar_id, c.resource_calendar_id), t.registered_date,
               g.response_hours, 'working_hours', c.qc_sla_at_risk_percent,
               t.response_deadline, t.sla_at_risk_date, t.sla_paused_since,
               COALESCE(t.sla_paused_hours, 0), COALESCE(s.closed, FALSE), t.sla_status,
               t.sla_next_check, t.sla_warned_date, t.sla_escalated_date,
               t.first_response_date, t.first_response_by_id,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM helpdesk_ticket t
          JOIN quality_complaint_grade g ON g.id = t.grade_id
          JOIN res_company c ON c.id = t.company_id
     LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
         WHERE t.registered_date IS NOT NULL
           AND t.response_deadline IS NOT NULL
           AND NOT EXISTS (
               SELECT 1 FROM quality_complaint_deadline d
                WHERE d.res_model = 'helpdesk.ticket' AND d.res_id = t.id
                  AND d.kind = 'response')
        """
    )
    cr.execute(
        """
        UPDATE helpdesk_ticket t SET sla_deadline_id = d.id
          FROM quality_complaint_deadline d
         WHERE d.res_model = 'helpdesk.ticket' AND d.res_id = t.id AND d.kind = 'response'
           AND t.sla_deadline_id IS NULL
        """
    )
