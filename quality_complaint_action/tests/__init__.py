from . import test_corrective_action
from . import test_action_containment
from . import test_lot_hold_moves
from . import test_action_recurrence
from . import test_action_verification
from . import test_action_proposal
from . import test_i18n_screens
from . import test_demo
