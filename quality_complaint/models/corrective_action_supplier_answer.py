"""The supplier answers a corrective action request on the portal (SCAR).

``_qca_supplier_answer`` is the only way in: the portal calls it as superuser once
it has checked the access; it checks again that the answer comes from the action's
supplier, that an answer is awaited and complete, then records it, stops the
answer clock and asks the reviewing buyer to review it.

Who answered is never a value the form posts: the logged-in portal user, or in a
public session (the signed link of the request) the contact the link was sent to.
"""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from .corrective_action_supplier_const import (
    MAX_ANSWER_TEXT,
    MAX_EVIDENCE_FILES,
    SUPPLIER_ACTION_STATES,
    SUPPLIER_AWAITED,
)


class QualityComplaintActionSupplierAnswer(models.AbstractModel):
    """Part of ``quality.complaint.action.supplier`` (its fields are there)."""

    _name = "quality.complaint.action.supplier.answer"
    _description = "Corrective action: the supplier's answer on the portal"

    # ------------------------------------------------------------ answer
    def _qca_supplier_answerer(self):
        """Who is answering: the current user's contact; in a public session (the
        signed link, checked by the portal) the contact the link was sent to."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            return self.supplier_contact_id
        return user.partner_id

    def _qca_supplier_answer(self, values):
        """Record the supplier's answer, given by the current user on the portal
        (``_qca_supplier_answerer``).

        ``values``: containment_done, containment_note, root_cause,
        corrective_action, planned_date ("YYYY-MM-DD"), evidence [(name, bytes)].
        Called as superuser by the portal once it has checked the access; refuses
        (and changes nothing) when the answerer is not of the action's supplier (the
        superuser is nobody's supplier), no answer is awaited, or the answer is
        incomplete."""
        self.ensure_one()
        partner = self._qca_supplier_answerer()
        if not partner or partner.commercial_partner_id != self.partner_id:
            raise AccessError(
                self.env._(
                    "This corrective action request is not addressed to your company: "
                    "you cannot answer it."
                )
            )
        answer = self._qca_supplier_check_answer(values)
        now = fields.Datetime.now()
        self.sudo().write(
            {
                **answer,
                "supplier_state": "answered",
                "supplier_answer_date": now,
                "supplier_answered_by": partner.id,
                "supplier_reviewed_by_id": False,
                "supplier_review_date": False,
            }
        )
        message = self.sudo()._qca_supplier_log_answer(partner, values.get("evidence") or [])
        if message.attachment_ids:
            evidence = [(4, attachment.id) for attachment in message.attachment_ids]
            self.sudo().write({"supplier_evidence_ids": evidence})
        clocks = self.sudo().supplier_deadline_id.filtered(lambda c: not c.done_date)
        if clocks:
            user = self.env.user
            clocks._mark_done(now, partner.user_ids[:1] if user._is_public() else user)
        self.sudo()._qca_supplier_schedule_review()
        return True

    def _qca_supplier_check_answer(self, values):
        """The answer's field values, or a UserError saying what is wrong."""
        if self.supplier_state not in SUPPLIER_AWAITED or self.state not in SUPPLIER_ACTION_STATES:
            raise UserError(
                self.env._(
                    "No answer is awaited on %(ref)s now: your answer was already received.",
                    ref=self.name,
                )
                if self.supplier_state in ("answered", "accepted")
                else self.env._("No answer is awaited on %(ref)s.", ref=self.name)
            )

        def text(key):
            return (values.get(key) or "").strip()[:MAX_ANSWER_TEXT]

        root_cause, corrective = text("root_cause"), text("corrective_action")
        missing = []
        if not root_cause:
            missing.append(self.env._("the root cause on your side"))
        if not corrective:
            missing.append(self.env._("the corrective action"))
        if missing:
            raise UserError(
                self.env._("Please give %(items)s.", items=self.env._(" and ").join(missing))
            )
        planned = values.get("planned_date") or False
        if planned:
            try:
                planned = fields.Date.to_date(planned)
            except ValueError:
                raise UserError(
                    self.env._("The planned date %(date)s is not a date.", date=planned)
                ) from None
            if planned < fields.Date.context_today(self):
                raise UserError(
                    self.env._(
                        "The planned date %(date)s is in the past: give the date by which "
                        "the corrective action will be in place (today or later).",
                        date=planned.strftime("%Y-%m-%d"),
                    )
                )
        if len(values.get("evidence") or []) > MAX_EVIDENCE_FILES:
            raise UserError(
                self.env._("Send at most %(count)s files at once.", count=MAX_EVIDENCE_FILES)
            )
        return {
            "supplier_containment_done": bool(values.get("containment_done")),
            "supplier_containment_note": text("containment_note") or False,
            "supplier_root_cause": root_cause,
            "supplier_corrective_action": corrective,
            "supplier_planned_date": planned,
        }

    def _qca_supplier_log_answer(self, partner, files):
        self.ensure_one()
        lines = [
            self.env._("The supplier answered the corrective action request."),
            self.env._("Root cause: %(text)s", text=self.supplier_root_cause),
            self.env._("Corrective action: %(text)s", text=self.supplier_corrective_action),
        ]
        if self.supplier_planned_date:
            lines.append(
                self.env._(
                    "Planned for: %(date)s", date=self.supplier_planned_date.strftime("%Y-%m-%d")
                )
            )
        lines.append(
            self.env._("Containment done: %(text)s", text=self.supplier_containment_note or "")
            if self.supplier_containment_done
            else self.env._("Containment: not done")
        )
        # The supplier's files are never served as web pages (HTML, SVG: plain text).
        poster = self.with_context(mail_create_nosubscribe=True, attachments_mime_plainxml=True)
        return poster.message_post(
            body=plaintext2html("\n".join(lines)),
            author_id=partner.id,
            attachments=list(files),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
