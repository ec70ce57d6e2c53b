//! The stop condition: the production broker's health, read-only. A drill
//! looks at it when it starts and every 30 s; if it stops being what it was
//! (an alarm appears, the API goes away), the drill pauses and says why,
//! and never touches the production node.

use std::time::Duration;

use crate::probe::mgmt::Api;

/// The production management API a drill watches.
pub const LIVE_API: &str = "http://127.0.0.1:15672";
/// How often the drill looks.
pub const LIVE_EVERY: Duration = Duration::from_secs(30);

/// The production API watched: [`LIVE_API`], or `RUNBOOK_DRILL_LIVE_API`
/// (where the production management API listens elsewhere; tests point it
/// at a server of their own).
pub fn live_api() -> String {
    std::env::var("RUNBOOK_DRILL_LIVE_API")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| LIVE_API.to_string())
}

/// How often: [`LIVE_EVERY`], or `RUNBOOK_DRILL_LIVE_EVERY_MS` (at least 200 ms).
pub fn live_every() -> Duration {
    std::env::var("RUNBOOK_DRILL_LIVE_EVERY_MS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(LIVE_EVERY, |ms| Duration::from_millis(ms.max(200)))
}

/// What the production broker looked like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveHealth {
    /// Health alarms answered 200.
    Healthy,
    /// It answered, with alarms (the reason as the API gave it).
    Alarms(String),
    /// No usable answer (no production broker here, or no API).
    Unreachable(String),
}

impl LiveHealth {
    /// One line for a banner and the journal.
    pub fn describe(&self) -> String {
        self.describe_in(crate::i18n::Lang::En)
    }

    /// [`LiveHealth::describe`] in `lang` (the API's own reason as it is).
    pub fn describe_in(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{tr, trf};
        match self {
            LiveHealth::Healthy => tr(lang, "healthy").into(),
            LiveHealth::Alarms(why) => trf(lang, "alarms: {}", &[why]),
            LiveHealth::Unreachable(why) => trf(lang, "unreachable: {}", &[why]),
        }
    }

    /// True when going from `self` (at start) to `now` is worse: a healthy
    /// broker that now has alarms or stopped answering.
    pub fn worsened_to(&self, now: &LiveHealth) -> bool {
        *self == LiveHealth::Healthy && *now != LiveHealth::Healthy
    }
}

/// GETs the production broker's health alarms (guest, 4 s), read-only.
pub async fn health() -> LiveHealth {
    let api = Api::new(&live_api(), "guest", "guest", Duration::from_secs(4));
    match api.get("/api/health/checks/alarms").await {
        Ok((200, _)) => LiveHealth::Healthy,
        Ok((_, body)) => LiveHealth::Alarms(
            crate::text::one_line(
                &body
                    .get("reason")
                    .and_then(|r| r.as_str())
                    .unwrap_or("health check failed")
                    .chars()
                    .take(200)
                    .collect::<String>(),
            )
            .into_owned(),
        ),
        Err(e) => LiveHealth::Unreachable(crate::text::one_line(&e.to_string()).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    /// The pause reason speaks the drill's language; the API's reason stays.
    #[test]
    fn the_pause_reason_is_in_the_drills_language() {
        use crate::i18n::Lang;
        let h = LiveHealth::Alarms("memory on rabbit@prod".into());
        assert_eq!(h.describe(), "alarms: memory on rabbit@prod");
        assert_eq!(h.describe_in(Lang::Zh), "有告警：memory on rabbit@prod");
        assert_eq!(LiveHealth::Healthy.describe_in(Lang::Zh), "正常");
    }

    use super::LiveHealth;

    #[test]
    fn only_a_healthy_broker_going_bad_pauses_a_drill() {
        let ok = LiveHealth::Healthy;
        let bad = LiveHealth::Alarms("memory".into());
        let gone = LiveHealth::Unreachable("refused".into());
        assert!(ok.worsened_to(&bad));
        assert!(ok.worsened_to(&gone));
        assert!(!ok.worsened_to(&ok));
        // No production broker on this host: nothing to protect or pause for.
        assert!(!gone.worsened_to(&gone));
        assert!(!bad.worsened_to(&gone));
    }
}
