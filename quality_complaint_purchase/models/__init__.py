from . import quality_complaint_action
from . import res_partner
from . import purchase_order
from . import quality_complaint_deadline
from . import res_company
from . import res_config_settings
