//! The readable turn-by-turn summary and the JSON outcome of `kizuna run`.

use serde_json::{Value, json};

use crate::scenario::Scenario;
use crate::session::Session;
use crate::session::log::hex;
use crate::sim::TurnOutcome;
use crate::sim::event::Event;
use crate::sim::resources::ObjectiveStatus;
use crate::time;

/// One line per turn: time, score and what happened, counted.
pub fn turn_line(scenario: &Scenario, o: &TurnOutcome) -> String {
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
            Event::InjectFired { inject, .. } => {
                bump("injects");
                if let Some(i) = scenario.injects.get(*inject as usize) {
                    notes.push(format!("inject “{}”", i.title.en));
                }
            }
            Event::StageStarted { attacker, stage } => {
                if let Some(a) = scenario.attackers.get(*attacker as usize)
                    && let Some(s) = a.campaign.get(*stage as usize)
                {
                    notes.push(format!("{} → {}", a.id, s.name));
                }
            }
            Event::CampaignFinished { attacker } => {
                if let Some(a) = scenario.attackers.get(*attacker as usize) {
                    notes.push(format!("{} finished its campaign", a.id));
                }
            }
            Event::RecordsStolen { count, .. } => notes.push(format!("{count} records stolen")),
            Event::AssetWiped { asset, .. } => {
                if let Some(a) = scenario.assets.get(*asset as usize) {
                    notes.push(format!("{} wiped", a.id));
                }
            }
            Event::PublicAttribution { named, correct, .. } => notes.push(format!(
                "public attribution to {named} ({})",
                if *correct { "correct" } else { "wrong" }
            )),
            Event::Article5Consulted { premature, .. } => notes.push(format!(
                "Article 5 consultations{}",
                if *premature { " (premature)" } else { "" }
            )),
            Event::ObjectiveFailed { objective } => {
                if let Some(obj) = scenario.objectives.get(*objective as usize) {
                    notes.push(format!("objective {} failed", obj.id));
                }
            }
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
