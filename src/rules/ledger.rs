//! Documentation of the ledger's rules, for the registry (the checks themselves are in
//! `crate::ledger`, which reports under these IDs).

use crate::rules::declare_rule;

declare_rule! {
    /// No field number is given a new name or incompatible type (protoforge.lock).
    ///
    /// ## What it does
    /// Checks, against protoforge.lock, that no field number is given to a different name or an
    /// incompatible type than the one history gave it, even if the old field was deleted,
    /// reserved, un-reserved or the lock updated in between.
    ///
    /// ## Why
    /// Old data and old clients still carry the number with its old meaning. A new field on that
    /// number decodes their bytes as something else: silent corruption that no single-baseline
    /// diff catches once the deletion is a few versions back.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string comment = 3; // protoforge.lock: 3 was `note` (int32), retired 2026-03-01
    /// }
    /// ```
    ///
    /// ## Fix
    /// Give the field a new number and add `reserved 3;`. If the reuse is intended (the old field
    /// never shipped), record it: `protoforge lock --accept FIELD_NUMBER_REUSED:acme.v1.Order.3
    /// --reason "never released"`.
    pub struct FieldNumberReused;
}

declare_rule! {
    /// No enum value number is given a new name (protoforge.lock).
    ///
    /// ## What it does
    /// Checks, against protoforge.lock, that no enum value number is given to a different name
    /// than the one history gave it.
    ///
    /// ## Why
    /// Stored data and old clients send the number with its old meaning; JSON clients send the old
    /// name. Either way a reused number means the wrong thing.
    ///
    /// ## Example
    /// ```proto
    /// enum Status {
    ///   STATUS_UNSPECIFIED = 0;
    ///   STATUS_CANCELLED = 2; // protoforge.lock: 2 was STATUS_REFUNDED
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use a new number and add `reserved 2;`, or accept the reuse with `protoforge lock --accept
    /// ENUM_VALUE_NUMBER_REUSED:acme.v1.Status.2`.
    pub struct EnumValueNumberReused;
}

declare_rule! {
    /// Field numbers in protoforge.lock are used or reserved (fixable).
    ///
    /// ## What it does
    /// Checks that every field number protoforge.lock records for a message is either still used
    /// or reserved.
    ///
    /// ## Why
    /// A number that is neither used nor reserved is an invitation: the next field added gets it,
    /// and old data fills that field with a value of the deleted one.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string id = 1;
    ///   // field 3 `note` was deleted; protoforge.lock still remembers it
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `reserved 3;` to the message (`--fix` does this).
    pub struct FieldNumberNotReserved;
}

declare_rule! {
    /// Enum value numbers in protoforge.lock are used or reserved (fixable).
    ///
    /// ## What it does
    /// Checks that every enum value number protoforge.lock records for an enum is either still
    /// used or reserved.
    ///
    /// ## Why
    /// An unreserved old number gets reused by the next value added, and old data then means the
    /// new value.
    ///
    /// ## Example
    /// ```proto
    /// enum Status {
    ///   STATUS_UNSPECIFIED = 0;
    ///   // STATUS_DONE = 1 was deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `reserved 1;` to the enum (`--fix` does this).
    pub struct EnumValueNumberNotReserved;
}
