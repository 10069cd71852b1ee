from . import investigation_8d_report
from . import complaint_customer_report
