"""Each alert reaches each recipient once: two senders at once, a drop before the server's reply, a kill -9."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from checks_factory import zezhou_store
from mail_server import Inbox, free_port, settings_for
from test_alerts_email import recheck, send

from db.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The 泽州县 store of test_alerts_email, checked: four open findings."""
    path = zezhou_store(tmp_path / "nianbao.db")
    recheck(path)
    return path


def _statuses(path: Path) -> dict[str, int]:
    with Store.open(path) as store:
        return dict(store.db.execute("SELECT status, count(*) FROM alerts GROUP BY status").fetchall())


class SlowInbox(Inbox):
    """Takes half a second to accept a message, so that two senders overlap."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(0.5)
        return await super().handle_DATA(server, session, envelope)


class DroppingInbox(Inbox):
    """Keeps the first message, then drops the connection instead of answering 250."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == 1:
            server.transport.close()
        return reply


class KillingInbox(Inbox):
    """Keeps each message, then kills the sending process before it can read the 250."""

    victim: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if self.victim:
            os.kill(self.victim, signal.SIGKILL)
            self.victim = 0
        return reply


def _serve(handler: Inbox, port: int) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def test_alerts_two_senders_at_once_send_each_alert_once(db_path: Path) -> None:
    port = free_port()
    settings = settings_for(port, {"email": "all@example.org"}, {"email": "late@example.org", "rules": ["late"]})
    handler = SlowInbox()
    controller = _serve(handler, port)
    try:
        threads = [threading.Thread(target=send, args=(db_path, settings)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        controller.stop()
    assert sorted(rcpt[0] for rcpt, _ in handler.messages) == ["all@example.org", "late@example.org"]
    assert _statuses(db_path) == {"sent": 5}


def test_alerts_dropped_before_reply_are_resent_with_the_same_message_id(db_path: Path) -> None:
    port = free_port()
    settings = settings_for(port, {"email": "all@example.org"})
    handler = DroppingInbox()
    controller = _serve(handler, port)
    try:
        first = send(db_path, settings)
        assert first.sent == 0 and "all@example.org" in first.failures
        assert _statuses(db_path) == {"pending": 4}
        assert send(db_path, settings).sent == 4
    finally:
        controller.stop()
    assert len(handler.messages) == 2
    first_id, second_id = (message["Message-ID"] for _, message in handler.messages)
    assert first_id == second_id and first_id.startswith("<nianbao.")
    assert _statuses(db_path) == {"sent": 4}


def test_alerts_sender_killed_after_acceptance_leaves_a_claim_the_next_run_takes_over(
        db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "nianbao.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsender = "nianbao@example.org"\n\n'
                      '[[alerts.recipients]]\nemail = "all@example.org"\n', encoding="utf-8")
    handler = KillingInbox()
    controller = _serve(handler, port)
    try:
        sender = subprocess.Popen([sys.executable, "-c", "from nianbao.cli import main; main()", "--config",
                                   str(config), "alerts", "send", "--db", str(db_path)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        handler.victim = sender.pid
        sender.wait(timeout=60)
        assert sender.returncode == -signal.SIGKILL
        assert _statuses(db_path) == {"sending": 4}
        settings = settings_for(port, {"email": "all@example.org"})
        assert send(db_path, settings).sent == 4
        assert send(db_path, settings).sent == 0
    finally:
        controller.stop()
    assert len(handler.messages) == 2
    assert handler.messages[0][1]["Message-ID"] == handler.messages[1][1]["Message-ID"]
    assert _statuses(db_path) == {"sent": 4}
