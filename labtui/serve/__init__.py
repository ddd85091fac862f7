"""The classroom: `labtui serve`, an SSH server that gives every student their own labtui and the
instructor a live view of the class."""
