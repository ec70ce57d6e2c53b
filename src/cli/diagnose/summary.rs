//! What `runbook diagnose` prints: a block per finished run, the summary
//! table, and the rows of the `--json` summary.

use std::io::Write;

use serde::Serialize;

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
}

pub(super) fn row(r: &crate::incident::Run, runbook: &crate::runbook::Runbook) -> Row {
    let (result, exit_code, ok) = match &r.state {
        RunState::Exited(c) => (format!("exit {c}"), Some(*c), *c == 0),
        RunState::Signaled(s) => (format!("signal {s}"), None, false),
        RunState::TimedOut => ("timed out".into(), None, false),
        RunState::Cancelled => ("cancelled".into(), None, false),
        RunState::Interrupted => ("interrupted".into(), None, false),
        RunState::LaunchFailed => ("could not start".into(), None, false),
        RunState::Running => ("no result".into(), None, false),
        RunState::Check(s) => (
            status_word(*s).into(),
            None,
            matches!(s, CheckStatus::Pass | CheckStatus::Warn),
        ),
    };
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
    }
}

fn status_word(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "pass",
        CheckStatus::Warn => "warn",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Error => "error",
    }
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
    let row = row(r, runbook);
    let dur = crate::runbook::format_run_ms(r.duration_ms.unwrap_or(0));
    let _ = writeln!(
        out,
        "── {} / {} · {} · {dur}",
        one_line(&r.step),
        one_line(&r.item),
        paint(&row.result, row.ok, tty)
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
            "   … earlier output not shown; of {} bytes printed, the journal keeps only the first and last part",
            r.bytes
        );
    } else if tail.dropped() > 0 {
        let _ = writeln!(
            out,
            "   … {} earlier line(s) not shown; all are in the journal",
            tail.dropped()
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
    let w_step = cells
        .iter()
        .map(|[step, ..]| step.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let w_id = cells
        .iter()
        .map(|[_, id, _]| id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let _ = writeln!(
        out,
        "\n{:<w_step$}  {:<w_id$}  {:<7}  {:<10}  {:>8}  summary",
        "step", "id", "kind", "result", "time"
    );
    for (r, [step, id, summary]) in rows.iter().zip(&cells) {
        let result = format!("{:<10}", r.result);
        let _ = writeln!(
            out,
            "{step:<w_step$}  {id:<w_id$}  {:<7}  {}  {:>8}  {summary}",
            r.kind,
            paint(&result, r.ok, tty),
            crate::runbook::format_run_ms(r.duration_ms),
        );
    }
    let failed = rows.iter().filter(|r| !r.ok).count();
    let _ = writeln!(
        out,
        "\n{} run, {} passed, {} failed; {} skipped",
        rows.len(),
        rows.len() - failed,
        failed,
        skipped.len()
    );
    if verbose {
        for k in skipped {
            let _ = writeln!(
                out,
                "  skipped {}/{}: {}",
                one_line(&k.step),
                one_line(&k.id),
                one_line(&k.detail)
            );
        }
    } else {
        for why in [CONFIRM, WHEN, FOLLOW] {
            let n = skipped.iter().filter(|k| k.why == why).count();
            if n > 0 {
                let _ = writeln!(out, "  {n} skipped: {why}");
            }
        }
        if !skipped.is_empty() {
            let _ = writeln!(out, "  (--verbose lists them)");
        }
    }
}

pub(super) const TYPED: &str = "needs a typed confirmation in `runbook start`";
pub(super) const CONFIRM: &str =
    "they change the system and need a typed confirmation in `runbook start`";
pub(super) const WHEN: &str =
    "they are for an answer not given (e.g. --answer symptom=memory-alarm)";
pub(super) const FOLLOW: &str = "they follow output until cancelled";
