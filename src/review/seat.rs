//! The trainer's seat in `runbook watch` on a drill's journal: what the
//! trainee does not see (the root cause, the expected path ticking as it is
//! used, the `fixed` checks and the fix, hints by whom, pause, time left, the
//! score so far) and the trainer's keys (hint, pause/resume, inject the
//! escalation fault, end the drill).
//!
//! Everything shown is derived from the journal and the scenario on each
//! read ([`SeatView::build`]), with the report's own fold
//! ([`crate::drill::score::Score::fold`]). A key never writes the journal: it
//! asks for a request ([`crate::drill::control::Request`]) that the watch
//! loop appends to the control file off the screen's thread; the drill acts
//! on it and journals what it did, and the seat says so when it reads that.
//! Ending and injecting change a running drill: they ask for a typed
//! confirmation first (promise 3), like the live screen's dangerous commands.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

pub use super::seat_view::{FirstUse, LastOutcome, SeatView};
use crate::drill::control::Request;
use crate::drill::score::outcome_text;
use crate::i18n::{Lang, tr, trf};
use crate::incident::{DrillActor, Event};
use crate::report::LoadedJournal;

/// Most characters a typed confirmation holds.
pub const CONFIRM_CAP: usize = 64;
/// After this long without an answer from the drill, the seat says so.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// The trainer's seat: shown only on a drill's journal in `watch`.
#[derive(Debug, Clone)]
pub struct Seat {
    /// The journal whose control file the requests go to.
    pub journal: PathBuf,
    /// The panel is shown (`t` hides it and shows it again).
    pub shown: bool,
    /// A typed confirmation waiting for the trainer.
    pub confirm: Option<Confirm>,
    /// A request sent (or being sent) that the drill has not journaled yet.
    pub pending: Option<Pending>,
    /// What became of the last request, in a sentence.
    pub said: Option<Said>,
    /// The wall clock, set by the watch loop (drawing reads no clock).
    pub now: DateTime<FixedOffset>,
    /// What the panel shows, derived from the journal.
    pub view: SeatView,
    /// The incident's language: the panel's sentences are in it.
    pub lang: Lang,
}

/// A typed confirmation before a request that changes a running drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// What is sent once confirmed.
    pub request: Request,
    /// What it does, in a sentence.
    pub what: String,
    /// What must be typed.
    pub expected: String,
    /// What has been typed.
    pub typed: String,
}

/// A request on its way to the drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The request.
    pub request: Request,
    /// The journal's last seq when it was asked for: the answer comes after.
    pub after_seq: u64,
    /// When it was asked for.
    pub at: DateTime<FixedOffset>,
    /// The control file took it.
    pub sent: bool,
}

/// The outcome of a request, for the panel and the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// The sentence.
    pub text: String,
    /// How it went.
    pub tone: Tone,
}

/// How a request went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Sent, not answered yet.
    Waiting,
    /// The drill journaled it.
    Done,
    /// Not sent, or the drill would not do it.
    Refused,
}

impl Seat {
    /// The seat for a journal, when it is a drill's; `None` otherwise.
    pub fn for_journal(
        journal: &LoadedJournal,
        path: PathBuf,
        now: DateTime<FixedOffset>,
    ) -> Option<Seat> {
        let drill = journal.incident.mode == crate::incident::Mode::Drill
            || journal
                .records
                .iter()
                .any(|r| matches!(r.event, Event::DrillStarted { .. }));
        drill.then(|| Seat {
            journal: path,
            shown: true,
            confirm: None,
            pending: None,
            said: None,
            now,
            view: SeatView::build(journal),
            lang: Lang::of_incident(&journal.incident),
        })
    }

    /// Takes a newer read of the journal: the view again, and the answer to
    /// the pending request if the drill journaled it.
    pub fn refresh(&mut self, journal: &LoadedJournal) {
        self.view = SeatView::build(journal);
        let Some(p) = &self.pending else {
            return;
        };
        let answer = journal
            .records
            .iter()
            .filter(|r| r.seq > p.after_seq)
            .find_map(|r| answer(self.lang, &p.request, &r.event));
        if let Some(said) = answer {
            self.pending = None;
            self.said = Some(said);
        }
    }

    /// Why no request can go to the drill now, if none can.
    fn closed(&self, status: Option<&super::WatchStatus>) -> Option<String> {
        use super::WatchStatus;
        if let Some(how) = &self.view.ended {
            return Some(trf(
                self.lang,
                "the drill has ended ({}): nothing to send",
                &[&outcome_text(self.lang, how)],
            ));
        }
        match status {
            Some(WatchStatus::WriterGone) => Some(
                tr(
                    self.lang,
                    "the drill's process is gone (no process has the journal open): nothing would read a request",
                )
                .to_string(),
            ),
            Some(WatchStatus::Lost(_)) => Some(
                tr(self.lang, "the journal cannot be read now: nothing sent").to_string(),
            ),
            _ => None,
        }
    }

    /// A trainer's key: the request to send now, if any (a hint, a pause or
    /// resume), or a typed confirmation opened (inject, end), or why not.
    pub fn key(
        &mut self,
        key: SeatKey,
        status: Option<&super::WatchStatus>,
        last_seq: u64,
    ) -> Option<Request> {
        if let Some(why) = self.closed(status) {
            self.refuse(why);
            return None;
        }
        let v = &self.view;
        let lang = self.lang;
        let request = match key {
            SeatKey::Hint => {
                match v.hints_total {
                    Some(0) => {
                        return self.refuse(tr(lang, "this scenario has no hints").into());
                    }
                    Some(n) if v.hints_used() >= n => {
                        return self.refuse(trf(lang, "no hint left ({}/{} used)", &[&n, &n]));
                    }
                    _ => {}
                }
                Request::Hint
            }
            SeatKey::Pause if v.paused.is_some() => Request::Resume,
            SeatKey::Pause => Request::Pause,
            SeatKey::Inject => {
                let next = v.escalation.iter().find(|(_, at)| at.is_none());
                let (request, expected, what) = match (v.no_scenario.is_some(), next) {
                    (true, _) => (
                        Request::Inject { fault: None },
                        "inject".to_string(),
                        tr(
                            lang,
                            "inject the scenario's next escalation fault into the sandbox",
                        )
                        .to_string(),
                    ),
                    (false, Some((id, _))) => (
                        Request::Inject {
                            fault: Some(id.clone()),
                        },
                        id.clone(),
                        trf(
                            lang,
                            "inject the escalation fault `{}` into the sandbox",
                            &[id],
                        ),
                    ),
                    (false, None) if v.escalation.is_empty() => {
                        return self.refuse(
                            tr(
                                lang,
                                "this scenario has no escalation fault (`at: trainer`): nothing to inject",
                            )
                            .into(),
                        );
                    }
                    (false, None) => {
                        return self
                            .refuse(tr(lang, "every escalation fault is already in").into());
                    }
                };
                self.confirm = Some(Confirm {
                    request,
                    what,
                    expected,
                    typed: String::new(),
                });
                return None;
            }
            SeatKey::End => {
                self.confirm = Some(Confirm {
                    request: Request::End,
                    what: tr(
                        lang,
                        "end the drill now: it is scored as ended by the trainer and its sandbox removed",
                    )
                    .into(),
                    expected: "end".into(),
                    typed: String::new(),
                });
                return None;
            }
        };
        Some(self.ask(request, last_seq))
    }

    /// The trainer pressed Enter in the typed confirmation: the request, if
    /// what was typed is what was asked for.
    pub fn submit(
        &mut self,
        status: Option<&super::WatchStatus>,
        last_seq: u64,
    ) -> Option<Request> {
        let c = self.confirm.take()?;
        if c.typed.trim() != c.expected {
            return self.refuse(trf(
                self.lang,
                "“{}” is not “{}” — nothing sent",
                &[&c.typed, &c.expected],
            ));
        }
        if let Some(why) = self.closed(status) {
            return self.refuse(why);
        }
        Some(self.ask(c.request, last_seq))
    }

    /// Esc in the typed confirmation.
    pub fn cancel(&mut self) {
        if self.confirm.take().is_some() {
            self.said = Some(Said {
                text: tr(self.lang, "cancelled — nothing sent").into(),
                tone: Tone::Refused,
            });
        }
    }

    /// Records that `request` is on its way (the watch loop sends it).
    fn ask(&mut self, request: Request, last_seq: u64) -> Request {
        self.said = Some(Said {
            text: trf(
                self.lang,
                "{}: sending…",
                &[&request_name(self.lang, &request)],
            ),
            tone: Tone::Waiting,
        });
        self.pending = Some(Pending {
            request: request.clone(),
            after_seq: last_seq,
            at: self.now,
            sent: false,
        });
        request
    }

    /// What `send` said of a request.
    pub fn sent(&mut self, request: &Request, result: Result<(), String>) {
        let Some(p) = self.pending.as_mut().filter(|p| p.request == *request) else {
            return;
        };
        match result {
            Ok(()) => {
                p.sent = true;
                self.said = Some(Said {
                    text: trf(
                        self.lang,
                        "{}: sent; waiting for the drill to act on it",
                        &[&request_name(self.lang, request)],
                    ),
                    tone: Tone::Waiting,
                });
            }
            Err(e) => {
                self.pending = None;
                self.refuse(trf(self.lang, "cannot send: {}", &[&e]));
            }
        }
    }

    /// The sentence on the pending request, with how long it has waited.
    pub fn waiting(&self) -> Option<String> {
        let p = self.pending.as_ref()?;
        let waited = (self.now - p.at).to_std().unwrap_or_default();
        if p.sent && waited >= ANSWER_WITHIN {
            Some(trf(
                self.lang,
                "{}: no answer from the drill after {} s (it reads requests every second): is it running?",
                &[&request_name(self.lang, &p.request), &waited.as_secs()],
            ))
        } else {
            None
        }
    }

    fn refuse(&mut self, why: String) -> Option<Request> {
        self.said = Some(Said {
            text: why,
            tone: Tone::Refused,
        });
        None
    }
}

/// A trainer's key, before the rules decide what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatKey {
    /// Push the next hint.
    Hint,
    /// Pause, or resume a paused drill.
    Pause,
    /// Inject the escalation fault.
    Inject,
    /// End the drill.
    End,
}

/// A request in the trainer's words.
pub fn request_name(lang: Lang, r: &Request) -> String {
    match r {
        Request::Hint => tr(lang, "hint").into(),
        Request::Inject { fault: Some(f) } => trf(lang, "inject `{}`", &[f]),
        Request::Inject { fault: None } => tr(lang, "inject").into(),
        Request::Pause => tr(lang, "pause").into(),
        Request::Resume => tr(lang, "resume").into(),
        Request::End => tr(lang, "end").into(),
    }
}

/// The drill's answer to `request`, if `event` is one.
fn answer(lang: Lang, request: &Request, event: &Event) -> Option<Said> {
    let done = |text: String| {
        Some(Said {
            text,
            tone: Tone::Done,
        })
    };
    match (request, event) {
        (
            Request::Hint,
            Event::DrillHint {
                index,
                by: DrillActor::Trainer,
                ..
            },
        ) => done(trf(lang, "hint {} reached the trainee", &[&(index + 1)])),
        (Request::Pause, Event::DrillPaused { .. }) => done(tr(lang, "the drill is paused").into()),
        (Request::Resume, Event::DrillResumed { .. }) => {
            done(tr(lang, "the drill runs again").into())
        }
        (
            Request::Inject { .. },
            Event::DrillFaultInjected {
                fault,
                by: DrillActor::Trainer,
                ..
            },
        ) => done(trf(lang, "`{}` injected into the sandbox", &[fault])),
        (Request::End, Event::DrillEnded { reason, .. }) => done(trf(
            lang,
            "the drill ended ({})",
            &[&outcome_text(lang, reason.as_str())],
        )),
        (_, Event::DrillEnded { reason, .. }) => Some(Said {
            text: trf(
                lang,
                "the drill ended ({}) before acting on it",
                &[&outcome_text(lang, reason.as_str())],
            ),
            tone: Tone::Refused,
        }),
        (
            _,
            Event::Note {
                step: None, text, ..
            },
        ) => control_note(text).map(|why| Said {
            text: trf(lang, "the drill says: {}", &[&why]),
            tone: Tone::Refused,
        }),
        _ => None,
    }
}

/// What a drill's `drill control:` note says (journaled in the drill's
/// language, so either prefix).
fn control_note(text: &str) -> Option<&str> {
    [Lang::En, Lang::Zh].into_iter().find_map(|l| {
        let prefix = tr(l, "drill control: {}").strip_suffix("{}")?;
        text.strip_prefix(prefix)
    })
}
