//! Output comparison: a runner's stdout must be byte-identical to the reference's.

/// Where two outputs first differ, described for a person reading the progress log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Byte offset of the first differing byte (or of the end of the shorter output).
    pub offset: usize,
    pub expected_len: usize,
    pub actual_len: usize,
    /// The line around the difference in each output, lossily decoded and shortened.
    pub expected_line: String,
    pub actual_line: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "outputs differ at byte {} (expected {} bytes, got {}): expected {:?}, got {:?}",
            self.offset, self.expected_len, self.actual_len, self.expected_line, self.actual_line
        )
    }
}

/// `None` when `actual` equals `expected` byte for byte; otherwise where they first differ.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> Option<Difference> {
    let common = expected
        .iter()
        .zip(actual)
        .take_while(|(e, a)| e == a)
        .count();
    if common == expected.len() && common == actual.len() {
        return None;
    }
    Some(Difference {
        offset: common,
        expected_len: expected.len(),
        actual_len: actual.len(),
        expected_line: line_around(expected, common),
        actual_line: line_around(actual, common),
    })
}

const MAX_LINE_CHARS: usize = 80;

/// The line containing byte `offset` (or the last line when `offset` is at the end).
fn line_around(bytes: &[u8], offset: usize) -> String {
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| offset + p);
    let line = String::from_utf8_lossy(&bytes[start..end]);
    if line.chars().count() > MAX_LINE_CHARS {
        line.chars()
            .take(MAX_LINE_CHARS)
            .chain("…".chars())
            .collect()
    } else {
        line.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_outputs_have_no_difference() {
        assert_eq!(first_difference(b"sum 42\n", b"sum 42\n"), None);
        assert_eq!(first_difference(b"", b""), None);
    }

    #[test]
    fn reports_the_first_differing_byte_and_its_line() {
        let d = first_difference(b"a 1\nsum 42\nend\n", b"a 1\nsum 43\nend\n").unwrap();
        assert_eq!(d.offset, 9);
        assert_eq!(d.expected_line, "sum 42");
        assert_eq!(d.actual_line, "sum 43");
    }

    #[test]
    fn a_prefix_is_a_difference() {
        let d = first_difference(b"one\ntwo\n", b"one\n").unwrap();
        assert_eq!((d.offset, d.expected_len, d.actual_len), (4, 8, 4));
        assert_eq!(d.expected_line, "two");
        assert_eq!(d.actual_line, "");
    }

    #[test]
    fn binary_and_long_lines_are_shown_safely() {
        let long = vec![b'x'; 500];
        let mut other = long.clone();
        other[300] = 0xff;
        let d = first_difference(&long, &other).unwrap();
        assert_eq!(d.offset, 300);
        assert!(d.actual_line.chars().count() <= MAX_LINE_CHARS + 1);
        assert!(d.to_string().contains("byte 300"));
    }
}
