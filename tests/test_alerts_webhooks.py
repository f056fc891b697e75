"""Digests to WeCom, DingTalk (signed), Feishu and a generic JSON webhook through Apprise, end to end against a real
HTTP server on 127.0.0.1 that records what it receives (tests/webhook_server.py): each alert once, after a failure
too, long digests split within each service's size limit, secrets only from the environment."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from checks_factory import zezhou_store
from test_alerts_email import recheck, send
from webhook_server import Receiver, webhook_receiver

from alerts.digest import build_digest
from alerts.settings import AlertSettings
from alerts.webhooks import split_message
from nianbao.errors import ConfigError

DINGTALK_SECRET = "SEC0123456789abcdef"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """泽州县 checked as of 2024-06-01: four findings (tests/checks_factory.py)."""
    path = zezhou_store(tmp_path / "nianbao.db")
    recheck(path)
    return path


@pytest.fixture
def receiver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    with webhook_receiver(tmp_path, monkeypatch) as server:
        monkeypatch.setenv("WECOM_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-1")
        monkeypatch.setenv("DINGTALK_URL", "https://oapi.dingtalk.com/robot/send?access_token=abc123")
        monkeypatch.setenv("DINGTALK_SECRET", DINGTALK_SECRET)
        monkeypatch.setenv("FEISHU_URL", "https://open.feishu.cn/open-apis/bot/v2/hook/2f1d-feishu-token")
        monkeypatch.setenv("JSON_URL", f"http://127.0.0.1:{server.port}/hooks/nianbao")
        yield server


def settings(*recipients: dict) -> AlertSettings:
    return AlertSettings.from_config({"recipients": list(recipients)}, {"host": "127.0.0.1", "port": 9})


ALL_FOUR = (
    {"webhook": "wecom", "name": "泽州县政务公开群", "url_env": "WECOM_URL"},
    {"webhook": "dingtalk", "name": "晋城市钉钉群", "url_env": "DINGTALK_URL", "secret_env": "DINGTALK_SECRET"},
    {"webhook": "feishu", "name": "飞书群", "url_env": "FEISHU_URL"},
    {"webhook": "json", "name": "编辑部", "url_env": "JSON_URL"},
)


def test_each_service_receives_the_fix_list_once(db_path: Path, receiver: Receiver) -> None:
    result = send(db_path, settings(*ALL_FOUR))
    assert result.failures == {} and result.sent == 16
    wecom = receiver.accepted("qyapi.weixin.qq.com")
    # Four findings are more than one WeCom text message (2048 bytes) holds: sent in parts, in order.
    assert {c.query["key"][0] for c in wecom} == {"wecom-key-1"} and len(wecom) > 1
    parts = [c.body["text"]["content"] for c in wecom]
    assert all(len(part.encode("utf-8")) <= 2048 for part in parts)
    assert parts[0].startswith(f"（第1/{len(parts)}部分）\n【年报监测】4项新问题\n")
    text = "".join(parts)
    assert "  ◆ 泽州县教育局（3项）" in text and "请于2024年6月16日前整改" in text
    assert "整改要求：请尽快在政府信息公开专栏发布2023年度政府信息公开工作年度报告" in text
    [ding] = receiver.accepted("oapi.dingtalk.com")
    assert ding.query["access_token"] == ["abc123"]
    # Signed as DingTalk asks: HMAC-SHA256 of "timestamp\nsecret" with the secret, base64.
    timestamp = ding.query["timestamp"][0]
    expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    # Apprise URL-quotes the signature and requests quotes the query again: once decoded, the quoted signature.
    assert ding.query["sign"][0] == quote(expected, safe="")
    assert ding.body["msgtype"] == "markdown"
    assert ding.body["markdown"]["title"] == "【年报监测】4项新问题"
    assert "### 一、新发现的问题（4项）｜泽州县（140525）｜泽州县教育局（3项）" in ding.body["markdown"]["text"]
    assert "[报告页面](http://127.0.0.1:8001/nianbao/reports/" in ding.body["markdown"]["text"]
    [feishu] = receiver.accepted("open.feishu.cn")
    assert feishu.path == "/open-apis/bot/v2/hook/2f1d-feishu-token/"
    assert "泽州县人力资源和社会保障局（1项）" in feishu.body["content"]["text"]
    [generic] = receiver.accepted(f"127.0.0.1:{receiver.port}")
    assert generic.path == "/hooks/nianbao" and generic.body["title"] == "【年报监测】4项新问题"
    assert "上一年度报告](http://127.0.0.1/rsj/2022.html)" in generic.body["message"]
    # Sent: nothing goes again.
    calls = len(receiver.calls)
    assert send(db_path, settings(*ALL_FOUR)).sent == 0
    assert len(receiver.calls) == calls


def test_a_failed_delivery_stays_pending_and_is_delivered_once(db_path: Path, receiver: Receiver) -> None:
    generic = settings(ALL_FOUR[3])
    receiver.fail_next = 1
    failed = send(db_path, generic)
    assert failed.sent == 0 and "webhook:json:编辑部" in failed.failures
    assert "500" in failed.failures["webhook:json:编辑部"]
    assert send(db_path, generic).sent == 4
    assert send(db_path, generic).sent == 0
    assert len(receiver.accepted()) == 1 and len(receiver.calls) == 2
    assert receiver.accepted()[0].body["message"].count("**【错误】2023年度｜") == 4


def test_a_split_digest_cut_short_resends_only_what_did_not_get_through(db_path: Path, receiver: Receiver) -> None:
    wecom = settings(ALL_FOUR[0])
    receiver.fail_at = {2}  # the first message goes, the second is refused
    first = send(db_path, wecom)
    assert "第 2/3 条消息未送达" in first.failures["webhook:wecom:泽州县政务公开群"]
    assert 0 < first.sent < 4  # the departments shown whole in the first message
    second = send(db_path, wecom)
    assert second.failures == {} and first.sent + second.sent == 4
    assert send(db_path, wecom).sent == 0
    received = "".join(c.body["text"]["content"] for c in receiver.accepted())
    # Each finding reached the group once.
    assert received.count("【错误】2023年度｜") == 4
    for name in ("逾期发布", "申请情况表总计列不符", "办理结果总计不符", "未发布年度报告"):
        assert received.count(f"2023年度｜{name}：") == 1, name


def test_missing_environment_variable_keeps_alerts_pending(db_path: Path, receiver: Receiver,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WECOM_URL")
    result = send(db_path, settings(ALL_FOUR[0]))
    assert result.failures == {
        "webhook:wecom:泽州县政务公开群": "环境变量 WECOM_URL（webhook:wecom:泽州县政务公开群 的 webhook 地址）未设置"}
    assert receiver.calls == []
    monkeypatch.setenv("WECOM_URL", "wecom-key-2")  # the bare key works too
    assert send(db_path, settings(ALL_FOUR[0])).sent == 4
    assert receiver.accepted()[0].query["key"] == ["wecom-key-2"]


def test_long_digest_is_split_between_departments_within_the_limit(receiver: Receiver) -> None:
    items = [{"kind": "finding", "rule": "late", "severity": "error", "county": "140525", "county_name": "泽州县",
              "agency": f"泽州县第{n}局", "year": 2023, "report_id": n, "first_seen": "2024-06-01T00:00:00Z",
              "message": "2023年度报告应于2024年1月31日前公开，报告落款日期为2024年2月5日，逾期5天",
              "url": f"http://127.0.0.1/{n}.html", "title": f"泽州县第{n}局2023年政府信息公开工作年度报告"}
             for n in range(1, 13)]
    digest = build_digest(items, base_url="http://127.0.0.1:8001/nianbao", prefix="【年报监测】")
    messages = split_message(digest.text_blocks, 2000)
    assert len(messages) >= 3
    assert all(len(m.encode("utf-8")) <= 2000 for m in messages)
    assert messages[0].startswith(f"（第1/{len(messages)}部分）\n【年报监测】")
    joined = "".join(messages)
    for n in range(1, 13):
        assert joined.count(f"◆ 泽州县第{n}局（1项）") == 1  # every department once, none cut in two
    # End to end: WeCom receives every part, each within its 2048-byte limit.
    receiver_settings = settings(ALL_FOUR[0])
    from alerts.webhooks import send_digest
    assert send_digest(receiver_settings.recipients[0], digest) == len(messages)
    received = [c.body["text"]["content"] for c in receiver.accepted()]
    assert received == messages and all(len(t.encode("utf-8")) <= 2048 for t in received)


def test_webhook_recipients_are_checked_in_the_config() -> None:
    with pytest.raises(ConfigError, match="webhook 需要设置 url_env"):
        settings({"webhook": "wecom", "name": "群"})
    with pytest.raises(ConfigError, match="email 和 webhook 只能设其一"):
        settings({"webhook": "wecom", "name": "群", "url_env": "X", "email": "a@example.org"})
    with pytest.raises(ConfigError, match="secret_env 只用于钉钉"):
        settings({"webhook": "feishu", "name": "群", "url_env": "X", "secret_env": "Y"})
