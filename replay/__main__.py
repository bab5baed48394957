"""``python -m replay`` runs the ``race-replay`` command."""

import sys

from .cli import main

sys.exit(main())
