from . import investigation_8d_report
