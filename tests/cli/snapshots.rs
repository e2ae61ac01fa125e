//! Every letter for every jurisdiction it exists for, rendered from fixture answers with a fixed
//! date and compared with a reviewed snapshot (tests/cli/snapshots/), one test each, so a failure
//! names the letter and the jurisdiction; and the escalation letter to every kind of rung, since
//! a request, a complaint and an appeal read differently.

use crate::support::{JURISDICTIONS, LETTERS, Sandbox, fixture_args};

/// Letters that exist for some jurisdictions only, and which.
const ONLY_FOR: &[(&str, &[&str])] = &[("iprc-request", &["ontario"])];

/// Renders `letter` for `jurisdiction` (to `rung`, for the escalation letter) and compares it
/// with its snapshot; a letter that does not exist there must be refused instead.
fn check(letter: &str, jurisdiction: &str, rung: Option<&str>) {
    let sandbox = Sandbox::new();
    let mut run = sandbox
        .iep()
        .args(fixture_args(&sandbox, letter, jurisdiction))
        .args(["--output", "-", "--no-input"]);
    if let Some(rung) = rung {
        run = run.args(["--set", &format!("rung={rung}")]);
    }
    let exists = ONLY_FOR
        .iter()
        .find(|(l, _)| *l == letter)
        .is_none_or(|(_, js)| js.contains(&jurisdiction));
    if !exists {
        let stderr = run.fails();
        assert!(
            stderr.contains("is only for these jurisdictions"),
            "{letter}@{jurisdiction}: {stderr}"
        );
        return;
    }
    let ran = run.ok();
    let name = match rung {
        Some(rung) => format!("{letter}@{jurisdiction}@{rung}"),
        None => format!("{letter}@{jurisdiction}"),
    };
    insta::assert_snapshot!(name, ran.stdout);
}

/// One module per letter, one test per jurisdiction: `snapshots::iep_request::ontario`.
macro_rules! every_jurisdiction {
    ($($module:ident => $letter:literal),* $(,)?) => {$(
        mod $module {
            #[test]
            fn ontario() {
                super::check($letter, "ontario", None)
            }
            #[test]
            fn british_columbia() {
                super::check($letter, "british-columbia", None)
            }
            #[test]
            fn quebec() {
                super::check($letter, "quebec", None)
            }
            #[test]
            fn new_zealand() {
                super::check($letter, "new-zealand", None)
            }
            #[test]
            fn generic() {
                super::check($letter, "generic", None)
            }
        }
    )*};
}

every_jurisdiction! {
    iep_request => "iep-request",
    iprc_request => "iprc-request",
    implementation_concern => "implementation-concern",
    progress_evidence => "progress-evidence",
    escalation => "escalation",
    vague_wording => "vague-wording",
    review_request => "review-request",
    meeting_follow_up => "meeting-follow-up",
    parent_summary => "parent-summary",
}

/// The escalation letter to rungs of each kind: requests, complaints, an appeal.
macro_rules! rungs {
    ($($test:ident => $jurisdiction:literal @ $rung:literal),* $(,)?) => {
        mod escalation_rungs {
            $(
                #[test]
                fn $test() {
                    super::check("escalation", $jurisdiction, Some($rung))
                }
            )*
        }
    };
}

rungs! {
    ontario_principal => "ontario" @ "principal",
    ontario_director => "ontario" @ "director",
    ontario_ombudsman => "ontario" @ "ombudsman",
    british_columbia_principal => "british-columbia" @ "principal",
    british_columbia_superintendent => "british-columbia" @ "superintendent",
    british_columbia_board_appeal => "british-columbia" @ "board-appeal",
    british_columbia_ombudsperson => "british-columbia" @ "ombudsperson",
    quebec_principal => "quebec" @ "principal",
    quebec_regional_ombudsman => "quebec" @ "regional-ombudsman",
    new_zealand_principal => "new-zealand" @ "principal",
    new_zealand_ombudsman => "new-zealand" @ "ombudsman",
    generic_principal => "generic" @ "principal",
}

/// The lists the tests above are written out from stay the lists the other tests use.
#[test]
fn the_snapshot_tests_cover_every_letter_and_jurisdiction() {
    assert_eq!(
        LETTERS.len(),
        9,
        "a new letter needs its line in every_jurisdiction!"
    );
    assert_eq!(
        JURISDICTIONS.len(),
        5,
        "a new jurisdiction needs its test in the macro"
    );
}
