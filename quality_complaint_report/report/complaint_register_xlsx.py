"""The complaint register: one spreadsheet row per complaint.

Every Table-1 fact, the grade and its reasons, the response clock, the remedies,
the root cause, the corrective actions and their verification, the customer's
feedback and the call-back, for the complaints the user may read.

Memory stays flat on large exports: the ids come from one query that applies the
record rules, the rows from SQL in batches of ``BATCH`` ids (remedies, lots and
actions aggregated by PostgreSQL, labels translated, dates turned into Excel
serials in the user's time zone), and the workbook is in xlsxwriter's
constant-memory mode: the rows are written in order with its public cell writers
and go to a temporary file as they come. No record is browsed, no query is run
per row.
"""

import html
import re
import unicodedata

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.quality_complaint.report.report_access import check_report_reader
from odoo.tools import SQL

BATCH = 5000
# Excel refuses longer cell texts.
MAX_CELL = 32767
OFFICER_GROUP = "quality_complaint.group_complaint_officer"
DASH = " \N{EN DASH} "
TAGS = re.compile(r"<[^>]*>")


# Characters a header needs beside its text for the autofilter's drop-down button.
FILTER_BUTTON = 3


def column_width(header, width=0):
    """The width (in characters) of a column whose header is ``header``: at least
    ``width``, and the whole header with its filter button; a Chinese character
    takes two."""
    text = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in header)
    return max(width, text + FILTER_BUTTON)


def translated(env, model, alias, fname):
    """SQL for ``alias.fname`` in the user's language (the column of a translated
    field holds a JSON object of languages)."""
    column = SQL.identifier(alias, fname)
    if env[model]._fields[fname].translate:
        return SQL("COALESCE(%s->>%s, %s->>'en_US')", column, env.lang or "en_US", column)
    return column


def labels(env, model, fname):
    """The labels of a selection field, in the user's language: {value: label}."""
    return dict(env[model]._fields[fname]._description_selection(env))


def label_sql(env, model, fname, expr):
    """SQL turning a selection column into its label in the user's language."""
    cases = SQL(" ").join(
        SQL("WHEN %s THEN %s", value, label) for value, label in labels(env, model, fname).items()
    )
    return SQL("CASE %s %s ELSE %s END", expr, cases, expr)


def excel_time(env, expr):
    """SQL turning a UTC timestamp column into the user's wall-clock time as an
    Excel date serial (days since 1899-12-30): no datetime parsed per cell."""
    return SQL(
        "(EXTRACT(EPOCH FROM (%s AT TIME ZONE 'UTC' AT TIME ZONE %s)) / 86400 + 25569)::float8",
        expr,
        str(env.tz),
    )


class QualityComplaintRegisterXlsx(models.AbstractModel):
    _name = "report.quality_complaint.complaint_register_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Complaint register (spreadsheet)"

    def get_workbook_options(self):
        # Rows are written strictly in order, one sheet at a time. Every cell of the
        # register is top-aligned: the workbook's default format is, so that a plain
        # text needs no format of its own (xlsxwriter writes such a cell faster).
        return {
            "constant_memory": True,
            "remove_timezone": True,
            "strings_to_urls": False,
            "default_format_properties": {"valign": "top"},
        }

    # ------------------------------------------------------------ domain
    @api.model
    def _qc_register_domain(self, docids, data):
        """The complaints to list: the selected ones, or the wizard's domain."""
        domain = [("is_quality_complaint", "=", True)]
        if data and data.get("domain"):
            domain += list(data["domain"])
        elif docids:
            domain.append(("id", "in", list(docids)))
        return domain

    @api.model
    def _qc_download_name(self, docids, data):
        """The downloaded file's name (see controllers/main.py): "Complaint register"
        and the period the wizard asked for (a whole month as yyyy-mm), else today."""
        data = data or {}
        start, end = (fields.Date.to_date(data.get(key)) for key in ("date_from", "date_to"))
        if start and end and start.day == 1 and end == start + relativedelta(months=1, days=-1):
            period = f"{start:%Y-%m}"
        elif start and end:
            period = f"{start:%Y-%m-%d}{DASH}{end:%Y-%m-%d}"
        else:
            period = fields.Date.to_string(fields.Date.context_today(self))
        return self.env._("Complaint register %s.xlsx", period)

    def _get_objs_for_report(self, docids, data):
        # The ids only: the register reads its rows with SQL, never the records.
        return self.env["helpdesk.ticket"].browse(docids or [])

    # ------------------------------------------------------------ columns
    def _qc_all_columns(self):
        """(key, header, kind, width, reads): kind is text, int, float, money, date or
        datetime; ``reads`` the (model, field names) the column shows."""
        T = "helpdesk.ticket"
        inv = "quality.complaint.investigation"
        return [
            ("number", self.env._("Reference"), "text", 14, [(T, ["number"])]),
            ("title", self.env._("Title"), "text", 30, [(T, ["name"])]),
            ("registered", self.env._("Registered on"), "datetime", 17, [(T, ["registered_date"])]),
            ("channel", self.env._("Channel"), "text", 12, [(T, ["channel_id"])]),
            ("team", self.env._("Team"), "text", 20, [(T, ["team_id"])]),
            ("customer", self.env._("Customer"), "text", 24, [(T, ["partner_id", "partner_name"])]),
            (
                "contact",
                self.env._("Contact (e-mail / phone)"),
                "text",
                28,
                [(T, ["partner_email", "partner_phone"])],
            ),
            ("order", self.env._("Order number"), "text", 14, [(T, ["sale_order_id"])]),
            ("product", self.env._("Product"), "text", 26, [(T, ["product_id"])]),
            ("lots", self.env._("Lots / serial numbers"), "text", 20, [(T, ["lot_ids"])]),
            ("purchase_date", self.env._("Purchase date"), "date", 12, [(T, ["purchase_date"])]),
            ("defect", self.env._("Defect category"), "text", 18, [(T, ["defect_category_id"])]),
            (
                "occurrence",
                self.env._("When / where it happens"),
                "text",
                30,
                [(T, ["occurrence"])],
            ),
            ("impact", self.env._("Impact"), "text", 20, [(T, ["impact_level"])]),
            (
                "request",
                self.env._("Customer request"),
                "text",
                28,
                [(T, ["customer_request", "customer_request_note"])],
            ),
            ("affected", self.env._("Affected units"), "float", 10, [(T, ["affected_qty"])]),
            ("evidence", self.env._("Evidence"), "int", 9, [(T, ["evidence_count"])]),
            ("description", self.env._("Description"), "text", 50, [(T, ["description"])]),
            ("grade", self.env._("Grade"), "text", 12, [(T, ["grade_id"])]),
            (
                "grade_reasons",
                self.env._("Grade reasons"),
                "text",
                40,
                # The reasons name the officer of an override and their reason.
                [(T, ["grade_reasons", "grade_override_reason", "grade_override_user_id"])],
            ),
            (
                "deadline",
                self.env._("Response deadline"),
                "datetime",
                17,
                [(T, ["response_deadline"])],
            ),
            ("sla", self.env._("SLA status"), "text", 12, [(T, ["sla_status"])]),
            (
                "first_response",
                self.env._("First response"),
                "datetime",
                17,
                [(T, ["first_response_date"])],
            ),
            (
                "response_hours",
                self.env._("Hours to first response"),
                "float",
                10,
                [(T, ["qc_response_hours"])],
            ),
            ("stage", self.env._("Stage"), "text", 16, [(T, ["stage_id"])]),
            (
                "remedies",
                self.env._("Remedies"),
                "text",
                36,
                [(T, ["remedy_ids"]), ("quality.complaint.remedy", ["type_id", "state"])],
            ),
            ("remedy_cost", self.env._("Remedy cost"), "money", 12, [(T, ["qc_remedy_cost"])]),
            (
                "investigation",
                self.env._("Investigation"),
                "text",
                14,
                [(T, ["investigation_id"]), (inv, ["name"])],
            ),
            (
                "cause_category",
                self.env._("Root-cause category"),
                "text",
                14,
                [(T, ["investigation_id"]), (inv, ["root_cause_category"])],
            ),
            (
                "root_cause",
                self.env._("Root cause"),
                "text",
                40,
                [(T, ["investigation_id"]), (inv, ["root_cause_summary"])],
            ),
            (
                "actions",
                self.env._("Corrective actions"),
                "text",
                32,
                [(T, ["investigation_id"]), ("quality.complaint.action", ["name", "state"])],
            ),
            (
                "verdict",
                self.env._("Last verification"),
                "text",
                14,
                [(T, ["investigation_id"]), ("quality.complaint.action.verification", ["verdict"])],
            ),
            (
                "feedback",
                self.env._("Feedback / satisfaction"),
                "text",
                22,
                [(T, ["qc_feedback_state", "rating_last_value"])],
            ),
            (
                "followup",
                self.env._("Call-back outcome"),
                "text",
                16,
                [(T, ["qc_followup_outcome"])],
            ),
            ("closed", self.env._("Closed on"), "datetime", 17, [(T, ["closed_date"])]),
            (
                "days_to_close",
                self.env._("Days to close"),
                "float",
                10,
                [(T, ["qc_days_to_close"])],
            ),
        ]

    def _qc_may_read(self, reads):
        """Whether the user may read every field ``reads`` names: the model's access
        rights and each field's ``groups`` (the register reads past the ORM)."""
        access = self.env["ir.model.access"]
        for model, fnames in reads:
            if model not in self.env or not access.check(model, "read", raise_exception=False):
                return False
            Model = self.env[model]
            for fname in fnames:
                field = Model._fields.get(fname)
                if field is None or not Model._has_field_access(field, "read"):
                    return False
        return True

    def _qc_column_indexes(self):
        """The positions (in ``_qc_all_columns``) of the columns the user may read."""
        return [
            index
            for index, column in enumerate(self._qc_all_columns())
            if self._qc_may_read(column[4])
        ]

    def _qc_columns(self):
        """(key, header, kind, width) of the columns the user may read."""
        columns = self._qc_all_columns()
        return [columns[index][:4] for index in self._qc_column_indexes()]

    # ------------------------------------------------------------ SQL
    def _qc_rows_query(self, ids):
        """The register's rows for ``ids`` (one batch), in id order, as SQL."""
        env = self.env
        Ticket = "helpdesk.ticket"
        remedy_state = label_sql(env, "quality.complaint.remedy", "state", SQL("r.state"))
        action_state = label_sql(env, "quality.complaint.action", "state", SQL("a.state"))
        shown = {column[0] for column in self._qc_all_columns() if self._qc_may_read(column[4])}

        def readable(key, column):
            # The SQL reads past the ORM: what the user may not read stays empty.
            return SQL(column) if key in shown else SQL("NULL")

        cost = readable("remedy_cost", "t.qc_remedy_cost::float8")

        return SQL(
            """
            SELECT t.id,
                   t.number,
                   t.name,
                   %(registered)s,
                   %(channel)s,
                   %(team)s,
                   COALESCE(partner.name, t.partner_name),
                   concat_ws(' / ', NULLIF(t.partner_email, ''), NULLIF(t.partner_phone, '')),
                   so.name,
                   CASE WHEN pp.default_code IS NOT NULL
                        THEN '[' || pp.default_code || '] ' ELSE '' END || %(product)s,
                   lots.names,
                   t.purchase_date - DATE '1899-12-30',
                   %(defect)s,
                   t.occurrence,
                   t.impact_level,
                   t.customer_request,
                   t.customer_request_note,
                   t.affected_qty::float8,
                   COALESCE(evidence.n, 0),
                   t.description,
                   %(grade)s,
                   %(grade_reasons)s,
                   %(deadline)s,
                   t.sla_status,
                   %(first_response)s,
                   CASE WHEN t.first_response_date IS NOT NULL THEN t.qc_response_hours END,
                   %(stage)s,
                   %(remedies)s,
                   %(cost)s,
                   %(inv_name)s,
                   %(inv_category)s,
                   %(inv_cause)s,
                   %(actions)s,
                   %(verdict)s,
                   t.qc_feedback_state,
                   NULLIF(t.rating_last_value, 0),
                   t.qc_followup_outcome,
                   %(closed)s,
                   CASE WHEN t.closed_date IS NOT NULL THEN t.qc_days_to_close END
              FROM helpdesk_ticket t
         LEFT JOIN helpdesk_ticket_channel channel ON channel.id = t.channel_id
         LEFT JOIN helpdesk_ticket_team team ON team.id = t.team_id
         LEFT JOIN res_partner partner ON partner.id = t.partner_id
         LEFT JOIN sale_order so ON so.id = t.sale_order_id
         LEFT JOIN product_product pp ON pp.id = t.product_id
         LEFT JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
         LEFT JOIN quality_complaint_defect_category defect ON defect.id = t.defect_category_id
         LEFT JOIN quality_complaint_grade grade ON grade.id = t.grade_id
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
         LEFT JOIN quality_complaint_investigation inv ON inv.id = t.investigation_id
         LEFT JOIN (
                SELECT rel.ticket_id, string_agg(lot.name, ', ' ORDER BY lot.name) AS names
                  FROM helpdesk_ticket_stock_lot_rel rel
                  JOIN stock_lot lot ON lot.id = rel.lot_id
                 WHERE rel.ticket_id = ANY(%(ids)s)
              GROUP BY rel.ticket_id
               ) lots ON lots.ticket_id = t.id
         LEFT JOIN (
                SELECT att.res_id, count(*) AS n
                  FROM ir_attachment att
                 WHERE att.res_model = %(ticket_model)s AND att.res_id = ANY(%(ids)s)
              GROUP BY att.res_id
               ) evidence ON evidence.res_id = t.id
         LEFT JOIN (
                SELECT r.ticket_id,
                       string_agg(%(remedy_type)s || %(dash)s || %(remedy_state)s, E'\\n'
                                  ORDER BY r.sequence, r.id) AS lines
                  FROM quality_complaint_remedy r
                  JOIN quality_complaint_remedy_type rt ON rt.id = r.type_id
                 WHERE r.ticket_id = ANY(%(ids)s)
              GROUP BY r.ticket_id
               ) remedies ON remedies.ticket_id = t.id
         LEFT JOIN LATERAL (
                SELECT string_agg(a.name || ' (' || %(action_state)s || ')', E'\\n'
                                  ORDER BY a.id) AS lines
                  FROM quality_complaint_action a
                 WHERE a.investigation_id = t.investigation_id AND a.active
               ) actions ON TRUE
         LEFT JOIN LATERAL (
                SELECT v.verdict
                  FROM quality_complaint_action_verification v
                  JOIN quality_complaint_action a ON a.id = v.action_id
                 WHERE a.investigation_id = t.investigation_id
              ORDER BY v.date DESC, v.id DESC
                 LIMIT 1
               ) verification ON TRUE
             WHERE t.id = ANY(%(ids)s)
          ORDER BY t.id
            """,
            registered=excel_time(env, SQL("t.registered_date")),
            channel=translated(env, "helpdesk.ticket.channel", "channel", "name"),
            team=translated(env, "helpdesk.ticket.team", "team", "name"),
            product=translated(env, "product.template", "tmpl", "name"),
            defect=translated(env, "quality.complaint.defect.category", "defect", "name"),
            grade=translated(env, "quality.complaint.grade", "grade", "name"),
            deadline=excel_time(env, SQL("t.response_deadline")),
            first_response=excel_time(env, SQL("t.first_response_date")),
            stage=translated(env, "helpdesk.ticket.stage", "stage", "name"),
            cost=cost,
            grade_reasons=readable("grade_reasons", "t.grade_reasons"),
            remedies=readable("remedies", "remedies.lines"),
            inv_name=readable("investigation", "inv.name"),
            inv_category=readable("cause_category", "inv.root_cause_category"),
            inv_cause=readable("root_cause", "inv.root_cause_summary"),
            actions=readable("actions", "actions.lines"),
            verdict=readable("verdict", "verification.verdict"),
            closed=excel_time(env, SQL("t.closed_date")),
            ticket_model=Ticket,
            remedy_type=translated(env, "quality.complaint.remedy.type", "rt", "name"),
            remedy_state=remedy_state,
            dash=DASH,
            action_state=action_state,
            ids=list(ids),
        )

    def _qc_row_values(self):
        """A function turning one SQL row into the cell values, in column order."""
        env = self.env
        impact = labels(env, "helpdesk.ticket", "impact_level")
        request = labels(env, "helpdesk.ticket", "customer_request")
        sla = labels(env, "helpdesk.ticket", "sla_status")
        cause = labels(env, "quality.complaint.investigation", "root_cause_category")
        verdict = labels(env, "quality.complaint.action.verification", "verdict")
        feedback = labels(env, "helpdesk.ticket", "qc_feedback_state")
        followup = labels(env, "helpdesk.ticket", "qc_followup_outcome")
        indexes = self._qc_column_indexes()
        every_column = len(indexes) == len(self._qc_all_columns())
        rating_label = env._("rating")

        def clip(text):
            if not text:
                return None
            if "&" in text:
                text = html.unescape(text)
            return text[:MAX_CELL]

        def plain(markup):
            # The description's HTML as one line of text (cheaper here than in SQL).
            if not markup:
                return None
            return clip(" ".join(TAGS.sub(" ", markup).split()))

        def values(row):
            (
                _id,
                number,
                title,
                registered,
                channel,
                team,
                customer,
                contact,
                order,
                product,
                lots,
                purchase_date,
                defect,
                occurrence,
                impact_level,
                req,
                req_note,
                affected,
                evidence,
                description,
                grade,
                reasons,
                deadline,
                sla_status,
                first_response,
                hours,
                stage,
                remedies,
                cost,
                investigation,
                cause_category,
                root_cause,
                actions,
                last_verdict,
                feedback_state,
                rating,
                followup_outcome,
                closed,
                days,
            ) = row
            request_text = request.get(req) or ""
            if req_note:
                request_text = f"{request_text}: {req_note}" if request_text else req_note
            feedback_text = feedback.get(feedback_state) or ""
            if rating:
                feedback_text = f"{feedback_text} ({rating_label} {rating:g})"
            cells = [
                number,
                title,
                registered,
                channel,
                team,
                customer,
                contact or None,
                order,
                product,
                lots,
                purchase_date,
                defect,
                clip(occurrence),
                impact.get(impact_level),
                request_text or None,
                affected,
                evidence,
                plain(description),
                grade,
                clip(reasons),
                deadline,
                sla.get(sla_status),
                first_response,
                hours,
                stage,
                remedies,
                cost,
                investigation,
                cause.get(cause_category),
                clip(root_cause),
                actions,
                verdict.get(last_verdict),
                feedback_text or None,
                followup.get(followup_outcome),
                closed,
                days,
            ]
            if every_column:
                return cells
            return [cells[index] for index in indexes]

        return values

    # ------------------------------------------------------------ writing
    def _qc_formats(self, workbook):
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        date_fmt = self._qc_excel_date_format(lang.date_format if lang else "%m/%d/%Y")
        currency = self.env.company.currency_id
        return {
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top"}
            ),
            "text": workbook.add_format({"valign": "top"}),
            "wrap": workbook.add_format({"valign": "top", "text_wrap": True}),
            "int": workbook.add_format({"valign": "top", "num_format": "0"}),
            "float": workbook.add_format({"valign": "top", "num_format": "#,##0.00"}),
            "money": workbook.add_format(
                {"valign": "top", "num_format": self._report_xlsx_currency_format(currency)}
            ),
            "percent": workbook.add_format({"valign": "top", "num_format": "0.0"}),
            "date": workbook.add_format({"valign": "top", "num_format": date_fmt}),
            "datetime": workbook.add_format({"valign": "top", "num_format": f"{date_fmt} hh:mm"}),
        }

    @api.model
    def _qc_excel_date_format(self, strftime):
        """The user's language's date format, as an Excel number format."""
        table = {
            "%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%b": "mmm", "%B": "mmmm",
            "%a": "ddd", "%A": "dddd", "%e": "d",
        }  # fmt: skip
        result = strftime
        for code, excel in table.items():
            result = result.replace(code, excel)
        return result if "%" not in result else "yyyy-mm-dd"

    def _qc_writers(self, sheet, columns, formats):
        """(column, writer, format) per column, picked once (not per cell): numbers
        (dates included: Excel serials from the SQL) with ``write_number``, texts
        with ``write_string`` (never ``write``, which turns a text starting with
        ``=`` or ``{=`` into a formula)."""
        write_text = self._qc_text_writer(sheet)
        writers = []
        for col, (key, _header, kind, _width) in enumerate(columns):
            if kind in ("date", "datetime", "int", "float", "money"):
                writers.append((col, sheet.write_number, formats[kind]))
            elif key in ("remedies", "actions", "grade_reasons"):
                writers.append((col, write_text, formats["wrap"]))
            else:
                # The workbook's default format (get_workbook_options) is the text's.
                writers.append((col, write_text, None))
        return writers

    @api.model
    def _qc_text_writer(self, sheet):
        """``write_string`` for a user's text, as typed.

        In constant-memory mode xlsxwriter takes a text that starts with ``<r>`` and
        ends with ``</r>`` for the markup of a rich string and copies it into the
        sheet unescaped (a complaint's title could add cells and formulas): such a
        text is written as a rich string of three plain runs instead, which
        xlsxwriter escapes (the cell shows the same text; it wants three runs)."""
        write_string = sheet.write_string
        write_rich_string = sheet.write_rich_string

        def write_text(row, col, text, cell_format):
            if text.startswith("<r>") and text.endswith("</r>"):
                runs = [text[:1], text[1:2], text[2:MAX_CELL]]
                if cell_format is not None:
                    runs.append(cell_format)
                return write_rich_string(row, col, *runs)
            return write_string(row, col, text, cell_format)

        return write_text

    def generate_xlsx_report(self, workbook, data, objs):
        self._qc_write_register(workbook, self._qc_register_domain(objs.ids, data))

    def _qc_write_register(self, workbook, domain):
        """Write the register's sheet; returns the number of complaints listed.

        The workbook is in constant-memory mode (``get_workbook_options``): the rows
        are written in order, each one once, and xlsxwriter sends a row to its
        temporary file as soon as the next one starts."""
        env = self.env
        check_report_reader(env, env._("The complaint register"))
        formats = self._qc_formats(workbook)
        columns = self._qc_columns()
        sheet = workbook.add_worksheet(env._("Complaints"))
        for col, (_key, header, _kind, width) in enumerate(columns):
            sheet.set_column(col, col, column_width(header, width))
            sheet.write_string(0, col, header, formats["header"])
        sheet.freeze_panes(1, 0)
        values = self._qc_row_values()
        writers = self._qc_writers(sheet, columns, formats)

        # The rows are read with SQL: write what the ORM still holds first.
        env.flush_all()
        query = env["helpdesk.ticket"]._search(domain, order="id")
        ids = [row[0] for row in env.execute_query(query.select())]
        row_index = 0
        cr = env.cr
        # A batch's plan costs enough for PostgreSQL's JIT to compile it, which takes
        # longer (about 0.2 s) than running it (0.1 s for 5,000 rows): not for these
        # queries (the setting ends with the transaction).
        cr.execute("SET LOCAL jit = off")
        for start in range(0, len(ids), BATCH):
            cr.execute(self._qc_rows_query(ids[start : start + BATCH]))
            for row in cr.fetchall():
                row_index += 1
                for (col, write, cell_format), value in zip(writers, values(row), strict=True):
                    if value is not None and value != "":
                        write(row_index, col, value, cell_format)
        sheet.autofilter(0, 0, max(row_index, 1), len(columns) - 1)
        return row_index
