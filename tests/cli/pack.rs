//! `iep pack new` and `iep pack check`: a new pack checks clean, and each single fault is named
//! with its file (and line and column where the parser knows them).

use crate::support::Sandbox;

const LETTER: &str = "letters/transport-concern";

fn new_pack(sb: &Sandbox) -> std::path::PathBuf {
    sb.iep().args(["pack", "new", "parents-north"]).ok();
    sb.path().join("parents-north")
}

/// Applies one fault to a fresh copy of the scaffold and returns what `pack check` printed.
fn check_with(fault: impl FnOnce(&std::path::Path)) -> (i32, String, String) {
    let sb = Sandbox::new();
    let dir = new_pack(&sb);
    fault(&dir);
    let ran = sb.iep().args(["pack", "check", "parents-north"]).run();
    (ran.code, ran.stdout, ran.stderr)
}

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} is not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn a_new_pack_checks_clean_and_its_letter_reuses_the_built_in_frame() {
    let sb = Sandbox::new();
    let dir = new_pack(&sb);
    for f in [
        "pack.toml",
        "README.md",
        "letters/transport-concern/letter.toml",
        "letters/transport-concern/body.txt.tera",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let body = std::fs::read_to_string(dir.join(LETTER).join("body.txt.tera")).unwrap();
    assert!(body.contains(r#"{% extends "iep/letters/_layout.txt.tera" -%}"#));
    let ran = sb.iep().args(["pack", "check", "parents-north"]).ok();
    assert_eq!(
        ran.stdout,
        "The pack parents-north 0.1.0 looks right: every letter renders for every jurisdiction from its own examples.\n"
    );
    let again = sb.iep().args(["pack", "new", "parents-north"]).fails();
    assert!(again.contains("already exists"), "{again}");
    let bad = sb.iep().args(["pack", "new", "Parents North"]).fails();
    assert!(bad.contains("lower-case letters, digits and `-`"), "{bad}");
}

#[test]
fn each_fault_is_named_with_its_file_line_and_column() {
    // An unknown field in pack.toml.
    let (code, _, err) = check_with(|d| {
        std::fs::write(
            d.join("pack.toml"),
            std::fs::read_to_string(d.join("pack.toml")).unwrap() + "colour = \"red\"\n",
        )
        .unwrap()
    });
    assert_eq!(code, 1);
    assert!(
        err.contains("pack.toml is not valid")
            && err.contains("line 11, column 1")
            && err.contains("unknown field `colour`"),
        "{err}"
    );

    // A pack that needs a newer iep.
    let (code, _, err) = check_with(|d| {
        edit(
            &d.join("pack.toml"),
            &format!("min-iep = \"{}\"", env!("CARGO_PKG_VERSION")),
            "min-iep = \"99.0.0\"",
        )
    });
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "the pack parents-north needs iep 99.0.0 or newer, and this is iep {}",
            env!("CARGO_PKG_VERSION")
        )),
        "{err}"
    );

    // Template syntax.
    let (code, out, _) = check_with(|d| {
        edit(
            &d.join(LETTER).join("body.txt.tera"),
            "{{ what_happened | sentence }}",
            "{{ what_happened | sentence }",
        )
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("body.txt.tera:4:156") && out.contains("1 problem in the pack parents-north."),
        "{out}"
    );

    // A variable no question declares (a typo), and so the question it meant is unused.
    let (code, out, _) = check_with(|d| {
        edit(
            &d.join(LETTER).join("body.txt.tera"),
            "{{ what_happened | sentence }}",
            "{{ what_happend }}",
        )
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("  a template uses `what_happend`, but no question has that key\n"),
        "{out}"
    );
    assert!(
        out.contains("  the question `what_happened` is asked but no template uses it\n"),
        "{out}"
    );

    // A TOML error in a letter, with line and column.
    let (code, out, _) = check_with(|d| {
        edit(
            &d.join(LETTER).join("letter.toml"),
            "kind = \"long-text\"",
            "kind = long-text",
        )
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("letter.toml is not valid") && out.contains("line 15, column 8"),
        "{out}"
    );

    // A placeholder left in the text.
    let (code, out, _) = check_with(|d| {
        edit(
            &d.join(LETTER).join("body.txt.tera"),
            "Please reply by",
            "[SCHOOL NAME] Please reply by",
        )
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("the letter still contains the placeholder `[SCHOOL NAME]`"),
        "{out}"
    );

    // A role the letter needs that a jurisdiction lacks.
    let (code, out, _) = check_with(|d| {
        edit(
            &d.join(LETTER).join("letter.toml"),
            "to = \"principal\"",
            "to = \"transport-officer\"",
        )
    });
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "it is addressed to the role \"transport-officer\", which a jurisdiction does not have"
        ),
        "{out}"
    );

    // A jurisdiction fact with an empty source.
    let (code, out, _) = check_with(|d| {
        let ontario = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/jurisdictions/ontario.toml"
        ))
        .unwrap();
        let first = ontario.find("source = \"").unwrap();
        let end = ontario[first + 10..].find('"').unwrap() + first + 10;
        std::fs::create_dir_all(d.join("jurisdictions")).unwrap();
        std::fs::write(
            d.join("jurisdictions/ontario.toml"),
            format!("{}source = \"{}", &ontario[..first], &ontario[end..]),
        )
        .unwrap();
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("jurisdictions/ontario.toml") && out.contains("has an empty `source`"),
        "{out}"
    );
}
