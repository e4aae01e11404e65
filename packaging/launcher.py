"""The bundle's entry script: the same `main` as the `cryptoorchestrator` console script."""

from desktop.entry import main

if __name__ == "__main__":
    main()
