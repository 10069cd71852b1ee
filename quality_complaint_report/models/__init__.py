from . import helpdesk_ticket
from . import quality_review
from . import quality_review_item
from . import res_company
from . import res_config_settings
from . import res_partner
