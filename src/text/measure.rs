//! Sizes and widths as a person reads them: the one byte formatter of the
//! program (screen, checks, reports and error messages alike) and the one
//! way a cell is cut to a number of columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A byte count in binary units: `512 B`, `4 MiB` (a whole number of the
/// unit, as limits are written), `1.5 KiB`, `141.2 MiB`, `9.3 GiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    let mut size = 1u64;
    while unit + 1 < UNITS.len() && n >= size * 1024 {
        size *= 1024;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else if n.is_multiple_of(size) {
        format!("{} {}", n / size, UNITS[unit])
    } else {
        format!("{:.1} {}", n as f64 / size as f64, UNITS[unit])
    }
}

/// Cuts `s` to `width` display columns, ending with `…` when cut (wide
/// characters count two).
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1024), "1 KiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(4 * 1024 * 1024), "4 MiB");
        assert_eq!(human_bytes(148_050_739), "141.2 MiB");
        assert_eq!(human_bytes(50_000_000), "47.7 MiB");
        assert_eq!(human_bytes(1 << 30), "1 GiB");
        assert_eq!(human_bytes(10_000_000_000), "9.3 GiB");
        assert_eq!(human_bytes(3 << 40), "3 TiB");
        assert_eq!(human_bytes(u64::MAX), "16777216.0 TiB");
    }

    #[test]
    fn fit_cuts_by_columns_with_an_ellipsis() {
        assert_eq!(fit("disk alarm", 20), "disk alarm");
        assert_eq!(fit("disk alarm", 6), "disk …");
        assert_eq!(fit("磁盘满了", 5), "磁盘…");
        assert_eq!(fit("abc", 0), "");
    }
}
