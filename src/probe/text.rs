//! Text helpers shared by the probes: password masking, bounded excerpts and
//! the punctuation that joins a probe's texts in the incident's language.

use crate::i18n::{Lang, trf};

/// The placeholder that replaces a password in evidence.
const MASK: &str = "••••";

/// The URL with any password replaced by `••••`. Text that does not parse as a
/// URL is returned with everything between `://user:` and `@` masked.
pub fn mask_url(raw: &str) -> String {
    if let Ok(mut u) = url::Url::parse(raw) {
        if u.password().is_some() && u.set_password(Some("xxxxmaskxxxx")).is_ok() {
            return u.to_string().replace("xxxxmaskxxxx", MASK);
        }
        return raw.to_string();
    }
    // Fallback for unparsable input: scheme://user:secret@host
    if let Some(scheme_end) = raw.find("://") {
        let rest = &raw[scheme_end + 3..];
        if let Some(at) = rest.rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            return format!(
                "{}{}{}{}",
                &raw[..scheme_end + 3],
                &rest[..=colon],
                MASK,
                &rest[at..]
            );
        }
    }
    raw.to_string()
}

/// At most `limit` bytes of `text` (cut on a character boundary), with
/// "… (N more bytes)" appended (in `lang`) when something was left out.
pub fn excerpt(text: &str, limit: usize, lang: Lang) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let more = text.len() - end;
    format!(
        "{}{}",
        &text[..end],
        trf(lang, "… ({} more bytes)", &[&more])
    )
}

/// `what` said of `about` (a target, a URL, a node): "about: what", with a
/// full-width colon in Chinese.
pub(crate) fn about(lang: Lang, about: &str, what: &str) -> String {
    match lang {
        Lang::En => format!("{about}: {what}"),
        Lang::Zh => format!("{about}：{what}"),
    }
}

/// Between the findings of one summary: "; ", or "；" in Chinese.
pub(crate) fn list_sep(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "; ",
        Lang::Zh => "；",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_masked_in_urls() {
        let m = mask_url("amqp://bob:s3cr%40t@host:5672/%2F");
        assert!(!m.contains("s3cr"), "{m}");
        assert!(m.contains("bob:••••@host"), "{m}");
        assert_eq!(mask_url("http://host:15672/api"), "http://host:15672/api");
        let odd = mask_url("amqp://bob:pw@[bad");
        assert!(!odd.contains("pw@"), "{odd}");
    }

    #[test]
    fn excerpt_is_bounded_and_marks_the_cut() {
        assert_eq!(excerpt("short", 10, Lang::En), "short");
        let e = excerpt(&"é".repeat(3000), 2048, Lang::En);
        assert!(e.len() < 2048 + 40);
        assert!(e.ends_with("… (3952 more bytes)"), "{e}");
        let z = excerpt(&"é".repeat(3000), 2048, Lang::Zh);
        assert!(z.ends_with("…（另有 3952 字节）"), "{z}");
    }
}
