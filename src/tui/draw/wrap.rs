//! Word wrapping of styled lines, so a pane knows exactly which screen row
//! each logical line lands on (ratatui's own wrapping does not tell).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

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
                push(&mut rows, std::mem::take(&mut piece), style);
                new_row(&mut rows, &mut col);
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

fn push(rows: &mut [Vec<Span<'static>>], text: String, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(row) = rows.last_mut() {
        row.push(Span::styled(text, style));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
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
}
