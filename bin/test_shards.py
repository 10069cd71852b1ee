"""Split the modules' tests into N shards of about the same length; print the
``--test-tags`` of each shard, one line each.

    test_shards.py N MODULE_DIR... [--times FILE]

The test classes (``class Test...`` in ``<module>/tests/*.py``) are dealt out
longest first to the shard with the least work so far. Their length is the one
measured by the last full run (``--times``, written by ``record``), else a guess:
a browser tour costs about as much as ten plain tests. Shard 0 runs the modules'
whole suites minus what the other shards run, so a test class this script does
not see still runs.

    test_shards.py record LOG... --times FILE
        measure each class's length in the logs of a run and keep it in FILE
"""

import datetime
import json
import re
import sys
from pathlib import Path

CLASS = re.compile(r"^class (Test\w*)\((.*)\):", re.MULTILINE)
METHOD = re.compile(r"^    def (test_\w+)\(", re.MULTILINE)
STARTING = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) \d+ INFO \S+ odoo\.addons\.(\w+)\.tests\.\w+: "
    r"Starting (\w+)\.\w+ \.\.\."
)
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) ")


def test_classes(module_dir):
    """{class name: guessed seconds} of a module."""
    found = {}
    for path in sorted((module_dir / "tests").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        matches = list(CLASS.finditer(text))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            methods = len(METHOD.findall(text, match.end(), end))
            tour = "HttpCase" in match.group(2) or "Tour" in match.group(1)
            found[match.group(1)] = max(methods, 1) * (20.0 if tour else 2.0)
    return found


def plan(count, module_dirs, times):
    work = []
    for module_dir in module_dirs:
        module = module_dir.name
        for name, guess in test_classes(module_dir).items():
            work.append((times.get(f"{module}:{name}", guess), module, name))
    shards = [[0.0, []] for _i in range(count)]
    for seconds, module, name in sorted(work, reverse=True):
        shard = min(shards, key=lambda s: s[0])
        shard[0] += seconds
        shard[1].append(f"/{module}:{name}")
    modules = [f"/{module_dir.name}" for module_dir in module_dirs]
    lines = [",".join(modules + [f"-{spec}" for s in shards[1:] for spec in s[1]])]
    lines += [",".join(s[1]) for s in shards[1:] if s[1]]
    return lines


def record(logs, times_path):
    """Seconds per test class, from the time between the first test of a class and
    the first test of the next (frozen clocks in tests skew a few: ignored when
    the time goes back)."""
    times = {}
    for log in logs:
        current = None
        with open(log, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                match = STARTING.match(line)
                if not match:
                    continue
                moment = datetime.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")
                key = f"{match.group(2)}:{match.group(3)}"
                if current and current[0] != key:
                    elapsed = (moment - current[1]).total_seconds()
                    if 0 <= elapsed < 3600:
                        times[current[0]] = times.get(current[0], 0.0) + elapsed
                    current = (key, moment)
                elif not current:
                    current = (key, moment)
    if times:
        Path(times_path).write_text(json.dumps(times, indent=1, sort_keys=True))


def main(argv):
    times_path = None
    if "--times" in argv:
        index = argv.index("--times")
        times_path = argv[index + 1]
        argv = argv[:index] + argv[index + 2 :]
    if argv[0] == "record":
        record(argv[1:], times_path)
        return 0
    times = {}
    if times_path and Path(times_path).is_file():
        times = json.loads(Path(times_path).read_text())
    for line in plan(int(argv[0]), [Path(arg) for arg in argv[1:]], times):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
