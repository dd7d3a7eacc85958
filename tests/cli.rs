//! The command line as users and scripts drive it: exit codes, output
//! formats, logs, replays and tampering.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kizuna::session::log::SessionLog;

fn kizuna(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(args)
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("cannot start kizuna: {e}"),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temp dir: {e}"),
    }
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", text(&out.stdout)),
    }
}

fn no_panic(out: &Output) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "the program panicked: {err}");
}

#[test]
fn list_names_the_built_in_scenarios_in_both_languages() {
    let en = kizuna(&["list"]);
    assert!(en.status.success());
    let en = text(&en.stdout);
    assert!(en.lines().any(|l| l.starts_with("tutorial")), "{en}");
    let ja = text(&kizuna(&["list", "--lang", "ja"]).stdout);
    assert!(ja.lines().any(|l| l.starts_with("tutorial")));
    assert_ne!(en, ja, "titles are translated");
    assert!(
        ja.chars()
            .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c))
    );
}

#[test]
fn check_accepts_the_shipped_scenarios() {
    let tutorial = format!("{}/scenarios/tutorial.ron", env!("CARGO_MANIFEST_DIR"));
    let out = kizuna(&["check", &tutorial, &fixture("exercise.ron")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).matches(": ok").count(), 2);
}

#[test]
fn check_points_at_the_line_of_a_bad_reference() {
    let dir = temp_dir();
    let source = std::fs::read_to_string(fixture("exercise.ron")).unwrap_or_default();
    let broken = source.replacen("links: [\"dc\"]", "links: [\"dcx\"]", 1);
    assert_ne!(source, broken);
    let line = broken
        .lines()
        .position(|l| l.contains("\"dcx\""))
        .map(|i| i + 1)
        .unwrap_or(0);
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, broken).unwrap_or_default();
    let out = kizuna(&["check", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("broken.ron:{line}:")),
        "expected a diagnostic at line {line}: {err}"
    );
    assert!(err.contains("dcx"));
    assert!(
        err.contains("did you mean"),
        "a hint names the closest id: {err}"
    );
    no_panic(&out);
}

#[test]
fn check_survives_garbage_of_every_kind() {
    let dir = temp_dir();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.ron", Vec::new()),
        ("binary.ron", (0..=255u8).cycle().take(4096).collect()),
        ("deep.ron", "(".repeat(100_000).into_bytes()),
        (
            "overflow.ron",
            b"(id: \"x\", turn_minutes: 99999999999999999999999)".to_vec(),
        ),
        ("list.ron", b"[1, 2, 3]".to_vec()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap_or_default();
        let out = kizuna(&["check", &path.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
        no_panic(&out);
    }
}

#[test]
fn run_json_has_the_documented_fields() {
    let v = json(&kizuna(&["run", "tutorial", "--seed", "3", "--json"]));
    for field in [
        "scenario",
        "seed",
        "turns_played",
        "score",
        "objectives",
        "metrics",
        "final_state_hash",
    ] {
        assert!(v.get(field).is_some(), "missing {field}: {v}");
    }
    assert_eq!(v["scenario"], "tutorial");
    assert_eq!(v["seed"], 3);
    let hash = v["final_state_hash"].as_str().unwrap_or("");
    assert_eq!(hash.len(), 16);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    let objectives = v["objectives"].as_array().cloned().unwrap_or_default();
    assert!(!objectives.is_empty());
    assert!(
        objectives
            .iter()
            .all(|o| o["id"].is_string() && o["met"].is_boolean())
    );
    let score = v["score"].as_u64().unwrap_or(999);
    assert!(score <= 100);
}

#[test]
fn turns_overrides_the_scenario_limit() {
    let v = json(&kizuna(&[
        "run", "tutorial", "--seed", "1", "--turns", "3", "--json",
    ]));
    assert_eq!(v["turns_played"], 3);
    let v = json(&kizuna(&[
        "run", "tutorial", "--seed", "1", "--turns", "40", "--json",
    ]));
    assert_eq!(v["turns_played"], 40);
}

#[test]
fn runs_are_reproducible_across_processes() {
    let a = json(&kizuna(&[
        "run",
        "tutorial",
        "--seed",
        "11",
        "--team",
        "jp=random",
        "--json",
    ]));
    let b = json(&kizuna(&[
        "run",
        "tutorial",
        "--seed",
        "11",
        "--team",
        "jp=random",
        "--json",
    ]));
    let c = json(&kizuna(&[
        "run",
        "tutorial",
        "--seed",
        "12",
        "--team",
        "jp=random",
        "--json",
    ]));
    assert_eq!(a, b);
    assert_ne!(a["final_state_hash"], c["final_state_hash"]);
}

#[test]
fn readable_run_prints_every_turn_and_the_outcome() {
    let out = kizuna(&["run", "tutorial", "--seed", "2", "--turns", "4"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    for t in 1..=4 {
        assert!(s.contains(&format!("turn   {t}")), "{s}");
    }
    assert!(s.contains("score"));
    assert!(s.contains("final state hash"));
}

#[test]
fn bad_team_and_policy_names_are_refused_clearly() {
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--team", "mars=idle"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("mars"));
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--team", "jp=genius"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("genius"));
    let out = kizuna(&["run", "atlantis", "--seed", "1"]);
    assert_ne!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("built-in scenarios: tokyo-games"), "{err}");
    no_panic(&out);
}

fn logged_run(dir: &Path, seed: &str) -> PathBuf {
    let path = dir.join("session.ron");
    let out = kizuna(&[
        "run",
        &fixture("exercise.ron"),
        "--seed",
        seed,
        "--team",
        "us=random",
        "--log",
        &path.to_string_lossy(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    path
}

#[test]
fn a_logged_run_replays_and_matches() {
    let dir = temp_dir();
    let path = logged_run(dir.path(), "5");
    let out = kizuna(&["replay", &path.to_string_lossy()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("every hash matches"));
    let out = kizuna(&["replay", &path.to_string_lossy(), "--until", "4"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("4 turns"));
    // No temporary files are left beside the log.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

fn read_log(path: &Path) -> SessionLog {
    match kizuna::store::read_log(path, u64::MAX) {
        Ok(l) => l,
        Err(e) => panic!("log unreadable: {e:?}"),
    }
}

fn write_log(path: &Path, log: &SessionLog) {
    if let Err(e) = kizuna::store::write_log(path, log) {
        panic!("cannot write: {e}");
    }
}

#[test]
fn an_edited_decision_is_caught_at_its_turn() {
    let dir = temp_dir();
    let path = logged_run(dir.path(), "6");
    let mut log = read_log(&path);
    let turn = log
        .turns
        .iter()
        .position(|t| !t.decisions.is_empty())
        .unwrap_or(0);
    log.turns[turn].decisions.pop();
    write_log(&path, &log);
    let out = kizuna(&["replay", &path.to_string_lossy()]);
    assert_ne!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("turn {}", turn + 1)), "{err}");
    no_panic(&out);
}

#[test]
fn an_edited_hash_or_scenario_is_caught() {
    let dir = temp_dir();
    let path = logged_run(dir.path(), "7");
    let mut log = read_log(&path);
    log.turns[5].state_hash = "0123456789abcdef".into();
    write_log(&path, &log);
    let out = kizuna(&["replay", &path.to_string_lossy()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("turn 6"));

    let path = logged_run(dir.path(), "7");
    let mut log = read_log(&path);
    log.files[0].text = log.files[0].text.replace("skill: 900", "skill: 100").into();
    write_log(&path, &log);
    let out = kizuna(&["replay", &path.to_string_lossy()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("changed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_damaged_log_file_is_an_error_not_a_crash() {
    let dir = temp_dir();
    let path = logged_run(dir.path(), "8");
    let full = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, &full[..full.len() / 2]).unwrap_or_default();
    let out = kizuna(&["replay", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("session.ron:"));
    no_panic(&out);
    std::fs::write(&path, "(".repeat(50_000)).unwrap_or_default();
    let out = kizuna(&["replay", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    no_panic(&out);
    let missing = dir.path().join("nope.ron");
    let out = kizuna(&["replay", &missing.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    no_panic(&out);
}

#[test]
fn generated_worlds_check_and_run() {
    let dir = temp_dir();
    let out = kizuna(&["gen", "--assets", "120", "--seed", "4"]);
    assert!(out.status.success());
    let path = dir.path().join("world.ron");
    std::fs::write(&path, &out.stdout).unwrap_or_default();
    let again = kizuna(&["gen", "--assets", "120", "--seed", "4"]);
    assert_eq!(out.stdout, again.stdout, "generation is deterministic");
    let check = kizuna(&["check", &path.to_string_lossy()]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("120 assets"));
    let v = json(&kizuna(&[
        "run",
        &path.to_string_lossy(),
        "--seed",
        "1",
        "--team",
        "jp=random",
        "--team",
        "us=random",
        "--json",
    ]));
    assert_eq!(v["turns_played"], 48, "generated worlds have no early end");
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    for args in ["gen --assets 5000", "run tutorial --seed 1", "list"] {
        let script = format!(
            "'{}' {args} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
            env!("CARGO_BIN_EXE_kizuna")
        );
        let out = match Command::new("bash").args(["-c", &script]).output() {
            Ok(o) => o,
            Err(e) => panic!("no bash: {e}"),
        };
        assert!(out.status.success(), "{args}: {}", text(&out.stderr));
        no_panic(&out);
    }
}

/// An output that names one of the inputs is refused before anything is
/// written, and the input is left as it was.
#[test]
fn outputs_never_overwrite_inputs() {
    let dir = temp_dir();
    let scenario = dir.path().join("exercise.ron");
    let original = match std::fs::read_to_string(fixture("exercise.ron")) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = std::fs::write(&scenario, &original) {
        panic!("{e}");
    }
    let path = scenario.to_string_lossy().into_owned();
    // The same file under another spelling is still the same file.
    let dotted = dir.path().join(".").join("exercise.ron");
    let dotted = dotted.to_string_lossy().into_owned();
    for args in [
        vec!["run", &path, "--seed", "1", "--log", &dotted],
        vec!["sweep", &path, "--seeds", "0..2", "--out", &path],
    ] {
        let out = kizuna(&args);
        assert!(!out.status.success(), "{args:?} wrote over its input");
        let err = text(&out.stderr);
        assert!(err.contains("is the scenario file"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&scenario).ok(), Some(original));
}

/// An atomic write replaces a symlink at the target; it never writes
/// through it to the file it points at.
#[test]
#[cfg(unix)]
fn a_log_written_over_a_symlink_replaces_the_link() {
    let dir = temp_dir();
    let victim = dir.path().join("victim.txt");
    let link = dir.path().join("run.log");
    if let Err(e) = std::fs::write(&victim, "keep me") {
        panic!("{e}");
    }
    if let Err(e) = std::os::unix::fs::symlink(&victim, &link) {
        panic!("{e}");
    }
    let log = link.to_string_lossy().into_owned();
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--log", &log]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&victim).ok().as_deref(),
        Some("keep me")
    );
    let written = std::fs::symlink_metadata(&link).map(|m| m.file_type().is_file());
    assert!(matches!(written, Ok(true)), "{written:?}");
}

/// `run`'s turn lines word events as the terminal's timeline does (the
/// facilitator's narrator, in English).
#[test]
fn run_words_events_with_the_narrator() {
    let out = kizuna(&["run", "tutorial", "--seed", "7", "--turns", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.contains("Inject: Morning briefing"), "{first}");
}

#[test]
fn serve_refuses_flags_that_cannot_work_before_it_listens() {
    let dir = temp_dir();
    let host_key = dir.path().join("host_key");
    let host_key = host_key.to_string_lossy();
    let cases: [(&[&str], &str); 5] = [
        (&[], "no seat can sign in"),
        (&["--seat", "jp"], "--seat jp: write SEAT=PUBKEY_FILE"),
        (
            &["--seat", "navy=x.pub"],
            "no such seat; the seats are jp, us, facilitator, observer",
        ),
        (&["--turn-timer", "0"], "a duration longer than zero"),
        (
            &["--resume", "a.ron"],
            "give a scenario or --resume LOG, not both",
        ),
    ];
    for (extra, said) in cases {
        let mut args = vec![
            "serve",
            "tutorial",
            "--host-key",
            &host_key,
            "--listen",
            "127.0.0.1:0",
        ];
        args.extend_from_slice(extra);
        let out = kizuna(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(said),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}
