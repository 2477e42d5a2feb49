"""The tests' SMTP server: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1:PORT,
writing each message it accepts to DIR as <n>.eml (the raw message) and <n>.json (the
envelope's recipients and the decoded subject, body, headers). Prints READY when it
listens; runs until killed."""
import email
import email.policy
import json
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
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        decoded = {
            "rcpt": envelope.rcpt_tos,
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "subject": str(msg["subject"]),
            "message_id": str(msg["message-id"]),
            "content_type": msg.get_content_type(),
            "body": msg.get_body(preferencelist=("plain",)).get_content(),
            "raw": envelope.original_content.decode("utf-8", "replace"),
        }
        with open(path[:-4] + ".json.tmp", "w") as f:
            json.dump(decoded, f)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path[:-4] + ".json.tmp", path[:-4] + ".json")
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    while True:
        time.sleep(3600)


main()
