//! The inbox as the viewer reads it: one entry per message with all its
//! recipients, what it carries (assets, indicators, leads, at what TLP),
//! the team's own detections, and the injects arriving this turn first.

use crate::perspective::Viewer;
use crate::scenario::model::OrgIdx;
use crate::sim::decision::Tlp;
use crate::sim::event::Event;
use crate::sim::knowledge::Facts;

use super::app::App;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxKind {
    Inject,
    Intel,
    Report,
    Detection,
}

/// An entry of the inbox, already in the viewer's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxItem {
    pub turn: u32,
    pub kind: InboxKind,
    pub title: String,
    /// Who it reached, named.
    pub recipients: Vec<String>,
    pub body: String,
    pub tlp: Option<Tlp>,
    /// Stable across redraws, to remember what was read.
    pub key: String,
}

/// One message to several organisations: the same sender, marking and
/// contents delivered in the same turn.
struct Delivery<'a> {
    from: OrgIdx,
    tlp: Tlp,
    report: bool,
    facts: &'a Facts,
    to: Vec<OrgIdx>,
}

/// Everything the viewer received, newest first.
pub fn items(app: &App) -> Vec<InboxItem> {
    let viewer = app.viewer();
    let scenario = app.scenario();
    let narrator = app.narrator();
    let s = &app.strings;
    let mine = |org: OrgIdx| match viewer {
        Viewer::Facilitator => true,
        Viewer::Team(t) => scenario
            .organisations
            .get(org as usize)
            .is_some_and(|o| o.team == Some(t)),
    };
    let mut out = Vec::new();
    // Scripted injects that open the turn being decided.
    if !app.facilitator() {
        let turn = app.team_view().public.turn;
        for &i in &app.team_view().arriving {
            if let Some(inject) = scenario.injects.get(i as usize) {
                out.push(InboxItem {
                    turn,
                    kind: InboxKind::Inject,
                    title: app.text(&inject.title).to_string(),
                    recipients: Vec::new(),
                    body: app.text(&inject.text).to_string(),
                    tlp: None,
                    key: format!("inject:{i}"),
                });
            }
        }
    }
    for turn in app.history().iter().rev() {
        let mut deliveries: Vec<Delivery> = Vec::new();
        let mut entries = Vec::new();
        for (n, e) in turn.events.iter().enumerate() {
            match e {
                Event::InjectFired { inject, .. } => {
                    if let Some(i) = scenario.injects.get(*inject as usize) {
                        entries.push(InboxItem {
                            turn: turn.turn,
                            kind: InboxKind::Inject,
                            title: app.text(&i.title).to_string(),
                            recipients: Vec::new(),
                            body: app.text(&i.text).to_string(),
                            tlp: None,
                            key: format!("inject:{inject}"),
                        });
                    }
                }
                Event::AdHocInject { title, text, .. } => entries.push(InboxItem {
                    turn: turn.turn,
                    kind: InboxKind::Inject,
                    title: app.text(title).to_string(),
                    recipients: Vec::new(),
                    body: app.text(text).to_string(),
                    tlp: None,
                    key: format!("adhoc:{}:{n}", turn.turn),
                }),
                Event::Detected { org, asset, .. } if mine(*org) => {
                    entries.push(InboxItem {
                        turn: turn.turn,
                        kind: InboxKind::Detection,
                        title: s.fmt(
                            "inbox_detection",
                            &[
                                ("asset", &narrator.asset(*asset)),
                                ("org", &narrator.org_short(*org)),
                            ],
                        ),
                        recipients: vec![narrator.org(*org)],
                        body: narrator.event(e).0,
                        tlp: None,
                        key: format!("detected:{}:{n}", turn.turn),
                    });
                }
                Event::MessageDelivered {
                    from,
                    to,
                    tlp,
                    report,
                    facts,
                } if mine(*to) => {
                    let same = deliveries.iter_mut().find(|d| {
                        d.from == *from
                            && d.tlp == *tlp
                            && d.report == *report
                            && d.facts == &**facts
                    });
                    match same {
                        Some(d) => d.to.push(*to),
                        None => deliveries.push(Delivery {
                            from: *from,
                            tlp: *tlp,
                            report: *report,
                            facts,
                            to: vec![*to],
                        }),
                    }
                }
                _ => {}
            }
        }
        for (n, d) in deliveries.iter().enumerate() {
            let key = if d.report {
                "report_from"
            } else {
                "intel_from"
            };
            let what = summary(app, d.facts);
            entries.push(InboxItem {
                turn: turn.turn,
                kind: if d.report {
                    InboxKind::Report
                } else {
                    InboxKind::Intel
                },
                title: format!(
                    "{}: {what}",
                    s.fmt(key, &[("org", &narrator.org_short(d.from))])
                ),
                recipients: d.to.iter().map(|&o| narrator.org(o)).collect(),
                body: narrator.facts(d.to[0], d.facts),
                tlp: Some(d.tlp),
                key: format!("message:{}:{n}", turn.turn),
            });
        }
        out.extend(entries.into_iter().rev());
    }
    out
}

/// What a message carries, in a few words for its title.
fn summary(app: &App, f: &Facts) -> String {
    let s = &app.strings;
    let narrator = app.narrator();
    let mut parts = Vec::new();
    match f.compromises.as_slice() {
        [] => {}
        [one] => parts.push(s.fmt("intel_compromise", &[("asset", &narrator.asset(one.asset))])),
        many => parts.push(s.fmt("inbox_compromises", &[("n", &many.len().to_string())])),
    }
    if !f.indicators.is_empty() {
        parts.push(s.fmt(
            "inbox_indicators",
            &[("n", &f.indicators.len().to_string())],
        ));
    }
    if !f.leads.is_empty() {
        parts.push(s.fmt("inbox_leads", &[("n", &f.leads.len().to_string())]));
    }
    if parts.is_empty() {
        return s.get("no_details").to_string();
    }
    parts.join(", ")
}
