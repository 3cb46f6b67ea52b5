"""``python -m learn`` runs the ``learn`` console script."""

from learn.cli import main

main()
