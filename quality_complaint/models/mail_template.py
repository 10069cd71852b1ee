import base64
from datetime import timedelta

from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _qc_post_rendered(
        self, records, message_values=None, post_on=None, scheduled=True, attachments=False
    ):
        """Post the template on each of ``records`` as a message to its recipients.

        Subjects and bodies are rendered for all the records at once, each in its
        recipient's language. ``message_values(record, rendered)``: more
        ``message_post`` values (the author, fallbacks), over the rendered ones;
        ``post_on(record)``: the thread that carries the message, else the record.
        ``scheduled``: the e-mails are laid out and queued by Odoo's
        scheduled-notification cron, triggered for the next second: the recipients
        get them at once, the user's request does not wait for them.
        ``attachments``: the template's attachments and reports go with the message.
        Returns the messages.
        """
        self.ensure_one()
        messages = self.env["mail.message"]
        if not records:
            return messages
        fnames = ["subject", "body_html", "email_from", "partner_to"]
        if attachments:
            fnames.append("report_template_ids")
        langs = self._render_lang(records.ids)
        rendered = self._generate_template(records.ids, fnames)
        common = {"message_type": "comment", "subtype_xmlid": "mail.mt_comment"}
        if scheduled:
            soon = max(fields.Datetime.now(), self.env.cr.now()) + timedelta(seconds=1)
            common["scheduled_date"] = fields.Datetime.to_string(soon)
        if attachments:
            files = [(attachment.name, attachment.raw) for attachment in self.sudo().attachment_ids]
        for record in records:
            values = rendered[record.id]
            post = {
                **common,
                "body": values["body_html"],
                "subject": values["subject"],
                "email_from": values["email_from"],
                "partner_ids": values.get("partner_ids", []),
                "force_email_lang": langs[record.id],
            }
            if attachments:
                post["attachments"] = files + [
                    (name, base64.b64decode(data)) for name, data in values.get("attachments", [])
                ]
            if message_values:
                post.update(message_values(record, values))
            thread = post_on(record) if post_on else record
            messages |= thread.message_post(**post)
        return messages
