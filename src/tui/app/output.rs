//! Scrolling and searching the output pane.

use crate::tui::app::App;

impl App {
    pub(crate) fn scroll(&mut self, up: i32) {
        let len = self
            .output_run()
            .and_then(|r| self.tails.get(&r))
            .map_or(0, |t| t.len());
        let v = self.output.from_bottom as i64 + i64::from(up);
        self.output.from_bottom = v.clamp(0, len.saturating_sub(1) as i64) as usize;
    }

    pub(crate) fn jump_match(&mut self, forward: bool) {
        let (Some(pattern), Some(tail)) = (
            self.output.search.clone(),
            self.output_run().and_then(|r| self.tails.get(&r)),
        ) else {
            return;
        };
        let needle = pattern.to_lowercase();
        let lines: Vec<String> = tail
            .lines()
            .map(|l| crate::text::styled::plain(l).to_lowercase())
            .collect();
        let len = lines.len();
        if len == 0 {
            return;
        }
        let start = self.output.current_match.unwrap_or(len);
        let found = if forward {
            (start + 1..len)
                .chain(0..=start.min(len - 1))
                .find(|i| lines[*i].contains(&needle))
        } else {
            (0..start.min(len))
                .rev()
                .chain((start.min(len - 1)..len).rev())
                .find(|i| lines[*i].contains(&needle))
        };
        match found {
            Some(i) => {
                self.output.current_match = Some(i);
                self.output.from_bottom = len - 1 - i;
            }
            None => {
                self.flash = Some(crate::i18n::trf(
                    self.lang(),
                    "no match for “{}”",
                    &[&pattern],
                ));
            }
        }
    }
}
