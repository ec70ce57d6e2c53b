//! What `runbook diagnose` prints: a block per finished run, the summary
//! table, and the rows of the `--json` summary.

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::i18n::{Lang, tr, trf};

use crate::exec::tail::OutputTail;
use crate::incident::{CheckStatus, RunId, RunKind, RunState};
use crate::text::one_line;

use super::Skip;

/// Lines of each command's output printed after it finishes.
const SHOWN_LINES: usize = 12;

/// One row of the summary.
#[derive(Debug, Serialize)]
pub(super) struct Row {
    pub(super) step: String,
    pub(super) id: String,
    pub(super) kind: &'static str,
    pub(super) result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) exit_code: Option<i32>,
    pub(super) duration_ms: u64,
    pub(super) ok: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(super) summary: String,
    /// `kind` as printed, in the runbook's language (the JSON keeps English).
    #[serde(skip)]
    pub(super) kind_shown: &'static str,
    /// `result` as printed, in the runbook's language.
    #[serde(skip)]
    pub(super) result_shown: String,
}

/// The result word of a run in `lang` (`exit 0`, `timed out`, `FAIL`), its
/// exit code, and whether it counts as passed.
fn result(lang: Lang, state: &RunState) -> (String, Option<i32>, bool) {
    match state {
        RunState::Exited(c) => (trf(lang, "exit {}", &[c]), Some(*c), *c == 0),
        RunState::Signaled(s) => (trf(lang, "signal {}", &[s]), None, false),
        RunState::TimedOut => (tr(lang, "timed out").into(), None, false),
        RunState::Cancelled => (tr(lang, "cancelled").into(), None, false),
        RunState::Interrupted => (tr(lang, "interrupted").into(), None, false),
        RunState::LaunchFailed => (tr(lang, "could not start").into(), None, false),
        RunState::Running => (tr(lang, "no result").into(), None, false),
        RunState::Check(s) => (
            status_word(lang, *s).into(),
            None,
            matches!(s, CheckStatus::Pass | CheckStatus::Warn),
        ),
    }
}

pub(super) fn row(r: &crate::incident::Run, runbook: &crate::runbook::Runbook, lang: Lang) -> Row {
    let (result, exit_code, ok) = result(Lang::En, &r.state);
    let (result_shown, ..) = self::result(lang, &r.state);
    let step_no = runbook
        .steps
        .iter()
        .position(|s| s.id == r.step)
        .map_or(0, |i| i + 1);
    Row {
        step: format!("{step_no}. {}", r.step),
        id: r.item.clone(),
        kind: if r.kind == RunKind::Command {
            "command"
        } else {
            "check"
        },
        result,
        exit_code,
        duration_ms: r.duration_ms.unwrap_or(0),
        ok,
        summary: r.summary.clone(),
        kind_shown: if r.kind == RunKind::Command {
            tr(lang, "command")
        } else {
            tr(lang, "check")
        },
        result_shown,
    }
}

fn status_word(lang: Lang, s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => tr(lang, "pass"),
        CheckStatus::Warn => tr(lang, "warn"),
        CheckStatus::Fail => tr(lang, "FAIL"),
        CheckStatus::Error => tr(lang, "error"),
    }
}

/// `s` padded with blanks to `cols` terminal columns (a Chinese character
/// takes two).
fn pad(s: &str, cols: usize) -> String {
    format!("{s}{}", " ".repeat(cols.saturating_sub(s.width())))
}

/// `s` right-aligned in `cols` terminal columns.
fn pad_left(s: &str, cols: usize) -> String {
    format!("{}{s}", " ".repeat(cols.saturating_sub(s.width())))
}

fn paint(text: &str, ok: bool, tty: bool) -> String {
    if !tty {
        return text.to_string();
    }
    let colour = if ok { "32" } else { "31;1" };
    format!("\u{1b}[{colour}m{text}\u{1b}[0m")
}

pub(super) fn print_block(
    out: &mut impl Write,
    incident: &crate::incident::Incident,
    runbook: &crate::runbook::Runbook,
    run: RunId,
    tty: bool,
) {
    let Some(r) = incident.runs.get(&run) else {
        return;
    };
    let lang = Lang::of_incident(incident);
    let row = row(r, runbook, lang);
    let dur = crate::runbook::format_run_ms(r.duration_ms.unwrap_or(0));
    let _ = writeln!(
        out,
        "── {} / {} · {} · {dur}",
        one_line(&r.step),
        one_line(&r.item),
        paint(&row.result_shown, row.ok, tty)
    );
    if r.kind == RunKind::Check {
        // Names a broker gave (queues, connections) can hold line breaks.
        let _ = writeln!(out, "   {}", one_line(&r.summary));
        return;
    }
    for row in crate::tui::draw::command_rows(&r.command_line_or_target) {
        let _ = writeln!(out, "   {row}");
    }
    // Shown from the journaled output, not the raw stream: that text is
    // already masked (secrets, URL passwords), so the screen never shows
    // more than the journal.
    let mut tail = OutputTail::new(SHOWN_LINES);
    tail.push(&r.output);
    if r.truncated {
        // A flood is only excerpted in the journal: do not promise the
        // operator that the hidden lines are all there.
        let _ = writeln!(
            out,
            "   … {}",
            trf(
                lang,
                "earlier output not shown; of {} bytes printed, the journal keeps only the first and last part",
                &[&r.bytes]
            )
        );
    } else if tail.dropped() > 0 {
        let _ = writeln!(
            out,
            "   … {}",
            trf(
                lang,
                "{} earlier line(s) not shown; all are in the journal",
                &[&tail.dropped()]
            )
        );
    }
    for l in tail.lines() {
        let l = if tty {
            l.to_string()
        } else {
            crate::exec::sanitize::strip_sgr(l)
        };
        let _ = writeln!(out, "   {l}");
    }
}

pub(super) fn print_table(
    out: &mut impl Write,
    lang: Lang,
    rows: &[Row],
    skipped: &[Skip],
    tty: bool,
    verbose: bool,
) {
    // One line per row, whatever the names and summaries hold.
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|r| [&r.step, &r.id, &r.summary].map(|c| one_line(c).into_owned()))
        .collect();
    let heads = [
        tr(lang, "step"),
        tr(lang, "id"),
        tr(lang, "kind"),
        tr(lang, "result"),
        tr(lang, "time"),
        tr(lang, "summary"),
    ];
    // Widths in terminal columns: a Chinese character takes two.
    let w_step = cells
        .iter()
        .map(|[step, ..]| step.width())
        .chain([heads[0].width(), 4])
        .max()
        .unwrap_or(4);
    let w_id = cells
        .iter()
        .map(|[_, id, _]| id.width())
        .chain([heads[1].width(), 2])
        .max()
        .unwrap_or(2);
    let _ = writeln!(
        out,
        "\n{}  {}  {}  {}  {}  {}",
        pad(heads[0], w_step),
        pad(heads[1], w_id),
        pad(heads[2], 7),
        pad(heads[3], 10),
        pad_left(heads[4], 8),
        heads[5]
    );
    for (r, [step, id, summary]) in rows.iter().zip(&cells) {
        let result = pad(&r.result_shown, 10);
        let _ = writeln!(
            out,
            "{}  {}  {}  {}  {:>8}  {summary}",
            pad(step, w_step),
            pad(id, w_id),
            pad(r.kind_shown, 7),
            paint(&result, r.ok, tty),
            crate::runbook::format_run_ms(r.duration_ms),
        );
    }
    let failed = rows.iter().filter(|r| !r.ok).count();
    let _ = writeln!(
        out,
        "\n{}",
        trf(
            lang,
            "{} run, {} passed, {} failed; {} skipped",
            &[&rows.len(), &(rows.len() - failed), &failed, &skipped.len()]
        )
    );
    if verbose {
        for k in skipped {
            let _ = writeln!(
                out,
                "  {}",
                trf(
                    lang,
                    "skipped {}/{}: {}",
                    &[
                        &one_line(&k.step),
                        &one_line(&k.id),
                        &one_line(&k.detail.text(lang)),
                    ]
                )
            );
        }
    } else {
        for why in [CONFIRM, WHEN, FOLLOW] {
            let n = skipped.iter().filter(|k| k.why == why).count();
            if n > 0 {
                let _ = writeln!(
                    out,
                    "  {}",
                    trf(lang, "{} skipped: {}", &[&n, &why_text(lang, why)])
                );
            }
        }
        if !skipped.is_empty() {
            let _ = writeln!(out, "  {}", tr(lang, "(--verbose lists them)"));
        }
    }
}

/// A reason for skipping ([`CONFIRM`], [`WHEN`], [`FOLLOW`]) in `lang`.
fn why_text(lang: Lang, why: &'static str) -> &'static str {
    match why {
        CONFIRM => tr(
            lang,
            "they change the system and need a typed confirmation in `runbook start`",
        ),
        WHEN => tr(
            lang,
            "they are for an answer not given (e.g. --answer symptom=memory-alarm)",
        ),
        FOLLOW => tr(lang, "they follow output until cancelled"),
        other => other,
    }
}

pub(super) const TYPED: &str = "needs a typed confirmation in `runbook start`";
pub(super) const CONFIRM: &str =
    "they change the system and need a typed confirmation in `runbook start`";
pub(super) const WHEN: &str =
    "they are for an answer not given (e.g. --answer symptom=memory-alarm)";
pub(super) const FOLLOW: &str = "they follow output until cancelled";

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of each reason is its constant, word for word.
    #[test]
    fn reasons_in_english_are_the_constants() {
        for why in [CONFIRM, WHEN, FOLLOW] {
            assert_eq!(why_text(Lang::En, why), why);
            assert_ne!(why_text(Lang::Zh, why), why);
        }
    }
}
