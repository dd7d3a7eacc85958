//! Hostile input at the command line, one test per failure the hardening
//! pass found: each gives a clear error naming what and where, quickly,
//! without a panic, and nothing from the file reaches the terminal raw.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kizuna::session::log::SessionLog;

const BIN: &str = env!("CARGO_BIN_EXE_kizuna");

/// Runs the binary, killing it (and failing) if it takes longer than
/// `limit`: a hang is a failure, not a stuck test run.
fn kizuna_within(limit: Duration, args: &[&str]) -> Output {
    let mut child = match Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot start kizuna: {e}"),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("kizuna {args:?} did not finish within {limit:?}");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("cannot wait for kizuna: {e}"),
        }
    }
    match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("cannot read kizuna's output: {e}"),
    }
}

fn kizuna(args: &[&str]) -> Output {
    kizuna_within(Duration::from_secs(60), args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Fails on a panic or on a control character other than newline in what
/// was printed (the diagnostic renderer's own colours are off when not on
/// a terminal).
fn clean_failure(out: &Output) -> String {
    let err = stderr(out);
    assert!(!out.status.success(), "expected a failure: {err}");
    assert!(!err.contains("panicked"), "the program panicked: {err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    let raw: Vec<char> = err
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        raw.is_empty(),
        "control characters {raw:?} printed: {err:?}"
    );
    err
}

/// The diagnostic's words with its wrapping and frame taken out.
fn flat(err: &str) -> String {
    err.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn temp_dir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temp dir: {e}"),
    }
}

fn tutorial_text() -> String {
    let path = format!("{}/scenarios/tutorial.ron", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => panic!("{path}: {e}"),
    }
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
}

fn arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The tutorial with an unknown field after `padding` spaces on the
/// `turn_minutes` line.
fn unknown_field_after(padding: usize) -> String {
    tutorial_text().replacen(
        "turn_minutes: 60,",
        &format!("turn_minutes: 60,{}bogus_field: 1,", " ".repeat(padding)),
        1,
    )
}

#[test]
fn an_error_past_column_65535_is_reported_with_its_true_column() {
    let dir = temp_dir();
    let file = dir.path().join("wide.ron");
    write(&file, &unknown_field_after(70_000));
    let line = tutorial_text()
        .lines()
        .position(|l| l.contains("turn_minutes: 60,"))
        .map_or(0, |i| i + 1);
    let indent = "    turn_minutes: 60,".len();
    let at = format!("wide.ron:{line}:{}", indent + 70_000 + 1);
    for command in ["check", "run"] {
        let mut args = vec![command, file.to_str().unwrap_or_default()];
        if command == "run" {
            args.extend(["--seed", "1"]);
        }
        let err = clean_failure(&kizuna(&args));
        assert!(err.contains(&at), "{command}: {err}");
        assert!(err.contains("unknown field `bogus_field`"), "{err}");
        // The line is shown as a window around the error, not whole.
        assert!(err.lines().all(|l| l.chars().count() < 400), "{err}");
    }
}

#[test]
fn a_log_whose_embedded_scenario_has_a_wide_error_is_reported() {
    let dir = temp_dir();
    let log = dir.path().join("session.ron");
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--log", &arg(&log)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let mut parsed = match SessionLog::parse("session.ron", &text) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let Some(main) = parsed
        .files
        .iter_mut()
        .find(|f| f.text.contains("turn_minutes: 60,"))
    else {
        panic!("no scenario file in the log");
    };
    main.text = unknown_field_after(70_000).into();
    write(&log, &parsed.to_ron());
    let err = clean_failure(&kizuna(&["replay", &arg(&log)]));
    assert!(err.contains("unknown field `bogus_field`"), "{err}");
}

#[test]
fn a_four_megabyte_line_is_reported_quickly() {
    let dir = temp_dir();
    let file = dir.path().join("long.ron");
    write(&file, &unknown_field_after(4_000_000));
    let err = clean_failure(&kizuna_within(
        Duration::from_secs(20),
        &["check", &arg(&file)],
    ));
    assert!(err.contains("unknown field `bogus_field`"), "{err}");
}

#[test]
fn control_characters_from_a_file_are_shown_not_sent() {
    let dir = temp_dir();
    let file = dir.path().join("esc.ron");
    let hostile = tutorial_text().replacen(
        "id: \"tutorial\",",
        "id: \"tut\u{1b}]0;PWNED\u{7}orial\", zzz: \"\u{1b}[2J\u{9b}\u{202e}\",",
        1,
    );
    write(&file, &hostile);
    let err = clean_failure(&kizuna(&["check", &arg(&file)]));
    assert!(err.contains("tut␛]0;PWNED␇orial"), "{err}");
    // A file named with an escape is shown the same way.
    let named = dir.path().join("bad\u{1b}[2Jname.ron");
    let err = clean_failure(&kizuna(&["check", &arg(&named)]));
    assert!(err.contains("bad␛[2Jname.ron"), "{err}");
}

#[test]
fn gen_refuses_sizes_beyond_its_limit() {
    for size in ["18446744073709551615", "100000000", "0"] {
        let out = kizuna(&["gen", "--assets", size]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{size}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("1..=1000000"), "{size}: {err}");
    }
}

#[cfg(unix)]
fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
    path
}

#[cfg(unix)]
#[test]
fn a_fifo_as_scenario_include_or_log_is_refused_without_waiting() {
    let dir = temp_dir();
    let limit = Duration::from_secs(10);
    let scenario = fifo(dir.path(), "scenario.ron");
    let err = clean_failure(&kizuna_within(limit, &["check", &arg(&scenario)]));
    assert!(err.contains("it is a FIFO, not a regular file"), "{err}");

    fifo(dir.path(), "lib.ron");
    let includes = dir.path().join("includes.ron");
    write(
        &includes,
        &tutorial_text().replacen("include: [", "include: [\"lib.ron\", ", 1),
    );
    let err = clean_failure(&kizuna_within(limit, &["check", &arg(&includes)]));
    assert!(err.contains("cannot include 'lib.ron'"), "{err}");
    assert!(err.contains("FIFO"), "{err}");

    let log = fifo(dir.path(), "session.ron");
    for command in ["replay", "report"] {
        let err = clean_failure(&kizuna_within(limit, &[command, &arg(&log)]));
        assert!(err.contains("FIFO"), "{command}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn an_endless_stream_as_log_is_refused_without_reading_it() {
    let err = clean_failure(&kizuna_within(
        Duration::from_secs(10),
        &["replay", "--max-log-bytes", "1000", "/dev/zero"],
    ));
    assert!(err.contains("/dev/zero"), "{err}");
    assert!(err.contains("character device"), "{err}");
}

#[test]
fn an_include_error_points_at_the_include() {
    let dir = temp_dir();
    let file = dir.path().join("inc.ron");
    let text = tutorial_text().replacen("include: [", "include: [\"missing.ron\", ", 1);
    let line = text
        .lines()
        .position(|l| l.contains("\"missing.ron\""))
        .map_or(0, |i| i + 1);
    write(&file, &text);
    let err = clean_failure(&kizuna(&["check", &arg(&file)]));
    assert!(
        err.contains(&format!("inc.ron:{line}:")),
        "expected line {line}: {err}"
    );
    assert!(
        err.contains("cannot find included file 'missing.ron'"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_reported_once_without_a_made_up_position() {
    let err = clean_failure(&kizuna(&["check", "no-such-file.ron"]));
    assert_eq!(err.matches("cannot find").count(), 1, "{err}");
    assert!(!err.contains(":1:1"), "{err}");
}

#[test]
fn check_takes_a_built_in_id_like_the_other_commands() {
    let out = kizuna(&["check", "tutorial"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("tutorial: ok"), "{said}");
}

#[test]
fn a_resume_error_says_file_line_and_column() {
    let dir = temp_dir();
    let log = dir.path().join("session.ron");
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--log", &arg(&log)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let broken = text.replacen("seed:", "sneed:", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("sneed:"))
        .map_or(0, |i| i + 1);
    write(&log, &broken);
    let err = clean_failure(&kizuna(&["play", "--resume", &arg(&log)]));
    assert!(err.contains(&format!("session.ron:{line}:")), "{err}");
}

#[test]
fn play_takes_a_log_size_limit() {
    let dir = temp_dir();
    let log = dir.path().join("session.ron");
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--log", &arg(&log)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = clean_failure(&kizuna(&[
        "play",
        "--resume",
        &arg(&log),
        "--max-log-bytes",
        "100",
    ]));
    assert!(err.contains("54"), "the size is given: {err}");
    assert!(flat(&err).contains("over the 100-byte limit"), "{err}");
    assert!(err.contains("--max-log-bytes"), "{err}");
}

#[test]
fn a_string_longer_than_the_limit_is_refused_with_its_flag() {
    let dir = temp_dir();
    let file = dir.path().join("string.ron");
    let long = "x".repeat(70_000);
    write(
        &file,
        &tutorial_text().replacen("id: \"tutorial\",", &format!("id: \"{long}\","), 1),
    );
    let err = clean_failure(&kizuna(&["check", &arg(&file)]));
    assert!(
        err.contains("longer than the limit of 65536 bytes"),
        "{err}"
    );
    assert!(err.contains("--max-string-bytes"), "{err}");
    // Raised, the file gets past the limit (to the next check).
    let out = kizuna(&["check", &arg(&file), "--max-string-bytes", "100000"]);
    assert!(
        !stderr(&out).contains("--max-string-bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_refuses_more_turns_than_a_scenario_may_have() {
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--turns", "4000000000"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("1..=100000"), "{err}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = temp_dir();
    let file = dir.path().join("huge.ron");
    // Sparse: 100 MB that takes no disk.
    let made = std::fs::File::create(&file).and_then(|f| f.set_len(100 * 1024 * 1024));
    assert!(made.is_ok(), "{made:?}");
    let err = clean_failure(&kizuna_within(
        Duration::from_secs(5),
        &["check", &arg(&file)],
    ));
    assert!(
        flat(&err).contains("104857600 bytes, over the 67108864-byte limit"),
        "{err}"
    );
    assert!(err.contains("--max-file-bytes"), "{err}");
}

#[test]
fn a_control_character_written_as_an_escape_is_refused_too() {
    let dir = temp_dir();
    for (name, escape) in [
        ("unicode.ron", "\\u{1b}[2J"),
        ("hex.ron", "\\x07"),
        ("return.ron", "\\r"),
    ] {
        let file = dir.path().join(name);
        let text = tutorial_text().replacen(
            "id: \"tutorial\",",
            &format!("id: \"tut{escape}orial\","),
            1,
        );
        write(&file, &text);
        let err = clean_failure(&kizuna(&["check", &arg(&file)]));
        assert!(
            err.contains("a control character in a string"),
            "{name}: {err}"
        );
    }
    // Newlines and tabs, raw or escaped, stay allowed.
    let file = dir.path().join("fine.ron");
    write(
        &file,
        &tutorial_text().replacen("id: \"tutorial\",", "id: \"tut\\t\\norial\",", 1),
    );
    let out = kizuna(&["check", &arg(&file)]);
    assert!(
        !stderr(&out).contains("control character"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_log_with_a_control_character_is_refused_before_it_is_printed() {
    let dir = temp_dir();
    let log = dir.path().join("session.ron");
    let out = kizuna(&["run", "tutorial", "--seed", "1", "--log", &arg(&log)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(text.contains("scenario: \"tutorial\""), "{text}");
    write(
        &log,
        &text.replacen(
            "scenario: \"tutorial\"",
            "scenario: \"tut\\u{1b}]0;x\\u{7}orial\"",
            1,
        ),
    );
    for command in ["replay", "report"] {
        let err = clean_failure(&kizuna(&[command, &arg(&log)]));
        assert!(
            err.contains("a control character in a string"),
            "{command}: {err}"
        );
    }
}
