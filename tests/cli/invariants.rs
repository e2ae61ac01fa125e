//! Walks every built-in letter and jurisdiction and checks what must hold for all of them.

use std::collections::BTreeSet;

use iep::catalog::Catalog;
use iep::jurisdiction::REQUIRED_ROLES;
use iep::render::Renderer;

fn catalog() -> Catalog {
    Catalog::new(&[]).unwrap()
}

#[test]
fn every_jurisdiction_parses_and_every_fact_has_a_source() {
    let c = catalog();
    let ids = c.jurisdiction_ids().unwrap();
    assert_eq!(
        ids,
        [
            "british-columbia",
            "generic",
            "new-zealand",
            "ontario",
            "quebec"
        ]
    );
    let mut names = BTreeSet::new();
    for id in &ids {
        let j = c.jurisdiction(id).unwrap();
        assert!(
            names.insert(j.name.clone()),
            "two jurisdictions are called {}",
            j.name
        );
        for (what, source) in j.sources() {
            assert!(
                source.trim().len() >= 10,
                "{id}: {what} has no real source: {source:?}"
            );
        }
        for role in REQUIRED_ROLES {
            assert!(j.roles.contains_key(*role), "{id} lacks the role {role}");
        }
        assert!(
            j.escalation_rungs().count() >= 2,
            "{id}: a family needs at least two places to escalate to"
        );
    }
}

#[test]
fn no_ladder_sends_an_iep_complaint_where_it_cannot_be_heard() {
    let c = catalog();
    for id in c.jurisdiction_ids().unwrap() {
        let j = c.jurisdiction(&id).unwrap();
        let text: String = j
            .ladder
            .iter()
            .map(|r| format!("{} {:?}\n", r.office, r.under))
            .collect();
        for wrong in [
            "Special Education Tribunal",
            "Appeal Board",
            "SEAC",
            "due process",
            "FAPE",
            "prior written notice",
            "Dispute Resolution Panel",
            "Education Review Office",
        ] {
            assert!(
                !text.to_lowercase().contains(&wrong.to_lowercase()),
                "{id}'s ladder names {wrong}"
            );
        }
    }
}

#[test]
fn every_letter_is_well_formed_for_every_jurisdiction() {
    let c = catalog();
    let letters = c.letter_ids().unwrap();
    assert_eq!(
        letters,
        [
            "escalation",
            "iep-request",
            "implementation-concern",
            "iprc-request",
            "meeting-follow-up",
            "parent-summary",
            "progress-evidence",
            "review-request",
            "vague-wording",
        ]
    );
    for id in &letters {
        let letter = c.letter(id).unwrap();
        for next in &letter.next {
            assert!(
                letters.contains(next),
                "{id}: next letter {next} does not exist"
            );
        }
        for q in &letter.questions {
            assert!(q.prompt.len() < 120, "{id}.{}: keep prompts short", q.key);
        }
        // Roles, template variables, unused questions and rendering are checked for every
        // jurisdiction by `iep::lint`, as `iep pack check` does (the test below).
    }
}

#[test]
fn the_case_forms_load_and_fill_their_choices_in_every_jurisdiction() {
    use iep::catalog::{CASE_FORM, OBSERVATION_FORM, REPLY_FORM};
    let c = catalog();
    for form in [CASE_FORM, OBSERVATION_FORM, REPLY_FORM] {
        for id in c.jurisdiction_ids().unwrap() {
            let j = c.jurisdiction(&id).unwrap();
            let mut letter = c.form(form).unwrap();
            letter.fill_choices(&j);
            Renderer::form(&letter).unwrap();
            if form == CASE_FORM {
                // The people a case lists can be written to by every letter that names a role.
                let people = letter.question("people").unwrap();
                let roles = &people
                    .fields
                    .iter()
                    .find(|f| f.key == "role")
                    .unwrap()
                    .choices;
                for role in ["principal", "coordinator", "teacher"] {
                    assert!(roles.iter().any(|c| c.value == role), "{id}: {role}");
                }
                for rung in j.escalation_rungs() {
                    assert!(
                        roles.iter().any(|c| c.value == rung.id),
                        "{id}: {}",
                        rung.id
                    );
                }
            }
        }
    }
}

#[test]
fn the_pack_checks_pass_on_every_built_in_letter_and_jurisdiction() {
    let c = catalog();
    let problems = iep::lint::letters(&c, &c.letter_ids().unwrap()).unwrap();
    let more = iep::lint::jurisdictions(&c, &c.jurisdiction_ids().unwrap());
    let all: Vec<String> = problems
        .iter()
        .chain(&more)
        .map(ToString::to_string)
        .collect();
    assert!(all.is_empty(), "{all:#?}");
}

/// A letter states a rule only through a jurisdiction's sourced `law` entry, whose text names
/// its source. Template text of its own that names an Act, a regulation, an order, a section, or
/// says what someone "must" do would be a rule with no source: this fails on it.
#[test]
fn letter_templates_state_no_law_of_their_own() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("letters");
    let mut templates = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().ends_with(".tera") {
                templates.push(path);
            }
        }
    }
    assert!(templates.len() > 15, "found the templates: {templates:?}");
    let law_words = [
        " act ",
        " act,",
        " act.",
        "regulation",
        "ministerial order",
        " must ",
        "section ",
        " s. ",
        " ss. ",
        "subsection",
        "o. reg",
        "article ",
        "by law",
        "statute",
        "code ",
        // French: a law is named only through a `law` entry too.
        "loi sur",
    ];
    for path in templates {
        let text = std::fs::read_to_string(&path).unwrap();
        // A Quebec student's "code permanent" is an identifier, not a code of law.
        let own = strip_template_syntax(&text)
            .to_lowercase()
            .replace("code permanent", "");
        for word in law_words {
            assert!(
                !own.contains(word),
                "{} states law in its own words (\"{}\"): use a `law` entry in the jurisdiction, which names its source",
                path.display(),
                word.trim()
            );
        }
    }
    // The check can fail: a sentence stating a rule is caught.
    let planted =
        strip_template_syntax("{{ x }} Under the Education Act the principal must reply.")
            .to_lowercase();
    assert!(planted.contains(" must ") && planted.contains(" act "));
}

/// Template text with `{{ … }}`, `{% … %}` and `{# … #}` removed (replaced by a space).
fn strip_template_syntax(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let close = match rest[start..].chars().nth(1) {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
                continue;
            }
        };
        out.push_str(&rest[..start]);
        out.push(' ');
        match rest[start + 2..].find(close) {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_law_entry_names_its_source_in_its_text() {
    let c = catalog();
    for id in c.jurisdiction_ids().unwrap() {
        let j = c.jurisdiction(&id).unwrap();
        for (key, law) in &j.law {
            assert!(
                law.text.contains(&law.cite) && !law.source.trim().is_empty(),
                "{id} law.{key}"
            );
        }
    }
    // And a jurisdiction whose rule does not say where it comes from is refused when read.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/jurisdictions/ontario.toml"
    ))
    .unwrap()
    .replace(
        "text = \"Ontario Regulation 181/98, subsection 6(3), requires an IEP to state",
        "text = \"The rules require an IEP to state",
    );
    let err = iep::jurisdiction::Jurisdiction::parse("ontario", &text).unwrap_err();
    assert!(
        format!("{err:#}").contains("must name its source in its own text"),
        "{err:#}"
    );
}

/// Facts the research marks UNCONFIRMED never reach a letter: not in any rule a letter may
/// state, any office it may be addressed to, nor any reviewed letter.
#[test]
fn nothing_unconfirmed_is_stated_in_a_letter() {
    const UNCONFIRMED: &[&str] = &[
        "presiding member",          // NZ board chair's statutory title
        "superintendent of appeals", // BC s. 11.1
        "11.1",
        "once a month", // Quebec monthly contact (Régime pédagogique art. 29)
        "monthly",
        "régime pédagogique",
        "ppm 156",                  // Ontario transition plans
        "enseignant ressource",     // Quebec role scope
        "one year to file",         // Ombudsperson BC
        "manager learning support", // NZ Ministry title
        "regional director of education",
        "annual review", // Quebec: practice, not law
    ];
    let c = catalog();
    let mut texts: Vec<(String, String)> = Vec::new();
    for id in c.jurisdiction_ids().unwrap() {
        let j = c.jurisdiction(&id).unwrap();
        for (key, law) in &j.law {
            texts.push((format!("{id} law.{key}"), law.text.clone()));
        }
        for rung in &j.ladder {
            let under = rung.under.clone().unwrap_or_default();
            texts.push((
                format!("{id} ladder.{}", rung.id),
                format!("{} {under}", rung.office),
            ));
        }
        for (rid, role) in &j.roles {
            texts.push((format!("{id} roles.{rid}"), role.title.clone()));
        }
    }
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/snapshots");
    for entry in std::fs::read_dir(snapshots).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("cli__snapshots__") {
            texts.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(texts.len() > 60, "read the letters and the rules");
    for (place, text) in &texts {
        let lower = text.to_lowercase();
        for phrase in UNCONFIRMED {
            assert!(
                !lower.contains(phrase),
                "{place} states \"{phrase}\", which is UNCONFIRMED"
            );
        }
    }
}
