//! Deciding a `command` check from the exit code and output of a command the
//! caller ran (through `exec`).

use super::{CheckOutcome, text::excerpt};
use crate::i18n::{Lang, tr, trf};
use crate::runbook::CommandCheck;

/// How much of the output is kept as evidence.
const EVIDENCE_LIMIT: usize = 2048;

/// Pass when the command exited with `expect_exit` (default 0) and, if given,
/// its output contains `expect_output`. `exit_code` is `None` when the command
/// was killed by a signal or timed out: that can not be judged, so Error.
/// The summary is in `lang`.
pub fn evaluate_command_check(
    spec: &CommandCheck,
    exit_code: Option<i32>,
    output: &str,
    lang: Lang,
) -> CheckOutcome {
    let evidence = excerpt(output.trim_end(), EVIDENCE_LIMIT, lang);
    let expected = spec.expect_exit.unwrap_or(0);
    let Some(code) = exit_code else {
        return CheckOutcome::error(
            tr(
                lang,
                "the command did not exit normally (killed or timed out), so the check could not be evaluated",
            ),
            evidence,
        );
    };
    if code != expected {
        return CheckOutcome::fail(
            trf(lang, "exited with {}, expected {}", &[&code, &expected]),
            evidence,
        );
    }
    let quoted = spec.expect_output.as_ref().map(|w| format!("{w:?}"));
    if let Some(want) = &spec.expect_output
        && !output.contains(want.as_str())
    {
        return CheckOutcome::fail(
            trf(
                lang,
                "exited with {} but the output does not contain {}",
                &[&code, &quoted.unwrap_or_default()],
            ),
            evidence,
        );
    }
    match quoted {
        Some(want) => CheckOutcome::pass(
            trf(lang, "exited with {}; output contains {}", &[&code, &want]),
            evidence,
        ),
        None => CheckOutcome::pass(trf(lang, "exited with {} as expected", &[&code]), evidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::CheckStatus;

    fn spec(exit: Option<i32>, out: Option<&str>) -> CommandCheck {
        CommandCheck {
            run: "true".into(),
            expect_exit: exit,
            expect_output: out.map(String::from),
        }
    }

    #[test]
    fn exit_code_and_output_decide() {
        assert_eq!(
            evaluate_command_check(&spec(None, None), Some(0), "", Lang::En).status,
            CheckStatus::Pass
        );
        let f = evaluate_command_check(&spec(None, None), Some(69), "Error: down", Lang::En);
        assert_eq!(f.status, CheckStatus::Fail);
        assert_eq!(f.summary, "exited with 69, expected 0");
        assert_eq!(
            evaluate_command_check(&spec(Some(69), None), Some(69), "", Lang::En).status,
            CheckStatus::Pass
        );
        // `is_running` exits 0 even when the app is stopped: the text decides.
        let s = spec(None, Some("is fully booted and running"));
        let o = evaluate_command_check(
            &s,
            Some(0),
            "RabbitMQ on node rabbit@h is not running",
            Lang::En,
        );
        assert_eq!(o.status, CheckStatus::Fail);
        assert!(o.summary.contains("does not contain"), "{}", o.summary);
        assert_eq!(
            evaluate_command_check(&s, None, "", Lang::En).status,
            CheckStatus::Error
        );
    }

    #[test]
    fn a_chinese_incident_reads_its_command_checks_in_chinese() {
        let f = evaluate_command_check(&spec(None, None), Some(69), "Error: down\n", Lang::Zh);
        assert_eq!(f.status, CheckStatus::Fail);
        assert_eq!(f.summary, "退出码 69，预期 0");
        assert_eq!(f.evidence, "Error: down");
        let s = spec(None, Some("is fully booted and running"));
        let o = evaluate_command_check(&s, Some(0), "not running", Lang::Zh);
        assert_eq!(
            o.summary,
            "退出码 0，但输出不包含 \"is fully booted and running\""
        );
        let p = evaluate_command_check(&s, Some(0), "is fully booted and running", Lang::Zh);
        assert_eq!(
            p.summary,
            "退出码 0；输出包含 \"is fully booted and running\""
        );
        assert_eq!(
            evaluate_command_check(&spec(None, None), Some(0), "", Lang::Zh).summary,
            "退出码 0，符合预期"
        );
        assert_eq!(
            evaluate_command_check(&spec(None, None), None, "", Lang::Zh).summary,
            "命令没有正常退出（被终止或超时），无法评估此检查"
        );
        assert_eq!(
            evaluate_command_check(&spec(None, None), Some(0), "", Lang::En).summary,
            "exited with 0 as expected"
        );
    }
}
