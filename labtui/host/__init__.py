"""Hosting labs and live commands for the front ends (the command line, the TUI, the classroom server)."""
