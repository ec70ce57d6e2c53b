//! `tcp: "host:port"` — can a TCP connection be opened?

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::text::about;
use super::{CheckOutcome, human_duration};
use crate::i18n::{Lang, trf};

/// Why a TCP connection could not be opened; [`ConnectError::describe`] says
/// it in the operator's words (Display: in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// `host:port` is not of that shape.
    BadTarget(String),
    /// The host name did not resolve: the resolver's answer.
    Resolve(String),
    /// The resolver gave no answer for the host within the time.
    ResolveTimedOut(String, Duration),
    /// The host name resolved to no address.
    NoAddresses(String),
    /// Something answered "no one listens here".
    Refused(SocketAddr),
    /// No answer in time (filtered port, dead host, routing).
    TimedOut(Duration),
    /// Any other socket error (unreachable network, …).
    Other(String),
}

impl ConnectError {
    /// The failure in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let resolve = |why: String| trf(lang, "name resolution failed: {}", &[&why]);
        match self {
            ConnectError::BadTarget(t) => trf(lang, "{} is not host:port", &[&format!("{t:?}")]),
            ConnectError::Resolve(e) => resolve(e.clone()),
            ConnectError::ResolveTimedOut(host, d) => resolve(trf(
                lang,
                "no answer for {} within {}",
                &[&format!("{host:?}"), &human_duration(*d)],
            )),
            ConnectError::NoAddresses(host) => {
                resolve(trf(lang, "{} has no addresses", &[&format!("{host:?}")]))
            }
            ConnectError::Refused(a) => trf(
                lang,
                "connection refused by {} — nothing listens on that port",
                &[a],
            ),
            ConnectError::TimedOut(d) => trf(
                lang,
                "connection timed out after {} — host down, port filtered by a firewall, or no route",
                &[&human_duration(*d)],
            ),
            ConnectError::Other(e) => trf(lang, "connection failed: {}", &[e]),
        }
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::En))
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
            Err(_) => return Err(ConnectError::ResolveTimedOut(host.to_string(), timeout)),
            Ok(Err(e)) => return Err(ConnectError::Resolve(format!("{host:?}: {e}"))),
            Ok(Ok(a)) => a.collect(),
        };
    if addrs.is_empty() {
        return Err(ConnectError::NoAddresses(host.to_string()));
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

/// Runs the check; its outcome is told in `lang`.
pub async fn check(target: &str, timeout: Duration, lang: Lang) -> CheckOutcome {
    let (host, port) = match split_target(target) {
        Ok(hp) => hp,
        Err(e) => {
            return CheckOutcome::error(
                trf(lang, "cannot check {}: {}", &[&target, &e.describe(lang)]),
                "",
            );
        }
    };
    let start = Instant::now();
    match connect(&host, port, timeout).await {
        Ok(stream) => {
            let peer = stream
                .peer_addr()
                .map(|a| a.to_string())
                .unwrap_or_else(|_| target.to_string());
            CheckOutcome::pass(
                trf(lang, "{} accepts TCP connections", &[&target]),
                trf(
                    lang,
                    "connected to {} in {} ms",
                    &[&peer, &start.elapsed().as_millis()],
                ),
            )
        }
        Err(e) => CheckOutcome::fail(about(lang, target, &e.describe(lang)), ""),
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
        assert_eq!(
            ConnectError::ResolveTimedOut("h".into(), Duration::from_secs(2)).to_string(),
            "name resolution failed: no answer for \"h\" within 2s"
        );
        assert_eq!(
            ConnectError::NoAddresses("h".into()).to_string(),
            "name resolution failed: \"h\" has no addresses"
        );
    }

    #[test]
    fn failures_are_named_in_chinese_for_a_chinese_incident() {
        let r = ConnectError::Refused("127.0.0.1:1".parse().unwrap());
        assert_eq!(
            r.describe(Lang::Zh),
            "连接被 127.0.0.1:1 拒绝——该端口无程序监听"
        );
        assert_eq!(
            ConnectError::TimedOut(Duration::from_secs(5)).describe(Lang::Zh),
            "连接在 5s 后超时——主机宕机、端口被防火墙过滤或无路由"
        );
        assert_eq!(
            ConnectError::NoAddresses("h".into()).describe(Lang::Zh),
            "域名解析失败：\"h\" 没有地址"
        );
    }

    /// A port nobody listens on: bind one, note it, close it.
    fn closed_port() -> u16 {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_closed_port_is_told_in_the_incident_language() {
        let target = format!("127.0.0.1:{}", closed_port());
        let zh = rt().block_on(check(&target, Duration::from_secs(2), Lang::Zh));
        assert_eq!(zh.status, crate::incident::CheckStatus::Fail);
        assert_eq!(
            zh.summary,
            format!("{target}：连接被 {target} 拒绝——该端口无程序监听")
        );
        let en = rt().block_on(check(&target, Duration::from_secs(2), Lang::En));
        assert_eq!(
            en.summary,
            format!("{target}: connection refused by {target} — nothing listens on that port")
        );
        let bad = rt().block_on(check("nohost", Duration::from_secs(1), Lang::Zh));
        assert_eq!(
            bad.summary,
            "无法检查 nohost：\"nohost\" 不是 host:port 格式"
        );
    }

    #[test]
    fn an_open_port_passes_in_the_incident_language() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let target = l.local_addr().unwrap().to_string();
        let zh = rt().block_on(check(&target, Duration::from_secs(2), Lang::Zh));
        assert_eq!(zh.summary, format!("{target} 可建立 TCP 连接"));
        assert!(
            zh.evidence
                .starts_with(&format!("已连接到 {target}，用时 ")),
            "{}",
            zh.evidence
        );
        let en = rt().block_on(check(&target, Duration::from_secs(2), Lang::En));
        assert_eq!(en.summary, format!("{target} accepts TCP connections"));
        assert!(
            en.evidence
                .starts_with(&format!("connected to {target} in ")),
            "{}",
            en.evidence
        );
    }
}
