//! Where notifications go: a webhook target (URL, format, which events) and
//! how its URL is shown without the token it carries.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, trf};

/// The format a target expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// This program's own JSON (every field; for scripts and bridges).
    #[default]
    Generic,
    /// A Slack incoming webhook.
    Slack,
    /// A Feishu (Lark) custom bot; signed when it has a secret.
    Feishu,
    /// A DingTalk custom robot; signed when it has a secret.
    Dingtalk,
    /// A WeCom (WeChat Work) group robot.
    Wecom,
}

impl Kind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [Kind; 5] = [
        Kind::Generic,
        Kind::Slack,
        Kind::Feishu,
        Kind::Dingtalk,
        Kind::Wecom,
    ];

    /// The spelling in runbooks, the config file and the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Generic => "generic",
            Kind::Slack => "slack",
            Kind::Feishu => "feishu",
            Kind::Dingtalk => "dingtalk",
            Kind::Wecom => "wecom",
        }
    }

    /// Parses a spelling (`lark` is Feishu's other name, `wechat-work` WeCom's).
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "generic" | "json" => Some(Kind::Generic),
            "slack" => Some(Kind::Slack),
            "feishu" | "lark" => Some(Kind::Feishu),
            "dingtalk" => Some(Kind::Dingtalk),
            "wecom" | "wechat-work" | "wxwork" => Some(Kind::Wecom),
            _ => None,
        }
    }

    /// True when the kind can sign its requests with a secret.
    pub fn signs(self) -> bool {
        matches!(self, Kind::Feishu | Kind::Dingtalk)
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum About {
    /// The incident was opened.
    Opened,
    /// A step was completed.
    StepCompleted,
    /// A step was skipped.
    StepSkipped,
    /// A step passed its budget limit: the escalation.
    Overrun,
    /// The first mitigation step was completed: the service is back.
    Mitigated,
    /// The incident was resolved.
    Resolved,
    /// A status update the operator wrote (`u`).
    Update,
}

impl About {
    /// Every event, in incident order.
    pub const ALL: [About; 7] = [
        About::Opened,
        About::StepCompleted,
        About::StepSkipped,
        About::Overrun,
        About::Mitigated,
        About::Resolved,
        About::Update,
    ];

    /// The spelling in `events:` lists and the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            About::Opened => "opened",
            About::StepCompleted => "step_completed",
            About::StepSkipped => "step_skipped",
            About::Overrun => "overrun",
            About::Mitigated => "mitigated",
            About::Resolved => "resolved",
            About::Update => "update",
        }
    }

    /// Parses a spelling; `step` means both step events, `all` every event.
    pub fn parse(s: &str) -> Option<Vec<About>> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        match s.as_str() {
            "all" => Some(About::ALL.to_vec()),
            "step" | "steps" => Some(vec![About::StepCompleted, About::StepSkipped]),
            "escalation" | "budget_overrun" => Some(vec![About::Overrun]),
            _ => About::ALL
                .iter()
                .find(|a| a.as_str() == s)
                .map(|a| vec![*a]),
        }
    }

    /// The spellings accepted, for error messages.
    pub fn spellings() -> String {
        let mut v: Vec<&str> = About::ALL.iter().map(|a| a.as_str()).collect();
        v.extend(["step", "all"]);
        v.join(", ")
    }
}

/// Where a target was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The runbook's `notify:` list.
    Runbook,
    /// The user's config file.
    Config,
    /// `--notify URL` on the command line.
    Flag,
    /// The drill scenario's own `notify:` list.
    Scenario,
}

/// One webhook to send to.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// A name for messages and the journal (else the masked URL).
    pub name: Option<String>,
    /// The URL, token and all (never shown or journaled: see [`mask_url`]).
    pub url: String,
    /// Its format.
    pub kind: Kind,
    /// Which events it wants.
    pub events: BTreeSet<About>,
    /// Signing secret (DingTalk, Feishu).
    pub secret: Option<String>,
    /// Where it was declared.
    pub origin: Origin,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the URL's token or the secret, not even in a debug print.
        f.debug_struct("Target")
            .field("label", &self.label())
            .field("kind", &self.kind)
            .field("events", &self.events)
            .field("signed", &self.secret.is_some())
            .field("origin", &self.origin)
            .finish()
    }
}

impl Target {
    /// A target of `kind` for `url` wanting every event.
    pub fn new(url: impl Into<String>, kind: Kind, origin: Origin) -> Target {
        Target {
            name: None,
            url: url.into(),
            kind,
            events: About::ALL.into_iter().collect(),
            secret: None,
            origin,
        }
    }

    /// How the target is named on screen and in the journal: its name, and
    /// its URL with the path and query (where tokens live) masked, followed
    /// by four hex digits of the URL's sha256, so two robots on one host can
    /// be told apart without showing either token.
    pub fn label(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.url.trim().as_bytes());
        let tag = format!("#{:02x}{:02x}", digest[0], digest[1]);
        match &self.name {
            Some(n) => format!("{n} ({} {tag})", mask_url(&self.url)),
            None => format!("{} {tag}", mask_url(&self.url)),
        }
    }

    /// Checks the URL: http or https, with a host. The message names it
    /// masked.
    pub fn check_url(&self, lang: Lang) -> Result<(), String> {
        check_url_in(&self.url, lang)
    }

    /// Every text of the target that must never be shown (the URL, its
    /// query and path, the secret), for masking error messages.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = vec![self.url.clone()];
        if let Ok(u) = url::Url::parse(&self.url) {
            if u.path().len() > 1 {
                out.push(u.path().to_string());
            }
            if let Some(q) = u.query() {
                out.push(q.to_string());
            }
            out.push(u.as_str().to_string());
        }
        if let Some(s) = &self.secret {
            out.push(s.clone());
        }
        out.retain(|s| s.len() >= 4);
        out
    }
}

/// Checks that `url` is an http(s) URL with a host (why not, in English:
/// `runbook check`'s words).
pub fn check_url(url: &str) -> Result<(), String> {
    check_url_in(url, Lang::En)
}

/// [`check_url`], saying why not in `lang`.
pub fn check_url_in(url: &str, lang: Lang) -> Result<(), String> {
    let shown = mask_url(url);
    let parsed = url::Url::parse(url.trim())
        .map_err(|e| trf(lang, "`{}` is not a URL: {}", &[&shown, &e]))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(trf(
            lang,
            "`{}` is not an http(s) URL (scheme `{}`)",
            &[&shown, &crate::text::one_line(parsed.scheme())],
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(trf(lang, "`{}` has no host", &[&shown]));
    }
    Ok(())
}

/// `https://hooks.slack.com/…`: scheme, host and port only. Webhook URLs
/// carry their token in the path or the query, and sometimes a user and
/// password; none of it is shown. Text that is not a URL is masked whole
/// but for its first few characters.
pub fn mask_url(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(u) if u.host_str().is_some() => {
            let host = u.host_str().unwrap_or_default();
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let rest = if u.path().len() > 1 || u.query().is_some() {
                "/…"
            } else {
                "/"
            };
            crate::text::one_line(&format!("{}://{host}{port}{rest}", u.scheme())).into_owned()
        }
        _ => {
            let head: String = url.trim().chars().take(8).collect();
            format!("{}…", crate::text::one_line(&head))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_urls_keep_only_scheme_host_and_port() {
        assert_eq!(
            mask_url("https://hooks.slack.com/services/T0/B0/XXXXSECRET"),
            "https://hooks.slack.com/…"
        );
        assert_eq!(
            mask_url("https://oapi.dingtalk.com/robot/send?access_token=abc123"),
            "https://oapi.dingtalk.com/…"
        );
        assert_eq!(
            mask_url("http://user:pw@127.0.0.1:8080/hook"),
            "http://127.0.0.1:8080/…"
        );
        assert_eq!(mask_url("http://example.com"), "http://example.com/");
        let odd = mask_url("not a url but a token 0123456789");
        assert!(!odd.contains("0123456789"), "{odd}");
    }

    #[test]
    fn urls_must_be_http() {
        assert!(check_url("https://a.example/x").is_ok());
        let e = check_url("ftp://a.example/secret-token").unwrap_err();
        assert!(e.contains("not an http(s) URL"), "{e}");
        assert!(!e.contains("secret-token"), "{e}");
        assert!(check_url("hooks.slack.com/x").is_err());
        assert!(check_url("file:///etc/passwd").is_err());
    }

    #[test]
    fn event_spellings() {
        assert_eq!(About::parse("overrun"), Some(vec![About::Overrun]));
        assert_eq!(About::parse("step").map(|v| v.len()), Some(2));
        assert_eq!(About::parse("all").map(|v| v.len()), Some(7));
        assert_eq!(About::parse("nope"), None);
        assert_eq!(Kind::parse("Lark"), Some(Kind::Feishu));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let mut t = Target::new(
            "https://x.example/hook/TOKEN123",
            Kind::Dingtalk,
            Origin::Flag,
        );
        t.secret = Some("SEC456".into());
        let d = format!("{t:?}");
        assert!(!d.contains("TOKEN123") && !d.contains("SEC456"), "{d}");
    }
}
