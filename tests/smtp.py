"""A real SMTP server on loopback (aiosmtpd), started by the tests that send mail.

Its fixture `smtp_server` points Django's SMTP backend at it; the server keeps every message
it accepted, as the recipient's mail system would (`messages`, `to`), and can be stopped and
started again on the same port, to be down for a while.
"""

import email
import email.policy
import logging
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tests.servers import free_port


class Mailbox:
    """What the server accepted: each message with the addresses it was delivered to."""

    def __init__(self):
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return [message for _, message in self.mailbox.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.mailbox.received if address in rcpt]

    def refuse(self, address: str):
        """Answers 550 to this recipient, as a server does for a mailbox that does not exist."""
        self.mailbox.refused.add(address)


@pytest.fixture
def smtp_server(settings):
    # The server's own log (every command, addresses included) is the recipient's system's,
    # not the directory's: kept out of the logs tests read.
    server_log = logging.getLogger("mail.log")
    server_log.propagate = False
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()
    server_log.propagate = True
