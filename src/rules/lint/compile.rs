use crate::rules::declare_rule;

declare_rule! {
    /// The file parses, its imports resolve and it links (always on).
    ///
    /// ## What it does
    /// Reports everything that stops a file from compiling: syntax errors, unresolved types and
    /// imports, import cycles, duplicate or reserved field numbers and names, numbers outside the
    /// valid range (1 to 536,870,911, except 19,000 to 19,999), unknown options, empty files and
    /// files that are not UTF-8.
    ///
    /// ## Why
    /// A file that does not compile cannot be linted, generated or compared. Each problem is
    /// reported at its place, and one broken file does not hide what is wrong in the others.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string id = 1;
    ///   string note = 1; // field number 1 is already used
    /// }
    /// ```
    ///
    /// ## Fix
    /// Follow the message and its help: give the field its own number, add the missing
    /// `import "google/protobuf/timestamp.proto";`, correct the option name. This rule is always on.
    pub struct Compile;
}
