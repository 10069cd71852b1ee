from . import grade_override
from . import mail_compose_message
from . import followup_wizard
from . import feedback_wizard
from . import cancel_wizard
