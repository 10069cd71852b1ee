from . import followup_wizard
from . import feedback_wizard
