"""The engine on a live clock: `drive` runs phases in real time × speed; `wait` and `sleep` await it."""

from __future__ import annotations

import asyncio

from engine_helpers import linux_vm


async def _driving(world, speed: float):
    world.set_speed(speed)
    return asyncio.create_task(world.drive())


async def _stop(task) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_wait_resolves_when_the_live_clock_runs_the_operation_to_its_end(world):
    vm = linux_vm(world)
    driver = await _driving(world, 10_000.0)
    try:
        op = world.vms.deallocate(vm)
        assert vm.power_state != "deallocated"
        done = await asyncio.wait_for(world.wait(op), timeout=5)
        assert done.status == "Succeeded" and vm.power_state == "deallocated"
    finally:
        await _stop(driver)


async def test_sleep_lets_simulated_time_pass_and_runs_what_falls_due(world):
    vm = linux_vm(world)
    driver = await _driving(world, 10_000.0)
    try:
        start = world.now
        world.vms.deallocate(vm)
        await asyncio.wait_for(world.sleep(600), timeout=5)
        assert world.now >= start + 600
        assert vm.power_state == "deallocated"        # its phases ran while the sleep went on
    finally:
        await _stop(driver)


async def test_a_sleep_on_a_paused_clock_waits_until_woken(world):
    driver = await _driving(world, 0.0)
    try:
        start = world.now
        sleeper = asyncio.create_task(world.sleep(300))
        await asyncio.sleep(0.3)
        assert not sleeper.done() and world.now == start
        assert world.wake_sleepers()
        await asyncio.wait_for(sleeper, timeout=2)
        assert world.now == start + 300
        assert not world.wake_sleepers()              # nobody left to wake
    finally:
        await _stop(driver)
