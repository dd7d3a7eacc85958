//! The master scenario events list (MSEL): a scenario's scripted injects
//! as the exercise controllers' running order. Scenario files say when an
//! inject fires, to whom, and what it says and does; the sender, method
//! and expected action are derived (see `docs/decisions.md`).

use std::fmt::Write;

use serde::Serialize;

use super::escape::{md, md_cell};
use crate::perspective::Viewer;
use crate::scenario::model::{Effect, Inject, Scenario, Trigger};
use crate::session::i18n::Strings;
use crate::session::narrator::Narrator;
use crate::time;

#[derive(Debug, Clone, Serialize)]
pub struct MselRow {
    pub number: usize,
    pub id: String,
    /// The turn it fires, when the script fixes it.
    pub turn: Option<u32>,
    pub time: Option<String>,
    pub trigger: String,
    pub from: String,
    pub to: String,
    pub method: String,
    pub title: String,
    pub description: String,
    pub expected_action: String,
}

/// The turn a scripted inject fires, when its trigger fixes one: at a
/// turn, or a delay after an inject that fires at a fixed turn.
fn fixed_turn(scenario: &Scenario, inject: &Inject) -> Option<u32> {
    let mut at = inject;
    let mut delay = 0u32;
    // A chain longer than the list of injects would be a cycle.
    for _ in 0..=scenario.injects.len() {
        match &at.trigger {
            Trigger::AtTurn(t) => return t.checked_add(delay),
            Trigger::AfterInject { inject, delay: d } => {
                delay = delay.checked_add(*d)?;
                at = scenario.injects.get(*inject as usize)?;
            }
            _ => return None,
        }
    }
    None
}

/// How the inject reaches the players, from what it does: intelligence,
/// a system event, staffing, a public or political development, or a
/// plain situation briefing; with the action controllers look for.
fn method_keys(inject: &Inject) -> (&'static str, &'static str) {
    let has = |f: fn(&Effect) -> bool| inject.effects.iter().any(f);
    if has(|e| matches!(e, Effect::RevealAttacker { .. } | Effect::FalseLead { .. })) {
        ("msel_method_intel", "msel_expect_intel")
    } else if has(|e| matches!(e, Effect::SetAvailability { .. })) {
        ("msel_method_event", "msel_expect_event")
    } else if has(|e| matches!(e, Effect::AddStaff { .. })) {
        ("msel_method_staff", "msel_expect_staff")
    } else if has(|e| {
        matches!(
            e,
            Effect::ChangeTrust { .. } | Effect::PublicTrust(_) | Effect::AllianceTrust(_)
        )
    }) {
        ("msel_method_news", "msel_expect_news")
    } else {
        ("msel_method_briefing", "msel_expect_briefing")
    }
}

pub fn rows(scenario: &Scenario, s: &Strings) -> Vec<MselRow> {
    let n = Narrator::new(scenario, Viewer::Facilitator, s);
    scenario
        .injects
        .iter()
        .enumerate()
        .map(|(i, inject)| {
            let turn = fixed_turn(scenario, inject);
            let trigger = match &inject.trigger {
                Trigger::AtTurn(t) => s.fmt("msel_trigger_at", &[("n", &t.to_string())]),
                Trigger::AssetBelow {
                    asset,
                    availability,
                } => s.fmt(
                    "msel_trigger_asset",
                    &[
                        ("asset", &n.asset(*asset)),
                        ("n", &crate::session::narrator::percent(*availability)),
                    ],
                ),
                Trigger::AttackerReachesStage { attacker, stage } => s.fmt(
                    "msel_trigger_stage",
                    &[
                        ("attacker", &n.attacker(*attacker)),
                        ("n", &(stage + 1).to_string()),
                    ],
                ),
                Trigger::DecisionTaken(kind) => s.fmt(
                    "msel_trigger_decision",
                    &[("decision", s.text(&scenario.decision(*kind).spec.name))],
                ),
                Trigger::AfterInject { inject, delay } => s.fmt(
                    "msel_trigger_after",
                    &[
                        ("n", &delay.to_string()),
                        (
                            "id",
                            &scenario.injects.get(*inject as usize).map_or_else(
                                || "?".to_string(),
                                |x| format!("\u{201c}{}\u{201d}", s.text(&x.title)),
                            ),
                        ),
                    ],
                ),
            };
            let to: Vec<&str> = inject
                .to
                .iter()
                .filter_map(|t| scenario.teams.get(*t as usize))
                .map(|t| s.text(&t.name))
                .collect();
            let (method, expect) = method_keys(inject);
            MselRow {
                number: i + 1,
                id: inject.id.clone(),
                turn,
                time: turn.map(|t| {
                    time::format_minute(time::turn_start(
                        scenario.start_minute,
                        scenario.turn_minutes,
                        t,
                    ))
                }),
                trigger,
                from: s.get("msel_from_control").to_string(),
                to: to.join(", "),
                method: s.get(method).to_string(),
                title: s.text(&inject.title).to_string(),
                description: s.text(&inject.text).to_string(),
                expected_action: s.get(expect).to_string(),
            }
        })
        .collect()
}

pub const CSV_HEADER: [&str; 11] = [
    "number",
    "id",
    "turn",
    "time",
    "trigger",
    "from",
    "to",
    "method",
    "title",
    "description",
    "expected_action",
];

pub fn csv(rows: &[MselRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for r in rows {
        w.write_record([
            r.number.to_string(),
            r.id.clone(),
            r.turn.map_or_else(String::new, |t| t.to_string()),
            r.time.clone().unwrap_or_default(),
            r.trigger.clone(),
            r.from.clone(),
            r.to.clone(),
            r.method.clone(),
            r.title.clone(),
            r.description.clone(),
            r.expected_action.clone(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

pub fn markdown(scenario: &Scenario, rows: &[MselRow], s: &Strings) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {}\n",
        md(s.text(&scenario.title)),
        md(s.get("msel_title"))
    );
    let header: Vec<String> = [
        "msel_number",
        "report_turn",
        "report_time",
        "msel_trigger",
        "msel_from",
        "msel_to",
        "msel_method",
        "msel_inject_title",
        "msel_description",
        "msel_expected",
    ]
    .iter()
    .map(|k| md_cell(s.get(k)))
    .collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.number,
            r.turn.map_or_else(String::new, |t| t.to_string()),
            md_cell(r.time.as_deref().unwrap_or("")),
            md_cell(&r.trigger),
            md_cell(&r.from),
            md_cell(&r.to),
            md_cell(&r.method),
            md_cell(&r.title),
            md_cell(&r.description),
            md_cell(&r.expected_action),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::session::i18n::Lang;

    #[test]
    fn every_inject_is_listed_with_a_fixed_turn_where_the_script_gives_one() {
        let loaded = match load_builtin("tokyo-games", &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => panic!("{e:?}"),
        };
        let sc = &loaded.scenario;
        let rows = rows(sc, &Strings::new(Lang::En));
        assert_eq!(rows.len(), sc.injects.len());
        for (row, inject) in rows.iter().zip(&sc.injects) {
            assert_eq!(row.id, inject.id);
            if let Trigger::AtTurn(t) = inject.trigger {
                assert_eq!(row.turn, Some(t));
                assert!(row.time.as_deref().is_some_and(|x| x.ends_with("JST")));
            }
            assert!(!row.to.is_empty(), "{} reaches nobody", row.id);
        }
    }
}
