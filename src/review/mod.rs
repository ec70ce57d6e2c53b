//! `runbook review JOURNAL`: a read-only walk through a past incident.
//!
//! The state ([`Review`]) and drawing ([`draw::draw`]) are pure: keys map to
//! [`Action`]s, `update` changes the state, `draw` paints it. Nothing here can
//! run a command or write the journal: the journal is read once, up front.

pub mod draw;
pub mod postmortem;
pub mod seat;
mod seat_draw;
mod seat_keys;
mod seat_view;
mod term;
pub mod watch;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::drill::control::Request;
use crate::i18n::{Lang, tr, trf};
use crate::incident::RunId;
use crate::report::timeline::{Entry, EntryKind};
use crate::report::{LoadedJournal, ReportModel, Summary};
use crate::text::strip_sgr;

pub use seat::{Seat, SeatKey};
pub use term::cli_run;

/// Review's keys, for the help (`?`): (keys, what they do in `lang`).
pub fn help(lang: Lang) -> [(&'static str, &'static str); 9] {
    [
        (
            "↑ ↓  k j",
            tr(lang, "move in the timeline (scroll an open output)"),
        ),
        (
            "PgUp PgDn g G",
            tr(lang, "ten up · ten down · first · last"),
        ),
        (
            "1 … 7",
            tr(
                lang,
                "show all · commands · checks · notes · decisions · overruns · drill events",
            ),
        ),
        (
            "/",
            tr(
                lang,
                "search event text, command output and notes (Esc clears)",
            ),
        ),
        ("[  ]", tr(lang, "first event of the previous · next step")),
        (
            "Enter",
            tr(lang, "the selected command's recorded output (Esc closes)"),
        ),
        (
            "P",
            tr(
                lang,
                "review: write the postmortem (saved beside the journal, never in it)",
            ),
        ),
        ("?", tr(lang, "this help")),
        ("q", tr(lang, "quit")),
    ]
}

/// The trainer's keys in `watch` on a drill's journal (help and footer).
pub fn trainer_help(lang: Lang) -> [(&'static str, &'static str); 5] {
    [
        ("t", tr(lang, "trainer: show or hide the trainer panel")),
        ("h", tr(lang, "trainer: push the next hint to the trainee")),
        ("p", tr(lang, "trainer: pause the drill, or resume it")),
        (
            "i",
            tr(
                lang,
                "trainer: inject the escalation fault (typed confirmation)",
            ),
        ),
        (
            "e",
            tr(lang, "trainer: end the drill now (typed confirmation)"),
        ),
    ]
}

/// Which timeline entries to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Everything.
    All,
    /// Commands started and finished.
    Commands,
    /// Checks.
    Checks,
    /// Notes.
    Notes,
    /// Answers and confirmations.
    Decisions,
    /// Budget overruns.
    Overruns,
    /// A drill's own events.
    Drill,
}

impl Filter {
    /// Name shown in the header, in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => tr(lang, "all"),
            Filter::Commands => tr(lang, "commands"),
            Filter::Checks => tr(lang, "checks"),
            Filter::Notes => tr(lang, "notes"),
            Filter::Decisions => tr(lang, "decisions"),
            Filter::Overruns => tr(lang, "overruns"),
            Filter::Drill => tr(lang, "drill"),
        }
    }

    fn keeps(self, kind: EntryKind) -> bool {
        match self {
            Filter::All => true,
            Filter::Commands => kind == EntryKind::Command,
            Filter::Checks => kind == EntryKind::Check,
            Filter::Notes => kind == EntryKind::Note,
            Filter::Decisions => kind.is_decision(),
            Filter::Overruns => kind == EntryKind::Overrun,
            Filter::Drill => kind == EntryKind::Drill,
        }
    }
}

/// Everything the reviewer can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Select the previous entry (or scroll output up).
    Up,
    /// Select the next entry (or scroll output down).
    Down,
    /// Ten entries up.
    PageUp,
    /// Ten entries down.
    PageDown,
    /// First entry.
    Home,
    /// Last entry.
    End,
    /// Show only entries of a kind.
    Filter(Filter),
    /// `[`: the first entry of the previous step.
    PrevStep,
    /// `]`: the first entry of the next step.
    NextStep,
    /// `/`: start typing a search.
    StartSearch,
    /// A character typed into the search.
    SearchChar(char),
    /// Backspace in the search.
    SearchBackspace,
    /// Text pasted while typing a search (bracketed paste): goes into the
    /// search whole; ignored otherwise, never read as keys.
    Paste(String),
    /// Enter in the search: apply it.
    SearchSubmit,
    /// Esc in the search (or with a search applied): clear it.
    SearchCancel,
    /// Enter on a command or check: show its recorded output.
    Open,
    /// Close the output view.
    Close,
    /// Leave review.
    Quit,
    /// Show or hide the keys (`?`).
    Help,
    /// `runbook review`: write or change the postmortem (`P`).
    EditPostmortem,
    /// A key in the postmortem form.
    PostmortemKey(KeyEvent),
    /// Trainer (`watch` on a drill): show or hide the trainer panel (`t`).
    TrainerPanel,
    /// Trainer: push the next hint (`h`), pause or resume (`p`), inject the
    /// escalation fault (`i`) or end the drill (`e`); the last two ask for
    /// a typed confirmation first.
    Trainer(SeatKey),
    /// A character typed into the trainer's confirmation.
    ConfirmChar(char),
    /// Backspace in the trainer's confirmation.
    ConfirmBackspace,
    /// Enter in the trainer's confirmation: send, if it was typed right.
    ConfirmSubmit,
    /// Esc in the trainer's confirmation: nothing is sent.
    ConfirmCancel,
}

/// The review screen's state.
#[derive(Debug, Clone)]
pub struct Review {
    /// The journal being reviewed.
    pub journal: LoadedJournal,
    /// The title, or a placeholder naming the runbook (from the report model).
    pub title: String,
    /// What is wrong with the journal (from the report model).
    pub problems: Vec<String>,
    /// Figures at the end of the journal (from the report model).
    pub summary: Summary,
    /// The whole timeline (from the report model).
    pub entries: Vec<Entry>,
    /// Indexes into `entries` that pass the filter and search.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    /// Active filter.
    pub filter: Filter,
    /// Applied search (lower case).
    pub search: Option<String>,
    /// Search being typed.
    pub typing: Option<String>,
    /// Run whose output is open, and its scroll offset.
    pub output: Option<(RunId, usize)>,
    /// Set when the reviewer quits.
    pub quit: bool,
    /// A message for the reviewer until the next key (e.g. a paste was cut).
    pub notice: Option<String>,
    /// Draw without colour (`NO_COLOR`): modifiers only.
    pub no_color: bool,
    /// A drill's block (scenario, trainee, score), for a drill's journal.
    pub drill: Option<crate::report::drill::DrillReport>,
    /// Following a live journal (`runbook watch`): what the header says.
    pub watch: Option<WatchStatus>,
    /// The trainer's seat (`watch` on a drill's journal only).
    pub seat: Option<Seat>,
    /// The key help is open (`?`).
    pub help: bool,
    /// The journal's path, for the reviewer's postmortem edits beside it
    /// (`runbook review` only).
    pub journal_path: Option<std::path::PathBuf>,
    /// The postmortem form, while the reviewer edits it (`P`).
    pub postmortem: Option<Box<postmortem::Editing>>,
    /// The postmortem's file work (reading or saving the edits file),
    /// while it runs off the screen's thread.
    pub file_io: Option<postmortem::FileIo>,
    /// The incident's language: every label of the screen is in it.
    pub lang: Lang,
}

/// What `runbook watch` knows of the journal it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchStatus {
    /// New events appear as they are written.
    Following,
    /// The program writing it ended its session (why); it may be resumed.
    Ended(String),
    /// It did not end, and no process has it open any more (killed?).
    WriterGone,
    /// It cannot be read now (deleted, replaced, …): why. The last view stays.
    Lost(String),
}

/// Shown when text is pasted into the trainer's typed confirmation (the
/// live screen's words).
pub const PASTE_REFUSED: &str = "typed confirmation: paste refused, type it";

/// Most bytes a review search holds.
pub const SEARCH_CAP: usize = 1024;

impl Review {
    /// Builds the review of a loaded journal from its report model.
    pub fn new(journal: LoadedJournal) -> Review {
        let ReportModel {
            title,
            problems,
            summary,
            timeline,
            drill,
            ..
        } = ReportModel::build(&journal);
        let entries = timeline.to_vec();
        let lang = Lang::of_incident(&journal.incident);
        let mut r = Review {
            journal,
            title,
            problems,
            summary,
            entries,
            visible: Vec::new(),
            selected: 0,
            filter: Filter::All,
            search: None,
            typing: None,
            output: None,
            quit: false,
            notice: None,
            no_color: false,
            drill,
            watch: None,
            seat: None,
            help: false,
            journal_path: None,
            file_io: None,
            postmortem: None,
            lang,
        };
        r.refilter();
        r
    }

    /// Takes a newer read of the same journal (`watch`): filter, search and
    /// the open output stay; a selection at the end follows new events, any
    /// other stays on its event.
    pub fn reload(&mut self, journal: LoadedJournal) {
        let following = self.selected + 1 >= self.visible.len();
        let selected_seq = self.selected_entry().map(|e| e.seq);
        let ReportModel {
            title,
            problems,
            summary,
            timeline,
            drill,
            ..
        } = ReportModel::build(&journal);
        self.entries = timeline.to_vec();
        self.title = title;
        self.problems = problems;
        self.summary = summary;
        self.drill = drill;
        self.journal = journal;
        if let Some(seat) = &mut self.seat {
            seat.refresh(&self.journal);
        }
        self.refilter();
        let n = self.visible.len();
        self.selected = match (following, selected_seq) {
            (false, Some(seq)) => self
                .visible
                .iter()
                .position(|&i| self.entries[i].seq == seq)
                .unwrap_or(n.saturating_sub(1)),
            _ => n.saturating_sub(1),
        };
    }

    /// The selected entry.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible.get(self.selected).map(|&i| &self.entries[i])
    }

    /// Maps a key to an action in the current mode.
    pub fn key(&self, key: KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        if self.help {
            return Some(Action::Help);
        }
        if self.postmortem.is_some() {
            return Some(Action::PostmortemKey(key));
        }
        if self.seat.as_ref().is_some_and(|s| s.confirm.is_some()) {
            return match key.code {
                KeyCode::Enter => Some(Action::ConfirmSubmit),
                KeyCode::Esc => Some(Action::ConfirmCancel),
                KeyCode::Backspace => Some(Action::ConfirmBackspace),
                KeyCode::Char(c) => Some(Action::ConfirmChar(c)),
                _ => None,
            };
        }
        if self.typing.is_some() {
            return match key.code {
                KeyCode::Enter => Some(Action::SearchSubmit),
                KeyCode::Esc => Some(Action::SearchCancel),
                KeyCode::Backspace => Some(Action::SearchBackspace),
                KeyCode::Char(c) => Some(Action::SearchChar(c)),
                _ => None,
            };
        }
        if let Some(a) = self.trainer_key(key.code) {
            return Some(a);
        }
        if self.output.is_some() {
            return match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => Some(Action::Close),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
                KeyCode::PageUp => Some(Action::PageUp),
                KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
                KeyCode::Home | KeyCode::Char('g') => Some(Action::Home),
                KeyCode::End | KeyCode::Char('G') => Some(Action::End),
                _ => None,
            };
        }
        Some(match key.code {
            KeyCode::Char('q') => Action::Quit,
            KeyCode::Esc if self.search.is_some() => Action::SearchCancel,
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
            KeyCode::Home | KeyCode::Char('g') => Action::Home,
            KeyCode::End | KeyCode::Char('G') => Action::End,
            KeyCode::Char('1') => Action::Filter(Filter::All),
            KeyCode::Char('2') => Action::Filter(Filter::Commands),
            KeyCode::Char('3') => Action::Filter(Filter::Checks),
            KeyCode::Char('4') => Action::Filter(Filter::Notes),
            KeyCode::Char('5') => Action::Filter(Filter::Decisions),
            KeyCode::Char('6') => Action::Filter(Filter::Overruns),
            KeyCode::Char('7') => Action::Filter(Filter::Drill),
            KeyCode::Char('P') => Action::EditPostmortem,
            KeyCode::Char('[') => Action::PrevStep,
            KeyCode::Char(']') => Action::NextStep,
            KeyCode::Char('/') => Action::StartSearch,
            KeyCode::Char('?') => Action::Help,
            KeyCode::Enter => Action::Open,
            _ => return None,
        })
    }

    /// Applies an action; returns the trainer's request to send to the
    /// drill's control file, when the action asks for one (the caller sends
    /// it, off the screen's thread, and tells [`Review::sent`]).
    pub fn update(&mut self, action: Action) -> Option<Request> {
        self.notice = None;
        match action {
            Action::Paste(text) if self.postmortem.is_some() => {
                self.postmortem_paste(&text);
                return None;
            }
            Action::Paste(text) => {
                self.paste(&text);
                return None;
            }
            Action::EditPostmortem => {
                self.open_postmortem();
                return None;
            }
            Action::PostmortemKey(key) => {
                self.postmortem_key(key);
                return None;
            }
            Action::Help => {
                self.help = !self.help;
                return None;
            }
            Action::Quit => {
                self.quit = true;
                return None;
            }
            Action::TrainerPanel
            | Action::Trainer(_)
            | Action::ConfirmChar(_)
            | Action::ConfirmBackspace
            | Action::ConfirmSubmit
            | Action::ConfirmCancel => return self.seat_update(action),
            _ => {}
        }
        if let Some((run, scroll)) = self.output {
            let last = self.output_lines().saturating_sub(1);
            let scroll = match action {
                Action::Up => scroll.saturating_sub(1),
                Action::Down => (scroll + 1).min(last),
                Action::PageUp => scroll.saturating_sub(10),
                Action::PageDown => (scroll + 10).min(last),
                Action::Home => 0,
                Action::End => last,
                _ => scroll,
            };
            self.output = Some((run, scroll));
            if action == Action::Close {
                self.output = None;
            }
            return None;
        }
        let n = self.visible.len();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(n.saturating_sub(1)),
            Action::Home => self.selected = 0,
            Action::End => self.selected = n.saturating_sub(1),
            Action::Filter(f) => {
                self.filter = f;
                self.refilter();
            }
            Action::PrevStep => self.jump_step(false),
            Action::NextStep => self.jump_step(true),
            Action::StartSearch => self.typing = Some(String::new()),
            Action::SearchChar(c) => {
                if let Some(t) = &mut self.typing {
                    t.push(c);
                }
            }
            Action::SearchBackspace => {
                if let Some(t) = &mut self.typing {
                    t.pop();
                }
            }
            Action::SearchSubmit => {
                let q = self.typing.take().unwrap_or_default().to_lowercase();
                self.search = (!q.is_empty()).then_some(q);
                self.refilter();
            }
            Action::SearchCancel => {
                self.typing = None;
                self.search = None;
                self.refilter();
            }
            Action::Open => {
                if let Some(run) = self.selected_entry().and_then(|e| e.run) {
                    self.output = Some((run, 0));
                }
            }
            _ => {}
        }
        None
    }

    /// A paste goes into the search being typed, on one line and up to
    /// [`SEARCH_CAP`]; with no search open it is ignored, with a notice.
    fn paste(&mut self, text: &str) {
        if self.seat.as_ref().is_some_and(|s| s.confirm.is_some()) {
            self.notice = Some(tr(self.lang, "typed confirmation: paste refused, type it").into());
            return;
        }
        let Some(t) = &mut self.typing else {
            self.notice = Some(tr(self.lang, "paste ignored: press / to search first").into());
            return;
        };
        let mut cut = 0usize;
        for c in text.trim_end_matches(['\n', '\r']).chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c.is_control() {
                continue;
            }
            if t.len() + c.len_utf8() > SEARCH_CAP {
                cut += 1;
            } else {
                t.push(c);
            }
        }
        if cut > 0 {
            self.notice = Some(trf(
                self.lang,
                "paste cut: {} characters left out (a search holds {} bytes)",
                &[&cut, &SEARCH_CAP],
            ));
        }
    }

    /// Lines of the open run's output (for scrolling).
    fn output_lines(&self) -> usize {
        self.output
            .and_then(|(run, _)| self.journal.incident.runs.get(&run))
            .map_or(0, |r| {
                let command = match r.kind {
                    crate::incident::RunKind::Command => r.command_line_or_target.lines().count(),
                    _ => 0,
                };
                command + r.output.lines().count() + r.evidence.lines().count()
            })
    }

    fn matches(&self, e: &Entry, q: &str) -> bool {
        if e.text.to_lowercase().contains(q) {
            return true;
        }
        let Some(run) = e.run.and_then(|id| self.journal.incident.runs.get(&id)) else {
            return false;
        };
        strip_sgr(&run.output).to_lowercase().contains(q) || run.evidence.to_lowercase().contains(q)
    }

    /// Recomputes `visible`, keeping the selection on the same entry if it stays.
    fn refilter(&mut self) {
        let keep = self.visible.get(self.selected).copied();
        let search = self.search.clone();
        self.visible = (0..self.entries.len())
            .filter(|&i| {
                let e = &self.entries[i];
                self.filter.keeps(e.kind) && search.as_deref().is_none_or(|q| self.matches(e, q))
            })
            .collect();
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i >= k))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    /// Moves to the first visible entry of the next (or previous) step.
    fn jump_step(&mut self, forward: bool) {
        let step_of = |v: usize| self.entries[self.visible[v]].step.clone();
        let Some(cur) = self
            .visible
            .get(self.selected)
            .map(|_| step_of(self.selected))
        else {
            return;
        };
        if forward {
            if let Some(p) = (self.selected + 1..self.visible.len())
                .find(|&v| step_of(v).is_some() && step_of(v) != cur)
            {
                self.selected = p;
            }
        } else {
            // Back to the start of the current step, then to the previous one's start.
            let mut v = self.selected;
            while v > 0 && step_of(v - 1) == cur {
                v -= 1;
            }
            if v == self.selected && v > 0 {
                let prev = step_of(v - 1);
                v -= 1;
                while v > 0 && step_of(v - 1) == prev {
                    v -= 1;
                }
            }
            self.selected = v;
        }
    }
}
