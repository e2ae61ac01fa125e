//! Records: one folder per letter, made whole in one rename, and a history that only grows.
//!
//! A record is made in a hidden folder (`records/.new-…`) and renamed into place when every file
//! in it is on disk, so a crash leaves either no record or a whole one. Afterwards iep changes
//! only `record.toml`, and only by appending a `[[history]]` entry: the new file is written
//! beside it and renamed over it, holding the case lock. (`iep edit` replaces `letter.txt` and
//! `letter.eml` of a letter not yet sent; the send lock file, `.send.lock`, sits beside them.) A record.toml that does not parse
//! (edited by hand) is reported by path, line and column, left exactly as it is, and the other
//! records load as usual.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

pub use crate::people::Person;

/// The facts file of a record.
pub const RECORD_FILE: &str = "record.toml";
/// The letter as written.
pub const LETTER_FILE: &str = "letter.txt";
/// Its answers.
pub const ANSWERS_FILE: &str = "answers.toml";
/// The email, for the family's own mail program and for sending.
pub const EML_FILE: &str = "letter.eml";
/// The exact bytes the mail server accepted, written when iep sent the letter.
pub const SENT_FILE: &str = "sent.eml";

const HEADER: &str = "# iep record of one letter: the letter is letter.txt, its answers answers.toml.\n# iep never changes what is here; it only adds [[history]] entries at the end.\n\n";

/// What happened to a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Written and saved.
    Written,
    /// Sent (by iep, or the family says they sent it: `iep sent`).
    Sent,
    /// A send failed for now (the network, the account, a server that said "try later"):
    /// `iep send --queued` tries again.
    Failed,
    /// The server refused the letter itself (a 5xx answer): it waits in the outbox for the
    /// parent to change something, and `--queued` does not try it again.
    Refused,
    /// iep was about to hand the letter to the server (written before connecting, under the
    /// record's send lock). Still the last entry after the run ended: the run was stopped
    /// mid-send, and the letter may have arrived.
    Sending,
    /// The whole letter was handed to the server but no answer came: it may have arrived.
    /// Sent again only with `iep send RECORD --again`.
    Unconfirmed,
    /// The parent changed the letter (`iep edit`) before sending it.
    Edited,
    /// The parent took it out of the outbox (`iep outbox drop`); the record is kept.
    Dropped,
    /// A reply came.
    Reply,
}

impl Status {
    /// As shown in the log.
    pub fn name(self) -> &'static str {
        match self {
            Status::Written => "written",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Refused => "refused",
            Status::Sending => "sending",
            Status::Unconfirmed => "not confirmed",
            Status::Edited => "edited",
            Status::Dropped => "dropped",
            Status::Reply => "reply received",
        }
    }
}

/// One entry in a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Event {
    /// When iep recorded it.
    #[serde(with = "toml_time")]
    pub at: DateTime<FixedOffset>,
    /// What happened.
    pub status: Status,
    /// A note (what failed, and why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A reply's own date, or the day a letter was sent outside iep (`iep sent --on`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "toml_date_opt"
    )]
    pub date: Option<NaiveDate>,
    /// The reply-by date counted again from the day a letter was sent, when that was after the
    /// letter's own date: the reply clock starts when the school has the letter.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "toml_date_opt"
    )]
    pub reply_by: Option<NaiveDate>,
    /// Who replied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// What the reply said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The letter's questions the reply answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered: Vec<String>,
    /// The letter's questions it did not answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanswered: Vec<String>,
}

impl Event {
    /// A plain event (written, sent, failed) at `at`.
    pub fn new(at: DateTime<FixedOffset>, status: Status) -> Self {
        Event {
            at,
            status,
            note: None,
            date: None,
            reply_by: None,
            from: None,
            summary: None,
            answered: Vec::new(),
            unanswered: Vec::new(),
        }
    }
}

/// `record.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RecordFile {
    /// Letter id.
    pub letter: String,
    /// Letter title.
    pub title: String,
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// The letter's date.
    #[serde(with = "toml_date")]
    pub date: NaiveDate,
    /// Subject line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What it asked for, in one line.
    pub asked: String,
    /// The questions it put to the school.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks: Vec<String>,
    /// The reply-by date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "toml_date_opt"
    )]
    pub reply_by: Option<NaiveDate>,
    /// How the reply-by date was counted: "10 school days".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_window: Option<String>,
    /// How the reply-by date was counted, with the holidays and breaks it skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_counted: Option<String>,
    /// The role or ladder rung written to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_role: Option<String>,
    /// The record this letter follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
    /// The email's Message-ID, when the letter was made as an email (`letter.eml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The Message-IDs of the earlier letters in its thread, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Addressed to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Person>,
    /// Copied to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Person>,
    /// What happened, oldest first.
    #[serde(default)]
    pub history: Vec<Event>,
}

/// A record as loaded.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its id: the folder name, `2026-11-23-implementation-concern`.
    pub id: String,
    /// Its folder.
    pub dir: PathBuf,
    /// Its facts and history.
    pub file: RecordFile,
}

impl Record {
    /// The reply, if one was recorded (the latest).
    pub fn reply(&self) -> Option<&Event> {
        self.file
            .history
            .iter()
            .rev()
            .find(|e| e.status == Status::Reply)
    }

    /// Where its sending stands: the latest entry that says something about delivery (a reply
    /// or an edit does not), or [`Status::Written`].
    pub fn delivery(&self) -> Status {
        self.file
            .history
            .iter()
            .rev()
            .map(|e| e.status)
            .find(|s| !matches!(s, Status::Reply | Status::Edited))
            .unwrap_or(Status::Written)
    }

    /// Whether it was ever sent (by iep or by hand).
    pub fn ever_sent(&self) -> bool {
        self.file.history.iter().any(|e| e.status == Status::Sent)
    }

    /// The latest status.
    pub fn status(&self) -> Status {
        self.file
            .history
            .last()
            .map_or(Status::Written, |e| e.status)
    }

    /// The reply-by date: counted again from the day it was sent when that was later than the
    /// letter's date (the latest such entry), else the one counted when it was written.
    pub fn reply_by(&self) -> Option<NaiveDate> {
        self.file
            .history
            .iter()
            .rev()
            .find_map(|e| e.reply_by)
            .or(self.file.reply_by)
    }

    /// Whether the reply-by date has passed with no reply.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.reply().is_none() && self.reply_by().is_some_and(|d| d < today)
    }

    /// The letter as printed: `letter.txt`, without the Subject/To/Reply-By lines a record
    /// written before 0.1 put at its top.
    pub fn letter(&self) -> anyhow::Result<String> {
        use anyhow::Context as _;
        let path = self.dir.join(LETTER_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("could not read the letter {}", path.display()))?;
        Ok(legacy_body(&text).map(str::to_owned).unwrap_or(text))
    }

    /// Whom it went to, as one line.
    pub fn to_line(&self) -> String {
        self.file
            .to
            .iter()
            .map(Person::name_and_title)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A record.toml that could not be read.
#[derive(Debug, Clone)]
pub struct Damaged {
    /// The file.
    pub path: PathBuf,
    /// What is wrong, with line and column.
    pub problem: String,
}

impl Damaged {
    /// The id of the record it belongs to, when it is a record.toml.
    pub fn record_id(&self) -> Option<&str> {
        if self.path.file_name()? != RECORD_FILE {
            return None;
        }
        self.path.parent()?.file_name()?.to_str()
    }
}

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cannot be read, so it is left out until it is fixed: {}",
            self.path.display(),
            self.problem.trim_end()
        )
    }
}

/// A `NaiveDate` as a TOML date, or days since 0001-01-01 in the index.
mod toml_date {
    use chrono::{Datelike as _, NaiveDate};
    use serde::ser::Error as _;
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            crate::answers::toml_date(*d)
                .map_err(|e| S::Error::custom(format!("{e:#}")))?
                .serialize(s)
        } else {
            d.num_days_from_ce().serialize(s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if !d.is_human_readable() {
            let days = i32::deserialize(d)?;
            return NaiveDate::from_num_days_from_ce_opt(days)
                .ok_or_else(|| D::Error::custom("a day out of range"));
        }
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time) {
            (Some(date), None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .ok_or_else(|| D::Error::custom(format!("{dt} is not a real date"))),
            _ => Err(D::Error::custom(format!(
                "{dt} should be a plain date such as 2026-11-23"
            ))),
        }
    }
}

/// An optional `NaiveDate`, as [`toml_date`].
mod toml_date_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            // TOML leaves a missing value out (skip_serializing_if); the index needs a tag.
            Some(d) if s.is_human_readable() => super::toml_date::serialize(d, s),
            Some(d) => s.serialize_some(&Days(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if d.is_human_readable() {
            super::toml_date::deserialize(d).map(Some)
        } else {
            Ok(Option::<Days>::deserialize(d)?.map(|w| w.0))
        }
    }

    struct Days(NaiveDate);

    impl serde::Serialize for Days {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::toml_date::serialize(&self.0, s)
        }
    }

    impl<'de> serde::Deserialize<'de> for Days {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::toml_date::deserialize(d).map(Days)
        }
    }
}

/// A time with its offset: a TOML offset date-time, or (seconds, offset seconds) in the index.
mod toml_time {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return (t.timestamp(), t.offset().local_minus_utc()).serialize(s);
        }
        let dt: toml::value::Datetime = t
            .to_rfc3339_opts(SecondsFormat::Secs, false)
            .parse()
            .map_err(serde::ser::Error::custom)?;
        dt.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        if !d.is_human_readable() {
            let (secs, offset) = <(i64, i32)>::deserialize(d)?;
            let offset = FixedOffset::east_opt(offset)
                .ok_or_else(|| D::Error::custom("an offset out of range"))?;
            return DateTime::from_timestamp(secs, 0)
                .map(|t| t.with_timezone(&offset))
                .ok_or_else(|| D::Error::custom("a time out of range"));
        }
        let dt = toml::value::Datetime::deserialize(d)?;
        DateTime::parse_from_rfc3339(&dt.to_string()).map_err(|_| {
            D::Error::custom(format!(
                "{dt} should be a date and time with its offset, such as 2026-11-23T09:30:00-05:00"
            ))
        })
    }
}

mod index;
mod send_lock;
mod store;

pub use index::{Summary, summaries};
pub use send_lock::{SEND_LOCK_FILE, SendLock, reload, try_send_lock};
pub use store::{append, create, find, load_all, to_text};

/// The letter after an old `letter.txt`'s header lines, when it has them.
pub fn legacy_body(text: &str) -> Option<&str> {
    const NAMES: [&str; 4] = ["Subject: ", "To: ", "Cc: ", "Reply-By: "];
    let mut at = 0;
    let mut any = false;
    for line in text.split_inclusive('\n') {
        if line.trim_end().is_empty() {
            return any.then(|| &text[at + line.len()..]);
        }
        if !NAMES.iter().any(|n| line.starts_with(n)) {
            return None;
        }
        any = true;
        at += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::index::INDEX_FILE;
    use super::*;
    use crate::case::Case;

    fn sample() -> RecordFile {
        let at = DateTime::parse_from_rfc3339("2026-11-23T09:30:00-05:00").unwrap();
        RecordFile {
            letter: "implementation-concern".into(),
            title: "A support in the plan is not happening".into(),
            jurisdiction: "ontario".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            subject: Some("Scribe — Sam Lee".into()),
            asked: "that the scribe be given".into(),
            asks: vec!["Is this support being given now?".into()],
            reply_by: NaiveDate::from_ymd_opt(2026, 12, 7),
            reply_window: Some("10 school days".into()),
            reply_counted: None,
            to_role: Some("principal".into()),
            follows: None,
            message_id: None,
            references: Vec::new(),
            to: vec![Person {
                name: "Ms. Patel".into(),
                title: "Principal".into(),
                email: None,
            }],
            cc: Vec::new(),
            history: vec![Event::new(at, Status::Written)],
        }
    }

    #[test]
    fn records_are_made_whole_and_only_grow() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(super::super::CASE_FILE), "").unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        let file = sample();
        let a = create(
            &case,
            "2026-11-23-implementation-concern",
            &file,
            "letter",
            "x = 1",
            None,
        )
        .unwrap();
        let b = create(
            &case,
            "2026-11-23-implementation-concern",
            &file,
            "letter",
            "x = 1",
            None,
        )
        .unwrap();
        assert_eq!(b, "2026-11-23-implementation-concern-2");
        let (records, damaged) = load_all(&case).unwrap();
        assert!(damaged.is_empty());
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].file, file);
        let before = fs::read_to_string(records[0].dir.join(RECORD_FILE)).unwrap();
        let mut reply = Event::new(file.history[0].at, Status::Reply);
        reply.date = NaiveDate::from_ymd_opt(2026, 11, 30);
        reply.from = Some("Ms. Patel".into());
        append(&case, &records[0], &reply).unwrap();
        let after = fs::read_to_string(records[0].dir.join(RECORD_FILE)).unwrap();
        assert!(
            after.starts_with(&before),
            "the earlier text is kept byte for byte"
        );
        let (records, _) = load_all(&case).unwrap();
        let r = find(&records, &[], &a).unwrap();
        assert_eq!(r.reply().unwrap().from.as_deref(), Some("Ms. Patel"));
        assert!(!r.overdue(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
        assert_eq!(r.status(), Status::Reply);
    }

    #[test]
    fn a_damaged_record_is_named_with_its_line_and_the_rest_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        create(&case, "2026-11-02-iep-request", &sample(), "l", "a", None).unwrap();
        let id = create(&case, "2026-11-23-escalation", &sample(), "l", "a", None).unwrap();
        let path = case.records_dir().join(&id).join(RECORD_FILE);
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("asked = ", "asked = oops ");
        fs::write(&path, &text).unwrap();
        let (records, damaged) = load_all(&case).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(damaged.len(), 1);
        let msg = damaged[0].to_string();
        assert!(msg.contains("2026-11-23-escalation/record.toml"), "{msg}");
        assert!(msg.contains("line "), "{msg}");
        let err = append(
            &case,
            &Record {
                id,
                dir: path.parent().unwrap().into(),
                file: sample(),
            },
            &sample().history[0],
        )
        .unwrap_err();
        assert!(err.to_string().contains("nothing was added"), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text,
            "a damaged file is left as it is"
        );
    }

    #[test]
    fn the_index_follows_hand_edits() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let case = Case {
            root: dir.path().to_path_buf(),
        };
        let id = create(
            &case,
            "2026-11-23-implementation-concern",
            &sample(),
            "l",
            "a",
            None,
        )
        .unwrap();
        let (first, _) = summaries(&case).unwrap();
        assert_eq!(first[0], Summary::of(&load_all(&case).unwrap().0[0]));
        let index = case.records_dir().join(INDEX_FILE);
        assert_eq!(
            fs::metadata(&index).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // Edited in place to the same length: same inode and size, only the time tells.
        let path = case.records_dir().join(&id).join(RECORD_FILE);
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("Ms. Patel", "Mr. Tran!");
        fs::write(&path, &text).unwrap();
        let (second, _) = summaries(&case).unwrap();
        assert_eq!(second[0].to, "Mr. Tran!, Principal");
        fs::write(&path, text.replace("letter = ", "letter = =")).unwrap();
        let (third, damaged) = summaries(&case).unwrap();
        assert!(third.is_empty());
        assert_eq!(damaged.len(), 1);
    }

    #[test]
    fn records_are_found_by_id_start_or_part() {
        let mk = |id: &str| Record {
            id: id.into(),
            dir: PathBuf::new(),
            file: sample(),
        };
        let records = [
            mk("2026-11-02-iep-request"),
            mk("2026-11-23-implementation-concern"),
        ];
        assert_eq!(
            find(&records, &[], "2026-11-02").unwrap().id,
            "2026-11-02-iep-request"
        );
        assert_eq!(
            find(&records, &[], "implementation").unwrap().id,
            "2026-11-23-implementation-concern"
        );
        assert_eq!(
            find(&records, &[], "records/2026-11-02-iep-request/")
                .unwrap()
                .id,
            "2026-11-02-iep-request"
        );
        let err = find(&records, &[], "2026-11").unwrap_err().to_string();
        assert!(err.contains("matches 2 records"), "{err}");
        // A damaged record still counts: a part of an id that also names it is ambiguous, and
        // naming it says it cannot be read, rather than picking another record.
        let damaged = [Damaged {
            path: PathBuf::from("records/2026-11-23-implementation-concern-2/record.toml"),
            problem: "line 3".into(),
        }];
        let err = find(&records, &damaged, "implementation")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("matches 2 records") && err.contains("-2 (cannot be read)"),
            "{err}"
        );
        let err = find(&records, &damaged, "concern-2")
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot be read"), "{err}");
        let err = find(&records, &[], "2026-11-02-iep-requst")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Did you mean \"2026-11-02-iep-request\""),
            "{err}"
        );
    }
}
