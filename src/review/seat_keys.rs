//! The trainer's keys in [`Review`]: which keys are the trainer's (on a
//! drill's journal in `watch` only), what they ask of the seat, and what
//! the watch loop reports back of a request sent.

use crossterm::event::KeyCode;

use super::seat::{self, SeatKey};
use super::{Action, Review};
use crate::drill::control::Request;

impl Review {
    /// The trainer's keys, on a drill's journal in `watch` only (in the
    /// timeline and in an open output alike; none is a key of review's).
    pub(super) fn trainer_key(&self, code: KeyCode) -> Option<Action> {
        self.seat.as_ref()?;
        Some(match code {
            KeyCode::Char('t') => Action::TrainerPanel,
            KeyCode::Char('h') => Action::Trainer(SeatKey::Hint),
            KeyCode::Char('p') => Action::Trainer(SeatKey::Pause),
            KeyCode::Char('i') => Action::Trainer(SeatKey::Inject),
            KeyCode::Char('e') => Action::Trainer(SeatKey::End),
            _ => return None,
        })
    }

    /// The last seq of the journal as read.
    fn last_seq(&self) -> u64 {
        self.journal.records.last().map_or(0, |r| r.seq)
    }

    /// The trainer's actions: the request to send, if one is asked for.
    pub(super) fn seat_update(&mut self, action: Action) -> Option<Request> {
        let status = self.watch.clone();
        let last_seq = self.last_seq();
        let seat = self.seat.as_mut()?;
        let said_before = seat.said.clone();
        match action {
            Action::TrainerPanel => seat.shown = !seat.shown,
            Action::Trainer(k) => {
                let request = seat.key(k, status.as_ref(), last_seq);
                self.notice_refusal(said_before);
                return request;
            }
            Action::ConfirmSubmit => {
                let request = seat.submit(status.as_ref(), last_seq);
                self.notice_refusal(said_before);
                return request;
            }
            Action::ConfirmCancel => seat.cancel(),
            Action::ConfirmChar(c) => {
                if let Some(c2) = seat.confirm.as_mut()
                    && c2.typed.chars().count() < seat::CONFIRM_CAP
                    && !c.is_control()
                {
                    c2.typed.push(c);
                }
            }
            Action::ConfirmBackspace => {
                if let Some(c) = seat.confirm.as_mut() {
                    c.typed.pop();
                }
            }
            _ => {}
        }
        None
    }

    /// A trainer's key just refused is also said in the footer, until the
    /// next key.
    fn notice_refusal(&mut self, before: Option<seat::Said>) {
        if let Some(said) = self.seat.as_ref().and_then(|s| s.said.as_ref())
            && said.tone == seat::Tone::Refused
            && before.as_ref() != Some(said)
        {
            self.notice = Some(said.text.clone());
        }
    }

    /// What `send` said of a request (the watch loop sends them).
    pub fn sent(&mut self, request: &Request, result: Result<(), String>) {
        if let Some(seat) = &mut self.seat {
            seat.sent(request, result);
        }
    }
}
