//! The program's own words in the operator's language: English and Chinese.
//!
//! An incident speaks its runbook's language (`lang:` in the runbook,
//! journaled in `incident_opened`, so review and report speak it too);
//! messages outside an incident follow `LC_ALL`, `LC_MESSAGES`, `LANG`.
//!
//! The English text is the key (as in gettext): `tr(lang, "Steps")` is
//! "Steps" in English and its entry in [`zh`] in Chinese; a text missing
//! from the table stays English (a lib test finds every `tr(…, "…")` in the
//! sources and fails if one has no Chinese). Texts with values use `{}`
//! placeholders filled in order by [`trf`]. Ids (step ids, choice ids,
//! journal fields) are never translated.

mod surfaces;

/// A language the program speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (simplified).
    Zh,
}

impl Lang {
    /// `zh…` is Chinese, anything else English.
    pub fn from_tag(tag: Option<&str>) -> Lang {
        if tag.is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("zh")) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// `en` or `zh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The locale's language (`LC_ALL`, then `LC_MESSAGES`, then `LANG`),
    /// for messages outside an incident.
    pub fn from_env() -> Lang {
        let tag = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        Lang::from_tag(tag.as_deref())
    }

    /// An incident's language: as journaled, else (older journals) guessed
    /// from its runbook (`…-zh`, or a title in Chinese).
    pub fn of_incident(inc: &crate::incident::Incident) -> Lang {
        if !inc.lang.is_empty() {
            return Lang::from_tag(Some(&inc.lang));
        }
        let cjk = inc
            .runbook
            .title
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if inc.runbook.id.ends_with("-zh") || cjk {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// `en` in `lang`.
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh(en).unwrap_or(en),
    }
}

/// `en` in `lang` with each `{}` replaced by the next of `args`.
pub fn trf(lang: Lang, en: &'static str, args: &[&dyn std::fmt::Display]) -> String {
    let template = tr(lang, en);
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// The Chinese of an English text, if it has one.
pub fn zh(en: &str) -> Option<&'static str> {
    tables().find(|(e, _)| *e == en).map(|(_, z)| *z)
}

/// Every table: the live screen's ([`ZH`]) and the other surfaces' (reports,
/// review, diagnose, history, in [`surfaces`]).
fn tables() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    ZH.iter()
        .chain(surfaces::TABLES.iter().flat_map(|t| t.iter()))
}

/// English → Chinese. Keep it sorted by where the text is used.
const ZH: &[(&str, &str)] = &[
    // The live screen: header, panes, footer.
    ("(untitled incident)", "（未命名事件）"),
    (" RESOLVED ", " 已解决 "),
    (" · saving…", " · 保存中…"),
    (" left", " 剩余"),
    ("Steps", "步骤"),
    ("Output", "输出"),
    ("Guide", "说明"),
    ("Checklist", "检查清单"),
    ("Commands", "命令"),
    ("Checks", "检查"),
    ("Notes", "备注"),
    ("Question", "问题"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_key_and_chinese_the_value() {
        assert_eq!(tr(Lang::En, "Steps"), "Steps");
        assert_eq!(tr(Lang::Zh, "Steps"), "步骤");
        assert_eq!(tr(Lang::Zh, "not in the table"), "not in the table");
        assert_eq!(trf(Lang::En, "{} of {}", &[&1, &"two"]), "1 of two");
    }

    #[test]
    fn every_text_the_sources_translate_has_its_chinese() {
        let mut missing = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for key in keys(&text) {
                        if zh(&key).is_none() {
                            missing.push(format!("{}: {key:?}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "texts without Chinese:\n{}",
            missing.join("\n")
        );
        assert!(tables().all(|(e, z)| !e.is_empty() && !z.is_empty()));
        for (e, z) in tables() {
            assert_eq!(
                e.matches("{}").count(),
                z.matches("{}").count(),
                "placeholders differ: {e:?} / {z:?}"
            );
        }
    }

    /// The string literals passed to `tr(` and `trf(` (first argument a
    /// language, second a literal).
    fn keys(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pat in ["tr(", "trf("] {
            let mut rest = text;
            while let Some(i) = rest.find(pat) {
                let before = rest[..i].chars().last();
                rest = &rest[i + pat.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let Some(q) = rest.find('"') else { break };
                // The literal must come right after `lang, ` (no other `(`).
                let first_arg = rest[..q].trim_end();
                if !first_arg.ends_with(',') || first_arg.contains(['(', ')', ';', '"']) {
                    continue;
                }
                let lit = &rest[q + 1..];
                let mut s = String::new();
                let mut chars = lit.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some(o) => s.push(o),
                            None => break,
                        },
                        '"' => break,
                        c => s.push(c),
                    }
                }
                if s != "not in the table" && s != "{} of {}" {
                    out.push(s);
                }
            }
        }
        out
    }
}
