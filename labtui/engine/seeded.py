"""One seeded source for every generated value, so a world built from the same seed repeats exactly.

Values are derived by hashing (seed, counter): the state to save is two integers, and a world
loaded from disk goes on producing the same sequence it would have produced without the save.
"""

from __future__ import annotations

import hashlib

import attrs


@attrs.define
class Seeded:
    seed: int = 0
    counter: int = 0

    def _bits(self, purpose: str) -> int:
        self.counter += 1
        digest = hashlib.blake2b(f"{self.seed}:{self.counter}:{purpose}".encode(), digest_size=16).digest()
        return int.from_bytes(digest, "big")

    def hex(self, purpose: str, length: int = 32) -> str:
        return f"{self._bits(purpose):032x}"[:length]

    def guid(self, purpose: str = "guid") -> str:
        h = self.hex(purpose)
        # Version-4 shaped, as Azure's unique ids and vmIds are.
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"

    def windows_sid(self) -> str:
        bits = self._bits("sid")
        parts = [(bits >> shift) & 0xFFFFFFFF for shift in (0, 32, 64)]
        return "S-1-5-21-" + "-".join(str(max(p, 1_000_000)) for p in parts)

    def machine_id(self) -> str:
        return self.hex("machine-id")

    def mac_address(self) -> str:
        # 00-0D-3A is Microsoft's prefix for Azure NICs.
        h = self.hex("mac", 6).upper()
        return f"00-0D-3A-{h[0:2]}-{h[2:4]}-{h[4:6]}"

    def public_ip(self) -> str:
        bits = self._bits("public-ip")
        return f"20.{(bits >> 16) % 250 + 1}.{(bits >> 8) % 256}.{bits % 253 + 1}"

    def ssh_fingerprint(self, key_type: str) -> str:
        import base64

        raw = hashlib.sha256(f"{self.seed}:{self._bits('ssh')}:{key_type}".encode()).digest()
        return "SHA256:" + base64.b64encode(raw).decode().rstrip("=")

    def pick(self, purpose: str, count: int) -> int:
        return self._bits(purpose) % count
