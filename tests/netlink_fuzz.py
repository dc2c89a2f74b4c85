#!/usr/bin/env python3
"""Fuzz the "xdplua" generic netlink family with random and mutated requests.

    tests/netlink_fuzz.py [--count N] [--seed S] [--netns NS]

Every command of the family (and numbers beyond them), attributes missing,
repeated, oversized, truncated, of the wrong type or unknown, nested
garbage, headers with lying lengths, and valid requests (loads, table
writes) with bytes flipped. Each request is sent with NLM_F_ACK (some as
dumps) and every reply is read until the ack or the end of the dump. At the
end every script and table the fuzzing created is removed.

Prints a summary (requests, replies per errno) and exits non-zero if a
request got no answer (the family must always answer) or if the family
stopped working: a script must still load and a table entry still read back.
The kernel's own log is checked by the caller.
"""
import argparse
import errno
import os
import random
import select
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000

# include/uapi/linux/xdplua.h
CMD = dict(LOAD=1, UNLOAD=2, SET_ENTRY=3, GET=4, TABLE_NEW=5, TABLE_DEL=6,
           TABLE_SET=7, TABLE_GET=8, TABLE_UNSET=9, TABLE_DUMP=10,
           TABLE_FLUSH=11, TABLE_LIST=12)
A = dict(ID=1, NAME=2, ENTRY=3, FALLBACK=4, INSN_BUDGET=5, MEM_BUDGET=6,
         FILE_NAME=7, FILE_DATA=8, NCPUS=9, MEM_USED=10, SOURCE_SIZE=11,
         STATS=12, ERROR=13, PAD=14, TABLE=15, TABLE_MAX=16, TABLE_KEY_INT=17,
         TABLE_KEY_STR=18, TABLE_INT=19, TABLE_STR=20, TABLE_BOOL=21,
         TABLE_TTL=22, TABLE_COUNT=23, TABLE_BYTES=24, TABLE_USERS=25,
         TIME_BUDGET=26)
A_MAX = 26
PREFIX = "fz"   # names the fuzzer creates start with it


def attr(t, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, t) + data + b"\0" * ((4 - n % 4) % 4)


def u32(t, v):
    return attr(t, struct.pack("=I", v & 0xffffffff))


def u64(t, v):
    return attr(t, struct.pack("=Q", v & 0xffffffffffffffff))


def strz(t, s):
    return attr(t, s.encode() + b"\0")


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
        self.s.bind((0, 0))
        self.seq = 0
        self.family = self.resolve("xdplua")

    def send(self, ftype, flags, cmd, payload, version=1, raw=None):
        self.seq += 1
        body = raw if raw is not None else struct.pack("=BBH", cmd, version, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), ftype, flags, self.seq, 0)
        self.s.send(hdr + body)
        return self.seq

    def replies(self, seq, timeout=10.0):
        """Errno of the ack (0 for success), or None if no answer came."""
        while True:
            r, _, _ = select.select([self.s], [], [], timeout)
            if not r:
                return None
            data = self.s.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                ln, typ, _fl, sq, _pid = struct.unpack_from("=IHHII", data, off)
                if ln < 16:
                    break
                if sq == seq:
                    if typ == NLMSG_ERROR:
                        return -struct.unpack_from("=i", data, off + 16)[0]
                    if typ == NLMSG_DONE:
                        return 0
                off += (ln + 3) & ~3

    def resolve(self, name):
        seq = self.send(GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY,
                        strz(CTRL_ATTR_FAMILY_NAME, name))
        data = self.s.recv(65536)
        ln, typ = struct.unpack_from("=IH", data)
        if typ == NLMSG_ERROR:
            sys.exit("netlink_fuzz: no generic netlink family %s (module not loaded?)" % name)
        off = 20
        while off + 4 <= ln:
            alen, atype = struct.unpack_from("=HH", data, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", data, off + 4)[0]
            off += (alen + 3) & ~3
        sys.exit("netlink_fuzz: no family id in the reply")

    def request(self, cmd, payload, dump=False):
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        return self.replies(self.send(self.family, flags, cmd, payload))


def rand_bytes(rnd, n):
    return bytes(rnd.getrandbits(8) for _ in range(n))


def rand_name(rnd):
    kind = rnd.randrange(8)
    if kind == 0:
        return ""
    if kind == 1:
        return "x" * rnd.choice([31, 32, 33, 64, 300])
    if kind == 2:
        return rand_bytes(rnd, rnd.randrange(1, 40)).decode("latin-1")
    if kind == 3:
        return rnd.choice([".", "..", "../x", "a/b", "a\nb", "a b"])
    return PREFIX + str(rnd.randrange(50))


def rand_int(rnd):
    return rnd.choice([0, 1, 2, 3, 4, 99, 100, 4096, 65535, 65536, 1 << 24, (1 << 24) + 1,
                       (1 << 30), (1 << 31) - 1, 1 << 31, (1 << 32) - 1,
                       rnd.getrandbits(32), rnd.getrandbits(64), (1 << 63), (1 << 64) - 1])


def rand_attr(rnd):
    t = rnd.choice([rnd.randrange(0, A_MAX + 3), rnd.randrange(A_MAX + 3, 1 << 14),
                    rnd.randrange(1, A_MAX + 1), rnd.randrange(1, A_MAX + 1)])
    if rnd.random() < 0.1:
        t |= NLA_F_NESTED
    kind = rnd.randrange(9)
    if kind == 0:
        return attr(t, b"")
    if kind == 1:
        return u32(t, rand_int(rnd))
    if kind == 2:
        return u64(t, rand_int(rnd))
    if kind == 3:
        return strz(t, rand_name(rnd))
    if kind == 4:
        return attr(t, rand_bytes(rnd, rnd.choice([1, 2, 3, 5, 7, 255, 256, 1024, 1025, 4000])))
    if kind == 5:
        return attr(t, rand_name(rnd).encode("latin-1", "replace"))  # not NUL-terminated
    if kind == 6:
        return attr(t, b"".join(rand_attr(rnd) for _ in range(rnd.randrange(1, 4))))
    if kind == 7:    # a header whose length lies
        n = rnd.choice([0, 1, 3, 5, 0xffff])
        return struct.pack("=HH", n, t) + rand_bytes(rnd, rnd.randrange(0, 8))
    return attr(t, struct.pack("=B", rnd.getrandbits(8)))


SCRIPTS = [
    "function callback(pkt) return xdp.DROP end",
    "function callback(pkt) local t = xdp.table('fzt') end",
    "local t = xdp.table('fzt') function callback(pkt) t:add('n', 1) end",
    "function other() end function callback() end",
    "error('boom')",
    "error(42)",
    "setmetatable({}, {__gc = print})",
    "x = (",
]


def valid_request(rnd):
    """A well-formed request of a random command."""
    name = PREFIX + str(rnd.randrange(20))
    table = PREFIX + "t" + str(rnd.randrange(20))
    c = rnd.choice(list(CMD))
    p = b""
    if c == "LOAD":
        p += strz(A["NAME"], name)
        if rnd.random() < 0.3:
            p += u32(A["INSN_BUDGET"], rnd.choice([100, 1000, 100000]))
        if rnd.random() < 0.3:
            p += u32(A["MEM_BUDGET"], rnd.choice([65536, 1 << 20]))
        if rnd.random() < 0.3:
            p += u32(A["TIME_BUDGET"], rnd.choice([100, 50000]))
        for i in range(rnd.choice([1, 1, 2, 3])):
            p += strz(A["FILE_NAME"], "main" if i == 0 else "f%d" % i)
            p += attr(A["FILE_DATA"], rnd.choice(SCRIPTS).encode())
    elif c in ("UNLOAD", "GET", "SET_ENTRY"):
        p += strz(A["NAME"], name) if rnd.random() < 0.7 else u32(A["ID"], rand_int(rnd))
        if c == "SET_ENTRY":
            p += strz(A["ENTRY"], rnd.choice(["callback", "other", "nope"]))
    else:
        p += strz(A["TABLE"], table)
        if c in ("TABLE_SET", "TABLE_GET", "TABLE_UNSET"):
            p += (u64(A["TABLE_KEY_INT"], rand_int(rnd)) if rnd.random() < 0.5
                  else attr(A["TABLE_KEY_STR"], rand_bytes(rnd, rnd.randrange(1, 40))))
        if c == "TABLE_SET":
            p += rnd.choice([u64(A["TABLE_INT"], rand_int(rnd)),
                             attr(A["TABLE_STR"], rand_bytes(rnd, rnd.randrange(0, 60))),
                             attr(A["TABLE_BOOL"], b"\1")])
            if rnd.random() < 0.3:
                p += u32(A["TABLE_TTL"], rnd.choice([0, 1, 100]))
        if c == "TABLE_NEW" and rnd.random() < 0.5:
            p += u32(A["TABLE_MAX"], rnd.choice([1, 16, 1000]))
    dump = c in ("GET", "TABLE_LIST", "TABLE_DUMP") and rnd.random() < 0.5
    return CMD[c], p, dump or c == "TABLE_DUMP"


def mutate(rnd, p):
    b = bytearray(p)
    for _ in range(rnd.randrange(1, 6)):
        if not b:
            break
        op = rnd.randrange(4)
        i = rnd.randrange(len(b))
        if op == 0:
            b[i] = rnd.getrandbits(8)
        elif op == 1:
            del b[i:i + rnd.randrange(1, 8)]
        elif op == 2:
            b[i:i] = rand_bytes(rnd, rnd.randrange(1, 8))
        else:
            b += rand_attr(rnd)
    return bytes(b)


def cleanup(g):
    """Unload every script and destroy every table the fuzzing made."""
    for i in range(50):
        g.request(CMD["UNLOAD"], strz(A["NAME"], PREFIX + str(i)))
    for t in ["fzt"] + [PREFIX + "t" + str(i) for i in range(20)] + \
             [PREFIX + str(i) for i in range(50)]:
        g.request(CMD["TABLE_DEL"], strz(A["TABLE"], t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    g = Genl()
    results = {}
    silent = 0
    for n in range(a.count):
        kind = rnd.randrange(10)
        if kind < 3:        # random attributes, any command
            cmd = rnd.randrange(0, 16)
            payload = b"".join(rand_attr(rnd) for _ in range(rnd.randrange(0, 6)))
            dump = rnd.random() < 0.2
        elif kind < 6:      # a valid request
            cmd, payload, dump = valid_request(rnd)
        elif kind < 9:      # a valid request, mutated
            cmd, payload, dump = valid_request(rnd)
            payload = mutate(rnd, payload)
        else:               # a broken genetlink header
            raw = rand_bytes(rnd, rnd.randrange(0, 12))
            seq = g.send(g.family, NLM_F_REQUEST | NLM_F_ACK, 0, b"", raw=raw)
            r = g.replies(seq)
            results[r] = results.get(r, 0) + 1
            silent += r is None
            continue
        r = g.request(cmd, payload, dump)
        results[r] = results.get(r, 0) + 1
        silent += r is None
    cleanup(g)
    # the family still works
    ok_load = g.request(CMD["LOAD"], strz(A["NAME"], PREFIX + "final") +
                        strz(A["FILE_NAME"], "main") +
                        attr(A["FILE_DATA"], b"function callback() end"))
    g.request(CMD["UNLOAD"], strz(A["NAME"], PREFIX + "final"))
    ok_set = g.request(CMD["TABLE_SET"], strz(A["TABLE"], PREFIX + "final") +
                       u64(A["TABLE_KEY_INT"], 1) + u64(A["TABLE_INT"], 42))
    ok_get = g.request(CMD["TABLE_GET"], strz(A["TABLE"], PREFIX + "final") +
                       u64(A["TABLE_KEY_INT"], 1))
    g.request(CMD["TABLE_DEL"], strz(A["TABLE"], PREFIX + "final"))
    names = {None: "no answer", 0: "ok"}
    summary = ", ".join("%s %d" % (names.get(k) or errno.errorcode.get(k, str(k)), v)
                        for k, v in sorted(results.items(), key=lambda kv: -kv[1]))
    print("netlink_fuzz: seed %d, %d requests: %s" % (seed, a.count, summary))
    if silent:
        sys.exit("netlink_fuzz: %d requests got no answer" % silent)
    if ok_load != 0 or ok_set != 0 or ok_get != 0:
        sys.exit("netlink_fuzz: the family stopped working (load %s, set %s, get %s)"
                 % (ok_load, ok_set, ok_get))


if __name__ == "__main__":
    main()
