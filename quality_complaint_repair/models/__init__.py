from . import remedy_type
from . import remedy
from . import repair_order
from . import helpdesk_ticket
