from markupsafe import Markup

from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _qc_notify_assignees(self):
        """One notification per assignee for a batch of 'contact the customer'
        activities, instead of one e-mail per activity, in the assignee's language."""
        for user in self.user_id:
            env = self.with_context(lang=user.lang or self.env.lang).env
            mine = self.filtered(lambda a, u=user: a.user_id == u)
            tickets = self.env["helpdesk.ticket"].browse(mine.mapped("res_id"))
            items = Markup("").join(
                Markup("<li>%s: %s</li>") % (ticket.display_name, activity.summary)
                for activity, ticket in zip(mine, tickets, strict=True)
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=env._("%s complaint(s) to contact", len(mine)),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (env._("New complaints are assigned to you:"), items),
                model=tickets[:1]._name if len(tickets) == 1 else False,
                res_id=tickets.id if len(tickets) == 1 else False,
                # through the mail queue: the user who registered does not wait on SMTP
                force_send=False,
            )
        if self.user_id:
            # the queue runs hourly by itself: now, for these notices
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
