"""``python -m vschema``: the same as the ``vschema`` command."""

from vschema.cli import main

raise SystemExit(main())
