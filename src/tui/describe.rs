//! Events, decisions and intel put into words, in the viewer's language.
//! Attackers are named only in the facilitator's view.

use crate::scenario::model::{AssetIdx, AttackerIdx, OrgIdx};
use crate::session::view::Viewer;
use crate::sim::decision::{Action, Decision, Refusal, Tlp};
use crate::sim::event::Event;
use crate::sim::knowledge::Facts;

use super::app::App;

/// How an event should be coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Good,
    Bad,
    Hidden,
}

pub fn org(app: &App, o: OrgIdx) -> String {
    app.scenario()
        .organisations
        .get(o as usize)
        .map_or_else(|| format!("#{o}"), |x| app.text(&x.name).to_string())
}

pub fn asset(app: &App, a: AssetIdx) -> String {
    app.scenario()
        .assets
        .get(a as usize)
        .map_or_else(|| format!("#{a}"), |x| app.text(&x.name).to_string())
}

pub fn attacker(app: &App, a: AttackerIdx) -> String {
    match (app.viewer(), app.scenario().attackers.get(a as usize)) {
        (Viewer::Facilitator, Some(x)) => app.text(&x.name).to_string(),
        _ => app
            .strings
            .fmt("attacker_n", &[("n", &(a + 1).to_string())]),
    }
}

pub fn tlp(t: Tlp) -> &'static str {
    match t {
        Tlp::Clear => "CLEAR",
        Tlp::Green => "GREEN",
        Tlp::Amber => "AMBER",
        Tlp::Red => "RED",
    }
}

/// "Organisation: action target".
pub fn decision(app: &App, d: &Decision) -> String {
    format!("{}: {}", org(app, d.org), action(app, &d.action))
}

/// Widest organisation name shown in full in lists; longer ones use the id.
const SHORT_NAME_WIDTH: usize = 14;

/// A compact organisation label for lists: the name if short, else the id
/// in capitals ("NISC", "JPCERT").
pub fn org_short(app: &App, o: OrgIdx) -> String {
    let Some(x) = app.scenario().organisations.get(o as usize) else {
        return format!("#{o}");
    };
    let name = app.text(&x.name);
    if ratatui::text::Span::raw(name).width() <= SHORT_NAME_WIDTH {
        name.to_string()
    } else {
        x.id.to_uppercase()
    }
}

/// "ORG: action target", for one-line lists.
pub fn decision_short(app: &App, d: &Decision) -> String {
    format!("{}: {}", org_short(app, d.org), action(app, &d.action))
}

pub fn action(app: &App, a: &Action) -> String {
    let name = app
        .text(&app.scenario().decision(a.kind()).spec.name)
        .to_string();
    let target = match a {
        Action::Monitor { asset: x }
        | Action::Hunt { asset: x }
        | Action::Isolate { asset: x }
        | Action::Patch { asset: x }
        | Action::Restore { asset: x }
        | Action::ResetCredentials { asset: x } => asset(app, *x),
        Action::ShareIntel { to, tlp: t } => {
            let names: Vec<String> = to.iter().map(|o| org_short(app, *o)).collect();
            format!("[TLP:{}] → {}", tlp(*t), names.join(", "))
        }
        Action::RequestAssistance { from } => format!("← {}", org_short(app, *from)),
        Action::AttributePublicly { attacker: x }
        | Action::Takedown { attacker: x }
        | Action::ActiveDefence { attacker: x } => attacker(app, *x),
        Action::PublicStatement
        | Action::RaiseAlert
        | Action::ConsultArticle5
        | Action::Liaison => String::new(),
    };
    if target.is_empty() {
        name
    } else {
        format!("{name} {target}")
    }
}

/// Why a decision is refused, in the viewer's language (the same words as
/// the engine's `Refusal` messages).
pub fn refusal(app: &App, r: &Refusal) -> String {
    let s = &app.strings;
    let n = |key: &str, v: String| s.fmt(key, &[("n", &v)]);
    match r {
        Refusal::UnknownOrganisation(i) => n("refusal_UnknownOrganisation", i.to_string()),
        Refusal::UnknownAsset(i) => n("refusal_UnknownAsset", i.to_string()),
        Refusal::UnknownAttacker(i) => n("refusal_UnknownAttacker", i.to_string()),
        Refusal::NotAllowedInScenario(_) => s.get("refusal_NotAllowedInScenario").to_string(),
        Refusal::MissingAuthority(a) => {
            s.fmt("refusal_MissingAuthority", &[("what", &format!("{a:?}"))])
        }
        Refusal::NotEnoughStaff { needed, available } => s.fmt(
            "refusal_NotEnoughStaff",
            &[
                ("needed", &needed.to_string()),
                ("available", &available.to_string()),
            ],
        ),
        Refusal::TlpNotPermitted {
            tlp: t,
            trust,
            needed,
        } => s.fmt(
            "refusal_TlpNotPermitted",
            &[
                ("trust", &trust.to_string()),
                ("tlp", tlp(*t)),
                ("needed", &needed.to_string()),
            ],
        ),
        other => {
            let name = format!("{other:?}");
            s.get(&format!("refusal_{name}")).to_string()
        }
    }
}

/// What a message told its recipient.
pub fn facts(app: &App, _to: OrgIdx, f: &Facts) -> String {
    let mut lines = Vec::new();
    for c in &f.compromises {
        lines.push(
            app.strings
                .fmt("intel_compromise", &[("asset", &asset(app, c.asset))]),
        );
    }
    for a in &f.indicators {
        lines.push(
            app.strings
                .fmt("intel_indicators", &[("n", &(a + 1).to_string())]),
        );
    }
    for l in &f.leads {
        lines.push(app.strings.fmt(
            "intel_lead",
            &[("n", &(l.attacker + 1).to_string()), ("who", &l.points_to)],
        ));
    }
    if lines.is_empty() {
        return app.strings.get("no_details").to_string();
    }
    lines.join("\n")
}

/// One line for the timeline.
pub fn event(app: &App, e: &Event) -> (String, Tone) {
    let s = &app.strings;
    let a = |x: &AssetIdx| asset(app, *x);
    let at = |x: &AttackerIdx| attacker(app, *x);
    let o = |x: &OrgIdx| org(app, *x);
    match e {
        Event::InjectFired { inject, .. } => {
            let title = app
                .scenario()
                .injects
                .get(*inject as usize)
                .map_or_else(String::new, |i| app.text(&i.title).to_string());
            (s.fmt("ev_inject", &[("title", &title)]), Tone::Normal)
        }
        Event::AdHocInject { title, .. } => (
            s.fmt("ev_inject", &[("title", app.text(title))]),
            Tone::Normal,
        ),
        Event::Overridden { what, reason } => (
            s.fmt("ev_overridden", &[("what", what), ("reason", reason)]),
            Tone::Hidden,
        ),
        Event::DecisionStarted { decision, .. } => (
            s.fmt(
                "ev_started",
                &[
                    ("org", &o(&decision.org)),
                    ("action", &action(app, &decision.action)),
                ],
            ),
            Tone::Normal,
        ),
        Event::DecisionRefused { decision, reason } => (
            s.fmt(
                "ev_refused",
                &[
                    ("org", &o(&decision.org)),
                    ("action", &action(app, &decision.action)),
                    ("why", &reason.to_string()),
                ],
            ),
            Tone::Bad,
        ),
        Event::ActionSucceeded { decision } => (
            s.fmt(
                "ev_succeeded",
                &[
                    ("org", &o(&decision.org)),
                    ("action", &action(app, &decision.action)),
                ],
            ),
            Tone::Good,
        ),
        Event::ActionFailed { decision } => (
            s.fmt(
                "ev_failed",
                &[
                    ("org", &o(&decision.org)),
                    ("action", &action(app, &decision.action)),
                ],
            ),
            Tone::Bad,
        ),
        Event::StageStarted { attacker: x, stage } => (
            s.fmt(
                "ev_stage",
                &[("attacker", &at(x)), ("n", &(stage + 1).to_string())],
            ),
            Tone::Hidden,
        ),
        Event::CampaignFinished { attacker: x } => (
            s.fmt("ev_campaign_done", &[("attacker", &at(x))]),
            Tone::Hidden,
        ),
        Event::AssetCompromised {
            asset: y,
            attacker: x,
        } => (
            s.fmt("ev_compromised", &[("attacker", &at(x)), ("asset", &a(y))]),
            Tone::Hidden,
        ),
        Event::Escalated {
            asset: y,
            attacker: x,
        } => (
            s.fmt("ev_escalated", &[("attacker", &at(x)), ("asset", &a(y))]),
            Tone::Hidden,
        ),
        Event::RecordsStolen {
            asset: y,
            attacker: x,
            count,
        } => (
            s.fmt(
                "ev_stolen",
                &[
                    ("attacker", &at(x)),
                    ("asset", &a(y)),
                    ("n", &count.to_string()),
                ],
            ),
            Tone::Hidden,
        ),
        Event::AssetDamaged {
            asset: y,
            attacker: x,
            availability,
        } => (
            s.fmt(
                "ev_damaged",
                &[
                    ("attacker", &at(x)),
                    ("asset", &a(y)),
                    ("n", &availability.to_string()),
                ],
            ),
            Tone::Hidden,
        ),
        Event::AssetWiped {
            asset: y,
            attacker: x,
        } => (
            s.fmt("ev_wiped", &[("attacker", &at(x)), ("asset", &a(y))]),
            Tone::Hidden,
        ),
        Event::AssetDefaced { asset: y, .. } => {
            (s.fmt("ev_defaced", &[("asset", &a(y))]), Tone::Bad)
        }
        Event::Detected {
            org: g, asset: y, ..
        } => (
            s.fmt("ev_detected", &[("org", &o(g)), ("asset", &a(y))]),
            Tone::Bad,
        ),
        Event::Evicted { asset: y, .. } => (s.fmt("ev_evicted", &[("asset", &a(y))]), Tone::Good),
        Event::InfrastructureRemoved {
            attacker: x,
            remaining,
        } => (
            s.fmt(
                "ev_infra",
                &[("attacker", &at(x)), ("n", &remaining.to_string())],
            ),
            Tone::Good,
        ),
        Event::MessageDelivered {
            from, to, tlp: t, ..
        } => (
            s.fmt(
                "ev_message",
                &[("from", &o(from)), ("to", &o(to)), ("tlp", tlp(*t))],
            ),
            Tone::Normal,
        ),
        Event::IntelLeaked { from, to, tlp: t } => (
            s.fmt(
                "ev_leak",
                &[("from", &o(from)), ("to", &o(to)), ("tlp", tlp(*t))],
            ),
            Tone::Bad,
        ),
        Event::AssistanceArrived { from, to, staff } => (
            s.fmt(
                "ev_assist",
                &[
                    ("from", &o(from)),
                    ("to", &o(to)),
                    ("n", &staff.to_string()),
                ],
            ),
            Tone::Good,
        ),
        Event::PublicAttribution { org: g, named, .. } => (
            s.fmt("ev_attribution", &[("org", &o(g)), ("who", named)]),
            Tone::Normal,
        ),
        Event::PublicStatement { org: g } => {
            (s.fmt("ev_statement", &[("org", &o(g))]), Tone::Normal)
        }
        Event::AlertRaised { level } => (
            s.fmt("ev_alert", &[("n", &level.to_string())]),
            Tone::Normal,
        ),
        Event::Article5Consulted { org: g, .. } => {
            (s.fmt("ev_article5", &[("org", &o(g))]), Tone::Normal)
        }
        Event::LiaisonOpened { org: g } => (s.fmt("ev_liaison", &[("org", &o(g))]), Tone::Good),
        Event::AssetDown { asset: y } => (s.fmt("ev_down", &[("asset", &a(y))]), Tone::Bad),
        Event::AssetRecovered { asset: y } => {
            (s.fmt("ev_recovered", &[("asset", &a(y))]), Tone::Good)
        }
        Event::ObjectiveMet { objective } => (
            s.fmt("ev_obj_met", &[("obj", &objective_title(app, *objective))]),
            Tone::Good,
        ),
        Event::ObjectiveFailed { objective } => (
            s.fmt(
                "ev_obj_failed",
                &[("obj", &objective_title(app, *objective))],
            ),
            Tone::Bad,
        ),
    }
}

pub fn objective_title(app: &App, i: u32) -> String {
    app.scenario()
        .objectives
        .get(i as usize)
        .map_or_else(|| format!("#{i}"), |x| app.text(&x.title).to_string())
}
