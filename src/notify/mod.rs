//! Webhooks: stakeholders hear about an incident without asking.
//!
//! Targets come from the runbook (`notify:`), the user's config file
//! (`[[notify]]` in `config.toml`) and `--notify URL` (generic JSON). The
//! engine's recorded events become [`Message`]s (opened, step completed or
//! skipped, overrun, mitigated, resolved, and the operator's `u` updates),
//! each put in its target's format (generic, Slack, Feishu, DingTalk, WeCom)
//! and sent by a task of its own ([`send`]). Every outcome is journaled as a
//! `notification` event naming the target without its token.
//!
//! In a drill, the runbook's and the config file's targets (real people)
//! are left out unless the scenario says `notify: true`; `--notify` given to
//! `runbook drill` is the trainer's own choice and is used.

pub mod config;
pub mod message;
pub mod send;
pub mod target;

pub use message::{Lang, Message};
pub use send::{Delivery, Feed, Notifier};
pub use target::{About, Kind, Origin, Target, mask_url};

use crate::i18n::{tr, trf};
use crate::runbook::Runbook;
use crate::runbook::template::Vars;

/// Where notifications go for one session, and in which language.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The targets, in the order: runbook, config file, command line.
    pub targets: Vec<Target>,
    /// The runbook's language.
    pub lang: Lang,
    /// Announce the incident's opening (a new incident, not a resume).
    pub announce_opened: bool,
    /// Targets left out, and why (a bad URL, a bad config file): shown to
    /// the operator and journaled, never fatal.
    pub problems: Vec<String>,
}

/// Whether the session is a drill, and if so whether its scenario asks for
/// the usual targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A real incident: every target.
    Live,
    /// A drill: only `--notify` targets, unless the scenario asks.
    Drill {
        /// The scenario says `notify: true`.
        scenario_asks: bool,
    },
}

impl Plan {
    /// The plan for a session of `runbook` (its `notify:` rendered with
    /// `vars`), the user's config file and `flags` (`--notify` URLs).
    pub fn build(runbook: &Runbook, vars: &Vars, flags: &[String], audience: Audience) -> Plan {
        let (config_targets, config_problems) = config::notify_targets();
        Plan::from_parts(
            runbook,
            vars,
            config_targets,
            config_problems,
            flags,
            audience,
        )
    }

    /// [`Plan::build`] with the config file's targets given.
    pub fn from_parts(
        runbook: &Runbook,
        vars: &Vars,
        config_targets: Vec<Target>,
        config_problems: Vec<String>,
        flags: &[String],
        audience: Audience,
    ) -> Plan {
        let mut plan = Plan {
            lang: Lang::from_tag(runbook.lang.as_deref()),
            ..Plan::default()
        };
        let usual = match audience {
            Audience::Live
            | Audience::Drill {
                scenario_asks: true,
            } => true,
            Audience::Drill {
                scenario_asks: false,
            } => false,
        };
        let mut candidates = Vec::new();
        if usual {
            for spec in &runbook.notify {
                let mut t = Target::new(vars.render_text(&spec.url), spec.kind, Origin::Runbook);
                t.name.clone_from(&spec.name);
                t.events = spec.events.iter().copied().collect();
                t.secret = spec.secret.as_ref().map(|s| vars.render_text(s));
                candidates.push(t);
            }
            candidates.extend(config_targets);
            plan.problems.extend(config_problems);
        }
        for url in flags {
            candidates.push(Target::new(url.clone(), Kind::Generic, Origin::Flag));
        }
        for t in candidates {
            let lang = plan.lang;
            let whence = match t.origin {
                Origin::Runbook => tr(lang, "the runbook's notify"),
                Origin::Config => tr(lang, "the config file's notify"),
                Origin::Flag => "--notify",
                Origin::Scenario => tr(lang, "the scenario's notify"),
            };
            match t.check_url(lang) {
                Ok(()) => plan.targets.push(t),
                Err(e) => plan
                    .problems
                    .push(trf(lang, "{}: {}; not used", &[&whence, &e])),
            }
        }
        plan
    }

    /// True when there is nothing to send to and nothing to say.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.problems.is_empty()
    }

    /// The problems as journal events (failed notifications about `setup`).
    pub fn problem_events(&self) -> Vec<crate::incident::Event> {
        self.problems
            .iter()
            .map(|p| crate::incident::Event::Notification {
                target: String::new(),
                kind: String::new(),
                about: crate::incident::NotificationEntry::SETUP.into(),
                for_seq: 0,
                ok: false,
                status: None,
                error: p.clone(),
                attempts: 0,
                duration_ms: 0,
            })
            .collect()
    }
}

/// A runbook's `notify:` entry, as validated (URL and secret may hold
/// `{{var}}` placeholders, rendered when the session starts).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotifySpec {
    /// A name for messages and the journal.
    pub name: Option<String>,
    /// The URL (template).
    pub url: String,
    /// The format.
    pub kind: Kind,
    /// Which events (default: all).
    pub events: Vec<About>,
    /// The signing secret (template; DingTalk and Feishu).
    pub secret: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::load::load_str;
    use crate::runbook::template::resolve_vars;

    const RUNBOOK: &str = r#"
schema: 1
id: t
title: T
lang: zh
vars:
  hook:
    env: T_HOOK
    secret: true
notify:
  - url: "{{hook}}"
    kind: dingtalk
    secret: SECx
    events: [opened, resolved]
  - url: https://hooks.slack.com/services/a/b/c
    kind: slack
steps:
  - id: one
    title: One
    budget: 1m
"#;

    fn plan(audience: Audience, hook: &str) -> Plan {
        let rb = load_str("t.yaml", RUNBOOK).unwrap();
        let hook = hook.to_string();
        let vars = resolve_vars(&rb, &[], &|k| (k == "T_HOOK").then(|| hook.clone())).unwrap();
        let config = vec![Target::new(
            "https://cfg.example/x",
            Kind::Wecom,
            Origin::Config,
        )];
        Plan::from_parts(
            &rb,
            &vars,
            config,
            vec!["c.toml:1: broken".into()],
            &["http://127.0.0.1:9/flag".into()],
            audience,
        )
    }

    #[test]
    fn a_live_incident_uses_the_runbook_the_config_and_the_flags() {
        let p = plan(
            Audience::Live,
            "https://oapi.dingtalk.com/robot/send?access_token=T",
        );
        let kinds: Vec<Kind> = p.targets.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [Kind::Dingtalk, Kind::Slack, Kind::Wecom, Kind::Generic]
        );
        assert_eq!(
            p.targets[0].url,
            "https://oapi.dingtalk.com/robot/send?access_token=T"
        );
        assert_eq!(p.targets[0].events.len(), 2);
        assert_eq!(p.lang, Lang::Zh);
        assert_eq!(p.problems, ["c.toml:1: broken"]);
    }

    #[test]
    fn a_drill_pages_nobody_unless_the_scenario_asks() {
        let p = plan(
            Audience::Drill {
                scenario_asks: false,
            },
            "https://a.example/h",
        );
        assert_eq!(p.targets.len(), 1, "{:?}", p.targets);
        assert_eq!(p.targets[0].origin, Origin::Flag);
        assert!(p.problems.is_empty());
        let p = plan(
            Audience::Drill {
                scenario_asks: true,
            },
            "https://a.example/h",
        );
        assert_eq!(p.targets.len(), 4);
    }

    #[test]
    fn a_rendered_url_that_is_not_http_is_left_out_and_said_in_the_runbooks_language() {
        let p = plan(Audience::Live, "file:///etc/passwd");
        assert_eq!(p.targets.len(), 3);
        assert!(
            p.problems
                .iter()
                .any(|e| e.starts_with("预案的 notify：`file:///…` 不是 http(s) URL")),
            "{:?}",
            p.problems
        );
    }
}
