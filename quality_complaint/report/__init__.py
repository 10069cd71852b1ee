from . import complaint_daily
from . import complaint_analysis
from . import complaint_register_xlsx
from . import review_pack_xlsx
from . import investigation_8d_report
from . import complaint_customer_report
from . import supplier_scorecard
from . import case_library
