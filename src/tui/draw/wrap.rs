//! Word wrapping of styled lines, so a pane knows exactly which screen row
//! each logical line lands on (ratatui's own wrapping does not tell).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

/// A paragraph of `lines` wrapped to `width` columns by [`wrap`], for every
/// pane and dialog that wraps: ratatui 0.30's own wrapping can put a wide
/// glyph past its area (over a border, and past the frame's edge it
/// panics: ratatui#2679), and Chinese text is full of wide glyphs.
pub fn paragraph<'a>(lines: impl IntoIterator<Item = Line<'a>>, width: u16) -> Paragraph<'static> {
    let rows: Vec<Line<'static>> = lines
        .into_iter()
        .flat_map(|l| wrap(&owned(l), usize::from(width), 0))
        .collect();
    Paragraph::new(rows)
}

fn owned(line: Line<'_>) -> Line<'static> {
    let spans: Vec<Span<'static>> = line
        .spans
        .into_iter()
        .map(|s| Span::styled(s.content.into_owned(), s.style))
        .collect();
    Line::from(spans).style(line.style)
}

/// Wraps `line` to `width` columns at spaces (hard-splitting words longer
/// than a row; CJK text breaks anywhere). The line's own style is kept on
/// every row; continuation rows are indented by `indent` spaces.
pub fn wrap(line: &Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = indent.min(width / 2);
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut col = 0usize;
    // Split into (text, style) tokens: runs of spaces and runs of non-spaces.
    let mut tokens: Vec<(String, Style)> = Vec::new();
    for span in &line.spans {
        let mut cur = String::new();
        let mut cur_space = None;
        for c in span.content.chars() {
            // Closing punctuation never starts a row (Chinese typesetting):
            // it stays with what it closes, which moves down with it.
            if is_closing(c) {
                if !cur.is_empty() && cur_space == Some(false) {
                    cur.push(c);
                    continue;
                }
                if cur.is_empty()
                    && let Some((last, last_style)) = tokens.last_mut()
                    && !last.ends_with(' ')
                    && *last_style == span.style
                {
                    last.push(c);
                    cur_space = None;
                    continue;
                }
            }
            let is_space = c == ' ';
            let wide = c.width().unwrap_or(0) > 1;
            if cur_space != Some(is_space) || wide {
                if !cur.is_empty() {
                    tokens.push((std::mem::take(&mut cur), span.style));
                }
                cur_space = Some(is_space);
            }
            cur.push(c);
            if wide {
                tokens.push((std::mem::take(&mut cur), span.style));
                cur_space = None;
            }
        }
        if !cur.is_empty() {
            tokens.push((cur, span.style));
        }
    }
    let new_row = |rows: &mut Vec<Vec<Span<'static>>>, col: &mut usize| {
        rows.push(vec![Span::raw(" ".repeat(indent))]);
        *col = indent;
    };
    for (text, style) in tokens {
        let w: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
        if col + w <= width {
            push(&mut rows, text, style);
            col += w;
            continue;
        }
        if text.starts_with(' ') {
            // A space at the end of a row is dropped, not carried.
            new_row(&mut rows, &mut col);
            continue;
        }
        if w <= width - indent && col > indent {
            new_row(&mut rows, &mut col);
            push(&mut rows, text, style);
            col += w;
            continue;
        }
        // Longer than a row: split by characters.
        let mut piece = String::new();
        for c in text.chars() {
            let cw = c.width().unwrap_or(0);
            if col + cw > width {
                // Closing punctuation takes the character it closes along
                // (and any closing punctuation between them).
                let mut carry = String::new();
                if is_closing(c) {
                    let keep = piece
                        .char_indices()
                        .rev()
                        .find(|(_, ch)| !is_closing(*ch))
                        .map(|(i, _)| i);
                    match keep {
                        Some(i) if i > 0 => carry = piece.split_off(i),
                        // Nothing to take in this piece: the row's last
                        // character (from an earlier token) comes down.
                        _ => {
                            if let Some(ch) = take_last(&mut rows) {
                                push(&mut rows, std::mem::take(&mut piece), style);
                                new_row(&mut rows, &mut col);
                                if let Some(r) = rows.last_mut() {
                                    r.push(ch);
                                }
                                col += rows.last().and_then(|r| r.last()).map_or(0, |s| s.width());
                                piece.push(c);
                                col += cw;
                                continue;
                            }
                        }
                    }
                }
                push(&mut rows, std::mem::take(&mut piece), style);
                new_row(&mut rows, &mut col);
                col += carry
                    .chars()
                    .map(|ch| ch.width().unwrap_or(0))
                    .sum::<usize>();
                piece = carry;
            }
            piece.push(c);
            col += cw;
        }
        push(&mut rows, piece, style);
    }
    rows.into_iter()
        .map(|mut spans| {
            // Spaces that ended a row are not shown.
            let n = spans.len();
            if n > 1 && spans.last().is_some_and(|s| s.content.trim().is_empty()) {
                spans.pop();
            }
            Line::from(spans).style(line.style)
        })
        .collect()
}

/// Takes the last character of the row being filled (with its style), if
/// it is not a space and not the row's only character.
fn take_last(rows: &mut [Vec<Span<'static>>]) -> Option<Span<'static>> {
    let row = rows.last_mut()?;
    let chars: usize = row.iter().map(|s| s.content.chars().count()).sum();
    let span = row.last_mut()?;
    let last = span.content.chars().last()?;
    if chars < 2 || last == ' ' || is_closing(last) {
        return None;
    }
    let mut text = span.content.to_string();
    text.pop();
    let style = span.style;
    span.content = text.into();
    if span.content.is_empty() {
        row.pop();
    }
    Some(Span::styled(last.to_string(), style))
}

/// Punctuation that must not start a line: `，。、；：！？）」』】》…` and
/// their ASCII kin.
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '〉'
            | '…'
            | '”'
            | '’'
    )
}

fn push(rows: &mut [Vec<Span<'static>>], text: String, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(row) = rows.last_mut() {
        row.push(Span::styled(text, style));
    }
}

/// A bullet (`- `, `* `, `• `) at the start of `text` (after its indent).
fn is_bullet(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ")
}

/// A list item: a bullet, or a number followed by `.` or `)` and a space.
fn is_item(text: &str) -> bool {
    is_bullet(text)
        || text
            .trim_start()
            .split_once(['.', ')'])
            .is_some_and(|(n, rest)| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ')
            })
}

/// A guide's lines as paragraphs to wrap: runbook authors break prose at
/// about 80 columns, which wrapped again in a narrower pane leaves ragged
/// half-lines. A line joins the one before it when both are prose: the one
/// before is not empty, not indented and does not end a heading (`:`), and
/// this one is not empty, not indented and not a list item. Indented lines
/// (tables, examples) and list items stay as written.
pub fn reflow(text: &str) -> Vec<String> {
    let prose = |l: &str| !l.trim().is_empty() && !l.starts_with([' ', '\t']);
    let mut out: Vec<String> = Vec::new();
    let mut joinable = false;
    for line in text.lines() {
        match out.last_mut() {
            Some(prev) if joinable && prose(line) && !is_item(line) => {
                // Chinese and Japanese prose has no spaces between lines.
                let wide =
                    |c: Option<char>| c.and_then(unicode_width::UnicodeWidthChar::width) == Some(2);
                if !(wide(prev.chars().last()) && wide(line.chars().next())) {
                    prev.push(' ');
                }
                prev.push_str(line.trim_end());
            }
            _ => out.push(line.trim_end().to_string()),
        }
        let last = out.last().map(String::as_str).unwrap_or("");
        joinable = prose(line) && !last.ends_with(':');
    }
    out
}

/// Where a wrapped guide line continues: under the text of a bulleted item,
/// further in for an indented line (a table row, an example), at the left
/// edge for prose.
pub fn hanging_indent(text: &str) -> usize {
    let lead = text.len() - text.trim_start_matches(' ').len();
    if is_bullet(text) {
        lead + 2
    } else if lead > 0 {
        lead + 4
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn chinese_closing_punctuation_never_starts_a_row() {
        // Ten columns hold five characters: the comma would start row 2.
        let rows = wrap(&Line::from("一二三四五，六七八九十。"), 10, 0);
        let t: Vec<String> = rows.iter().map(text).collect();
        assert_eq!(t, ["一二三四", "五，六七八", "九十。"]);
        for width in 8..40 {
            for r in wrap(
                &Line::from("故障：节点磁盘满了，消息堆积（约 5 万条）。请扩容！"),
                width,
                0,
            ) {
                let first = text(&r).chars().next();
                assert!(
                    !first.is_some_and(is_closing),
                    "width {width}: {:?} in {:?}",
                    text(&r),
                    wrap(
                        &Line::from("故障：节点磁盘满了，消息堆积（约 5 万条）。请扩容！"),
                        width,
                        0
                    )
                    .iter()
                    .map(text)
                    .collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn wraps_at_spaces_and_splits_long_words() {
        let rows = wrap(&Line::from("the quick brown fox jumps"), 10, 0);
        let t: Vec<String> = rows.iter().map(text).collect();
        assert_eq!(t, ["the quick", "brown fox", "jumps"]);
        let rows = wrap(&Line::from("abcdefghijkl"), 5, 0);
        assert_eq!(
            rows.iter().map(text).collect::<Vec<_>>(),
            ["abcde", "fghij", "kl"]
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let rows = wrap(&Line::from("确认故障现象并记录"), 6, 0);
        assert_eq!(
            rows.iter().map(text).collect::<Vec<_>>(),
            ["确认故", "障现象", "并记录"]
        );
    }

    #[test]
    fn reflow_joins_prose_and_keeps_tables_lists_and_headings() {
        let guide = "What fails, for whom,\nsince when?\nMap the error:\n  refused  → a\n  403      → b\n- one item\n- two\n\n1. first\nnext para\ncontinues";
        let want = [
            "What fails, for whom, since when? Map the error:",
            "  refused  → a",
            "  403      → b",
            "- one item",
            "- two",
            "",
            "1. first next para continues",
        ];
        assert_eq!(reflow(guide), want);
        assert_eq!(
            reflow("先确认现象，\n再看日志。"),
            ["先确认现象，再看日志。"]
        );
    }
}
