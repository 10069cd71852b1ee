from . import grade_override
