"""The customer's portal shows and accepts only what is the customer's: closing a
ticket, withdrawing a complaint, the files listed and downloaded, who answers or
adds evidence, the upload limits and the reports, tried over HTTP by the people
who should not succeed."""

import re

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common_portal import ComplaintPortalCase

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
MB = 1024 * 1024


class PortalTrustCase(ComplaintPortalCase):
    """Paula's kettle complaint; Pete, another portal customer; Eve, an employee
    without complaint group who follows it; Sam, a supplier's portal user who
    follows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.eve = new_test_user(
            env, login="qc_trust_eve", name="Eve Employee", groups="base.group_user"
        )
        cls.sam = new_test_user(
            env,
            login="qc_trust_sam",
            name="Sam Supplier",
            email="sam@example.com",
            groups="base.group_portal",
        )
        cls.cancelled = env.ref("quality_complaint.stage_complaint_cancelled")
        cls.generic_cancelled = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.generic_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    # ------------------------------------------------------------ helpers
    def login(self, login):
        self.authenticate(login, login)

    def close(self, ticket, stage, method="POST", follow=False, **extra):
        params = {"ticket_id": ticket.id, "stage_id": stage.id, **extra}
        if method == "GET":
            response = self.url_open("/ticket/close", params=params, allow_redirects=follow)
        else:
            params.setdefault("csrf_token", http.Request.csrf_token(self))
            response = self.url_open("/ticket/close", data=params, allow_redirects=follow)
        self.env.invalidate_all()
        return response

    def complaint_followed_by_others(self):
        ticket = self.register(user_id=self.cs_user.id)
        ticket.message_subscribe(partner_ids=(self.eve.partner_id | self.sam.partner_id).ids)
        return ticket


@tagged("post_install", "-at_install")
class TestPortalTrust(PortalTrustCase):
    """The customer's doors of the portal page, tried by those who should not pass."""

    # ------------------------------------------------------------ closing
    def test_nobody_closes_a_complaint_with_the_close_link(self):
        ticket = self.register()
        stage = ticket.stage_id
        # Pete, another company's customer, tries the close link with any stage.
        self.login("qc_portal_pete")
        for target in (self.generic_cancelled, self.generic_done, self.cancelled):
            response = self.close(ticket, target, method="GET")
            self.assertEqual(response.status_code, 405, "no GET closes a ticket")
            self.assertEqual(ticket.stage_id, stage)
            response = self.close(ticket, target)
            self.assertEqual(response.status_code, 404)
            self.assertEqual(ticket.stage_id, stage)
        # Paula herself: never by GET, never without the CSRF token.
        self.login("qc_portal_paula")
        self.assertEqual(self.close(ticket, self.generic_cancelled, method="GET").status_code, 405)
        response = self.close(ticket, self.generic_cancelled, csrf_token="forged")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(ticket.stage_id, stage)
        # A stage of another team, or the complaint's own Cancelled stage: refused;
        # a complaint is withdrawn with a reason, or closed by its closing rules.
        self.close(ticket, self.generic_cancelled)
        self.assertEqual(ticket.stage_id, stage)
        self.cancelled.close_from_portal = True
        response = self.close(ticket, self.cancelled, follow=True)
        self.assertEqual(ticket.stage_id, stage)
        self.assertIn("withdraw it and tell us why", response.text)
        closed = self.env.ref("quality_complaint.stage_complaint_closed")
        closed.close_from_portal = True
        response = self.close(ticket, closed, follow=True)
        self.assertEqual(ticket.stage_id, stage, "remedies, feedback and call-back are missing")
        self.assertIn("cannot move to Closed yet", response.text, "the closing rules, on the page")

    def test_plain_ticket_closed_only_by_its_customer_by_post(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Where is my invoice",
                "description": "<p>Please send it again.</p>",
                "partner_id": self.customer.id,
                "team_id": False,
            }
        )
        self.assertFalse(ticket.is_quality_complaint)
        ticket.message_subscribe(partner_ids=self.sam.partner_id.ids)
        new = ticket.stage_id
        self.login("qc_portal_pete")
        self.assertEqual(self.close(ticket, self.generic_done).status_code, 404)
        self.login("qc_trust_sam")
        self.assertEqual(self.close(ticket, self.generic_done).status_code, 403, "a follower")
        self.assertEqual(ticket.stage_id, new)
        self.login("qc_portal_paula")
        self.assertEqual(self.close(ticket, self.generic_done, method="GET").status_code, 405)
        self.assertEqual(ticket.stage_id, new)
        # A stage the page does not offer: back to the ticket's page, as helpdesk_mgmt does.
        awaiting = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        self.assertFalse(awaiting.close_from_portal)
        response = self.close(ticket, awaiting)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.headers["Location"].endswith(f"/my/ticket/{ticket.id}"))
        self.assertEqual(ticket.stage_id, new)
        response = self.close(ticket, self.generic_done, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ticket.stage_id, self.generic_done, "her own ticket, by POST")

    # ------------------------------------------------------------ withdrawing
    def test_customer_withdraws_the_complaint_with_a_reason(self):
        ticket = self.register(user_id=self.cs_user.id)
        self.assertIn("Withdraw my complaint", self.page(ticket).text)
        self.assertNotIn('action="/ticket/close"', self.page(ticket).text)

        self.login("qc_portal_pete")
        response = self.post(ticket, "qc_withdraw", {"reason": "Not mine"})
        self.assertEqual(response.status_code, 404)
        self.assertNotEqual(ticket.stage_id, self.cancelled)

        self.login("qc_portal_paula")
        response = self.post(ticket, "qc_withdraw", {"reason": "   "})
        self.assertIn("Tell us why you withdraw your complaint.", response.text)
        self.assertNotEqual(ticket.stage_id, self.cancelled)

        response = self.post(ticket, "qc_withdraw", {"reason": "The kettle works <now>."})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your complaint is withdrawn", response.text)
        self.assertEqual(ticket.stage_id, self.cancelled)
        self.assertEqual(ticket.qc_cancel_reason, "The kettle works <now>.")
        message = ticket.message_ids.filtered(lambda m: "The kettle works" in (m.body or ""))
        self.assertEqual(len(message), 1, "the reason is in the chatter")
        self.assertEqual(message.author_id, self.customer)
        self.assertIn("&lt;now&gt;", message.body, "as the customer typed it")
        self.assertTrue(ticket.user_id)
        activity = ticket.activity_ids.filtered(
            lambda a: a.user_id == ticket.user_id and "withdrawn" in (a.summary or "")
        )
        self.assertEqual(len(activity), 1, "customer service is told")
        self.assertIn("The kettle works", str(activity.note))
        self.assertIn("withdrawn", activity.summary)
        self.assertNotIn("Withdraw my complaint", self.page(ticket).text)
        response = self.post(ticket, "qc_withdraw", {"reason": "Again"})
        self.assertIn("already closed", response.text)

    def test_withdraw_from_the_link_of_an_email(self):
        ticket = self.register(user_id=self.cs_user.id)
        token = ticket.sudo()._portal_ensure_token()
        self.authenticate(None, None)
        response = self.post(ticket, "qc_withdraw", {"reason": "Solved", "access_token": "x"})
        self.assertEqual(response.status_code, 404)
        response = self.post(ticket, "qc_withdraw", {"reason": "Solved", "access_token": token})
        self.assertIn("Your complaint is withdrawn", response.text)
        self.assertEqual(ticket.stage_id, self.cancelled)

    # ------------------------------------------------------------ files
    def test_files_of_internal_notes_are_neither_listed_nor_downloadable(self):
        ticket = self.register()
        cs_ticket = ticket.with_user(self.cs_user)
        cs_ticket.message_post(
            body="Lab says the seal is out of spec",
            subtype_xmlid="mail.mt_note",
            attachments=[("lab_report.pdf", PDF)],
        )
        cs_ticket.message_post(
            body="Your pick-up label.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
            attachments=[("pickup_label.pdf", PDF)],
        )
        self.login("qc_portal_paula")
        # A file of the customer's from the new-ticket form (no message).
        self.env["ir.attachment"].with_user(self.paula).sudo().create(
            {"name": "form_photo.jpg", "raw": JPEG, "res_model": ticket._name, "res_id": ticket.id}
        )
        self.post(ticket, "qc_evidence", {}, files={"evidence": ("leak.jpg", JPEG)})
        files = {a.name: a for a in ticket.attachment_ids}
        self.assertEqual(
            set(files), {"lab_report.pdf", "pickup_label.pdf", "form_photo.jpg", "leak.jpg"}
        )

        page = self.page(ticket).text
        for shown in ("pickup_label.pdf", "form_photo.jpg", "leak.jpg"):
            self.assertIn(shown, page)
        lab = files["lab_report.pdf"]
        self.assertNotIn("lab_report.pdf", page)
        self.assertNotIn(f"/web/content/{lab.id}?", page, "no link, no token of the note's file")
        self.assertNotIn(f"/web/image/{lab.id}/", page)
        # What the page lists downloads with the token it shows; the note's file
        # neither without a token nor with the ticket's.
        label = files["pickup_label.pdf"]
        link = re.search(rf"/web/content/{label.id}\?download=true&amp;access_token=[\w-]+", page)
        self.assertTrue(link, "the customer's link to the label")
        response = self.url_open(link.group(0).replace("&amp;", "&"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        ticket_token = ticket.sudo()._portal_ensure_token()
        for url in (
            f"/web/content/{lab.id}?download=true",
            f"/web/content/{lab.id}?download=true&access_token={ticket_token}",
        ):
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn(b"%PDF", response.content)

    # ------------------------------------------------------------ answers, evidence
    def test_followers_employees_and_suppliers_cannot_answer_or_add_evidence(self):
        ticket = self.complaint_followed_by_others()
        self.execute(self.add_remedy(ticket, self.instructions))
        self.result_sent(ticket)
        self.assertEqual(ticket.qc_feedback_state, "sent")
        self.assertIn("No photo or video", ticket.registration_to_confirm)
        for login in ("qc_trust_eve", "qc_trust_sam"):
            self.login(login)
            self.assertEqual(self.url_open(f"/my/ticket/{ticket.id}").status_code, 200, login)
            page = self.url_open(f"/my/ticket/{ticket.id}").text
            self.assertNotIn("Are you satisfied with what we did?", page, login)
            self.assertNotIn("Add evidence", page, login)
            response = self.post(ticket, "qc_feedback", {"answer": "dissatisfied"})
            self.assertEqual(response.status_code, 403, login)
            response = self.post(ticket, "qc_evidence", {}, files={"evidence": ("x.jpg", JPEG)})
            self.assertEqual(response.status_code, 403, login)
            response = self.post(ticket, "qc_withdraw", {"reason": "Not theirs"})
            self.assertEqual(response.status_code, 403, login)
        self.assertEqual(ticket.qc_feedback_state, "sent", "nothing recorded")
        self.assertFalse(ticket.attachment_ids, "nothing attached")
        self.assertNotEqual(ticket.stage_id, self.cancelled)
        # Paula, the customer, still does.
        self.login("qc_portal_paula")
        self.post(ticket, "qc_feedback", {"answer": "satisfied"})
        self.assertEqual(ticket.qc_feedback_state, "satisfied")

    # ------------------------------------------------------------ uploads
    def evidence(self, ticket, *files):
        response = self.url_open(
            f"/my/ticket/{ticket.id}/qc_evidence",
            data={"csrf_token": http.Request.csrf_token(self)},
            files=[("evidence", f) for f in files],
            timeout=60,
        )
        self.env.invalidate_all()
        return response

    def test_evidence_keeps_to_the_upload_limits(self):
        ticket = self.register()
        self.login("qc_portal_paula")
        big = JPEG + b"\x00" * (21 * MB)
        response = self.evidence(ticket, ("big.jpg", big))
        self.assertIn("big.jpg is too large: a file may have at most 20 MB.", response.text)
        for name, content in (("setup.exe", EXE), ("holiday.jpg", EXE), ("notes.txt", b"hi")):
            response = self.evidence(ticket, (name, content))
            self.assertIn(f"{name} cannot be added: only these types are accepted", response.text)
        self.assertFalse(ticket.attachment_ids, "nothing stored")

        # Photos, videos and PDF reports are welcome.
        response = self.evidence(
            ticket, ("leak.jpg", JPEG), ("clip.mp4", MP4), ("invoice.pdf", PDF)
        )
        self.assertIn("your files were added to the complaint", response.text)
        self.assertEqual(len(ticket.attachment_ids), 3)

        # The company's own limits.
        self.env.company.write({"qc_upload_max_files": 2, "qc_upload_max_mb": 1})
        response = self.evidence(ticket, ("a.jpg", JPEG), ("b.jpg", JPEG), ("c.jpg", JPEG))
        self.assertIn("You can add at most 2 files at once.", response.text)
        response = self.evidence(ticket, ("two.jpg", JPEG + b"\x00" * (2 * MB)))
        self.assertIn("two.jpg is too large: a file may have at most 1 MB.", response.text)
        self.env.company.qc_upload_types = "application/pdf"
        response = self.evidence(ticket, ("leak2.jpg", JPEG))
        self.assertIn("only these types are accepted: application/pdf", response.text)
        self.assertEqual(len(ticket.attachment_ids), 3, "nothing more stored")
        self.assertIn('accept="application/pdf"', self.page(ticket).text)

    def test_chatter_and_new_ticket_form_keep_to_the_upload_limits(self):
        ticket = self.register()
        self.login("qc_portal_paula")

        def chatter_upload(name, content):
            response = self.url_open(
                "/mail/attachment/upload",
                data={
                    "thread_id": ticket.id,
                    "thread_model": ticket._name,
                    "is_pending": "true",
                    "csrf_token": http.Request.csrf_token(self),
                },
                files={"ufile": (name, content)},
                timeout=60,
            )
            return response.json()

        result = chatter_upload("setup.exe", EXE)
        self.assertIn("setup.exe cannot be added", result.get("error", ""))
        self.env.company.qc_upload_max_mb = 1
        result = chatter_upload("huge.pdf", PDF + b"\x00" * (2 * MB))
        self.assertIn("huge.pdf is too large", result.get("error", ""))
        Attachment = self.env["ir.attachment"].sudo()
        self.assertFalse(Attachment.search([("name", "in", ["setup.exe", "huge.pdf"])]))
        result = chatter_upload("leak.jpg", JPEG)
        self.assertNotIn("error", result)
        self.assertTrue(Attachment.browse(result["data"]["attachment_id"]).exists())

        # The new-ticket form, to the complaint team.
        self.env.company.helpdesk_mgmt_portal_select_team = True
        self.team.show_in_portal = True
        Ticket = self.env["helpdesk.ticket"].sudo()
        before = Ticket.search_count([])
        response = self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Kettle smokes",
                "description": "It smokes when it boils.",
                "team": self.team.id,
                "attachment": "1",
                "csrf_token": http.Request.csrf_token(self),
            },
            files=[("attachment", ("setup.exe", EXE))],
        )
        self.assertIn("setup.exe cannot be added", response.text)
        self.assertEqual(Ticket.search_count([]), before, "no ticket, no file")
        self.assertFalse(Attachment.search([("name", "=", "setup.exe")]))

    def test_upload_settings_are_checked(self):
        company = self.env.company
        self.assertEqual(company.qc_upload_max_mb, 20)
        self.assertEqual(company.qc_upload_types, "image/*, video/*, application/pdf")
        for vals in (
            {"qc_upload_max_mb": 0},
            {"qc_upload_max_files": 0},
            {"qc_upload_types": ""},
            {"qc_upload_types": "pictures"},
        ):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                company.write(vals)
