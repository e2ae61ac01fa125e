//! What a case brings to a letter being written: its profile's answers, the people it writes to
//! by role, its observations and earlier letters to offer, its recorded school breaks, and the
//! letter a follow-up follows; and the record the written letter becomes.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Result, bail};

use super::record::{self, Event, Record, RecordFile, Status};
use super::{Case, observation, warn_damaged};
use chrono::NaiveDate;

use crate::answers::{AnswersFile, Value};
use crate::calendar::Closed;
use crate::catalog::question::Kind;
use crate::deliver::eml::{self, Email};
use crate::draft::Draft;
use crate::interview::{Interview, Known, Offered};
use crate::jurisdiction::Jurisdiction;
use crate::render::Earlier;

/// What a case brings to a letter: its profile, contacts, observations, earlier letters, and the
/// letter this one follows up.
#[derive(Debug)]
pub struct CaseInputs<'c> {
    pub case: &'c Case,
    pub profile: super::Profile,
    pub records: Vec<Record>,
    pub observations: Vec<observation::Observation>,
    pub follows: Option<(Record, Option<AnswersFile>)>,
}

impl<'c> CaseInputs<'c> {
    /// Reads only what the letter can use: every record is read whole (no index) only for a
    /// follow-up or a letter that offers earlier letters, and observations only for one that
    /// offers them, so writing stays quick in a case with thousands of records.
    pub fn load(
        case: Option<&'c Case>,
        letter: &crate::catalog::Letter,
        follow_up: Option<&str>,
        err: &mut dyn Write,
    ) -> Result<Option<Self>> {
        use crate::catalog::question::Offer;
        let offers = |o: Offer| letter.questions.iter().any(|q| q.offer == Some(o));
        let Some(case) = case else {
            if follow_up.is_some() {
                bail!(
                    "--follow-up needs a case folder, where the earlier letter is recorded. Run `iep init` to make one, or name one with --case DIR."
                );
            }
            return Ok(None);
        };
        let profile = case.profile()?;
        let (records, damaged) = if follow_up.is_some() || offers(Offer::Letters) {
            record::load_all(case)?
        } else {
            (Vec::new(), Vec::new())
        };
        warn_damaged(err, &damaged)?;
        let (observations, bad) = if offers(Offer::Observations) {
            observation::load_all(case)?
        } else {
            (Vec::new(), Vec::new())
        };
        warn_damaged(err, &bad)?;
        let follows = match follow_up {
            Some(wanted) => {
                let r = record::find(&records, &damaged, wanted)?.clone();
                let path = r.dir.join(record::ANSWERS_FILE);
                let answers = path
                    .is_file()
                    .then(|| AnswersFile::load(&path))
                    .transpose()?;
                Some((r, answers))
            }
            None => None,
        };
        Ok(Some(CaseInputs {
            case,
            profile,
            records,
            observations,
            follows,
        }))
    }

    /// The days the family recorded their child's school as closed (`closed_days` in the
    /// profile), checked as `iep case edit` checks them.
    pub fn closed_days(&self) -> Result<Vec<Closed>> {
        let Some((_, value, line)) = self
            .profile
            .file
            .entries
            .iter()
            .find(|(k, _, _)| k == "closed_days")
        else {
            return Ok(Vec::new());
        };
        let where_ = || format!("{}, line {line}: `closed_days`", self.profile.file.path);
        let toml::Value::Array(items) = value else {
            bail!(
                "{}: expected a list such as [\"2026-12-21 to 2027-01-01\"]. Fix it with `iep case edit --set closed_days=...`",
                where_()
            );
        };
        let mut closed = Vec::with_capacity(items.len());
        for item in items {
            let Some(text) = item.as_str() else {
                bail!(
                    "{}: {item} is not text such as \"2026-12-21 to 2027-01-01\"",
                    where_()
                );
            };
            closed.push(
                Closed::parse(text).map_err(|e| {
                    anyhow::anyhow!("{}: {e}. Fix it with `iep case edit`", where_())
                })?,
            );
        }
        Ok(closed)
    }

    /// The follow-up's jurisdiction, else the case's.
    pub fn jurisdiction(&self) -> Option<String> {
        match &self.follows {
            Some((r, _)) => Some(r.file.jurisdiction.clone()),
            None => self.profile.file.meta.jurisdiction.clone(),
        }
    }

    /// Gives the interview the case's answers, contacts, offers, and the earlier letter.
    pub fn prepare(
        &self,
        interview: &mut Interview<'_>,
        letter: &crate::catalog::Letter,
        j: &Jurisdiction,
    ) -> Result<()> {
        interview.preset_known(&self.profile.file, &[])?;
        let chain = self.chain();
        let known = Known {
            contacts: self.profile.contacts()?,
            observations: self
                .observations
                .iter()
                .map(|o| Offered {
                    label: o.label(),
                    row: o.as_row(),
                    picked: true,
                    about: Some(o.support.clone()),
                })
                .collect(),
            letters: self
                .records
                .iter()
                .filter(|r| !r.file.to.is_empty())
                .map(|r| Offered {
                    label: format!("{}: {} ({})", r.file.date, r.file.title, r.to_line()),
                    row: contact_row(r, j),
                    picked: chain.is_empty() || chain.contains(&r.id.as_str()),
                    about: None,
                })
                .collect(),
            findings: Vec::new(),
        };
        interview.know(known);
        if let Some((r, answers)) = &self.follows {
            if let Some(answers) = answers {
                // The same facts carry over; who it goes to and lists of events are asked anew.
                let skip: Vec<&str> = letter
                    .questions
                    .iter()
                    .filter(|q| q.kind == Kind::List)
                    .map(|q| q.key.as_str())
                    .chain(["recipient_name", "recipient_email", "rung"])
                    .collect();
                interview.preset_known(answers, &skip)?;
            }
            interview.follow(earlier(r, j));
        }
        Ok(())
    }

    /// The record followed up and the ones it followed, by id.
    pub fn chain(&self) -> Vec<&str> {
        let mut ids = Vec::new();
        let mut next = self.follows.as_ref().map(|(r, _)| r.id.as_str());
        while let Some(id) = next {
            if ids.contains(&id) {
                break;
            }
            ids.push(id);
            next = self
                .records
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| r.file.follows.as_deref());
        }
        ids
    }

    /// The subject of the first email in the thread a follow-up joins: the letter followed, or
    /// the one its References start with. `None` when the letter followed was not an email,
    /// so there is no thread.
    pub fn thread_subject(&self) -> Option<String> {
        let (followed, _) = self.follows.as_ref()?;
        followed.file.message_id.as_ref()?;
        let first = followed.file.references.first().and_then(|id| {
            self.records
                .iter()
                .find(|r| r.file.message_id.as_ref() == Some(id))
        });
        first.unwrap_or(followed).file.subject.clone()
    }

    /// Makes the record; returns its id.
    pub fn record(
        &self,
        draft: &Draft,
        email: Option<&Email>,
        j: &Jurisdiction,
        date: NaiveDate,
        answers_text: &str,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<String> {
        let file = RecordFile {
            letter: draft.letter.clone(),
            title: draft.title.clone(),
            jurisdiction: j.id.clone(),
            date,
            // The subject the school sees: a follow-up's email subject joins its thread.
            subject: email
                .map(|e| e.subject.clone())
                .or_else(|| draft.subject.clone()),
            asked: draft.asked.clone(),
            asks: if draft.asks.is_empty() {
                vec![draft.asked.clone()]
            } else {
                draft.asks.clone()
            },
            reply_by: draft.reply_by,
            reply_window: draft.reply_window.clone(),
            reply_counted: draft.reply_counted.clone(),
            to_role: draft.to_role.clone(),
            follows: self.follows.as_ref().map(|(r, _)| r.id.clone()),
            message_id: email.map(|e| e.message_id.clone()),
            references: email.map(|e| e.references.clone()).unwrap_or_default(),
            to: draft.to.clone(),
            cc: draft.cc.clone(),
            history: vec![Event::new(now, Status::Written)],
        };
        record::create(
            self.case,
            &format!("{date}-{}", draft.letter.replace('/', "-")),
            &file,
            &draft.to_text(),
            answers_text,
            email.map(eml::to_eml).transpose()?.as_deref(),
        )
    }
}

/// An earlier letter as a line of an escalation's chronology: date, person, asked, reply.
fn contact_row(r: &Record, j: &Jurisdiction) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("date".to_owned(), Value::Date(r.file.date)),
        ("person".to_owned(), Value::Text(r.to_line())),
        ("asked".to_owned(), Value::Text(r.file.asked.clone())),
        ("reply".to_owned(), Value::Text(reply_line(r, j))),
    ])
}

/// "Ms. Patel replied on November 30, 2026: …", or that no reply came, in the language of the
/// letter being written (the jurisdiction's).
fn reply_line(r: &Record, j: &Jurisdiction) -> String {
    use crate::lang::{Lang, fill};
    let w = Lang::from_locale(&j.language).unwrap_or(Lang::En).words();
    match r.reply() {
        Some(e) => {
            let mut s = match &e.from {
                Some(from) => fill(w.earlier_replied_from, &[("from", from)]),
                None => w.earlier_replied.to_owned(),
            };
            if let Some(d) = e.date {
                s.push_str(&fill(w.earlier_replied_on, &[("date", &j.format_date(d))]));
            }
            if let Some(summary) = &e.summary {
                let summary = summary.trim().trim_end_matches('.');
                s.push_str(&fill(w.earlier_replied_said, &[("summary", summary)]));
            }
            s
        }
        None => match r.reply_by() {
            Some(d) => fill(w.earlier_no_reply_by, &[("date", &j.format_date(d))]),
            None => w.earlier_no_reply.to_owned(),
        },
    }
}

/// The earlier letter as templates see it.
fn earlier(r: &Record, j: &Jurisdiction) -> Earlier {
    let reply = r.reply();
    Earlier {
        date: j.format_date(r.file.date),
        title: r.file.title.clone(),
        subject: r.file.subject.clone().unwrap_or_default(),
        to: r.to_line(),
        asked: r.file.asked.clone(),
        reply_by: r
            .file
            .reply_by
            .map(|d| j.format_date(d))
            .unwrap_or_default(),
        replied: reply.is_some(),
        reply_date: reply
            .and_then(|e| e.date)
            .map(|d| j.format_date(d))
            .unwrap_or_default(),
        reply_from: reply.and_then(|e| e.from.clone()).unwrap_or_default(),
        reply_summary: reply.and_then(|e| e.summary.clone()).unwrap_or_default(),
        unanswered: reply.map(|e| e.unanswered.clone()).unwrap_or_default(),
    }
}
