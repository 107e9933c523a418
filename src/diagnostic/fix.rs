//! Applying fixes: non-overlapping edits, applied back to front.

use super::Edit;

/// Applies `edits` to `text`. Edits that overlap an earlier one are skipped; returns the new text
/// and how many edits were applied.
pub fn apply(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.start, e.end));
    let mut kept: Vec<&Edit> = Vec::new();
    for edit in edits {
        if edit.start > edit.end || edit.end > text.len() {
            continue;
        }
        if kept.last().is_some_and(|last| {
            edit.start < last.end
                || (edit.start == last.start && edit.start == edit.end && last.start == last.end)
        }) {
            continue;
        }
        kept.push(edit);
    }
    let mut out = text.to_owned();
    for edit in kept.iter().rev() {
        out.replace_range(edit.start..edit.end, &edit.replacement);
    }
    (out, kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, r: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: r.into(),
        }
    }

    #[test]
    fn applies_and_skips_overlaps() {
        let (out, n) = apply(
            "abcdef",
            &[edit(4, 5, "E"), edit(0, 1, ""), edit(0, 2, "x")],
        );
        assert_eq!(out, "bcdEf");
        assert_eq!(n, 2);
        assert_eq!(apply("abc", &[edit(0, 0, "X")]).0, "Xabc");
        assert_eq!(apply("abc", &[edit(2, 9, "X")]).1, 0);
    }
}
