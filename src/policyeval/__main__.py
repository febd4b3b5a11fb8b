"""``python -m policyeval``: the same command line as ``policyeval``."""

from policyeval.cli.app import main

if __name__ == "__main__":
    main()
