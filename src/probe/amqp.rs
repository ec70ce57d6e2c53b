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
use super::text::mask_url;
use super::{CheckOutcome, human_duration};

/// The AMQP 0-9-1 protocol header a client sends first.
const PROTOCOL_HEADER: &[u8] = b"AMQP\x00\x00\x09\x01";

/// Runs the check.
pub async fn check(raw_url: &str, timeout: Duration) -> CheckOutcome {
    let shown = mask_url(raw_url);
    let start = Instant::now();
    let url = match url::Url::parse(raw_url) {
        Ok(u) => u,
        Err(e) => {
            return CheckOutcome::error(format!("{shown} is not a valid amqp:// URL: {e}"), "");
        }
    };
    match url.scheme() {
        "amqp" => {}
        "amqps" => {
            return CheckOutcome::error(
                format!(
                    "{shown}: amqps (TLS) is not supported by this build; check the TLS port with tcp"
                ),
                "",
            );
        }
        other => {
            return CheckOutcome::error(format!("{shown}: scheme {other:?} is not amqp://"), "");
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
    let evidence = format!("url {shown}; user {user:?}; vhost {vhost:?}");
    let connected = tokio::time::timeout(budget, Connection::connect(raw_url, props)).await;
    let lapin_error = match connected {
        Ok(Ok(conn)) => {
            let closed = tokio::time::timeout(
                Duration::from_secs(1),
                conn.close(200, "runbook probe done".into()),
            )
            .await;
            let close_note = match closed {
                Ok(Ok(())) => "closed cleanly (connection.close, close-ok)",
                Ok(Err(_)) => "close reported an error (ignored)",
                Err(_) => "close did not finish within 1s (ignored)",
            };
            return CheckOutcome::pass(
                format!("AMQP login as {user:?} to vhost {vhost:?} works"),
                format!(
                    "{evidence}\nconnected in {} ms; {close_note}",
                    start.elapsed().as_millis()
                ),
            );
        }
        Ok(Err(e)) if matches!(e.kind(), ErrorKind::ProtocolError(_)) => {
            return CheckOutcome::fail(
                format!("{shown}: {}", describe_error(&e, &user, &vhost)),
                format!("{evidence}\nclient error: {e}"),
            );
        }
        Ok(Err(e)) => Some(e),
        Err(_) => None,
    };
    let left = timeout.saturating_sub(start.elapsed());
    if let Err(outcome) = sniff(&host, port, left, timeout, &shown).await {
        return outcome;
    }
    match lapin_error {
        Some(e) => CheckOutcome::fail(
            format!("{shown}: {}", describe_error(&e, &user, &vhost)),
            format!("{evidence}\nclient error: {e}"),
        ),
        None => CheckOutcome::fail(
            format!(
                "{shown}: the AMQP handshake did not finish within {} — broker overloaded or blocked?",
                human_duration(timeout)
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
/// `timeout` (the whole check's) when nothing came.
async fn sniff(
    host: &str,
    port: u16,
    wait: Duration,
    timeout: Duration,
    shown: &str,
) -> Result<(), CheckOutcome> {
    let start = Instant::now();
    let mut stream = connect(host, port, wait)
        .await
        .map_err(|e| CheckOutcome::fail(format!("{shown}: {e}"), ""))?;
    let left = wait.saturating_sub(start.elapsed());
    let mut buf = [0u8; 8];
    let exchange = async {
        stream.write_all(PROTOCOL_HEADER).await?;
        stream.read(&mut buf).await
    };
    let n = match tokio::time::timeout(left, exchange).await {
        Err(_) => {
            return Err(CheckOutcome::fail(
                format!(
                    "{shown}: {host}:{port} accepted TCP but sent no AMQP greeting within {} — not an AMQP port (a non-AMQP service such as the management HTTP port?) or a stuck broker",
                    human_duration(timeout)
                ),
                "",
            ));
        }
        Ok(Err(e)) => {
            return Err(CheckOutcome::fail(
                format!("{shown}: connection to {host}:{port} failed during the handshake: {e}"),
                "",
            ));
        }
        Ok(Ok(n)) => n,
    };
    let got = &buf[..n];
    if n == 0 {
        return Err(CheckOutcome::fail(
            format!(
                "{shown}: {host}:{port} closed the connection without an AMQP greeting — not an AMQP listener, or the broker is refusing connections"
            ),
            "",
        ));
    }
    if got[0] == 1 {
        return Ok(());
    }
    let evidence = format!(
        "first bytes: {}",
        String::from_utf8_lossy(got).escape_debug()
    );
    if got.starts_with(b"AMQP") {
        return Err(CheckOutcome::fail(
            format!("{shown}: the server speaks another AMQP protocol version, not 0-9-1"),
            evidence,
        ));
    }
    let what = if got.starts_with(b"HTTP") {
        "an HTTP service"
    } else {
        "a non-AMQP service"
    };
    Err(CheckOutcome::fail(
        format!("{shown}: {host}:{port} is {what}, not an AMQP listener — wrong port?"),
        evidence,
    ))
}

fn describe_error(e: &lapin::Error, user: &str, vhost: &str) -> String {
    match e.kind() {
        ErrorKind::ProtocolError(amqp) => {
            describe_close(amqp.get_id(), amqp.get_message().as_str(), user, vhost)
        }
        ErrorKind::IOError(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused — nothing listens on that port".to_string()
        }
        ErrorKind::IOError(io) => format!(
            "connection lost during the handshake ({io}) — a login refused by an older broker also looks like this"
        ),
        ErrorKind::InvalidProtocolVersion(v) => format!("the server speaks AMQP {v:?}, not 0-9-1"),
        _ => format!("AMQP handshake failed: {e}"),
    }
}

/// Names the cause of a connection.close from the broker in plain words.
pub fn describe_close(code: u16, text: &str, user: &str, vhost: &str) -> String {
    let lower = text.to_lowercase();
    match code {
        403 => format!(
            "login refused for user {user:?} (403 ACCESS_REFUSED: wrong password, unknown user, or guest from a non-loopback address) — {text}"
        ),
        530 if lower.contains("not found") => {
            format!("vhost {vhost:?} does not exist (530 NOT_ALLOWED) — {text}")
        }
        530 if lower.contains("connection limit") => {
            format!("connection limit of vhost {vhost:?} reached (530 NOT_ALLOWED) — {text}")
        }
        530 if lower.contains("refused for user") => {
            format!(
                "user {user:?} has no permissions on vhost {vhost:?} (530 NOT_ALLOWED: access refused) — {text}"
            )
        }
        530 => format!("not allowed (530 NOT_ALLOWED) — {text}"),
        541 if lower.contains("is down") => format!(
            "vhost {vhost:?} is down on the broker (541 INTERNAL_ERROR; rabbitmqctl restart_vhost) — {text}"
        ),
        320 => format!("the broker closed the connection (320 CONNECTION_FORCED) — {text}"),
        _ => format!("the broker refused the connection ({code}) — {text}"),
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
        );
        assert!(s.starts_with("login refused for user \"bob\""), "{s}");
        let s = describe_close(530, "NOT_ALLOWED - vhost nosuch not found", "bob", "nosuch");
        assert!(s.starts_with("vhost \"nosuch\" does not exist"), "{s}");
        let s = describe_close(
            530,
            "NOT_ALLOWED - access to vhost '/' refused for user 'bob'",
            "bob",
            "/",
        );
        assert!(s.contains("has no permissions"), "{s}");
        let s = describe_close(
            530,
            "NOT_ALLOWED - access to vhost '/' refused for user 'guest': connection limit (0) is reached",
            "guest",
            "/",
        );
        assert!(s.starts_with("connection limit"), "{s}");
        let s = describe_close(
            541,
            "INTERNAL_ERROR - access to vhost 'v' refused for user 'guest': vhost 'v' is down",
            "guest",
            "v",
        );
        assert!(s.contains("is down"), "{s}");
    }
}
