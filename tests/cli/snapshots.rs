//! Every letter for every jurisdiction, rendered from fixture answers with a fixed date and
//! compared with a reviewed snapshot (tests/cli/snapshots/).

use crate::support::{JURISDICTIONS, LETTERS, Sandbox, fixture_args};

#[test]
fn every_letter_in_every_jurisdiction_matches_its_snapshot() {
    let sandbox = Sandbox::new();
    for letter in LETTERS {
        for (jurisdiction, _, _) in JURISDICTIONS {
            let ran = sandbox
                .iep()
                .args(fixture_args(&sandbox, letter, jurisdiction))
                .args(["--output", "-", "--no-input"])
                .ok();
            insta::assert_snapshot!(format!("{letter}@{jurisdiction}"), ran.stdout);
        }
    }
}
