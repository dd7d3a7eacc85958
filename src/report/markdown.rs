//! The after-action report as Markdown: the same content as the HTML,
//! with tables. Every text from the scenario or the log is escaped.

use std::fmt::Write;

use super::aar::{AfterActionReport, EventTone, KeyMetrics};
use super::escape::{md, md_cell};
use crate::session::i18n::Strings;

/// A table: a header row from label keys, then the rows (already escaped).
fn table(out: &mut String, s: &Strings, header: &[&str], rows: &[Vec<String>]) {
    let head: Vec<String> = header.iter().map(|k| md_cell(s.get(k))).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for r in rows {
        let _ = writeln!(out, "| {} |", r.join(" | "));
    }
    out.push('\n');
}

fn none(out: &mut String, s: &Strings) {
    let _ = writeln!(out, "{}\n", md(s.get("report_none")));
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "—".to_string(), |x| x.to_string())
}

/// Cell lines joined by a line break the table keeps.
fn lines(items: &[String]) -> String {
    items
        .iter()
        .map(|i| md_cell(i))
        .collect::<Vec<_>>()
        .join("<br>")
}

pub fn render(r: &AfterActionReport, s: &Strings) -> String {
    let mut out = String::new();
    let o = &r.overview;
    let _ = writeln!(out, "# {}\n", md(&o.title));
    let _ = writeln!(out, "*{}*\n", md(s.get("report_subtitle")));

    let _ = writeln!(out, "## {}\n", md(s.get("report_overview")));
    let threats: Vec<String> = o
        .threats
        .iter()
        .map(|t| {
            s.fmt(
                "report_threat_line",
                &[
                    ("name", &t.name),
                    ("sponsor", &t.sponsor),
                    ("objective", &t.objective),
                    ("turn", &t.start_turn.to_string()),
                    ("stages", &t.stages.join(" → ")),
                ],
            )
        })
        .collect();
    let teams: Vec<String> = o
        .teams
        .iter()
        .map(|t| {
            let orgs: Vec<&str> = t.organisations.iter().map(|x| x.name.as_str()).collect();
            format!("{} ({}): {}", t.name, t.controller_label, orgs.join(", "))
        })
        .collect();
    let params = if o.parameters.is_empty() {
        vec![s.get("report_none").to_string()]
    } else {
        o.parameters.clone()
    };
    let turns = s.fmt(
        "report_turns_value",
        &[
            ("n", &o.turns_played.to_string()),
            ("m", &o.turn_limit.to_string()),
            ("minutes", &o.turn_minutes.to_string()),
        ],
    );
    let rows = vec![
        vec![
            md_cell(s.get("report_scenario")),
            md_cell(&format!("{} ({})", o.title, o.scenario_id)),
        ],
        vec![md_cell(s.get("report_scope")), md_cell(&o.scope)],
        vec![md_cell(s.get("report_start")), md_cell(&o.start_time)],
        vec![md_cell(s.get("report_end")), md_cell(&o.end_time)],
        vec![md_cell(s.get("report_turns")), md_cell(&turns)],
        vec![md_cell(s.get("objectives")), lines(&o.objectives)],
        vec![md_cell(s.get("report_threat")), lines(&threats)],
        vec![
            md_cell(s.get("report_organisations")),
            md_cell(&o.organisations.join(", ")),
        ],
        vec![md_cell(s.get("report_teams")), lines(&teams)],
        vec![md_cell(s.get("report_seed")), o.seed.to_string()],
        vec![md_cell(s.get("report_parameters")), lines(&params)],
        vec![md_cell(s.get("report_engine")), md_cell(&o.engine)],
        vec![md_cell(s.get("report_final_hash")), md_cell(&o.final_hash)],
    ];
    table(&mut out, s, &["report_item", "report_value"], &rows);

    let _ = writeln!(out, "## {}\n", md(s.get("report_analysis")));
    let _ = writeln!(out, "{}\n", md(s.get("report_rating_rule")));
    for a in &r.objectives {
        let _ = writeln!(
            out,
            "### {} — {} — {}\n",
            md(&a.title),
            md(&a.status_label),
            md(&a.rating_label)
        );
        let _ = writeln!(out, "**{}**\n", md(s.get("report_strengths")));
        if a.strengths.is_empty() {
            none(&mut out, s);
        } else {
            for x in &a.strengths {
                let _ = writeln!(out, "- {}", md(x));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "**{}**\n", md(s.get("report_improvements")));
        if a.improvements.is_empty() {
            none(&mut out, s);
        } else {
            for x in &a.improvements {
                let _ = writeln!(out, "- {}", md(&x.text));
            }
            out.push('\n');
        }
    }

    let _ = writeln!(out, "## {}\n", md(s.get("report_intrusions")));
    if r.intrusions.is_empty() {
        none(&mut out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .intrusions
            .iter()
            .map(|x| {
                let learned: Vec<String> = x
                    .teams
                    .iter()
                    .map(|t| match (t.learned_turn, t.turns_late) {
                        (Some(l), Some(n)) => s.fmt(
                            "report_team_learned",
                            &[
                                ("team", &t.team),
                                ("turn", &l.to_string()),
                                ("n", &n.to_string()),
                            ],
                        ),
                        _ => s.fmt("report_note_never", &[("team", &t.team)]),
                    })
                    .collect();
                vec![
                    md_cell(&x.asset),
                    md_cell(&x.owner),
                    md_cell(&x.attacker),
                    x.compromised_turn.to_string(),
                    match (&x.detected_turn, &x.detected_by) {
                        (Some(t), Some(by)) => md_cell(&format!("{t} ({by})")),
                        _ => md_cell(s.get("report_never")),
                    },
                    opt(x.turns_to_detect),
                    lines(&learned),
                ]
            })
            .collect();
        table(
            &mut out,
            s,
            &[
                "report_asset",
                "owner",
                "report_attacker",
                "report_began",
                "report_detected",
                "report_turns_to_detect",
                "report_teams_learned",
            ],
            &rows,
        );
    }

    let _ = writeln!(out, "## {}\n", md(s.get("report_timeline")));
    let _ = writeln!(out, "{}\n", md(s.get("report_timeline_note")));
    let team_names: Vec<String> = r.overview.teams.iter().map(|t| t.name.clone()).collect();
    let mut header: Vec<String> = vec![
        s.get("report_turn").to_string(),
        s.get("report_time").to_string(),
        s.get("report_score").to_string(),
        s.get("report_ground_truth").to_string(),
    ];
    for t in &team_names {
        header.push(s.fmt("report_team_knew", &[("team", t)]));
    }
    let _ = writeln!(
        out,
        "| {} |",
        header
            .iter()
            .map(|h| md_cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for t in &r.timeline {
        let truth: Vec<String> = t
            .events
            .iter()
            .map(|e| {
                let mut line = md_cell(&e.text);
                if e.tone == EventTone::Hidden || !e.unseen_by.is_empty() {
                    let unseen = if e.unseen_by.len() == team_names.len() {
                        s.get("report_unseen_all").to_string()
                    } else {
                        s.fmt("report_unseen_by", &[("teams", &e.unseen_by.join(", "))])
                    };
                    line = format!("{line} *⊘ {}*", md_cell(&unseen));
                }
                if let Some(note) = &e.note {
                    line = format!("{line} — {}", md_cell(note));
                }
                line
            })
            .collect();
        let mut row = vec![
            t.turn.to_string(),
            md_cell(&t.time),
            t.score.to_string(),
            truth.join("<br>"),
        ];
        for team in &t.teams {
            let mut cell: Vec<String> = team.saw.iter().map(|x| md_cell(x)).collect();
            cell.extend(team.learned.iter().map(|x| format!("**{}**", md_cell(x))));
            row.push(cell.join("<br>"));
        }
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", md(s.get("report_decisions")));
    if r.decisions.is_empty() {
        none(&mut out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .decisions
            .iter()
            .map(|d| {
                vec![
                    d.turn.to_string(),
                    md_cell(&d.team),
                    md_cell(&d.organisation),
                    md_cell(&d.decision),
                    md_cell(&d.outcome_label),
                    md_cell(&d.detail),
                ]
            })
            .collect();
        table(
            &mut out,
            s,
            &[
                "report_turn",
                "report_team",
                "report_organisation",
                "report_decision",
                "report_outcome",
                "report_detail",
            ],
            &rows,
        );
    }

    let _ = writeln!(out, "## {}\n", md(s.get("report_facilitator")));
    let _ = writeln!(out, "### {}\n", md(s.get("report_interventions")));
    if r.facilitator.interventions.is_empty() {
        none(&mut out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .facilitator
            .interventions
            .iter()
            .map(|i| {
                vec![
                    i.turn.to_string(),
                    md_cell(&i.kind_label),
                    md_cell(&i.what),
                    md_cell(&i.reason),
                ]
            })
            .collect();
        table(
            &mut out,
            s,
            &["report_turn", "report_kind", "report_what", "report_reason"],
            &rows,
        );
    }
    let _ = writeln!(out, "### {}\n", md(s.get("report_rewinds")));
    if r.facilitator.rewinds.is_empty() {
        none(&mut out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .facilitator
            .rewinds
            .iter()
            .map(|w| {
                let turns: Vec<String> = w.abandoned_turns.iter().map(u32::to_string).collect();
                vec![
                    w.rewound_to.to_string(),
                    md_cell(&w.reason),
                    turns.join(", "),
                    w.abandoned_decisions.to_string(),
                ]
            })
            .collect();
        table(
            &mut out,
            s,
            &[
                "report_rewound_to",
                "report_reason",
                "report_abandoned_turns",
                "report_abandoned_decisions",
            ],
            &rows,
        );
    }
    let _ = writeln!(out, "### {}\n", md(s.get("report_notes")));
    if r.facilitator.notes.is_empty() {
        none(&mut out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .facilitator
            .notes
            .iter()
            .map(|n| vec![n.turn.to_string(), md_cell(&n.at), md_cell(&n.text)])
            .collect();
        table(
            &mut out,
            s,
            &["report_turn", "report_note_time", "report_note"],
            &rows,
        );
    }

    let _ = writeln!(out, "## {}\n", md(s.get("report_metrics")));
    let rows: Vec<Vec<String>> = metric_rows(&r.metrics, s)
        .into_iter()
        .map(|(k, v)| vec![md_cell(&k), md_cell(&v)])
        .collect();
    table(&mut out, s, &["report_metric", "report_value"], &rows);

    let _ = writeln!(out, "## {}\n", md(s.get("report_appendix_a")));
    if r.improvement_plan.is_empty() {
        none(&mut out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .improvement_plan
            .iter()
            .map(|i| {
                vec![
                    md_cell(&i.capability),
                    md_cell(&i.issue),
                    md_cell(&i.corrective_action),
                    md_cell(&i.element_label),
                    md_cell(&i.organisation),
                    md_cell(&i.point_of_contact),
                    md_cell(&i.start_date),
                    md_cell(&i.completion_date),
                ]
            })
            .collect();
        table(&mut out, s, &PLAN_COLUMNS, &rows);
    }

    let _ = writeln!(out, "## {}\n", md(s.get("report_appendix_b")));
    let rows: Vec<Vec<String>> = r
        .participants
        .teams
        .iter()
        .map(|t| {
            let orgs: Vec<String> = t
                .organisations
                .iter()
                .map(|x| format!("{} ({}, {})", x.name, x.nation, x.kind))
                .collect();
            vec![md_cell(&t.name), md_cell(&t.controller_label), lines(&orgs)]
        })
        .collect();
    table(
        &mut out,
        s,
        &["report_team", "report_controller", "report_organisations"],
        &rows,
    );
    if !r.participants.others.is_empty() {
        let _ = writeln!(out, "**{}**\n", md(s.get("report_other_organisations")));
        for x in &r.participants.others {
            let _ = writeln!(
                out,
                "- {} ({}, {})",
                md(&x.name),
                md(&x.nation),
                md(&x.kind)
            );
        }
        out.push('\n');
    }
    out
}

/// The improvement plan's columns, as label keys.
pub const PLAN_COLUMNS: [&str; 8] = [
    "report_capability",
    "report_issue",
    "report_corrective_action",
    "report_element",
    "report_responsible",
    "report_contact",
    "report_start_date",
    "report_completion_date",
];

/// The key metrics as (label, value) pairs, for both renderers.
pub fn metric_rows(m: &KeyMetrics, s: &Strings) -> Vec<(String, String)> {
    let l = |k: &str| s.get(k).to_string();
    vec![
        (l("report_final_score"), format!("{}/100", m.final_score)),
        (
            l("report_objectives_met"),
            s.fmt(
                "report_objectives_value",
                &[
                    ("met", &m.objectives_met.to_string()),
                    ("failed", &m.objectives_failed.to_string()),
                    ("pending", &m.objectives_pending.to_string()),
                    ("total", &m.objectives_total.to_string()),
                ],
            ),
        ),
        (
            l("report_public_trust"),
            format!("{}‰", m.public_trust_permille),
        ),
        (
            l("report_alliance_trust"),
            format!("{}‰", m.alliance_trust_permille),
        ),
        (l("report_records_stolen"), m.records_stolen.to_string()),
        (
            l("report_assets_compromised"),
            m.assets_compromised.to_string(),
        ),
        (l("report_assets_detected"), m.assets_detected.to_string()),
        (
            l("report_never_detected"),
            m.intrusions_never_detected.to_string(),
        ),
        (l("report_mean_ttd"), opt(m.mean_turns_to_detect)),
        (l("report_max_ttd"), opt(m.max_turns_to_detect)),
        (l("report_outages"), m.outages.to_string()),
        (l("report_down_at_end"), m.assets_down_at_end.to_string()),
        (
            l("report_customer_hours"),
            m.customer_hours_lost.to_string(),
        ),
        (
            l("report_peak_impact"),
            format!("{}‰", m.peak_impact_permille),
        ),
        (l("report_decisions_taken"), m.decisions_taken.to_string()),
        (
            l("report_decisions_refused"),
            m.decisions_refused.to_string(),
        ),
    ]
}
