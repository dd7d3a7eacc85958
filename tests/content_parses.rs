//! Every shipped data file parses into its schema type, and the tutorial's
//! references resolve. The full validator lives in `scenario`; this is a
//! small independent check of the content itself.

use std::collections::BTreeSet;
use std::path::Path;

use kizuna::scenario::schema::{
    DecisionKind, DecisionSpec, Effect, Goal, LibraryFile, OrganisationEntry, ScenarioFile,
    Technique, Trigger,
};

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn parse<T: serde::de::DeserializeOwned>(path: &str) -> T {
    ron::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn techniques() -> Vec<Technique> {
    parse("assets/techniques.ron")
}

const LIBRARIES: [&str; 3] = [
    "assets/organisations/japan.ron",
    "assets/organisations/united-states.ron",
    "assets/organisations/partners.ron",
];

#[test]
fn techniques_parse_and_are_unique() {
    let techniques = techniques();
    assert!(techniques.len() >= 60, "{} techniques", techniques.len());
    let ids: BTreeSet<&str> = techniques.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), techniques.len(), "duplicate technique id");
    for t in &techniques {
        let ok = (t.id.starts_with("T1") || t.id.starts_with("T0")) && !t.name.is_empty();
        assert!(ok, "bad technique {t:?}");
        assert!(
            !t.tactic.is_empty() && !t.tactic.contains(' '),
            "bad tactic {t:?}"
        );
    }
    // The ids FACTS.md names for the shipped scenarios.
    for id in [
        "T1003.001",
        "T1555.003",
        "T1016",
        "T1018",
        "T1135",
        "T1021.002",
        "T1047",
        "T1569.002",
        "T1570",
        "T1070.001",
        "T1485",
        "T1489",
        "T1490",
        "T1529",
        "T1566.001",
        "T1566.002",
        "T1204.002",
        "T1071.001",
        "T1041",
        "T0813",
        "T0826",
        "T0831",
        "T0857",
        "T0816",
    ] {
        assert!(ids.contains(id), "missing {id}");
    }
}

#[test]
fn decisions_cover_every_kind_once() {
    let decisions: Vec<DecisionSpec> = parse("assets/decisions.ron");
    assert_eq!(decisions.len(), DecisionKind::ALL.len());
    for kind in DecisionKind::ALL {
        let n = decisions.iter().filter(|d| d.kind == kind).count();
        assert_eq!(n, 1, "{kind:?} appears {n} times");
    }
    for d in &decisions {
        assert!(
            d.success <= 10_000 && d.staff > 0 && d.duration > 0,
            "{d:?}"
        );
        assert!(!d.name.en.is_empty() && !d.name.ja.is_empty(), "{d:?}");
    }
}

fn library_orgs() -> Vec<OrganisationEntry> {
    LIBRARIES
        .iter()
        .flat_map(|p| parse::<LibraryFile>(p).organisations)
        .collect()
}

#[test]
fn libraries_are_complete_and_consistent() {
    let orgs = library_orgs();
    let ids: BTreeSet<&str> = orgs.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), orgs.len(), "duplicate organisation id");
    for o in &orgs {
        let name = o
            .name
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no name", o.id));
        assert!(!name.en.is_empty() && !name.ja.is_empty(), "{}", o.id);
        assert!(o.nation.is_some() && o.kind.is_some(), "{}", o.id);
        assert!(o.staff.is_some_and(|s| s > 0), "{}: staff", o.id);
        assert!(
            o.authorities.is_some() && o.reporting_delay.is_some(),
            "{}",
            o.id
        );
        assert!(o.default_trust.is_some_and(|t| t <= 1000), "{}", o.id);
        assert!(o.detection_skill.is_some_and(|t| t <= 1000), "{}", o.id);
        for r in o.reports_to.as_ref().expect("reports_to") {
            assert!(ids.contains(r.as_str()), "{}: reports_to {r}", o.id);
        }
        for (k, v) in o.trust.as_ref().expect("trust") {
            assert!(
                ids.contains(k.as_str()) && *v <= 1000,
                "{}: trust {k}",
                o.id
            );
            assert_ne!(k, &o.id, "{}: trusts itself", o.id);
        }
    }
    // The US weighs Japan's ability to protect shared information: every
    // US→JP trust value is below the matching JP→US value.
    let trust = |a: &str, b: &str| {
        let o = orgs.iter().find(|o| o.id == a).unwrap();
        o.trust.as_ref().unwrap().get(b).copied()
    };
    for jp in [
        "nisc", "jpcert", "npa", "jsdf-cdc", "mic-nict", "meti-ipa", "mofa",
    ] {
        for us in ["cisa", "fbi", "nsa", "uscybercom", "usfj", "state"] {
            let (to_us, to_jp) = (trust(jp, us).unwrap(), trust(us, jp).unwrap());
            assert!(to_jp < to_us, "{us}→{jp} {to_jp} ≥ {jp}→{us} {to_us}");
        }
    }
}

/// A small independent reference check of a scenario file against the
/// libraries it includes.
fn check_references(s: &ScenarioFile, library: &[OrganisationEntry], techniques: &BTreeSet<&str>) {
    let mut errors = Vec::new();
    let lib_ids: BTreeSet<&str> = library.iter().map(|o| o.id.as_str()).collect();
    let orgs: BTreeSet<&str> = s.organisations.iter().map(|o| o.id.as_str()).collect();
    let assets: BTreeSet<&str> = s.assets.iter().map(|a| a.id.as_str()).collect();
    let attackers: BTreeSet<&str> = s.attackers.iter().map(|a| a.id.as_str()).collect();
    let injects: BTreeSet<&str> = s.injects.iter().map(|i| i.id.as_str()).collect();
    let teams: BTreeSet<&str> = s.teams.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(orgs.len(), s.organisations.len(), "duplicate organisation");
    assert_eq!(assets.len(), s.assets.len(), "duplicate asset");
    let mut need = |set: &BTreeSet<&str>, id: &str, what: &str| {
        if !set.contains(id) {
            errors.push(format!("{what} `{id}` not found"));
        }
    };
    for o in &s.organisations {
        if o.name.is_none() {
            need(&lib_ids, &o.id, "library organisation");
        }
        for r in o.reports_to.iter().flatten() {
            need(&orgs, r, "reports_to");
        }
        for k in o.trust.iter().flat_map(|t| t.keys()) {
            need(&orgs, k, "trust key");
        }
    }
    for c in &s.channels {
        need(&orgs, &c.from, "channel end");
        need(&orgs, &c.to, "channel end");
    }
    for a in &s.assets {
        need(&orgs, &a.owner, "owner");
        assert!((1..=5).contains(&a.criticality), "{}", a.id);
        for d in &a.dependencies {
            need(&assets, &d.asset, "dependency");
        }
        for l in &a.links {
            need(&assets, l, "link");
        }
        for v in &a.vulnerabilities {
            need(techniques, &v.technique, "technique");
            assert!(v.exploitability <= 10_000);
        }
    }
    for at in &s.attackers {
        for st in &at.campaign {
            for t in &st.techniques {
                need(techniques, t, "technique");
            }
            for t in &st.targets {
                need(&assets, t, "stage target");
            }
        }
    }
    for i in &s.injects {
        for t in &i.to {
            need(&teams, t, "inject team");
        }
        match &i.trigger {
            Trigger::AssetBelow { asset, .. } => need(&assets, asset, "trigger asset"),
            Trigger::AttackerReachesStage { attacker, stage } => {
                need(&attackers, attacker, "trigger attacker");
                let len = s
                    .attackers
                    .iter()
                    .find(|a| &a.id == attacker)
                    .map(|a| a.campaign.len());
                assert!(
                    len.is_some_and(|n| (1..=n as u32).contains(stage)),
                    "stage {stage}"
                );
            }
            Trigger::AfterInject { inject, .. } => need(&injects, inject, "trigger inject"),
            Trigger::AtTurn(_) | Trigger::DecisionTaken(_) => {}
        }
        for e in &i.effects {
            match e {
                Effect::SetAvailability { asset, .. } => need(&assets, asset, "effect asset"),
                Effect::AddStaff { organisation, .. } | Effect::FalseLead { organisation, .. } => {
                    need(&orgs, organisation, "effect organisation")
                }
                Effect::RevealAttacker {
                    organisation,
                    attacker,
                } => {
                    need(&orgs, organisation, "effect organisation");
                    need(&attackers, attacker, "effect attacker");
                }
                Effect::ChangeTrust { from, to, .. } => {
                    need(&orgs, from, "trust from");
                    need(&orgs, to, "trust to");
                }
                Effect::PublicTrust(_) | Effect::AllianceTrust(_) => {}
            }
        }
    }
    for o in &s.objectives {
        match &o.goal {
            Goal::KeepAvailable { asset, .. } => need(&assets, asset, "goal asset"),
            Goal::DetectWithin { attacker, .. }
            | Goal::ContainBy { attacker, .. }
            | Goal::AttributeCorrectly { attacker } => need(&attackers, attacker, "goal attacker"),
            _ => {}
        }
    }
    let mut on_team = BTreeSet::new();
    for t in &s.teams {
        assert!(!t.organisations.is_empty(), "team {} is empty", t.id);
        for o in &t.organisations {
            need(&orgs, o, "team organisation");
            assert!(on_team.insert(o.as_str()), "{o} is on two teams");
        }
    }
    assert!(errors.is_empty(), "{}: {errors:#?}", s.id);
}

#[test]
fn tutorial_parses_and_resolves() {
    let s: ScenarioFile = parse("scenarios/tutorial.ron");
    assert_eq!(s.id, "tutorial");
    let start = s.start.as_bytes();
    assert!(start.len() == 16 && start[10] == b'T', "start {}", s.start);
    let mut library = Vec::new();
    for inc in &s.include {
        assert!(inc.starts_with("assets/") && !inc.contains(".."), "{inc}");
        library.extend(parse::<LibraryFile>(inc).organisations);
    }
    let techniques = techniques();
    let ids: BTreeSet<&str> = techniques.iter().map(|t| t.id.as_str()).collect();
    check_references(&s, &library, &ids);

    // Every text has real English and Japanese.
    let mut texts = vec![&s.title, &s.description];
    texts.extend(s.assets.iter().map(|a| &a.name));
    texts.extend(s.attackers.iter().map(|a| &a.name));
    texts.extend(s.injects.iter().flat_map(|i| [&i.title, &i.text]));
    texts.extend(s.objectives.iter().map(|o| &o.title));
    texts.extend(s.teams.iter().map(|t| &t.name));
    texts.extend(s.organisations.iter().filter_map(|o| o.name.as_ref()));
    for t in texts {
        assert!(!t.en.trim().is_empty(), "{t:?}");
        assert!(!t.ja.is_ascii(), "Japanese text missing: {t:?}");
    }
}

#[test]
fn generated_scenario_resolves() {
    let s = kizuna::worldgen::generate(300, 7);
    let library: Vec<_> = s
        .include
        .iter()
        .flat_map(|p| parse::<LibraryFile>(p).organisations)
        .collect();
    let techniques = techniques();
    let ids: BTreeSet<&str> = techniques.iter().map(|t| t.id.as_str()).collect();
    check_references(&s, &library, &ids);
}

#[test]
fn authoring_reference_lists_the_decision_catalogue() {
    let doc = read("docs/scenario-format.md");
    let decisions: Vec<DecisionSpec> = parse("assets/decisions.ron");
    for d in &decisions {
        let row = format!("| `{:?}` |", d.kind);
        let line = doc
            .lines()
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("no row for {:?} in docs/scenario-format.md", d.kind));
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let expected = [
            d.staff.to_string(),
            d.duration.to_string(),
            format!("{}%", d.success / 100),
        ];
        assert_eq!(&cells[3..6], &expected, "{line}");
    }
}
