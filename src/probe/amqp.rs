//! `amqp: { url }` — a real AMQP 0-9-1 connection: protocol handshake, PLAIN
//! login, open the vhost (from the URL path; `%2F` is `/`, empty means `/`),
//! then close with the protocol's handshake (connection.close, close-ok), so
//! the broker logs no "client unexpectedly closed TCP connection". Uses lapin, which advertises
//! `authentication_failure_close`, so a refused login comes back as a 403
//! instead of a silently dropped socket.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use lapin::{Connection, ConnectionProperties, ErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::tcp::connect;
use super::text::{about, mask_url};
use super::{CheckOutcome, human_duration};
use crate::i18n::{Lang, tr, trf};

/// The AMQP 0-9-1 protocol header a client sends first.
const PROTOCOL_HEADER: &[u8] = b"AMQP\x00\x00\x09\x01";

/// Runs the check; its outcome is told in `lang`.
pub async fn check(raw_url: &str, timeout: Duration, lang: Lang) -> CheckOutcome {
    let shown = mask_url(raw_url);
    let start = Instant::now();
    let url = match url::Url::parse(raw_url) {
        Ok(u) => u,
        Err(e) => {
            return CheckOutcome::error(
                trf(lang, "{} is not a valid amqp:// URL: {}", &[&shown, &e]),
                "",
            );
        }
    };
    match url.scheme() {
        "amqp" => {}
        "amqps" => {
            return CheckOutcome::error(
                about(
                    lang,
                    &shown,
                    tr(
                        lang,
                        "amqps (TLS) is not supported by this build; check the TLS port with tcp",
                    ),
                ),
                "",
            );
        }
        other => {
            return CheckOutcome::error(
                about(
                    lang,
                    &shown,
                    &trf(lang, "scheme {} is not amqp://", &[&format!("{other:?}")]),
                ),
                "",
            );
        }
    }
    let host = url
        .host_str()
        .unwrap_or("localhost")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port().unwrap_or(5672);
    let vhost = vhost_of(&url);
    let user = if url.username().is_empty() {
        "guest".to_string()
    } else {
        decode(url.username())
    };

    // lapin first: on a healthy broker the check opens exactly one connection and
    // ends it with connection.close / close-ok, so the broker logs a clean close
    // and the runbook's own log greps find nothing to report. Only when lapin
    // fails without an AMQP answer is the port sniffed to say why (a silent or
    // non-AMQP port looks like a plain timeout otherwise); part of the time is
    // kept back for that.
    let reserve = (timeout / 4).min(Duration::from_secs(2));
    let budget = timeout.saturating_sub(reserve);
    let props = ConnectionProperties::default().with_connection_name(connection_name().into());
    let (quser, qvhost) = (format!("{user:?}"), format!("{vhost:?}"));
    let evidence = trf(
        lang,
        "url {}; user {}; vhost {}",
        &[&shown, &quser, &qvhost],
    );
    let connected = tokio::time::timeout(budget, Connection::connect(raw_url, props)).await;
    let lapin_error = match connected {
        Ok(Ok(conn)) => {
            let closed = tokio::time::timeout(
                Duration::from_secs(1),
                conn.close(200, "runbook probe done".into()),
            )
            .await;
            let close_note = match closed {
                Ok(Ok(())) => tr(lang, "closed cleanly (connection.close, close-ok)"),
                Ok(Err(_)) => tr(lang, "close reported an error (ignored)"),
                Err(_) => tr(lang, "close did not finish within 1s (ignored)"),
            };
            return CheckOutcome::pass(
                trf(
                    lang,
                    "AMQP login as {} to vhost {} works",
                    &[&quser, &qvhost],
                ),
                format!(
                    "{evidence}\n{}",
                    trf(
                        lang,
                        "connected in {} ms; {}",
                        &[&start.elapsed().as_millis(), &close_note],
                    )
                ),
            );
        }
        Ok(Err(e)) if matches!(e.kind(), ErrorKind::ProtocolError(_)) => {
            return CheckOutcome::fail(
                about(lang, &shown, &describe_error(&e, &user, &vhost, lang)),
                format!("{evidence}\n{}", trf(lang, "client error: {}", &[&e])),
            );
        }
        Ok(Err(e)) => Some(e),
        Err(_) => None,
    };
    let left = timeout.saturating_sub(start.elapsed());
    if let Err(outcome) = sniff(&host, port, left, timeout, &shown, lang).await {
        return outcome;
    }
    match lapin_error {
        Some(e) => CheckOutcome::fail(
            about(lang, &shown, &describe_error(&e, &user, &vhost, lang)),
            format!("{evidence}\n{}", trf(lang, "client error: {}", &[&e])),
        ),
        None => CheckOutcome::fail(
            about(
                lang,
                &shown,
                &trf(
                    lang,
                    "the AMQP handshake did not finish within {} — broker overloaded or blocked?",
                    &[&human_duration(timeout)],
                ),
            ),
            evidence,
        ),
    }
}

/// The name the probe's connection shows in the broker's log and connection
/// list: which program, which process, which attempt.
fn connection_name() -> String {
    static ATTEMPT: AtomicU64 = AtomicU64::new(0);
    let n = ATTEMPT.fetch_add(1, Ordering::Relaxed) + 1;
    format!("runbook amqp probe (pid {}, #{n})", std::process::id())
}

/// The vhost named by the URL path: empty → "/", otherwise percent-decoded.
pub fn vhost_of(url: &url::Url) -> String {
    let path = url.path();
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        "/".to_string()
    } else {
        decode(path)
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Opens TCP, sends the protocol header and reads the first bytes: a broker
/// answers with a method frame (type 1) at once. Waits at most `wait`; says
/// `timeout` (the whole check's) when nothing came. Says why in `lang`.
async fn sniff(
    host: &str,
    port: u16,
    wait: Duration,
    timeout: Duration,
    shown: &str,
    lang: Lang,
) -> Result<(), CheckOutcome> {
    let start = Instant::now();
    let fail = |why: String| CheckOutcome::fail(about(lang, shown, &why), "");
    let mut stream = connect(host, port, wait)
        .await
        .map_err(|e| fail(e.describe(lang)))?;
    let addr = format!("{host}:{port}");
    let left = wait.saturating_sub(start.elapsed());
    let mut buf = [0u8; 8];
    let exchange = async {
        stream.write_all(PROTOCOL_HEADER).await?;
        stream.read(&mut buf).await
    };
    let n = match tokio::time::timeout(left, exchange).await {
        Err(_) => {
            return Err(fail(trf(
                lang,
                "{} accepted TCP but sent no AMQP greeting within {} — not an AMQP port (a non-AMQP service such as the management HTTP port?) or a stuck broker",
                &[&addr, &human_duration(timeout)],
            )));
        }
        Ok(Err(e)) => {
            return Err(fail(trf(
                lang,
                "connection to {} failed during the handshake: {}",
                &[&addr, &e],
            )));
        }
        Ok(Ok(n)) => n,
    };
    let got = &buf[..n];
    if n == 0 {
        return Err(fail(trf(
            lang,
            "{} closed the connection without an AMQP greeting — not an AMQP listener, or the broker is refusing connections",
            &[&addr],
        )));
    }
    if got[0] == 1 {
        return Ok(());
    }
    let evidence = trf(
        lang,
        "first bytes: {}",
        &[&String::from_utf8_lossy(got).escape_debug()],
    );
    let why = if got.starts_with(b"AMQP") {
        tr(
            lang,
            "the server speaks another AMQP protocol version, not 0-9-1",
        )
        .to_string()
    } else if got.starts_with(b"HTTP") {
        trf(
            lang,
            "{} is an HTTP service, not an AMQP listener — wrong port?",
            &[&addr],
        )
    } else {
        trf(
            lang,
            "{} is a non-AMQP service, not an AMQP listener — wrong port?",
            &[&addr],
        )
    };
    Err(CheckOutcome::fail(about(lang, shown, &why), evidence))
}

fn describe_error(e: &lapin::Error, user: &str, vhost: &str, lang: Lang) -> String {
    match e.kind() {
        ErrorKind::ProtocolError(amqp) => describe_close(
            amqp.get_id(),
            amqp.get_message().as_str(),
            user,
            vhost,
            lang,
        ),
        ErrorKind::IOError(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            tr(lang, "connection refused — nothing listens on that port").to_string()
        }
        ErrorKind::IOError(io) => trf(
            lang,
            "connection lost during the handshake ({}) — a login refused by an older broker also looks like this",
            &[io],
        ),
        ErrorKind::InvalidProtocolVersion(v) => trf(
            lang,
            "the server speaks AMQP {}, not 0-9-1",
            &[&format!("{v:?}")],
        ),
        _ => trf(lang, "AMQP handshake failed: {}", &[e]),
    }
}

/// Names the cause of a connection.close from the broker in plain words, in
/// `lang` (the broker's own text stays as it sent it).
pub fn describe_close(code: u16, text: &str, user: &str, vhost: &str, lang: Lang) -> String {
    let lower = text.to_lowercase();
    let (user, vhost) = (format!("{user:?}"), format!("{vhost:?}"));
    match code {
        403 => trf(
            lang,
            "login refused for user {} (403 ACCESS_REFUSED: wrong password, unknown user, or guest from a non-loopback address) — {}",
            &[&user, &text],
        ),
        530 if lower.contains("not found") => trf(
            lang,
            "vhost {} does not exist (530 NOT_ALLOWED) — {}",
            &[&vhost, &text],
        ),
        530 if lower.contains("connection limit") => trf(
            lang,
            "connection limit of vhost {} reached (530 NOT_ALLOWED) — {}",
            &[&vhost, &text],
        ),
        530 if lower.contains("refused for user") => trf(
            lang,
            "user {} has no permissions on vhost {} (530 NOT_ALLOWED: access refused) — {}",
            &[&user, &vhost, &text],
        ),
        530 => trf(lang, "not allowed (530 NOT_ALLOWED) — {}", &[&text]),
        541 if lower.contains("is down") => trf(
            lang,
            "vhost {} is down on the broker (541 INTERNAL_ERROR; rabbitmqctl restart_vhost) — {}",
            &[&vhost, &text],
        ),
        320 => trf(
            lang,
            "the broker closed the connection (320 CONNECTION_FORCED) — {}",
            &[&text],
        ),
        _ => trf(
            lang,
            "the broker refused the connection ({}) — {}",
            &[&code, &text],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vhost_comes_from_the_path() {
        let v = |s: &str| url::Url::parse(s).map(|u| vhost_of(&u)).unwrap_or_default();
        assert_eq!(v("amqp://h:5672"), "/");
        assert_eq!(v("amqp://h:5672/"), "/");
        assert_eq!(v("amqp://h:5672/%2F"), "/");
        assert_eq!(v("amqp://h/prod%2Fa"), "prod/a");
        assert_eq!(v("amqp://h/orders"), "orders");
    }

    #[test]
    fn broker_refusals_are_named() {
        let s = describe_close(
            403,
            "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN.",
            "bob",
            "/",
            Lang::En,
        );
        assert!(s.starts_with("login refused for user \"bob\""), "{s}");
        let s = describe_close(
            530,
            "NOT_ALLOWED - vhost nosuch not found",
            "bob",
            "nosuch",
            Lang::En,
        );
        assert!(s.starts_with("vhost \"nosuch\" does not exist"), "{s}");
        let s = describe_close(
            530,
            "NOT_ALLOWED - access to vhost '/' refused for user 'bob'",
            "bob",
            "/",
            Lang::En,
        );
        assert!(s.contains("has no permissions"), "{s}");
        let s = describe_close(
            530,
            "NOT_ALLOWED - access to vhost '/' refused for user 'guest': connection limit (0) is reached",
            "guest",
            "/",
            Lang::En,
        );
        assert!(s.starts_with("connection limit"), "{s}");
        let s = describe_close(
            541,
            "INTERNAL_ERROR - access to vhost 'v' refused for user 'guest': vhost 'v' is down",
            "guest",
            "v",
            Lang::En,
        );
        assert!(s.contains("is down"), "{s}");
    }

    #[test]
    fn broker_refusals_are_named_in_chinese_for_a_chinese_incident() {
        let s = describe_close(
            403,
            "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN.",
            "bob",
            "/",
            Lang::Zh,
        );
        assert_eq!(
            s,
            "用户 \"bob\" 登录被拒绝（403 ACCESS_REFUSED：密码错误、用户不存在，或 guest 从非本机地址登录）——ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."
        );
        let s = describe_close(530, "NOT_ALLOWED - vhost v not found", "bob", "v", Lang::Zh);
        assert_eq!(
            s,
            "vhost \"v\" 不存在（530 NOT_ALLOWED）——NOT_ALLOWED - vhost v not found"
        );
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_bad_url_and_a_closed_port_are_told_in_the_incident_language() {
        let o = rt().block_on(check(
            "amqps://u:secret@h/",
            Duration::from_secs(1),
            Lang::Zh,
        ));
        assert_eq!(
            o.summary,
            "amqps://u:••••@h/：此版本不支持 amqps（TLS）；请用 tcp 检查 TLS 端口"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("amqp://guest:guest@127.0.0.1:{port}/");
        let zh = rt().block_on(check(&url, Duration::from_secs(2), Lang::Zh));
        assert_eq!(zh.status, crate::incident::CheckStatus::Fail);
        let shown = format!("amqp://guest:••••@127.0.0.1:{port}/");
        assert_eq!(
            zh.summary,
            format!("{shown}：连接被 127.0.0.1:{port} 拒绝——该端口无程序监听")
        );
        let en = rt().block_on(check(&url, Duration::from_secs(2), Lang::En));
        assert_eq!(
            en.summary,
            format!(
                "{shown}: connection refused by 127.0.0.1:{port} — nothing listens on that port"
            )
        );
    }
}
