//! `kizuna report`, `kizuna msel` and `kizuna completions` as users drive
//! them: every format of the after-action report on known logs, escaping
//! of hostile scenario text, refusal of tampered logs, the comparison of
//! two runs, the MSEL of tokyo-games, and the HTML in a real browser.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kizuna::policy::PolicyKind;
use kizuna::report::escape::md_cell;
use kizuna::scenario::Scenario;
use kizuna::scenario::load::{LoadOptions, load_builtin};
use kizuna::session::log::SessionLog;
use kizuna::session::{Controller, Session};
use kizuna::sim::overrides::{Change, Override};

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

fn temp_dir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temp dir: {e}"),
    }
}

fn path_str(p: &Path) -> &str {
    match p.to_str() {
        Some(s) => s,
        None => panic!("temp path is not UTF-8"),
    }
}

/// The command's standard output; it must succeed without a panic.
fn ok(out: Output) -> String {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "the program panicked: {err}");
    assert!(out.status.success(), "failed: {err}");
    text(&out.stdout)
}

/// `kizuna run SCENARIO --seed SEED --log DIR/NAME`, returning the log's path.
fn run_log(dir: &Path, scenario: &str, seed: u64, name: &str) -> PathBuf {
    let path = dir.join(name);
    ok(kizuna(&[
        "run",
        scenario,
        "--seed",
        &seed.to_string(),
        "--log",
        path_str(&path),
    ]));
    path
}

fn read_log(path: &Path) -> SessionLog {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    match SessionLog::parse(path_str(path), &text) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

fn builtin(id: &str) -> kizuna::scenario::Loaded {
    match load_builtin(id, &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

fn scenario(id: &str) -> std::sync::Arc<Scenario> {
    builtin(id).scenario
}

fn report(log: &Path, format: &str) -> String {
    ok(kizuna(&["report", path_str(log), "--format", format]))
}

fn json(s: &str) -> serde_json::Value {
    match serde_json::from_str(s) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {s}"),
    }
}

/// HTML must need nothing from outside the file and run no code.
fn assert_self_contained(html: &str) {
    for banned in [
        "http://", "https://", "src=", "<script", "<link", "@import", "url(",
    ] {
        assert!(!html.contains(banned), "the HTML contains {banned:?}");
    }
    for (i, _) in html.match_indices("href=\"") {
        assert!(
            html[i + 6..].starts_with('#'),
            "a link leaves the page: {}",
            &html[i..(i + 60).min(html.len())]
        );
    }
}

#[test]
fn tutorial_report_holds_every_section_in_every_format_and_is_reproducible() {
    let dir = temp_dir();
    let log_path = run_log(dir.path(), "tutorial", 7, "tutorial-7.ron");
    let log = read_log(&log_path);
    let sc = scenario("tutorial");
    let decisions: usize = log.turns.iter().map(|t| t.decisions.len()).sum();
    assert!(decisions > 0, "doctrine takes decisions in the tutorial");

    let j = json(&report(&log_path, "json"));
    for key in [
        "lang",
        "overview",
        "objectives",
        "intrusions",
        "timeline",
        "decisions",
        "facilitator",
        "metrics",
        "series",
        "improvement_plan",
        "participants",
    ] {
        assert!(j.get(key).is_some(), "JSON has no {key}");
    }
    assert_eq!(j["overview"]["seed"], 7);
    assert_eq!(j["overview"]["scenario_id"], "tutorial");
    assert_eq!(j["overview"]["start_time"], "2025-11-20 09:00 JST");
    let objectives = j["objectives"].as_array().cloned().unwrap_or_default();
    assert_eq!(objectives.len(), sc.objectives.len());
    for (o, want) in objectives.iter().zip(&sc.objectives) {
        assert_eq!(o["title"], want.title.en.as_str());
        assert!(["met", "failed", "pending"].contains(&o["status"].as_str().unwrap_or("")));
        assert!(
            o["rating_label"]
                .as_str()
                .is_some_and(|r| r.starts_with("Performed") || r == "Unable to be performed")
        );
    }
    let timeline = j["timeline"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        timeline.len(),
        log.turns.len(),
        "one timeline entry per turn"
    );
    assert_eq!(
        timeline[0]["teams"].as_array().map(Vec::len),
        Some(sc.teams.len()),
        "each turn says what each team knew"
    );
    assert_eq!(
        j["decisions"].as_array().map(Vec::len),
        Some(decisions),
        "every decision in the log is reported"
    );
    let plan = j["improvement_plan"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!plan.is_empty(), "this run leaves areas for improvement");
    for item in &plan {
        assert_eq!(item["point_of_contact"], "");
        assert_eq!(item["start_date"], "to be set");
        assert!(
            [
                "Planning",
                "Organisation",
                "Equipment",
                "Training",
                "Exercises"
            ]
            .contains(&item["element"].as_str().unwrap_or(""))
        );
    }
    // Every intrusion in this run went unseen, and the report says so.
    let never = j["metrics"]["intrusions_never_detected"]
        .as_u64()
        .unwrap_or(0);
    assert!(never > 0);
    assert_eq!(
        j["series"]["score"].as_array().map(Vec::len),
        Some(log.turns.len())
    );

    let md = report(&log_path, "md");
    for heading in [
        "## 1. Exercise overview",
        "## 2. Analysis of objectives",
        "## 4. Timeline",
        "## 5. Decisions",
        "## 6. Facilitator actions",
        "## 7. Key metrics",
        "## Appendix A: Improvement plan",
        "## Appendix B: Participants",
    ] {
        assert!(md.contains(heading), "Markdown lacks {heading}");
    }
    for o in &sc.objectives {
        assert!(
            md.contains(&format!("### {}", o.title.en)),
            "{}",
            o.title.en
        );
    }
    assert!(md.contains("never learnt of it"), "the gap is shown");
    assert!(md.contains("| Capability (objective) | Issue / area for improvement |"));
    let timeline_rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" JST | "))
        .count();
    assert_eq!(timeline_rows, log.turns.len());

    let html = report(&log_path, "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 3, "three charts");
    assert!(html.contains("@media print"));
    assert!(html.contains("<title>"));
    for o in &sc.objectives {
        assert!(html.contains(&kizuna::report::escape::html(&o.title.en)));
    }
    assert_self_contained(&html);

    // Byte for byte the same, on stdout and through -o.
    for format in ["md", "html", "json"] {
        let again = report(&log_path, format);
        assert_eq!(
            report(&log_path, format),
            again,
            "{format} differs between runs"
        );
        let out = dir.path().join(format!("report.{format}"));
        ok(kizuna(&[
            "report",
            path_str(&log_path),
            "--format",
            format,
            "-o",
            path_str(&out),
        ]));
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), again);
    }
}

#[test]
fn tokyo_games_report_shows_late_learning_and_speaks_japanese() {
    let dir = temp_dir();
    let log_path = run_log(dir.path(), "tokyo-games", 3, "tokyo-3.ron");
    let j = json(&report(&log_path, "json"));
    let intrusions = j["intrusions"].as_array().cloned().unwrap_or_default();
    assert!(!intrusions.is_empty());
    // An intrusion detected turns after it began, as this seed gives.
    assert!(
        intrusions
            .iter()
            .any(|x| x["turns_to_detect"].as_u64().is_some_and(|n| n >= 3)),
        "{intrusions:?}"
    );
    let learned_late = j["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["teams"].as_array().cloned().unwrap_or_default())
        .any(|team| team["learned"].as_array().is_some_and(|l| !l.is_empty()));
    assert!(learned_late, "a team learns of an intrusion during the run");

    let ja = ok(kizuna(&["report", path_str(&log_path), "--lang", "ja"]));
    assert!(ja.contains("事後検証報告書および改善計画"));
    assert!(ja.contains("## 付録A：改善計画"));
    assert!(ja.contains("## 4. 時系列"));
    assert!(!ja.contains("## 1. Exercise overview"));
    let ja_json = json(&ok(kizuna(&[
        "report",
        path_str(&log_path),
        "--lang",
        "ja",
        "--format",
        "json",
    ])));
    assert_eq!(ja_json["lang"], "ja");
    let html = ok(kizuna(&[
        "report",
        path_str(&log_path),
        "--lang",
        "ja",
        "--format",
        "html",
    ]));
    assert!(html.contains("<html lang=\"ja\">"));
    assert_self_contained(&html);
}

#[test]
fn hostile_scenario_text_is_escaped_in_every_format() {
    let dir = temp_dir();
    let source = format!("{}/scenarios/tutorial.ron", env!("CARGO_MANIFEST_DIR"));
    let original = std::fs::read_to_string(&source).unwrap_or_default();
    let hostile_title = "<script>alert(1)</script> | pipe & \"quote\"";
    let edited = original.replacen(
        "en: \"Tutorial: the waterworks phish\"",
        &format!("en: {hostile_title:?}"),
        1,
    );
    assert_ne!(edited, original, "the tutorial title was found");
    let scenario_path = dir.path().join("hostile.ron");
    if let Err(e) = std::fs::write(&scenario_path, edited) {
        panic!("{e}");
    }
    let log_path = run_log(dir.path(), path_str(&scenario_path), 7, "hostile-log.ron");

    let html = report(&log_path, "html");
    assert!(
        !html.contains("<script"),
        "markup from the scenario ran through"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; | pipe &amp; &quot;quote&quot;"));
    assert_self_contained(&html);

    let md = report(&log_path, "md");
    assert!(!md.contains("<script"));
    // In the overview table the pipe cannot end the cell.
    assert!(
        md.contains(&md_cell(hostile_title)),
        "{}",
        md_cell(hostile_title)
    );
    assert!(md.contains("\\| pipe"));

    let j = json(&report(&log_path, "json"));
    assert_eq!(
        j["overview"]["title"], hostile_title,
        "JSON keeps the text as data"
    );
}

#[test]
fn a_tampered_or_damaged_log_is_refused_clearly() {
    let dir = temp_dir();
    let log_path = run_log(dir.path(), "tutorial", 7, "good.ron");
    let good = std::fs::read_to_string(&log_path).unwrap_or_default();

    // A changed seed: the header no longer matches its hash.
    let tampered = dir.path().join("tampered.ron");
    let edited = good.replacen("seed: 7,", "seed: 8,", 1);
    assert_ne!(edited, good);
    let _ = std::fs::write(&tampered, edited);
    let out = kizuna(&["report", path_str(&tampered)]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("tampered.ron") && err.contains("header was changed"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no report from a tampered log");

    // A changed turn hash: the turn is named.
    let log = read_log(&log_path);
    let third = &log.turns[2].state_hash;
    let edited = good.replacen(third.as_str(), "0000000000000000", 1);
    let tampered = dir.path().join("turn.ron");
    let _ = std::fs::write(&tampered, edited);
    let out = kizuna(&["report", path_str(&tampered), "--format", "html"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("first differing turn: 3"), "{err}");

    // Not a log at all.
    let junk = dir.path().join("junk.ron");
    let _ = std::fs::write(&junk, "(format: 3, engine: \"0.1.0\"");
    let out = kizuna(&["report", path_str(&junk)]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("not a valid session log"), "{err}");
    assert!(!err.contains("panicked"));

    // Over the size limit.
    let out = kizuna(&["report", path_str(&log_path), "--max-log-bytes", "100"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("over the 100-byte limit"));

    // The report never replaces the log it reads.
    let out = kizuna(&["report", path_str(&log_path), "-o", path_str(&log_path)]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&log_path).unwrap_or_default(), good);
}

/// Two tutorial runs on one seed: the same first five turns, then B's
/// facilitator overrides public trust, rewinds once, and plays on.
fn parted_logs(dir: &Path) -> (PathBuf, PathBuf) {
    let loaded = builtin("tutorial");
    let teams = vec![Controller::Policy(PolicyKind::Doctrine); loaded.scenario.teams.len()];
    let mut a = Session::new(&loaded, 7, teams.clone(), true);
    a.run_exactly(10, |_| {});
    let mut b = Session::new(&loaded, 7, teams, true);
    b.run_exactly(5, |_| {});
    let change = Override {
        change: Change::SetPublicTrust(200),
        reason: "a press leak | <b>test</b>".to_string(),
    };
    if let Err(e) = b.play_turn(Vec::new(), vec![change]) {
        panic!("{e}");
    }
    b.run_exactly(2, |_| {});
    if let Err(e) = b.rewind(7, "replay the evening") {
        panic!("{e}");
    }
    b.run_exactly(3, |_| {});
    b.add_note(
        "2026-12-03T09:30:00Z".into(),
        "US asked for <logs> | twice".into(),
    );
    let (pa, pb) = (dir.join("a.ron"), dir.join("b.ron"));
    for (path, s) in [(&pa, &a), (&pb, &b)] {
        if let Err(e) = kizuna::store::write_log(path, s.log()) {
            panic!("{e}");
        }
    }
    (pa, pb)
}

#[test]
fn facilitator_overrides_and_rewinds_are_reported_with_their_reasons() {
    let dir = temp_dir();
    let (_, b) = parted_logs(dir.path());
    let j = json(&report(&b, "json"));
    let interventions = j["facilitator"]["interventions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(interventions.len(), 1);
    assert_eq!(interventions[0]["turn"], 6);
    assert_eq!(interventions[0]["kind"], "override");
    assert_eq!(interventions[0]["reason"], "a press leak | <b>test</b>");
    let rewinds = j["facilitator"]["rewinds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rewinds.len(), 1);
    assert_eq!(rewinds[0]["rewound_to"], 7);
    assert_eq!(rewinds[0]["reason"], "replay the evening");
    assert_eq!(rewinds[0]["abandoned_turns"], serde_json::json!([8]));
    let md = report(&b, "md");
    assert!(
        md.contains("a press leak \\| &lt;b&gt;test&lt;/b&gt;"),
        "{md}"
    );
    assert!(md.contains("| 7 | replay the evening | 8 |"));
    // The facilitator's note, with its turn and time, escaped.
    assert_eq!(j["facilitator"]["notes"][0]["turn"], 11);
    assert!(
        md.contains("| 11 | 2026-12-03T09:30:00Z | US asked for &lt;logs&gt; \\| twice |"),
        "{md}"
    );
    let html = report(&b, "html");
    assert!(html.contains("US asked for &lt;logs&gt; | twice"));
}

#[test]
fn compare_names_the_turn_where_two_runs_part() {
    let dir = temp_dir();
    let (a, b) = parted_logs(dir.path());
    let c = json(&ok(kizuna(&[
        "report",
        path_str(&a),
        path_str(&b),
        "--format",
        "json",
    ])));
    assert_eq!(c["shared_turns"], 5);
    assert_eq!(c["divergence_turn"], 6);
    assert_eq!(c["a"]["turns_played"], 10);
    assert_eq!(c["b"]["turns_played"], 10);
    assert!(
        c["only_in_b"].as_array().is_some_and(|v| v
            .iter()
            .any(|x| x.as_str().is_some_and(|s| s.contains("a press leak")))),
        "{c}"
    );
    let trust = c["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["name"] == "Public trust")
        .cloned()
        .unwrap_or_default();
    assert_eq!(trust["differs"], true, "{trust}");

    let md = ok(kizuna(&["report", path_str(&a), path_str(&b)]));
    assert!(md.contains("part at turn 6"), "{md}");
    let html = ok(kizuna(&[
        "report",
        path_str(&a),
        path_str(&b),
        "--format",
        "html",
    ]));
    assert!(html.contains("part at turn 6"));
    assert_self_contained(&html);

    // A log compared with itself does not part.
    let same = json(&ok(kizuna(&[
        "report",
        path_str(&a),
        path_str(&a),
        "--format",
        "json",
    ])));
    assert_eq!(same["divergence_turn"], serde_json::Value::Null);
    assert_eq!(same["shared_turns"], 10);
}

#[test]
fn compare_refuses_runs_of_another_seed_or_scenario() {
    let dir = temp_dir();
    let a = run_log(dir.path(), "tutorial", 7, "a.ron");
    let b = run_log(dir.path(), "tutorial", 8, "b.ron");
    let out = kizuna(&["report", path_str(&a), path_str(&b)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("different seeds (7 and 8)"),
        "{}",
        text(&out.stderr)
    );
    let c = dir.path().join("c.ron");
    ok(kizuna(&[
        "run",
        "pension-breach",
        "--seed",
        "7",
        "--turns",
        "2",
        "--log",
        path_str(&c),
    ]));
    let out = kizuna(&["report", path_str(&a), path_str(&c)]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("different scenarios"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn msel_lists_every_scripted_inject_of_tokyo_games_in_both_formats() {
    let sc = scenario("tokyo-games");
    assert!(sc.injects.len() > 5);
    let csv_text = ok(kizuna(&["msel", "tokyo-games"]));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(header, kizuna::report::msel::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), sc.injects.len());
    for (i, (row, inject)) in rows.iter().zip(&sc.injects).enumerate() {
        assert_eq!(&row[0], (i + 1).to_string().as_str());
        assert_eq!(&row[1], inject.id.as_str());
        assert_eq!(&row[8], inject.title.en.as_str());
        assert_eq!(&row[9], inject.text.en.as_str());
        assert!(!row[6].is_empty(), "{} has recipients", inject.id);
        if let kizuna::scenario::model::Trigger::AtTurn(t) = inject.trigger {
            assert_eq!(&row[2], t.to_string().as_str());
        }
    }

    let md = ok(kizuna(&["msel", "tokyo-games", "--format", "md"]));
    for inject in &sc.injects {
        assert!(md.contains(&md_cell(&inject.title.en)), "{}", inject.id);
    }
    let ja = ok(kizuna(&[
        "msel",
        "tokyo-games",
        "--format",
        "md",
        "--lang",
        "ja",
    ]));
    for inject in &sc.injects {
        assert!(ja.contains(&md_cell(&inject.title.ja)), "{}", inject.id);
    }

    let dir = temp_dir();
    let out = dir.path().join("msel.csv");
    ok(kizuna(&["msel", "tokyo-games", "-o", path_str(&out)]));
    assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), csv_text);
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = ok(kizuna(&["completions", shell]));
        assert!(script.contains("kizuna"), "{shell}");
        assert!(
            script.contains("report") && script.contains("msel"),
            "{shell}"
        );
    }
    let out = kizuna(&["completions", "tcsh"]);
    assert!(!out.status.success());
}

/// Renders the report in headless Chromium and fails on any console
/// message. Without Chromium the test is skipped, unless
/// `KIZUNA_REQUIRE_CHROMIUM=1` (as in `.ci/run`).
#[test]
fn html_report_renders_in_chromium_without_console_errors() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(chromium) = chromium else {
        if std::env::var("KIZUNA_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
            panic!("KIZUNA_REQUIRE_CHROMIUM=1 but no chromium is installed");
        }
        println!(
            "skipped: chromium is not installed (set KIZUNA_REQUIRE_CHROMIUM=1 to require it)"
        );
        return;
    };
    let dir = temp_dir();
    let log_path = run_log(dir.path(), "tutorial", 7, "t.ron");
    let html_path = dir.path().join("report.html");
    ok(kizuna(&[
        "report",
        path_str(&log_path),
        "--format",
        "html",
        "-o",
        path_str(&html_path),
    ]));
    let profile = dir.path().join("profile");
    let out = match Command::new("timeout")
        .args([
            "120",
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", path_str(&profile)),
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            &format!("file://{}", path_str(&html_path)),
        ])
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("cannot start chromium: {e}"),
    };
    let err = text(&out.stderr);
    assert!(out.status.success(), "chromium failed: {err}");
    let console: Vec<&str> = err.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let dom = text(&out.stdout);
    assert!(dom.contains("<svg"), "the charts are in the rendered page");
    assert!(dom.contains("Tutorial: the waterworks phish"));
    assert!(dom.contains("Appendix A: Improvement plan"));
}
