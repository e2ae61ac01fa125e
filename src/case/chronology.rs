//! The chronology a family attaches to a complaint: letters, replies, missed reply-by dates and
//! observations, oldest first, in words. `iep log --export` writes it as Markdown or CSV, and
//! `iep bundle` as the table of the evidence bundle.

use chrono::NaiveDate;

use super::observation::Observation;
use super::record::Record;
use crate::jurisdiction::Jurisdiction;

/// One line of the chronology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The day.
    pub date: NaiveDate,
    /// Sorts letters before the replies and observations of the same day.
    pub order: u8,
    /// `letter`, `reply`, `no reply` or `observation`.
    pub kind: &'static str,
    /// What happened: the letter's title, "Reply to: …", "No reply by the date asked: …".
    pub what: String,
    /// "To Ms. Patel, Principal", "From Ms. Patel", or who was there.
    pub who: String,
    /// What was asked and by when; what came back; how many days without a reply.
    pub details: String,
    /// The record id, or `observations/<id>`.
    pub record: String,
}

/// The chronology of these records and observations, oldest first: each letter, its reply or
/// the day its reply-by date passed with none (counted to `today`), and each observation.
pub fn chronology(
    records: &[&Record],
    observations: &[&Observation],
    j: &Jurisdiction,
    today: NaiveDate,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for r in records {
        let mut details = format!("Asked {}.", r.file.asked.trim_end_matches('.'));
        if let Some(d) = r.file.reply_by {
            details.push_str(&format!(" Reply asked for by {}.", j.format_date(d)));
        }
        entries.push(Entry {
            date: r.file.date,
            order: 0,
            kind: "letter",
            what: r.file.title.clone(),
            who: format!("To {}", r.to_line()),
            details,
            record: r.id.clone(),
        });
        match (r.reply(), r.reply_by()) {
            (Some(e), _) => {
                let mut details = e.summary.clone().unwrap_or_default();
                let total = e.answered.len() + e.unanswered.len();
                if total > 0 {
                    details.push_str(&format!(
                        " ({} of {total} questions answered.)",
                        e.answered.len()
                    ));
                }
                entries.push(Entry {
                    date: e.date.unwrap_or(e.at.date_naive()),
                    order: 1,
                    kind: "reply",
                    what: format!("Reply to: {}", r.file.title),
                    who: e
                        .from
                        .as_deref()
                        .map(|f| format!("From {f}"))
                        .unwrap_or_default(),
                    details: details.trim().to_owned(),
                    record: r.id.clone(),
                });
            }
            (None, Some(by)) if by < today => entries.push(Entry {
                date: by,
                order: 2,
                kind: "no reply",
                what: format!("No reply by the date asked: {}", r.file.title),
                who: String::new(),
                details: format!(
                    "{} days without a reply as of {}.",
                    (today - by).num_days(),
                    j.format_date(today)
                ),
                record: r.id.clone(),
            }),
            _ => {}
        }
    }
    for o in observations {
        let what = crate::render::sentence(&o.what);
        let details = if o.setting.is_empty() {
            what
        } else {
            let mut setting = o.setting.trim().chars();
            let first = setting.next().map(|c| c.to_uppercase().collect::<String>());
            format!("{}{}: {what}", first.unwrap_or_default(), setting.as_str())
        };
        entries.push(Entry {
            date: o.date,
            order: 1,
            kind: "observation",
            what: format!("Not given: {}", o.support),
            who: o.present.clone(),
            details,
            record: format!("observations/{}", o.id),
        });
    }
    entries.sort_by(|a, b| (a.date, a.order, &a.record).cmp(&(b.date, b.order, &b.record)));
    entries
}
