//! `iep check`: exit codes, output, and precision and recall on a corpus written for the tests.

use std::collections::BTreeMap;

use iep::check::Checker;
use serde::Deserialize;

use crate::support::{FIXTURES, Sandbox};

#[derive(Deserialize)]
struct Corpus {
    passages: Vec<Passage>,
}

#[derive(Deserialize)]
struct Passage {
    text: String,
    expect: Vec<String>,
}

fn checker() -> Checker {
    let read = |name: &str| {
        std::fs::read_to_string(format!("{}/letters/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    // Both languages' rules, as `iep check` loads them: each corpus is checked by all of them.
    Checker::from_tomls(&[
        ("letters/checks.toml", &read("checks.toml")),
        ("letters/checks.fr.toml", &read("checks.fr.toml")),
    ])
    .unwrap()
}

#[test]
fn precision_and_recall_on_the_corpus() {
    precision_and_recall("corpus.toml", "Review date: June 15, 2027.", 0, 0);
}

/// The French corpus: at least 20 passages to flag and 12 to leave alone (issue 16).
#[test]
fn precision_and_recall_on_the_french_corpus() {
    precision_and_recall(
        "corpus-fr.toml",
        "Date de révision\u{a0}: 15 juin 2027.",
        20,
        12,
    );
}

fn precision_and_recall(file: &str, review: &str, flagged: usize, clean: usize) {
    let corpus: Corpus =
        toml::from_str(&std::fs::read_to_string(format!("{FIXTURES}/check/{file}")).unwrap())
            .unwrap();
    assert!(
        corpus
            .passages
            .iter()
            .filter(|p| !p.expect.is_empty())
            .count()
            >= flagged
    );
    assert!(
        corpus
            .passages
            .iter()
            .filter(|p| p.expect.is_empty())
            .count()
            >= clean
    );
    let c = checker();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for p in &corpus.passages {
        let text = format!("{}\n{review}\n", p.text);
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        for f in c.check(&text) {
            *found.entry(f.rule).or_default() += 1;
        }
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        for e in &p.expect {
            *expected.entry(e.clone()).or_default() += 1;
        }
        for (rule, n) in &found {
            let e = expected.get(rule).copied().unwrap_or(0);
            tp += (*n).min(e);
            fp += n.saturating_sub(e);
        }
        for (rule, e) in &expected {
            let n = found.get(rule).copied().unwrap_or(0);
            fn_ += e.saturating_sub(n);
        }
        if found != expected {
            misses.push(format!("{:?} -> {found:?}", p.text));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    eprintln!(
        "{file}: {} passages, {tp} true, {fp} false, {fn_} missed: precision {precision:.2}, recall {recall:.2}",
        corpus.passages.len()
    );
    for m in &misses {
        eprintln!("  differs: {m}");
    }
    // A finding must be defensible: precision matters most.
    assert!(precision >= 0.95, "precision {precision:.2}: {misses:#?}");
    assert!(recall >= 0.85, "recall {recall:.2}: {misses:#?}");
}

#[test]
fn exit_codes_json_stdin_and_plain_output() {
    let sb = Sandbox::new();
    sb.file(
        "plan.txt",
        "Accommodations\n- Breaks as needed.\nReview date: 2027-06-15\n",
    );
    sb.file(
        "good.txt",
        "The EA reads every test aloud.\nReview date: June 2027.\n",
    );
    sb.file("plan.pdf", "%PDF-1.7 binary");
    let found = sb.iep().args(["check", "plan.txt"]).run();
    assert_eq!(found.code, 1, "{}", found.stderr);
    assert!(
        found
            .stdout
            .contains("line 2, column 10: - Breaks as needed."),
        "{}",
        found.stdout
    );
    assert!(
        !found.stdout.contains('\u{1b}'),
        "no colour without a terminal"
    );
    let json: serde_json::Value =
        serde_json::from_str(&sb.iep().args(["check", "--json", "plan.txt"]).run().stdout).unwrap();
    assert_eq!(json["version"], 1);
    let json = &json["findings"];
    assert_eq!(json[0]["rule"], "as-needed");
    assert_eq!(json[0]["line"], 2);
    assert_eq!(json[0]["quote"], "as needed");
    let clean = sb
        .iep()
        .args(["check", "-"])
        .stdin("The EA reads every test aloud.\nReview date: June 2027.\n")
        .run();
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    assert_eq!(sb.iep().args(["check", "good.txt"]).run().code, 0);
    let missing = sb.iep().args(["check", "nope.txt"]).run();
    assert_eq!(missing.code, 2);
    let pdf = sb.iep().args(["check", "plan.pdf"]).run();
    assert_eq!(pdf.code, 2);
    assert!(pdf.stderr.contains("pdftotext"), "{}", pdf.stderr);
}

#[test]
fn vague_wording_takes_its_entries_from_the_checker() {
    let sb = Sandbox::new();
    sb.file(
        "plan.txt",
        "Accommodations\n- Breaks as needed.\n- A scribe will be provided for tests.\n- The EA reads every test aloud.\n",
    );
    // Only the shared answers: the entries come from the plan.
    let common = std::fs::read_to_string(format!("{FIXTURES}/answers/common.toml")).unwrap();
    let common = sb.file("common.toml", &common).display().to_string();
    let args = [
        "write",
        "vague-wording",
        "-j",
        "ontario",
        "--date",
        "2026-11-23",
        "--answers",
        &common,
        "--no-input",
        "-o",
        "-",
        "--from-check",
        "plan.txt",
    ];
    let ran = sb.iep().args(args).ok();
    assert!(
        ran.stdout
            .contains("1. \"Breaks as needed\": Please name who decides"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("2. \"A scribe will be provided for tests\": Please name the person or role who provides it."), "{}", ran.stdout);
    assert!(
        !ran.stdout.contains("reads every test"),
        "a specific entry is not raised"
    );
    // A letter without such a list says which one has it.
    let err = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--no-input",
            "--from-check",
            "plan.txt",
        ])
        .fails();
    assert!(
        err.contains("iep write vague-wording --from-check plan.txt"),
        "{err}"
    );
}
