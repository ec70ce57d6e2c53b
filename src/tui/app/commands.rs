//! The operator's commands outside dialogs: moving, focusing, Enter, and the
//! action keys (run all, cancel, note, done, skip, resolve, quit, help…).

use crate::i18n::tr;
use crate::incident::Event;
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, Focus, Item, OutputView, Overlay, step_by};
use crate::tui::editor::Editor;

impl App {
    pub(crate) fn on_command(&mut self, action: Action) -> Vec<Effect> {
        let n_steps = self.runbook.steps.len();
        match action {
            Action::Up | Action::Down => {
                let down = matches!(action, Action::Down);
                match self.focus {
                    Focus::Steps => {
                        self.viewed = step_by(self.viewed, down, n_steps);
                        self.cursor = 0;
                        self.output = OutputView::default();
                    }
                    Focus::Detail => {
                        // A guide longer than the pane: ↑ on the first item
                        // scrolls up into it by half a pane, ↓ back down.
                        let room = self.detail_room.get();
                        let lift = self.detail_lift_rows().min(room.auto);
                        let by = (room.height / 2).max(1);
                        if !down && self.cursor == 0 && lift < room.auto {
                            self.detail_lift = (self.viewed, (lift + by).min(room.auto));
                        } else if down && lift > 0 {
                            self.detail_lift = (self.viewed, lift.saturating_sub(by));
                        } else {
                            let next = step_by(self.cursor, down, self.items().len());
                            // At the guide's top, ↑ stays there.
                            if next != self.cursor {
                                self.cursor = next;
                                self.detail_lift = (self.viewed, 0);
                                self.output = OutputView::default();
                            }
                        }
                    }
                    Focus::Output => self.scroll(if down { -1 } else { 1 }),
                }
            }
            Action::PageUp => self.scroll(20),
            Action::PageDown => self.scroll(-20),
            Action::Scroll(n) => self.scroll(-n),
            Action::Top => self.scroll(i32::MAX / 2),
            Action::Bottom => self.output.from_bottom = 0,
            Action::FocusNext | Action::FocusPrev => {
                let order = [Focus::Steps, Focus::Detail, Focus::Output];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let j = if matches!(action, Action::FocusNext) {
                    (i + 1) % 3
                } else {
                    (i + 2) % 3
                };
                self.focus = order[j];
            }
            Action::Activate => return self.activate(),
            Action::RunAll => return self.run_all(),
            Action::CancelRun => {
                let target = self.output_run().filter(|r| self.running().contains(r));
                match target {
                    Some(run) => return vec![Effect::Cancel(run)],
                    None => {
                        self.flash = Some(tr(self.lang(), "nothing running here to cancel").into())
                    }
                }
            }
            Action::Note => self.overlay = Some(Overlay::Note(Editor::multi_line())),
            Action::Update => self.overlay = Some(Overlay::Update(Editor::multi_line())),
            Action::CompleteStep => self.complete_step(),
            Action::SkipStep if self.session.incident().current.is_some() => {
                self.overlay = Some(Overlay::Skip(Editor::single_line()));
            }
            Action::Resolve => {
                let f = super::form::Form::resolve(self.session.incident());
                self.overlay = Some(Overlay::Form(Box::new(f)));
            }
            Action::Details => {
                let f = super::form::Form::details(self.session.incident());
                self.overlay = Some(Overlay::Form(Box::new(f)));
            }
            Action::Quit => self.overlay = Some(Overlay::Quit),
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Hint => return self.open_hints(),
            Action::ToggleWrap => self.wrap_output = !self.wrap_output,
            Action::Title => {
                let mut e = Editor::single_line();
                e.insert(&self.session.incident().title);
                self.overlay = Some(Overlay::Title(e));
            }
            Action::Escape => {
                if self.zoom.is_some() {
                    self.zoom = None;
                } else {
                    self.output.search = None;
                    self.output.current_match = None;
                }
            }
            Action::ToggleZoom => {
                // The step detail when it has focus (a long guide), else
                // the output pane.
                self.zoom = match (self.zoom, self.focus) {
                    (Some(_), _) => None,
                    (None, Focus::Detail) => Some(Focus::Detail),
                    (None, _) => {
                        self.focus = Focus::Output;
                        Some(Focus::Output)
                    }
                };
            }
            Action::ToggleBroker => self.broker.visible = !self.broker.visible,
            Action::ToggleMouse => {
                self.mouse_capture = !self.mouse_capture;
                self.flash = Some(if self.mouse_capture {
                    tr(
                        self.lang(),
                        "mouse: the wheel scrolls the output (m frees it for selecting text)",
                    )
                    .into()
                } else {
                    tr(
                        self.lang(),
                        "mouse: free — drag to select and copy text (m gives the wheel back)",
                    )
                    .into()
                });
            }
            Action::Search => self.overlay = Some(Overlay::Search(Editor::single_line())),
            Action::SearchNext | Action::SearchPrev => {
                self.jump_match(matches!(action, Action::SearchNext));
            }
            _ => {}
        }
        vec![]
    }

    pub(crate) fn activate(&mut self) -> Vec<Effect> {
        if self.focus == Focus::Steps {
            self.enter_step(self.viewed);
            self.focus = Focus::Detail;
            return vec![];
        }
        let room = self.detail_room.get();
        if self.detail_lift_rows().min(room.auto) > 0 && !room.selected_visible {
            // Scrolled up into the guide: Enter must not act on a line the
            // operator cannot see; it brings the selection back instead.
            self.detail_lift = (self.viewed, 0);
            return vec![];
        }
        let step_idx = self.viewed;
        match self.selected_item() {
            Some(Item::Checklist(i)) => {
                let step = &self.runbook.steps[step_idx];
                let checked = self
                    .session
                    .incident()
                    .steps
                    .get(step_idx)
                    .and_then(|s| s.checklist.get(i))
                    .copied()
                    .unwrap_or(false);
                let ev = Event::ChecklistToggled {
                    step: step.id.clone(),
                    item: i,
                    text: step.checklist[i].clone(),
                    checked: !checked,
                };
                self.record(ev);
                vec![]
            }
            Some(Item::Ask) => {
                self.overlay = Some(Overlay::Answer {
                    step: step_idx,
                    cursor: 0,
                    marked: Vec::new(),
                });
                vec![]
            }
            Some(Item::Command(i)) => self.request_command(step_idx, i),
            Some(Item::Check(i)) => self.start_check(step_idx, i),
            None => vec![],
        }
    }
}
