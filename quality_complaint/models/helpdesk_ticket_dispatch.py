"""Dispatch of a graded complaint (docs/process.md §2): the complaint is assigned, its
assignee gets an activity with the deadline, the grade's responsible users follow
it; the customer's message is queued."""

from odoo import fields, models

CONTACT_ACTIVITY = "quality_complaint.mail_activity_type_contact_customer"


class QualityComplaintTicketDispatch(models.AbstractModel):
    """Dispatch concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.dispatch"
    _description = "Complaint dispatch"

    qc_auto_assignee_id = fields.Many2one(
        "res.users",
        string="Assigned automatically to",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="The user the complaint was assigned to at registration. While it is "
        "still theirs and unanswered, a regrade may hand it to the new grade's users.",
    )

    # ------------------------------------------------------------ assignment
    def _qc_assignment_candidates(self):
        """Who may be given the complaint: the grade's responsible users, else the
        members of the helpdesk team (helpdesk_mgmt has no assignment method of its
        own, only 'assign to the creating user' as a default)."""
        self.ensure_one()
        users = self.grade_id.user_ids or self.team_id.user_ids
        return users.filtered(lambda u: u.active and not u.share)

    def _qc_assign(self):
        """Assign the complaints of ``self`` that need it, load-balanced.

        - A complaint without an assignee, never assigned automatically, goes to
          the candidate (see ``_qc_assignment_candidates``) with the fewest open
          complaints; an assignee chosen by hand is always kept.
        - On a regrade, a complaint still held by the user it was assigned to
          automatically, and not yet answered, moves to the new grade's users when
          that user is not one of them; once somebody changed the assignee by hand
          (or removed it) the complaint is not reassigned any more.

        One count query for the batch, one write per chosen user.
        """
        auto = {t.id: t.qc_auto_assignee_id for t in self.sudo()}
        todo = {}
        for ticket in self.filtered(lambda t: t.is_quality_complaint).sorted("id"):
            candidates = ticket._qc_assignment_candidates()
            if not candidates:
                continue
            if not ticket.user_id and not auto[ticket.id]:
                todo[ticket] = candidates
            elif (
                ticket.user_id
                and ticket.user_id == auto[ticket.id]
                and not ticket.first_response_date
                and ticket.user_id not in candidates
            ):
                todo[ticket] = candidates
        if not todo:
            return
        users = self.env["res.users"].union(*todo.values())
        load = dict.fromkeys(users, 0)
        groups = self.sudo()._read_group(
            [
                ("is_quality_complaint", "=", True),
                ("stage_id.closed", "=", False),
                ("user_id", "in", users.ids),
                ("id", "not in", [t.id for t in todo]),
            ],
            ["user_id"],
            ["__count"],
        )
        load.update(dict(groups))
        chosen = {}
        for ticket, candidates in todo.items():
            user = min(candidates, key=lambda u: (load[u], u.id))
            load[user] += 1
            chosen.setdefault(user, []).append(ticket.id)
        # The team and the stage stay as they are: helpdesk_mgmt would recompute
        # both on a change of assignee, searching the team's stages once per ticket.
        # The assignee hears of the complaint with its activity, in one batch.
        kept = [self._fields["team_id"], self._fields["stage_id"]]
        for user, ticket_ids in chosen.items():
            tickets = self.browse(ticket_ids)
            with self.env.protecting(kept, tickets.filtered("team_id")):
                tickets.sudo().with_context(mail_auto_subscribe_no_notify=True).write(
                    {"user_id": user.id, "qc_auto_assignee_id": user.id}
                )

    def _qc_follow_grade_users(self):
        """The grade's responsible users follow its complaints (one subscription
        per grade for the batch)."""
        for grade in self.grade_id:
            partners = grade.user_ids.partner_id
            if partners:
                self.filtered(lambda t, g=grade: t.grade_id == g).message_subscribe(
                    partner_ids=partners.ids
                )

    # ------------------------------------------------------------ dispatch
    def _qc_dispatch(self):
        """Assignment, the 'contact the customer' activity, the customer's message.

        The complaint is assigned first (see ``_qc_assign``); the activity belongs
        to its assignee, the grade's responsible users follow the complaint and each
        get the activity only when nobody is assigned. On a regrade the activity
        thus moves only with the complaint: when ``_qc_assign`` hands an automatic,
        still unanswered assignment to the new grade's users (or when the assignee
        was changed by hand since the last dispatch). Only what changed: an owner
        already holding the activity keeps it (with the new deadline), a previous
        owner loses it, the customer hears once per grade.
        """
        tickets = self.filtered(lambda t: t.grade_id and not t.first_response_date)
        if not tickets:
            return
        tickets._qc_assign()
        tickets._qc_follow_grade_users()
        existing = tickets.sudo().activity_search([CONTACT_ACTIVITY], only_automated=False)
        plans = []
        obsolete = self.env["mail.activity"]
        for ticket in tickets:
            users = ticket.user_id or ticket.grade_id.user_ids
            mine = existing.filtered(lambda a, t=ticket: a.res_id == t.id)
            keep = mine.filtered(lambda a, u=users: a.user_id in u)
            obsolete |= mine - keep
            for activity in keep:
                activity.with_context(mail_activity_quick_update=True).write(
                    ticket._qc_contact_activity_values(activity.user_id)
                )
            plans += [
                (
                    ticket,
                    {
                        "user_id": user.id,
                        "note": ticket.grade_reasons,
                        **ticket._qc_contact_activity_values(user),
                    },
                )
                for user in users - keep.user_id
            ]
        obsolete.unlink()
        if plans:
            tickets._qc_schedule_activities(CONTACT_ACTIVITY, plans)._qc_notify_assignees()
        tickets.filtered(lambda t: t.grade_id != t.grade_announced_id)._qc_queue_customer_messages()

    def _qc_contact_activity_values(self, user):
        """Summary and due date of ``user``'s 'contact the customer' activity, in
        the user's language and time zone."""
        self.ensure_one()
        deadline = self._qc_time_formatter(user.tz)(self)
        env = self.with_context(lang=user.lang or self.env.lang).env
        return {
            "summary": env._(
                "%(grade)s: contact the customer by %(deadline)s",
                grade=self.grade_id.with_env(env).name,
                deadline=deadline,
            ),
            "date_deadline": fields.Date.context_today(
                self.with_context(tz=user.tz or "UTC"), self.response_deadline
            ),
        }

    def _qc_department_head(self):
        """Who hears of a late result, a dissatisfied customer or an overdue
        call-back: the team's department head, else the company's quality manager."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return self.team_id.qc_department_head_id or company.qc_quality_manager_id

    def _qc_alert_department_head(self, summary, note):
        """An activity for each complaint's department head, due today; a chatter
        note where there is nobody to tell. ``summary(env)`` and
        ``note(env, ticket)`` are rendered in the recipient's language. Returns the
        complaints whose head was told."""
        today = fields.Date.context_today(self)
        plans = []
        orphans = self.browse()
        for ticket in self:
            head = ticket._qc_department_head()
            if not head:
                orphans |= ticket
                continue
            env = self.with_context(lang=head.lang or self.env.lang).env
            plans.append(
                (
                    ticket,
                    {
                        "user_id": head.id,
                        "date_deadline": today,
                        "summary": summary(env),
                        "note": note(env, ticket),
                    },
                )
            )
        self._qc_schedule_activities("mail.mail_activity_data_todo", plans)
        if orphans:
            orphans._message_log_batch(
                {
                    ticket.id: self.env._(
                        "%(what)s, but nobody is told: set a department head on the "
                        "team or a quality manager in the settings.",
                        what=summary(self.env),
                    )
                    for ticket in orphans
                }
            )
        return self - orphans
