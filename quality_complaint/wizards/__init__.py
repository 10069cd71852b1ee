from . import grade_override
from . import mail_compose_message
from . import feedback_wizard
