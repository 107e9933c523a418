use crate::rules::declare_rule;

declare_rule! {
    /// The file is laid out as `protoforge format` (and `buf format`) writes it (`check`, with
    /// `[format] check = true`).
    ///
    /// ## What it does
    /// Reports a file that `protoforge format` would change: its layout is not the one
    /// `buf format` writes (indentation, spacing, one blank line at most, the header sorted).
    /// Only `check` reports it, and only with `[format] check = true` in protoforge.toml.
    ///
    /// ## Why
    /// One layout for everybody keeps diffs to what changed. It is the layout `buf format`
    /// writes, so a team that formats with buf and one that formats with protoforge agree.
    ///
    /// ## Example
    /// ```proto
    /// message  Order{string id=1;}
    /// ```
    ///
    /// ## Fix
    /// Run `protoforge format -w` on the file, or `protoforge check --fix`.
    pub struct Format;
}
