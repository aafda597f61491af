"""`python -m datactiviste` runs the same CLI as the console script."""

from datactiviste.cli import main

if __name__ == "__main__":
    main()
