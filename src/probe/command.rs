//! Deciding a `command` check from the exit code and output of a command the
//! caller ran (through `exec`).

use super::{CheckOutcome, text::excerpt};
use crate::runbook::CommandCheck;

/// How much of the output is kept as evidence.
const EVIDENCE_LIMIT: usize = 2048;

/// Pass when the command exited with `expect_exit` (default 0) and, if given,
/// its output contains `expect_output`. `exit_code` is `None` when the command
/// was killed by a signal or timed out: that can not be judged, so Error.
pub fn evaluate_command_check(
    spec: &CommandCheck,
    exit_code: Option<i32>,
    output: &str,
) -> CheckOutcome {
    let evidence = excerpt(output.trim_end(), EVIDENCE_LIMIT);
    let expected = spec.expect_exit.unwrap_or(0);
    let Some(code) = exit_code else {
        return CheckOutcome::error(
            "the command did not exit normally (killed or timed out), so the check could not be evaluated",
            evidence,
        );
    };
    if code != expected {
        return CheckOutcome::fail(format!("exited with {code}, expected {expected}"), evidence);
    }
    if let Some(want) = &spec.expect_output
        && !output.contains(want.as_str())
    {
        return CheckOutcome::fail(
            format!("exited with {code} but the output does not contain {want:?}"),
            evidence,
        );
    }
    match &spec.expect_output {
        Some(want) => CheckOutcome::pass(
            format!("exited with {code}; output contains {want:?}"),
            evidence,
        ),
        None => CheckOutcome::pass(format!("exited with {code} as expected"), evidence),
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
            evaluate_command_check(&spec(None, None), Some(0), "").status,
            CheckStatus::Pass
        );
        let f = evaluate_command_check(&spec(None, None), Some(69), "Error: down");
        assert_eq!(f.status, CheckStatus::Fail);
        assert_eq!(f.summary, "exited with 69, expected 0");
        assert_eq!(
            evaluate_command_check(&spec(Some(69), None), Some(69), "").status,
            CheckStatus::Pass
        );
        // `is_running` exits 0 even when the app is stopped: the text decides.
        let s = spec(None, Some("is fully booted and running"));
        let o = evaluate_command_check(&s, Some(0), "RabbitMQ on node rabbit@h is not running");
        assert_eq!(o.status, CheckStatus::Fail);
        assert!(o.summary.contains("does not contain"), "{}", o.summary);
        assert_eq!(
            evaluate_command_check(&s, None, "").status,
            CheckStatus::Error
        );
    }
}
