//! English → Chinese for why a webhook message failed (journaled and shown
//! in the incident's language; a server's or the system's own words inside
//! them stay as they are). Matched whole by [`super::tr_said`]; `timed
//! out` alone is in the report's table, which `tr_said` also reads.

pub(super) const ZH_WEBHOOK: &[(&str, &str)] = &[
    (
        "given up: still unanswered when the program ended ({} s later)",
        "已放弃：程序结束时仍未收到答复（{} 秒后）",
    ),
    (
        "dropped: {} messages already waiting for this target",
        "已丢弃：此目标已有 {} 条消息在排队",
    ),
    ("dropped: its sender stopped", "已丢弃：发送任务已停止"),
    ("cannot make an HTTP client: {}", "无法创建 HTTP 客户端：{}"),
    ("no answer within {} s", "{} 秒内没有答复"),
    ("cannot connect: {}", "无法连接：{}"),
    ("cannot connect", "无法连接"),
    ("timed out: {}", "超时：{}"),
    ("the request failed: {}", "请求失败：{}"),
    ("the request failed", "请求失败"),
    ("the reply was cut off: {}", "答复被截断：{}"),
    ("the reply was cut off", "答复被截断"),
    ("HTTP error: {}", "HTTP 错误：{}"),
    ("HTTP error", "HTTP 错误"),
    (
        "HTTP {} but the body is not {}'s reply: {}",
        "HTTP {}，但响应体不是 {} 的答复：{}",
    ),
    ("{} refused it: {}", "{} 拒绝了这条消息：{}"),
    ("HTTP {}: {}", "HTTP {}：{}"),
    ("(empty body)", "（空响应）"),
    ("cannot sign: {}", "无法签名：{}"),
    ("not a URL: {}", "不是 URL：{}"),
];
