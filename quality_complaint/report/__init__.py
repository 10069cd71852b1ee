from . import complaint_analysis
from . import supplier_scorecard
