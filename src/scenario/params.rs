//! Scenario parameters from the command line: `--set PATH=VALUE` changes
//! one value of a loaded scenario, and `kizuna params` lists every PATH.
//!
//! The grammar is a contract that outside scripts rely on: dot-separated
//! segments, entities addressed by their ids —
//! `organisations.cisa.staff`, `organisations.cisa.trust.nisc`,
//! `channels.jpcert->cisa.delay` (one way; `<->` both ways),
//! `decisions.RequestAssistance.duration`, `objectives.escalate.threshold`,
//! `attackers.ID.false_flags`, `assets.ID.monitoring`, `tuning.NAME`, and
//! the top-level `turn_limit` and `ecosystem_exposure`.
//!
//! A parameter is applied to the checked scenario and checked again with
//! the ranges the file format allows, so a bad path or value is refused
//! with a diagnostic pointing into the argument, like a file error.

use std::sync::Arc;

use super::diagnostics::{Problem, ScenarioError};
use super::load::Loaded;
use super::model::{Attacker, DecisionKind, FalseFlag, Goal, Objective, Organisation, Scenario};
use super::resolve::closest;
use super::tuning::{TUNING_FIELDS, TuningError, tuning_names};

/// Shown as the "file" of a diagnostic about a parameter.
const ORIGIN: &str = "--set";

/// Largest record or population count a parameter may set.
const MAX_COUNT: u64 = 1_000_000_000_000;

/// One settable value: its path, its value now, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamInfo {
    pub path: String,
    pub value: String,
    pub meaning: &'static str,
}

const TOP_FIELDS: &[(&str, &str)] = &[
    ("turn_limit", "turns the scenario lasts"),
    (
        "ecosystem_exposure",
        "share of exposed vulnerable devices, permille; scales initial access",
    ),
];

const ORG_FIELDS: &[(&str, &str)] = &[
    ("staff", "staff points available per turn"),
    (
        "reporting_delay",
        "turns before it reports what it detects (reporting culture)",
    ),
    (
        "detection_skill",
        "ability to spot compromises on assets it watches, permille",
    ),
    (
        "leak_risk",
        "chance that intel it receives at TLP:AMBER leaks, permille (doubled at RED)",
    ),
    (
        "default_trust",
        "trust towards organisations not listed, permille",
    ),
    ("trust", "trust.ID: trust towards organisation ID, permille"),
];

const CHANNEL_FIELDS: &[(&str, &str)] = &[("delay", "turns a message takes on this channel")];

const ASSET_FIELDS: &[(&str, &str)] = &[
    ("monitoring", "monitoring level at the start, permille"),
    ("criticality", "criticality, 1 (low) to 5 (vital)"),
    ("availability", "availability at the start, permille"),
    ("records", "personal records held"),
    ("population", "people served"),
    (
        "internet_facing",
        "whether it faces the internet (true/false)",
    ),
];

const ATTACKER_FIELDS: &[(&str, &str)] = &[
    ("skill", "attacker skill, permille"),
    ("stealth", "attacker stealth, permille"),
    ("start_turn", "first turn the attacker acts"),
    (
        "infrastructure",
        "command-and-control servers; takedowns remove them",
    ),
    (
        "false_flags",
        "planted false flags: [] or [(points_to: \"X\", strength: 500)]",
    ),
];

const DECISION_FIELDS: &[(&str, &str)] = &[
    (
        "staff",
        "staff the acting organisation commits while it runs",
    ),
    ("duration", "turns until it takes effect"),
    ("success", "chance it works, basis points"),
    ("allowed", "whether the scenario allows it (true/false)"),
];

const OBJECTIVE_FIELDS: &[(&str, &str)] = &[
    ("weight", "weight in the score"),
    (
        "threshold",
        "harm (permille) at which Article 5 becomes appropriate",
    ),
    ("min", "lowest acceptable value, permille"),
    ("max_lost", "most records that may be lost"),
    ("turns", "turns allowed"),
    ("from", "first turn of the window"),
    ("to", "last turn of the window"),
    ("turn", "turn by which it must hold"),
    ("max_customer_hours", "most customer-hours of outage"),
];

const SECTIONS: &[&str] = &[
    "organisations",
    "channels",
    "assets",
    "attackers",
    "decisions",
    "objectives",
    "tuning",
    "turn_limit",
    "ecosystem_exposure",
];

/// What went wrong, and which byte range of the argument to point at.
struct Refused {
    span: (usize, usize),
    message: String,
    label: &'static str,
    help: Option<String>,
}

fn refused(span: (usize, usize), message: impl Into<String>, label: &'static str) -> Refused {
    Refused {
        span,
        message: message.into(),
        label,
        help: None,
    }
}

impl Refused {
    fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// A path segment and where it sits in the argument.
#[derive(Clone, Copy)]
struct Segment<'a> {
    text: &'a str,
    at: usize,
}

impl Segment<'_> {
    fn span(&self) -> (usize, usize) {
        (self.at, self.text.len().max(1))
    }
}

/// Applies `--set` arguments in order to a loaded scenario. The result
/// records them, so a session log can replay them.
pub fn apply_all(loaded: &Loaded, args: &[String]) -> Result<Loaded, ScenarioError> {
    if args.is_empty() {
        return Ok(loaded.clone());
    }
    let mut scenario = (*loaded.scenario).clone();
    let mut problems = Vec::new();
    for arg in args {
        if let Err(r) = apply(&mut scenario, arg) {
            let text: Arc<str> = Arc::from(arg.as_str());
            let mut p = Problem::at(ORIGIN, &text, r.span, r.message, r.label);
            if let Some(h) = r.help {
                p = p.with_help(h);
            }
            problems.push(p);
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError::new(problems));
    }
    let mut out = loaded.clone();
    out.scenario = Arc::new(scenario);
    out.parameters.extend(args.iter().cloned());
    Ok(out)
}

/// Applies one `PATH=VALUE` argument.
fn apply(s: &mut Scenario, arg: &str) -> Result<(), Refused> {
    let Some((path, value)) = arg.split_once('=') else {
        return Err(refused(
            (0, arg.len().max(1)),
            format!("'{arg}' is not PATH=VALUE"),
            "no `=`",
        )
        .help(Some(
            "write e.g. organisations.cisa.staff=24; `kizuna params SCENARIO` lists every path"
                .into(),
        )));
    };
    let value_at = path.len() + 1;
    let value = Value {
        text: value,
        span: (value_at, value.len().max(1)),
    };
    let segments = split_path(path);
    let first = segments[0];
    match first.text {
        "turn_limit" => {
            only(&segments, 1)?;
            s.turn_limit = value.int(1, 100_000)? as u32;
        }
        "ecosystem_exposure" => {
            only(&segments, 1)?;
            s.ecosystem_exposure = value.int(0, 1000)? as u16;
        }
        "tuning" => {
            only(&segments, 2)?;
            let name = segments[1];
            let v = value.int(i64::MIN, i64::MAX)?;
            if let Err(e) = s.tuning.set(name.text, v) {
                return Err(match e {
                    TuningError::Unknown => refused(
                        name.span(),
                        format!("no tuning value '{}'", name.text),
                        "unknown name",
                    )
                    .help(suggest(name.text, tuning_names())),
                    TuningError::OutOfRange { .. } => {
                        refused(value.span, e.describe(name.text, v), "out of range")
                    }
                });
            }
        }
        "organisations" => {
            let id = entity(&segments)?;
            let Some(i) = s.org_index(id.text) else {
                return Err(unknown_id(
                    id,
                    "organisation",
                    s.organisations.iter().map(|o| o.id.as_str()),
                ));
            };
            let field = field(&segments, ORG_FIELDS)?;
            if field.text == "trust" {
                only(&segments, 4)?;
                let to = segments[3];
                let Some(j) = s.org_index(to.text) else {
                    return Err(unknown_id(
                        to,
                        "organisation",
                        s.organisations.iter().map(|o| o.id.as_str()),
                    ));
                };
                let v = value.int(0, 1000)? as u16;
                s.organisations[i as usize].trust.set(j, v);
            } else {
                only(&segments, 3)?;
                set_org(&mut s.organisations[i as usize], field.text, &value)?;
            }
        }
        "channels" => {
            let id = entity(&segments)?;
            let (from, to, both) = channel_ends(s, id)?;
            let _ = field(&segments, CHANNEL_FIELDS)?;
            only(&segments, 3)?;
            let delay = value.int(0, 10_000)? as u32;
            set_channel(s, from, to, delay);
            if both {
                set_channel(s, to, from, delay);
            }
        }
        "assets" => {
            let id = entity(&segments)?;
            let Some(i) = s.asset_index(id.text) else {
                return Err(unknown_id(
                    id,
                    "asset",
                    s.assets.iter().map(|a| a.id.as_str()),
                ));
            };
            let field = field(&segments, ASSET_FIELDS)?;
            only(&segments, 3)?;
            let a = &mut s.assets[i as usize];
            match field.text {
                "monitoring" => a.monitoring = value.int(0, 1000)? as u16,
                "criticality" => a.criticality = value.int(1, 5)? as u8,
                "availability" => a.availability = value.int(0, 1000)? as u16,
                "records" => a.records = value.int(0, MAX_COUNT as i64)? as u64,
                "population" => a.population = value.int(0, MAX_COUNT as i64)? as u64,
                _ => a.internet_facing = value.boolean()?,
            }
        }
        "attackers" => {
            let id = entity(&segments)?;
            let Some(i) = s.attacker_index(id.text) else {
                return Err(unknown_id(
                    id,
                    "attacker",
                    s.attackers.iter().map(|a| a.id.as_str()),
                ));
            };
            let field = field(&segments, ATTACKER_FIELDS)?;
            only(&segments, 3)?;
            set_attacker(&mut s.attackers[i as usize], field.text, &value)?;
        }
        "decisions" => {
            let id = entity(&segments)?;
            let Some(kind) = DecisionKind::ALL
                .into_iter()
                .find(|k| format!("{k:?}") == id.text)
            else {
                let names: Vec<String> =
                    DecisionKind::ALL.iter().map(|k| format!("{k:?}")).collect();
                return Err(unknown_id(
                    id,
                    "decision kind",
                    names.iter().map(String::as_str),
                ));
            };
            let field = field(&segments, DECISION_FIELDS)?;
            only(&segments, 3)?;
            let rule = &mut s.decisions[kind as usize];
            match field.text {
                "staff" => rule.spec.staff = value.int(0, 10_000)? as u32,
                "duration" => rule.spec.duration = value.int(1, 10_000)? as u32,
                "success" => rule.spec.success = value.int(0, 10_000)? as u16,
                _ => rule.allowed = value.boolean()?,
            }
        }
        "objectives" => {
            let id = entity(&segments)?;
            let Some(i) = s.objectives.iter().position(|o| o.id == id.text) else {
                return Err(unknown_id(
                    id,
                    "objective",
                    s.objectives.iter().map(|o| o.id.as_str()),
                ));
            };
            let field = field(&segments, OBJECTIVE_FIELDS)?;
            only(&segments, 3)?;
            set_objective(&mut s.objectives[i], field, &value)?;
        }
        _ => {
            return Err(refused(
                first.span(),
                format!("no parameter section '{}'", first.text),
                "unknown section",
            )
            .help(
                suggest(first.text, SECTIONS.iter().copied())
                    .or_else(|| Some(format!("sections: {}", SECTIONS.join(", ")))),
            ));
        }
    }
    Ok(())
}

/// Splits on dots, keeping each segment's byte offset. An id holding a
/// dot cannot be addressed; ids in the shipped content have none.
fn split_path(path: &str) -> Vec<Segment<'_>> {
    let mut at = 0;
    path.split('.')
        .map(|text| {
            let seg = Segment { text, at };
            at += text.len() + 1;
            seg
        })
        .collect()
}

fn only(segments: &[Segment], n: usize) -> Result<(), Refused> {
    if segments.len() > n {
        let extra = segments[n];
        return Err(refused(
            extra.span(),
            format!("unexpected '{}' after the value's path", extra.text),
            "not part of this path",
        ));
    }
    if segments.len() < n {
        let last = segments[segments.len() - 1];
        return Err(refused(
            (last.at + last.text.len(), 1),
            "the path stops too early",
            "something missing here",
        )
        .help(Some(
            "`kizuna params SCENARIO` lists every complete path".into(),
        )));
    }
    Ok(())
}

fn entity<'a>(segments: &[Segment<'a>]) -> Result<Segment<'a>, Refused> {
    match segments.get(1) {
        Some(s) if !s.text.is_empty() => Ok(*s),
        _ => {
            let first = segments[0];
            Err(refused(
                (first.at + first.text.len(), 1),
                format!("'{}' needs an id: {}.ID.FIELD", first.text, first.text),
                "id missing",
            ))
        }
    }
}

fn field<'a>(
    segments: &[Segment<'a>],
    fields: &[(&'static str, &'static str)],
) -> Result<Segment<'a>, Refused> {
    let names = || fields.iter().map(|(n, _)| *n);
    match segments.get(2) {
        Some(f) if names().any(|n| n == f.text) => Ok(*f),
        Some(f) => Err(refused(
            f.span(),
            format!("no field '{}' here", f.text),
            "unknown field",
        )
        .help(suggest(f.text, names()).or_else(|| {
            Some(format!(
                "fields: {}",
                names().collect::<Vec<_>>().join(", ")
            ))
        }))),
        None => {
            let id = segments[1];
            Err(refused(
                (id.at + id.text.len(), 1),
                "the path names no field",
                "field missing",
            )
            .help(Some(format!(
                "fields: {}",
                names().collect::<Vec<_>>().join(", ")
            ))))
        }
    }
}

fn suggest<'k>(id: &str, known: impl Iterator<Item = &'k str>) -> Option<String> {
    closest(id, known).map(|c| format!("did you mean '{c}'?"))
}

fn unknown_id<'k>(id: Segment, what: &str, known: impl Iterator<Item = &'k str>) -> Refused {
    refused(
        id.span(),
        format!("no {what} '{}' in this scenario", id.text),
        "unknown id",
    )
    .help(suggest(id.text, known))
}

/// A value and where it sits in the argument.
struct Value<'a> {
    text: &'a str,
    span: (usize, usize),
}

impl Value<'_> {
    fn int(&self, min: i64, max: i64) -> Result<i64, Refused> {
        let v: i64 = self.text.trim().parse().map_err(|_| {
            refused(
                self.span,
                format!("'{}' is not a whole number", self.text),
                "expected a number",
            )
        })?;
        if v < min || v > max {
            return Err(refused(
                self.span,
                format!("{v} is out of range: expected {min}..={max}"),
                "out of range",
            ));
        }
        Ok(v)
    }

    fn boolean(&self) -> Result<bool, Refused> {
        match self.text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(refused(
                self.span,
                format!("'{other}' is not true or false"),
                "expected true or false",
            )),
        }
    }
}

fn set_org(o: &mut Organisation, field: &str, value: &Value) -> Result<(), Refused> {
    match field {
        "staff" => o.staff = value.int(0, 100_000)? as u32,
        "reporting_delay" => o.reporting_delay = value.int(0, 10_000)? as u32,
        "detection_skill" => o.detection_skill = value.int(0, 1000)? as u16,
        "leak_risk" => o.leak_risk = value.int(0, 1000)? as u16,
        _ => o.trust.default = value.int(0, 1000)? as u16,
    }
    Ok(())
}

fn set_attacker(a: &mut Attacker, field: &str, value: &Value) -> Result<(), Refused> {
    match field {
        "skill" => a.skill = value.int(0, 1000)? as u16,
        "stealth" => a.stealth = value.int(0, 1000)? as u16,
        "start_turn" => a.start_turn = value.int(0, 100_000)? as u32,
        "infrastructure" => a.infrastructure = value.int(0, 10_000)? as u32,
        _ => {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Flag {
                points_to: String,
                strength: u16,
            }
            let flags: Vec<Flag> = ron::from_str(value.text).map_err(|e| {
                refused(
                    value.span,
                    format!("not a list of false flags: {}", e.code),
                    "expected [(points_to: \"X\", strength: 500), …]",
                )
            })?;
            if let Some(f) = flags.iter().find(|f| f.strength > 1000) {
                return Err(refused(
                    value.span,
                    format!("a false flag's strength is {}, at most 1000", f.strength),
                    "out of range",
                ));
            }
            a.false_flags = flags
                .into_iter()
                .map(|f| FalseFlag {
                    points_to: f.points_to,
                    strength: f.strength,
                })
                .collect();
        }
    }
    Ok(())
}

fn set_objective(o: &mut Objective, field: Segment, value: &Value) -> Result<(), Refused> {
    if field.text == "weight" {
        o.weight = value.int(0, 1_000_000)? as u32;
        return Ok(());
    }
    let permille = || value.int(0, 1000).map(|v| v as u16);
    let turn = || value.int(0, 100_000).map(|v| v as u32);
    let count = || value.int(0, MAX_COUNT as i64).map(|v| v as u64);
    let set = match (&mut o.goal, field.text) {
        (Goal::EscalateAppropriately { threshold }, "threshold") => {
            *threshold = permille()?;
            true
        }
        (Goal::KeepAvailable { min, .. }, "min")
        | (Goal::KeepPublicTrust { min }, "min")
        | (Goal::KeepAllianceTrust { min }, "min") => {
            *min = permille()?;
            true
        }
        (Goal::KeepAvailable { from, .. }, "from") => {
            *from = turn()?;
            true
        }
        (Goal::KeepAvailable { to, .. }, "to") => {
            *to = turn()?;
            true
        }
        (Goal::ProtectRecords { max_lost }, "max_lost") => {
            *max_lost = count()?;
            true
        }
        (Goal::DetectWithin { turns, .. }, "turns") | (Goal::DiscloseWithin { turns }, "turns") => {
            *turns = turn()?;
            true
        }
        (Goal::ContainBy { turn: by, .. }, "turn") => {
            *by = turn()?;
            true
        }
        (Goal::LimitOutage { max_customer_hours }, "max_customer_hours") => {
            *max_customer_hours = count()?;
            true
        }
        _ => false,
    };
    if set {
        Ok(())
    } else {
        Err(refused(
            field.span(),
            format!("objective '{}' has no '{}'", o.id, field.text),
            "not a field of this goal",
        )
        .help(Some(format!(
            "this objective's fields: {}",
            goal_fields(&o.goal).join(", ")
        ))))
    }
}

/// The settable fields of a goal, besides `weight`.
fn goal_fields(goal: &Goal) -> Vec<&'static str> {
    let mut f = vec!["weight"];
    f.extend_from_slice(match goal {
        Goal::KeepAvailable { .. } => &["min", "from", "to"][..],
        Goal::ProtectRecords { .. } => &["max_lost"],
        Goal::DetectWithin { .. } | Goal::DiscloseWithin { .. } => &["turns"],
        Goal::ContainBy { .. } => &["turn"],
        Goal::AttributeCorrectly { .. } => &[],
        Goal::KeepPublicTrust { .. } | Goal::KeepAllianceTrust { .. } => &["min"],
        Goal::EscalateAppropriately { .. } => &["threshold"],
        Goal::LimitOutage { .. } => &["max_customer_hours"],
    });
    f
}

fn goal_value(goal: &Goal, field: &str) -> String {
    match (goal, field) {
        (Goal::EscalateAppropriately { threshold }, _) => threshold.to_string(),
        (Goal::KeepAvailable { min, .. }, "min") => min.to_string(),
        (Goal::KeepAvailable { from, .. }, "from") => from.to_string(),
        (Goal::KeepAvailable { to, .. }, _) => to.to_string(),
        (Goal::KeepPublicTrust { min } | Goal::KeepAllianceTrust { min }, _) => min.to_string(),
        (Goal::ProtectRecords { max_lost }, _) => max_lost.to_string(),
        (Goal::DetectWithin { turns, .. } | Goal::DiscloseWithin { turns }, _) => turns.to_string(),
        (Goal::ContainBy { turn, .. }, _) => turn.to_string(),
        (Goal::LimitOutage { max_customer_hours }, _) => max_customer_hours.to_string(),
        (Goal::AttributeCorrectly { .. }, _) => String::new(),
    }
}

/// `FROM->TO` (one way) or `FROM<->TO` (both ways).
fn channel_ends(s: &Scenario, id: Segment) -> Result<(u16, u16, bool), Refused> {
    let (both, (a, b)) = if let Some(pair) = id.text.split_once("<->") {
        (true, pair)
    } else if let Some(pair) = id.text.split_once("->") {
        (false, pair)
    } else {
        return Err(refused(
            id.span(),
            format!(
                "'{}' is not a channel: write FROM->TO or FROM<->TO",
                id.text
            ),
            "expected FROM->TO",
        ));
    };
    let org = |name: &str, offset: usize| {
        s.org_index(name).ok_or_else(|| {
            unknown_id(
                Segment {
                    text: name,
                    at: id.at + offset,
                },
                "organisation",
                s.organisations.iter().map(|o| o.id.as_str()),
            )
        })
    };
    let from = org(a, 0)?;
    let to = org(b, id.text.len() - b.len())?;
    if from == to {
        return Err(refused(
            id.span(),
            "a channel joins two different organisations",
            "same organisation twice",
        ));
    }
    Ok((from, to, both))
}

fn set_channel(s: &mut Scenario, from: u16, to: u16, delay: u32) {
    match s
        .channels
        .binary_search_by(|(f, t, _)| (*f, *t).cmp(&(from, to)))
    {
        Ok(i) => s.channels[i].2 = delay,
        Err(i) => s.channels.insert(i, (from, to, delay)),
    }
}

/// Every settable path with its value now, in a stable order.
pub fn list(s: &Scenario) -> Vec<ParamInfo> {
    let mut out = Vec::new();
    let mut push = |path: String, value: String, meaning: &'static str| {
        out.push(ParamInfo {
            path,
            value,
            meaning,
        })
    };
    push(
        "turn_limit".into(),
        s.turn_limit.to_string(),
        TOP_FIELDS[0].1,
    );
    push(
        "ecosystem_exposure".into(),
        s.ecosystem_exposure.to_string(),
        TOP_FIELDS[1].1,
    );
    for o in &s.organisations {
        let values = [
            o.staff.to_string(),
            o.reporting_delay.to_string(),
            o.detection_skill.to_string(),
            o.leak_risk.to_string(),
            o.trust.default.to_string(),
        ];
        for ((name, meaning), value) in ORG_FIELDS.iter().zip(values) {
            push(format!("organisations.{}.{name}", o.id), value, meaning);
        }
        for &(to, v) in &o.trust.exceptions {
            if let Some(other) = s.organisations.get(to as usize) {
                push(
                    format!("organisations.{}.trust.{}", o.id, other.id),
                    v.to_string(),
                    "trust towards this organisation, permille",
                );
            }
        }
    }
    for &(from, to, delay) in &s.channels {
        let name = |i: u16| s.organisations[i as usize].id.as_str();
        push(
            format!("channels.{}->{}.delay", name(from), name(to)),
            delay.to_string(),
            CHANNEL_FIELDS[0].1,
        );
    }
    for a in &s.assets {
        let values = [
            a.monitoring.to_string(),
            a.criticality.to_string(),
            a.availability.to_string(),
            a.records.to_string(),
            a.population.to_string(),
            a.internet_facing.to_string(),
        ];
        for ((name, meaning), value) in ASSET_FIELDS.iter().zip(values) {
            push(format!("assets.{}.{name}", a.id), value, meaning);
        }
    }
    for a in &s.attackers {
        let flags: Vec<String> = a
            .false_flags
            .iter()
            .map(|f| format!("(points_to: {:?}, strength: {})", f.points_to, f.strength))
            .collect();
        let values = [
            a.skill.to_string(),
            a.stealth.to_string(),
            a.start_turn.to_string(),
            a.infrastructure.to_string(),
            format!("[{}]", flags.join(", ")),
        ];
        for ((name, meaning), value) in ATTACKER_FIELDS.iter().zip(values) {
            push(format!("attackers.{}.{name}", a.id), value, meaning);
        }
    }
    for kind in DecisionKind::ALL {
        let rule = &s.decisions[kind as usize];
        let values = [
            rule.spec.staff.to_string(),
            rule.spec.duration.to_string(),
            rule.spec.success.to_string(),
            rule.allowed.to_string(),
        ];
        for ((name, meaning), value) in DECISION_FIELDS.iter().zip(values) {
            push(format!("decisions.{kind:?}.{name}"), value, meaning);
        }
    }
    for o in &s.objectives {
        for field in goal_fields(&o.goal) {
            let value = if field == "weight" {
                o.weight.to_string()
            } else {
                goal_value(&o.goal, field)
            };
            let meaning = OBJECTIVE_FIELDS
                .iter()
                .find(|(n, _)| *n == field)
                .map_or("", |(_, m)| m);
            push(format!("objectives.{}.{field}", o.id), value, meaning);
        }
    }
    for (name, meaning, ..) in TUNING_FIELDS {
        let value = s
            .tuning
            .get(name)
            .map(|v| v.to_string())
            .unwrap_or_default();
        push(format!("tuning.{name}"), value, meaning);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};

    fn tokyo() -> Loaded {
        load_builtin("tokyo-games", &LoadOptions::default()).expect("built-in scenario loads")
    }

    fn set(loaded: &Loaded, args: &[&str]) -> Result<Loaded, ScenarioError> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        apply_all(loaded, &args)
    }

    #[test]
    fn every_listed_path_takes_its_own_value_back() {
        let loaded = tokyo();
        for p in list(&loaded.scenario) {
            let arg = format!("{}={}", p.path, p.value);
            let after = set(&loaded, &[&arg]).unwrap_or_else(|e| panic!("{arg}: {e:?}"));
            assert_eq!(
                after.scenario.as_ref(),
                loaded.scenario.as_ref(),
                "{arg} changed the scenario"
            );
        }
    }

    #[test]
    fn the_contract_paths_set_what_they_name() {
        let loaded = tokyo();
        let s = set(
            &loaded,
            &[
                "organisations.cisa.staff=24",
                "organisations.cisa.trust.nisc=300",
                "channels.jpcert<->cisa.delay=0",
                "decisions.RequestAssistance.duration=4",
                "tuning.liaison_trust=250",
                "attackers.od.false_flags=[]",
            ],
        )
        .expect("contract paths apply");
        let sc = &s.scenario;
        let cisa = sc.org_index("cisa").expect("cisa") as usize;
        let nisc = sc.org_index("nisc").expect("nisc");
        let jpcert = sc.org_index("jpcert").expect("jpcert");
        assert_eq!(sc.organisations[cisa].staff, 24);
        assert_eq!(sc.organisations[cisa].trust.get(nisc), 300);
        for pair in [(jpcert, cisa as u16), (cisa as u16, jpcert)] {
            let c = sc.channels.iter().find(|c| (c.0, c.1) == pair);
            assert_eq!(c.map(|c| c.2), Some(0), "{pair:?}");
        }
        assert_eq!(
            sc.decision(DecisionKind::RequestAssistance).spec.duration,
            4
        );
        assert_eq!(sc.tuning.liaison_trust, 250);
        assert_eq!(s.parameters.len(), 6, "parameters are recorded");
    }

    #[test]
    fn bad_paths_point_at_the_segment_and_suggest() {
        let loaded = tokyo();
        let e = set(&loaded, &["organisations.cisaa.staff=3"]).expect_err("unknown id");
        let p = &e.problems()[0];
        assert_eq!(p.path, "--set");
        assert_eq!((p.line, p.col), (1, 15));
        assert!(
            p.message.contains("no organisation 'cisaa'"),
            "{}",
            p.message
        );
        assert_eq!(p.help.as_deref(), Some("did you mean 'cisa'?"));

        let e = set(&loaded, &["tuning.liason_trust=3"]).expect_err("unknown tuning");
        assert_eq!(
            e.problems()[0].help.as_deref(),
            Some("did you mean 'liaison_trust'?")
        );
        let e = set(&loaded, &["organisations.cisa.staf=3"]).expect_err("unknown field");
        assert_eq!(
            e.problems()[0].help.as_deref(),
            Some("did you mean 'staff'?")
        );
        let e = set(&loaded, &["organisations.cisa.detection_skill=1001"]).expect_err("range");
        assert_eq!(e.problems()[0].col, 36, "points at the value");
        let e = set(&loaded, &["organisations.cisa.staff"]).expect_err("no value");
        assert!(e.problems()[0].message.contains("not PATH=VALUE"));
        let e = set(&loaded, &["objectives.ceremony-website.threshold=3"]);
        assert!(e.is_err(), "a field the goal does not have is refused");
        let e = set(&loaded, &["tuning.takedown_servers=-1"]).expect_err("negative");
        assert!(e.problems()[0].message.contains("between 0 and 65535"));
    }
}
