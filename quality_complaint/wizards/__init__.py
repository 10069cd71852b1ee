from . import grade_override
from . import cancel_wizard
from . import message_preview
