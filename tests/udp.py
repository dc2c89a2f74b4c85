#!/usr/bin/env python3
"""Send UDP datagrams from one network namespace and count those received in
another: prints the number received. Used by the kernel tests."""
import argparse
import ctypes
import os
import socket
import threading
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
    p.add_argument("--request", help="send this one payload from the sender "
                   "and print the reply it gets back (hex with --hex)")
    p.add_argument("--hex", action="store_true")
    p.add_argument("--pad", type=int, default=0,
                   help="append a NUL and this many spaces to the request")
    a = p.parse_args()

    if a.request is not None:
        enter(a.ns_send)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", 0))
        s.settimeout(a.wait)
        payload = a.request.encode()
        if a.pad:
            payload += b"\0" + b" " * a.pad
        s.sendto(payload, (a.dst, a.port))
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            print("(no reply)")
            return
        print(data.hex() if a.hex else data.decode(errors="replace"))
        return

    enter(a.ns_recv)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind(("0.0.0.0", a.port))
    rx.settimeout(0.05)
    enter(a.ns_send)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    # receive while sending: long runs would overflow the socket buffer
    got = 0
    done = threading.Event()

    def receive():
        nonlocal got
        while not done.is_set() or got < a.count:
            try:
                rx.recv(2048)
                got += 1
            except socket.timeout:
                if done.is_set():
                    break

    t = threading.Thread(target=receive)
    t.start()
    for i in range(a.count):
        tx.sendto(b"xdplua test datagram %d" % i, (a.dst, a.port))
        time.sleep(0.002)
    time.sleep(a.wait)
    done.set()
    t.join()
    print(got)


if __name__ == "__main__":
    main()
