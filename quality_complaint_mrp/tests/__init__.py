from . import test_production_traceability
from . import test_action_proposal_mrp
from . import test_lot_hold_production
from . import test_document_gone
