"""labtui's benchmarks: `python -m benchmarks` (or `make bench`) prints one line per figure with its
target and PASS/MISS. Benchmarks report; they never fail the build (the exit status is 0 on MISS).

``benchmarks.world.build_world`` builds the seeded 10,000-resource world the figures use.
"""
