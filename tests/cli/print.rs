//! Printed letters and the evidence bundle, read back with a PDF parser (pdf-extract, over
//! lopdf): their text, pages, paper, tagging, language, title, outline and attachments.

use std::path::Path;

use pdf_extract::{Document, Object, decode_text_string};

use super::support::{JURISDICTIONS, LETTERS, Sandbox, fixture_args, init_args};

/// Names every printed letter has to get right.
const NAMES: [&str; 3] = [
    "child_name=Zoé Tremblay-Côté",
    "sender_name=Nguyễn Thị Hoa",
    "school_name=Mānuka Ngata School",
];

fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).expect("iep writes a PDF lopdf can read")
}

/// Each page's text.
fn pages_text(bytes: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(bytes).expect("the PDF's text can be extracted")
}

/// The words of a text, with the letter's `- ` bullets as the PDF prints them.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            if w == "-" {
                "•".to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect()
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).expect("a reference that resolves").1
}

/// (width, height) of every page's MediaBox.
fn media_boxes(doc: &Document) -> Vec<(f32, f32)> {
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).unwrap();
            let b = deref(doc, page.get(b"MediaBox").unwrap())
                .as_array()
                .unwrap();
            let n = |i: usize| deref(doc, &b[i]).as_float().unwrap();
            (n(2) - n(0), n(3) - n(1))
        })
        .collect()
}

/// The outline's entries as (depth, title), in order.
fn outline(doc: &Document) -> Vec<(usize, String)> {
    fn walk(doc: &Document, first: Option<&Object>, depth: usize, out: &mut Vec<(usize, String)>) {
        let mut next = first.map(|o| deref(doc, o));
        while let Some(Object::Dictionary(item)) = next {
            let title = decode_text_string(deref(doc, item.get(b"Title").unwrap())).unwrap();
            out.push((depth, title));
            walk(doc, item.get(b"First").ok(), depth + 1, out);
            next = item.get(b"Next").ok().map(|o| deref(doc, o));
        }
    }
    let mut out = Vec::new();
    let catalog = doc.catalog().unwrap();
    if let Ok(outlines) = catalog.get(b"Outlines") {
        let root = deref(doc, outlines).as_dict().unwrap();
        walk(doc, root.get(b"First").ok(), 0, &mut out);
    }
    out
}

/// The names of the embedded files.
fn embedded(doc: &Document) -> Vec<String> {
    let catalog = doc.catalog().unwrap();
    let Ok(names) = catalog.get(b"Names") else {
        return Vec::new();
    };
    let names = deref(doc, names).as_dict().unwrap();
    let files = deref(doc, names.get(b"EmbeddedFiles").unwrap())
        .as_dict()
        .unwrap();
    let list = deref(doc, files.get(b"Names").unwrap()).as_array().unwrap();
    list.chunks(2)
        .map(|pair| decode_text_string(deref(doc, &pair[0])).unwrap())
        .collect()
}

/// The catalog's XMP metadata, as text.
fn xmp(doc: &Document) -> String {
    let catalog = doc.catalog().unwrap();
    let stream = deref(doc, catalog.get(b"Metadata").unwrap())
        .as_stream()
        .unwrap();
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Checks what every PDF iep makes must have: tagged (a structure tree, marked), the language
/// and the title set (shown as the window's title).
fn assert_accessible(doc: &Document, language: &str, title: &str) {
    let catalog = doc.catalog().unwrap();
    assert!(
        catalog.get(b"StructTreeRoot").is_ok(),
        "tagged: a structure tree"
    );
    let mark = deref(doc, catalog.get(b"MarkInfo").unwrap())
        .as_dict()
        .unwrap();
    assert_eq!(mark.get(b"Marked").unwrap(), &Object::Boolean(true));
    let lang = decode_text_string(deref(doc, catalog.get(b"Lang").unwrap())).unwrap();
    assert_eq!(lang, language);
    let info = deref(doc, doc.trailer.get(b"Info").unwrap())
        .as_dict()
        .unwrap();
    let got = decode_text_string(deref(doc, info.get(b"Title").unwrap())).unwrap();
    assert_eq!(got, title);
}

#[test]
fn every_letter_prints_in_every_jurisdiction_with_its_text_and_names() {
    let sandbox = Sandbox::new();
    for letter in LETTERS {
        for (jurisdiction, _, _) in JURISDICTIONS {
            if letter == &"iprc-request" && *jurisdiction != "ontario" {
                continue;
            }
            let mut args = fixture_args(&sandbox, letter, jurisdiction);
            for name in NAMES {
                args.extend(["--set".to_owned(), name.to_owned()]);
            }
            let mut text = sandbox
                .iep()
                .args(&args)
                .args(["--output", "-"])
                .ok()
                .stdout;
            // An email letter's Subject and To lines are the email's, not the printed page's:
            // they come after the line that says not to print them.
            if let Some((printed, _)) = text.split_once(iep::draft::EMAIL_RULE) {
                text = printed.to_owned();
            }
            let pdf = sandbox.path().join(format!("{letter}-{jurisdiction}.pdf"));
            sandbox
                .iep()
                .args(&args)
                .args(["--output", pdf.to_str().unwrap()])
                .ok();
            let bytes = std::fs::read(&pdf).unwrap();
            // The letter's own text, word for word, the names with their accents and
            // macrons included; a later page's running head aside.
            let pages = pages_text(&bytes);
            let mut printed = pages.join("\n");
            for page in 2..=pages.len() {
                let head = format!("Zoé Tremblay-Côté · page {page} of {}", pages.len());
                printed = printed.replacen(&head, "", 1);
            }
            let printed = words(&printed);
            let expected = words(&text);
            if printed != expected {
                let same = printed
                    .iter()
                    .zip(&expected)
                    .take_while(|(a, b)| a == b)
                    .count();
                panic!(
                    "{letter} for {jurisdiction}: the PDF's text differs from the letter's at word {same}:\nPDF:    {}\nletter: {}",
                    printed[same..]
                        .iter()
                        .take(12)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" "),
                    expected[same..]
                        .iter()
                        .take(12)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
            for name in ["Zoé", "Tremblay-Côté", "Nguyễn", "Mānuka"] {
                assert!(
                    printed.iter().any(|w| w.contains(name)),
                    "{letter} for {jurisdiction}: {name}"
                );
            }
        }
    }
}

#[test]
fn a_letter_pdf_is_tagged_with_its_language_title_and_outline() {
    let sandbox = Sandbox::new();
    let args = fixture_args(&sandbox, "implementation-concern", "new-zealand");
    sandbox.iep().args(&args).args(["--output", "l.pdf"]).ok();
    let bytes = std::fs::read(sandbox.path().join("l.pdf")).unwrap();
    let doc = load(&bytes);
    let title = "Sam O'Neil: a support in the IEP is not happening";
    assert_accessible(&doc, "en-NZ", title);
    assert_eq!(outline(&doc), [(0, title.to_owned())]);
    assert!(xmp(&doc).contains("pdfuaid:part"), "claims PDF/UA-1");
    // A reader's window shows the title, not the file name.
    let catalog = doc.catalog().unwrap();
    let prefs = deref(&doc, catalog.get(b"ViewerPreferences").unwrap())
        .as_dict()
        .unwrap();
    assert_eq!(
        prefs.get(b"DisplayDocTitle").unwrap(),
        &Object::Boolean(true)
    );
    // The PDF and its answers file, and no text file: the path said PDF.
    assert_eq!(
        sandbox
            .files()
            .into_iter()
            .filter(|f| f.starts_with("l."))
            .collect::<Vec<_>>(),
        ["l.answers.toml", "l.pdf"]
    );
}

#[test]
fn the_paper_is_the_jurisdictions_unless_a_flag_says_otherwise() {
    let sandbox = Sandbox::new();
    for (jurisdiction, paper, size) in [
        ("ontario", None, (612.0, 792.0)),
        ("quebec", None, (612.0, 792.0)),
        ("new-zealand", None, (595.0, 842.0)),
        ("generic", None, (595.0, 842.0)),
        ("ontario", Some("a4"), (595.0, 842.0)),
        ("new-zealand", Some("letter"), (612.0, 792.0)),
    ] {
        let args = fixture_args(&sandbox, "progress-evidence", jurisdiction);
        let mut run = sandbox.iep().args(&args).args(["--pdf", "--output", "-"]);
        if let Some(p) = paper {
            run = run.args(["--paper", p]);
        }
        // The PDF is bytes, not text: read standard output as they are.
        let out = run.command().output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc = load(&out.stdout);
        assert!(
            media_boxes(&doc).iter().all(|b| *b == size),
            "{jurisdiction} {paper:?}: {:?}",
            media_boxes(&doc)
        );
    }
    let err = sandbox
        .iep()
        .args(fixture_args(&sandbox, "progress-evidence", "ontario"))
        .args(["--paper", "a4", "--output", "x.txt"])
        .fails();
    assert!(err.contains("--paper is the paper of the PDF"), "{err}");
}

#[test]
fn a_long_letter_numbers_its_later_pages_with_the_childs_name() {
    let sandbox = Sandbox::new();
    let mut args = fixture_args(&sandbox, "implementation-concern", "ontario");
    args.extend(["--set".into(), "child_name=Mānuka Ngata".into()]);
    // The fixture's answers with four weeks of examples.
    let at = args.iter().position(|a| a == "--answers").unwrap() + 1;
    let mut text = std::fs::read_to_string(&args[at]).unwrap();
    for day in 1..=28 {
        text.push_str(&format!(
            "\n[[examples]]\ndate = 2026-10-{day:02}\nwhat = \"no scribe in the test on this day, and the assistant was sent to another class for the whole of the morning\"\n"
        ));
    }
    args[at] = sandbox.file("long.toml", &text).display().to_string();
    sandbox
        .iep()
        .args(&args)
        .args(["--output", "long.pdf"])
        .ok();
    let bytes = std::fs::read(sandbox.path().join("long.pdf")).unwrap();
    let pages = pages_text(&bytes);
    let n = pages.len();
    assert!(n >= 3, "a long letter takes {n} pages");
    assert_eq!(load(&bytes).get_pages().len(), n);
    assert!(!pages[0].contains("page 1 of"), "{}", pages[0]);
    for (i, page) in pages.iter().enumerate().skip(1) {
        let head = format!("Mānuka Ngata · page {} of {n}", i + 1);
        assert!(page.contains(&head), "page {}: {page}", i + 1);
    }
    // Room to sign: the typed name is well below the closing, on the same page.
    let last = &pages[n - 1];
    assert!(
        last.contains("Sincerely,") && last.contains("Jordan O'Neil"),
        "{last}"
    );
}

#[test]
fn write_pdf_saves_the_pdf_beside_the_letter_and_its_answers() {
    let sandbox = Sandbox::new();
    let args = fixture_args(&sandbox, "review-request", "british-columbia");
    let ran = sandbox.iep().args(&args).args(["--pdf"]).ok();
    assert!(ran.stderr.contains("Saved the PDF:"), "{}", ran.stderr);
    let saved: Vec<String> = sandbox
        .files()
        .into_iter()
        .filter(|f| f.starts_with("2026-11-23-review-request"))
        .collect();
    assert_eq!(
        saved,
        [
            "2026-11-23-review-request.answers.toml",
            "2026-11-23-review-request.pdf",
            "2026-11-23-review-request.txt"
        ]
    );
}

/// The shared Ontario case, with letters: an implementation concern (a report attached; a
/// reply answering two of its five questions), an escalation that got no reply, and an
/// observation. Returns the report's bytes.
fn case_with_letters(sandbox: &Sandbox) -> Vec<u8> {
    sandbox.init_case(&["-s", "child_name=Zoé Tremblay-Côté"]);
    let report = b"%PDF-1.4 a psychologist's report, as attached".to_vec();
    sandbox.file("report.pdf", std::str::from_utf8(&report).unwrap());
    let answers = format!(
        "{}/answers/implementation-concern.toml",
        super::support::FIXTURES
    );
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "implementation-concern",
            "--no-input",
            "--answers",
            &answers,
            "--attach",
            "../report.pdf",
        ])
        .ok();
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-12-02")
        .args([
            "reply",
            "2026-11-23",
            "--no-input",
            "--date",
            "2026-12-01",
            "--from",
            "Ms. Patel",
            "--summary",
            "The scribe starts on Monday.",
            "--answered",
            "1,2",
        ])
        .ok();
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-12-03")
        .args([
            "observe",
            "--no-input",
            "--support",
            "Access to a scribe",
            "--setting",
            "science class",
            "--what",
            "no scribe again",
        ])
        .ok();
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-12-10")
        .args([
            "write",
            "escalation",
            "--no-input",
            "--follow-up",
            "2026-11-23",
            "-s",
            "rung=superintendent",
            "-s",
            "board_name=Lakeside District",
            "-s",
            "issue=The scribe is still not given in tests.",
            "-s",
            "remedy=A scribe in every test, from now on.",
        ])
        .ok();
    report
}

/// SHA-256 in hex, computed here (checked against the standard's own example in the test).
fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = own_sha256(bytes);
    digest.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 (FIPS 180-4), written out here so the test does not check iep with iep's own code.
fn own_sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(chunk[i * 4..i * 4 + 4].try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[test]
fn the_bundle_has_its_sections_letters_and_attachments() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let sandbox = Sandbox::new();
    let report = case_with_letters(&sandbox);
    let ran = sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2027-02-01")
        .args(["bundle", "-o", "../bundle.pdf"])
        .ok();
    assert!(
        ran.stderr.contains("2 letters, 1 replies"),
        "{}",
        ran.stderr
    );
    let bytes = std::fs::read(sandbox.path().join("bundle.pdf")).unwrap();
    let doc = load(&bytes);
    assert_accessible(&doc, "en-CA", "Evidence bundle: Zoé Tremblay-Côté");
    assert!(xmp(&doc).contains("pdfaid:part"), "claims PDF/A");
    assert_eq!(
        outline(&doc),
        [
            (0, "Evidence bundle: Zoé Tremblay-Côté".to_owned()),
            (0, "Chronology".to_owned()),
            (0, "Letters".to_owned()),
            (
                1,
                "November 23, 2026: A support in the plan is not happening".to_owned()
            ),
            (
                1,
                "December 10, 2026: Take a concern to the next step".to_owned()
            ),
            (0, "Replies".to_owned()),
            (0, "Observations".to_owned()),
            (0, "Attached files".to_owned()),
        ]
    );
    assert_eq!(embedded(&doc), ["report.pdf"]);
    let pages = pages_text(&bytes);
    // Cover, chronology, two letters (the first runs over a page), replies, observations,
    // files.
    assert!(pages.len() >= 7, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("page {} of {}", i + 1, pages.len())),
            "page {}: {page}",
            i + 1
        );
    }
    let all = pages.join("\n");
    let squeezed: String = all.split_whitespace().collect();
    assert!(
        squeezed.contains(&sha256_hex(&report)),
        "the attachment's SHA-256 is listed"
    );
    for expected in [
        "Maple Grove School",
        // The escalation asked for a reply by January 7, 2027: none came.
        "No reply by the date asked: Take a concern to the next step",
        "25 days without a reply as of February 1, 2027",
        "The scribe starts on Monday.",
        "Is this support being given now?",
        "no scribe again",
    ] {
        let expected: String = expected.split_whitespace().collect();
        assert!(squeezed.contains(&expected), "{expected}:\n{all}");
    }
}

#[test]
fn the_bundle_takes_the_period_and_kinds_asked_for() {
    let sandbox = Sandbox::new();
    case_with_letters(&sandbox);
    let bundle = |args: &[&str]| {
        let out = sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-12-20")
            .args(["bundle", "-o", "-"])
            .args(args)
            .command()
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let bytes = bundle(&["--since", "2026-12-01"]);
    let letters: Vec<(usize, String)> = outline(&load(&bytes))
        .into_iter()
        .filter(|(depth, _)| *depth == 1)
        .collect();
    assert_eq!(
        letters,
        [(
            1,
            "December 10, 2026: Take a concern to the next step".to_owned()
        )]
    );
    let bytes = bundle(&["--letter", "implementation-concern"]);
    let text = pages_text(&bytes).join(" ");
    assert!(text.contains("only implementation-concern"), "{text}");
    assert!(
        !text.contains("no scribe again"),
        "observations are left out"
    );
}

#[test]
fn bad_bundle_requests_are_refused_and_nothing_is_written() {
    let sandbox = Sandbox::new();
    sandbox.init_case(&[]);
    let bundle = |args: &[&str]| {
        sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-12-20")
            .args(["bundle"])
            .args(args)
            .fails()
    };
    let err = bundle(&[]);
    assert!(err.contains("nothing to put in a bundle"), "{err}");
    let sandbox = Sandbox::new();
    case_with_letters(&sandbox);
    let bundle = |args: &[&str]| {
        sandbox
            .iep()
            .in_dir("sam")
            .env("IEP_TODAY", "2026-12-20")
            .args(["bundle"])
            .args(args)
            .fails()
    };
    let err = bundle(&["--since", "2026-12-10", "--until", "2026-11-01"]);
    assert!(
        err.contains("--since 2026-12-10 is after --until 2026-11-01"),
        "{err}"
    );
    let err = bundle(&["-o", "records/b.pdf"]);
    assert!(err.contains("case folder's own files"), "{err}");
    let err = bundle(&["-o", "iep-case.toml"]);
    assert!(err.contains("ending in .pdf"), "{err}");
    let err = bundle(&["-o", "../nowhere/b.pdf"]);
    assert!(err.contains("does not exist"), "{err}");
    sandbox.file("taken.pdf", "mine");
    let err = bundle(&["-o", "../taken.pdf"]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(sandbox.read("taken.pdf"), "mine");
    let err = bundle(&["--letter", "implementation-concren"]);
    assert!(err.contains("implementation-concern"), "{err}");
    let names: Vec<String> = std::fs::read_dir(sandbox.path().join("sam"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".pdf")),
        "nothing was written: {names:?}"
    );
    assert!(!Path::new(&sandbox.path().join("records/b.pdf")).exists());
}

#[test]
fn a_damaged_record_is_listed_on_the_cover_and_the_rest_is_bundled() {
    let sandbox = Sandbox::new();
    case_with_letters(&sandbox);
    let records = sandbox.path().join("sam/records");
    let escalation = records.join("2026-12-10-escalation/record.toml");
    let text = std::fs::read_to_string(&escalation).unwrap();
    std::fs::write(&escalation, text.replace("letter = ", "letter = = ")).unwrap();
    std::fs::remove_file(records.join("2026-11-23-implementation-concern/letter.eml")).unwrap();
    let ran = sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-12-20")
        .args(["bundle", "-o", "../b.pdf"])
        .ok();
    assert!(
        ran.stderr.contains("could not be included"),
        "{}",
        ran.stderr
    );
    let bytes = std::fs::read(sandbox.path().join("b.pdf")).unwrap();
    let cover: String = pages_text(&bytes)[0]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        cover.contains("records/2026-12-10-escalation/record.toml could not be read"),
        "{cover}"
    );
    assert!(
        cover.contains("records/2026-11-23-implementation-concern/letter.eml is missing"),
        "{cover}"
    );
    assert!(
        !cover.contains(sandbox.path().to_str().unwrap()),
        "no home folders"
    );
    assert!(embedded(&load(&bytes)).is_empty());
}

#[test]
fn iep_print_saves_letter_pdf_in_the_record() {
    use std::os::unix::fs::PermissionsExt as _;
    let sandbox = Sandbox::new();
    sandbox
        .iep()
        .args(init_args("sam"))
        .env("IEP_TODAY", "2026-11-02")
        .ok();
    let answers = format!(
        "{}/answers/progress-evidence.toml",
        super::support::FIXTURES
    );
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "progress-evidence",
            "--no-input",
            "--answers",
            &answers,
        ])
        .ok();
    let ran = sandbox.iep().in_dir("sam").args(["print", "progress"]).ok();
    let pdf = sandbox
        .path()
        .join("sam/records/2026-11-23-progress-evidence/letter.pdf");
    assert!(
        ran.stderr.contains(&pdf.display().to_string()),
        "{}",
        ran.stderr
    );
    let meta = std::fs::metadata(&pdf).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        media_boxes(&load(&bytes))
            .iter()
            .all(|b| *b == (612.0, 792.0))
    );
    let text = pages_text(&bytes).join(" ");
    assert!(
        text.contains("Sam Lee") && text.contains("Jordan Lee"),
        "{text}"
    );
    // Again, on A4: the printable copy is made again from the record.
    sandbox
        .iep()
        .in_dir("sam")
        .args(["print", "progress", "--paper", "a4"])
        .ok();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        media_boxes(&load(&bytes))
            .iter()
            .all(|b| *b == (595.0, 842.0))
    );

    let err = sandbox
        .iep()
        .in_dir("sam")
        .args(["print", "2026-01-01-nothing"])
        .fails();
    assert!(err.contains("2026-01-01-nothing"), "{err}");
    let err = sandbox
        .iep()
        .in_dir("sam")
        .args(["print", "progress", "-o", "iep-case.toml", "--force"])
        .fails();
    assert!(err.contains("iep-case.toml"), "{err}");
    assert!(sandbox.read("sam/iep-case.toml").contains("Sam Lee"));
    let err = sandbox.iep().args(["print", "progress"]).fails();
    assert!(err.contains("works in a case folder"), "{err}");
}

const LAYOUT: &str = include_str!("../../letters/print/layout.toml");

#[test]
fn a_templates_folder_lays_out_the_page_its_own_way() {
    let sandbox = Sandbox::new();
    let layout = LAYOUT
        .replace(
            "letterhead = \"\"",
            "letterhead = \"Parents North · help with IEPs · 1-800-555-0199\"",
        )
        .replace("margin-left = 72", "margin-left = 144");
    sandbox.file("mine/letters/print/layout.toml", &layout);
    let args = fixture_args(&sandbox, "progress-evidence", "ontario");
    sandbox
        .iep()
        .args(&args)
        .args(["--templates", "mine", "--output", "mine.pdf"])
        .ok();
    sandbox
        .iep()
        .args(&args)
        .args(["--output", "plain.pdf"])
        .ok();
    let mine = pages_text(&std::fs::read(sandbox.path().join("mine.pdf")).unwrap());
    let plain = pages_text(&std::fs::read(sandbox.path().join("plain.pdf")).unwrap());
    assert!(
        mine[0].contains("Parents North · help with IEPs · 1-800-555-0199"),
        "{}",
        mine[0]
    );
    assert!(!plain[0].contains("Parents North"));
    // Half the width takes more lines, and so at least as many pages.
    assert!(mine.len() >= plain.len());

    let bad = LAYOUT.replace("{child} · page", "{kid} · page");
    sandbox.file("bad/letters/print/layout.toml", &bad);
    let err = sandbox
        .iep()
        .args(&args)
        .args(["--templates", "bad", "--output", "bad.pdf"])
        .fails();
    assert!(
        err.contains("layout.toml is not a valid layout") && err.contains("{kid} is not known"),
        "{err}"
    );
    assert!(
        !sandbox.path().join("bad.pdf").exists(),
        "nothing half-written"
    );
    assert!(!sandbox.path().join("bad.answers.toml").exists());
}

#[test]
fn pack_check_names_a_layout_that_would_not_print() {
    let sb = Sandbox::new();
    sb.iep().args(["pack", "new", "parents-north"]).ok();
    sb.file(
        "parents-north/letters/print/layout.toml",
        &LAYOUT.replace("size = 11\n", "size = 2\n"),
    );
    let ran = sb.iep().args(["pack", "check", "parents-north"]).run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let said = format!("{}{}", ran.stdout, ran.stderr);
    assert!(
        said.contains("letters/print/layout.toml") && said.contains("`text.size` is 2"),
        "{said}"
    );
}

#[test]
fn write_pdf_in_a_case_puts_letter_pdf_in_the_new_record() {
    let sandbox = Sandbox::new();
    sandbox.init_case(&[]);
    let answers = format!(
        "{}/answers/progress-evidence.toml",
        super::support::FIXTURES
    );
    let ran = sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "progress-evidence",
            "--no-input",
            "--answers",
            &answers,
            "--pdf",
            "--output",
            "../copy.pdf",
        ])
        .ok();
    let record = sandbox
        .path()
        .join("sam/records/2026-11-23-progress-evidence");
    let pdf = record.join("letter.pdf");
    assert!(
        ran.stderr
            .contains(&format!("Saved the PDF to print: {}", pdf.display())),
        "{}",
        ran.stderr
    );
    let in_record = pages_text(&std::fs::read(&pdf).unwrap()).join(" ");
    let copy = pages_text(&std::fs::read(sandbox.path().join("copy.pdf")).unwrap()).join(" ");
    assert!(in_record.contains("Sam Lee"), "{in_record}");
    assert_eq!(in_record, copy, "the extra copy is the same letter");
    assert!(record.join("letter.txt").is_file(), "the text is kept too");
}

#[test]
fn a_character_the_font_cannot_print_is_named_and_nothing_is_saved() {
    let sandbox = Sandbox::new();
    let mut args = fixture_args(&sandbox, "progress-evidence", "generic");
    args.extend(["--set".to_owned(), "child_name=Sam 🦀 O'Neil".to_owned()]);
    let before = sandbox.files();
    let err = sandbox.iep().args(&args).args(["--pdf"]).fails();
    assert!(err.contains("U+1F980"), "{err}");
    assert_eq!(
        sandbox.files(),
        before,
        "neither the letter nor its answers"
    );
    // Without --pdf the letter is written as ever.
    sandbox.iep().args(&args).ok();
}

/// A record written before letter.txt held only the letter (its first lines were Subject, To
/// and Reply-By) prints without those lines: they were never part of the page.
#[test]
fn an_old_record_prints_without_its_header_lines() {
    let sandbox = Sandbox::new();
    sandbox
        .iep()
        .args(init_args("sam"))
        .env("IEP_TODAY", "2026-11-02")
        .ok();
    let answers = format!(
        "{}/answers/progress-evidence.toml",
        super::support::FIXTURES
    );
    sandbox
        .iep()
        .in_dir("sam")
        .env("IEP_TODAY", "2026-11-23")
        .args([
            "write",
            "progress-evidence",
            "--no-input",
            "--answers",
            &answers,
        ])
        .ok();
    let path = sandbox
        .path()
        .join("sam/records/2026-11-23-progress-evidence/letter.txt");
    let letter = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("Subject: Old subject\nTo: Ms. Patel\nReply-By: 2026-12-07\n\n{letter}"),
    )
    .unwrap();
    let out = sandbox
        .iep()
        .in_dir("sam")
        .args(["print", "progress", "-o", "-"])
        .command()
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = out.stdout;
    let printed = pages_text(&pdf).join("\n");
    assert!(!printed.contains("Old subject"), "{printed}");
    assert_eq!(words(&printed), words(&letter));
}
