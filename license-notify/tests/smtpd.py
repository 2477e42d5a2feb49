"""The tests' SMTP server: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1:PORT,
writing each message it accepts to DIR as <n>.eml (envelope recipients on the first
line). Prints READY when it listens; runs until killed."""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        path = os.path.join(self.directory, "%06d.eml" % self.n)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(("X-Rcpt: " + ",".join(envelope.rcpt_tos) + "\r\n").encode())
            f.write(envelope.original_content)
        os.rename(tmp, path)
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    while True:
        time.sleep(3600)


main()
