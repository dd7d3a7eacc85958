//! The readable turn-by-turn summary and the JSON outcome of `kizuna run`.

use serde_json::{Value, json};

use crate::scenario::Scenario;
use crate::session::Session;
use crate::session::log::hex;
use crate::session::narrator::Narrator;
use crate::sim::TurnOutcome;
use crate::sim::event::Event;
use crate::sim::resources::ObjectiveStatus;
use crate::time;

/// One line per turn: time, score and what happened, counted, with the
/// notable events in the narrator's words (the facilitator's, in English).
pub fn turn_line(narrator: &Narrator, scenario: &Scenario, o: &TurnOutcome) -> String {
    let when = time::format_minute(time::turn_start(
        scenario.start_minute,
        scenario.turn_minutes,
        o.turn,
    ));
    let mut counts: Vec<(&str, usize)> = vec![
        ("compromised", 0),
        ("detected", 0),
        ("evicted", 0),
        ("down", 0),
        ("recovered", 0),
        ("started", 0),
        ("refused", 0),
        ("injects", 0),
    ];
    let mut bump = |name: &str| {
        if let Some(c) = counts.iter_mut().find(|(n, _)| *n == name) {
            c.1 += 1;
        }
    };
    let mut notes = Vec::new();
    for e in &o.events {
        match e {
            Event::AssetCompromised { .. } => bump("compromised"),
            Event::Detected { .. } => bump("detected"),
            Event::Evicted { .. } => bump("evicted"),
            Event::AssetDown { .. } => bump("down"),
            Event::AssetRecovered { .. } => bump("recovered"),
            Event::DecisionStarted { .. } => bump("started"),
            Event::DecisionRefused { .. } => bump("refused"),
            Event::InjectFired { .. } => {
                bump("injects");
                notes.push(narrator.event(e).0);
            }
            Event::StageStarted { .. }
            | Event::CampaignFinished { .. }
            | Event::RecordsStolen { .. }
            | Event::AssetWiped { .. }
            | Event::ObjectiveFailed { .. } => notes.push(narrator.event(e).0),
            // Ground truth the words leave to the facilitator's eye.
            Event::PublicAttribution { correct, .. } => notes.push(format!(
                "{} ({})",
                narrator.event(e).0,
                if *correct { "correct" } else { "wrong" }
            )),
            Event::Article5Consulted { premature, .. } => notes.push(format!(
                "{}{}",
                narrator.event(e).0,
                if *premature { " (premature)" } else { "" }
            )),
            _ => {}
        }
    }
    let counted: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    let mut line = format!("turn {:>3}  {}  score {:>3}", o.turn, when, o.score);
    if !counted.is_empty() {
        line.push_str("  | ");
        line.push_str(&counted.join(", "));
    }
    if !notes.is_empty() {
        line.push_str("  | ");
        line.push_str(&notes.join("; "));
    }
    line
}

pub fn status_name(s: ObjectiveStatus) -> &'static str {
    match s {
        ObjectiveStatus::Met => "met",
        ObjectiveStatus::Failed => "failed",
        ObjectiveStatus::Pending => "pending",
    }
}

/// The outcome after the last turn, for people.
pub fn outcome_text(session: &Session, final_hash: u64) -> String {
    let read = session.sim().read();
    let scenario = read.scenario();
    let objectives = read.objectives();
    let m = read.metrics();
    let p = read.politics();
    let mut out = format!(
        "\n{} — {} turns played, score {}/100\n",
        scenario.title.en,
        session.log().turns.len(),
        objectives.score
    );
    for (o, s) in scenario.objectives.iter().zip(&objectives.status) {
        out.push_str(&format!(
            "  [{:^7}] {} — {}\n",
            status_name(*s),
            o.id,
            o.title.en
        ));
    }
    out.push_str(&format!(
        "records lost {}, customer-hours lost {}, peak impact {}‰, compromises {}, detections {}, public trust {}‰, alliance trust {}‰\n",
        m.records_lost,
        m.customer_minutes_lost / 60,
        m.peak_impact,
        m.compromises_total,
        m.detections,
        p.public_trust,
        p.alliance_trust
    ));
    out.push_str(&format!("final state hash {}", hex(final_hash)));
    out
}

/// The outcome as one JSON object, for machines.
pub fn json(session: &Session, final_hash: u64) -> Value {
    let read = session.sim().read();
    let scenario = read.scenario();
    let objectives = read.objectives();
    let m = read.metrics();
    let p = read.politics();
    let teams: Vec<Value> = scenario
        .teams
        .iter()
        .zip(session.controllers())
        .map(|(t, c)| json!({"id": t.id, "controller": c.to_string()}))
        .collect();
    let decisions: usize = session.log().turns.iter().map(|t| t.decisions.len()).sum();
    json!({
        "scenario": scenario.id,
        "seed": session.log().seed,
        "turns_played": session.log().turns.len(),
        "score": objectives.score,
        "ended": objectives.ended,
        "teams": teams,
        "objectives": scenario.objectives.iter().zip(&objectives.status).map(|(o, s)| json!({
            "id": o.id,
            "title": o.title.en,
            "weight": o.weight,
            "status": status_name(*s),
            "met": *s == ObjectiveStatus::Met,
        })).collect::<Vec<_>>(),
        "metrics": {
            "records_lost": m.records_lost,
            "customer_hours_lost": m.customer_minutes_lost / 60,
            "peak_impact_permille": m.peak_impact,
            "impact_permille": m.impact,
            "compromises": m.compromises_total,
            "detections": m.detections,
            "assets_down": m.assets_down,
            "public_trust_permille": p.public_trust,
            "alliance_trust_permille": p.alliance_trust,
            "alert_level": p.alert_level,
            "first_detection_turn": p.first_detection,
            "first_statement_turn": p.first_statement,
            "article5_turn": p.article5_turn,
            "decisions": decisions,
        },
        "final_state_hash": hex(final_hash),
    })
}
