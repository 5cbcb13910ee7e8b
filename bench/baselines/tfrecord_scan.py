#!/usr/bin/env python3
"""Baseline for `npm run bench`: walk the TFRecord framing of a TensorBoard event file with `struct`
(uint64 length, uint32 masked CRC of the length, data, uint32 masked CRC of the data), counting records.
It checks NO CRC and decodes NO protobuf (Python has no CRC-32C in its standard library), so it does strictly
less work than our reader. Reads the whole file into memory first (fastest for Python); timed from open.
Prints JSON."""
import json, struct, sys, time
path = sys.argv[1]
t0 = time.perf_counter(); c0 = time.process_time()
with open(path, 'rb') as f:
    buf = f.read()
pos, n, unpack = 0, 0, struct.unpack_from
end = len(buf)
while pos + 12 <= end:
    (length,) = unpack('<Q', buf, pos)
    nxt = pos + 12 + length + 4
    if nxt > end:
        break
    n += 1
    pos = nxt
wall = time.perf_counter() - t0; cpu = time.process_time() - c0
print(json.dumps({'bytes': end, 'records': n, 'wall_s': wall, 'cpu_s': cpu}))
