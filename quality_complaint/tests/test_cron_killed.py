"""The server dies in the middle of a cron batch.

A child process builds the registry of the test database, runs a cron job as
``ir.cron`` would (a ``cron_id`` in the context: each batch ends with
``_commit_progress``, which commits) and is killed (SIGKILL) right after its
first batch was committed. The job, run again, must finish the work: each
complaint handled, each event exactly once.

The complaints are committed (the child sees only committed data), so this
class neither reads nor writes through the test's own transaction, and removes
all it committed at the end; the demo complaints' pending work is parked
meanwhile, and given back.
"""

import os
import signal
import subprocess
import sys
from datetime import timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL, config

COUNT = 7
BATCH = 3
# Tables the jobs add rows to besides the complaints' own (deleted with them).
CREATED = ("mail_activity", "mail_mail", "mail_message", "ir_cron_trigger")

# The child: the job of ``model.method`` in batches of ``batch_size``, as the
# cron ``cron_xmlid`` runs it, killed once its first batch is committed.
CHILD = r"""
import os, signal, sys
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

rcfile, dbname, model, method, batch_size, cron_xmlid = sys.argv[1:]
config.parse_config(["-c", rcfile, "-d", dbname, "--log-level=warn"])
registry = Registry(dbname)
IrCron = registry["ir.cron"]
commit_progress = IrCron._commit_progress


def commit_then_die(self, processed=0, **kwargs):
    commit_progress(self, processed, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)


IrCron._commit_progress = commit_then_die
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(cron_xmlid)
    jobs = env[model].with_context(cron_id=cron.id)
    getattr(jobs, method)(batch_size=int(batch_size))
sys.exit(3)  # not killed: the job committed no batch
"""


@tagged("post_install", "-at_install")
class TestCronKilled(TransactionCase):
    """Complaints registered a week ago: their acknowledgements are queued and
    their response clocks breached."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.committed() as env:
            cls.marks = {}
            for table in CREATED:
                env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
                cls.marks[table] = env.cr.fetchone()[0]
            # The demo complaints' pending work is not this test's: parked.
            env.cr.execute(
                "UPDATE helpdesk_ticket SET qc_messages_due = FALSE WHERE qc_messages_due"
                " RETURNING id"
            )
            cls.parked_messages = [row[0] for row in env.cr.fetchall()]
            env.cr.execute(
                "SELECT id, next_check FROM quality_complaint_deadline"
                " WHERE next_check IS NOT NULL FOR UPDATE"
            )
            cls.parked_clocks = env.cr.fetchall()
            env.cr.execute(
                "UPDATE quality_complaint_deadline SET next_check = NULL WHERE id IN %s",
                (tuple(clock_id for clock_id, _next in cls.parked_clocks) or (0,),),
            )
        cls.addClassCleanup(cls.clean_up)
        with cls.committed() as env:
            cls.week_ago = fields.Datetime.now() - timedelta(days=7)
            company = env.company
            cls.partner_id = (
                env["res.partner"]
                .create({"name": "Killed Cron Customer", "email": "killed.cron@example.com"})
                .id
            )
            cls.product_id = (
                env["product.product"].create({"name": "Killed Cron Kettle", "type": "consu"}).id
            )
            category = env["quality.complaint.defect.category"].search(
                [("evidence_required", "=", False)], limit=1
            )
            team = company.qc_team_id or env.ref(
                "quality_complaint.helpdesk_team_quality_complaints"
            )
            with freeze_time(cls.week_ago):
                tickets = env["helpdesk.ticket"].create(
                    [
                        {
                            "name": f"Kettle leaks {index}",
                            "description": "<p>Water drips from the base seam whenever the "
                            "kettle is filled above one litre.</p>",
                            "is_quality_complaint": True,
                            "team_id": team.id,
                            "user_id": False,
                            "partner_id": cls.partner_id,
                            "product_id": cls.product_id,
                            "purchase_date": fields.Date.to_date(cls.week_ago) - timedelta(days=30),
                            "affected_qty": 1,
                            "occurrence": "At home, when filled above one litre.",
                            "impact_level": "cosmetic",
                            "defect_category_id": category.id,
                            "customer_request": "exchange",
                        }
                        for index in range(COUNT)
                    ]
                )
                tickets.action_register_complaint()
            cls.ticket_ids = tickets.ids
            assert set(tickets.mapped("complaint_state")) == {"registered"}
            assert all(tickets.mapped("qc_messages_due"))

    @classmethod
    def committed(cls):
        """An environment on a cursor of its own, committed when it closes."""

        class Committed:
            def __enter__(self):
                self.cr = cls.registry.cursor()
                return api.Environment(self.cr, SUPERUSER_ID, {})

            def __exit__(self, exc_type, exc, tb):
                if exc_type is None:
                    # The child process and the next cursors read it.
                    self.cr.commit()  # pylint: disable=invalid-commit
                else:
                    self.cr.rollback()
                self.cr.close()

        return Committed()

    @classmethod
    def clean_up(cls):
        with cls.committed() as env:
            cr = env.cr
            if getattr(cls, "ticket_ids", None):
                env["helpdesk.ticket"].browse(cls.ticket_ids).exists().unlink()
            for table in CREATED:
                cr.execute(
                    SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), cls.marks[table])
                )
            if getattr(cls, "product_id", None):
                env["product.product"].browse(cls.product_id).product_tmpl_id.unlink()
            if getattr(cls, "partner_id", None):
                env["res.partner"].browse(cls.partner_id).unlink()
            if cls.parked_messages:
                cr.execute(
                    "UPDATE helpdesk_ticket SET qc_messages_due = TRUE WHERE id IN %s",
                    (tuple(cls.parked_messages),),
                )
            for clock_id, next_check in cls.parked_clocks:
                cr.execute(
                    "UPDATE quality_complaint_deadline SET next_check = %s WHERE id = %s",
                    (next_check, clock_id),
                )
            cr.execute(
                "SELECT (SELECT COUNT(*) FROM quality_complaint_deadline"
                "         WHERE next_check IS NOT NULL),"
                "       (SELECT COUNT(*) FROM helpdesk_ticket WHERE qc_messages_due)"
            )
            left = cr.fetchone()
            expected = (len(cls.parked_clocks), len(cls.parked_messages))
            assert left == expected, f"the database is not given back as found: {left}"

    def run_killed(self, model, method, cron_xmlid):
        """The job in a child process killed after its first committed batch."""
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                config["config"],
                get_db_name(),
                model,
                method,
                str(BATCH),
                cron_xmlid,
            ],
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        self.assertEqual(
            child.returncode, -signal.SIGKILL, f"killed after one batch:\n{child.stderr[-3000:]}"
        )

    def run_again(self, model, method, cron_xmlid):
        with self.committed() as env:
            cron = env.ref(cron_xmlid)
            return getattr(env[model].with_context(cron_id=cron.id), method)(batch_size=BATCH)

    # ------------------------------------------------------------ tests
    def test_customer_messages_cron_killed_then_run_again(self):
        def acknowledgements(env):
            messages = env["mail.message"].search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "in", self.ticket_ids),
                    ("message_type", "=", "comment"),
                    ("subject", "like", "has been received"),
                ]
            )
            return {
                ticket_id: messages.filtered(lambda m, t=ticket_id: m.res_id == t)
                for ticket_id in self.ticket_ids
            }

        cron = "quality_complaint.ir_cron_customer_messages"
        self.run_killed("helpdesk.ticket", "_cron_send_customer_messages", cron)
        with self.committed() as env:
            tickets = env["helpdesk.ticket"].browse(self.ticket_ids)
            done = tickets.filtered(lambda t: not t.qc_messages_due)
            self.assertEqual(len(done), BATCH, "the first batch was committed, no more")
            self.assertEqual(len(done.filtered("ack_sent_date")), BATCH)
            sent = acknowledgements(env)
            self.assertEqual(sum(len(m) for m in sent.values()), BATCH, "the rest rolled back")
        self.assertEqual(
            self.run_again("helpdesk.ticket", "_cron_send_customer_messages", cron), COUNT - BATCH
        )
        with self.committed() as env:
            tickets = env["helpdesk.ticket"].browse(self.ticket_ids)
            self.assertFalse(any(tickets.mapped("qc_messages_due")))
            self.assertTrue(all(tickets.mapped("ack_sent_date")))
            for ticket_id, messages in acknowledgements(env).items():
                self.assertEqual(len(messages), 1, f"complaint {ticket_id} acknowledged once")

    def test_deadline_cron_killed_then_run_again(self):
        def escalations(env):
            activities = env["mail.activity"].search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", self.ticket_ids),
                    ("summary", "=", "Response deadline missed"),
                ]
            )
            digests = env["mail.mail"].search(
                [("id", ">", self.marks["mail_mail"]), ("subject", "like", "missed the response")]
            )
            return activities, digests

        cron = "quality_complaint.ir_cron_deadline_check"
        self.run_killed("quality.complaint.deadline", "_cron_check", cron)
        with self.committed() as env:
            tickets = env["helpdesk.ticket"].browse(self.ticket_ids)
            clocks = tickets.sla_deadline_id
            self.assertEqual(len(clocks), COUNT)
            self.assertEqual(len(clocks.filtered("escalated_date")), BATCH, "one batch committed")
            activities, _digests = escalations(env)
            self.assertEqual(
                set(activities.mapped("res_id")),
                set(clocks.filtered("escalated_date").mapped("res_id")),
            )
        self.assertEqual(
            self.run_again("quality.complaint.deadline", "_cron_check", cron), COUNT - BATCH
        )
        self.assertEqual(self.run_again("quality.complaint.deadline", "_cron_check", cron), 0)
        with self.committed() as env:
            tickets = env["helpdesk.ticket"].browse(self.ticket_ids)
            self.assertEqual(set(tickets.mapped("sla_status")), {"breached"})
            clocks = tickets.sla_deadline_id
            self.assertTrue(all(clocks.mapped("escalated_date")))
            self.assertFalse(any(clocks.mapped("next_check")), "nothing left to check")
            activities, digests = escalations(env)
            for ticket in tickets:
                users = ticket.grade_id.escalation_user_id
                self.assertTrue(users)
                mine = activities.filtered(lambda a, t=ticket: a.res_id == t.id)
                self.assertEqual(mine.user_id, users)
                self.assertEqual(len(mine), len(users), f"{ticket.number} escalated once")
                listed = digests.filtered(lambda m, t=ticket: t.number in m.body_html)
                self.assertEqual(len(listed), 1, f"{ticket.number} in one escalation e-mail")
