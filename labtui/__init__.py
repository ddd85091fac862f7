"""labtui: practise the Azure compute lifecycle on a faithful simulated Azure."""

import logging

# Library code logs; only an entry point decides where logs go (never onto a student's screen).
logging.getLogger(__name__).addHandler(logging.NullHandler())
