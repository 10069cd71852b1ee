from . import portal
from . import ticket
