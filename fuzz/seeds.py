#!/usr/bin/env python3
"""Write the seed corpus of the fuzzing harnesses (fuzz/corpus/).

    python3 fuzz/seeds.py

api: for every operation of fuzz/api.lua, a few programs calling it with
boundary arguments, on UDP, ICMP, IPv6 and short packets. dns: queries and
answers for fuzz/dns.c in each of its modes, good and malformed (the
generators of tests/dns.py).
"""
import os
import random
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import dns  # noqa: E402
import mkpcap  # noqa: E402


def write(kind, name, data):
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def api_seeds():
    src = open(os.path.join(HERE, "api.lua")).read()
    body = src[src.index("ops = {"):src.index("\nfunction callback")]
    nops = len(re.findall(r"^\tfunction\(\)", body, re.M))
    ipv6 = bytes.fromhex("02000000000202000000000186dd6000000000101140"
                         "20010db8000000000000000000000001"
                         "20010db8000000000000000000000002"
                         "04d2003500100000") + b"query!!!"
    packets = [mkpcap.eth(mkpcap.ipv4(17, mkpcap.udp(b"hello"))),
               mkpcap.eth(mkpcap.ipv4(1, mkpcap.icmp_echo(b"ping"))),
               ipv6, bytes(14)]
    rnd = random.Random(1)
    for op in range(nops):
        for i, args in enumerate([b"\x00\x01\x02", b"\x2e\x2f\x30\x05",
                                  bytes(rnd.randrange(256) for _ in range(12))]):
            pkt = packets[(op + i) % len(packets)]
            code = bytes([3, op]) + args + bytes([op, 47, 48, 46])
            write("api", "op%02d-%d" % (op, i), struct.pack(">H", len(pkt)) + pkt + code)


def dns_seeds():
    rnd = random.Random(53)
    name = "static.example.test"
    write("dns", "query", b"\x00" + dns.query_msg(name, 1))
    write("dns", "query-noedns", b"\x00" + dns.query_msg("one.example.test", 2, opt=False))
    write("dns", "query-twice", b"\x03" + dns.query_msg("OnE.example.test", 3))
    write("dns", "answer", b"\x01" + dns.response_msg("learn.example.test", 4,
                                                        ["10.53.9.1", "10.53.9.2"]))
    write("dns", "answer-options", b"\x05" + dns.response_msg("learn.example.test", 5, ["10.0.0.9"]))
    write("dns", "query-ttl1", b"\x08" + dns.query_msg(name, 6))
    ip = dns.ip_udp("10.53.1.2", "10.53.2.53", 40000, 53, dns.query_msg(name, 7))
    write("dns", "raw-ip", b"\x02" + ip)
    gen = dns.malformed_queries(name, rnd)
    for i in range(20):
        write("dns", "bad-query-%02d" % i, bytes([rnd.choice([0, 3])]) + next(gen))
    for i in range(12):
        qid = rnd.randrange(65536)
        write("dns", "bad-answer-%02d" % i,
              b"\x01" + next(dns.malformed_responses("pair.example.test", qid, rnd)))


if __name__ == "__main__":
    api_seeds()
    dns_seeds()
