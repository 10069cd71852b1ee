"""The complaint register: one spreadsheet row per complaint (issue 11).

Every Table-1 fact, the grade and its reasons, the response clock, the remedies,
the root cause, the corrective actions and their verification, the customer's
feedback and the call-back, for the complaints the user may read.

Memory stays flat on large exports: the ids come from one query that applies the
record rules, the rows from SQL in batches of ``BATCH`` ids (remedies, lots and
actions aggregated by PostgreSQL, labels translated, dates turned into Excel
serials in the user's time zone), and the workbook is in xlsxwriter's
constant-memory mode: rows go to a temporary file as they come (see RowStream).
No record is browsed, no query is run per row.
"""

import html
import re

from xlsxwriter.utility import xl_col_to_name

from odoo import api, models
from odoo.addons.quality_complaint.report.report_access import check_report_reader
from odoo.tools import SQL

BATCH = 5000
# Excel refuses longer cell texts.
MAX_CELL = 32767
OFFICER_GROUP = "quality_complaint.group_complaint_officer"
DASH = " \N{EN DASH} "
TAGS = re.compile(r"<[^>]*>")


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
        # Rows are written strictly in order, one sheet at a time.
        return {"constant_memory": True, "remove_timezone": True, "strings_to_urls": False}

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
        """One bound writer per column, picked once (not per cell)."""
        writers = []
        for _key, _header, kind, _width in columns:
            if kind in ("date", "datetime"):
                writers.append((sheet.write_number, formats[kind]))
            elif kind in ("int", "float", "money"):
                writers.append((sheet.write_number, formats[kind]))
            else:
                wrap = _key in ("remedies", "actions", "grade_reasons")
                writers.append((sheet.write_string, formats["wrap" if wrap else "text"]))
        return writers

    def generate_xlsx_report(self, workbook, data, objs):
        self._qc_write_register(workbook, self._qc_register_domain(objs.ids, data))

    def _qc_write_register(self, workbook, domain):
        env = self.env
        check_report_reader(env, env._("The complaint register"))
        formats = self._qc_formats(workbook)
        columns = self._qc_columns()
        sheet = workbook.add_worksheet(env._("Complaints"))
        for col, (_key, header, _kind, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, header, formats["header"])
        sheet.freeze_panes(1, 0)
        values = self._qc_row_values()
        if sheet.constant_memory:
            # Flush the header row: the data rows follow it in the row file.
            sheet._write_single_row(1)
            stream = RowStream(sheet, columns, formats)
        else:
            stream = None
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
            rows = cr.fetchall()
            if stream:
                row_index = stream.add_rows(row_index, map(values, rows))
                continue
            for row in rows:
                row_index += 1
                for col, value in enumerate(values(row)):
                    if value is None or value == "":
                        continue
                    write, fmt = writers[col]
                    write(row_index, col, value, fmt)
        if stream and row_index:
            stream.close(row_index)
        sheet.autofilter(0, 0, max(row_index, 1), len(columns) - 1)
        return row_index


class RowStream:
    """Writes the register's rows straight into a constant-memory worksheet's row
    file, as the XML xlsxwriter would write for them.

    xlsxwriter spends tens of microseconds on each cell it writes; the register
    has some forty cells a row and the benchmark a hundred thousand rows. Each
    column's cell markup is prepared once; a row is one string join.
    """

    def __init__(self, sheet, columns, formats):
        self.sheet = sheet
        self.fh = sheet.fh
        self.ncols = len(columns)
        self.cells = []
        for col, (key, _header, kind, _width) in enumerate(columns):
            letter = xl_col_to_name(col)
            if kind in ("date", "datetime", "int", "float", "money"):
                style = formats[kind]._get_xf_index()
                self.cells.append((kind, f'<c r="{letter}', f'" s="{style}"><v>', "</v></c>"))
            else:
                wrap = key in ("remedies", "actions", "grade_reasons")
                style = formats["wrap" if wrap else "text"]._get_xf_index()
                self.cells.append(
                    (
                        "text",
                        f'<c r="{letter}',
                        f'" s="{style}" t="inlineStr"><is>',
                        "</t></is></c>",
                    )
                )

    def add_rows(self, row_index, rows):
        """Write ``rows`` (lists of cell values) after ``row_index``; returns the
        index of the last row written."""
        cells = self.cells
        out = []
        append = out.append
        # Names, labels and states repeat from row to row: escape each text once
        # per batch.
        escaped = {}
        for values in rows:
            row_index += 1
            number = str(row_index + 1)
            append(f'<row r="{number}">')
            for (kind, start, middle, end), value in zip(cells, values, strict=True):
                if value is None or value == "":
                    continue
                if kind == "text":
                    text = escaped.get(value)
                    if text is None:
                        text = escaped[value] = text_element(value)
                else:
                    # Numbers, dates included (Excel serials from the SQL).
                    text = str(value)
                append(f"{start}{number}{middle}{text}{end}")
            append("</row>")
        self.fh.write("".join(out))
        return row_index

    def close(self, row_index):
        """Tell the worksheet how far its data goes."""
        self.sheet._check_dimensions(row_index, self.ncols - 1)
        self.sheet.previous_row = row_index


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What an inline string cannot hold as it is (most texts have none of it).
NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x")


def text_element(text):
    """The opening ``<t>`` and the escaped ``text`` of an inline string; spaces at
    either end are kept by ``xml:space`` (as xlsxwriter does), only where there are."""
    escaped = xml_text(text)
    if escaped[:1].isspace() or escaped[-1:].isspace():
        return f'<t xml:space="preserve">{escaped}'
    return f"<t>{escaped}"


def xml_text(text):
    """``text`` escaped for an inline string of the worksheet's XML."""
    if NEEDS_ESCAPE.search(text) is None:
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        # Excel reads _xHHHH_ as an escaped character: escape its underscore.
        text = re.sub(r"_(x[0-9a-fA-F]{4}_)", r"_x005F_\1", text)
    return CONTROL_CHARS.sub("", text)
