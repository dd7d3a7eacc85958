//! The narrator: events, decisions, refusals and intel put into words for
//! one viewer, in that viewer's language (strings in `assets/ui/`).
//! Attackers are named only to the facilitator. Every front end words
//! the simulation through this one place.

use unicode_width::UnicodeWidthStr;

use crate::scenario::model::{AssetIdx, AttackerIdx, OrgIdx, Scenario};
use crate::sim::decision::{Action, Decision, Refusal, Tlp};
use crate::sim::event::{Event, TrustMeasure};
use crate::sim::knowledge::Facts;
use crate::sim::overrides::Change;

use super::i18n::Strings;
use super::table::CommandRefused;
use crate::perspective::Viewer;

/// How an event reads: good or bad news, plain, or ground truth that
/// only the facilitator is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Good,
    Bad,
    Hidden,
}

/// A marking as written on a message.
pub fn tlp(t: Tlp) -> &'static str {
    match t {
        Tlp::Clear => "CLEAR",
        Tlp::Green => "GREEN",
        Tlp::Amber => "AMBER",
        Tlp::Red => "RED",
    }
}

/// Widest organisation name shown in full in lists; longer ones use the id.
const SHORT_NAME_WIDTH: usize = 14;

/// Words the simulation for one viewer.
pub struct Narrator<'a> {
    scenario: &'a Scenario,
    viewer: Viewer,
    strings: &'a Strings,
}

impl<'a> Narrator<'a> {
    pub fn new(scenario: &'a Scenario, viewer: Viewer, strings: &'a Strings) -> Self {
        Narrator {
            scenario,
            viewer,
            strings,
        }
    }

    pub fn org(&self, o: OrgIdx) -> String {
        self.scenario.organisations.get(o as usize).map_or_else(
            || format!("#{o}"),
            |x| self.strings.text(&x.name).to_string(),
        )
    }

    pub fn asset(&self, a: AssetIdx) -> String {
        self.scenario.assets.get(a as usize).map_or_else(
            || format!("#{a}"),
            |x| self.strings.text(&x.name).to_string(),
        )
    }

    pub fn attacker(&self, a: AttackerIdx) -> String {
        match (self.viewer, self.scenario.attackers.get(a as usize)) {
            (Viewer::Facilitator, Some(x)) => self.strings.text(&x.name).to_string(),
            _ => self
                .strings
                .fmt("attacker_n", &[("n", &(a + 1).to_string())]),
        }
    }

    /// "Organisation: action target".
    pub fn decision(&self, d: &Decision) -> String {
        format!("{}: {}", self.org(d.org), self.action(&d.action))
    }

    /// A compact organisation label for lists: the name if short, else the id
    /// in capitals ("NISC", "JPCERT").
    pub fn org_short(&self, o: OrgIdx) -> String {
        let Some(x) = self.scenario.organisations.get(o as usize) else {
            return format!("#{o}");
        };
        let name = self.strings.text(&x.name);
        if UnicodeWidthStr::width(name) <= SHORT_NAME_WIDTH {
            name.to_string()
        } else if self.strings.lang() == super::i18n::Lang::Ja {
            // An English id would break a Japanese screen: the name, cut.
            cut_to_width(name, SHORT_NAME_WIDTH)
        } else {
            x.id.to_uppercase()
        }
    }

    /// "ORG: action target", for one-line lists.
    pub fn decision_short(&self, d: &Decision) -> String {
        format!("{}: {}", self.org_short(d.org), self.action(&d.action))
    }

    pub fn action(&self, a: &Action) -> String {
        let name = self
            .strings
            .text(&self.scenario.decision(a.kind()).spec.name)
            .to_string();
        let target = match a {
            Action::Monitor { asset: x }
            | Action::Hunt { asset: x }
            | Action::Isolate { asset: x }
            | Action::Patch { asset: x }
            | Action::Restore { asset: x }
            | Action::ResetCredentials { asset: x } => self.asset(*x),
            Action::ShareIntel { to, tlp: t } => {
                let names: Vec<String> = to.iter().map(|o| self.org_short(*o)).collect();
                format!("[TLP:{}] → {}", tlp(*t), names.join(", "))
            }
            Action::RequestAssistance { from } => format!("← {}", self.org_short(*from)),
            Action::AttributePublicly { attacker: x }
            | Action::Takedown { attacker: x }
            | Action::ActiveDefence { attacker: x } => self.attacker(*x),
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
    pub fn refusal(&self, r: &Refusal) -> String {
        let s = self.strings;
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
                    ("trust", &percent(*trust)),
                    ("tlp", tlp(*t)),
                    ("needed", &percent(*needed)),
                ],
            ),
            other => {
                let name = format!("{other:?}");
                s.get(&format!("refusal_{name}")).to_string()
            }
        }
    }

    /// Why the table refused a command.
    pub fn command_refused(&self, r: &CommandRefused) -> String {
        let s = self.strings;
        let n = |key: &str, v: String| s.fmt(key, &[("n", &v)]);
        match r {
            CommandRefused::Decision(refusal) => self.refusal(refusal),
            CommandRefused::UnknownTeam(t) => n("refused_UnknownTeam", t.to_string()),
            CommandRefused::NoSuchPending(i) => n("refused_NoSuchPending", i.to_string()),
            CommandRefused::NoSuchBranch(i) => n("refused_NoSuchBranch", i.to_string()),
            CommandRefused::BranchElsewhere(i) => n("refused_BranchElsewhere", i.to_string()),
            CommandRefused::InvalidOverride(what) => {
                s.fmt("refused_InvalidOverride", &[("what", what)])
            }
            CommandRefused::BadRewind { to, played } => s.fmt(
                "refused_BadRewind",
                &[("to", &to.to_string()), ("played", &played.to_string())],
            ),
            other => {
                let name = format!("{other:?}");
                s.get(&format!("refused_{name}")).to_string()
            }
        }
    }

    /// What a message told its recipient.
    pub fn facts(&self, _to: OrgIdx, f: &Facts) -> String {
        let mut lines = Vec::new();
        for c in &f.compromises {
            lines.push(
                self.strings
                    .fmt("intel_compromise", &[("asset", &self.asset(c.asset))]),
            );
        }
        for a in &f.indicators {
            lines.push(
                self.strings
                    .fmt("intel_indicators", &[("n", &(a + 1).to_string())]),
            );
        }
        for l in &f.leads {
            lines.push(self.strings.fmt(
                "intel_lead",
                &[("n", &(l.attacker + 1).to_string()), ("who", &l.points_to)],
            ));
        }
        if lines.is_empty() {
            return self.strings.get("no_details").to_string();
        }
        lines.join("\n")
    }

    /// One line for the timeline.
    pub fn event(&self, e: &Event) -> (String, Tone) {
        let s = self.strings;
        let a = |x: &AssetIdx| self.asset(*x);
        let at = |x: &AttackerIdx| self.attacker(*x);
        let o = |x: &OrgIdx| self.org(*x);
        match e {
            Event::InjectFired { inject, .. } => {
                let title = self
                    .scenario
                    .injects
                    .get(*inject as usize)
                    .map_or_else(String::new, |i| self.strings.text(&i.title).to_string());
                (s.fmt("ev_inject", &[("title", &title)]), Tone::Normal)
            }
            Event::AdHocInject { title, .. } => (
                s.fmt("ev_inject", &[("title", self.strings.text(title))]),
                Tone::Normal,
            ),
            Event::Overridden { change, reason } => (
                s.fmt(
                    "ev_overridden",
                    &[("what", &self.change(change)), ("reason", reason)],
                ),
                Tone::Hidden,
            ),
            Event::OverrideIgnored { problem, reason } => (
                s.fmt(
                    "ev_override_ignored",
                    &[("what", problem), ("reason", reason)],
                ),
                Tone::Bad,
            ),
            Event::DecisionStarted { decision, .. } => (
                s.fmt(
                    "ev_started",
                    &[
                        ("org", &o(&decision.org)),
                        ("action", &self.action(&decision.action)),
                    ],
                ),
                Tone::Normal,
            ),
            Event::DecisionRefused { decision, reason } => (
                s.fmt(
                    "ev_refused",
                    &[
                        ("org", &o(&decision.org)),
                        ("action", &self.action(&decision.action)),
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
                        ("action", &self.action(&decision.action)),
                    ],
                ),
                Tone::Good,
            ),
            Event::ActionFailed {
                decision,
                odds,
                no_complaint,
            } => (
                s.fmt(
                    if *no_complaint {
                        "ev_failed_no_complaint"
                    } else {
                        "ev_failed"
                    },
                    &[
                        ("org", &o(&decision.org)),
                        ("action", &self.action(&decision.action)),
                        ("odds", &percent(odds / 10)),
                    ],
                ),
                Tone::Bad,
            ),
            Event::TrustChanged {
                measure,
                cause,
                delta,
                now,
            } => (
                s.fmt(
                    match measure {
                        TrustMeasure::Public => "ev_public_trust",
                        TrustMeasure::Alliance => "ev_alliance_trust",
                    },
                    &[
                        ("delta", &points(*delta)),
                        ("now", &percent(*now)),
                        ("why", s.get(&format!("trust_cause_{cause:?}"))),
                    ],
                ),
                if *delta < 0 { Tone::Bad } else { Tone::Good },
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
                        ("n", &percent(*availability)),
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
            Event::Evicted { asset: y, .. } => {
                (s.fmt("ev_evicted", &[("asset", &a(y))]), Tone::Good)
            }
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
                s.fmt("ev_obj_met", &[("obj", &self.objective_title(*objective))]),
                Tone::Good,
            ),
            Event::ObjectiveFailed { objective } => (
                s.fmt(
                    "ev_obj_failed",
                    &[("obj", &self.objective_title(*objective))],
                ),
                Tone::Bad,
            ),
        }
    }

    /// A facilitator's change, naming assets, attackers, organisations
    /// and injects as people know them.
    pub fn change(&self, c: &Change) -> String {
        let s = self.strings;
        match c {
            Change::SetAvailability {
                asset,
                availability,
            } => s.fmt(
                "report_change_availability",
                &[
                    ("asset", &self.asset(*asset)),
                    ("n", &percent(*availability)),
                ],
            ),
            Change::Evict { asset, attacker } => s.fmt(
                "report_change_evict",
                &[
                    ("asset", &self.asset(*asset)),
                    ("attacker", &self.attacker(*attacker)),
                ],
            ),
            Change::SetObjective { objective, met } => s.fmt(
                if *met {
                    "report_change_objective_met"
                } else {
                    "report_change_objective_failed"
                },
                &[("obj", &self.objective_title(*objective))],
            ),
            Change::SetPublicTrust(v) => {
                s.fmt("report_change_public_trust", &[("n", &percent(*v))])
            }
            Change::SetAllianceTrust(v) => {
                s.fmt("report_change_alliance_trust", &[("n", &percent(*v))])
            }
            Change::RevealAttacker {
                organisation,
                attacker,
            } => s.fmt(
                "report_change_reveal",
                &[
                    ("org", &self.org(*organisation)),
                    ("attacker", &self.attacker(*attacker)),
                ],
            ),
            Change::AdHocInject { title, text, to } => {
                let to: Vec<&str> = to
                    .iter()
                    .filter_map(|t| self.scenario.teams.get(*t as usize))
                    .map(|t| s.text(&t.name))
                    .collect();
                s.fmt(
                    "report_change_inject",
                    &[
                        ("title", s.text(title)),
                        ("text", s.text(text)),
                        ("to", &to.join(", ")),
                    ],
                )
            }
            Change::FireInject { inject } => s.fmt(
                "report_change_fire",
                &[("title", &self.inject_title(*inject))],
            ),
            Change::HoldInject { inject, hold } => s.fmt(
                if *hold {
                    "report_change_hold"
                } else {
                    "report_change_release"
                },
                &[("title", &self.inject_title(*inject))],
            ),
        }
    }

    /// A scripted inject's title.
    pub fn inject_title(&self, i: u32) -> String {
        self.scenario.injects.get(i as usize).map_or_else(
            || format!("#{i}"),
            |x| self.strings.text(&x.title).to_string(),
        )
    }

    pub fn objective_title(&self, i: u32) -> String {
        self.scenario.objectives.get(i as usize).map_or_else(
            || format!("#{i}"),
            |x| self.strings.text(&x.title).to_string(),
        )
    }
}

/// `text` cut to `width` display columns, ending in `…` when cut.
fn cut_to_width(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > width.saturating_sub(1) {
            out.push('…');
            return out;
        }
        used += w;
        out.push(ch);
    }
    out
}

/// A permille figure as people read it: a percentage.
pub fn percent(permille: u16) -> String {
    if permille.is_multiple_of(10) {
        format!("{}%", permille / 10)
    } else {
        format!("{}.{}%", permille / 10, permille % 10)
    }
}

/// A change of a permille figure, in signed percentage points.
pub fn points(delta_permille: i32) -> String {
    let sign = if delta_permille < 0 { "−" } else { "+" };
    let d = delta_permille.unsigned_abs();
    if d.is_multiple_of(10) {
        format!("{sign}{}", d / 10)
    } else {
        format!("{sign}{}.{}", d / 10, d % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::session::i18n::Lang;

    #[test]
    fn short_names_stay_in_the_viewers_language() {
        let loaded = match load_builtin("tokyo-games", &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => panic!("{e:?}"),
        };
        let scenario = &loaded.scenario;
        let ja = Strings::new(Lang::Ja);
        let n = Narrator::new(scenario, Viewer::Facilitator, &ja);
        for o in 0..scenario.organisations.len() as OrgIdx {
            let short = n.org_short(o);
            assert!(
                UnicodeWidthStr::width(short.as_str()) <= SHORT_NAME_WIDTH,
                "{short}"
            );
            let id = scenario.organisations[o as usize].id.to_uppercase();
            let name = ja.text(&scenario.organisations[o as usize].name);
            assert!(short != id || name == id, "{short} is the English id");
        }
    }

    #[test]
    fn permille_reads_as_percent() {
        assert_eq!(percent(700), "70%");
        assert_eq!(percent(705), "70.5%");
        assert_eq!(percent(0), "0%");
        assert_eq!(points(-40), "−4");
        assert_eq!(points(15), "+1.5");
    }

    #[test]
    fn trust_moves_and_failures_say_why_in_either_language() {
        let loaded = match load_builtin("tutorial", &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => panic!("{e:?}"),
        };
        let scenario = &loaded.scenario;
        let moved = Event::TrustChanged {
            measure: crate::sim::event::TrustMeasure::Public,
            cause: crate::sim::event::TrustCause::Defacement,
            delta: -40,
            now: 660,
        };
        let failed = Event::ActionFailed {
            decision: crate::sim::decision::Decision {
                org: 0,
                action: crate::sim::decision::Action::PublicStatement,
            },
            odds: 7000,
            no_complaint: false,
        };
        for lang in [Lang::En, Lang::Ja] {
            let strings = Strings::new(lang);
            let n = Narrator::new(scenario, Viewer::Team(0), &strings);
            let (text, tone) = n.event(&moved);
            assert!(text.contains("−4") && text.contains("66%"), "{text}");
            assert!(
                !text.contains("trust_cause_"),
                "a cause has no words: {text}"
            );
            assert_eq!(tone, Tone::Bad);
            let (text, _) = n.event(&failed);
            assert!(text.contains("70%"), "{text}");
        }
    }

    #[test]
    fn attackers_are_named_to_the_facilitator_only_in_either_language() {
        let loaded = match load_builtin("tutorial", &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => panic!("{e:?}"),
        };
        let scenario = &loaded.scenario;
        let name = &scenario.attackers[0].name;
        for lang in [Lang::En, Lang::Ja] {
            let strings = Strings::new(lang);
            let team = Narrator::new(scenario, Viewer::Team(0), &strings);
            let facilitator = Narrator::new(scenario, Viewer::Facilitator, &strings);
            assert_eq!(facilitator.attacker(0), lang.pick(name));
            assert_ne!(team.attacker(0), lang.pick(name));
            assert!(team.attacker(0).contains('1'), "{}", team.attacker(0));
        }
    }
}
