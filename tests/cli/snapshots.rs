//! Every letter for every jurisdiction it exists for, rendered from fixture answers with a fixed
//! date and compared with a reviewed snapshot (tests/cli/snapshots/); and the escalation letter
//! to every rung of every ladder, since a request, a complaint and an appeal read differently.

use crate::support::{JURISDICTIONS, LETTERS, Sandbox, fixture_args};

/// Letters that exist for some jurisdictions only, and which.
const ONLY_FOR: &[(&str, &[&str])] = &[("iprc-request", &["ontario"])];

#[test]
fn every_letter_in_every_jurisdiction_matches_its_snapshot() {
    let sandbox = Sandbox::new();
    for letter in LETTERS {
        for (jurisdiction, _, _) in JURISDICTIONS {
            let run = sandbox
                .iep()
                .args(fixture_args(&sandbox, letter, jurisdiction))
                .args(["--output", "-", "--no-input"]);
            let exists = ONLY_FOR
                .iter()
                .find(|(l, _)| l == letter)
                .is_none_or(|(_, js)| js.contains(jurisdiction));
            if !exists {
                let stderr = run.fails();
                assert!(
                    stderr.contains("is only for these jurisdictions"),
                    "{letter}@{jurisdiction}: {stderr}"
                );
                continue;
            }
            let ran = run.ok();
            insta::assert_snapshot!(format!("{letter}@{jurisdiction}"), ran.stdout);
        }
    }
}

#[test]
fn the_escalation_letter_to_every_rung_matches_its_snapshot() {
    let sandbox = Sandbox::new();
    let rungs: &[(&str, &[&str])] = &[
        ("ontario", &["principal", "director", "ombudsman"]),
        (
            "british-columbia",
            &[
                "principal",
                "superintendent",
                "board-appeal",
                "ombudsperson",
            ],
        ),
        ("quebec", &["principal", "regional-ombudsman"]),
        ("new-zealand", &["principal", "ombudsman"]),
        ("generic", &["principal"]),
    ];
    for (jurisdiction, ids) in rungs {
        for rung in *ids {
            let ran = sandbox
                .iep()
                .args(fixture_args(&sandbox, "escalation", jurisdiction))
                .args(["--set", &format!("rung={rung}")])
                .args(["--output", "-", "--no-input"])
                .ok();
            insta::assert_snapshot!(format!("escalation@{jurisdiction}@{rung}"), ran.stdout);
        }
    }
}
