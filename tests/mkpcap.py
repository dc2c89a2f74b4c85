#!/usr/bin/env python3
"""Build small Ethernet/IPv4 captures for tests, and read them back.

    tests/mkpcap.py OUT.pcap PACKET...        write a classic pcap
    tests/mkpcap.py --dump FILE.pcap          print "N LEN HEX" per packet

PACKET is one of
    udp[:DPORT[:PAYLOAD]]     IPv4/UDP from 10.0.0.1:1234 to 10.0.0.2:DPORT
                              (default 9000, payload "hello")
    icmp[:PAYLOAD]            IPv4 ICMP echo request, 10.0.0.1 -> 10.0.0.2
    raw:HEX                   the bytes as given
Options (writing): --nsec (nanosecond timestamps), --big-endian,
--linktype N (default 1, Ethernet), --truncate N (drop the file's last N
bytes: a truncated capture).

As a module: eth(), ipv4(), udp(), icmp_echo(), write_pcap(), read_pcap().
"""
import argparse
import struct
import sys

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
IP_A = bytes([10, 0, 0, 1])
IP_B = bytes([10, 0, 0, 2])
MAGIC_USEC, MAGIC_NSEC = 0xA1B2C3D4, 0xA1B23C4D


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, ethertype=0x0800, dst=MAC_B, src=MAC_A):
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(proto, payload, src=IP_A, dst=IP_B, ttl=64, ident=1):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      0x4000, ttl, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + payload


def udp(payload, sport=1234, dport=9000, src=IP_A, dst=IP_B):
    length = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, length)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    csum = checksum(pseudo + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, csum) + payload


def icmp_echo(payload=b"ping", ident=1, seq=1):
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    csum = checksum(hdr + payload)
    return struct.pack("!BBHHH", 8, 0, csum, ident, seq) + payload


def udp_packet(dport=9000, payload=b"hello"):
    return eth(ipv4(17, udp(payload, dport=dport)))


def icmp_packet(payload=b"ping"):
    return eth(ipv4(1, icmp_echo(payload)))


def write_pcap(path, packets, nsec=False, big_endian=False, linktype=1,
               truncate=0, start=1700000000):
    """packets: byte strings; timestamps start at `start` seconds, one
    packet every 1.5 ms."""
    e = ">" if big_endian else "<"
    out = struct.pack(e + "IHHiIII", MAGIC_NSEC if nsec else MAGIC_USEC,
                      2, 4, 0, 0, 65535, linktype)
    for i, p in enumerate(packets):
        frac = i * (1500000 if nsec else 1500)
        out += struct.pack(e + "IIII", start, frac, len(p), len(p)) + p
    if truncate:
        out = out[:-truncate]
    with open(path, "wb") as f:
        f.write(out)


def read_pcap(path):
    """[(sec, frac, bytes)] of a classic pcap; raises ValueError."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("truncated header")
    for e in "<>":
        magic = struct.unpack(e + "I", data[:4])[0]
        if magic in (MAGIC_USEC, MAGIC_NSEC):
            break
    else:
        raise ValueError("bad magic")
    off, out = 24, []
    while off < len(data):
        sec, frac, caplen, _ = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        if off + caplen > len(data):
            raise ValueError("truncated record")
        out.append((sec, frac, data[off:off + caplen]))
        off += caplen
    return out


def parse_spec(spec):
    kind, _, rest = spec.partition(":")
    if kind == "udp":
        port, _, payload = rest.partition(":")
        return udp_packet(int(port) if port else 9000,
                          payload.encode() if payload else b"hello")
    if kind == "icmp":
        return icmp_packet(rest.encode() if rest else b"ping")
    if kind == "raw":
        return bytes.fromhex(rest)
    raise SystemExit("mkpcap.py: unknown packet %r" % spec)


def main():
    p = argparse.ArgumentParser(usage=__doc__)
    p.add_argument("--dump", action="store_true")
    p.add_argument("--nsec", action="store_true")
    p.add_argument("--big-endian", action="store_true")
    p.add_argument("--linktype", type=int, default=1)
    p.add_argument("--truncate", type=int, default=0)
    p.add_argument("file")
    p.add_argument("packets", nargs="*")
    a = p.parse_args()
    if a.dump:
        for i, (sec, frac, data) in enumerate(read_pcap(a.file), 1):
            print(i, sec, frac, len(data), data.hex())
        return
    write_pcap(a.file, [parse_spec(s) for s in a.packets], nsec=a.nsec,
               big_endian=a.big_endian, linktype=a.linktype,
               truncate=a.truncate)


if __name__ == "__main__":
    sys.exit(main())
