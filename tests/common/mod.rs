//! A small valid scenario, its library and asset tables, as strings.
#![allow(dead_code)]

use kizuna::scenario::MemorySources;
use kizuna::scenario::schema::DecisionKind;

pub const MAIN: &str = r#"(
    id: "fixture",
    title: (en: "Fixture", ja: "フィクスチャ"),
    turn_minutes: 60,
    start: "2020-07-24T08:00",
    turn_limit: 10,
    include: ["lib.ron"],
    organisations: [
        (id: "cert", staff: 9, trust: {"op": 900}),
        (id: "op", name: (en: "Op", ja: "事業者"), nation: Japan, kind: Operator, staff: 2),
    ],
    assets: [
        (id: "power", name: (en: "P", ja: "P"), owner: "op", sector: Energy, criticality: 5,
         dependencies: [(asset: "web")]),
        (id: "web", name: (en: "W", ja: "W"), owner: "op", sector: Event, criticality: 3,
         vulnerabilities: [(technique: "T1190")], dependencies: [(asset: "power", buffer: 2)], links: ["power"]),
    ],
    attackers: [
        (id: "actor", name: (en: "A", ja: "A"), sponsor: "x", objective: Disrupt, skill: 500, stealth: 500,
         campaign: [(name: "in", action: InitialAccess, techniques: ["T1566.001"], targets: ["web"])]),
    ],
    injects: [
        (id: "i1", trigger: AtTurn(2), to: ["japan"], title: (en: "", ja: ""), text: (en: "", ja: "")),
    ],
    objectives: [
        (id: "o1", title: (en: "", ja: ""), goal: KeepAvailable(asset: "web", min: 500, from: 1, to: 10)),
    ],
    teams: [
        (id: "japan", name: (en: "J", ja: "J"), organisations: ["cert", "op"]),
    ],
)
"#;

pub const LIB: &str = r#"(
    organisations: [
        (id: "cert", name: (en: "CERT", ja: "CERT"), nation: Japan, kind: Cert, staff: 3,
         authorities: [IncidentResponse], trust: {"op": 100}, default_trust: 700, detection_skill: 600),
    ],
)
"#;

pub const TECHNIQUES: &str = r#"[
    (id: "T1566.001", name: "Spearphishing Attachment", tactic: "initial-access"),
    (id: "T1190", name: "Exploit Public-Facing Application", tactic: "initial-access"),
]
"#;

/// The shipped tuning table: every fixture runs the real model constants.
pub const TUNING: &str = include_str!("../../assets/tuning.ron");

pub fn decisions() -> String {
    decisions_without(None)
}

pub fn decisions_without(skip: Option<DecisionKind>) -> String {
    let mut s = String::from("[\n");
    for k in DecisionKind::ALL {
        if Some(k) != skip {
            s.push_str(&format!(
                "    (kind: {k:?}, name: (en: \"{k:?}\", ja: \"{k:?}\"), staff: 1, duration: 2, success: 7000),\n"
            ));
        }
    }
    s.push_str("]\n");
    s
}

/// The fixture with its main file replaced.
pub fn sources(main: &str) -> MemorySources {
    MemorySources::new()
        .with("s/main.ron", main)
        .with("s/lib.ron", LIB)
        .with("assets/techniques.ron", TECHNIQUES)
        .with("assets/decisions.ron", decisions())
        .with("assets/tuning.ron", TUNING)
}

/// MAIN with 1-based line `n` replaced.
pub fn main_with_line(n: usize, line: &str) -> String {
    let mut lines: Vec<&str> = MAIN.lines().collect();
    lines[n - 1] = line;
    lines.join("\n") + "\n"
}
