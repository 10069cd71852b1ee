"""Working-time arithmetic on a calendar, in naive UTC datetimes."""

import bisect
from datetime import timedelta

import pytz

from odoo import models


def _naive_utc(moment):
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _qc_plan_work_hours(self, plans):
        """End of each (start, hours) plan on the calendar, leaves and public
        holidays deducted.

        ``plans``: list of (start, hours), naive UTC datetimes. Returns the list of
        naive UTC ends, in the same order. The work intervals are read once for the
        whole list. An empty recordset, or a calendar without working time, plans
        on the wall clock.
        """
        if not plans:
            return []
        wall = [start + timedelta(hours=hours) for start, hours in plans]
        if not self:
            return wall
        self.ensure_one()
        first = min(start for start, _hours in plans)
        last = max(start for start, _hours in plans)
        span = timedelta(days=14 + int(max(hours for _start, hours in plans) // 2))
        while span <= timedelta(days=1460):
            intervals = self._work_intervals_batch(
                pytz.utc.localize(first), pytz.utc.localize(last + span)
            )[False]
            rows = [(_naive_utc(start), _naive_utc(stop)) for start, stop, _meta in intervals]
            stops = [stop for _start, stop in rows]
            results = []
            for start, hours in plans:
                end = self._qc_walk(rows, stops, start, timedelta(hours=hours))
                if end is None:
                    break
                results.append(end)
            if len(results) == len(plans):
                return results
            span *= 2
        return wall

    @staticmethod
    def _qc_walk(rows, stops, start, remaining):
        """Consume ``remaining`` working time from ``start`` over the intervals."""
        if remaining <= timedelta(0):
            return start
        for interval_start, interval_stop in rows[bisect.bisect_right(stops, start) :]:
            begin = max(interval_start, start)
            length = interval_stop - begin
            if remaining <= length:
                return begin + remaining
            remaining -= length
        return None

    def _qc_work_hours_between(self, start, end):
        """Working hours of the calendar between two naive UTC datetimes (wall-clock
        hours for an empty recordset)."""
        if end <= start:
            return 0.0
        if not self:
            return (end - start).total_seconds() / 3600
        self.ensure_one()
        return self.get_work_hours_count(
            pytz.utc.localize(start), pytz.utc.localize(end), compute_leaves=True
        )
