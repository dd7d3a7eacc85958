//! From what authors write to what the simulation runs: merges library
//! organisations, turns string references into indices, fills defaults and
//! checks every value. Collects every problem rather than stopping at the
//! first. Deterministic: only ordered maps.

use std::collections::BTreeMap;

use super::diagnostics::Target;
use super::model::{self, DecisionRule, Scenario};
use super::schema::{
    self, DecisionKind, DecisionOverride, DecisionSpec, Effect, Goal, LibraryFile,
    OrganisationEntry, ScenarioFile, StageAction, Technique, Trigger,
};
use super::tuning::{Tuning, TuningError, tuning_names};

/// A problem found while resolving, located by a [`Target`] in one file
/// (an index into the loader's file list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: usize,
    pub target: Target,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// A second place in the same file, with its label.
    pub also: Option<(Target, String)>,
}

/// Everything resolve needs, each part with the index of the file it came from.
pub struct Input<'a> {
    pub main: (usize, &'a ScenarioFile),
    pub libraries: Vec<(usize, &'a LibraryFile)>,
    pub techniques: (usize, &'a [Technique]),
    pub decisions: (usize, &'a [DecisionSpec]),
    pub tuning: (usize, &'a Tuning),
}

/// The longest game a scenario may ask for, in turns (at an hour a turn,
/// over eleven years): `run --turns` is held to it too.
pub const MAX_TURN_LIMIT: u32 = 100_000;
/// Most records one asset may hold: more than there are people on Earth.
pub const MAX_RECORDS: u64 = 10_000_000_000;
/// Most people one asset may serve.
pub const MAX_POPULATION: u64 = 10_000_000_000;
/// Most records and people over all assets: a week-long turn's outage sum
/// (population × 1000 × 10,080 minutes) stays far inside a u64.
pub const MAX_TOTAL_RECORDS: u64 = 10_000_000_000_000;
pub const MAX_TOTAL_POPULATION: u64 = 10_000_000_000_000;

const ORGS: &str = "organisations";
const ASSETS: &str = "assets";
const ATTACKERS: &str = "attackers";
const INJECTS: &str = "injects";
const OBJECTIVES: &str = "objectives";
const TEAMS: &str = "teams";
const CHANNELS: &str = "channels";

/// Suggestions cost a scan of every id; cap how many we compute.
const MAX_SUGGESTIONS: usize = 100;

struct Cx {
    issues: Vec<Issue>,
    suggestions: usize,
}

impl Cx {
    fn err(
        &mut self,
        file: usize,
        target: Target,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Issue {
        self.issues.push(Issue {
            file,
            target,
            message: message.into(),
            label: label.into(),
            help: None,
            also: None,
        });
        let last = self.issues.len() - 1;
        &mut self.issues[last]
    }

    /// Reports `value` above `max` for a field.
    fn max(
        &mut self,
        file: usize,
        target: &Target,
        field: &'static str,
        value: u64,
        max: u64,
        unit: &str,
    ) {
        if value > max {
            self.err(
                file,
                target.clone().field(field).value(value),
                format!("`{field}` is {value}, but must be at most {max} ({unit})"),
                format!("must be 0..={max}"),
            );
        }
    }

    /// Reports an unknown reference, suggesting the closest known id.
    #[allow(clippy::too_many_arguments)]
    fn unknown<V>(
        &mut self,
        file: usize,
        target: &Target,
        field: &'static str,
        what: &str,
        id: &str,
        known: &BTreeMap<&str, V>,
    ) {
        let help = if self.suggestions < MAX_SUGGESTIONS {
            self.suggestions += 1;
            closest(id, known.keys().copied()).map(|c| format!("did you mean '{c}'?"))
        } else {
            None
        };
        let issue = self.err(
            file,
            target.clone().field(field).value(id),
            format!("unknown {what} '{id}'"),
            format!("no {what} has this id"),
        );
        issue.help = help;
    }

    /// Looks up a reference, reporting it when unknown.
    fn lookup<V: Copy>(
        &mut self,
        file: usize,
        target: &Target,
        field: &'static str,
        what: &str,
        id: &str,
        known: &BTreeMap<&str, V>,
    ) -> Option<V> {
        let found = known.get(id).copied();
        if found.is_none() {
            self.unknown(file, target, field, what, id, known);
        }
        found
    }
}

/// Edit distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known id closest to `id`, if any is reasonably close.
pub fn closest<'k>(id: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    if id.chars().count() > 64 {
        return None;
    }
    let limit = (id.chars().count() / 3).max(2);
    known
        .filter(|k| k.len() <= 64)
        .map(|k| (edit_distance(id, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Gives each id an index, reporting empty and duplicate ids (the second
/// occurrence, with a label on the first) and too many entries.
fn index_ids<'a>(
    cx: &mut Cx,
    file: usize,
    section: &'static str,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
    max: u64,
) -> (BTreeMap<&'a str, usize>, Vec<bool>) {
    let mut map = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut keep = Vec::new();
    for (i, id) in ids.enumerate() {
        if id.is_empty() {
            cx.err(
                file,
                Target::section(section).field("id").value(""),
                format!("a {what} has an empty id"),
                "empty id",
            )
            .help = Some(format!("give the {what} a unique, non-empty id"));
            keep.push(false);
            continue;
        }
        if i as u64 >= max {
            cx.err(
                file,
                Target::entity(section, id),
                format!("too many {section}: at most {max} are supported"),
                "one too many",
            );
            keep.push(false);
            continue;
        }
        let seen = counts.entry(id).or_insert(0usize);
        *seen += 1;
        match map.get(id) {
            Some(_) => {
                let issue = cx.err(
                    file,
                    Target::entity(section, id).nth(*seen - 1),
                    format!("duplicate {what} id '{id}'"),
                    "defined again here",
                );
                issue.also = Some((Target::entity(section, id), "first defined here".into()));
                keep.push(false);
            }
            None => {
                map.insert(id, i);
                keep.push(true);
            }
        }
    }
    (map, keep)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// days-from-civil).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Minutes since 1970-01-01T00:00 of a `YYYY-MM-DDTHH:MM` wall-clock time.
pub fn parse_start(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d, h, mi) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > days_in_month || h > 23 || mi > 59 {
        return None;
    }
    Some(days_from_civil(i64::from(y), mo, d) * 1440 + i64::from(h) * 60 + i64::from(mi))
}

struct MergedOrg<'a> {
    entry: &'a OrganisationEntry,
    lib: Option<(usize, &'a OrganisationEntry)>,
}

impl<'a> MergedOrg<'a> {
    /// The file a field's value came from: the scenario if it gives it,
    /// else the library.
    fn origin(&self, main: usize, in_entry: bool) -> usize {
        match self.lib {
            Some((file, _)) if !in_entry => file,
            _ => main,
        }
    }
}

/// Resolves a scenario, or returns every problem found.
pub fn resolve(input: &Input) -> Result<Scenario, Vec<Issue>> {
    let mut cx = Cx {
        issues: Vec::new(),
        suggestions: 0,
    };
    let (mf, sf) = input.main;
    let scenario = resolve_inner(&mut cx, input, mf, sf);
    if cx.issues.is_empty() {
        scenario.ok_or_else(Vec::new)
    } else {
        Err(cx.issues)
    }
}

fn resolve_inner(cx: &mut Cx, input: &Input, mf: usize, sf: &ScenarioFile) -> Option<Scenario> {
    // --- top level
    if sf.format != 1 {
        cx.err(
            mf,
            Target::top("format").value(sf.format),
            format!("unsupported format {}", sf.format),
            "only format 1 exists",
        )
        .help = Some("write `format: 1` or leave the field out".into());
    }
    if sf.id.is_empty() {
        cx.err(
            mf,
            Target::top("id"),
            "the scenario id is empty",
            "empty id",
        );
    }
    if !(1..=10_080).contains(&sf.turn_minutes) {
        cx.err(
            mf,
            Target::top("turn_minutes").value(sf.turn_minutes),
            format!(
                "`turn_minutes` is {}, but must be 1..=10080 (up to a week)",
                sf.turn_minutes
            ),
            "out of range",
        );
    }
    let turn_limit = sf.turn_limit;
    if !(1..=MAX_TURN_LIMIT).contains(&turn_limit) {
        cx.err(
            mf,
            Target::top("turn_limit").value(turn_limit),
            format!("`turn_limit` is {turn_limit}, but must be 1..={MAX_TURN_LIMIT}"),
            "out of range",
        );
    }
    let start_minute = parse_start(&sf.start);
    if start_minute.is_none() {
        cx.err(
            mf,
            Target::top("start").value(&sf.start),
            format!(
                "`start` is '{}', which is not a valid `YYYY-MM-DDTHH:MM` time",
                sf.start
            ),
            "expected e.g. \"2020-07-24T20:00\" (JST)",
        );
    }
    cx.max(
        mf,
        &Target::file(),
        "ecosystem_exposure",
        sf.ecosystem_exposure.into(),
        1000,
        "permille",
    );

    // --- techniques and decisions
    let (tf, techniques) = input.techniques;
    let mut tech_ids: BTreeMap<&str, u16> = BTreeMap::new();
    let mut tech_seen: BTreeMap<&str, usize> = BTreeMap::new();
    for t in techniques {
        let n = tech_seen.entry(t.id.as_str()).or_insert(0);
        *n += 1;
        if *n > 1 {
            cx.err(
                tf,
                Target::file().field("id").value(&t.id).value_nth(*n - 1),
                format!("duplicate technique id '{}'", t.id),
                "defined again here",
            );
            continue;
        }
        match u16::try_from(tech_ids.len()) {
            Ok(i) => {
                tech_ids.insert(&t.id, i);
            }
            Err(_) => {
                cx.err(tf, Target::file(), "too many techniques: at most 65535", "");
                break;
            }
        }
    }
    let decisions = resolve_decisions(cx, input.decisions, &sf.allowed_decisions)
        .and_then(|rules| override_decisions(cx, mf, rules, &sf.decisions));
    let tuning = resolve_tuning(cx, mf, input.tuning.1, &sf.tuning);

    // --- ids first, so that any reference can be checked
    let (org_map, org_keep) = index_ids(
        cx,
        mf,
        ORGS,
        "organisation",
        sf.organisations.iter().map(|o| o.id.as_str()),
        u64::from(u16::MAX),
    );
    let org_ids = compact(&org_map, &org_keep, |i| u16::try_from(i).ok());
    let (asset_map, asset_keep) = index_ids(
        cx,
        mf,
        ASSETS,
        "asset",
        sf.assets.iter().map(|a| a.id.as_str()),
        u64::from(u32::MAX),
    );
    let asset_ids = compact(&asset_map, &asset_keep, |i| u32::try_from(i).ok());
    let (att_map, att_keep) = index_ids(
        cx,
        mf,
        ATTACKERS,
        "attacker",
        sf.attackers.iter().map(|a| a.id.as_str()),
        u64::from(u16::MAX),
    );
    let attacker_ids = compact(&att_map, &att_keep, |i| u16::try_from(i).ok());
    let (team_map, team_keep) = index_ids(
        cx,
        mf,
        TEAMS,
        "team",
        sf.teams.iter().map(|t| t.id.as_str()),
        u64::from(u16::MAX),
    );
    let team_ids = compact(&team_map, &team_keep, |i| u16::try_from(i).ok());
    let (inj_map, inj_keep) = index_ids(
        cx,
        mf,
        INJECTS,
        "inject",
        sf.injects.iter().map(|i| i.id.as_str()),
        u64::from(u32::MAX),
    );
    let inject_ids = compact(&inj_map, &inj_keep, |i| u32::try_from(i).ok());
    let (_, obj_keep) = index_ids(
        cx,
        mf,
        OBJECTIVES,
        "objective",
        sf.objectives.iter().map(|o| o.id.as_str()),
        u64::from(u32::MAX),
    );

    // --- library organisations
    let mut library: BTreeMap<&str, (usize, &OrganisationEntry)> = BTreeMap::new();
    for (lf, lib) in &input.libraries {
        let (_, _) = index_ids(
            cx,
            *lf,
            ORGS,
            "organisation",
            lib.organisations.iter().map(|o| o.id.as_str()),
            u64::MAX,
        );
        for o in &lib.organisations {
            if o.id.is_empty() {
                continue;
            }
            match library.get(o.id.as_str()) {
                Some((first, _)) if first != lf => {
                    cx.err(
                        *lf,
                        Target::entity(ORGS, &o.id),
                        format!(
                            "organisation '{}' is defined by two included libraries",
                            o.id
                        ),
                        "defined again here",
                    )
                    .help = Some("include only one of the libraries, or rename one".into());
                }
                Some(_) => {}
                None => {
                    library.insert(&o.id, (*lf, o));
                }
            }
        }
    }

    // --- teams (before organisations, which record their team)
    let mut org_team: BTreeMap<&str, (u16, &str)> = BTreeMap::new();
    let mut teams = Vec::new();
    for (t, keep) in sf.teams.iter().zip(&team_keep) {
        if !keep {
            continue;
        }
        let ti = u16::try_from(teams.len()).unwrap_or(u16::MAX);
        let target = Target::entity(TEAMS, &t.id);
        if t.organisations.is_empty() {
            cx.err(
                mf,
                target.clone().field("organisations"),
                format!("team '{}' has no organisation", t.id),
                "empty team",
            )
            .help = Some("list the organisations this team plays".into());
        }
        let mut orgs = Vec::new();
        for o in &t.organisations {
            let Some(oi) = cx.lookup(mf, &target, "organisations", "organisation", o, &org_ids)
            else {
                continue;
            };
            match org_team.get(o.as_str()) {
                Some((prev, prev_id)) if *prev != ti => {
                    cx.err(
                        mf,
                        target.clone().field("organisations").value(o),
                        format!(
                            "organisation '{o}' is on two teams: '{prev_id}' and '{}'",
                            t.id
                        ),
                        "already on another team",
                    );
                }
                Some(_) => {}
                None => {
                    org_team.insert(o, (ti, &t.id));
                    orgs.push(oi);
                }
            }
        }
        teams.push(model::Team {
            id: t.id.clone(),
            name: t.name.clone(),
            organisations: orgs,
        });
    }

    // --- organisations
    let n_orgs = org_ids.len();
    let mut organisations = Vec::new();
    for (e, keep) in sf.organisations.iter().zip(&org_keep) {
        if !keep {
            continue;
        }
        let m = MergedOrg {
            entry: e,
            lib: library.get(e.id.as_str()).copied(),
        };
        if let Some(o) = resolve_org(cx, mf, &m, &org_ids, n_orgs, &org_team, &library) {
            organisations.push(o);
        }
    }

    // --- channels
    let mut channels: BTreeMap<(u16, u16), u32> = BTreeMap::new();
    for c in &sf.channels {
        let target = Target::section(CHANNELS);
        let from = cx.lookup(mf, &target, "from", "organisation", &c.from, &org_ids);
        let to = cx.lookup(mf, &target, "to", "organisation", &c.to, &org_ids);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if from == to {
            cx.err(
                mf,
                target.field("to").value(&c.to),
                format!("a channel from '{}' to itself", c.from),
                "same as `from`",
            );
            continue;
        }
        let mut add = |a, b| {
            let d = channels.entry((a, b)).or_insert(c.delay);
            *d = (*d).min(c.delay);
        };
        add(from, to);
        if c.both_ways {
            add(to, from);
        }
    }

    // --- assets
    let total_of = |quantity: fn(&schema::Asset) -> u64| -> u128 {
        sf.assets.iter().map(|a| u128::from(quantity(a))).sum()
    };
    for (field, total, max) in [
        ("records", total_of(|a| a.records), MAX_TOTAL_RECORDS),
        (
            "population",
            total_of(|a| a.population),
            MAX_TOTAL_POPULATION,
        ),
    ] {
        if total > u128::from(max) {
            cx.err(
                mf,
                Target::section(ASSETS),
                format!("the assets' `{field}` add up to {total}, more than {max}"),
                format!("at most {max} in all"),
            );
        }
    }
    let mut assets = Vec::new();
    for (a, keep) in sf.assets.iter().zip(&asset_keep) {
        if !keep {
            continue;
        }
        let t = Target::entity(ASSETS, &a.id);
        let owner = cx.lookup(mf, &t, "owner", "organisation", &a.owner, &org_ids);
        if !(1..=5).contains(&a.criticality) {
            cx.err(
                mf,
                t.clone().field("criticality").value(a.criticality),
                format!("`criticality` is {}, but must be 1..=5", a.criticality),
                "1 (minor) ..= 5 (national)",
            );
        }
        for (field, v) in [
            ("availability", a.availability),
            ("integrity", a.integrity),
            ("confidentiality", a.confidentiality),
            ("monitoring", a.monitoring),
        ] {
            cx.max(mf, &t, field, v.into(), 1000, "permille");
        }
        let mut vulnerabilities = Vec::new();
        for v in &a.vulnerabilities {
            cx.max(
                mf,
                &t,
                "exploitability",
                v.exploitability.into(),
                10_000,
                "basis points",
            );
            if let Some(ti) = technique(cx, mf, &t, "vulnerabilities", &v.technique, &tech_ids) {
                vulnerabilities.push(model::Vulnerability {
                    technique: ti,
                    exploitability: v.exploitability,
                    patchable: v.patchable,
                });
            }
        }
        let mut dependencies = Vec::new();
        for d in &a.dependencies {
            if d.asset == a.id {
                cx.err(
                    mf,
                    t.clone().field("dependencies").value(&d.asset),
                    format!("asset '{}' depends on itself", a.id),
                    "self-dependency",
                );
                continue;
            }
            if let Some(di) = cx.lookup(mf, &t, "dependencies", "asset", &d.asset, &asset_ids) {
                dependencies.push(model::Dependency {
                    asset: di,
                    buffer: d.buffer,
                });
            }
        }
        for l in &a.links {
            if *l == a.id {
                cx.err(
                    mf,
                    t.clone().field("links").value(l),
                    format!("asset '{}' links to itself", a.id),
                    "self-link",
                );
            } else {
                cx.lookup(mf, &t, "links", "asset", l, &asset_ids);
            }
        }
        // Bounds that keep every sum of them exact in 64 bits (see
        // `MAX_RECORDS` and `MAX_POPULATION`).
        cx.max(mf, &t, "records", a.records, MAX_RECORDS, "records");
        cx.max(mf, &t, "population", a.population, MAX_POPULATION, "people");
        if let Some((lat, lon)) = a.location
            && (!(-90_000..=90_000).contains(&lat) || !(-180_000..=180_000).contains(&lon))
        {
            cx.err(
                mf,
                t.clone().field("location"),
                format!("location ({lat}, {lon}) is not on Earth"),
                "latitude -90000..=90000, longitude -180000..=180000 (millidegrees)",
            );
        }
        assets.push(model::Asset {
            id: a.id.clone(),
            name: a.name.clone(),
            owner: owner.unwrap_or(0),
            sector: a.sector,
            kind: a.kind,
            criticality: a.criticality,
            availability: a.availability,
            integrity: a.integrity,
            confidentiality: a.confidentiality,
            vulnerabilities,
            monitoring: a.monitoring,
            backups: a.backups,
            records: a.records,
            population: a.population,
            internet_facing: a.internet_facing,
            dependencies,
            links: Vec::new(),
            location: a.location,
        });
    }
    // Links are undirected: add both ends, then sort and deduplicate.
    let kept_assets: Vec<&schema::Asset> = sf
        .assets
        .iter()
        .zip(&asset_keep)
        .filter(|(_, k)| **k)
        .map(|(a, _)| a)
        .collect();
    for (ai, a) in kept_assets.iter().enumerate() {
        for l in &a.links {
            if let Some(&bi) = asset_ids.get(l.as_str())
                && bi as usize != ai
                && let Some(ai32) = u32::try_from(ai).ok()
            {
                assets[ai].links.push(bi);
                if let Some(b) = assets.get_mut(bi as usize) {
                    b.links.push(ai32);
                }
            }
        }
    }
    for a in &mut assets {
        a.links.sort_unstable();
        a.links.dedup();
    }

    // --- attackers
    let mut attackers = Vec::new();
    for (a, keep) in sf.attackers.iter().zip(&att_keep) {
        if !keep {
            continue;
        }
        let t = Target::entity(ATTACKERS, &a.id);
        cx.max(mf, &t, "skill", a.skill.into(), 1000, "permille");
        cx.max(mf, &t, "stealth", a.stealth.into(), 1000, "permille");
        if a.start_turn > turn_limit {
            cx.err(
                mf,
                t.clone().field("start_turn").value(a.start_turn),
                format!(
                    "`start_turn` {} is after the last turn ({turn_limit})",
                    a.start_turn
                ),
                "never reached",
            );
        }
        if a.campaign.is_empty() {
            cx.err(
                mf,
                t.clone().field("campaign"),
                format!("attacker '{}' has an empty campaign", a.id),
                "no stages",
            )
            .help = Some("give at least one stage, e.g. an InitialAccess".into());
        }
        let mut campaign = Vec::new();
        for s in &a.campaign {
            if s.targets.is_empty() {
                cx.err(
                    mf,
                    t.clone().field("campaign").value(&s.name),
                    format!("stage '{}' of attacker '{}' has no targets", s.name, a.id),
                    "no targets",
                );
            }
            if s.not_before > turn_limit {
                cx.err(
                    mf,
                    t.clone().field("not_before").value(s.not_before),
                    format!(
                        "stage '{}' waits for turn {}, after the last turn ({turn_limit})",
                        s.name, s.not_before
                    ),
                    "never reached",
                );
            }
            if let StageAction::Disrupt { damage } = s.action {
                cx.max(mf, &t, "damage", damage.into(), 1000, "permille");
            }
            let techniques = s
                .techniques
                .iter()
                .filter_map(|id| technique(cx, mf, &t, "techniques", id, &tech_ids))
                .collect();
            let targets = s
                .targets
                .iter()
                .filter_map(|id| cx.lookup(mf, &t, "targets", "asset", id, &asset_ids))
                .collect();
            campaign.push(model::Stage {
                name: s.name.clone(),
                action: s.action,
                techniques,
                targets,
                min_turns: s.min_turns,
                not_before: s.not_before,
            });
        }
        for f in &a.false_flags {
            cx.max(mf, &t, "strength", f.strength.into(), 1000, "permille");
        }
        attackers.push(model::Attacker {
            id: a.id.clone(),
            name: a.name.clone(),
            sponsor: a.sponsor.clone(),
            objective: a.objective,
            skill: a.skill,
            stealth: a.stealth,
            start_turn: a.start_turn,
            infrastructure: a.infrastructure,
            campaign,
            false_flags: a
                .false_flags
                .iter()
                .map(|f| model::FalseFlag {
                    points_to: f.points_to.clone(),
                    strength: f.strength,
                })
                .collect(),
        });
    }

    // --- injects
    let all_teams: Vec<u16> = (0..teams.len())
        .filter_map(|i| u16::try_from(i).ok())
        .collect();
    let mut injects = Vec::new();
    for (inj, keep) in sf.injects.iter().zip(&inj_keep) {
        if !keep {
            continue;
        }
        let t = Target::entity(INJECTS, &inj.id);
        let trigger = match &inj.trigger {
            Trigger::AtTurn(turn) => {
                if *turn > turn_limit || *turn == 0 {
                    cx.err(
                        mf,
                        t.clone().field("trigger").value(turn),
                        format!(
                            "inject '{}' fires at turn {turn}, outside 1..={turn_limit}",
                            inj.id
                        ),
                        "never reached",
                    );
                }
                Some(model::Trigger::AtTurn(*turn))
            }
            Trigger::AssetBelow {
                asset,
                availability,
            } => {
                cx.max(
                    mf,
                    &t,
                    "availability",
                    (*availability).into(),
                    1000,
                    "permille",
                );
                cx.lookup(mf, &t, "trigger", "asset", asset, &asset_ids)
                    .map(|asset| model::Trigger::AssetBelow {
                        asset,
                        availability: *availability,
                    })
            }
            Trigger::AttackerReachesStage { attacker, stage } => {
                let a = cx.lookup(mf, &t, "trigger", "attacker", attacker, &attacker_ids);
                if let Some(ai) = a
                    && let Some(att) = attackers.get(ai as usize)
                    && *stage as usize > att.campaign.len()
                {
                    cx.err(
                        mf,
                        t.clone().field("trigger").value(stage),
                        format!(
                            "attacker '{attacker}' has {} stages; stage {stage} is never reached",
                            att.campaign.len()
                        ),
                        "no such stage",
                    );
                }
                a.map(|attacker| model::Trigger::AttackerReachesStage {
                    attacker,
                    stage: *stage,
                })
            }
            Trigger::DecisionTaken(k) => Some(model::Trigger::DecisionTaken(*k)),
            Trigger::AfterInject { inject, delay } => {
                if *inject == inj.id {
                    cx.err(
                        mf,
                        t.clone().field("trigger").value(inject),
                        format!("inject '{}' waits for itself", inj.id),
                        "self-reference",
                    );
                    None
                } else {
                    cx.lookup(mf, &t, "trigger", "inject", inject, &inject_ids)
                        .map(|inject| model::Trigger::AfterInject {
                            inject,
                            delay: *delay,
                        })
                }
            }
        };
        let to = if inj.to.is_empty() {
            all_teams.clone()
        } else {
            inj.to
                .iter()
                .filter_map(|id| cx.lookup(mf, &t, "to", "team", id, &team_ids))
                .collect()
        };
        let effects = inj
            .effects
            .iter()
            .filter_map(|e| resolve_effect(cx, mf, &t, e, &asset_ids, &org_ids, &attacker_ids))
            .collect();
        if let Some(trigger) = trigger {
            injects.push(model::Inject {
                id: inj.id.clone(),
                trigger,
                to,
                title: inj.title.clone(),
                text: inj.text.clone(),
                effects,
            });
        }
    }

    // --- objectives
    let mut objectives = Vec::new();
    for (o, keep) in sf.objectives.iter().zip(&obj_keep) {
        if !keep {
            continue;
        }
        let t = Target::entity(OBJECTIVES, &o.id);
        let att = |cx: &mut Cx, id: &str| cx.lookup(mf, &t, "goal", "attacker", id, &attacker_ids);
        let goal = match &o.goal {
            Goal::KeepAvailable {
                asset,
                min,
                from,
                to,
            } => {
                cx.max(mf, &t, "min", (*min).into(), 1000, "permille");
                if from > to {
                    cx.err(
                        mf,
                        t.clone().field("from").value(from),
                        format!(
                            "objective '{}' runs from turn {from} to turn {to}, which is backwards",
                            o.id
                        ),
                        "after `to`",
                    );
                }
                let a = asset_ids.get(asset.as_str()).copied();
                if a.is_none() {
                    cx.err(
                        mf,
                        t.clone().field("goal").value(asset),
                        format!(
                            "objective '{}' is on asset '{asset}', which does not exist",
                            o.id
                        ),
                        "no asset has this id",
                    )
                    .help = closest(asset, asset_ids.keys().copied())
                        .map(|c| format!("did you mean '{c}'?"));
                }
                a.map(|asset| model::Goal::KeepAvailable {
                    asset,
                    min: *min,
                    from: *from,
                    to: *to,
                })
            }
            Goal::ProtectRecords { max_lost } => Some(model::Goal::ProtectRecords {
                max_lost: *max_lost,
            }),
            Goal::DetectWithin { attacker, turns } => {
                att(cx, attacker).map(|attacker| model::Goal::DetectWithin {
                    attacker,
                    turns: *turns,
                })
            }
            Goal::ContainBy { attacker, turn } => {
                att(cx, attacker).map(|attacker| model::Goal::ContainBy {
                    attacker,
                    turn: *turn,
                })
            }
            Goal::AttributeCorrectly { attacker } => {
                att(cx, attacker).map(|attacker| model::Goal::AttributeCorrectly { attacker })
            }
            Goal::DiscloseWithin { turns } => Some(model::Goal::DiscloseWithin { turns: *turns }),
            Goal::KeepPublicTrust { min } => {
                cx.max(mf, &t, "min", (*min).into(), 1000, "permille");
                Some(model::Goal::KeepPublicTrust { min: *min })
            }
            Goal::KeepAllianceTrust { min } => {
                cx.max(mf, &t, "min", (*min).into(), 1000, "permille");
                Some(model::Goal::KeepAllianceTrust { min: *min })
            }
            Goal::EscalateAppropriately { threshold } => {
                cx.max(mf, &t, "threshold", (*threshold).into(), 1000, "permille");
                Some(model::Goal::EscalateAppropriately {
                    threshold: *threshold,
                })
            }
            Goal::LimitOutage { max_customer_hours } => Some(model::Goal::LimitOutage {
                max_customer_hours: *max_customer_hours,
            }),
        };
        if let Some(goal) = goal {
            objectives.push(model::Objective {
                id: o.id.clone(),
                title: o.title.clone(),
                weight: o.weight,
                goal,
            });
        }
    }

    if !cx.issues.is_empty() {
        return None;
    }
    Some(Scenario {
        id: sf.id.clone(),
        title: sf.title.clone(),
        description: sf.description.clone(),
        turn_minutes: sf.turn_minutes,
        start_minute: start_minute?,
        turn_limit,
        ecosystem_exposure: sf.ecosystem_exposure,
        decisions: decisions?,
        organisations,
        channels: channels.into_iter().map(|((a, b), d)| (a, b, d)).collect(),
        assets,
        attackers,
        injects,
        objectives,
        teams,
        end_when_attackers_done: sf.end_when_attackers_done,
        techniques: techniques.to_vec(),
        tuning: tuning?,
    })
}

/// Applies the scenario's changes to catalogue entries.
fn override_decisions(
    cx: &mut Cx,
    mf: usize,
    mut rules: Vec<DecisionRule>,
    overrides: &[DecisionOverride],
) -> Option<Vec<DecisionRule>> {
    let mut ok = true;
    for (n, o) in overrides.iter().enumerate() {
        let spec = &mut rules[o.kind as usize].spec;
        if let Some(staff) = o.staff {
            spec.staff = staff;
        }
        if let Some(duration) = o.duration {
            spec.duration = duration;
        }
        if let Some(success) = o.success {
            if success > 10_000 {
                cx.err(
                    mf,
                    Target::section("decisions").nth(n).field("success"),
                    format!(
                        "`success` of {:?} is {success}, but must be at most 10000 (basis points)",
                        o.kind
                    ),
                    "must be 0..=10000",
                );
                ok = false;
            }
            spec.success = success;
        }
    }
    ok.then_some(rules)
}

/// The shared constants with the scenario's named changes.
fn resolve_tuning(
    cx: &mut Cx,
    mf: usize,
    base: &Tuning,
    changes: &BTreeMap<String, i64>,
) -> Option<Tuning> {
    let mut tuning = base.clone();
    let mut ok = true;
    for (name, &value) in changes {
        if let Err(e) = tuning.set(name, value) {
            let issue = cx.err(
                mf,
                Target::top("tuning").value(name),
                e.describe(name, value),
                match e {
                    TuningError::Unknown => "no such tuning value",
                    TuningError::OutOfRange { .. } => "out of range",
                },
            );
            issue.help = match e {
                TuningError::Unknown => closest(name, tuning_names())
                    .map(|c| format!("did you mean '{c}'? `kizuna params` lists every name")),
                TuningError::OutOfRange { .. } => None,
            };
            ok = false;
        }
    }
    ok.then_some(tuning)
}

/// Maps kept ids to their index among kept entries.
fn compact<'a, I>(
    map: &BTreeMap<&'a str, usize>,
    keep: &[bool],
    conv: impl Fn(usize) -> Option<I>,
) -> BTreeMap<&'a str, I> {
    let mut rank = Vec::with_capacity(keep.len());
    let mut n = 0;
    for k in keep {
        rank.push(n);
        if *k {
            n += 1;
        }
    }
    map.iter()
        .filter_map(|(id, i)| Some((*id, conv(*rank.get(*i)?)?)))
        .collect()
}

fn technique(
    cx: &mut Cx,
    file: usize,
    target: &Target,
    field: &'static str,
    id: &str,
    known: &BTreeMap<&str, u16>,
) -> Option<u16> {
    let found = known.get(id).copied();
    if found.is_none() {
        let help = closest(id, known.keys().copied())
            .map(|c| format!("did you mean {c}?"))
            .unwrap_or_else(|| "techniques are listed in assets/techniques.ron".into());
        cx.err(
            file,
            target.clone().field(field).value(id),
            format!("unknown ATT&CK technique '{id}'"),
            "not in the technique table",
        )
        .help = Some(help);
    }
    found
}

fn resolve_decisions(
    cx: &mut Cx,
    (df, specs): (usize, &[DecisionSpec]),
    allowed: &[DecisionKind],
) -> Option<Vec<DecisionRule>> {
    let mut by_kind: BTreeMap<DecisionKind, &DecisionSpec> = BTreeMap::new();
    let mut ok = true;
    for s in specs {
        let name = format!("{:?}", s.kind);
        if by_kind.insert(s.kind, s).is_some() {
            cx.err(
                df,
                Target::file().field("kind").value(&name).value_nth(1),
                format!("decision {name} is defined twice"),
                "defined again here",
            );
            ok = false;
        }
        if s.success > 10_000 {
            cx.err(
                df,
                Target::file().field("success").value(s.success),
                format!(
                    "`success` of {name} is {}, but must be at most 10000 (basis points)",
                    s.success
                ),
                "must be 0..=10000",
            );
            ok = false;
        }
    }
    let mut rules = Vec::new();
    for kind in DecisionKind::ALL {
        match by_kind.get(&kind) {
            Some(spec) => rules.push(DecisionRule {
                spec: (*spec).clone(),
                allowed: allowed.is_empty() || allowed.contains(&kind),
            }),
            None => {
                cx.err(
                    df,
                    Target::file(),
                    format!("the decision catalogue has no entry for {kind:?}"),
                    "every decision kind needs one entry",
                );
                ok = false;
            }
        }
    }
    ok.then_some(rules)
}

fn resolve_org(
    cx: &mut Cx,
    mf: usize,
    m: &MergedOrg,
    org_ids: &BTreeMap<&str, u16>,
    n_orgs: usize,
    org_team: &BTreeMap<&str, (u16, &str)>,
    library: &BTreeMap<&str, (usize, &OrganisationEntry)>,
) -> Option<model::Organisation> {
    let e = m.entry;
    let l = m.lib.map(|(_, l)| l);
    let t = Target::entity(ORGS, &e.id);
    let missing = |cx: &mut Cx, field: &str| {
        let help = match closest(&e.id, library.keys().copied()) {
            Some(c) => {
                format!("give `{field}: …`, or did you mean the library organisation '{c}'?")
            }
            None => format!(
                "give `{field}: …`, or include a library that defines '{}'",
                e.id
            ),
        };
        cx.err(
            mf,
            t.clone(),
            format!("organisation '{}' has no `{field}`", e.id),
            format!("`{field}` missing"),
        )
        .help = Some(help);
    };
    let name = e.name.clone().or_else(|| l.and_then(|l| l.name.clone()));
    let nation = e.nation.or_else(|| l.and_then(|l| l.nation));
    let kind = e.kind.or_else(|| l.and_then(|l| l.kind));
    let staff = e.staff.or_else(|| l.and_then(|l| l.staff));
    if name.is_none() {
        missing(cx, "name");
    }
    if nation.is_none() {
        missing(cx, "nation");
    }
    if kind.is_none() {
        missing(cx, "kind");
    }
    if staff.is_none() {
        missing(cx, "staff");
    }
    let pick =
        |cx: &mut Cx, field: &'static str, own: Option<u16>, lib: Option<u16>, default: u16| {
            let v = own.or(lib).unwrap_or(default);
            cx.max(
                m.origin(mf, own.is_some()),
                &t,
                field,
                v.into(),
                1000,
                "permille",
            );
            v
        };
    let default_trust = pick(
        cx,
        "default_trust",
        e.default_trust,
        l.and_then(|l| l.default_trust),
        model::DEFAULT_TRUST,
    );
    let detection_skill = pick(
        cx,
        "detection_skill",
        e.detection_skill,
        l.and_then(|l| l.detection_skill),
        300,
    );
    let leak_risk = pick(cx, "leak_risk", e.leak_risk, l.and_then(|l| l.leak_risk), 0);
    // Trust: library values, overridden key by key by the scenario's.
    let mut trust_map: BTreeMap<&str, (u16, usize)> = BTreeMap::new();
    for (src, file) in [
        (l.and_then(|l| l.trust.as_ref()), m.origin(mf, false)),
        (e.trust.as_ref(), mf),
    ] {
        for (k, v) in src.into_iter().flatten() {
            trust_map.insert(k, (*v, file));
        }
    }
    let mut trust = model::TrustMap::new(default_trust);
    for (k, (v, file)) in &trust_map {
        cx.max(*file, &t, "trust", (*v).into(), 1000, "permille");
        match org_ids.get(k) {
            Some(&j) if (j as usize) < n_orgs => trust.set(j, *v),
            Some(_) => {}
            // A library names every organisation it knows; those the
            // scenario does not pick are simply not in play.
            None if *file != mf => {}
            None => cx.unknown(*file, &t, "trust", "organisation", k, org_ids),
        }
    }
    let reports_in_entry = e.reports_to.is_some();
    let reports_file = m.origin(mf, reports_in_entry);
    let reports_to = e
        .reports_to
        .as_ref()
        .or_else(|| l.and_then(|l| l.reports_to.as_ref()))
        .map(|r| {
            r.iter()
                .filter_map(|id| {
                    if !reports_in_entry && !org_ids.contains_key(id.as_str()) {
                        return None;
                    }
                    cx.lookup(reports_file, &t, "reports_to", "organisation", id, org_ids)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(model::Organisation {
        id: e.id.clone(),
        name: name?,
        nation: nation?,
        kind: kind?,
        staff: staff?,
        authorities: e
            .authorities
            .clone()
            .or_else(|| l.and_then(|l| l.authorities.clone()))
            .unwrap_or_default(),
        reporting_delay: e
            .reporting_delay
            .or_else(|| l.and_then(|l| l.reporting_delay))
            .unwrap_or(0),
        reports_to,
        trust,
        detection_skill,
        leak_risk,
        team: org_team.get(e.id.as_str()).map(|(t, _)| *t),
    })
}

fn resolve_effect(
    cx: &mut Cx,
    mf: usize,
    t: &Target,
    e: &Effect,
    assets: &BTreeMap<&str, u32>,
    orgs: &BTreeMap<&str, u16>,
    attackers: &BTreeMap<&str, u16>,
) -> Option<model::Effect> {
    let f = "effects";
    Some(match e {
        Effect::SetAvailability {
            asset,
            availability,
        } => {
            cx.max(
                mf,
                t,
                "availability",
                (*availability).into(),
                1000,
                "permille",
            );
            model::Effect::SetAvailability {
                asset: cx.lookup(mf, t, f, "asset", asset, assets)?,
                availability: *availability,
            }
        }
        Effect::AddStaff {
            organisation,
            staff,
        } => model::Effect::AddStaff {
            organisation: cx.lookup(mf, t, f, "organisation", organisation, orgs)?,
            staff: *staff,
        },
        Effect::RevealAttacker {
            organisation,
            attacker,
        } => {
            let o = cx.lookup(mf, t, f, "organisation", organisation, orgs);
            let a = cx.lookup(mf, t, f, "attacker", attacker, attackers);
            model::Effect::RevealAttacker {
                organisation: o?,
                attacker: a?,
            }
        }
        Effect::FalseLead {
            organisation,
            points_to,
        } => model::Effect::FalseLead {
            organisation: cx.lookup(mf, t, f, "organisation", organisation, orgs)?,
            points_to: points_to.clone(),
        },
        Effect::ChangeTrust { from, to, delta } => {
            let a = cx.lookup(mf, t, f, "organisation", from, orgs);
            let b = cx.lookup(mf, t, f, "organisation", to, orgs);
            model::Effect::ChangeTrust {
                from: a?,
                to: b?,
                delta: *delta,
            }
        }
        Effect::PublicTrust(d) => model::Effect::PublicTrust(*d),
        Effect::AllianceTrust(d) => model::Effect::AllianceTrust(*d),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(parse_start("1970-01-02T01:05"), Some(1440 + 65));
        assert_eq!(
            parse_start("2020-07-24T20:00"),
            Some(days_from_civil(2020, 7, 24) * 1440 + 1200)
        );
        assert_eq!(parse_start("2021-02-29T00:00"), None);
        assert!(parse_start("2020-02-29T00:00").is_some());
        assert_eq!(parse_start("2020-13-01T00:00"), None);
        assert_eq!(parse_start("2020-01-01 00:00"), None);
        assert_eq!(parse_start("2020-01-01T24:00"), None);
        assert_eq!(parse_start("+020-01-01T00:00"), None);
    }

    #[test]
    fn closest_ids() {
        let ids = ["T1566.001", "T1190", "T1078"];
        assert_eq!(closest("T1566.01", ids.into_iter()), Some("T1566.001"));
        assert_eq!(closest("T1566.002", ids.into_iter()), Some("T1566.001"));
        assert_eq!(closest("completely-different", ids.into_iter()), None);
    }
}
