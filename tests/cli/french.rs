//! French (issue 16): every French letter for Quebec against a reviewed snapshot, French
//! typography, no English word on a French screen or in a French letter, the order in which the
//! language is chosen, and the errors a French parent can meet.

use std::path::PathBuf;

use crate::support::{FIXTURES, FRENCH_CASE, Sandbox};

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
        .args(["init", "dossier", "--no-input", "--lang", "fr"])
        .args(FRENCH_CASE)
        .args(["-s", "child_name=Élodie Tremblay"])
        .args(["-s", "sender_email=julie@example.org"])
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

/// Runs `iep init` with `argv` against a scripted prompter, in `lang` chosen as `chosen`: what
/// the screens showed, and what iep wrote to standard error.
fn scripted_init(
    sb: &Sandbox,
    argv: &[&str],
    lang: iep::lang::Lang,
    chosen: iep::lang::Chosen,
    steps: Vec<iep::prompt::Step>,
) -> (String, String) {
    use clap::Parser as _;
    use iep::cli::{Cli, Command};
    use iep::cmd::{Ctx, Env, init};
    use iep::prompt::Scripted;

    let catalog = iep::catalog::Catalog::new(&[]).unwrap();
    let mut all = vec!["iep", "init"];
    all.extend_from_slice(argv);
    let Command::Init(args) = Cli::parse_from(all).command else {
        unreachable!()
    };
    let env = Env::isolated();
    let mut p = Scripted::new(steps);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = std::io::empty();
    let result = init::execute(
        &args,
        &mut Ctx {
            catalog: &catalog,
            date: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            now: chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00-05:00").unwrap(),
            prompter: Some(&mut p),
            out: &mut out,
            err: &mut err,
            cwd: sb.path().to_owned(),
            case: None,
            input: &mut input,
            env: &env,
            lang,
            lang_chosen: chosen,
            packs: sb.path().join("packs"),
            colour: false,
        },
    );
    let err = String::from_utf8(err).unwrap();
    result.unwrap_or_else(|e| panic!("{e:#}\n{}\n{err}", p.transcript.join("\n")));
    assert!(p.finished(), "{}", p.transcript.join("\n"));
    (p.shown.join("\n"), err)
}

#[test]
fn a_french_init_asks_and_says_everything_in_french() {
    use iep::prompt::Step;
    let sb = Sandbox::new();
    let t = |s: &str| Step::Text(s.to_owned());
    let mut argv = vec!["dossier"];
    argv.extend_from_slice(FRENCH_CASE);
    let (shown, err) = scripted_init(
        &sb,
        &argv,
        iep::lang::Lang::Fr,
        iep::lang::Chosen::Flag,
        vec![
            t("Élodie Tremblay"),
            t(""),               // pronouns: left empty
            Step::Confirm(true), // add a person
            Step::Pick("Direction".into()),
            t("Mme Amina Patel"),
            t("pas une adresse"), // refused in French
            t("a.patel@ecole.example.org"),
            Step::Confirm(false),    // no other
            t("julie@@example.org"), // refused in French
            t("julie@example.org"),
            t("du 1er janvier 2027 au 21 décembre 2026"), // refused: ends before it starts
            t("du 21 décembre 2026 au 1er janvier 2027"),
            t("27 février 2027"),
            t(""),
            Step::Pick("Tout est juste".into()),
        ],
    );
    assert_no_english("iep init's screens", &shown);
    assert_no_english("iep init's messages", &err);
    assert_french_typography("iep init's messages", &err);
    for expected in [
        "À qui écrivez-vous à l'école",
        "«\u{a0}pas une adresse\u{a0}» n'est pas une adresse courriel",
        "finit (21 décembre 2026) avant de commencer (1er janvier 2027)",
        "Quand l'école de votre enfant est-elle fermée",
    ] {
        assert!(shown.contains(expected), "missing {expected:?}:\n{shown}");
    }
    assert!(err.contains("iep garde un dossier"), "{err}");
    assert!(err.contains("Dossier créé"), "{err}");
    let profile = sb.read("dossier/iep-case.toml");
    assert!(profile.contains("lang = \"fr\""), "{profile}");
    assert!(
        profile.contains("\"2026-12-21 to 2027-01-01\"") && profile.contains("\"2027-02-27\""),
        "{profile}"
    );
}

#[test]
fn a_parent_who_picks_french_at_init_s_first_question_reads_the_rest_in_french() {
    use iep::prompt::Step;
    let sb = Sandbox::new();
    let t = |s: &str| Step::Text(s.to_owned());
    let mut argv = vec!["dossier"];
    argv.extend_from_slice(FRENCH_CASE);
    argv.extend_from_slice(&["-s", "sender_email=julie@example.org", "-s", "closed_days="]);
    let (shown, err) = scripted_init(
        &sb,
        &argv,
        iep::lang::Lang::En,
        iep::lang::Chosen::Default,
        vec![
            Step::Pick("Français".into()),
            t("Élodie Tremblay"),
            t(""),
            Step::Confirm(false), // no person
            Step::Pick("Tout est juste".into()),
        ],
    );
    // The language question is asked in both languages; everything after it in French.
    let (first, rest) = shown
        .split_once("sauf si --lang dit autre chose.")
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(first.contains("Français"), "{first}");
    assert_no_english("after the language was picked", rest);
    let (_, after) = err
        .split_once("Dossier créé")
        .unwrap_or_else(|| panic!("{err}"));
    assert_no_english("iep init's last messages", after);
    assert!(sb.read("dossier/iep-case.toml").contains("lang = \"fr\""));
}

#[test]
fn french_closed_days_ranges_are_read_from_the_command_line_too() {
    let sb = Sandbox::new();
    let mut args = vec!["init", "dossier", "--no-input", "--lang", "fr"];
    args.extend_from_slice(FRENCH_CASE);
    args.extend_from_slice(&[
        "-s",
        "child_name=Élodie Tremblay",
        "-s",
        "sender_email=julie@example.org",
        "-s",
        "closed_days=du 21 décembre 2026 au 1er janvier 2027",
    ]);
    let ran = sb.iep().args(&args).ok();
    assert_no_english("iep init --lang fr", &ran.stderr);
    assert!(
        sb.read("dossier/iep-case.toml")
            .contains("closed_days = [\"2026-12-21 to 2027-01-01\"]"),
        "{}",
        sb.read("dossier/iep-case.toml")
    );
    // English ranges still read with "to", and a French one that ends before it starts is
    // refused in French.
    let mut args = vec!["init", "autre", "--no-input", "--lang", "fr"];
    args.extend_from_slice(FRENCH_CASE);
    args.extend_from_slice(&[
        "-s",
        "child_name=Élodie Tremblay",
        "-s",
        "sender_email=julie@example.org",
        "-s",
        "closed_days=21 décembre 2026 au 1er janvier 2026",
    ]);
    let stderr = sb.iep().args(&args).fails();
    assert!(stderr.contains("avant de commencer"), "{stderr}");
    assert_no_english("a refused break", &stderr);
}

/// A French case for Quebec with the implementation-concern letter written on 2026-11-23 to
/// the principal; the letter's record id.
fn french_case_with_a_letter(sb: &Sandbox) -> String {
    let mut args = vec!["init", "dossier", "--no-input", "--lang", "fr"];
    args.extend_from_slice(FRENCH_CASE);
    args.extend_from_slice(&[
        "-s",
        "child_name=Élodie Tremblay",
        "-s",
        "sender_email=julie@example.org",
        "--contact",
        "principal=Mme Amina Patel <a.patel@ecole.example.org>",
    ]);
    sb.iep().env("IEP_TODAY", "2026-11-02").args(&args).ok();
    let answers = fixture(sb, "implementation-concern");
    sb.iep()
        .in_dir("dossier")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "implementation-concern",
            "--answers",
            &answers.display().to_string(),
            "--no-input",
        ])
        .ok();
    "2026-11-23-implementation-concern".to_owned()
}

#[test]
fn due_log_reply_observe_and_case_show_speak_french_in_a_french_case() {
    let sb = Sandbox::new();
    let id = french_case_with_a_letter(&sb);
    let run = |today: &str, args: &[&str]| {
        let ran = sb
            .iep()
            .in_dir("dossier")
            .env("IEP_TODAY", today)
            .args(args)
            .ok();
        let what = format!("iep {}", args.join(" "));
        assert_no_english(&what, &ran.stdout);
        assert_no_english(&what, &ran.stderr);
        format!("{}{}", ran.stdout, ran.stderr)
    };
    // Overdue: the status words and the next steps in French.
    let due = run("2026-12-20", &["due"]);
    for expected in [
        "La réponse était attendue le 7 décembre 2026\u{a0}: il y a 13 jours",
        &format!("Si une réponse est arrivée\u{a0}: iep reply {id}"),
        "Ensuite (l'étape suivante\u{a0}: Responsable du traitement des plaintes",
    ] {
        assert!(due.contains(expected), "missing {expected:?}:\n{due}");
    }
    assert!(!due.contains("{board}"), "{due}");
    let log = run("2026-12-20", &["log"]);
    assert!(
        log.contains("EN RETARD\u{a0}: réponse attendue le 7 décembre 2026"),
        "{log}"
    );
    // A reply that answers one question of five leaves the letter open.
    let reply = run(
        "2026-12-20",
        &[
            "reply",
            &id,
            "--from",
            "Mme Patel, directrice",
            "--summary",
            "Le scribe sera là dès lundi.",
            "--answered",
            "1",
            "--date",
            "2026-12-01",
        ],
    );
    for expected in [
        &format!("Réponse à {id} notée."),
        "Elle laisse 4 questions sur 5 sans réponse\u{a0}:",
        "redemander ce qui reste sans réponse\u{a0}: iep write implementation-concern",
    ] {
        assert!(reply.contains(expected), "missing {expected:?}:\n{reply}");
    }
    let due = run("2026-12-20", &["due"]);
    assert!(
        due.contains("Toujours ouverte\u{a0}: la réponse du 1er décembre 2026 laisse 4 questions sur 5 sans réponse"),
        "{due}"
    );
    let log = run("2026-12-20", &["log"]);
    assert!(
        log.contains(
            "OUVERTE\u{a0}: réponse reçue le 1er décembre 2026, 4 questions sur 5 sans réponse"
        ),
        "{log}"
    );
    let one = run("2026-12-20", &["log", &id]);
    for expected in [
        "Date\u{a0}: 23 novembre 2026",
        "Questions posées à l'école\u{a0}:",
        "(1 question sur 5 a reçu une réponse)",
    ] {
        assert!(one.contains(expected), "missing {expected:?}:\n{one}");
    }
    let observed = run(
        "2026-12-20",
        &[
            "observe",
            "--support",
            "Un scribe pour les examens écrits",
            "--what",
            "pas de scribe à l'examen de sciences",
            "--date",
            "2026-12-10",
        ],
    );
    assert!(observed.contains("Observation notée"), "{observed}");
    // The observation is whole: a French form keeps no answer an observation cannot hold.
    let shown = run("2026-12-20", &["case", "show"]);
    assert!(
        shown.contains(
            "Lettres\u{a0}: 1 (0 en attente de réponse, 0 en retard). Observations\u{a0}: 1."
        ),
        "{shown}"
    );
    assert!(!shown.contains("cannot be read"), "{shown}");
    let sent = run("2026-12-20", &["sent", &id, "--on", "2026-11-24"]);
    assert!(sent.contains("a été envoyée le 24 novembre 2026"), "{sent}");
    run("2026-12-20", &["outbox"]);
    // Machine-readable output stays as it was.
    let json = sb
        .iep()
        .in_dir("dossier")
        .env("IEP_TODAY", "2026-12-20")
        .args(["due", "--json"])
        .ok()
        .stdout;
    assert!(
        json.contains("\"why\": \"ask again for what is still open\""),
        "{json}"
    );
}

#[test]
fn due_offers_to_write_the_next_letter_in_french() {
    use iep::prompt::{Scripted, Step};
    let sb = Sandbox::new();
    french_case_with_a_letter(&sb);
    let catalog = iep::catalog::Catalog::new(&[]).unwrap();
    let case = iep::case::Case {
        root: sb.path().join("dossier"),
    };
    let env = iep::cmd::Env::isolated();
    let mut p = Scripted::new([Step::Pick("Pas maintenant".into())]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = std::io::empty();
    use clap::Parser as _;
    let iep::cli::Command::Due(args) = iep::cli::Cli::parse_from(["iep", "due"]).command else {
        unreachable!()
    };
    iep::cmd::due::execute(
        &args,
        &mut iep::cmd::Ctx {
            catalog: &catalog,
            date: None,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
            now: chrono::DateTime::parse_from_rfc3339("2026-12-20T09:00:00-05:00").unwrap(),
            prompter: Some(&mut p),
            out: &mut out,
            err: &mut err,
            cwd: case.root.clone(),
            case: Some(case.clone()),
            input: &mut input,
            env: &env,
            lang: iep::lang::Lang::Fr,
            lang_chosen: iep::lang::Chosen::Case,
            packs: sb.path().join("packs"),
            colour: false,
        },
    )
    .unwrap();
    let shown = p.shown.join("\n");
    assert!(
        shown.contains("Écrire une de ces lettres maintenant\u{a0}?"),
        "{shown}"
    );
    assert!(
        shown.contains("L'étape suivante\u{a0}: Responsable du traitement des plaintes"),
        "{shown}"
    );
    assert_no_english("iep due's offer", &shown);
    assert_no_english("iep due", &String::from_utf8(out).unwrap());
}

/// The commands whose `--help` is in French, and the snapshot of each English help taken
/// before the French one existed (`tests/fixtures/help-en/`).
const HELPS: &[&str] = &["main", "write", "init", "reply", "due", "log", "send"];

fn help(sb: &Sandbox, page: &str, extra: &[&str], env: &[(&str, &str)]) -> crate::support::Ran {
    let mut args: Vec<&str> = Vec::new();
    if page != "main" {
        args.push(page);
    }
    args.push("--help");
    args.extend_from_slice(extra);
    let mut run = sb.iep().args(&args);
    for (k, v) in env {
        run = run.env(k, v);
    }
    run.ok()
}

#[test]
fn english_help_is_byte_for_byte_what_it_was() {
    let sb = Sandbox::new();
    for page in HELPS {
        let want = std::fs::read_to_string(format!("{FIXTURES}/help-en/{page}.txt")).unwrap();
        assert_eq!(help(&sb, page, &[], &[]).stdout, want, "iep {page} --help");
        assert_eq!(
            help(&sb, page, &["--lang", "en"], &[("LANG", "fr_CA.UTF-8")]).stdout,
            want,
            "iep {page} --help --lang en"
        );
    }
}

/// The words of a help page a parent reads, lower case: without commands, flags, paths, keys
/// and placeholders (`--follow-up`, `settings.toml`, `<FICHIER>`, `rung=…`, `` `iep log` ``).
fn prose_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        for word in part.split_whitespace() {
            if word.starts_with('-')
                || word.contains(|c: char| "_./=<>[]$~@-".contains(c) || c.is_ascii_digit())
            {
                continue;
            }
            out.extend(
                word.split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase),
            );
        }
    }
    out
}

#[test]
fn french_help_has_none_of_the_english_help_s_words() {
    // Names and words that are the same in both languages.
    const SAME: &[&str] = &[
        "iep",
        "options",
        "arguments",
        "date",
        "plan",
        "scripts",
        "format",
        "version",
        "json",
        "toml",
        "pdf",
        "csv",
        "markdown",
        "smtp",
        "roff",
        "man",
        "bash",
        "git",
        "iso",
        "mm",
        "a",
        "en",
        "fr",
        "ou",
        "ontario",
        "quebec",
        "generic",
        "canada",
        "letter",
        "letters",
        "jurisdictions",
        "write",
        "init",
        "case",
        "log",
        "due",
        "observe",
        "reply",
        "send",
        "edit",
        "sent",
        "outbox",
        "print",
        "bundle",
        "config",
        "check",
        "pack",
        "completions",
        "serve",
        "help",
        "show",
        "all",
        "none",
        "md",
        "lang",
        "s",
        "question",
        "questions",
        "observation",
        "observations",
        "tribunal",
        "code",
        "page",
        "message",
        "terminal",
        "cd",
        "unique",
        "exact",
    ];
    let sb = Sandbox::new();
    for page in HELPS {
        let english = std::fs::read_to_string(format!("{FIXTURES}/help-en/{page}.txt")).unwrap();
        let english: std::collections::BTreeSet<String> =
            prose_words(&english).into_iter().collect();
        for (how, extra, env) in [
            ("--lang fr", &["--lang", "fr"][..], &[][..]),
            ("LANG=fr_CA", &[][..], &[("LANG", "fr_CA.UTF-8")][..]),
        ] {
            let french = help(&sb, page, extra, env).stdout;
            let what = format!("iep {page} --help ({how})");
            assert!(french.contains("Utilisation\u{a0}:"), "{what}:\n{french}");
            let left: Vec<String> = prose_words(&french)
                .into_iter()
                .filter(|w| english.contains(w) && !SAME.contains(&w.as_str()))
                .collect();
            assert!(left.is_empty(), "{what}: English words {left:?}:\n{french}");
            assert_no_english(&what, &french);
            assert_french_typography(&what, &french);
        }
    }
    // A French case chooses French help too; `iep help write` is the same page.
    let by_help = sb.iep().args(["--lang", "fr", "help", "write"]).ok().stdout;
    assert!(by_help.contains("Écrire une lettre"), "{by_help}");
    french_case_with_a_letter(&sb);
    let in_case = sb
        .iep()
        .in_dir("dossier")
        .args(["due", "--help"])
        .ok()
        .stdout;
    assert!(
        in_case.contains("Les lettres dont la réponse est en retard"),
        "{in_case}"
    );
}

#[test]
fn every_argument_of_the_main_commands_has_its_french_help() {
    use clap::CommandFactory as _;
    use iep::lang::help::{COMMANDS, TEXTS};
    let has = |command: &str, what: &str| TEXTS.iter().any(|(c, w, _)| *c == command && *w == what);
    let root = iep::cli::Cli::command();
    for sub in root.get_subcommands() {
        assert!(
            has(sub.get_name(), "about"),
            "`iep {}` has no French about",
            sub.get_name()
        );
    }
    for arg in root.get_arguments() {
        assert!(
            has("", arg.get_id().as_str()),
            "`iep --{}` has no French help",
            arg.get_id()
        );
    }
    for name in COMMANDS {
        let sub = root.find_subcommand(name).unwrap();
        assert!(
            has(name, "after-help"),
            "`iep {name}` has no French examples"
        );
        for arg in sub.get_arguments() {
            assert!(
                has(name, arg.get_id().as_str()),
                "`iep {name}`'s argument `{}` has no French help",
                arg.get_id()
            );
        }
    }
}
