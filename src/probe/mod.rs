//! Built-in checks: TCP, HTTP, AMQP login, the RabbitMQ management API and host
//! resources, plus the data behind the TUI's live broker panel.
//!
//! Every probe is bounded by [`ProbeContext::timeout`] and never panics: what
//! could not be evaluated becomes a [`CheckStatus::Error`] outcome whose summary
//! says why. Evidence never contains a password (URLs are masked, auth headers
//! are never echoed).

pub mod amqp;
pub mod broker;
pub mod command;
pub mod http;
pub mod mgmt;
pub mod rabbitmq;
pub mod resources;
pub mod stats;
pub mod tcp;
mod text;

use std::time::Duration;

use crate::i18n::{Lang, tr, trf};
use crate::incident::CheckStatus;
use crate::runbook::{CheckKind, DEFAULT_CHECK_TIMEOUT, Thresholds};

pub use command::evaluate_command_check;
pub use text::{excerpt, mask_url};

/// Longest summary kept of a check (journal, screen, reports).
pub const SUMMARY_LIMIT: usize = 1024;
/// Most evidence kept of a check: a server answering megabytes must not
/// turn into megabytes of journal and of printed output.
pub const EVIDENCE_LIMIT: usize = 8 * 1024;

/// The result of one check: status, one line for the operator, and evidence,
/// in the incident's language ([`ProbeContext::lang`]): they are journaled as
/// shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// pass, warn, fail or error (could not evaluate).
    pub status: CheckStatus,
    /// One line for the operator.
    pub summary: String,
    /// Supporting detail (no secrets).
    pub evidence: String,
}

impl CheckOutcome {
    /// An outcome with this status, summary and evidence.
    pub fn new(
        status: CheckStatus,
        summary: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Self {
        CheckOutcome {
            status,
            summary: summary.into(),
            evidence: evidence.into(),
        }
    }

    /// The outcome with its summary and evidence cut to [`SUMMARY_LIMIT`] and
    /// [`EVIDENCE_LIMIT`] (the cut is marked, in `lang`, with the number of
    /// bytes left out).
    pub fn bounded(self, lang: Lang) -> Self {
        CheckOutcome {
            status: self.status,
            summary: excerpt(&self.summary, SUMMARY_LIMIT, lang),
            evidence: excerpt(&self.evidence, EVIDENCE_LIMIT, lang),
        }
    }

    /// A passing outcome.
    pub fn pass(summary: impl Into<String>, evidence: impl Into<String>) -> Self {
        Self::new(CheckStatus::Pass, summary, evidence)
    }

    /// A warning outcome.
    pub fn warn(summary: impl Into<String>, evidence: impl Into<String>) -> Self {
        Self::new(CheckStatus::Warn, summary, evidence)
    }

    /// A failing outcome (the check found a problem).
    pub fn fail(summary: impl Into<String>, evidence: impl Into<String>) -> Self {
        Self::new(CheckStatus::Fail, summary, evidence)
    }

    /// The check could not be evaluated.
    pub fn error(summary: impl Into<String>, evidence: impl Into<String>) -> Self {
        Self::new(CheckStatus::Error, summary, evidence)
    }

    /// The outcome with its text made safe to show: servers and brokers name
    /// things (queues, connections, error bodies) and any client can put an
    /// escape sequence in a name. The summary becomes one line.
    pub fn for_terminal(self) -> Self {
        CheckOutcome {
            status: self.status,
            summary: crate::text::one_line(&self.summary).into_owned(),
            evidence: crate::text::into_terminal(self.evidence),
        }
    }
}

/// What a check needs besides its own spec: thresholds, management API
/// defaults (the runbook variables `mgmt_url`, `mgmt_user`, `mgmt_password`),
/// the time limit and the language its outcome is told in.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeContext {
    /// The runbook's alert thresholds.
    pub thresholds: Thresholds,
    /// Default management API base URL.
    pub mgmt_url: Option<String>,
    /// Default management API user.
    pub mgmt_user: Option<String>,
    /// Default management API password.
    pub mgmt_password: Option<String>,
    /// Upper bound of the whole check.
    pub timeout: Duration,
    /// The incident's language (the runbook's `lang:`): summaries and
    /// evidence are written in it.
    pub lang: Lang,
}

impl Default for ProbeContext {
    fn default() -> Self {
        ProbeContext {
            thresholds: Thresholds::default(),
            mgmt_url: None,
            mgmt_user: None,
            mgmt_password: None,
            timeout: DEFAULT_CHECK_TIMEOUT,
            lang: Lang::En,
        }
    }
}

/// Runs one built-in check (its strings already rendered) and reports the
/// outcome. Never panics; anything that prevents an answer is an Error outcome.
/// `command` checks are run by the caller; see [`evaluate_command_check`].
pub async fn run_check(kind: &CheckKind, ctx: &ProbeContext) -> CheckOutcome {
    let work = async {
        match kind {
            CheckKind::Tcp { target } => tcp::check(target, ctx.timeout, ctx.lang).await,
            CheckKind::Http(spec) => http::check(spec, ctx.timeout, ctx.lang).await,
            CheckKind::Amqp { url } => amqp::check(url, ctx.timeout, ctx.lang).await,
            CheckKind::Rabbitmq(spec) => rabbitmq::check(spec, ctx).await,
            CheckKind::Resources { disk_path } => {
                resources::check(disk_path.as_deref(), &ctx.thresholds, ctx.timeout, ctx.lang).await
            }
            CheckKind::Command(_) => CheckOutcome::error(
                tr(
                    ctx.lang,
                    "command checks are run by the caller, not by the probe module",
                ),
                "",
            ),
        }
    };
    // Each probe bounds its own IO; this outer limit (with a little slack so the
    // inner, more specific message wins) is the promise that nothing hangs.
    match tokio::time::timeout(ctx.timeout + Duration::from_millis(250), work).await {
        Ok(outcome) => outcome.for_terminal(),
        Err(_) => CheckOutcome::error(
            trf(
                ctx.lang,
                "{} check timed out after {} — no answer in time",
                &[&kind.name(), &human_duration(ctx.timeout)],
            ),
            "",
        ),
    }
}

/// "5s", "1.5s", "250ms" — for summaries.
pub(crate) fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}
