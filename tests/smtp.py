"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, a free port): the `smtp_server`
fixture in tests/conftest.py. It stores what it accepts; `refuse(code)` makes it answer every
RCPT with that code (451: try later, 550: never) until `accept()`."""

import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self):
        self.messages: list[Message] = []
        self.refuse_code = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_code:
            return f"{self.refuse_code} Niet nu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"


class SmtpServer:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.handler = Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def refuse(self, code: int):
        self.handler.refuse_code = code

    def accept(self):
        self.handler.refuse_code = 0

    def settings(self):
        return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": self.port, "EMAIL_TIMEOUT": 5,
                "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False,
                "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}
