//! Overlays: help, answers, confirmation, editors, quit.

use crate::i18n::{tr, trf};
use crate::incident::{EndReason, Event};
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, Focus, Overlay, step_by};
use crate::tui::editor::EditOutcome;

/// Shown when text is pasted into a typed confirmation.
pub const PASTE_REFUSED: &str = "typed confirmation: paste refused, type it";

impl App {
    pub(crate) fn on_overlay_action(&mut self, action: Action) -> Vec<Effect> {
        match (&mut self.overlay, action) {
            (Some(Overlay::Help), _) => self.overlay = None,
            (
                Some(Overlay::Answer {
                    cursor,
                    step,
                    marked,
                }),
                a,
            ) => {
                let n = self.runbook.steps[*step]
                    .ask
                    .as_ref()
                    .map_or(0, |a| a.choices.len());
                match a {
                    Action::Up => *cursor = step_by(*cursor, false, n),
                    Action::Down => *cursor = step_by(*cursor, true, n),
                    Action::Mark => {
                        let c = *cursor;
                        if let Some(i) = marked.iter().position(|m| *m == c) {
                            marked.remove(i);
                        } else if c < n {
                            marked.push(c);
                        }
                    }
                    Action::Activate => {
                        let (step, cursor) = (*step, *cursor);
                        // Several marked: all of them (in the runbook's
                        // order), joined with `,`; else the one highlighted.
                        let mut picked = std::mem::take(marked);
                        if picked.is_empty() {
                            picked.push(cursor);
                        }
                        picked.sort_unstable();
                        self.overlay = None;
                        if let Some(ask) = self.runbook.steps[step].ask.clone() {
                            let answer: Vec<&str> = picked
                                .iter()
                                .filter_map(|i| ask.choices.get(*i).map(String::as_str))
                                .collect();
                            if !answer.is_empty() {
                                let ev = Event::QuestionAnswered {
                                    step: self.runbook.steps[step].id.clone(),
                                    ask: ask.id.clone(),
                                    answer: answer.join(","),
                                };
                                self.record(ev);
                            }
                        }
                    }
                    Action::Quit | Action::Help => self.overlay = None,
                    _ => {}
                }
            }
            (Some(Overlay::Brief), _) => {
                // The first step's timer starts when the trainee has read
                // the brief.
                self.overlay = None;
                if self.session.incident().current.is_none()
                    && let Some(first) = self.runbook.steps.first()
                {
                    let ev = Event::StepEntered {
                        step: first.id.clone(),
                    };
                    self.record(ev);
                }
            }
            (Some(Overlay::Hints), Action::Activate) => {
                self.overlay = None;
                self.take_hint();
                self.overlay = Some(Overlay::Hints);
            }
            (Some(Overlay::Hints), _) => self.overlay = None,
            (Some(Overlay::Quit), Action::Quit) => return self.quit(),
            (Some(Overlay::Quit), _) => self.overlay = None,
            _ => {}
        }
        vec![]
    }

    pub(crate) fn quit(&mut self) -> Vec<Effect> {
        self.overlay = None;
        self.quitting = true;
        vec![Effect::Quit(EndReason::Quit)]
    }

    /// Journals a note, or a status update for the webhooks, on the active
    /// step's, else (between steps, after the last) the one on screen, so
    /// every note shows somewhere.
    fn save_note(&mut self, text: String, update: bool) {
        if text.trim().is_empty() {
            return;
        }
        let idx = self.session.incident().current.unwrap_or(self.viewed);
        let step = self.runbook.steps.get(idx).map(|s| s.id.clone());
        self.record(Event::Note { step, text, update });
        let lang = self.lang();
        self.flash = Some(match (update, self.notify.targets.len()) {
            (false, _) => tr(lang, "note saved").into(),
            (true, 0) => tr(
                lang,
                "update saved; no webhook is set up, so it went nowhere else",
            )
            .into(),
            (true, 1) => tr(lang, "update saved; sending it to 1 webhook").into(),
            (true, n) => trf(lang, "update saved; sending it to {} webhooks", &[&n]),
        });
    }

    /// A key in a form: saving records its events (or says why not and
    /// stays open); Esc closes it.
    pub(crate) fn on_form_key(
        &mut self,
        key: crossterm::event::KeyEvent,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Vec<Effect> {
        use super::form::{FormKind, FormOutcome};
        let lang = self.lang();
        let Some(Overlay::Form(form)) = self.overlay.as_mut() else {
            return vec![];
        };
        match form.key(key) {
            FormOutcome::Editing => {}
            FormOutcome::Cancel => {
                self.overlay = None;
            }
            FormOutcome::Save => match form.events(self.session.incident(), now, lang) {
                Err(why) => form.error = Some(why),
                Ok(events) => {
                    let kind = form.kind;
                    self.overlay = None;
                    let n = events.len();
                    for ev in events {
                        self.record(ev);
                    }
                    self.flash = match kind {
                        FormKind::Resolve => Some(
                            tr(
                                self.lang(),
                                "incident resolved — q to quit, or keep adding notes",
                            )
                            .into(),
                        ),
                        FormKind::Details if n > 0 => {
                            Some(tr(self.lang(), "severity and impact saved").into())
                        }
                        _ => None,
                    };
                }
            },
        }
        vec![]
    }

    pub(crate) fn on_overlay_key(&mut self, key: crossterm::event::KeyEvent) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        let Some(overlay) = self.overlay.as_mut() else {
            return vec![];
        };
        let outcome = match overlay {
            Overlay::Title(e)
            | Overlay::Note(e)
            | Overlay::Update(e)
            | Overlay::Skip(e)
            | Overlay::Search(e)
            | Overlay::Confirm { input: e, .. } => e.key(key),
            Overlay::Brief | Overlay::Hints => return vec![],
            Overlay::Form(_) => return vec![],
            Overlay::Quit => {
                return match key.code {
                    KeyCode::Char('y' | 'Y' | 'q') | KeyCode::Enter => self.quit(),
                    _ => {
                        self.overlay = None;
                        vec![]
                    }
                };
            }
            Overlay::Help | Overlay::Answer { .. } => return vec![],
        };
        if outcome == EditOutcome::Editing {
            return vec![];
        }
        let Some(overlay) = self.overlay.take() else {
            return vec![];
        };
        let submit = outcome == EditOutcome::Submit;
        match overlay {
            Overlay::Title(e) => {
                let t = e.text().trim().to_string();
                if submit && !t.is_empty() && t != self.session.incident().title {
                    self.record(Event::TitleSet { title: t });
                }
            }
            Overlay::Note(e) if submit => self.save_note(e.text(), false),
            Overlay::Update(e) if submit => self.save_note(e.text(), true),
            Overlay::Note(_) | Overlay::Update(_) => {}
            Overlay::Skip(e) => {
                let reason = e.text().trim().to_string();
                if submit && reason.is_empty() {
                    self.flash =
                        Some(tr(self.lang(), "a skip needs a reason; nothing skipped").into());
                } else if submit && let Some(cur) = self.session.incident().current {
                    let ev = Event::StepSkipped {
                        step: self.runbook.steps[cur].id.clone(),
                        reason,
                    };
                    self.record(ev);
                    self.advance(cur);
                }
            }
            Overlay::Search(e) => {
                let p = e.text();
                if submit && !p.is_empty() {
                    self.output.search = Some(p);
                    self.output.current_match = None;
                    self.focus = Focus::Output;
                    self.jump_match(false);
                } else if !submit {
                    self.output.search = None;
                }
            }
            Overlay::Confirm {
                step,
                command,
                expected,
                input,
                ..
            } => {
                let typed = input.text();
                let accepted = submit && typed.trim() == expected;
                let ev = Event::ConfirmationAnswered {
                    step: self.runbook.steps[step].id.clone(),
                    command: self.runbook.steps[step].commands[command].id.clone(),
                    accepted,
                    typed: typed.clone(),
                };
                self.record(ev);
                if accepted {
                    return self.start_command(step, command);
                }
                self.flash = Some(if submit {
                    trf(
                        self.lang(),
                        "“{}” is not “{}” — command not run",
                        &[&typed, &expected],
                    )
                } else {
                    tr(self.lang(), "cancelled — command not run").to_string()
                });
            }
            other => self.overlay = Some(other),
        }
        vec![]
    }

    /// A paste goes whole into the open text field, cut at the field's cap
    /// with a message saying so. A typed confirmation refuses it: the
    /// operator must type the id. With no text field open it does nothing.
    pub(crate) fn on_paste(&mut self, text: &str) {
        let lang = self.lang();
        let field = match self.overlay.as_mut() {
            Some(Overlay::Confirm { .. }) => {
                self.flash = Some(crate::i18n::tr_dyn(lang, PASTE_REFUSED));
                return;
            }
            Some(Overlay::Form(f)) => match f.focused_editor() {
                Some(e) => e,
                None => {
                    self.flash = Some(
                        tr(
                            lang,
                            "paste ignored: this field takes 1–4 (Tab moves to a text field)",
                        )
                        .into(),
                    );
                    return;
                }
            },
            Some(
                Overlay::Note(e)
                | Overlay::Update(e)
                | Overlay::Title(e)
                | Overlay::Skip(e)
                | Overlay::Search(e),
            ) => e,
            _ => {
                self.flash = Some(
                    tr(
                        self.lang(),
                        "paste ignored: no text field is open (n writes a note)",
                    )
                    .into(),
                );
                return;
            }
        };
        let pasted = field.insert(text);
        if pasted.cut > 0 {
            let capacity = field.capacity() / 1024;
            self.flash = Some(trf(
                lang,
                "paste cut: {} of {} characters kept (this field holds {} KiB)",
                &[&pasted.kept, &(pasted.kept + pasted.cut), &capacity],
            ));
        }
    }

    /// True while the first screen asks for the incident's title.
    pub fn asking_title(&self) -> bool {
        matches!(&self.overlay, Some(Overlay::Form(f)) if f.kind == super::form::FormKind::NewIncident)
    }

    /// True when the overlay takes typed text (keys go to [`Action::Key`]).
    pub fn wants_text(&self) -> bool {
        matches!(
            self.overlay,
            Some(
                Overlay::Title(_)
                    | Overlay::Note(_)
                    | Overlay::Update(_)
                    | Overlay::Skip(_)
                    | Overlay::Form(_)
                    | Overlay::Search(_)
                    | Overlay::Confirm { .. }
                    | Overlay::Quit
            )
        )
    }
}
