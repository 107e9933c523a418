//! protoforge.lock: the ledger of every field and enum value number each message and enum has
//! ever used, with the name and type each number had and whether it is live, reserved or
//! retired. Retired entries are never dropped, so a number reused after it was deleted, reserved,
//! un-reserved or forgotten is still caught.
//!
//! The format is text, one entry per line, sorted, with a header:
//! `field acme.shop.v1.Order 3 retired note string retired=2026-11-21`. Lines are independent, so
//! git's `merge=union` (see `.gitattributes`) merges two branches that add fields cleanly.

mod check;

mod update;
mod walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use check::{NEXT_STEP, NOT_RESERVED, check};
pub use update::{Accept, update};

use crate::config::Config;
use crate::error::Result;

/// The lock file name.
pub const FILE_NAME: &str = "protoforge.lock";

/// Where the lock lives: next to the configuration (or in the working directory).
pub fn lock_path(config: &Config) -> PathBuf {
    config.base.join(FILE_NAME)
}

/// Field or enum value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Field,
    Value,
}

impl EntryKind {
    fn as_str(self) -> &'static str {
        match self {
            EntryKind::Field => "field",
            EntryKind::Value => "value",
        }
    }
}

/// Whether a number is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Used by a field or value now.
    Live,
    /// No longer used, and reserved.
    Reserved,
    /// No longer used and not reserved: a gap that `FIELD_NUMBER_NOT_RESERVED` reports.
    Retired,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Live => "live",
            State::Reserved => "reserved",
            State::Retired => "retired",
        }
    }

    fn parse(s: &str) -> Option<State> {
        match s {
            "live" => Some(State::Live),
            "reserved" => Some(State::Reserved),
            "retired" => Some(State::Retired),
            _ => None,
        }
    }
}

/// One number of one message or enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// Full name of the message or enum.
    pub owner: String,
    pub number: i64,
    pub state: State,
    /// The latest name the number had.
    pub name: String,
    /// The latest type (`string`, `acme.v1.Money[]`, `map<string,int32>`; `-` for enum values).
    pub ty: String,
    /// When it stopped being used.
    pub retired: Option<String>,
    /// Earlier (name, type) pairs, for reuses that were accepted.
    pub was: Vec<(String, String)>,
    /// Why a reuse was accepted.
    pub accepted: Option<String>,
}

type Key = (EntryKind, String, i64);

/// The whole ledger, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub entries: BTreeMap<Key, Entry>,
}

const HEADER: &str = "\
# protoforge.lock: every field and enum value number each message and enum has ever used.
# Written by `protoforge lock`; commit it. Entries are never removed: a retired number must stay
# reserved and must never be given to another field. One entry per line, sorted; merge with
# `protoforge.lock merge=union` in .gitattributes, then run `protoforge lock`.
# <field|value> <message or enum> <number> <live|reserved|retired> <name> <type> [retired=<when>] [was=<name>:<type>,...] [accepted=\"<why>\"]
";

impl Ledger {
    /// The entries of one message or enum.
    pub fn of<'a>(
        &'a self,
        kind: EntryKind,
        owner: &'a str,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .range((kind, owner.to_owned(), i64::MIN)..=(kind, owner.to_owned(), i64::MAX))
            .map(|(_, e)| e)
    }

    pub fn get(&self, kind: EntryKind, owner: &str, number: i64) -> Option<&Entry> {
        self.entries.get(&(kind, owner.to_owned(), number))
    }

    /// The text of the lock file: header, then one sorted line per entry.
    pub fn to_text(&self) -> String {
        let mut out = String::from(HEADER);
        for e in self.entries.values() {
            out.push_str(&format!(
                "{} {} {} {} {} {}",
                e.kind.as_str(),
                e.owner,
                e.number,
                e.state.as_str(),
                e.name,
                e.ty
            ));
            if let Some(r) = &e.retired {
                out.push_str(&format!(" retired={r}"));
            }
            if !e.was.is_empty() {
                let was: Vec<String> = e.was.iter().map(|(n, t)| format!("{n}:{t}")).collect();
                out.push_str(&format!(" was={}", was.join(",")));
            }
            if let Some(a) = &e.accepted {
                out.push_str(&format!(
                    " accepted={}",
                    serde_json::to_string(a).unwrap_or_default()
                ));
            }
            out.push('\n');
        }
        out
    }

    /// Parses lock text. Lines of a union merge may repeat a key; they are combined.
    pub fn parse(text: &str) -> std::result::Result<Ledger, (usize, String)> {
        let mut ledger = Ledger::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse_line(line).map_err(|e| (i + 1, e))?;
            let key = (entry.kind, entry.owner.clone(), entry.number);
            match ledger.entries.get_mut(&key) {
                None => {
                    ledger.entries.insert(key, entry);
                }
                Some(existing) => merge_duplicate(existing, entry),
            }
        }
        Ok(ledger)
    }
}

/// Two lines for one number (two branches changed it): keep both names in the history.
fn merge_duplicate(existing: &mut Entry, other: Entry) {
    if existing.name != other.name || existing.ty != other.ty {
        let pair = (other.name.clone(), other.ty.clone());
        if !existing.was.contains(&pair) {
            existing.was.push(pair);
        }
    }
    for pair in other.was {
        if !existing.was.contains(&pair) {
            existing.was.push(pair);
        }
    }
    if existing.state != State::Live && other.state == State::Live {
        existing.state = State::Live;
    }
    if existing.retired.is_none() {
        existing.retired = other.retired;
    }
    if existing.accepted.is_none() {
        existing.accepted = other.accepted;
    }
}

fn parse_line(line: &str) -> std::result::Result<Entry, String> {
    let mut rest = line;
    let mut next = |what: &str| -> std::result::Result<String, String> {
        let t = rest.trim_start();
        if t.is_empty() {
            return Err(format!("missing {what}"));
        }
        let end = t.find(' ').unwrap_or(t.len());
        let token = t[..end].to_owned();
        rest = &t[end..];
        Ok(token)
    };
    let kind = match next("kind")?.as_str() {
        "field" => EntryKind::Field,
        "value" => EntryKind::Value,
        other => return Err(format!("expected `field` or `value`, found `{other}`")),
    };
    let owner = next("message or enum name")?;
    let number_text = next("number")?;
    let number: i64 = number_text
        .parse()
        .map_err(|_| format!("`{number_text}` is not a number"))?;
    let state_text = next("state")?;
    let state = State::parse(&state_text)
        .ok_or_else(|| format!("state must be live, reserved or retired, not `{state_text}`"))?;
    let name = next("name")?;
    let ty = next("type")?;
    let mut entry = Entry {
        kind,
        owner,
        number,
        state,
        name,
        ty,
        retired: None,
        was: Vec::new(),
        accepted: None,
    };
    loop {
        let t = rest.trim_start();
        if t.is_empty() {
            break;
        }
        if let Some(value) = t.strip_prefix("accepted=") {
            let mut de = serde_json::Deserializer::from_str(value).into_iter::<String>();
            let reason = de
                .next()
                .and_then(|r| r.ok())
                .ok_or_else(|| "accepted= needs a quoted reason".to_owned())?;
            let used = de.byte_offset();
            entry.accepted = Some(reason);
            rest = &value[used..];
            continue;
        }
        let end = t.find(' ').unwrap_or(t.len());
        let token = &t[..end];
        rest = &t[end..];
        if let Some(v) = token.strip_prefix("retired=") {
            entry.retired = Some(v.to_owned());
        } else if let Some(v) = token.strip_prefix("was=") {
            for pair in v.split(',').filter(|p| !p.is_empty()) {
                let (n, t) = pair
                    .split_once(':')
                    .ok_or_else(|| format!("`was={v}` must list name:type pairs"))?;
                entry.was.push((n.to_owned(), t.to_owned()));
            }
        } else {
            return Err(format!("unknown attribute `{token}`"));
        }
    }
    Ok(entry)
}

/// Reads a lock file; a malformed line is an error that names it.
pub fn read(path: &Path) -> Result<Ledger> {
    let text = std::fs::read_to_string(path).map_err(|err| crate::error::Error::io(path, err))?;
    Ledger::parse(&text).map_err(|(line, message)| {
        let start = text
            .lines()
            .take(line - 1)
            .map(|l| l.len() + 1)
            .sum::<usize>();
        let len = text.lines().nth(line - 1).map(str::len).unwrap_or(0);
        crate::config::config_error(
            path,
            &text,
            format!("`{}` line {line}: {message}", path.display()),
            Some(start..start + len.max(1)),
            Some("fix the line by hand, or restore the file from version control and run `protoforge lock`".into()),
        )
    })
}

/// Writes the lock file.
pub fn write(path: &Path, ledger: &Ledger) -> Result<()> {
    std::fs::write(path, ledger.to_text()).map_err(|err| crate::error::Error::io(path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_nonsense() {
        let text = format!(
            "{HEADER}field a.v1.M 1 live id string\nfield a.v1.M 3 retired note string retired=2026-01-02 was=old:int32 accepted=\"renamed on purpose\"\nvalue a.v1.E 0 live E_UNSPECIFIED -\n"
        );
        let ledger = Ledger::parse(&text).unwrap();
        assert_eq!(ledger.entries.len(), 3);
        assert_eq!(ledger.to_text(), text);
        let e = ledger.get(EntryKind::Field, "a.v1.M", 3).unwrap();
        assert_eq!(e.accepted.as_deref(), Some("renamed on purpose"));
        assert_eq!(e.was, vec![("old".to_owned(), "int32".to_owned())]);
        for bad in [
            "fiel a.v1.M 1 live id string",
            "field a.v1.M one live id string",
            "field a.v1.M 1 alive id string",
            "field a.v1.M 1 live id",
            "field a.v1.M 1 live id string colour=blue",
            "field a.v1.M 1 live id string accepted=unquoted",
        ] {
            assert!(Ledger::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn union_merge_duplicates_combine() {
        let text = "field a.v1.M 5 live a string\nfield a.v1.M 5 live b string\nfield a.v1.M 6 live c int32\n";
        let ledger = Ledger::parse(text).unwrap();
        let e = ledger.get(EntryKind::Field, "a.v1.M", 5).unwrap();
        assert_eq!(e.name, "a");
        assert_eq!(e.was, vec![("b".to_owned(), "string".to_owned())]);
    }
}
