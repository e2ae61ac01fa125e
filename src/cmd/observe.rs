//! `iep observe`: one dated observation of a support not given, kept in the case.

use anyhow::{Context as _, Result};

use super::{Ctx, Exit, fill_form};
use crate::answers::{self, Meta, Value};
use crate::case::observation;
use crate::catalog::{Catalog, OBSERVATION_FORM};
use crate::cli::ObserveArgs;

/// Runs `iep observe`.
pub fn execute(args: &crate::cli::ObserveArgs, io: &mut Ctx<'_>) -> Result<Exit> {
    run(io.catalog, args, io)?;
    Ok(Exit::Done)
}

/// Runs `iep observe`.
fn run(catalog: &Catalog, args: &ObserveArgs, io: &mut Ctx<'_>) -> Result<()> {
    let case = io.need_case("observe")?.clone();
    let profile = case.profile()?;
    let jurisdiction = super::jurisdiction_for(catalog, &profile.jurisdiction()?, io.lang)?;
    let form = observation_form(catalog, io.lang)?;
    let date = io.date.map(|d| d.to_string());
    let sets = super::flag_sets(&[
        ("date", &date),
        ("support", &args.support),
        ("setting", &args.setting),
        ("what", &args.what),
        ("present", &args.present),
    ]);
    let prompter = io.prompter.take();
    let answers = fill_form(
        &form,
        &jurisdiction,
        io.today,
        super::FormStart {
            preset: None,
            sets: &sets,
            flags: !sets.is_empty(),
            keep: None,
        },
        prompter,
    )?;
    record_observation(&case, &answers, io.today, io.lang, io.err).map(|_| ())
}

/// The observation form, `letters/observation.toml`, in `lang`, with an observation's range of
/// dates.
pub(crate) fn observation_form(
    catalog: &Catalog,
    lang: crate::lang::Lang,
) -> Result<crate::catalog::Letter> {
    let mut form = catalog.form_in(OBSERVATION_FORM, lang)?;
    for q in &mut form.questions {
        if q.key == "date" {
            q.dates = crate::dates::DateKind::Observation;
        }
    }
    Ok(form)
}

/// Keeps an observation, given as the observation form's answers, in the case; says on `err`
/// where. Returns its id.
pub(crate) fn record_observation(
    case: &crate::case::Case,
    answers: &[(String, Value)],
    today: chrono::NaiveDate,
    lang: crate::lang::Lang,
    err: &mut dyn std::io::Write,
) -> Result<String> {
    let date = answers
        .iter()
        .find_map(|(k, v)| match (k.as_str(), v) {
            ("date", Value::Date(d)) => Some(*d),
            _ => None,
        })
        .context("an observation needs its date")?;
    let header = format!(
        "# An observation recorded with iep on {}. implementation-concern letters offer it as a dated example.",
        today
    );
    let text = answers::file_text(&header, &Meta::default(), answers)?;
    let id = observation::create(case, date, &text)?;
    let w = &lang.words().observe;
    let path = case.observations_dir().join(format!("{id}.toml"));
    writeln!(
        err,
        "{}",
        crate::lang::fill(w.recorded, &[("path", &path.display().to_string())])
    )?;
    writeln!(err, "{}", w.offered)?;
    Ok(id)
}
