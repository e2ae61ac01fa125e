//! Walks every built-in letter and jurisdiction and checks what must hold for all of them.

use std::collections::BTreeSet;

use iep::catalog::{Catalog, Form};
use iep::jurisdiction::REQUIRED_ROLES;
use iep::render::{CONTEXT_NAMES, Renderer};

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
        let keys: BTreeSet<&str> = letter.questions.iter().map(|q| q.key.as_str()).collect();
        for next in &letter.next {
            assert!(
                letters.contains(next),
                "{id}: next letter {next} does not exist"
            );
        }
        for q in &letter.questions {
            assert!(q.prompt.len() < 120, "{id}.{}: keep prompts short", q.key);
        }
        for jid in c.jurisdiction_ids().unwrap() {
            let j = c.jurisdiction(&jid).unwrap();
            if letter.form == Form::Email {
                let to = letter.to.as_deref().unwrap();
                assert!(
                    to == "ladder" || j.roles.contains_key(to),
                    "{id} is addressed to {to}, which {jid} lacks"
                );
            }
            let renderer = Renderer::new(&c, &letter, &jid).unwrap();
            for var in renderer.variables().unwrap() {
                assert!(
                    keys.contains(var.as_str()) || CONTEXT_NAMES.contains(&var.as_str()),
                    "{id} ({jid}) uses `{var}`, which no question declares"
                );
            }
        }
    }
}

#[test]
fn every_question_is_used_by_its_letter() {
    let c = catalog();
    // Questions used by iep itself rather than by a template.
    let used_by_iep = [
        "recipient_email",
        "coordinator_name",
        "coordinator_email",
        "cc",
        "rung",
    ];
    for id in c.letter_ids().unwrap() {
        let letter = c.letter(&id).unwrap();
        let vars = Renderer::new(&c, &letter, "ontario")
            .unwrap()
            .variables()
            .unwrap();
        for q in &letter.questions {
            assert!(
                vars.contains(&q.key) || used_by_iep.contains(&q.key.as_str()),
                "{id} asks `{}` but never uses it",
                q.key
            );
        }
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
