from . import complaint_analysis
from . import complaint_register_xlsx
from . import review_pack_xlsx
from . import supplier_scorecard
