"""``python -m marsprobe`` runs the command line."""

import sys

from marsprobe.cli import main

sys.exit(main())
