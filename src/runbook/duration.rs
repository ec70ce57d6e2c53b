//! Durations and step budgets as written in runbooks: `90s`, `1m30s`, `2h`, `1m..2m`, `none`.

use std::time::Duration;

use super::model::Budget;

const ACCEPTED: &str = "write a number followed by a unit: `45s`, `2m`, `1h`, or combined `1m30s`";

/// Parses `"90s"`, `"1m"`, `"2h"`, `"1m30s"`; the error says what is accepted.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err(format!("empty duration; {ACCEPTED}"));
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut last_unit_rank = 0u8;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        let (secs, rank) = match ch {
            'h' => (3600, 3),
            'm' => (60, 2),
            's' => (1, 1),
            _ => return Err(format!("`{text}` is not a duration; {ACCEPTED}")),
        };
        if digits.is_empty() {
            return Err(format!(
                "`{text}` is not a duration: `{ch}` has no number before it; {ACCEPTED}"
            ));
        }
        if last_unit_rank != 0 && rank >= last_unit_rank {
            return Err(format!(
                "`{text}` is not a duration: units must go from large to small (h, m, s); {ACCEPTED}"
            ));
        }
        last_unit_rank = rank;
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("`{text}` is too large for a duration"))?;
        digits.clear();
        total = n
            .checked_mul(secs)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("`{text}` is too large for a duration"))?;
    }
    if !digits.is_empty() {
        return Err(format!("`{text}` has no unit; {ACCEPTED}"));
    }
    Ok(Duration::from_secs(total))
}

/// Parses `"1m"`, `"1m..2m"`, `"none"`; a single value is both expected time and limit.
pub fn parse_budget(s: &str) -> Result<Budget, String> {
    let text = s.trim();
    if text.eq_ignore_ascii_case("none") {
        return Ok(Budget::NONE);
    }
    let budget_help = "a budget is `2m` (expected = limit), `1m..2m` (expected..limit) or `none`";
    match text.split_once("..") {
        None => {
            let d = parse_duration(text).map_err(|e| format!("{e}; {budget_help}"))?;
            Ok(Budget {
                expected: Some(d),
                limit: Some(d),
            })
        }
        Some((a, b)) => {
            let expected = parse_duration(a).map_err(|e| format!("{e}; {budget_help}"))?;
            let limit = parse_duration(b).map_err(|e| format!("{e}; {budget_help}"))?;
            if limit < expected {
                return Err(format!(
                    "budget `{text}`: the limit {} is shorter than the expected time {}; write expected..limit with expected <= limit",
                    format_duration(limit),
                    format_duration(expected)
                ));
            }
            Ok(Budget {
                expected: Some(expected),
                limit: Some(limit),
            })
        }
    }
}

/// A run's wall time for the screen and summaries: `0.91s` below a
/// minute (sub-second runs are the common case), else as [`format_duration`].
pub fn format_run_ms(ms: u64) -> String {
    if ms < 60_000 {
        format!("{:.2}s", ms as f64 / 1000.0)
    } else {
        format_duration(Duration::from_millis(ms))
    }
}

/// Formats as `"45s"`, `"1m30s"`, `"2m"`, `"2h05m"` (sub-second parts are dropped).
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        if s > 0 {
            format!("{h}h{m:02}m{s:02}s")
        } else {
            format!("{h}h{m:02}m")
        }
    } else if m > 0 {
        if s > 0 {
            format!("{m}m{s:02}s")
        } else {
            format!("{m}m")
        }
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn parses_units_and_combinations() {
        assert_eq!(parse_duration("90s"), Ok(secs(90)));
        assert_eq!(parse_duration("1m"), Ok(secs(60)));
        assert_eq!(parse_duration("2h"), Ok(secs(7200)));
        assert_eq!(parse_duration("1m30s"), Ok(secs(90)));
        assert_eq!(parse_duration("1h2m3s"), Ok(secs(3723)));
        assert_eq!(parse_duration(" 0s "), Ok(secs(0)));
    }

    #[test]
    fn rejects_with_a_hint() {
        for bad in [
            "5 minutes",
            "5",
            "m",
            "1.5m",
            "",
            "1s1m",
            "1m1m",
            "-1s",
            "99999999999999999999s",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        assert!(parse_duration("5 minutes").unwrap_err().contains("`45s`"));
        assert!(parse_duration("30").unwrap_err().contains("no unit"));
    }

    #[test]
    fn budgets() {
        assert_eq!(parse_budget("none"), Ok(Budget::NONE));
        assert_eq!(
            parse_budget("1m..2m"),
            Ok(Budget {
                expected: Some(secs(60)),
                limit: Some(secs(120))
            })
        );
        assert_eq!(
            parse_budget("90s"),
            Ok(Budget {
                expected: Some(secs(90)),
                limit: Some(secs(90))
            })
        );
        assert!(
            parse_budget("2m..1m")
                .unwrap_err()
                .contains("shorter than the expected")
        );
        assert!(parse_budget("1m..").is_err());
        assert!(parse_budget("soon").unwrap_err().contains("none"));
    }

    #[test]
    fn formats() {
        assert_eq!(format_duration(secs(45)), "45s");
        assert_eq!(format_duration(secs(90)), "1m30s");
        assert_eq!(format_duration(secs(120)), "2m");
        assert_eq!(format_duration(secs(7500)), "2h05m");
        assert_eq!(format_duration(secs(7501)), "2h05m01s");
        assert_eq!(parse_duration(&format_duration(secs(7501))), Ok(secs(7501)));
    }
}
