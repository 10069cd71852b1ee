from . import test_production_traceability
from . import test_action_proposal_mrp
