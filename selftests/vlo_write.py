#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vlo_write.py FILE DATA: one write(2) of DATA to FILE, as a program would.

Prints "ok" when the whole write was taken, else the errno's name (EINVAL,
EPERM, ...) of the failing open or write. Always exits 0, so that tests can
compare the outcome with what they expect.
"""
import errno
import os
import sys


def main():
    path, data = sys.argv[1], os.fsencode(sys.argv[2])
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            n = os.write(fd, data)
        finally:
            os.close(fd)
        print("ok" if n == len(data) else f"short write {n}")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))


if __name__ == "__main__":
    main()
