from . import remedy_type
from . import remedy
from . import helpdesk_ticket
from . import loyalty_card
