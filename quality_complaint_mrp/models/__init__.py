from . import lot_production
from . import investigation
from . import stock_lot
from . import corrective_action
from . import mrp_production
