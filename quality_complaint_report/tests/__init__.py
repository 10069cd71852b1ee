from . import test_register_xlsx
from . import test_quality_review
from . import test_supplier_scorecard
from . import test_case_library
from . import test_complaint_analysis
from . import test_case_reports
from . import test_report_access
from . import test_figures_concurrency
