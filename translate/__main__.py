"""``python -m translate`` runs the CLI."""

from translate.cli import main

if __name__ == "__main__":
    main()
