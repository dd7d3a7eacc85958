//! Loading scenarios: includes, library merge, limits and located errors.

mod common;

use common::{LIB, MAIN, decisions, decisions_without, main_with_line, sources};
use kizuna::scenario::schema::{Authority, DecisionKind};
use kizuna::scenario::{
    LoadOptions, MemorySources, ScenarioError, load, load_builtin, load_file, load_scenario_arg,
};

fn opts() -> LoadOptions {
    LoadOptions::default()
}

fn errors(main: &str) -> ScenarioError {
    match load(&sources(main), "s/main.ron", &opts()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// The `file:line:col: message` line containing `needle`, with the column
/// where `token` starts on that line checked too.
fn assert_at(e: &ScenarioError, needle: &str, line: usize, token: &str, src: &str) {
    let lines = e.location_lines();
    let hit = lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no problem mentions {needle:?}: {lines:#?}"));
    let text_line = src.lines().nth(line - 1).unwrap();
    let col = text_line[..text_line.find(token).unwrap()].chars().count() + 1;
    let want = format!("s/main.ron:{line}:{col}: ");
    assert!(hit.starts_with(&want), "{hit:?} should start with {want:?}");
}

#[test]
fn fixture_loads_with_library_merge_and_overrides() {
    let loaded = load(&sources(MAIN), "s/main.ron", &opts()).unwrap();
    let s = &loaded.scenario;
    let cert = &s.organisations[0];
    assert_eq!(cert.id, "cert");
    assert_eq!(cert.staff, 9, "the scenario overrides the library's staff");
    assert_eq!(cert.name.en, "CERT", "the name comes from the library");
    assert_eq!(cert.authorities, vec![Authority::IncidentResponse]);
    assert_eq!(cert.detection_skill, 600);
    assert_eq!(
        (cert.trust.get(0), cert.trust.get(1)),
        (700, 900),
        "default 700, op overridden to 900"
    );
    let op = &s.organisations[1];
    assert_eq!((op.detection_skill, op.reporting_delay), (300, 0));
    assert_eq!((op.trust.get(0), op.trust.get(1)), (500, 500));
    assert_eq!((cert.team, op.team), (Some(0), Some(0)));
    // A dependency cycle power <-> web is allowed; links become undirected.
    assert_eq!(s.assets[0].dependencies[0].asset, 1);
    assert_eq!(s.assets[1].dependencies[0].asset, 0);
    assert_eq!(s.assets[0].links, vec![1]);
    assert_eq!(s.assets[1].links, vec![0]);
    assert_eq!(s.assets[1].vulnerabilities[0].technique, 1);
    assert_eq!(s.decisions.len(), DecisionKind::ALL.len());
    for k in DecisionKind::ALL {
        assert_eq!(s.decision(k).spec.kind, k);
        assert!(s.decision(k).allowed);
    }
    assert_eq!(s.injects[0].to, vec![0]);
    // 2020-07-24 is day 18467 since 1970-01-01.
    assert_eq!(s.start_minute, 18_467 * 1440 + 8 * 60);
    let paths: Vec<&str> = loaded.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "s/main.ron",
            "s/lib.ron",
            "assets/techniques.ron",
            "assets/decisions.ron",
            "assets/tuning.ron"
        ]
    );
    assert_eq!(&*loaded.files[1].text, LIB);
}

#[test]
fn source_hash_covers_every_file_and_replays_from_memory() {
    let a = load(&sources(MAIN), "s/main.ron", &opts()).unwrap();
    let b = load(&sources(MAIN), "s/main.ron", &opts()).unwrap();
    assert_eq!(a.source_hash, b.source_hash);
    let mut bytes = Vec::new();
    for f in &a.files {
        bytes.extend_from_slice(f.path.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(f.text.as_bytes());
        bytes.push(0);
    }
    assert_eq!(a.source_hash, xxhash_rust::xxh3::xxh3_64(&bytes));
    let changed_lib = sources(MAIN).with("s/lib.ron", LIB.replace("staff: 3", "staff: 4"));
    let c = load(&changed_lib, "s/main.ron", &opts()).unwrap();
    assert_ne!(a.source_hash, c.source_hash);
    // Replaying from the recorded files gives the same scenario and hash.
    let mut replay = MemorySources::new();
    for f in &a.files {
        replay = replay.with(f.path.clone(), &*f.text);
    }
    let r = load(&replay, "s/main.ron", &opts()).unwrap();
    assert_eq!(r.scenario, a.scenario);
    assert_eq!(r.source_hash, a.source_hash);
}

#[test]
fn allowed_decisions_restrict_the_catalogue() {
    let src = main_with_line(
        6,
        "    turn_limit: 10, allowed_decisions: [Monitor, Liaison],",
    );
    let s = load(&sources(&src), "s/main.ron", &opts())
        .unwrap()
        .scenario;
    let allowed: Vec<DecisionKind> = DecisionKind::ALL
        .into_iter()
        .filter(|k| s.decision(*k).allowed)
        .collect();
    assert_eq!(allowed, [DecisionKind::Monitor, DecisionKind::Liaison]);
}

#[test]
fn include_escapes_are_rejected_at_the_include() {
    for bad in [
        "../x.ron",
        "/etc/passwd",
        "assets/../../x",
        "lib\\x.ron",
        "C:/x.ron",
        "",
    ] {
        let src = main_with_line(7, &format!("    include: [\"lib.ron\", {bad:?}],"));
        let e = errors(&src);
        assert_eq!(e.problems().len(), 1, "{bad}: {:?}", e.location_lines());
        assert_at(&e, "include path", 7, &format!("{bad:?}"), &src);
    }
}

#[test]
fn missing_include_points_at_the_include() {
    let src = main_with_line(7, "    include: [\"lib.ron\", \"nope.ron\"],");
    let e = errors(&src);
    assert_at(
        &e,
        "cannot find included file 'nope.ron'",
        7,
        "\"nope.ron\"",
        &src,
    );
}

#[test]
fn libraries_may_not_include() {
    let s = sources(MAIN).with("s/lib.ron", "(include: [\"other.ron\"], organisations: [])");
    let e = load(&s, "s/main.ron", &opts()).unwrap_err();
    let p = &e.problems()[0];
    assert_eq!((p.path.as_str(), p.line, p.col), ("s/lib.ron", 1, 2));
    assert!(p.help.as_deref().unwrap().contains("flat"), "{:?}", p.help);
}

#[test]
fn too_many_includes_is_an_error() {
    let src = main_with_line(7, "    include: [\"lib.ron\", \"lib.ron\", \"lib.ron\"],");
    let e = load(&sources(&src), "s/main.ron", &opts().max_includes(2)).unwrap_err();
    assert!(
        e.location_lines()[0].contains("too many includes"),
        "{:?}",
        e.location_lines()
    );
    // The same file named twice is read once.
    let ok = load(&sources(&src), "s/main.ron", &opts()).unwrap();
    assert_eq!(ok.files.len(), 5);
}

#[test]
fn unknown_reference_points_at_the_value() {
    let src = main_with_line(14, "         dependencies: [(asset: \"powr-grid\")]),");
    let e = errors(&src);
    assert_at(&e, "unknown asset 'powr-grid'", 14, "\"powr-grid\"", &src);
    let src = main_with_line(
        29,
        "        (id: \"japan\", name: (en: \"J\", ja: \"J\"), organisations: [\"cert\", \"opp\"]),",
    );
    let e = errors(&src);
    assert_at(&e, "unknown organisation 'opp'", 29, "\"opp\"", &src);
    assert_eq!(e.problems()[0].help.as_deref(), Some("did you mean 'op'?"));
}

#[test]
fn every_problem_is_reported() {
    let src = main_with_line(14, "         dependencies: [(asset: \"nothing\")]),");
    let src = src.replace("targets: [\"web\"]", "targets: [\"webb\"]");
    let src = src.replace("start: \"2020-07-24T08:00\"", "start: \"24 July\"");
    let e = errors(&src);
    assert_eq!(e.problems().len(), 3, "{:#?}", e.location_lines());
    assert_at(&e, "unknown asset 'nothing'", 14, "\"nothing\"", &src);
    assert_at(&e, "unknown asset 'webb'", 20, "\"webb\"", &src);
    assert_at(&e, "`start`", 5, "\"24 July\"", &src);
}

#[test]
fn duplicate_id_points_at_the_second_with_a_label_on_the_first() {
    let src = main_with_line(
        10,
        "        (id: \"cert\", name: (en: \"Op\", ja: \"x\"), nation: Japan, kind: Operator, staff: 2),",
    );
    let e = errors(&src);
    let p = e
        .problems()
        .iter()
        .find(|p| p.message.contains("duplicate organisation id 'cert'"))
        .expect("duplicate reported");
    assert_eq!((p.line, p.col), (10, 14));
    let (span, label) = p.secondary.as_ref().expect("label on the first");
    let first = src.find("\"cert\"").unwrap();
    assert_eq!(span.offset(), first);
    assert_eq!(label, "first defined here");
}

#[test]
fn unknown_technique_suggests_the_closest() {
    let src = MAIN.replace("\"T1566.001\"", "\"T1566.01\"");
    let e = errors(&src);
    assert_at(
        &e,
        "unknown ATT&CK technique 'T1566.01'",
        20,
        "\"T1566.01\"",
        &src,
    );
    assert_eq!(
        e.problems()[0].help.as_deref(),
        Some("did you mean T1566.001?")
    );
}

#[test]
fn values_out_of_range_point_at_the_value() {
    let cases: &[(usize, &str, &str, &str)] = &[
        (
            13,
            "        (id: \"power\", name: (en: \"P\", ja: \"P\"), owner: \"op\", sector: Energy, criticality: 7,",
            "`criticality` is 7",
            "7,",
        ),
        (
            19,
            "        (id: \"actor\", name: (en: \"A\", ja: \"A\"), sponsor: \"x\", objective: Disrupt, skill: 1500, stealth: 500,",
            "`skill` is 1500",
            "1500",
        ),
        (4, "    turn_minutes: 0,", "`turn_minutes` is 0", "0"),
        (
            6,
            "    turn_limit: 200000,",
            "`turn_limit` is 200000",
            "200000",
        ),
        (
            9,
            "        (id: \"cert\", staff: 9, trust: {\"op\": 1001}),",
            "`trust` is 1001",
            "1001",
        ),
        (
            23,
            "        (id: \"i1\", trigger: AtTurn(50), to: [\"japan\"], title: (en: \"\", ja: \"\"), text: (en: \"\", ja: \"\")),",
            "fires at turn 50",
            "50",
        ),
        (
            2,
            "    format: 2, id: \"fixture\",",
            "unsupported format 2",
            "2",
        ),
        (5, "    start: \"2020-02-30T08:00\",", "`start`", "\"2020"),
        // Quantities whose sums the engine keeps in 64 bits.
        (
            14,
            "         records: 18446744073709551615, dependencies: [(asset: \"web\")]),",
            "`records` is 18446744073709551615",
            "18446744073709551615",
        ),
        (
            14,
            "         population: 10000000001, dependencies: [(asset: \"web\")]),",
            "`population` is 10000000001",
            "10000000001",
        ),
    ];
    for (line, text, needle, token) in cases {
        let src = main_with_line(*line, text);
        assert_at(&errors(&src), needle, *line, token, &src);
    }
}

/// Each asset within its bound, but together past what the engine sums.
#[test]
fn records_over_all_assets_are_bounded() {
    let many: String = (0..1001)
        .map(|i| {
            format!(
                "        (id: \"a{i}\", name: (en: \"A\", ja: \"A\"), owner: \"op\", sector: Finance, criticality: 1, records: 10000000000),\n"
            )
        })
        .collect();
    let src = MAIN.replacen(
        "    ],\n    attackers:",
        &format!("{many}    ],\n    attackers:"),
        1,
    );
    assert_ne!(src, MAIN, "the fixture's asset list moved");
    let e = errors(&src);
    let lines = e.location_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("`records` add up to 10010000000000")),
        "{lines:#?}"
    );
}

#[test]
fn structural_problems_are_located() {
    let cases: &[(usize, &str, &str, &str)] = &[
        (
            29,
            "        (id: \"japan\", name: (en: \"J\", ja: \"J\"), organisations: []),",
            "team 'japan' has no organisation",
            "organisations: []",
        ),
        (20, "         campaign: []),", "empty campaign", "campaign"),
        (
            20,
            "         campaign: [(name: \"in\", action: InitialAccess, techniques: [], targets: [])]),",
            "has no targets",
            "\"in\"",
        ),
        (
            26,
            "        (id: \"o1\", title: (en: \"\", ja: \"\"), goal: KeepAvailable(asset: \"gone\", min: 500, from: 1, to: 10)),",
            "asset 'gone', which does not exist",
            "\"gone\"",
        ),
        (
            16,
            "         links: [\"web\"]),",
            "links to itself",
            "\"web\"",
        ),
        (
            14,
            "         dependencies: [(asset: \"power\")]),",
            "depends on itself",
            "\"power\"",
        ),
        (
            23,
            "        (id: \"\", trigger: AtTurn(2), title: (en: \"\", ja: \"\"), text: (en: \"\", ja: \"\")),",
            "empty id",
            "\"\"",
        ),
        (
            23,
            "        (id: \"i1\", trigger: AtTurn(2), to: [\"usa\"], title: (en: \"\", ja: \"\"), text: (en: \"\", ja: \"\")),",
            "unknown team 'usa'",
            "\"usa\"",
        ),
        (
            9,
            "        (id: \"cert\", staff: 9, trust: {\"nobody\": 900}),",
            "unknown organisation 'nobody'",
            "\"nobody\"",
        ),
        (
            30,
            "        (id: \"us\", name: (en: \"U\", ja: \"U\"), organisations: [\"op\"]), ],",
            "on two teams",
            "\"op\"",
        ),
    ];
    for (line, text, needle, token) in cases {
        let src = main_with_line(*line, text);
        assert_at(&errors(&src), needle, *line, token, &src);
    }
}

#[test]
fn organisation_without_library_needs_every_field() {
    let src = main_with_line(
        10,
        "        (id: \"op\", name: (en: \"Op\", ja: \"x\"), nation: Japan, kind: Operator),",
    );
    let e = errors(&src);
    assert_at(&e, "has no `staff`", 10, "\"op\"", &src);
    let help = e.problems()[0].help.clone().unwrap();
    assert!(
        help.contains("include a library that defines 'op'"),
        "{help}"
    );
    // Without the include, "cert" is incomplete too, and the hint says why.
    let src = main_with_line(7, "    include: [],");
    let e = errors(&src);
    assert_eq!(e.problems().len(), 3, "{:#?}", e.location_lines());
    assert_at(&e, "organisation 'cert' has no `name`", 9, "\"cert\"", &src);
}

#[test]
fn decision_catalogue_must_be_complete() {
    let s = sources(MAIN).with(
        "assets/decisions.ron",
        decisions_without(Some(DecisionKind::Takedown)),
    );
    let e = load(&s, "s/main.ron", &opts()).unwrap_err();
    assert!(
        e.location_lines()[0].starts_with(
            "assets/decisions.ron:1:1: the decision catalogue has no entry for Takedown"
        ),
        "{:?}",
        e.location_lines()
    );
    let twice = decisions().replacen("(kind: Hunt", "(kind: Monitor", 1);
    let s = sources(MAIN).with("assets/decisions.ron", twice);
    let e = load(&s, "s/main.ron", &opts()).unwrap_err();
    let lines = e.location_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("assets/decisions.ron:3:12: decision Monitor is defined twice")),
        "{lines:?}"
    );
}

#[test]
fn syntax_errors_are_located_with_hints() {
    let src = main_with_line(9, "        (id: \"cert\", staff: 99999999999999999999),");
    let e = errors(&src);
    assert_at(&e, "integer out of range", 9, "99999", &src);
    assert_eq!(
        e.problems()[0].help.as_deref(),
        Some("`staff` must fit in u32: 0..=4294967295")
    );

    let src = main_with_line(4, "    turn_minuts: 60,");
    let e = errors(&src);
    assert_at(&e, "unknown field `turn_minuts`", 4, "turn_minuts", &src);
    assert!(
        e.problems()[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `turn_minutes`?")
    );

    let e = errors("[1, 2, 3]");
    assert_eq!(
        e.location_lines(),
        ["s/main.ron:1:1: expected a scenario starting with `(`"]
    );
    assert!(
        e.problems()[0]
            .help
            .as_deref()
            .unwrap()
            .contains("starts with `(`")
    );

    let e = errors("");
    assert!(e.location_lines()[0].starts_with("s/main.ron:1:1: the file is empty"));
    let e = errors("  // only a comment\n");
    assert!(e.location_lines()[0].contains("the file is empty"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let e = errors(&"(".repeat(100_000));
    assert!(
        e.location_lines()[0].starts_with("s/main.ron:1:65: nesting is deeper"),
        "{:?}",
        e.location_lines()
    );
    let e = errors(&format!("(id: {}", "[".repeat(100_000)));
    assert!(e.location_lines()[0].contains("nesting is deeper"));
    // Raising the limit lets ron's own recursion limit answer instead.
    let e = load(
        &sources(&"(".repeat(500)),
        "s/main.ron",
        &opts().max_nesting(1000),
    )
    .unwrap_err();
    assert!(!e.problems().is_empty());
}

#[test]
fn size_and_entity_limits() {
    let e = load(&sources(MAIN), "s/main.ron", &opts().max_file_bytes(100)).unwrap_err();
    assert!(
        e.location_lines()[0].contains("over the 100-byte limit"),
        "{:?}",
        e.location_lines()
    );
    let e = load(&sources(MAIN), "s/main.ron", &opts().max_entities(5)).unwrap_err();
    assert!(
        e.location_lines()[0].contains("more than the limit of 5"),
        "{:?}",
        e.location_lines()
    );
    assert!(load(&sources(MAIN), "s/main.ron", &opts().max_entities(12)).is_ok());
}

#[test]
fn binary_garbage_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, b"(\n  id: \"a\xff\xfe\x00b\",\n)").unwrap();
    let e = load_file(&path, &opts()).unwrap_err();
    let p = &e.problems()[0];
    assert_eq!((p.line, p.col), (2, 9));
    assert!(p.message.contains("UTF-8"));
    let e = errors("\0\u{1}\u{7f}garbage");
    assert!(!e.problems().is_empty());
}

#[test]
fn files_on_disk_and_built_ins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.ron"), MAIN).unwrap();
    std::fs::write(dir.path().join("lib.ron"), LIB).unwrap();
    let loaded = load_file(&dir.path().join("main.ron"), &opts()).unwrap();
    assert_eq!(loaded.files[0].path, "main.ron");
    assert_eq!(loaded.files[1].path, "lib.ron");
    let arg = dir.path().join("main.ron");
    assert!(load_scenario_arg(arg.to_str().unwrap(), &opts()).is_ok());
    let e = load_file(&dir.path().join("missing.ron"), &opts()).unwrap_err();
    assert!(e.location_lines()[0].contains("cannot find"));
    for (id, _) in kizuna::scenario::builtin::builtin_ids() {
        let l =
            load_builtin(id, &opts()).unwrap_or_else(|e| panic!("{id}: {:?}", e.location_lines()));
        assert_eq!(l.scenario.id, *id);
        assert!(load_scenario_arg(id, &opts()).is_ok());
    }
    assert!(load_builtin("no-such", &opts()).is_err());
}
