from . import complaint_analysis
from . import case_library
