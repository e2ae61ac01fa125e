//! French (issue 16): every French letter for Quebec against a reviewed snapshot, French
//! typography, no English word on a French screen or in a French letter, the order in which the
//! language is chosen, and the errors a French parent can meet.

use std::path::PathBuf;

use crate::support::{FIXTURES, Sandbox};

/// The French letters for Quebec (every built-in letter but Ontario's IPRC request).
pub const FRENCH_LETTERS: &[&str] = &[
    "iep-request",
    "implementation-concern",
    "progress-evidence",
    "escalation",
    "vague-wording",
    "review-request",
    "meeting-follow-up",
    "parent-summary",
];

/// The letters' fixed words that would show English slipped into a French letter or screen.
/// Whole words or phrases, matched case-sensitively where the English one is capitalised.
const ENGLISH: &[&str] = &[
    "Dear",
    "Sincerely",
    "Re:",
    "Enclosures",
    "cc:",
    "Subject:",
    "To:",
    "Please",
    "Thank you",
    "school",
    "Grade",
    "working days",
    "the ",
    " of ",
    " and ",
    "Question 1 of",
    "Press Enter",
    "Type ",
    "Check your answers",
    "Save the letter",
    "For example",
    "You can leave",
    "Everything looks right",
    "What would you like",
    "Change an answer",
    "leave this out",
    "Add a",
    "Add another",
    "yes or no",
    "Your answer",
    "Which ",
    "What ",
    "Where ",
    "Not part of the letter",
    "Saved the",
    "reply by",
    "is needed",
    "not a real date",
];

/// Fails on any of [`ENGLISH`] in `text`, naming where.
pub fn assert_no_english(what: &str, text: &str) {
    for word in ENGLISH {
        if let Some(at) = text.find(word) {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            panic!(
                "{what}: the English \"{word}\" in a French text:\n  {}",
                &text[start..end]
            );
        }
    }
}

/// Fails on an ordinary space before « : ; ? ! » or inside « guillemets »: French typography
/// puts a no-break space there (U+00A0, or the narrow U+202F).
pub fn assert_french_typography(what: &str, text: &str) {
    for (n, line) in text.lines().enumerate() {
        // Email addresses and URLs have no spaces; times like "15 h 30" are words.
        for bad in [" :", " ;", " ?", " !", "« ", " »"] {
            assert!(
                !line.contains(bad),
                "{what}, line {}: an ordinary space in \"{bad}\": {line}",
                n + 1
            );
        }
        for (i, c) in line.char_indices() {
            if [':', ';', '?', '!'].contains(&c) && i > 0 {
                let before = line[..i].chars().next_back().unwrap();
                // "Objet :" and the like need their no-break space; "https:" and "3:30" do not
                // occur in a French letter.
                assert!(
                    before == '\u{a0}'
                        || before == '\u{202f}'
                        || c != ':'
                        || line[i + 1..].starts_with("//"),
                    "{what}, line {}: no no-break space before \"{c}\": {line}",
                    n + 1
                );
            }
        }
    }
}

/// The French fixture answers for `letter`, as a file in the sandbox.
fn fixture(sb: &Sandbox, letter: &str) -> PathBuf {
    let mut common = std::fs::read_to_string(format!("{FIXTURES}/answers-fr/common.toml")).unwrap();
    if letter == "parent-summary" {
        let omitted = [
            "child_dob",
            "board_name",
            "recipient_name",
            "recipient_civility",
            "recipient_email",
            "sender_email",
            "sender_phone",
            "sender_city",
        ];
        common = common
            .lines()
            .filter(|l| !omitted.iter().any(|k| l.starts_with(&format!("{k} ="))))
            .map(|l| format!("{l}\n"))
            .collect();
    }
    let own = std::fs::read_to_string(format!("{FIXTURES}/answers-fr/{letter}.toml")).unwrap();
    sb.file(&format!("{letter}.fr.toml"), &format!("{common}\n{own}"))
}

/// Writes `letter` in French for Quebec from the fixtures (to `rung` for the escalation).
pub fn french_letter(letter: &str, rung: Option<&str>) -> crate::support::Ran {
    let sb = Sandbox::new();
    let answers = fixture(&sb, letter);
    let mut run = sb.iep().args([
        "write",
        letter,
        "--lang",
        "fr",
        "-j",
        "quebec",
        "--answers",
        &answers.display().to_string(),
        "--date",
        "2026-11-23",
        "--output",
        "-",
        "--no-input",
    ]);
    if let Some(rung) = rung {
        run = run.args(["--set", &format!("rung={rung}")]);
    }
    run.ok()
}

fn check(letter: &str, rung: Option<&str>) {
    let ran = french_letter(letter, rung);
    let name = match rung {
        Some(rung) if letter == "escalation" && rung != "complaints-officer" => {
            format!("{letter}@quebec-fr@{rung}")
        }
        _ => format!("{letter}@quebec-fr"),
    };
    assert_no_english(&name, &ran.stdout);
    assert_no_english(&name, &ran.stderr);
    assert_french_typography(&name, &ran.stdout);
    insta::assert_snapshot!(name, ran.stdout);
}

macro_rules! french_letters {
    ($($test:ident => $letter:literal $(@ $rung:literal)?),* $(,)?) => {
        mod snapshots {
            $(
                #[test]
                fn $test() {
                    super::check($letter, None $(.or(Some($rung)))?)
                }
            )*
        }
    };
}

french_letters! {
    iep_request => "iep-request",
    implementation_concern => "implementation-concern",
    progress_evidence => "progress-evidence",
    escalation => "escalation" @ "complaints-officer",
    escalation_principal => "escalation" @ "principal",
    escalation_regional_ombudsman => "escalation" @ "regional-ombudsman",
    vague_wording => "vague-wording",
    review_request => "review-request",
    meeting_follow_up => "meeting-follow-up",
    parent_summary => "parent-summary",
}

#[test]
fn the_french_snapshots_cover_every_letter_that_exists_for_quebec() {
    let catalog = iep::catalog::Catalog::new(&[]).unwrap();
    let mut for_quebec: Vec<String> = catalog
        .letter_ids()
        .unwrap()
        .into_iter()
        .filter(|id| catalog.letter(id).unwrap().exists_for("quebec"))
        .collect();
    for_quebec.sort();
    let mut french: Vec<&str> = FRENCH_LETTERS.to_vec();
    french.sort();
    assert_eq!(for_quebec, french);
    for id in FRENCH_LETTERS {
        catalog
            .letter_in(id, iep::lang::Lang::Fr)
            .unwrap_or_else(|e| panic!("{id}: {e:#}"));
    }
}

#[test]
fn a_french_id_writes_the_letter_in_french_and_the_answers_file_serves_both_languages() {
    let sb = Sandbox::new();
    let answers = fixture(&sb, "implementation-concern");
    let args = |letter: &str| {
        vec![
            "write".to_owned(),
            letter.to_owned(),
            "-j".into(),
            "quebec".into(),
            "--answers".into(),
            answers.display().to_string(),
            "--date".into(),
            "2026-11-23".into(),
            "--output".into(),
            "-".into(),
            "--no-input".into(),
        ]
    };
    let fr = sb.iep().args(args("mesure-non-appliquee")).ok();
    assert!(fr.stdout.contains("Madame la Directrice,"), "{}", fr.stdout);
    // The same answers, in English: the keys are the same in every language.
    let en = sb.iep().args(args("implementation-concern")).ok();
    assert!(en.stdout.contains("Sincerely"), "{}", en.stdout);
    // --lang wins over the French id.
    let en = sb
        .iep()
        .args(args("mesure-non-appliquee"))
        .args(["--lang", "en"])
        .ok();
    assert!(en.stdout.contains("Sincerely"), "{}", en.stdout);
}

/// Which language a letter came out in.
fn language_of(ran: &crate::support::Ran) -> &'static str {
    if ran.stdout.contains("Veuillez recevoir") {
        "fr"
    } else if ran.stdout.contains("Sincerely") {
        "en"
    } else {
        panic!("neither language:\n{}\n{}", ran.stdout, ran.stderr)
    }
}

#[test]
fn the_language_is_the_flag_then_the_case_then_the_settings_then_the_locale_then_english() {
    let sb = Sandbox::new();
    let answers = fixture(&sb, "implementation-concern");
    let write = |dir: &str| {
        sb.iep().in_dir(dir).args([
            "write",
            "implementation-concern",
            "-j",
            "quebec",
            "--answers",
            &answers.display().to_string(),
            "--date",
            "2026-11-23",
            "--output",
            "-",
            "--no-input",
        ])
    };
    std::fs::create_dir_all(sb.path().join("plain")).unwrap();
    // Nothing chooses: English (the tests' LANG is C.UTF-8).
    assert_eq!(language_of(&write("plain").ok()), "en");
    // The locale.
    assert_eq!(
        language_of(&write("plain").env("LANG", "fr_CA.UTF-8").ok()),
        "fr"
    );
    assert_eq!(
        language_of(&write("plain").env("LC_MESSAGES", "fr_FR").ok()),
        "fr"
    );
    // LC_ALL weighs most: C means English whatever LANG says.
    assert_eq!(
        language_of(
            &write("plain")
                .env("LC_ALL", "C")
                .env("LANG", "fr_CA.UTF-8")
                .ok()
        ),
        "en"
    );
    // The settings beat the locale.
    sb.file("home/.config/iep/settings.toml", "lang = \"fr\"\n");
    assert_eq!(language_of(&write("plain").ok()), "fr");
    // The case beats the settings.
    sb.iep()
        .env("IEP_TODAY", "2026-11-02")
        .args([
            "init",
            "dossier",
            "--no-input",
            "-j",
            "quebec",
            "-s",
            "child_name=Élodie Tremblay",
            "-s",
            "child_dob=2016-04-09",
            "-s",
            "grade=4e année",
            "-s",
            "school_name=École des Érables",
            "-s",
            "sender_name=Julie Tremblay",
            "-s",
            "sender_email=julie@example.org",
            "-s",
            "lang=en",
        ])
        .ok();
    assert!(sb.read("dossier/iep-case.toml").contains("lang = \"en\""));
    let in_case = write("dossier").ok();
    assert_eq!(language_of(&in_case), "en");
    // The flag beats the case.
    assert_eq!(
        language_of(&write("dossier").args(["--lang", "fr"]).ok()),
        "fr"
    );
}

#[test]
fn a_case_made_in_french_keeps_its_language() {
    let sb = Sandbox::new();
    sb.iep()
        .env("LANG", "fr_CA.UTF-8")
        .args([
            "init",
            "dossier",
            "--no-input",
            "-j",
            "quebec",
            "-s",
            "child_name=Élodie Tremblay",
            "-s",
            "child_dob=2016-04-09",
            "-s",
            "grade=4e année",
            "-s",
            "school_name=École des Érables",
            "-s",
            "sender_name=Julie Tremblay",
            "-s",
            "sender_email=julie@example.org",
        ])
        .ok();
    assert!(
        sb.read("dossier/iep-case.toml").contains("lang = \"fr\""),
        "{}",
        sb.read("dossier/iep-case.toml")
    );
}

#[test]
fn an_unknown_language_lists_the_languages() {
    let sb = Sandbox::new();
    let ran = sb
        .iep()
        .args(["write", "implementation-concern", "--lang", "xx"])
        .run();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("en (English), fr (français)"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_letter_with_no_french_version_asked_in_french_says_so_and_how_to_write_it_in_english() {
    let sb = Sandbox::new();
    let stderr = sb
        .iep()
        .args([
            "write",
            "iprc-request",
            "--lang",
            "fr",
            "-j",
            "ontario",
            "--no-input",
        ])
        .fails();
    assert!(
        stderr.contains("n'existe pas en français") && stderr.contains("--lang en"),
        "{stderr}"
    );
    // A place with no French version, asked on purpose.
    let answers = fixture(&sb, "implementation-concern");
    let stderr = sb
        .iep()
        .args([
            "write",
            "implementation-concern",
            "--lang",
            "fr",
            "-j",
            "ontario",
            "--answers",
            &answers.display().to_string(),
            "--no-input",
        ])
        .fails();
    assert!(
        stderr.contains("pas de version en français pour Ontario") && stderr.contains("--lang en"),
        "{stderr}"
    );
    // Chosen only by the locale: the letter is written in English, and that is said.
    let ran = sb
        .iep()
        .env("LANG", "fr_CA.UTF-8")
        .args([
            "write",
            "implementation-concern",
            "-j",
            "ontario",
            "--answers",
            &answers.display().to_string(),
            "--date",
            "2026-11-23",
            "--output",
            "-",
            "--no-input",
        ])
        .ok();
    assert!(ran.stdout.contains("Sincerely"), "{}", ran.stdout);
    assert!(
        ran.stderr.contains("La lettre est écrite en anglais"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_french_date_that_does_not_exist_is_refused_in_french() {
    let sb = Sandbox::new();
    let answers = fixture(&sb, "progress-evidence");
    let stderr = sb
        .iep()
        .args([
            "write",
            "progress-evidence",
            "--lang",
            "fr",
            "-j",
            "quebec",
            "--answers",
            &answers.display().to_string(),
            "--date",
            "2026-11-23",
            "--set",
            "told_on=31 février 2026",
            "--output",
            "-",
            "--no-input",
        ])
        .fails();
    assert!(
        stderr.contains("«\u{a0}31 février 2026\u{a0}» n'est pas une vraie date"),
        "{stderr}"
    );
    // A French date that exists is read, and written the French way.
    let ran = sb
        .iep()
        .args([
            "write",
            "progress-evidence",
            "--lang",
            "fr",
            "-j",
            "quebec",
            "--answers",
            &answers.display().to_string(),
            "--date",
            "le 23 nov. 2026",
            "--set",
            "told_on=le 3 novembre 2026",
            "--output",
            "-",
            "--no-input",
        ])
        .ok();
    assert!(
        ran.stdout.contains("Montréal, le 23 novembre 2026")
            && ran.stdout.contains("On m'a dit ceci le 3 novembre 2026"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_french_interview_shows_no_english_word_on_any_screen() {
    use clap::Parser as _;
    use iep::cli::{Cli, Command};
    use iep::cmd::{Ctx, Env, write};
    use iep::prompt::{Scripted, Step};

    let sb = Sandbox::new();
    // Everything but the support and the examples is known; empty optional answers mean
    // "leave out".
    let common = std::fs::read_to_string(format!("{FIXTURES}/answers-fr/common.toml")).unwrap();
    sb.file(
        "reponses.toml",
        &format!(
            "{common}board_kind = \"service-centre\"\nstudent_id = \"\"\nsender_address = \"\"\naccess_needs = \"\"\nplan_section = \"\"\nimpact = \"\"\ncc = []\n"
        ),
    );
    let catalog = iep::catalog::Catalog::new(&[]).unwrap();
    let Command::Write(args) = Cli::parse_from([
        "iep",
        "write",
        "implementation-concern",
        "-j",
        "quebec",
        "--answers",
        "reponses.toml",
    ])
    .command
    else {
        unreachable!()
    };
    let env = Env::isolated();
    let t = |s: &str| Step::Text(s.to_owned());
    let mut p = Scripted::new([
        t(""), // support: empty is refused (needed)
        t("Un scribe pour les examens écrits"),
        Step::Confirm(true),  // add an example
        t("31 février 2026"), // refused: not a real date
        t("le 4 nov. 2026"),
        t("pas de scribe à l'examen de sciences"),
        Step::Confirm(false), // no other
        Step::Pick("Tout est juste".into()),
        Step::Pick("Enregistrer la lettre".into()),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = std::io::empty();
    write::execute(
        &args,
        &mut Ctx {
            catalog: &catalog,
            date: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            now: chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00-05:00").unwrap(),
            prompter: Some(&mut p),
            out: &mut out,
            err: &mut err,
            cwd: sb.path().to_owned(),
            case: None,
            input: &mut input,
            env: &env,
            lang: iep::lang::Lang::Fr,
            lang_chosen: iep::lang::Chosen::Flag,
            packs: sb.path().join("packs"),
            colour: false,
        },
    )
    .unwrap();
    assert!(p.finished(), "{}", p.transcript.join("\n"));
    let shown = p.shown.join("\n");
    let err = String::from_utf8(err).unwrap();
    assert_no_english("the interview's screens", &shown);
    assert_no_english("the messages after it", &err);
    for expected in [
        "Question 1 sur 2",
        "Cette réponse est nécessaire pour écrire la lettre.",
        "«\u{a0}31 février 2026\u{a0}» n'est pas une vraie date",
        "Ajouter un élément (exemple)\u{a0}?",
        "Vérifiez vos réponses.",
        "Que voulez-vous faire\u{a0}?",
        "Veuillez recevoir, Madame la Directrice, mes salutations distinguées.",
        "- Le 4 novembre 2026\u{a0}: pas de scribe à l'examen de sciences.",
    ] {
        assert!(shown.contains(expected), "missing {expected:?}:\n{shown}");
    }
    assert!(err.contains("Lettre enregistrée"), "{err}");
}

#[test]
fn the_program_words_are_french_in_french() {
    // Every text of the French table is checked for typography by the unit tests; here, the
    // tables' words that a parent types are read back.
    let fr = iep::lang::Lang::Fr.words();
    assert!(fr.yes_words.contains(&"oui") && fr.yes_words.contains(&"o"));
    assert!(fr.no_words.contains(&"non") && fr.no_words.contains(&"n"));
}

/// A French complaint that lists the earlier steps from the case's own records says what came
/// back in French, with French typography: the record's reply is not pasted in English.
#[test]
fn a_french_complaint_lists_the_earlier_steps_and_replies_in_french() {
    let sb = Sandbox::new();
    let on = |day: &str, args: &[&str]| {
        sb.iep()
            .in_dir("dossier")
            .env("IEP_TODAY", day)
            .args(args)
            .ok()
    };
    sb.iep()
        .env("IEP_TODAY", "2026-11-02")
        .args([
            "init",
            "dossier",
            "--no-input",
            "--lang",
            "fr",
            "-j",
            "quebec",
        ])
        .args([
            "-s",
            "child_name=Élodie Tremblay",
            "-s",
            "child_dob=2016-04-09",
        ])
        .args([
            "-s",
            "grade=4e année",
            "-s",
            "school_name=École des Érables",
        ])
        .args(["-s", "board_name=Centre de services scolaire des Lacs"])
        .args([
            "-s",
            "sender_name=Julie Tremblay",
            "-s",
            "sender_email=julie@example.org",
        ])
        .args([
            "--contact",
            "principal=Mme Amina Patel <a.patel@ecole.example.org>",
        ])
        .ok();
    on(
        "2026-11-04",
        &[
            "observe",
            "--support",
            "Un scribe",
            "--what",
            "aucun scribe",
        ],
    );
    on(
        "2026-11-12",
        &[
            "write",
            "implementation-concern",
            "--no-input",
            "-s",
            "support=Un scribe",
        ],
    );
    on(
        "2026-11-20",
        &[
            "reply",
            "implementation",
            "--from",
            "Mme Patel",
            "--summary",
            "Un scribe sera trouvé.",
            "--answered",
            "1",
        ],
    );
    on(
        "2026-12-01",
        &[
            "write",
            "escalation",
            "--no-input",
            "--follow-up",
            "2026-11-12-implementation-concern",
            "-s",
            "rung=complaints-officer",
            "-s",
            "issue=Le scribe n'est toujours pas offert.",
            "-s",
            "remedy=Que le scribe soit offert à chaque examen.",
        ],
    );
    let letter = sb.read("dossier/records/2026-12-01-escalation/letter.txt");
    assert!(
        letter.contains(
            "Réponse\u{a0}: Mme Patel a répondu le 20 novembre 2026\u{a0}: Un scribe sera trouvé."
        ),
        "{letter}"
    );
    assert_no_english("the complaint", &letter);
    assert_french_typography("the complaint", &letter);
}
