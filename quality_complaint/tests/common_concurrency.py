"""Two users at once on the same record, each in their own transaction.

The records a test races on are committed (each thread has its own cursor, as two
HTTP requests or two cron workers do): ``prepare(env)`` creates them in
``setUpClass``, or a test creates more with ``committed``; ``cleanup(env)``
removes them all again in the class cleanup, so the other tests of the database
never see them.

``race`` runs two sides; each side is a user, a ``read`` that opens its page (the
transaction's snapshot and the records in cache) and an ``act`` that clicks. Both
have read before either acts (a barrier). Then, deterministically:

- ``hold=True``: the first acts and keeps its transaction open while the second
  acts (someone is doing it at this very moment);
- ``hold=False``: the first acts and commits, then the second acts on what it read
  before (someone just did it).
"""

import threading

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests.common import BaseCase, get_db_name

# Seconds a side waits for the other before going on: only reached when the
# second side blocks on a row lock instead of being refused at once.
WAIT = 3


def thread_env(registry, cr, uid=SUPERUSER_ID):
    """An environment on the cursor of a thread of the test. The test runner holds
    the registries' lock while tests run: the thread's transaction is given its
    registry instead of asking for it (which would wait for the lock forever)."""
    cr.transaction = Transaction(registry)
    return api.Environment(cr, uid, {})


class Outcome:
    """What one side of a race got: ``value`` or ``error``."""

    def __init__(self):
        self.value = None
        self.error = None

    def __repr__(self):
        return f"Outcome(value={self.value!r}, error={self.error!r})"


class ConcurrencyCase(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup_committed)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls._bus_mark = env["bus.bus"].search([], order="id desc", limit=1).id or 0
            cls.prepare(env)

    @classmethod
    def _cleanup_committed(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.cleanup(env)
        with cls.registry.cursor() as cr:
            # the notifications the commits (the cleanup's too) sent to the browsers
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["bus.bus"].search([("id", ">", getattr(cls, "_bus_mark", 0))]).unlink()

    @classmethod
    def prepare(cls, env):
        """Create the committed records of the class (superuser)."""

    @classmethod
    def cleanup(cls, env):
        """Remove every record ``prepare`` and the tests committed; also after a
        failed ``prepare`` or test (records may be missing)."""

    def committed(self, function, uid=SUPERUSER_ID):
        """``function(env)`` in a transaction of its own, committed; its result."""
        with self.registry.cursor() as cr:
            return function(api.Environment(cr, uid, {}))

    def race(self, first, second, hold=True):
        """Run the two sides, each ``(uid, read, act)``: ``read(env)`` returns the
        records, ``act(records)`` acts on them. Returns their two ``Outcome``."""
        barrier = threading.Barrier(2)
        first_acted = threading.Event()
        second_done = threading.Event()
        outcomes = (Outcome(), Outcome())

        def run(side, outcome, is_first):
            uid, read, act = side
            try:
                with self.registry.cursor() as cr:
                    env = thread_env(self.registry, cr, uid)
                    records = read(env)
                    barrier.wait(WAIT)
                    if is_first:
                        try:
                            outcome.value = act(records)
                            env.flush_all()
                        finally:
                            if hold:
                                first_acted.set()
                        if hold:
                            second_done.wait(WAIT)
                    else:
                        first_acted.wait(WAIT)
                        outcome.value = act(records)
                        env.flush_all()
            except Exception as error:  # what the side got
                outcome.error = error
            finally:
                if is_first and not hold:
                    first_acted.set()  # committed (or failed): the second acts now
                if not is_first:
                    second_done.set()

        threads = [
            threading.Thread(target=run, args=(first, outcomes[0], True)),
            threading.Thread(target=run, args=(second, outcomes[1], False)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(4 * WAIT)
        self.assertFalse(any(t.is_alive() for t in threads), "a side of the race hangs")
        return outcomes
