#!/usr/bin/env python3
"""Send UDP datagrams from one network namespace and count those received in
another: prints the number received. Used by the kernel tests."""
import argparse
import ctypes
import os
import socket
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), f"setns {ns}")
    os.close(fd)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ns-send", required=True)
    p.add_argument("--ns-recv", required=True)
    p.add_argument("--dst", required=True)
    p.add_argument("--port", type=int, default=9000)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--wait", type=float, default=1.0)
    a = p.parse_args()

    enter(a.ns_recv)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("0.0.0.0", a.port))
    rx.settimeout(0.05)
    enter(a.ns_send)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    got = 0
    for i in range(a.count):
        tx.sendto(b"xdplua test datagram %d" % i, (a.dst, a.port))
        time.sleep(0.002)
    deadline = time.time() + a.wait
    while time.time() < deadline:
        try:
            rx.recv(2048)
            got += 1
            if got == a.count:
                break
        except socket.timeout:
            pass
    print(got)


if __name__ == "__main__":
    main()
