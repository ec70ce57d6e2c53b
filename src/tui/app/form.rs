//! Forms: a few labelled fields in one dialog. The new incident's first
//! screen (title, then optional severity, impact and when the problem
//! started), `i` (severity, impact, start), and `R` (the resolution and the
//! postmortem's first draft: root cause, what helped, what hurt, action
//! items with owners).
//!
//! Keys: Tab and Shift-Tab move between fields; Enter saves (on an empty
//! line in a multi-line field, as in a note); Ctrl-S saves from anywhere;
//! Esc cancels. The severity field takes 1–4 (or ← →), 0 clears it. The
//! fastest path stays the fastest: a title and Enter.

use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::{Lang, tr, trf};
use crate::incident::{ActionItem, Event, Incident};
use crate::tui::editor::{EditOutcome, Editor};

/// Severities, worst first.
pub const SEVERITIES: [&str; 4] = ["SEV1", "SEV2", "SEV3", "SEV4"];

/// What a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// The first screen of a new incident.
    NewIncident,
    /// `i`: severity, impact, when the problem started.
    Details,
    /// `R`: resolution and postmortem draft.
    Resolve,
    /// `runbook review`, `P`: the reviewer's edits of the postmortem.
    Postmortem,
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A text field.
    Text {
        /// Label.
        label: &'static str,
        /// What to write, shown dim.
        hint: &'static str,
        /// The text.
        editor: Editor,
    },
    /// The severity: an index into [`SEVERITIES`], or none.
    Severity(Option<usize>),
}

/// A form being filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// What it is for.
    pub kind: FormKind,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// The field with the cursor.
    pub focus: usize,
    /// Why the last save was refused.
    pub error: Option<String>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Still editing.
    Editing,
    /// Save it.
    Save,
    /// Close without saving.
    Cancel,
}

fn text(label: &'static str, hint: &'static str, editor: Editor, value: &str) -> Field {
    let mut editor = editor;
    editor.insert(value);
    Field::Text {
        label,
        hint,
        editor,
    }
}

const STARTED_HINT: &str = "when it began: 14:05, 2026-12-03 14:05, or 20m ago (empty: not known)";

impl Form {
    /// The first screen of a new incident: the title, then the optional rest.
    pub fn new_incident() -> Form {
        Form {
            kind: FormKind::NewIncident,
            fields: vec![
                text(
                    "Incident title",
                    "what is broken, for whom",
                    Editor::single_line(),
                    "",
                ),
                Field::Severity(None),
                text(
                    "Impact",
                    "who or what is affected",
                    Editor::single_line(),
                    "",
                ),
                text("Problem started", STARTED_HINT, Editor::single_line(), ""),
            ],
            focus: 0,
            error: None,
        }
    }

    /// `i`: severity, impact and start, filled in with what is known.
    pub fn details(inc: &Incident) -> Form {
        let sev = SEVERITIES.iter().position(|s| *s == inc.severity.0);
        let started = inc
            .problem_started
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        Form {
            kind: FormKind::Details,
            fields: vec![
                Field::Severity(sev),
                text(
                    "Impact",
                    "who or what is affected",
                    Editor::single_line(),
                    &inc.severity.1,
                ),
                text(
                    "Problem started",
                    STARTED_HINT,
                    Editor::single_line(),
                    &started,
                ),
            ],
            focus: 0,
            error: None,
        }
    }

    /// `R`: the resolution summary, then the postmortem's first draft.
    pub fn resolve(inc: &Incident) -> Form {
        let pm = &inc.postmortem;
        Form {
            kind: FormKind::Resolve,
            fields: [text(
                "Resolution summary",
                "what fixed it (required)",
                Editor::multi_line(),
                "",
            )]
            .into_iter()
            // The postmortem's first draft, below the summary.
            .chain(draft_fields(pm, "why it happened, as far as known"))
            .collect(),
            focus: 0,
            error: None,
        }
    }

    /// `runbook review`, `P`: the postmortem as a report shows it (the
    /// draft with earlier edits over it), for the reviewer to change.
    pub fn postmortem(m: &crate::report::edits::Merged) -> Form {
        let pm = &m.postmortem;
        Form {
            kind: FormKind::Postmortem,
            fields: [
                Field::Severity(SEVERITIES.iter().position(|s| *s == m.severity)),
                text(
                    "Impact",
                    "who or what was affected",
                    Editor::single_line(),
                    &m.impact,
                ),
            ]
            .into_iter()
            .chain(draft_fields(pm, "why it happened"))
            .collect(),
            focus: 0,
            error: None,
        }
    }

    /// The reviewer's edits this form holds, every field set.
    pub fn edits(&self, by: String, at: DateTime<FixedOffset>) -> crate::report::edits::Edits {
        crate::report::edits::Edits {
            schema: 1,
            severity: Some(
                self.severity()
                    .flatten()
                    .map(|i| SEVERITIES[i].to_string())
                    .unwrap_or_default(),
            ),
            impact: Some(self.value("Impact")),
            root_cause: Some(self.value("Root cause")),
            helped: Some(self.value("What helped")),
            hurt: Some(self.value("What hurt")),
            actions: Some(parse_actions(&self.value("Action items"))),
            edited_by: by,
            edited_at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }

    /// The dialog's title.
    pub fn title(&self) -> &'static str {
        match self.kind {
            FormKind::NewIncident => "New incident",
            FormKind::Details => "Severity and impact",
            FormKind::Resolve => "Resolve the incident",
            FormKind::Postmortem => "Postmortem (saved beside the journal)",
        }
    }

    /// The focused field's editor, if it is a text field (for a paste).
    pub fn focused_editor(&mut self) -> Option<&mut Editor> {
        match self.fields.get_mut(self.focus) {
            Some(Field::Text { editor, .. }) => Some(editor),
            _ => None,
        }
    }

    /// The text of the field labelled `label` (trimmed).
    pub fn value(&self, label: &str) -> String {
        self.fields
            .iter()
            .find_map(|f| match f {
                Field::Text {
                    label: l, editor, ..
                } if *l == label => Some(editor.text().trim().to_string()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The severity chosen, if the form has that field.
    pub fn severity(&self) -> Option<Option<usize>> {
        self.fields.iter().find_map(|f| match f {
            Field::Severity(s) => Some(*s),
            Field::Text { .. } => None,
        })
    }

    /// Applies a key.
    pub fn key(&mut self, key: KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let n = self.fields.len();
        match key.code {
            KeyCode::Tab => {
                self.focus = (self.focus + 1) % n;
                return FormOutcome::Editing;
            }
            KeyCode::BackTab => {
                self.focus = (self.focus + n - 1) % n;
                return FormOutcome::Editing;
            }
            KeyCode::Char('s') if ctrl => return FormOutcome::Save,
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char('c') if ctrl => return FormOutcome::Cancel,
            _ => {}
        }
        match self.fields.get_mut(self.focus) {
            Some(Field::Severity(sev)) => {
                match key.code {
                    KeyCode::Char(c @ '1'..='4') => {
                        *sev = Some(usize::from(c as u8 - b'1'));
                    }
                    KeyCode::Char('0') | KeyCode::Backspace | KeyCode::Delete => *sev = None,
                    KeyCode::Left => *sev = Some(sev.map_or(0, |i| i.saturating_sub(1))),
                    KeyCode::Right => *sev = Some(sev.map_or(0, |i| (i + 1).min(3))),
                    KeyCode::Enter => return FormOutcome::Save,
                    _ => {}
                }
                FormOutcome::Editing
            }
            Some(Field::Text { editor, .. }) => match editor.key(key) {
                EditOutcome::Submit => FormOutcome::Save,
                EditOutcome::Cancel => FormOutcome::Cancel,
                EditOutcome::Editing => FormOutcome::Editing,
            },
            None => FormOutcome::Editing,
        }
    }

    /// The events saving the form records, given the incident as it is; or
    /// why it cannot be saved (the form stays open with the reason).
    pub fn events(
        &self,
        inc: &Incident,
        now: DateTime<FixedOffset>,
        lang: Lang,
    ) -> Result<Vec<Event>, String> {
        let mut out = Vec::new();
        match self.kind {
            FormKind::NewIncident | FormKind::Details => {
                if self.kind == FormKind::NewIncident {
                    let title = self.value("Incident title");
                    if !title.is_empty() && title != inc.title {
                        out.push(Event::TitleSet { title });
                    }
                }
                let started = self.value("Problem started");
                let at = if started.is_empty() {
                    None
                } else {
                    Some(parse_started(&started, now, lang)?)
                };
                let severity = self
                    .severity()
                    .flatten()
                    .map(|i| SEVERITIES[i].to_string())
                    .unwrap_or_default();
                let impact = self.value("Impact");
                if (severity.clone(), impact.clone()) != inc.severity {
                    out.push(Event::SeveritySet { severity, impact });
                }
                if let Some(at) = at
                    && inc.problem_started != Some(at)
                {
                    out.push(Event::ProblemStarted { at });
                }
            }
            // Saved by `runbook review` as edits beside the journal.
            FormKind::Postmortem => {}
            FormKind::Resolve => {
                let summary = self.value("Resolution summary");
                if summary.is_empty() {
                    return Err(tr(lang, "a resolution needs a summary (the first field)").into());
                }
                let draft = crate::incident::Postmortem {
                    root_cause: self.value("Root cause"),
                    helped: self.value("What helped"),
                    hurt: self.value("What hurt"),
                    actions: parse_actions(&self.value("Action items")),
                };
                if !draft.is_empty() && draft != inc.postmortem {
                    out.push(Event::PostmortemDrafted {
                        root_cause: draft.root_cause,
                        helped: draft.helped,
                        hurt: draft.hurt,
                        actions: draft.actions,
                    });
                }
                out.push(Event::IncidentResolved { summary });
            }
        }
        Ok(out)
    }
}

/// The postmortem draft's fields (root cause, what helped, what hurt,
/// action items), filled in with `pm`: the same at resolve (`R`) and in
/// `runbook review` (`P`); only the root cause's hint differs.
fn draft_fields(pm: &crate::incident::Postmortem, cause_hint: &'static str) -> [Field; 4] {
    let actions = pm
        .actions
        .iter()
        .map(action_line)
        .collect::<Vec<_>>()
        .join("\n");
    [
        text(
            "Root cause",
            cause_hint,
            Editor::multi_line(),
            &pm.root_cause,
        ),
        text("What helped", "", Editor::multi_line(), &pm.helped),
        text(
            "What hurt",
            "what slowed the response down",
            Editor::multi_line(),
            &pm.hurt,
        ),
        text(
            "Action items",
            "one per line; @owner at the end names who owns it",
            Editor::multi_line(),
            &actions,
        ),
    ]
}

/// `Add a disk alarm @ops` → what and owner; a line without `@owner` has none.
pub fn parse_actions(text: &str) -> Vec<ActionItem> {
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '*', '•'])
                .trim_start()
                .trim_start_matches("[ ]")
                .trim()
        })
        .filter(|l| !l.is_empty())
        .map(|l| match l.rsplit_once(" @") {
            Some((what, owner)) if !owner.trim().is_empty() && !owner.contains(' ') => ActionItem {
                what: what.trim().to_string(),
                owner: owner.trim().to_string(),
            },
            _ => ActionItem {
                what: l.to_string(),
                owner: String::new(),
            },
        })
        .collect()
}

/// An action item as typed: `what @owner`.
pub fn action_line(a: &ActionItem) -> String {
    if a.owner.is_empty() {
        a.what.clone()
    } else {
        format!("{} @{}", a.what, a.owner)
    }
}

/// When the problem started: `14:05` (today, or yesterday when that is
/// still to come), `2026-12-03 14:05`, `20m ago` / `-20m` / `1h30m ago`, or
/// RFC 3339. Local times are in `now`'s offset; the future is refused.
pub fn parse_started(
    text: &str,
    now: DateTime<FixedOffset>,
    lang: Lang,
) -> Result<DateTime<FixedOffset>, String> {
    let t = text.trim();
    let bad = || {
        trf(
            lang,
            "`{}` is not a time: write 14:05, 2026-12-03 14:05 or 20m ago",
            &[&crate::text::one_line(t)],
        )
    };
    let offset = *now.offset();
    let ago = t
        .strip_suffix("ago")
        .map(str::trim)
        .or_else(|| t.strip_prefix('-'));
    let at = if let Some(d) = ago {
        let dur = crate::runbook::duration::parse_duration(d.trim()).map_err(|_| bad())?;
        now - ChronoDuration::from_std(dur).map_err(|_| bad())?
    } else if let Ok(x) = DateTime::parse_from_rfc3339(t) {
        x
    } else if let Ok(x) = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M") {
        offset.from_local_datetime(&x).single().ok_or_else(bad)?
    } else if let Ok(hm) = NaiveTime::parse_from_str(t, "%H:%M") {
        let today: NaiveDate = now.date_naive();
        let mut x = offset
            .from_local_datetime(&today.and_time(hm))
            .single()
            .ok_or_else(bad)?;
        if x > now {
            x -= ChronoDuration::days(1);
        }
        x
    } else {
        return Err(bad());
    };
    if at > now + ChronoDuration::minutes(1) {
        return Err(trf(
            lang,
            "`{}` is in the future",
            &[&crate::text::one_line(t)],
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-03T10:00:00+08:00").unwrap()
    }

    #[test]
    fn every_label_hint_and_title_has_its_chinese() {
        let inc = Incident::default();
        let forms = [
            Form::new_incident(),
            Form::details(&inc),
            Form::resolve(&inc),
            Form::postmortem(&crate::report::edits::Merged::default()),
        ];
        for f in &forms {
            assert!(crate::i18n::zh(f.title()).is_some(), "{}", f.title());
            for field in &f.fields {
                if let Field::Text { label, hint, .. } = field {
                    assert!(crate::i18n::zh(label).is_some(), "{label}");
                    assert!(hint.is_empty() || crate::i18n::zh(hint).is_some(), "{hint}");
                }
            }
        }
    }

    #[test]
    fn start_times_in_the_forms_an_operator_types() {
        let at = |s| parse_started(s, now(), Lang::En).map(|t| t.to_rfc3339());
        assert_eq!(at("09:40").unwrap(), "2026-12-03T09:40:00+08:00");
        assert_eq!(at("23:50").unwrap(), "2026-12-02T23:50:00+08:00");
        assert_eq!(at("20m ago").unwrap(), "2026-12-03T09:40:00+08:00");
        assert_eq!(at("-1h30m").unwrap(), "2026-12-03T08:30:00+08:00");
        assert_eq!(at("2026-12-03 08:00").unwrap(), "2026-12-03T08:00:00+08:00");
        assert!(at("tomorrow").unwrap_err().contains("not a time"));
        assert!(at("2026-12-04 08:00").unwrap_err().contains("future"));
    }

    #[test]
    fn action_items_take_an_owner_after_an_at_sign() {
        let a = parse_actions(
            "- Alert on disk free @ops\nWrite the runbook\n[ ] mail me@example.com\n",
        );
        assert_eq!(a.len(), 3);
        assert_eq!(
            (a[0].what.as_str(), a[0].owner.as_str()),
            ("Alert on disk free", "ops")
        );
        assert_eq!(a[1].owner, "");
        assert_eq!(a[2].what, "mail me@example.com");
        assert_eq!(action_line(&a[0]), "Alert on disk free @ops");
    }

    #[test]
    fn a_resolution_needs_a_summary_and_drafts_the_postmortem() {
        let inc = Incident::default();
        let mut f = Form::resolve(&inc);
        assert!(f.events(&inc, now(), Lang::En).is_err());
        f.fields[0] = text("Resolution summary", "", Editor::multi_line(), "purged");
        f.fields[4] = text("Action items", "", Editor::multi_line(), "alert @ops");
        let ev = f.events(&inc, now(), Lang::En).unwrap();
        assert!(
            matches!(&ev[0], Event::PostmortemDrafted { actions, .. } if actions[0].owner == "ops")
        );
        assert!(matches!(&ev[1], Event::IncidentResolved { summary } if summary == "purged"));
    }

    #[test]
    fn tab_moves_and_the_severity_takes_digits() {
        let k = |c| KeyEvent::new(c, KeyModifiers::NONE);
        let mut f = Form::new_incident();
        f.key(k(KeyCode::Char('x')));
        f.key(k(KeyCode::Tab));
        f.key(k(KeyCode::Char('2')));
        assert_eq!(f.severity(), Some(Some(1)));
        f.key(k(KeyCode::BackTab));
        assert_eq!(f.value("Incident title"), "x");
        assert_eq!(f.key(k(KeyCode::Enter)), FormOutcome::Save);
        let ev = f.events(&Incident::default(), now(), Lang::En).unwrap();
        assert!(matches!(&ev[1], Event::SeveritySet { severity, .. } if severity == "SEV2"));
    }
}
