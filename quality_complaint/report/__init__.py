from . import complaint_analysis
