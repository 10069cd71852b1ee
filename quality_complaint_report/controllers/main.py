"""The spreadsheets' file names.

report_xlsx names a download after the report's print_report_name only when it
prints records one by one; a report printed from a wizard's options (the
complaint register, the review pack) would be saved as "<report name>.xlsx",
e.g. "Complaint Register (XLSX).xlsx". Our reports name their file themselves
(``_qc_download_name`` of the report model: "Complaint register 2026-12.xlsx"),
sent as the response's Content-Disposition, which report_xlsx's download keeps.
"""

import json

from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.http import content_disposition, request, route


class QualityComplaintReportController(ReportController):
    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        response = super().report_routes(reportname, docids=docids, converter=converter, **data)
        report = request.env.get(f"report.{reportname}")
        if (
            converter != "xlsx"
            or report is None
            or not hasattr(report, "_qc_download_name")
            or response.status_code != 200
        ):
            return response
        options = json.loads(data.get("options") or "{}")
        context = json.loads(data.get("context") or "{}")
        ids = [int(i) for i in docids.split(",")] if docids else []
        name = report.with_context(**context)._qc_download_name(ids, options)
        response.headers["Content-Disposition"] = content_disposition(name)
        return response
