"""Read an Odoo test log and print the closing line ``N passed, N failed``.

Exit status is non-zero when a test failed or errored, when Odoo exited with
an error, when no test ran (the install failed before the tests), or when Odoo
logged any ERROR or CRITICAL line.

    summarize_test_log.py LOG [ODOO_EXIT_STATUS]
    summarize_test_log.py --no-tests LOG...   only the ERROR/CRITICAL lines of each log
"""

import re
import sys

RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")


def main(path, odoo_rc):
    failed = errors = total = 0
    found = False
    bad_lines = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = RESULT.search(line)
            if match:
                found = True
                failed, errors, total = map(int, match.groups())
            elif LEVEL.match(line):
                bad_lines.append(line.rstrip())
    broken = failed + errors
    print(f"{total - broken} passed, {broken} failed")
    problems = []
    if not found or total == 0:
        problems.append("no test ran: the install failed or the tags matched nothing")
    if odoo_rc:
        problems.append(f"Odoo exited with status {odoo_rc}")
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
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
