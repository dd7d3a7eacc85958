//! The after-action report as one self-contained HTML file: inline CSS
//! (with print styles) and inline SVG charts, no scripts and no outside
//! references, so it can be mailed, archived and printed as it is. Every
//! text from the scenario or the log is escaped.

use std::fmt::Write;

use super::aar::{AfterActionReport, EventTone, Rating, Status};
use super::chart::{Chart, Line};
use super::escape::html as esc;
use super::markdown::{PLAN_COLUMNS, metric_rows};
use crate::session::i18n::Strings;

const STYLE: &str = r#"
:root { --ink: #1b1f24; --muted: #5b6570; --line: #d0d7de; --bg: #ffffff; --band: #f4f6f8;
  --good: #1a7f37; --bad: #b42318; --warn: #9a6700; --hidden: #6e40c9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", sans-serif;
  color: var(--ink); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 64px; }
header.cover { border-bottom: 3px solid var(--ink); margin-bottom: 20px; padding-bottom: 12px; }
header.cover h1 { margin: 0 0 4px; font-size: 28px; }
header.cover p { margin: 0; color: var(--muted); }
h2 { margin-top: 36px; padding-bottom: 4px; border-bottom: 1px solid var(--line); font-size: 21px; }
h3 { margin: 22px 0 6px; font-size: 17px; }
nav.toc ul { columns: 2; margin: 0; padding-left: 20px; list-style: none; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 5px 7px; vertical-align: top; text-align: left; }
th { background: var(--band); }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; white-space: nowrap; }
ul.cell { margin: 0; padding-left: 16px; }
.status-met { color: var(--good); font-weight: 600; }
.status-failed { color: var(--bad); font-weight: 600; }
.status-pending { color: var(--warn); font-weight: 600; }
.rating { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12.5px; border: 1px solid currentColor; }
.rating-p { color: var(--good); } .rating-s { color: var(--warn); } .rating-m, .rating-u { color: var(--bad); }
.ev-good { color: var(--good); } .ev-bad { color: var(--bad); } .ev-hidden { color: var(--hidden); }
.unseen { font-size: 12px; color: var(--hidden); font-style: italic; }
.note { font-size: 12px; color: var(--muted); }
.learned { font-weight: 600; }
.objective { border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px 10px; margin: 12px 0; }
.muted { color: var(--muted); }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
svg.chart { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg.chart .grid { stroke: #eaeef2; stroke-width: 1; }
svg.chart .axis { stroke: #57606a; stroke-width: 1; }
svg.chart .tick, svg.chart .legend { font-size: 11px; fill: #57606a; }
svg.chart .axis-label { font-size: 12px; fill: #24292f; }
svg.chart .chart-title { font-size: 14px; font-weight: 600; fill: #24292f; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, .objective, svg.chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tbody tr:nth-child(even) td { background: none; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm; }
}
"#;

/// Writes a table: a header of label keys, then rows of ready cells.
fn table(out: &mut String, s: &Strings, header: &[&str], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", esc(s.get(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            let _ = write!(out, "<td>{c}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"cell\">");
    for i in items {
        let _ = write!(out, "<li>{}</li>", esc(i));
    }
    out.push_str("</ul>");
    out
}

fn none(out: &mut String, s: &Strings) {
    let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(s.get("report_none")));
}

fn section(out: &mut String, id: &str, s: &Strings, key: &str) {
    let _ = writeln!(out, "<section id=\"{id}\"><h2>{}</h2>", esc(s.get(key)));
}

const SECTIONS: [(&str, &str); 10] = [
    ("overview", "report_overview"),
    ("analysis", "report_analysis"),
    ("intrusions", "report_intrusions"),
    ("timeline", "report_timeline"),
    ("decisions", "report_decisions"),
    ("facilitator", "report_facilitator"),
    ("metrics", "report_metrics"),
    ("charts", "report_charts"),
    ("plan", "report_appendix_a"),
    ("participants", "report_appendix_b"),
];

pub fn render(r: &AfterActionReport, s: &Strings) -> String {
    let o = &r.overview;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        r.lang,
        esc(&o.title),
        esc(s.get("report_subtitle"))
    );
    let _ = writeln!(
        out,
        "<header class=\"cover\"><h1>{}</h1><p>{}</p><p>{}</p></header>",
        esc(&o.title),
        esc(s.get("report_subtitle")),
        esc(&format!("{} – {}", o.start_time, o.end_time))
    );
    out.push_str("<nav class=\"toc\"><ul>");
    for (id, key) in SECTIONS {
        let _ = write!(out, "<li><a href=\"#{id}\">{}</a></li>", esc(s.get(key)));
    }
    out.push_str("</ul></nav>\n");

    overview(&mut out, r, s);
    analysis(&mut out, r, s);
    intrusions(&mut out, r, s);
    timeline(&mut out, r, s);
    decisions(&mut out, r, s);
    facilitator(&mut out, r, s);

    section(&mut out, "metrics", s, "report_metrics");
    let rows: Vec<Vec<String>> = metric_rows(&r.metrics, s)
        .into_iter()
        .map(|(k, v)| vec![esc(&k), esc(&v)])
        .collect();
    table(&mut out, s, &["report_metric", "report_value"], &rows);
    out.push_str("</section>\n");

    charts(&mut out, r, s);
    plan(&mut out, r, s);
    participants(&mut out, r, s);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn overview(out: &mut String, r: &AfterActionReport, s: &Strings) {
    let o = &r.overview;
    section(out, "overview", s, "report_overview");
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
        esc(s.get("report_none"))
    } else {
        list(&o.parameters)
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
            esc(s.get("report_scenario")),
            esc(&format!("{} ({})", o.title, o.scenario_id)),
        ],
        vec![esc(s.get("report_scope")), esc(&o.scope)],
        vec![esc(s.get("report_start")), esc(&o.start_time)],
        vec![esc(s.get("report_end")), esc(&o.end_time)],
        vec![esc(s.get("report_turns")), esc(&turns)],
        vec![esc(s.get("objectives")), list(&o.objectives)],
        vec![esc(s.get("report_threat")), list(&threats)],
        vec![
            esc(s.get("report_organisations")),
            esc(&o.organisations.join(", ")),
        ],
        vec![esc(s.get("report_teams")), list(&teams)],
        vec![esc(s.get("report_seed")), o.seed.to_string()],
        vec![esc(s.get("report_parameters")), params],
        vec![esc(s.get("report_engine")), esc(&o.engine)],
        vec![
            esc(s.get("report_final_hash")),
            format!("<code>{}</code>", esc(&o.final_hash)),
        ],
    ];
    table(out, s, &["report_item", "report_value"], &rows);
    out.push_str("</section>\n");
}

fn rating_class(r: Rating) -> &'static str {
    match r {
        Rating::PerformedWithoutChallenges => "rating-p",
        Rating::PerformedWithSomeChallenges => "rating-s",
        Rating::PerformedWithMajorChallenges => "rating-m",
        Rating::UnableToBePerformed => "rating-u",
    }
}

fn status_class(st: Status) -> &'static str {
    match st {
        Status::Met => "status-met",
        Status::Failed => "status-failed",
        Status::Pending => "status-pending",
    }
}

fn analysis(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "analysis", s, "report_analysis");
    let _ = writeln!(
        out,
        "<p class=\"muted\">{}</p>",
        esc(s.get("report_rating_rule"))
    );
    for a in &r.objectives {
        let _ = write!(
            out,
            "<div class=\"objective\"><h3>{} <span class=\"{}\">{}</span> <span class=\"rating {}\">{}</span></h3>",
            esc(&a.title),
            status_class(a.status),
            esc(&a.status_label),
            rating_class(a.rating),
            esc(&a.rating_label)
        );
        let _ = write!(out, "<h4>{}</h4>", esc(s.get("report_strengths")));
        if a.strengths.is_empty() {
            none(out, s);
        } else {
            out.push_str(&list(&a.strengths));
        }
        let _ = write!(out, "<h4>{}</h4>", esc(s.get("report_improvements")));
        if a.improvements.is_empty() {
            none(out, s);
        } else {
            let texts: Vec<String> = a.improvements.iter().map(|f| f.text.clone()).collect();
            out.push_str(&list(&texts));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

fn intrusions(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "intrusions", s, "report_intrusions");
    if r.intrusions.is_empty() {
        none(out, s);
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
                    esc(&x.asset),
                    esc(&x.owner),
                    esc(&x.attacker),
                    x.compromised_turn.to_string(),
                    match (&x.detected_turn, &x.detected_by) {
                        (Some(t), Some(by)) => esc(&format!("{t} ({by})")),
                        _ => format!(
                            "<span class=\"ev-bad\">{}</span>",
                            esc(s.get("report_never"))
                        ),
                    },
                    x.turns_to_detect
                        .map_or_else(|| "—".to_string(), |n| n.to_string()),
                    list(&learned),
                ]
            })
            .collect();
        table(
            out,
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
    out.push_str("</section>\n");
}

fn timeline(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "timeline", s, "report_timeline");
    let _ = writeln!(
        out,
        "<p class=\"muted\">{}</p>",
        esc(s.get("report_timeline_note"))
    );
    let team_count = r.overview.teams.len();
    out.push_str("<table class=\"timeline\"><thead><tr>");
    for k in [
        "report_turn",
        "report_time",
        "report_score",
        "report_ground_truth",
    ] {
        let _ = write!(out, "<th>{}</th>", esc(s.get(k)));
    }
    for t in &r.overview.teams {
        let _ = write!(
            out,
            "<th>{}</th>",
            esc(&s.fmt("report_team_knew", &[("team", &t.name)]))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for t in &r.timeline {
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><ul class=\"cell\">",
            t.turn,
            esc(&t.time),
            t.score
        );
        for e in &t.events {
            let class = match e.tone {
                EventTone::Normal => "ev",
                EventTone::Good => "ev-good",
                EventTone::Bad => "ev-bad",
                EventTone::Hidden => "ev-hidden",
            };
            let _ = write!(out, "<li class=\"{class}\">{}", esc(&e.text));
            if !e.unseen_by.is_empty() {
                let unseen = if e.unseen_by.len() == team_count {
                    s.get("report_unseen_all").to_string()
                } else {
                    s.fmt("report_unseen_by", &[("teams", &e.unseen_by.join(", "))])
                };
                let _ = write!(out, " <span class=\"unseen\">⊘ {}</span>", esc(&unseen));
            }
            if let Some(note) = &e.note {
                let _ = write!(out, " <span class=\"note\">— {}</span>", esc(note));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul></td>");
        for team in &t.teams {
            out.push_str("<td><ul class=\"cell\">");
            for x in &team.saw {
                let _ = write!(out, "<li>{}</li>", esc(x));
            }
            for x in &team.learned {
                let _ = write!(out, "<li class=\"learned\">{}</li>", esc(x));
            }
            out.push_str("</ul></td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn decisions(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "decisions", s, "report_decisions");
    if r.decisions.is_empty() {
        none(out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .decisions
            .iter()
            .map(|d| {
                vec![
                    d.turn.to_string(),
                    esc(&d.team),
                    esc(&d.organisation),
                    esc(&d.decision),
                    esc(&d.outcome_label),
                    esc(&d.detail),
                ]
            })
            .collect();
        table(
            out,
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
    out.push_str("</section>\n");
}

fn facilitator(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "facilitator", s, "report_facilitator");
    let _ = writeln!(out, "<h3>{}</h3>", esc(s.get("report_interventions")));
    if r.facilitator.interventions.is_empty() {
        none(out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .facilitator
            .interventions
            .iter()
            .map(|i| {
                vec![
                    i.turn.to_string(),
                    esc(&i.kind_label),
                    esc(&i.what),
                    esc(&i.reason),
                ]
            })
            .collect();
        table(
            out,
            s,
            &["report_turn", "report_kind", "report_what", "report_reason"],
            &rows,
        );
    }
    let _ = writeln!(out, "<h3>{}</h3>", esc(s.get("report_rewinds")));
    if r.facilitator.rewinds.is_empty() {
        none(out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .facilitator
            .rewinds
            .iter()
            .map(|w| {
                let turns: Vec<String> = w.abandoned_turns.iter().map(u32::to_string).collect();
                vec![
                    w.rewound_to.to_string(),
                    esc(&w.reason),
                    turns.join(", "),
                    w.abandoned_decisions.to_string(),
                ]
            })
            .collect();
        table(
            out,
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
    let _ = writeln!(out, "<h3>{}</h3>", esc(s.get("report_notes")));
    if r.facilitator.notes.is_empty() {
        none(out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .facilitator
            .notes
            .iter()
            .map(|n| vec![n.turn.to_string(), esc(&n.at), esc(&n.text)])
            .collect();
        table(
            out,
            s,
            &["report_turn", "report_note_time", "report_note"],
            &rows,
        );
    }
    out.push_str("</section>\n");
}

fn charts(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "charts", s, "report_charts");
    out.push_str("<div class=\"charts\">");
    let series = &r.series;
    let x_label = s.get("report_turn");
    let assets: Vec<Line> = series
        .assets
        .iter()
        .map(|a| Line {
            name: &a.name,
            values: &a.values,
        })
        .collect();
    out.push_str(
        &Chart {
            title: s.get("report_chart_availability"),
            x_label,
            y_label: s.get("report_axis_availability"),
            x: &series.turns,
            y_max: 1000,
            lines: &assets,
        }
        .svg(),
    );
    let score_name = s.get("report_score");
    let score = [Line {
        name: score_name,
        values: &series.score,
    }];
    out.push_str(
        &Chart {
            title: s.get("report_chart_score"),
            x_label,
            y_label: score_name,
            x: &series.turns,
            y_max: 100,
            lines: &score,
        }
        .svg(),
    );
    let attackers: Vec<Line> = series
        .attackers
        .iter()
        .map(|a| Line {
            name: &a.name,
            values: &a.values,
        })
        .collect();
    let stages = series.attackers.iter().map(|a| a.max).max().unwrap_or(1);
    out.push_str(
        &Chart {
            title: s.get("report_chart_attackers"),
            x_label,
            y_label: s.get("report_axis_stages"),
            x: &series.turns,
            y_max: stages,
            lines: &attackers,
        }
        .svg(),
    );
    out.push_str("</div>\n</section>\n");
}

fn plan(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "plan", s, "report_appendix_a");
    if r.improvement_plan.is_empty() {
        none(out, s);
    } else {
        let rows: Vec<Vec<String>> = r
            .improvement_plan
            .iter()
            .map(|i| {
                vec![
                    esc(&i.capability),
                    esc(&i.issue),
                    esc(&i.corrective_action),
                    esc(&i.element_label),
                    esc(&i.organisation),
                    esc(&i.point_of_contact),
                    esc(&i.start_date),
                    esc(&i.completion_date),
                ]
            })
            .collect();
        table(out, s, &PLAN_COLUMNS, &rows);
    }
    out.push_str("</section>\n");
}

fn participants(out: &mut String, r: &AfterActionReport, s: &Strings) {
    section(out, "participants", s, "report_appendix_b");
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
            vec![esc(&t.name), esc(&t.controller_label), list(&orgs)]
        })
        .collect();
    table(
        out,
        s,
        &["report_team", "report_controller", "report_organisations"],
        &rows,
    );
    if !r.participants.others.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", esc(s.get("report_other_organisations")));
        let others: Vec<String> = r
            .participants
            .others
            .iter()
            .map(|x| format!("{} ({}, {})", x.name, x.nation, x.kind))
            .collect();
        out.push_str(&list(&others));
    }
    out.push_str("</section>\n");
}
