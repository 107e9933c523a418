//! Applying fixes: non-overlapping edits, applied back to front. Several insertions at one point
//! all apply, in order; identical edits (the same fix carried by several findings) apply once.

use super::Edit;

/// Applies `edits` to `text`; returns the new text and how many edits were applied. An edit that
/// overlaps an earlier one (other than an insertion at the same point) is skipped.
pub fn apply(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    // Stable: insertions at one point keep the order they came in.
    edits.sort_by_key(|e| (e.start, e.end));
    let mut unique: Vec<&Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        if !unique.contains(&edit) {
            unique.push(edit);
        }
    }
    let mut kept: Vec<&Edit> = Vec::new();
    for edit in unique {
        if edit.start > edit.end || edit.end > text.len() {
            continue;
        }
        if kept.last().is_some_and(|last| edit.start < last.end) {
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
        // Adjacent edits both apply.
        assert_eq!(apply("abc", &[edit(0, 1, "A"), edit(1, 2, "B")]).0, "ABc");
        // Two insertions at one point both apply, in order; identical edits apply once.
        let (out, n) = apply("ab", &[edit(1, 1, "X"), edit(1, 1, "Y"), edit(1, 1, "X")]);
        assert_eq!((out.as_str(), n), ("aXYb", 2));
    }
}
