"""Copy-on-write block storage for disks, snapshots, images and gallery versions.

A disk's data is a sparse map from block index to an immutable block id. Guest writes put new
block ids into the map; a snapshot copies the map (the blocks themselves are shared, never
copied), so it stays frozen while the disk goes on changing. Billing follows Azure: a full
snapshot is billed for every used block, an incremental one for the blocks that differ from the
previous snapshot of the same disk.
"""

from __future__ import annotations

import math

import attrs

from .guest_state import GuestState

GIB = 1024**3
# Coarse blocks keep a 10,000-resource world small; fine enough to show incremental deltas.
BLOCK_BYTES = 64 * 1024**2
BLOCKS_PER_GIB = GIB // BLOCK_BYTES


@attrs.define
class Content:
    """What a disk holds: its used blocks and, for an OS disk, the guest operating system on it."""

    blocks: dict[int, int] = attrs.Factory(dict)
    guest: GuestState | None = None

    @property
    def used_bytes(self) -> int:
        return len(self.blocks) * BLOCK_BYTES

    def frozen_copy(self) -> "Content":
        """A copy that shares blocks with this one; later writes to either do not show in the other."""
        guest = None if self.guest is None else attrs.evolve(
            self.guest,
            users=list(self.guest.users),
            ssh_host_keys=dict(self.guest.ssh_host_keys),
            installed=list(self.guest.installed),
            files=dict(self.guest.files),
        )
        return Content(dict(self.blocks), guest)


@attrs.define
class BlockStore:
    """Hands out block ids; remembers the shared base content of each marketplace image."""

    next_block: int = 1
    marketplace: dict[str, dict[int, int]] = attrs.Factory(dict)

    def new_blocks(self, count: int) -> range:
        start = self.next_block
        self.next_block += count
        return range(start, start + count)

    def base_blocks(self, urn: str, used_gib: float) -> dict[int, int]:
        """The blocks of a fresh OS disk from a marketplace image; every VM from it shares them."""
        base = self.marketplace.get(urn)
        if base is None:
            count = max(1, math.ceil(used_gib * BLOCKS_PER_GIB))
            base = dict(enumerate(self.new_blocks(count)))
            self.marketplace[urn] = base
        return dict(base)

    def write(self, content: Content, size_gb: int, bytes_written: int) -> int:
        """A guest write of ``bytes_written`` new bytes: new blocks after the used ones, plus one
        rewritten metadata block (file systems rewrite their journal), bounded by the disk size.
        Returns the number of blocks that changed."""
        capacity = size_gb * BLOCKS_PER_GIB
        wanted = max(1, math.ceil(bytes_written / BLOCK_BYTES))
        next_index = (max(content.blocks) + 1) if content.blocks else 0
        fresh = list(range(next_index, min(capacity, next_index + wanted)))
        changed = fresh + ([0] if content.blocks else [])
        for index, block in zip(changed, self.new_blocks(len(changed))):
            content.blocks[index] = block
        return len(changed)


def differing_bytes(current: dict[int, int], previous: dict[int, int] | None) -> int:
    """Bytes of ``current`` that an incremental snapshot must store on top of ``previous``."""
    if previous is None:
        return len(current) * BLOCK_BYTES
    return sum(1 for index, block in current.items() if previous.get(index) != block) * BLOCK_BYTES
