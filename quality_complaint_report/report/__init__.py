from . import complaint_figures
from . import complaint_daily
from . import complaint_analysis
from . import complaint_register_xlsx
from . import review_pack_xlsx
from . import supplier_scorecard
from . import case_library
from . import complaint_customer_report
