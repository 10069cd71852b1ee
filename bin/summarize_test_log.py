"""Read Odoo test logs and print the closing line ``N passed, N failed``.

Exit status is non-zero when a test failed or errored, when Odoo exited with
an error, when no test ran in a log (the install failed before the tests), or
when Odoo logged any ERROR or CRITICAL line. For a log where no test ran it
prints what was raised (e.g. a registry that cannot build its classes).

    summarize_test_log.py LOG [ODOO_EXIT_STATUS]
    summarize_test_log.py LOG:ODOO_EXIT_STATUS...   the runs of one suite, summed
    summarize_test_log.py --no-tests LOG...   only the ERROR/CRITICAL lines of each log
"""

import re
import sys

RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
# The exception line that ends a traceback ("TypeError: Cannot create ...").
RAISED = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b")


def read_log(path):
    """(failed, errors, total, found, ERROR/CRITICAL lines, exceptions raised) of
    one run's log."""
    failed = errors = total = 0
    found = False
    bad_lines = []
    raised = []
    try:
        log = open(path, encoding="utf-8", errors="replace")
    except OSError:
        return 0, 0, 0, False, [], []
    with log:
        continued = False
        for line in log:
            match = RESULT.search(line)
            if match:
                found = True
                failed, errors, total = map(int, match.groups())
            elif LEVEL.match(line):
                bad_lines.append(line.rstrip())
            elif RAISED.match(line) and line.rstrip() not in raised:
                raised.append(line.rstrip())
                continued = True
                continue
            elif continued and line.strip() and not re.match(r"\d{4}-|Traceback|\s", line):
                # a message on two lines: "... method resolution\norder (MRO) for bases ..."
                raised[-1] += " " + line.strip()
            continued = False
    return failed, errors, total, found, bad_lines, raised


def main(runs):
    """``runs``: [(log path, Odoo's exit status)], the parts of one suite."""
    broken = total = 0
    problems = []
    bad_lines = []
    for path, odoo_rc in runs:
        failed, errors, count, found, bad, raised = read_log(path)
        broken += failed + errors
        total += count
        bad_lines += bad
        if not found or count == 0:
            problems.append(
                f"{path or 'a run'}: no test ran: the install failed or the tags matched nothing"
            )
            # what stopped the install (e.g. a registry that cannot build its classes)
            problems.extend(f"  raised: {line[:300]}" for line in raised[:3])
        if odoo_rc:
            problems.append(f"{path}: Odoo exited with status {odoo_rc}")
    print(f"{total - broken} passed, {broken} failed")
    if bad_lines and not broken:
        problems.append(f"Odoo logged {len(bad_lines)} ERROR/CRITICAL line(s):")
        problems.extend("  " + line[:300] for line in bad_lines[:10])
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if (broken or problems) else 0


def check_errors(paths):
    """Print the ERROR/CRITICAL lines of the logs; non-zero when there is one."""
    found = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as log:
            bad_lines = [line.rstrip() for line in log if LEVEL.match(line)]
        found += len(bad_lines)
        if bad_lines:
            print(f"{path}: {len(bad_lines)} ERROR/CRITICAL line(s):", file=sys.stderr)
            for line in bad_lines[:10]:
                print("  " + line[:300], file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    if sys.argv[1] == "--no-tests":
        sys.exit(check_errors(sys.argv[2:]))
    if any(":" in arg for arg in sys.argv[1:]):
        pairs = [arg.rsplit(":", 1) for arg in sys.argv[1:]]
        sys.exit(main([(path, int(rc or 1)) for path, rc in pairs]))
    sys.exit(main([(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)]))
