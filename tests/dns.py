#!/usr/bin/env python3
"""DNS packets for tests/kernel/dns.sh: queries, forged responses, fuzzing.

  dns.py query --server IP --name NAME --id ID --sport PORT
        send one A query and exit (the answer is not read)
  dns.py spoof --src IP --dst IP --dport PORT --id ID --name NAME --addr A
        send a forged NOERROR answer (raw socket: any source address)
  dns.py compare --server IP --name NAME
        send the same query twice, print both answers in hex, one per line,
        with their IP TTL first (63: the upstream, routed; 64: XDP)
  dns.py fuzz --server IP --name NAME --count N
        send N malformed queries (none is a valid query); print how many
        replies came back with IP TTL 64 (answered by XDP: the upstream's
        answers cross the router and arrive with 63)
  dns.py fuzz-pcap --out FILE --client IP --server IP --name NAME --count N
        a capture of N (query, malformed response) pairs for `xdplua run`
  dns.py cache-pcap --out FILE --client IP --server IP --count N
        a capture of DNS traffic through the cache for `xdplua run` (with
        tests/local/dns-*.txt in the tables): static names asked in several
        ways, a name learned from the upstream's answer and asked again,
        unsolicited answers, N malformed queries and N (query, malformed
        response) pairs, and packets that are not DNS
"""
import argparse
import random
import select
import socket
import struct
import time

from mkpcap import checksum  # the Internet checksum


def name_wire(name):
    out = b""
    for label in name.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query_msg(name, qid, opt=True, cookie=True):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1 if opt else 0)
    q += name_wire(name) + struct.pack(">HH", 1, 1)
    if opt:
        opts = struct.pack(">HH", 10, 8) + bytes(8) if cookie else b""
        q += b"\0" + struct.pack(">HHIH", 41, 1232, 0, len(opts)) + opts
    return q


def response_msg(name, qid, addrs, ttl=300):
    r = struct.pack(">HHHHHH", qid, 0x8180, 1, len(addrs), 0, 0)
    r += name_wire(name) + struct.pack(">HH", 1, 1)
    for a in addrs:
        r += struct.pack(">HHHIH", 0xc00c, 1, 1, ttl, 4) + socket.inet_aton(a)
    return r


def ip_udp(src, dst, sport, dport, payload, ttl=64):
    ulen = 8 + len(payload)
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    udp = struct.pack(">HHHH", sport, dport, ulen, 0) + payload
    c = checksum(s + d + struct.pack(">BBH", 0, 17, ulen) + udp) or 0xffff
    udp = udp[:6] + struct.pack(">H", c) + udp[8:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, ttl, 17, 0, s, d)
    ip = ip[:10] + struct.pack(">H", checksum(ip)) + ip[12:]
    return ip + udp


def raw_send(src, dst, sport, dport, payload):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip_udp(src, dst, sport, dport, payload), (dst, 0))


def malformed_queries(name, rnd):
    """Queries that are not valid A queries, by construction."""
    good = query_msg(name, rnd.randrange(65536))
    qlen = 12 + len(name_wire(name)) + 4
    kinds = []
    for n in range(len(good)):                       # every truncation
        kinds.append(good[:n])
    while True:
        qid = rnd.randrange(65536)
        g = bytearray(query_msg(name, qid, opt=rnd.random() < 0.7,
                                cookie=rnd.random() < 0.5))
        k = rnd.randrange(11)
        if k == 0:    # QR, opcode, AA, TC, Z or RCODE set
            bit = rnd.choice([0x8000, 0x0800, 0x1000, 0x2000, 0x4000, 0x0400,
                              0x0200, 0x0040, 0x0001, 0x0005, 0x000f])
            struct.pack_into(">H", g, 2, struct.unpack_from(">H", g, 2)[0] | bit)
        elif k == 1:  # wrong counts
            i = rnd.choice([4, 6, 8, 10])
            v = struct.unpack_from(">H", g, i)[0]
            struct.pack_into(">H", g, i, rnd.choice([v + 1, v + 2, 0xffff] +
                                                  ([0] if i == 4 else [])))
        elif k == 2:  # a label length of 64..255 (pointer, reserved)
            pos, o = [], 12
            while g[o]:
                pos.append(o)
                o += 1 + g[o]
            g[rnd.choice(pos)] = rnd.randrange(64, 256)
        elif k == 3:  # trailing garbage
            g += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 40)))
        elif k == 4:  # a compressed question
            g = g[:12] + b"\xc0\x0c" + g[qlen - 4:]
        elif k == 5 and len(g) > qlen:  # OPT rdlength too long or too short
            struct.pack_into(">H", g, qlen + 9, struct.unpack_from(">H", g, qlen + 9)[0]
                             + rnd.choice([1, 2, 100, -1 if len(g) > qlen + 11 else 3]))
        elif k == 6 and len(g) > qlen + 11:  # an option's length past the end
            struct.pack_into(">H", g, qlen + 13, rnd.randrange(9, 65536))
        elif k == 7:  # a name longer than 255 bytes
            long = b"".join(bytes([63]) + b"a" * 63 for _ in range(4)) + b"\0"
            g = g[:12] + long + g[qlen - 4:]
        elif k == 8:  # additional record that is not OPT, or OPT not at root
            if len(g) > qlen:
                if rnd.random() < 0.5:
                    struct.pack_into(">H", g, qlen + 1, rnd.choice([250, 24, 1, 0]))
                else:
                    g[qlen] = 1
            else:
                g = g[:10] + b"\0\x01" + g[12:] + rnd.randbytes(rnd.randrange(0, 11))
        elif k == 9:  # random bytes
            g = bytearray(rnd.randbytes(rnd.randrange(0, 120)))
            if len(g) > 5 and g[4:6] == b"\0\x01":
                g[5] = 2                     # never exactly one question
        else:         # random bytes after a good header
            g = g[:12] + rnd.randbytes(rnd.randrange(0, 60))
            if len(g) >= 12 + len(name_wire(name)) + 4 and g[12:qlen] == good[12:qlen]:
                continue
        kinds.append(bytes(g))
        yield from kinds
        kinds = []


def malformed_responses(name, qid, rnd):
    """Responses with broken answer sections: must not be learned."""
    q = name_wire(name) + struct.pack(">HH", 1, 1)
    hdr = lambda an: struct.pack(">HHHHHH", qid, 0x8180, 1, an, 0, 0)
    rr = lambda owner: owner + struct.pack(">HHIH", 1, 1, 300, 4) + b"\x0a\x35\x09\x63"
    while True:
        k = rnd.randrange(8)
        if k == 0:    # a pointer to itself
            m = hdr(1) + q + rr(b"\xc0" + bytes([12 + len(q)]))
        elif k == 1:  # a loop of two pointers
            o = 12 + len(q)
            m = hdr(2) + q + b"\x01a\xc0" + bytes([o + 6]) + struct.pack(">HHIH", 1, 1, 1, 0) \
                + b"\x01b\xc0" + bytes([o]) + struct.pack(">HHIH", 1, 1, 300, 4) + b"\x0a\x35\x09\x63"
        elif k == 2:  # a pointer forward or outside the packet
            m = hdr(1) + q + rr(struct.pack(">H", 0xc000 | rnd.choice([200, 0x3fff, 12 + len(q) + 1])))
        elif k == 3:  # more answers than the packet holds
            m = hdr(rnd.randrange(2, 65536)) + q + rr(b"\xc0\x0c")
        elif k == 4:  # rdlength past the end, or an A of 5 bytes
            m = hdr(1) + q + b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, rnd.choice([5, 200])) + b"\x0a\x35\x09\x63\x00"
        elif k == 5:  # truncated anywhere in the answer
            full = hdr(1) + q + rr(b"\xc0\x0c")
            m = full[:rnd.randrange(12 + len(q), len(full))]
        elif k == 6:  # a CNAME in front of the A
            m = hdr(2) + q + b"\xc0\x0c" + struct.pack(">HHIH", 5, 1, 300, 2) + b"\xc0\x0c" + rr(b"\xc0\x0c")
        else:         # an owner name longer than 255 bytes through pointers
            o = 12 + len(q)
            # each name points to the one before it: 5 * 64 bytes > 255
            names, offs = b"", []
            for i in range(5):
                offs.append(o + len(names))
                names += bytes([63]) + b"x" * 63 + (struct.pack(">H", 0xc000 | offs[i - 1]) if i else b"\0")
            m = hdr(1) + q + names + rr(struct.pack(">H", 0xc000 | offs[-1]))
        yield m


def pcap_write(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i, 0, len(fr), len(fr)) + fr)


def eth(frame):
    return b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x08\x00" + frame


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("--server", default="10.53.2.53")
    ap.add_argument("--client", default="10.53.1.2")
    ap.add_argument("--src")
    ap.add_argument("--dst")
    ap.add_argument("--dport", type=int, default=0)
    ap.add_argument("--sport", type=int, default=0)
    ap.add_argument("--id", type=int, default=4242)
    ap.add_argument("--name", default="www.example.test")
    ap.add_argument("--addr", default="6.6.6.6")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=53)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    if a.cmd == "query":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("", a.sport))
        s.sendto(query_msg(a.name, a.id), (a.server, 53))
    elif a.cmd == "spoof":
        raw_send(a.src, a.dst, 53, a.dport, response_msg(a.name, a.id, [a.addr]))
    elif a.cmd == "compare":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
        s.settimeout(3)
        q = query_msg(a.name, a.id, opt=True, cookie=False)
        for _ in range(2):
            s.sendto(q, (a.server, 53))
            data, anc, _, _ = s.recvmsg(4096, 64)
            ttl = [struct.unpack("i", d)[0] for l, t, d in anc if t == 2]
            print(ttl[0] if ttl else "?", data.hex())
            time.sleep(0.2)
    elif a.cmd == "fuzz":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.setblocking(False)
        xdp = other = 0
        gen = malformed_queries(a.name, rnd)

        def drain(wait):
            nonlocal xdp, other
            while select.select([s], [], [], wait)[0]:
                _, anc, _, _ = s.recvmsg(4096, 64)
                ttl = [struct.unpack("i", d)[0] for l, t, d in anc if t == 2]  # IP_TTL
                if ttl and ttl[0] == 64:
                    xdp += 1
                else:
                    other += 1
                wait = 0
        for i in range(a.count):
            s.sendto(next(gen), (a.server, 53))
            if i % 50 == 49:
                drain(0)
                time.sleep(0.01)
        drain(1.0)
        print(xdp, other)
    elif a.cmd == "cache-pcap":
        q = lambda sport, msg: eth(ip_udp(a.client, a.server, sport, 53, msg))
        r = lambda dport, msg: eth(ip_udp(a.server, a.client, 53, dport, msg))
        frames = []
        # static records: several spellings and EDNS variants
        for i, (name, opt, cookie) in enumerate([
                ("static.example.test", True, True), ("StAtIc.ExAmPlE.tEsT", True, False),
                ("static.example.test", False, False), ("one.example.test", True, True),
                ("missing.example.test", True, True)]):
            frames.append(q(41000 + i, query_msg(name, 100 + i, opt=opt, cookie=cookie)))
        # learned: the query passes, the upstream's answer is learned, the
        # same question then comes from the cache
        frames.append(q(42000, query_msg("learn.example.test", 7)))
        frames.append(r(42000, response_msg("learn.example.test", 7,
                                            ["10.53.9.1", "10.53.9.2"], ttl=300)))
        frames.append(q(42001, query_msg("LEARN.example.test", 8, opt=False)))
        # unsolicited: never asked
        frames.append(r(42002, response_msg("evil.example.test", 9, ["6.6.6.6"])))
        frames.append(q(42003, query_msg("evil.example.test", 10)))
        gen = malformed_queries("static.example.test", rnd)
        for i in range(a.count):
            frames.append(q(43000 + i % 100, next(gen)))
        for i in range(a.count):
            qid = rnd.randrange(65536)
            frames.append(q(44000, query_msg("pair.example.test", qid)))
            frames.append(r(44000, next(malformed_responses("pair.example.test", qid, rnd))))
        # not for the cache
        frames.append(eth(ip_udp(a.client, "10.53.2.54", 45000, 53, query_msg("static.example.test", 1))))
        frames.append(eth(ip_udp(a.client, a.server, 45001, 5353, query_msg("static.example.test", 2))))
        frames.append(eth(ip_udp(a.client, a.server, 45002, 53, query_msg("static.example.test", 3), ttl=1)))
        pcap_write(a.out, frames)
    elif a.cmd == "fuzz-pcap":
        frames = []
        for i in range(a.count):
            qid = rnd.randrange(65536)
            frames.append(eth(ip_udp(a.client, a.server, 40000, 53, query_msg(a.name, qid))))
            frames.append(eth(ip_udp(a.server, a.client, 53, 40000,
                                     next(malformed_responses(a.name, qid, rnd)))))
        gen = malformed_queries(a.name, rnd)
        for i in range(a.count):
            frames.append(eth(ip_udp(a.client, a.server, 40001, 53, next(gen))))
        pcap_write(a.out, frames)
    else:
        ap.error("unknown command " + a.cmd)


if __name__ == "__main__":
    main()
