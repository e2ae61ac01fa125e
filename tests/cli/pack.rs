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

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/packs/parents-north");

fn write_args(sb: &Sandbox, letter: &str, extra: &[&str]) -> Vec<String> {
    let common =
        std::fs::read_to_string(format!("{}/answers/common.toml", crate::support::FIXTURES))
            .unwrap();
    let own = std::fs::read_to_string(format!(
        "{}/answers/implementation-concern.toml",
        crate::support::FIXTURES
    ))
    .unwrap();
    let answers = sb.file("pack-answers.toml", &format!("{common}\n{own}"));
    let mut args: Vec<String> = [
        "write",
        letter,
        "-j",
        "ontario",
        "--date",
        "2026-11-23",
        "--no-input",
        "-o",
        "-",
        "--answers",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(answers.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn the_example_pack_installs_lists_and_writes_its_letters() {
    let sb = Sandbox::new();
    let installed = sb.iep().args(["pack", "install", EXAMPLE]).ok();
    assert!(
        installed
            .stderr
            .contains("Installed parents-north 1.0.0 by Parents North (example): 2 letters"),
        "{}",
        installed.stderr
    );
    let list = sb.iep().args(["pack", "list"]).ok();
    assert!(
        list.stdout
            .starts_with("parents-north 1.0.0  Parents North (example) (help line 555-0100)\n"),
        "{}",
        list.stdout
    );
    let letters = sb.iep().args(["letters"]).ok().stdout;
    assert!(
        letters.contains("From installed packs:\nparents-north/implementation-concern"),
        "{letters}"
    );
    let show = sb
        .iep()
        .args(["letters", "show", "parents-north/implementation-concern"])
        .ok()
        .stdout;
    assert!(show.contains("key: supporter"), "{show}");
    assert!(
        letters.contains("parents-north/transport-concern"),
        "{letters}"
    );

    // Same id as a built-in: the pack's is reached by its full name and adds to the built-in.
    let pack_letter = sb
        .iep()
        .args(write_args(
            &sb,
            "parents-north/implementation-concern",
            &["--set", "supporter=Dana Reyes"],
        ))
        .ok()
        .stdout;
    insta::assert_snapshot!("pack_implementation_concern", pack_letter);
    let built_in = sb
        .iep()
        .args(write_args(&sb, "implementation-concern", &[]))
        .ok()
        .stdout;
    assert!(
        !built_in.contains("Parents North"),
        "the plain id is still the built-in letter"
    );
    // Everything the built-in letter says, then the pack's paragraph.
    let shared = &built_in[..built_in.find("Thank you for your time").unwrap()];
    assert!(pack_letter.starts_with(shared.trim_end()), "{pack_letter}");

    // A new id is reached by its plain name too.
    let transport = sb
        .iep()
        .args(write_args(
            &sb,
            "transport-concern",
            &[
                "--set",
                "what_happened=The taxi did not come on November 3 and 10.",
            ],
        ))
        .run();
    // The implementation-concern answers do not fit this letter: it says which.
    assert_eq!(transport.code, 1);
    assert!(
        transport.stderr.contains("has no question `support`"),
        "{}",
        transport.stderr
    );
    let common = sb.file(
        "common-only.toml",
        &std::fs::read_to_string(format!("{}/answers/common.toml", crate::support::FIXTURES))
            .unwrap(),
    );
    let transport = sb
        .iep()
        .args([
            "write",
            "transport-concern",
            "-j",
            "ontario",
            "--date",
            "2026-11-23",
            "--no-input",
            "-o",
            "-",
            "--answers",
            &common.display().to_string(),
            "--set",
            "what_happened=The taxi did not come on November 3 and 10.",
        ])
        .ok()
        .stdout;
    insta::assert_snapshot!("pack_transport_concern", transport);

    let removed = sb.iep().args(["pack", "remove", "parents-north"]).ok();
    assert!(removed.stderr.contains("Removed the pack parents-north"));
    let gone = sb
        .iep()
        .args(["write", "transport-concern", "--no-input"])
        .fails();
    assert!(
        gone.contains("there is no letter called \"transport-concern\""),
        "{gone}"
    );
}

#[test]
fn archives_install_and_unsafe_ones_are_refused_whole() {
    use std::io::Write as _;
    let sb = Sandbox::new();
    // A .tar.gz and a .zip of the example pack, each with the pack in a top folder.
    let tgz = sb.path().join("pack.tar.gz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&tgz).unwrap(),
            flate2::Compression::default(),
        );
        let mut tar = tar::Builder::new(gz);
        tar.append_dir_all("parents-north", EXAMPLE).unwrap();
        tar.into_inner().unwrap().finish().unwrap();
    }
    sb.iep().args(["pack", "install", "pack.tar.gz"]).ok();
    let zip_path = sb.path().join("pack.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        let mut stack = vec![std::path::PathBuf::new()];
        while let Some(rel) = stack.pop() {
            for e in std::fs::read_dir(std::path::Path::new(EXAMPLE).join(&rel)).unwrap() {
                let e = e.unwrap();
                let r = rel.join(e.file_name());
                if e.file_type().unwrap().is_dir() {
                    stack.push(r);
                } else {
                    zip.start_file(format!("parents-north/{}", r.display()), opts)
                        .unwrap();
                    zip.write_all(&std::fs::read(e.path()).unwrap()).unwrap();
                }
            }
        }
        zip.finish().unwrap();
    }
    sb.iep().args(["pack", "install", "pack.zip"]).ok();
    assert!(
        sb.iep()
            .args(["pack", "list"])
            .ok()
            .stdout
            .contains("parents-north 1.0.0")
    );

    // A .zip entry that climbs out of the pack: refused, and nothing is written outside.
    let evil = sb.path().join("evil.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&evil).unwrap());
        zip.start_file(
            "../../escaped.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(b"x").unwrap();
        zip.finish().unwrap();
    }
    let err = sb.iep().args(["pack", "install", "evil.zip"]).fails();
    assert!(
        err.contains("points outside the pack; it was not installed"),
        "{err}"
    );
    assert!(!sb.path().join("home/.local/share/escaped.txt").exists());
    assert!(!sb.path().join("home/.local/share/iep/escaped.txt").exists());

    // A link inside a .tar.gz: refused.
    let linked = sb.path().join("linked.tar.gz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&linked).unwrap(),
            flate2::Compression::default(),
        );
        let mut tar = tar::Builder::new(gz);
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        tar.append_link(&mut h, "parents-north/letters", "/etc")
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
    }
    let err = sb.iep().args(["pack", "install", "linked.tar.gz"]).fails();
    assert!(err.contains("is a link or a special file"), "{err}");

    // A pack with a fault is not installed; the one installed before stays.
    let broken = sb.path().join("broken");
    crate::pack::copy_dir(std::path::Path::new(EXAMPLE), &broken);
    let body = broken.join("letters/transport-concern/body.txt.tera");
    let text = std::fs::read_to_string(&body)
        .unwrap()
        .replace("{{ what_happened | sentence }}", "{{ what_happend }}");
    std::fs::write(&body, text).unwrap();
    let err = sb
        .iep()
        .args(["pack", "install", "broken", "--force"])
        .fails();
    assert!(
        err.contains("so it was not installed") && err.contains("what_happend"),
        "{err}"
    );
    let letters = sb.iep().args(["letters"]).ok().stdout;
    assert!(letters.contains("parents-north/transport-concern"));

    // Templates cannot read files outside their pack.
    let peek = sb.path().join("peek");
    crate::pack::copy_dir(std::path::Path::new(EXAMPLE), &peek);
    std::fs::write(sb.path().join("secret.txt"), "private").unwrap();
    let body = peek.join("letters/transport-concern/body.txt.tera");
    let text = std::fs::read_to_string(&body).unwrap().replace(
        "Please reply by",
        "{% include \"../../../secret.txt\" %} Please reply by",
    );
    std::fs::write(&body, text).unwrap();
    let out = sb.iep().args(["pack", "check", "peek"]).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("points outside") && !out.stdout.contains("private"),
        "{}",
        out.stdout
    );
}

/// Copies a folder (test helper).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
