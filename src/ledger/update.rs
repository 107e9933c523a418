//! `protoforge lock`: fold the current files into the ledger. New numbers become live entries;
//! numbers no longer used become reserved or retired (never dropped); a number given to another
//! name or an incompatible type is refused unless `--accept` names it.

use std::collections::BTreeSet;

use super::walk::{compatible, elements, field_type, value_names};
use super::{Entry, EntryKind, Ledger, State};
use crate::source::Compilation;

/// `--accept RULE:ELEMENT` (ELEMENT: `pkg.Message.3`, `pkg.Message.name`, `pkg.Enum.NAME`).
#[derive(Debug, Clone)]
pub struct Accept {
    pub rule: String,
    pub element: String,
    pub reason: String,
}

impl Accept {
    fn matches(&self, rule: &str, owner: &str, number: i64, name: &str) -> bool {
        self.rule == rule
            && (self.element == format!("{owner}.{number}")
                || self.element == format!("{owner}.{name}"))
    }
}

/// The new ledger and what happened.
#[derive(Debug, Default)]
pub struct UpdateOutcome {
    pub ledger: Ledger,
    /// Reuses not accepted: `FIELD_NUMBER_REUSED:acme.v1.Order.3 (note string -> comment string)`.
    pub refused: Vec<String>,
    /// Reuses recorded (accepted ones, or all of them with `accept_all`).
    pub accepted: Vec<String>,
    /// Entries added, changed or retired.
    pub changes: usize,
}

/// Folds `compilation` into `old`. `stamp` marks newly retired numbers (a date or a commit).
/// `owners_complete`: the compilation holds every file, so messages it lacks were deleted.
pub fn update(
    old: &Ledger,
    compilation: &Compilation,
    stamp: &str,
    accepts: &[Accept],
    accept_all: Option<&str>,
) -> UpdateOutcome {
    let mut ledger = old.clone();
    let mut out = UpdateOutcome::default();
    let mut live: BTreeSet<(EntryKind, String, i64)> = BTreeSet::new();
    let mut seen_owners: BTreeSet<(EntryKind, String)> = BTreeSet::new();
    let mut reserved_now: BTreeSet<(EntryKind, String, i64)> = BTreeSet::new();

    for loaded in compilation.lintable_targets() {
        let Some(file) = compilation.pool.get_file_by_name(&loaded.name) else {
            continue;
        };
        let (messages, enums) = elements(&file);
        for m in &messages {
            seen_owners.insert((EntryKind::Field, m.full_name().to_owned()));
            for e in ledger.of(EntryKind::Field, m.full_name()) {
                let n = e.number as u32;
                if m.reserved_ranges().any(|r| r.contains(&n)) {
                    reserved_now.insert((EntryKind::Field, m.full_name().to_owned(), e.number));
                }
            }
            for f in m.fields() {
                let (name, ty) = (f.name().to_owned(), field_type(&f));
                let key = (
                    EntryKind::Field,
                    m.full_name().to_owned(),
                    f.number() as i64,
                );
                live.insert(key.clone());
                record(
                    &mut ledger,
                    &mut out,
                    key,
                    name,
                    ty,
                    "FIELD_NUMBER_REUSED",
                    accepts,
                    accept_all,
                    compatible,
                );
            }
        }
        for en in &enums {
            seen_owners.insert((EntryKind::Value, en.full_name().to_owned()));
            for e in ledger.of(EntryKind::Value, en.full_name()) {
                let n = e.number as i32;
                if en.reserved_ranges().any(|r| r.contains(&n)) {
                    reserved_now.insert((EntryKind::Value, en.full_name().to_owned(), e.number));
                }
            }
            let numbers: BTreeSet<i32> = en.values().map(|v| v.number()).collect();
            for n in numbers {
                let key = (EntryKind::Value, en.full_name().to_owned(), n as i64);
                live.insert(key.clone());
                let names = value_names(en, n);
                let same = |old: &str, new: &str| {
                    let old: BTreeSet<&str> = old.split('|').collect();
                    new.split('|').all(|n| old.contains(n))
                };
                record(
                    &mut ledger,
                    &mut out,
                    key,
                    names,
                    "-".to_owned(),
                    "ENUM_VALUE_NUMBER_REUSED",
                    accepts,
                    accept_all,
                    |a, b| same(a, b) || a == b,
                );
            }
        }
    }

    // Numbers no longer used: reserved or retired, with the stamp of when they went.
    for (key, e) in ledger.entries.iter_mut() {
        if live.contains(key) {
            continue;
        }
        let owner_present = seen_owners.contains(&(key.0, key.1.clone()));
        let state = if owner_present && reserved_now.contains(key) {
            State::Reserved
        } else {
            State::Retired
        };
        if e.state != state {
            if e.state == State::Live && e.retired.is_none() {
                e.retired = Some(stamp.to_owned());
            }
            e.state = state;
            out.changes += 1;
        }
    }
    out.ledger = ledger;
    out
}

#[allow(clippy::too_many_arguments)]
fn record(
    ledger: &mut Ledger,
    out: &mut UpdateOutcome,
    key: (EntryKind, String, i64),
    name: String,
    ty: String,
    rule: &str,
    accepts: &[Accept],
    accept_all: Option<&str>,
    same_type: impl Fn(&str, &str) -> bool,
) {
    match ledger.entries.get_mut(&key) {
        None => {
            ledger.entries.insert(
                key.clone(),
                Entry {
                    kind: key.0,
                    owner: key.1.clone(),
                    number: key.2,
                    state: State::Live,
                    name,
                    ty,
                    retired: None,
                    was: Vec::new(),
                    accepted: None,
                },
            );
            out.changes += 1;
        }
        Some(e) => {
            let same_name = if key.0 == EntryKind::Value {
                same_type(&e.name, &name)
            } else {
                e.name == name
            };
            if same_name && (key.0 == EntryKind::Value || same_type(&e.ty, &ty)) {
                if e.state != State::Live || e.ty != ty || e.name != name {
                    out.changes += 1;
                }
                e.state = State::Live;
                e.ty = ty;
                e.name = name;
                return;
            }
            let what = format!(
                "{rule}:{}.{} ({} {} -> {} {})",
                key.1, key.2, e.name, e.ty, name, ty
            );
            let reason = accepts
                .iter()
                .find(|a| a.matches(rule, &key.1, key.2, &name))
                .map(|a| a.reason.clone())
                .or_else(|| accept_all.map(str::to_owned));
            match reason {
                Some(reason) => {
                    let pair = (e.name.clone(), e.ty.clone());
                    if !e.was.contains(&pair) {
                        e.was.push(pair);
                    }
                    e.name = name;
                    e.ty = ty;
                    e.state = State::Live;
                    e.accepted = Some(reason);
                    out.accepted.push(what);
                    out.changes += 1;
                }
                None => out.refused.push(what),
            }
        }
    }
}
