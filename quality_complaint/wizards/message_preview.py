from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..roles import EMPLOYEE, check_role, role


class QualityComplaintMessagePreview(models.TransientModel):
    """What a button is about to e-mail, one line per recipient, before it is sent.

    The messages are rendered as Odoo's composer renders a template for a single
    record: for each record, in its recipient's language, with the recipients
    filled in; the user may edit them. *Send* posts each line on its record and
    has the records' model do the bookkeeping of the button that opened the
    preview; *Discard* leaves everything as it was.

    A preview can be created over RPC with any values: on *Send*, the model of
    the purpose (``_qc_preview_send_<purpose>``, see ``action_send``) checks the
    caller's role and the records' state again, as the opening button does, and
    refuses lines that are not the purpose's own records.
    """

    _name = "quality.complaint.message.preview"
    _description = "Message preview"

    name = fields.Char(string="Message", readonly=True)
    purpose = fields.Char(required=True, readonly=True)
    res_model = fields.Char(string="Opened from", required=True, readonly=True)
    res_ids = fields.Json(string="Records", readonly=True)
    template_id = fields.Many2one("mail.template", readonly=True)
    line_ids = fields.One2many(
        "quality.complaint.message.preview.line", "preview_id", string="Messages"
    )
    line_count = fields.Integer(compute="_compute_line_count")
    sent = fields.Boolean(readonly=True)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for preview in self:
            preview.line_count = len(preview.line_ids)

    @api.model
    def _qc_open(self, purpose, origin, template, targets, prepare=None):
        """The preview of ``template`` on ``targets``, opened from ``origin`` for
        ``purpose``; returns the window action.

        ``targets``: ``[(record, line values)]``, the record on which each message
        is posted; a new record (``Model.new``) for a record created on *Send*.
        ``prepare(records)``: what sending changes on the records before the
        message is rendered (e.g. the answer due date it names); run in a
        savepoint rolled back after rendering, so that the preview shows the
        message as it will be sent and changes nothing.
        """
        records = self.env[template.render_model].concat(*(record for record, _vals in targets))
        if prepare:
            rendered = {}
            try:
                with self.env.cr.savepoint():
                    prepare(records)
                    rendered = self._qc_render(template, records)
                    raise _RolledBack(rendered)
            except _RolledBack as done:
                rendered = done.args[0]
            self.env.invalidate_all()
        else:
            rendered = self._qc_render(template, records)
        lines = []
        for record, vals in targets:
            values = rendered[record.id]
            lines.append(
                fields.Command.create(
                    {
                        "res_id": record.id if isinstance(record.id, int) else 0,
                        "partner_ids": [fields.Command.set(values["partner_ids"])],
                        "email_from": values["email_from"],
                        "subject": values["subject"],
                        "body": values["body_html"],
                        "lang": values["lang"],
                        **vals,
                    }
                )
            )
        preview = self.create(
            {
                "name": template.name,
                "purpose": purpose,
                "res_model": origin._name,
                "res_ids": origin.ids,
                "template_id": template.id,
                "line_ids": lines,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review: %s", template.name),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _qc_render(self, template, records):
        """{record id: values} of ``template`` for each record, in its language."""
        # the record ids, or the new records' (created on Send)
        res_ids = list(records._ids)
        langs = template._render_lang(res_ids)
        rendered = template._generate_template(
            res_ids, ["subject", "body_html", "email_from", "partner_to"]
        )
        for record_id, values in rendered.items():
            values["lang"] = langs.get(record_id) or False
            values.setdefault("partner_ids", [])
        return rendered

    @role(EMPLOYEE)
    def action_send(self):
        """Send each line's message, then the bookkeeping of the opening button."""
        self.ensure_one()
        if self.sent:
            raise UserError(self.env._("These messages were already sent."))
        # the purpose's own method on the records' model, nothing else
        known = self.res_model in self.env
        Model = self.env[self.res_model] if known else None
        send = getattr(type(Model), f"_qc_preview_send_{self.purpose}", None) if known else None
        origin = Model.browse(self.res_ids or []) if send else None
        if not origin or origin.exists() != origin:
            raise UserError(self.env._("This preview cannot be sent: open it again."))
        if not self.line_ids:
            raise UserError(self.env._("There is no message left to send."))
        self.sent = True
        send(origin, self)
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------ for the purposes

    def _qc_check_opener(self, origin, method):
        """The role check of the public ``method`` of ``origin`` that opens the
        preview, for the user who sends it."""
        groups = getattr(getattr(type(origin), method), "_qc_roles", None)
        if not groups:
            raise AccessError(self.env._("This preview cannot be sent: open it again."))
        if not self.env.su:
            check_role(origin, groups, method)

    def _qc_lines_on(self, records):
        """The lines, each with its record among ``records`` (the purpose's own);
        a line on any other record is refused."""
        by_id = {record.id: record for record in records}
        pairs = []
        seen = set()
        for line in self.line_ids:
            record = by_id.get(line.res_id)
            if record is None or line.res_id in seen:
                raise UserError(
                    self.env._(
                        "A message of this preview is not for the records it was opened "
                        "from: open the preview again."
                    )
                )
            seen.add(line.res_id)
            pairs.append((line, record))
        return pairs


class _RolledBack(Exception):
    """Leaves the savepoint of a preview's rendering."""


class QualityComplaintMessagePreviewLine(models.TransientModel):
    _name = "quality.complaint.message.preview.line"
    _description = "Message preview line"

    preview_id = fields.Many2one(
        "quality.complaint.message.preview", required=True, ondelete="cascade"
    )
    res_id = fields.Integer(string="Record", readonly=True)
    partner_ids = fields.Many2many("res.partner", string="To")
    email_from = fields.Char(string="From", readonly=True)
    subject = fields.Char()
    body = fields.Html(sanitize_style=True)
    lang = fields.Char(string="Language", readonly=True)
    customer_id = fields.Many2one("res.partner", readonly=True)
    lot_ids = fields.Many2many("stock.lot", readonly=True)

    def _qc_post(self, record, author=None, **extra):
        """Post the line's message on ``record`` to its recipients: a comment, from
        ``author`` (a partner; by default the user who sends it)."""
        self.ensure_one()
        author = author or self.env.user.partner_id
        if not self.partner_ids:
            raise UserError(
                self.env._("The message about %s has no recipient.", record.display_name)
            )
        return record.with_context(mail_post_autofollow_author_skip=True).message_post(
            body=self.body,
            subject=self.subject,
            email_from=self.email_from,
            partner_ids=self.partner_ids.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            force_email_lang=self.lang or False,
            author_id=author.id,
            **extra,
        )
