"""Make sure the browser tests have their browser: Debian's chromium at /usr/bin/chromium.

Run by the README's test command (and so by .ci/run) before the suite. As root on a Debian or
Ubuntu machine it installs the distribution's chromium with apt-get; otherwise it prints one
line saying how to enable the browser tests, which then skip (under CI=true they fail).
Never downloads a browser of its own (no ``playwright install``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"
HOW = "the browser tests need Debian's chromium: run `sudo apt-get install -y chromium`"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"marsprobe: {HOW} (they are skipped until then)", file=sys.stderr)
        return 0
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        done = subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"marsprobe: {' '.join(cmd)} failed ({last}); {HOW}", file=sys.stderr)
            return 0
    print("marsprobe: installed chromium for the browser tests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
