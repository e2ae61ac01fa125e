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
