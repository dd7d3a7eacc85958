//! Synthetic scenarios of any size, for benchmarks, sweeps and stress tests
//! (`kizuna gen --assets N --seed S`).
//!
//! The world is plausible rather than real: about one operator per fifty
//! assets, each owning a contiguous block of assets that forms a connected
//! network with a few links to other operators. The first operator is a
//! power utility and the second a telecom carrier; a few more of each are
//! sprinkled in. Everything depends on power and telecom (FACTS.md §3:
//! power → telecom → everything else), telecom depends on power, and some
//! assets depend on others of the same operator. Dependencies only point to
//! earlier assets or to the foundational sectors, so the graph has no cycles.
//!
//! Output is a pure function of `(assets, seed)`: one `ChaCha8Rng` drawn in a
//! fixed order, ids numbered by position.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::scenario::schema::{
    Asset, AssetKind, Attacker, AttackerObjective, Backups, Channel, Dependency, Effect, FalseFlag,
    Goal, Inject, Nation, Objective, OrganisationEntry, OrganisationKind, ScenarioFile, Sector,
    Stage, StageAction, Team, Text, Trigger, Vulnerability,
};

/// Assets per generated operator.
const ASSETS_PER_OPERATOR: usize = 50;
/// From this many assets on, [`generate_ron`] writes compact RON.
const COMPACT_FROM: usize = 10_000;

pub const JAPAN_LIBRARY: &str = "assets/organisations/japan.ron";
pub const US_LIBRARY: &str = "assets/organisations/united-states.ron";
const JAPAN_ORGS: [&str; 7] = [
    "nisc", "jpcert", "npa", "jsdf-cdc", "mic-nict", "meti-ipa", "mofa",
];
const US_ORGS: [&str; 6] = ["cisa", "fbi", "nsa", "uscybercom", "usfj", "state"];

// Technique ids drawn for vulnerabilities and campaigns. Every one is in
// `assets/techniques.ron` (a test checks).
const IT_EDGE: [&str; 6] = ["T1190", "T1133", "T1566.001", "T1566.002", "T1078", "T1110"];
const IT_INTERNAL: [&str; 6] = [
    "T1021.002",
    "T1021.001",
    "T1003.001",
    "T1047",
    "T1210",
    "T1068",
];
const OT_EDGE: [&str; 3] = ["T0883", "T0822", "T0819"];
const OT_INTERNAL: [&str; 5] = ["T0886", "T0866", "T0855", "T0843", "T0831"];
const NETWORK: [&str; 4] = ["T1190", "T1133", "T1498", "T1110"];
/// Every technique id this module writes, for the test against the library.
pub const TECHNIQUES_USED: [&str; 34] = [
    "T1190",
    "T1133",
    "T1566.001",
    "T1566.002",
    "T1078",
    "T1110",
    "T1021.002",
    "T1021.001",
    "T1003.001",
    "T1047",
    "T1210",
    "T1068",
    "T0883",
    "T0822",
    "T0819",
    "T0886",
    "T0866",
    "T0855",
    "T0843",
    "T0831",
    "T1498",
    "T1204.002",
    "T1555.003",
    "T1018",
    "T1570",
    "T1039",
    "T1041",
    "T1489",
    "T1485",
    "T1490",
    "T1529",
    "T1491.002",
    "T0813",
    "T1486",
];

const SPONSORS: [&str; 4] = [
    "GRU Unit 74455",
    "MSS-linked contractor",
    "RGB (Lazarus cluster)",
    "Criminal ransomware group",
];

/// Relative weights of sectors for operators after the first two. Energy and
/// telecom are few but foundational.
const SECTOR_WEIGHTS: [(Sector, u32); 14] = [
    (Sector::Government, 10),
    (Sector::Energy, 3),
    (Sector::Telecom, 3),
    (Sector::Transport, 8),
    (Sector::Water, 6),
    (Sector::Finance, 12),
    (Sector::Health, 12),
    (Sector::Media, 5),
    (Sector::Defence, 3),
    (Sector::Event, 2),
    (Sector::Ports, 3),
    (Sector::Manufacturing, 15),
    (Sector::InformationTechnology, 12),
    (Sector::SocialSecurity, 3),
];

fn sector_names(s: Sector) -> (&'static str, &'static str) {
    match s {
        Sector::Government => ("Government", "行政"),
        Sector::Energy => ("Power", "電力"),
        Sector::Telecom => ("Telecom", "通信"),
        Sector::Transport => ("Transport", "交通"),
        Sector::Water => ("Water", "水道"),
        Sector::Finance => ("Finance", "金融"),
        Sector::Health => ("Health", "医療"),
        Sector::Media => ("Media", "放送"),
        Sector::Defence => ("Defence", "防衛"),
        Sector::Event => ("Event", "大会運営"),
        Sector::Ports => ("Ports", "港湾"),
        Sector::Manufacturing => ("Manufacturing", "製造"),
        Sector::InformationTechnology => ("IT services", "情報サービス"),
        Sector::SocialSecurity => ("Social security", "社会保障"),
    }
}

fn kind_names(k: AssetKind) -> &'static [(&'static str, &'static str)] {
    match k {
        AssetKind::It => &[
            ("mail gateway", "メールゲートウェイ"),
            ("file server", "ファイルサーバー"),
            ("web portal", "ウェブポータル"),
            ("domain controller", "ドメインコントローラー"),
            ("database", "データベース"),
            ("staff terminals", "職員用端末"),
            ("business system", "業務システム"),
        ],
        AssetKind::Ot => &[
            ("SCADA HMI", "SCADA監視制御端末"),
            ("PLC cluster", "PLC群"),
            ("historian", "ヒストリアン"),
            ("field RTUs", "遠隔監視制御装置"),
            ("engineering workstation", "エンジニアリング端末"),
        ],
        AssetKind::Network => &[
            ("core router", "コアルーター"),
            ("VPN gateway", "VPN装置"),
            ("backbone link", "基幹回線"),
            ("mobile core", "モバイルコア網"),
        ],
        AssetKind::Service => &[
            ("public website", "公式ウェブサイト"),
            ("customer portal", "顧客ポータル"),
            ("ticketing service", "発券サービス"),
            ("payment service", "決済サービス"),
        ],
    }
}

fn text(en: String, ja: String) -> Text {
    Text { en, ja }
}

fn asset_id(i: usize) -> String {
    format!("a{i:06}")
}

fn operator_id(k: usize) -> String {
    format!("op{k:05}")
}

fn attacker_id(k: usize) -> String {
    format!("x{k:02}")
}

/// One generated operator and the block of assets it owns.
struct Operator {
    sector: Sector,
    nation: Nation,
    start: usize,
    end: usize,
    centre: (i32, i32),
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn pick_sector(rng: &mut ChaCha8Rng) -> Sector {
    let total: u32 = SECTOR_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (s, w) in SECTOR_WEIGHTS {
        if roll < w {
            return s;
        }
        roll -= w;
    }
    Sector::Government
}

/// The most assets `gen` makes (about 540 MB of text, the loader's default
/// entity limit). Worlds over about 100,000 assets are larger than the
/// default `--max-file-bytes` and load with it raised.
pub const MAX_ASSETS: u64 = 1_000_000;

/// A synthetic scenario with `assets` assets, fully determined by `seed`.
pub fn generate(assets: usize, seed: u64) -> ScenarioFile {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = assets;
    let operators = make_operators(&mut rng, n);

    let mut organisations: Vec<OrganisationEntry> = JAPAN_ORGS
        .iter()
        .chain(US_ORGS.iter())
        .map(|id| OrganisationEntry {
            id: (*id).to_string(),
            ..Default::default()
        })
        .collect();
    for (k, op) in operators.iter().enumerate() {
        organisations.push(operator_entry(&mut rng, k, op));
    }

    let asset_list = make_assets(&mut rng, &operators);
    let attackers = make_attackers(&mut rng, &operators, &asset_list);
    let injects = make_injects(&asset_list, &attackers);
    let objectives = make_objectives(&asset_list, &attackers);

    let (mut jp, mut us): (Vec<String>, Vec<String>) = (
        JAPAN_ORGS.iter().map(|s| (*s).to_string()).collect(),
        US_ORGS.iter().map(|s| (*s).to_string()).collect(),
    );
    for (k, op) in operators.iter().enumerate() {
        match op.nation {
            Nation::UnitedStates => us.push(operator_id(k)),
            _ => jp.push(operator_id(k)),
        }
    }

    let channel = |from: &str, to: &str, delay| Channel {
        from: from.to_string(),
        to: to.to_string(),
        delay,
        both_ways: true,
    };

    ScenarioFile {
        format: 1,
        id: format!("gen-{n}-{seed}"),
        title: text(
            format!("Generated world: {n} assets (seed {seed})"),
            format!("生成シナリオ：資産{n}件（シード{seed}）"),
        ),
        description: text(
            "A synthetic infrastructure for benchmarks and sweeps.".to_string(),
            "ベンチマークとスイープ用の合成インフラ。".to_string(),
        ),
        turn_minutes: 60,
        start: "2026-07-01T09:00".to_string(),
        turn_limit: 48,
        include: vec![JAPAN_LIBRARY.to_string(), US_LIBRARY.to_string()],
        ecosystem_exposure: 500,
        allowed_decisions: Vec::new(),
        decisions: Vec::new(),
        tuning: Default::default(),
        organisations,
        channels: vec![
            channel("jpcert", "cisa", 2),
            channel("npa", "fbi", 2),
            channel("mofa", "state", 1),
            channel("jsdf-cdc", "uscybercom", 1),
        ],
        assets: asset_list,
        attackers,
        injects,
        objectives,
        teams: vec![
            Team {
                id: "jp".to_string(),
                name: text("Japan".to_string(), "日本".to_string()),
                organisations: jp,
            },
            Team {
                id: "us".to_string(),
                name: text("United States".to_string(), "米国".to_string()),
                organisations: us,
            },
        ],
        end_when_attackers_done: false,
    }
}

/// [`generate`] written as RON: pretty below 10,000 assets, compact above.
pub fn generate_ron(assets: usize, seed: u64) -> String {
    let scenario = generate(assets, seed);
    let written = if assets >= COMPACT_FROM {
        ron::to_string(&scenario)
    } else {
        let config = ron::ser::PrettyConfig::new()
            .indentor("    ")
            .depth_limit(4)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        ron::ser::to_string_pretty(&scenario, config)
    };
    // Plain data of strings, integers and maps with string keys always serialises.
    let mut out = written.expect("a ScenarioFile always serialises to RON");
    out.push('\n');
    out
}

fn make_operators(rng: &mut ChaCha8Rng, n: usize) -> Vec<Operator> {
    let count = (n / ASSETS_PER_OPERATOR).max(1);
    (0..count)
        .map(|k| {
            let sector = match k {
                0 => Sector::Energy,
                1 => Sector::Telecom,
                _ => pick_sector(rng),
            };
            let nation = if k >= 2 && rng.random_ratio(1, 10) {
                Nation::UnitedStates
            } else {
                Nation::Japan
            };
            // Somewhere in Japan, in millidegrees.
            let centre = (
                rng.random_range(31_000..=43_000),
                rng.random_range(130_000..=145_000),
            );
            Operator {
                sector,
                nation,
                start: k * n / count,
                end: (k + 1) * n / count,
                centre,
            }
        })
        .collect()
}

fn operator_entry(rng: &mut ChaCha8Rng, k: usize, op: &Operator) -> OrganisationEntry {
    let (sector_en, sector_ja) = sector_names(op.sector);
    let japanese = op.nation != Nation::UnitedStates;
    let (cert, delay) = if japanese {
        // Late reporting in Japan (FACTS.md §4).
        ("jpcert", rng.random_range(1..=6))
    } else {
        ("cisa", rng.random_range(0..=2))
    };
    let mut trust = BTreeMap::new();
    trust.insert(cert.to_string(), rng.random_range(600..=900));
    OrganisationEntry {
        id: operator_id(k),
        name: Some(text(
            format!("{sector_en} operator {k:03}"),
            format!("{sector_ja}事業者{k:03}"),
        )),
        nation: Some(op.nation),
        kind: Some(OrganisationKind::Operator),
        staff: Some(rng.random_range(1..=4)),
        authorities: Some(Vec::new()),
        reporting_delay: Some(delay),
        reports_to: Some(vec![cert.to_string()]),
        trust: Some(trust),
        default_trust: Some(rng.random_range(400..=600)),
        detection_skill: Some(rng.random_range(200..=600)),
        leak_risk: None,
    }
}

fn asset_kind(rng: &mut ChaCha8Rng, sector: Sector) -> AssetKind {
    let roll = rng.random_range(0..10u32);
    match sector {
        Sector::Energy | Sector::Water | Sector::Manufacturing | Sector::Ports => match roll {
            0..4 => AssetKind::Ot,
            4..5 => AssetKind::Service,
            _ => AssetKind::It,
        },
        Sector::Transport => match roll {
            0..3 => AssetKind::Ot,
            3..5 => AssetKind::Service,
            _ => AssetKind::It,
        },
        Sector::Telecom => match roll {
            0..5 => AssetKind::Network,
            5..7 => AssetKind::Service,
            _ => AssetKind::It,
        },
        _ => match roll {
            0..2 => AssetKind::Service,
            2..3 => AssetKind::Network,
            _ => AssetKind::It,
        },
    }
}

fn make_assets(rng: &mut ChaCha8Rng, operators: &[Operator]) -> Vec<Asset> {
    let n = operators.last().map_or(0, |o| o.end);
    let is_sector = |s: Sector| -> Vec<usize> {
        operators
            .iter()
            .filter(|o| o.sector == s)
            .flat_map(|o| o.start..o.end)
            .collect()
    };
    let power = is_sector(Sector::Energy);
    let telecom = is_sector(Sector::Telecom);

    let mut out = Vec::with_capacity(n);
    let mut name_en = String::new();
    let mut name_ja = String::new();
    for (k, op) in operators.iter().enumerate() {
        let (sector_en, sector_ja) = sector_names(op.sector);
        for i in op.start..op.end {
            let first = i == op.start;
            let kind = asset_kind(rng, op.sector);
            let internet_facing = first || rng.random_ratio(12, 100);
            let (kind_en, kind_ja) = *pick(rng, kind_names(kind));
            name_en.clear();
            name_ja.clear();
            let seq = i - op.start + 1;
            let _ = write!(name_en, "{sector_en} operator {k:03} {kind_en} {seq}");
            let _ = write!(name_ja, "{sector_ja}事業者{k:03} {kind_ja} {seq}");

            let criticality = match op.sector {
                Sector::Energy | Sector::Telecom => rng.random_range(4..=5),
                Sector::Government
                | Sector::Finance
                | Sector::Health
                | Sector::Defence
                | Sector::SocialSecurity
                | Sector::Water => rng.random_range(2..=5),
                _ => rng.random_range(1..=4),
            };

            let vulnerabilities = make_vulnerabilities(rng, kind, internet_facing);

            // Dependencies: power, then telecom, then an earlier asset of the
            // same operator.
            let mut dependencies = Vec::new();
            let foundational = matches!(op.sector, Sector::Energy | Sector::Telecom);
            if op.sector != Sector::Energy && !power.is_empty() {
                let buffer = if op.sector == Sector::Telecom {
                    rng.random_range(2..=8) // carrier backup power
                } else {
                    rng.random_range(0..=6)
                };
                dependencies.push(Dependency {
                    asset: asset_id(*pick(rng, &power)),
                    buffer,
                });
            }
            if !foundational && !telecom.is_empty() {
                dependencies.push(Dependency {
                    asset: asset_id(*pick(rng, &telecom)),
                    buffer: rng.random_range(0..=3),
                });
            }
            if !first && rng.random_ratio(25, 100) {
                dependencies.push(Dependency {
                    asset: asset_id(rng.random_range(op.start..i)),
                    buffer: rng.random_range(0..=2),
                });
            }

            // Links: a random tree inside the operator, the odd extra edge,
            // and rare links to other operators.
            let mut links = Vec::new();
            if !first {
                let j = rng.random_range(op.start..i);
                links.push(asset_id(j));
                if i - op.start >= 2 && rng.random_ratio(1, 10) {
                    let j2 = rng.random_range(op.start..i);
                    if j2 != j {
                        links.push(asset_id(j2));
                    }
                }
            } else if k > 0 && rng.random_ratio(1, 2) {
                links.push(asset_id(rng.random_range(0..op.start)));
            }
            if rng.random_ratio(2, 100) && n > 1 {
                let j = rng.random_range(0..n);
                if (j < op.start || j >= op.end) && !links.contains(&asset_id(j)) {
                    links.push(asset_id(j));
                }
            }

            let backups = match rng.random_range(0..10u32) {
                0..3 => Backups::None,
                3..7 => Backups::Online {
                    restore_turns: rng.random_range(1..=6),
                },
                _ => Backups::Offline {
                    restore_turns: rng.random_range(2..=8),
                },
            };
            let holds_records = kind == AssetKind::It
                && matches!(
                    op.sector,
                    Sector::Finance | Sector::Health | Sector::SocialSecurity | Sector::Government
                )
                && rng.random_ratio(4, 10);
            let records = if holds_records {
                rng.random_range(1_000..=2_000_000)
            } else {
                0
            };
            let serves_public = kind != AssetKind::It
                && matches!(
                    op.sector,
                    Sector::Energy | Sector::Water | Sector::Telecom | Sector::Transport
                );
            let population = if serves_public {
                rng.random_range(1_000..=500_000)
            } else {
                0
            };
            let location = Some((
                op.centre.0 + rng.random_range(-200..=200),
                op.centre.1 + rng.random_range(-200..=200),
            ));

            out.push(Asset {
                id: asset_id(i),
                name: text(name_en.clone(), name_ja.clone()),
                owner: operator_id(k),
                sector: op.sector,
                kind,
                criticality,
                availability: 1000,
                integrity: 1000,
                confidentiality: 1000,
                vulnerabilities,
                monitoring: rng.random_range(0..=8) * 100,
                backups,
                records,
                population,
                internet_facing,
                dependencies,
                links,
                location,
            });
        }
    }
    out
}

fn make_vulnerabilities(
    rng: &mut ChaCha8Rng,
    kind: AssetKind,
    internet_facing: bool,
) -> Vec<Vulnerability> {
    let pool: &[&str] = match (kind, internet_facing) {
        (AssetKind::Ot, true) => &OT_EDGE,
        (AssetKind::Ot, false) => &OT_INTERNAL,
        (AssetKind::Network, _) => &NETWORK,
        (_, true) => &IT_EDGE,
        (_, false) => &IT_INTERNAL,
    };
    let count = rng.random_range(0..=3usize);
    let mut out: Vec<Vulnerability> = Vec::with_capacity(count);
    for _ in 0..count {
        let technique = *pick(rng, pool);
        let exploitability = rng.random_range(10..=70u16) * 100;
        let patchable = rng.random_ratio(85, 100);
        if out.iter().all(|v| v.technique != technique) {
            out.push(Vulnerability {
                technique: technique.to_string(),
                exploitability,
                patchable,
            });
        }
    }
    out
}

fn stage(
    name: &str,
    action: StageAction,
    techniques: &[&str],
    targets: &[usize],
    min_turns: u32,
    not_before: u32,
) -> Stage {
    Stage {
        name: name.to_string(),
        action,
        techniques: techniques.iter().map(|t| (*t).to_string()).collect(),
        targets: targets.iter().map(|&i| asset_id(i)).collect(),
        min_turns,
        not_before,
    }
}

fn make_attackers(rng: &mut ChaCha8Rng, operators: &[Operator], assets: &[Asset]) -> Vec<Attacker> {
    if assets.is_empty() {
        return Vec::new();
    }
    // Every operator's first asset is internet-facing, so this is never empty.
    let facing: Vec<usize> = (0..assets.len())
        .filter(|&i| assets[i].internet_facing)
        .collect();
    let count = rng.random_range(2..=4usize);
    (0..count)
        .map(|k| {
            let objective = *pick(
                rng,
                &[
                    AttackerObjective::Disrupt,
                    AttackerObjective::Steal,
                    AttackerObjective::Destroy,
                    AttackerObjective::Embarrass,
                ],
            );
            let sponsor = rng.random_range(0..SPONSORS.len());
            let mut entry: Vec<usize> = (0..rng.random_range(1..=3))
                .map(|_| *pick(rng, &facing))
                .collect();
            entry.sort_unstable();
            entry.dedup();
            // Deeper targets: mostly inside the first victim's operator.
            let home = operators
                .iter()
                .find(|o| (o.start..o.end).contains(&entry[0]))
                .map_or(0..assets.len(), |o| o.start..o.end);
            let mut deep: Vec<usize> = (0..rng.random_range(2..=5))
                .map(|_| {
                    if rng.random_ratio(3, 4) {
                        rng.random_range(home.clone())
                    } else {
                        rng.random_range(0..assets.len())
                    }
                })
                .collect();
            deep.sort_unstable();
            deep.dedup();
            let not_before = if rng.random_ratio(1, 2) {
                0
            } else {
                rng.random_range(10..=30)
            };
            let impact = match objective {
                AttackerObjective::Steal => stage(
                    "Exfiltrate",
                    StageAction::Exfiltrate {
                        records_per_turn: rng.random_range(5_000..=50_000),
                    },
                    &["T1039", "T1041"],
                    &deep,
                    2,
                    not_before,
                ),
                AttackerObjective::Disrupt => stage(
                    "Disrupt",
                    StageAction::Disrupt {
                        damage: rng.random_range(100..=400),
                    },
                    &["T1489", "T1486", "T0813"],
                    &deep,
                    1,
                    not_before,
                ),
                AttackerObjective::Destroy => stage(
                    "Wipe",
                    StageAction::Destroy,
                    &["T1485", "T1490", "T1529"],
                    &deep,
                    1,
                    not_before,
                ),
                AttackerObjective::Embarrass => stage(
                    "Deface",
                    StageAction::Deface,
                    &["T1491.002"],
                    &entry,
                    1,
                    not_before,
                ),
            };
            let false_flags = if rng.random_ratio(1, 2) {
                let other = (sponsor + rng.random_range(1..SPONSORS.len())) % SPONSORS.len();
                vec![FalseFlag {
                    points_to: SPONSORS[other].to_string(),
                    strength: rng.random_range(200..=700),
                }]
            } else {
                Vec::new()
            };
            Attacker {
                id: attacker_id(k + 1),
                name: text(
                    format!("Synthetic actor {}", k + 1),
                    format!("模擬攻撃者{}", k + 1),
                ),
                sponsor: SPONSORS[sponsor].to_string(),
                objective,
                skill: rng.random_range(400..=900),
                stealth: rng.random_range(300..=800),
                start_turn: rng.random_range(1..=6),
                infrastructure: rng.random_range(2..=5),
                campaign: vec![
                    stage(
                        "Initial access",
                        StageAction::InitialAccess,
                        &["T1190", "T1566.001", "T1204.002", "T1133"],
                        &entry,
                        1,
                        0,
                    ),
                    stage(
                        "Credential theft",
                        StageAction::Escalate,
                        &["T1003.001", "T1555.003", "T1078"],
                        &entry,
                        1,
                        0,
                    ),
                    stage(
                        "Lateral movement",
                        StageAction::LateralMovement,
                        &["T1018", "T1021.002", "T1570"],
                        &deep,
                        2,
                        0,
                    ),
                    impact,
                ],
                false_flags,
            }
        })
        .collect()
}

fn make_injects(assets: &[Asset], attackers: &[Attacker]) -> Vec<Inject> {
    let mut out = vec![Inject {
        id: "i-start".to_string(),
        trigger: Trigger::AtTurn(1),
        to: Vec::new(),
        title: text("Start of exercise".to_string(), "演習開始".to_string()),
        text: text(
            "Threat levels are elevated across critical infrastructure.".to_string(),
            "重要インフラ全体で脅威レベルが高まっている。".to_string(),
        ),
        effects: Vec::new(),
    }];
    if let Some(first) = attackers.first() {
        out.push(Inject {
            id: "i-partner-tip".to_string(),
            trigger: Trigger::AttackerReachesStage {
                attacker: first.id.clone(),
                stage: 3,
            },
            to: vec!["us".to_string()],
            title: text(
                "Partner tip-off".to_string(),
                "パートナーからの情報提供".to_string(),
            ),
            text: text(
                "A foreign partner passes CISA indicators of an intrusion in Japan.".to_string(),
                "海外パートナーがCISAに日本国内での侵入の痕跡情報を提供した。".to_string(),
            ),
            effects: vec![Effect::RevealAttacker {
                organisation: "cisa".to_string(),
                attacker: first.id.clone(),
            }],
        });
    }
    if let Some(power) = assets.first() {
        out.push(Inject {
            id: "i-blackout".to_string(),
            trigger: Trigger::AssetBelow {
                asset: power.id.clone(),
                availability: 500,
            },
            to: Vec::new(),
            title: text("Regional blackout".to_string(), "地域停電".to_string()),
            text: text(
                "Power is failing across the region; hospitals run on generators.".to_string(),
                "地域一帯で停電が広がり、病院は非常用発電機で稼働している。".to_string(),
            ),
            effects: vec![
                Effect::PublicTrust(-50),
                Effect::AddStaff {
                    organisation: power.owner.clone(),
                    staff: 2,
                },
            ],
        });
        out.push(Inject {
            id: "i-blackout-questions".to_string(),
            trigger: Trigger::AfterInject {
                inject: "i-blackout".to_string(),
                delay: 2,
            },
            to: Vec::new(),
            title: text(
                "Questions in the Diet".to_string(),
                "国会での追及".to_string(),
            ),
            text: text(
                "Lawmakers ask why the alliance did not see this coming.".to_string(),
                "議員らが、なぜ同盟として事前に察知できなかったのかを追及している。".to_string(),
            ),
            effects: vec![Effect::AllianceTrust(-20)],
        });
    }
    out
}

fn make_objectives(assets: &[Asset], attackers: &[Attacker]) -> Vec<Objective> {
    let objective = |id: &str, en: &str, ja: &str, weight, goal| Objective {
        id: id.to_string(),
        title: text(en.to_string(), ja.to_string()),
        weight,
        goal,
    };
    let mut out = Vec::new();
    if let Some(power) = assets.first() {
        out.push(objective(
            "keep-power",
            "Keep the grid up",
            "電力供給を維持する",
            3,
            Goal::KeepAvailable {
                asset: power.id.clone(),
                min: 700,
                from: 1,
                to: 48,
            },
        ));
    }
    let records: u64 = assets.iter().map(|a| a.records).sum();
    out.push(objective(
        "protect-records",
        "Protect personal records",
        "個人情報を守る",
        2,
        Goal::ProtectRecords {
            max_lost: records / 100,
        },
    ));
    for a in attackers {
        out.push(objective(
            &format!("detect-{}", a.id),
            &format!("Detect {} within 12 turns", a.name.en),
            &format!("{}を12ターン以内に検知する", a.name.ja),
            1,
            Goal::DetectWithin {
                attacker: a.id.clone(),
                turns: 12,
            },
        ));
    }
    if let Some(a) = attackers.first() {
        out.push(objective(
            "contain-first",
            "Contain the first intruder by turn 36",
            "36ターンまでに最初の侵入者を封じ込める",
            2,
            Goal::ContainBy {
                attacker: a.id.clone(),
                turn: 36,
            },
        ));
    }
    let population: u64 = assets.iter().map(|a| a.population).sum();
    out.push(objective(
        "limit-outage",
        "Limit outages",
        "停止の影響を抑える",
        2,
        Goal::LimitOutage {
            max_customer_hours: population.saturating_mul(2),
        },
    ));
    out.push(objective(
        "public-trust",
        "Keep public trust",
        "国民の信頼を保つ",
        1,
        Goal::KeepPublicTrust { min: 500 },
    ));
    out.push(objective(
        "alliance-trust",
        "Keep the alliance strong",
        "同盟の信頼を保つ",
        1,
        Goal::KeepAllianceTrust { min: 500 },
    ));
    out
}

/// A world for benchmarks and profilers, named on their command line: a
/// number is a generated world of that many assets (seed 1), anything else
/// a built-in scenario id.
pub fn load_named(
    name: &str,
) -> Result<crate::scenario::load::Loaded, crate::scenario::diagnostics::ScenarioError> {
    use crate::scenario::load::{LoadOptions, load, load_builtin};
    match name.parse::<usize>() {
        Ok(assets) => {
            let sources = crate::scenario::sources::MemorySources::new()
                .with("world.ron", generate_ron(assets, 1));
            load(&sources, "world.ron", &LoadOptions::default())
        }
        Err(_) => load_builtin(name, &LoadOptions::default()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn same_seed_same_text() {
        assert_eq!(generate_ron(200, 42), generate_ron(200, 42));
        assert_eq!(generate_ron(12_000, 3), generate_ron(12_000, 3));
    }

    #[test]
    fn different_seeds_differ() {
        assert_ne!(generate_ron(200, 1), generate_ron(200, 2));
    }

    #[test]
    fn asset_count_matches_and_ids_are_unique() {
        for n in [0, 1, 7, 49, 50, 51, 333, 2_000] {
            let s = generate(n, 9);
            assert_eq!(s.assets.len(), n);
            let ids: BTreeSet<_> = s.assets.iter().map(|a| &a.id).collect();
            assert_eq!(ids.len(), n);
        }
    }

    #[test]
    fn output_parses_back() {
        for n in [0, 1, 300, 10_000] {
            let text = generate_ron(n, 5);
            let back: ScenarioFile = ron::from_str(&text).expect("parses");
            assert_eq!(back, generate(n, 5));
        }
    }

    #[test]
    fn every_reference_resolves() {
        for (n, seed) in [(1, 0), (60, 1), (500, 2), (5_000, 3)] {
            let s = generate(n, seed);
            let orgs: BTreeSet<&str> = s.organisations.iter().map(|o| o.id.as_str()).collect();
            let assets: BTreeSet<&str> = s.assets.iter().map(|a| a.id.as_str()).collect();
            let attackers: BTreeSet<&str> = s.attackers.iter().map(|a| a.id.as_str()).collect();
            let injects: BTreeSet<&str> = s.injects.iter().map(|i| i.id.as_str()).collect();
            let teams: BTreeSet<&str> = s.teams.iter().map(|t| t.id.as_str()).collect();
            let techniques: BTreeSet<&str> = TECHNIQUES_USED.into_iter().collect();
            assert_eq!(orgs.len(), s.organisations.len());
            for o in &s.organisations {
                o.reports_to
                    .iter()
                    .flatten()
                    .for_each(|r| assert!(orgs.contains(r.as_str())));
                o.trust
                    .iter()
                    .flat_map(|t| t.keys())
                    .for_each(|k| assert!(orgs.contains(k.as_str())));
            }
            for c in &s.channels {
                assert!(orgs.contains(c.from.as_str()) && orgs.contains(c.to.as_str()));
            }
            for a in &s.assets {
                assert!(orgs.contains(a.owner.as_str()));
                assert!((1..=5).contains(&a.criticality));
                for d in &a.dependencies {
                    assert!(assets.contains(d.asset.as_str()) && d.asset != a.id);
                }
                for l in &a.links {
                    assert!(assets.contains(l.as_str()) && l != &a.id);
                }
                for v in &a.vulnerabilities {
                    assert!(techniques.contains(v.technique.as_str()));
                    assert!(v.exploitability <= 10_000);
                }
            }
            for at in &s.attackers {
                assert!(at.skill <= 1000 && at.stealth <= 1000);
                for st in &at.campaign {
                    st.techniques
                        .iter()
                        .for_each(|t| assert!(techniques.contains(t.as_str())));
                    assert!(!st.targets.is_empty());
                    st.targets
                        .iter()
                        .for_each(|t| assert!(assets.contains(t.as_str())));
                }
            }
            for i in &s.injects {
                i.to.iter()
                    .for_each(|t| assert!(teams.contains(t.as_str())));
                match &i.trigger {
                    Trigger::AssetBelow { asset, .. } => assert!(assets.contains(asset.as_str())),
                    Trigger::AttackerReachesStage { attacker, .. } => {
                        assert!(attackers.contains(attacker.as_str()))
                    }
                    Trigger::AfterInject { inject, .. } => {
                        assert!(injects.contains(inject.as_str()))
                    }
                    _ => {}
                }
            }
            for o in &s.objectives {
                match &o.goal {
                    Goal::KeepAvailable { asset, .. } => assert!(assets.contains(asset.as_str())),
                    Goal::DetectWithin { attacker, .. } | Goal::ContainBy { attacker, .. } => {
                        assert!(attackers.contains(attacker.as_str()))
                    }
                    _ => {}
                }
            }
            let mut seen = BTreeSet::new();
            for t in &s.teams {
                assert!(!t.organisations.is_empty());
                for o in &t.organisations {
                    assert!(orgs.contains(o.as_str()) && seen.insert(o.clone()));
                }
            }
        }
    }

    #[test]
    fn techniques_used_are_in_the_library() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/techniques.ron");
        let text = std::fs::read_to_string(path).unwrap();
        let lib: Vec<crate::scenario::schema::Technique> = ron::from_str(&text).unwrap();
        let ids: BTreeSet<&str> = lib.iter().map(|t| t.id.as_str()).collect();
        for t in TECHNIQUES_USED {
            assert!(ids.contains(t), "{t} missing from assets/techniques.ron");
        }
    }
}
