//! SGR-aware helpers for sanitised text: overwrite (carriage return), widths, and
//! stripping styles for plain output.

const ESC: char = '\x1b';

pub(crate) fn ends_with_sgr(s: &str) -> bool {
    match s.rfind(ESC) {
        Some(p) => s[p..].starts_with("\x1b[") && s[p + 2..s.len() - 1].bytes().all(is_sgr_param),
        None => false,
    }
}

fn is_sgr_param(b: u8) -> bool {
    b.is_ascii_digit() || b == b';' || b == b':'
}

/// `top` written over `under` from column 0 (columns counted in characters, SGR
/// sequences take no room); what `top` does not cover of `under` stays visible.
pub(crate) fn overwrite(under: &str, top: &str) -> String {
    let width = visible_chars(top);
    let mut out = String::with_capacity(under.len().max(top.len()));
    out.push_str(top);
    let mut seen = 0;
    let mut rest = under;
    while seen < width && !rest.is_empty() {
        if let Some(after) = skip_sgr(rest) {
            rest = after;
            continue;
        }
        let n = rest.chars().next().map_or(1, char::len_utf8);
        rest = &rest[n..];
        seen += 1;
    }
    out.push_str(rest);
    out
}

fn visible_chars(s: &str) -> usize {
    let mut n = 0;
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = skip_sgr(rest) {
            rest = after;
        } else {
            let len = rest.chars().next().map_or(1, char::len_utf8);
            rest = &rest[len..];
            n += 1;
        }
    }
    n
}

/// If `s` starts with an SGR sequence, what follows it.
pub(crate) fn skip_sgr(s: &str) -> Option<&str> {
    let params = s.strip_prefix("\x1b[")?;
    let end = params.bytes().position(|b| !is_sgr_param(b))?;
    params[end..].strip_prefix('m')
}

/// Removes SGR sequences from text the sanitiser already cleaned (SGR is the
/// only escape left in it). Anything else, use [`crate::text::strip_sgr`].
pub(crate) fn strip_sanitised_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find(ESC) {
        out.push_str(&rest[..p]);
        match skip_sgr(&rest[p..]) {
            Some(after) => rest = after,
            // Not an SGR: cannot come out of the sanitiser; drop the ESC.
            None => rest = &rest[p + 1..],
        }
    }
    out.push_str(rest);
    out
}
