//! The committed conformance table (`tests/spec/STATUS.md`): per script and target, assertions
//! passed out of the total. The runner regenerates it; the ratchet compares a fresh run with it
//! so that nothing that passed can silently start failing.

use std::collections::BTreeMap;

/// passed / total of one script on one target.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct Score {
    pub passed: usize,
    pub total: usize,
}

impl Score {
    pub fn complete(self) -> bool {
        self.total > 0 && self.passed == self.total
    }
}

/// file name → target name → score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatusTable {
    pub rows: BTreeMap<String, BTreeMap<String, Score>>,
}

const HEADER: &str = "# Spec conformance: WebAssembly 2.0 core test suite

Every assertion of every script in `../shared/spec/wasm-2.0/` is run by `wasmc wast`; an
assertion that cannot run counts as failed. Regenerate this file with

    scripts/spec.sh --bless

CI runs the suite and fails if any script passes fewer assertions than recorded here.
";

impl StatusTable {
    /// Targets in column order.
    pub fn targets(&self) -> Vec<String> {
        let mut t: Vec<String> = self.rows.values().flat_map(|r| r.keys().cloned()).collect();
        t.sort();
        t.dedup();
        t
    }

    pub fn set(&mut self, file: &str, target: &str, score: Score) {
        self.rows.entry(file.to_string()).or_default().insert(target.to_string(), score);
    }

    /// Markdown, with totals per target at the top.
    pub fn render(&self) -> String {
        let targets = self.targets();
        let mut out = String::from(HEADER);
        out.push_str("\n| target | scripts fully passing | assertions passed |\n|---|---|---|\n");
        for t in &targets {
            let scores: Vec<Score> = self.rows.values().filter_map(|r| r.get(t).copied()).collect();
            let complete = scores.iter().filter(|s| s.complete()).count();
            let passed: usize = scores.iter().map(|s| s.passed).sum();
            let total: usize = scores.iter().map(|s| s.total).sum();
            out.push_str(&format!("| {t} | {complete}/{} | {passed}/{total} |\n", scores.len()));
        }
        out.push_str("\n| script |");
        for t in &targets {
            out.push_str(&format!(" {t} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(targets.len()));
        out.push('\n');
        for (file, row) in &self.rows {
            out.push_str(&format!("| {file} |"));
            for t in &targets {
                match row.get(t) {
                    Some(s) => {
                        let mark = if s.complete() { " ✓" } else { "" };
                        out.push_str(&format!(" {}/{}{mark} |", s.passed, s.total));
                    }
                    None => out.push_str(" - |"),
                }
            }
            out.push('\n');
        }
        out
    }

    /// Read a table written by [`render`](Self::render); lines that are not score rows are
    /// ignored.
    pub fn parse(text: &str) -> StatusTable {
        let mut table = StatusTable::default();
        let mut targets: Vec<String> = Vec::new();
        for line in text.lines() {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            if cells.first() == Some(&"script") {
                targets = cells[1..].iter().map(|s| s.to_string()).collect();
                continue;
            }
            if targets.is_empty() || cells.len() != targets.len() + 1 || !cells[0].ends_with(".wast") {
                continue;
            }
            for (t, cell) in targets.iter().zip(&cells[1..]) {
                let cell = cell.trim_end_matches('✓').trim();
                if let Some((p, n)) = cell.split_once('/') {
                    if let (Ok(passed), Ok(total)) = (p.trim().parse(), n.trim().parse()) {
                        table.set(cells[0], t, Score { passed, total });
                    }
                }
            }
        }
        table
    }

    /// Regressions of `now` against this (committed) table for `target`: a script that
    /// passes fewer assertions than recorded. Scripts not in `now` are not judged.
    pub fn regressions(&self, now: &StatusTable, target: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (file, row) in &self.rows {
            let (Some(before), Some(after)) = (row.get(target), now.rows.get(file).and_then(|r| r.get(target))) else {
                continue;
            };
            if after.passed < before.passed {
                out.push(format!(
                    "{file} ({target}): {} assertions passed, {} recorded in the status table",
                    after.passed, before.passed
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StatusTable {
        let mut t = StatusTable::default();
        t.set("a.wast", "x86_64-linux", Score { passed: 10, total: 10 });
        t.set("b.wast", "x86_64-linux", Score { passed: 3, total: 5 });
        t.set("b.wast", "aarch64-linux", Score { passed: 5, total: 5 });
        t
    }

    #[test]
    fn render_then_parse_round_trips() {
        let t = sample();
        let text = t.render();
        assert!(text.contains("| x86_64-linux | 1/2 | 13/15 |"), "{text}");
        assert!(text.contains("| a.wast | - | 10/10 ✓ |"), "{text}");
        assert_eq!(StatusTable::parse(&text), t);
    }

    #[test]
    fn fewer_passes_is_a_regression_and_more_is_not() {
        let before = sample();
        let mut now = sample();
        assert!(before.regressions(&now, "x86_64-linux").is_empty());
        now.set("b.wast", "x86_64-linux", Score { passed: 4, total: 5 });
        assert!(before.regressions(&now, "x86_64-linux").is_empty());
        now.set("a.wast", "x86_64-linux", Score { passed: 9, total: 10 });
        let r = before.regressions(&now, "x86_64-linux");
        assert_eq!(r.len(), 1);
        assert!(r[0].starts_with("a.wast"), "{r:?}");
        assert!(before.regressions(&now, "aarch64-linux").is_empty(), "b.wast not run on aarch64 now");
    }
}
