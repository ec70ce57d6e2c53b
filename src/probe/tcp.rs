//! `tcp: "host:port"` — can a TCP connection be opened?

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::{CheckOutcome, human_duration};

/// Why a TCP connection could not be opened, in the operator's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// `host:port` is not of that shape.
    BadTarget(String),
    /// The host name did not resolve.
    Resolve(String),
    /// Something answered "no one listens here".
    Refused(SocketAddr),
    /// No answer in time (filtered port, dead host, routing).
    TimedOut(Duration),
    /// Any other socket error (unreachable network, …).
    Other(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::BadTarget(t) => write!(f, "{t:?} is not host:port"),
            ConnectError::Resolve(e) => write!(f, "name resolution failed: {e}"),
            ConnectError::Refused(a) => write!(
                f,
                "connection refused by {a} — nothing listens on that port"
            ),
            ConnectError::TimedOut(d) => write!(
                f,
                "connection timed out after {} — host down, port filtered by a firewall, or no route",
                human_duration(*d)
            ),
            ConnectError::Other(e) => write!(f, "connection failed: {e}"),
        }
    }
}

/// Splits `host:port`, accepting `[v6]:port`.
pub fn split_target(target: &str) -> Result<(String, u16), ConnectError> {
    let bad = || ConnectError::BadTarget(target.to_string());
    let (host, port) = target.trim().rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

/// Resolves and connects within `timeout`, trying each address in turn.
pub async fn connect(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, ConnectError> {
    let start = Instant::now();
    let addrs: Vec<SocketAddr> =
        match tokio::time::timeout(timeout, tokio::net::lookup_host((host, port))).await {
            Err(_) => {
                return Err(ConnectError::Resolve(format!(
                    "no answer for {host:?} within {}",
                    human_duration(timeout)
                )));
            }
            Ok(Err(e)) => return Err(ConnectError::Resolve(format!("{host:?}: {e}"))),
            Ok(Ok(a)) => a.collect(),
        };
    if addrs.is_empty() {
        return Err(ConnectError::Resolve(format!("{host:?} has no addresses")));
    }
    let mut last = ConnectError::TimedOut(timeout);
    for addr in addrs {
        let left = timeout.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(ConnectError::TimedOut(timeout));
        }
        match tokio::time::timeout(left, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => return Ok(s),
            Ok(Err(e)) if e.kind() == ErrorKind::ConnectionRefused => {
                last = ConnectError::Refused(addr)
            }
            Ok(Err(e)) if e.kind() == ErrorKind::TimedOut => {
                last = ConnectError::TimedOut(start.elapsed())
            }
            Ok(Err(e)) => last = ConnectError::Other(format!("{addr}: {e}")),
            Err(_) => return Err(ConnectError::TimedOut(timeout)),
        }
    }
    Err(last)
}

/// Runs the check.
pub async fn check(target: &str, timeout: Duration) -> CheckOutcome {
    let (host, port) = match split_target(target) {
        Ok(hp) => hp,
        Err(e) => return CheckOutcome::error(format!("cannot check {target}: {e}"), ""),
    };
    let start = Instant::now();
    match connect(&host, port, timeout).await {
        Ok(stream) => {
            let peer = stream
                .peer_addr()
                .map(|a| a.to_string())
                .unwrap_or_else(|_| target.to_string());
            CheckOutcome::pass(
                format!("{target} accepts TCP connections"),
                format!("connected to {peer} in {} ms", start.elapsed().as_millis()),
            )
        }
        Err(e) => CheckOutcome::fail(format!("{target}: {e}"), ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split() {
        assert_eq!(
            split_target("localhost:5672"),
            Ok(("localhost".into(), 5672))
        );
        assert_eq!(split_target("[::1]:5672"), Ok(("::1".into(), 5672)));
        assert!(split_target("localhost").is_err());
        assert!(split_target(":5672").is_err());
        assert!(split_target("h:99999").is_err());
    }

    #[test]
    fn failures_are_named_plainly() {
        let r = ConnectError::Refused("127.0.0.1:1".parse().unwrap());
        assert!(r.to_string().contains("refused"));
        assert!(
            ConnectError::TimedOut(Duration::from_secs(5))
                .to_string()
                .contains("timed out after 5s")
        );
        assert!(
            ConnectError::Resolve("x".into())
                .to_string()
                .starts_with("name resolution failed")
        );
    }
}
