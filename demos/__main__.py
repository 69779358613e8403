"""Command line of the demos: `python -m demos [NAME] [--epochs --lr --batch-size --seed --out]`."""

from demos.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
