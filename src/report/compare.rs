//! Two logs of one scenario and seed side by side: where their lines of
//! play part (the first turn whose chained hash differs) and how the
//! outcomes differ. Logs of different scenarios or seeds are refused.

use std::fmt::Write;

use serde::Serialize;

use super::aar::{self, AfterActionReport};
use super::escape::{html as esc, md, md_cell};
use super::markdown::metric_rows;
use crate::perspective::Viewer;
use crate::session::i18n::{Lang, Strings};
use crate::session::log::SessionLog;
use crate::session::narrator::Narrator;
use crate::session::replay::ReplayError;

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(
        "the logs are of different scenarios ('{a}' and '{b}'); only runs of one scenario compare"
    )]
    Scenario { a: String, b: String },
    #[error(
        "the logs embed different scenario files (source hashes {a} and {b}); only runs of the same files compare"
    )]
    Sources { a: String, b: String },
    #[error(
        "the logs have different seeds ({a} and {b}); only runs of one seed share a line of play"
    )]
    Seed { a: u64, b: u64 },
    #[error("log {which}: {error}")]
    Replay {
        which: &'static str,
        #[source]
        error: ReplayError,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub scenario_id: String,
    pub title: String,
    pub seed: u64,
    pub a: Side,
    pub b: Side,
    /// Turns both logs share, hash for hash.
    pub shared_turns: u32,
    /// The first turn whose chained hash differs; `None` when the logs
    /// hold the same turns.
    pub divergence_turn: Option<u32>,
    /// Header fields that differ (parameters, who played each team): they
    /// part the lines before the first turn.
    pub header_differences: Vec<String>,
    /// Decisions and overrides of the divergence turn found in one log only.
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
    pub objectives: Vec<SideBySide>,
    pub metrics: Vec<SideBySide>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub name: String,
    pub turns_played: u32,
    pub final_score: u32,
    pub final_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SideBySide {
    pub name: String,
    pub a: String,
    pub b: String,
    pub differs: bool,
}

/// Compares two logs; `names` are how the report calls them (their paths).
pub fn compare(
    a: &SessionLog,
    b: &SessionLog,
    names: (&str, &str),
    lang: Lang,
) -> Result<Comparison, CompareError> {
    if a.scenario != b.scenario {
        return Err(CompareError::Scenario {
            a: a.scenario.clone(),
            b: b.scenario.clone(),
        });
    }
    if a.source_hash != b.source_hash {
        return Err(CompareError::Sources {
            a: a.source_hash.clone(),
            b: b.source_hash.clone(),
        });
    }
    if a.seed != b.seed {
        return Err(CompareError::Seed {
            a: a.seed,
            b: b.seed,
        });
    }
    let (ra, scenario) = aar::build_with_scenario(a, lang)
        .map_err(|error| CompareError::Replay { which: "A", error })?;
    let rb = aar::build(b, lang).map_err(|error| CompareError::Replay { which: "B", error })?;
    let strings = Strings::new(lang);
    let s = &strings;

    let mut header_differences = Vec::new();
    if a.parameters != b.parameters {
        header_differences.push(s.fmt(
            "report_cmp_parameters",
            &[
                ("a", &a.parameters.join(" ")),
                ("b", &b.parameters.join(" ")),
            ],
        ));
    }
    for (ta, tb) in a.teams.iter().zip(&b.teams) {
        if ta.controller != tb.controller {
            header_differences.push(s.fmt(
                "report_cmp_controller",
                &[
                    ("team", &ta.team),
                    ("a", &ta.controller),
                    ("b", &tb.controller),
                ],
            ));
        }
    }
    let shared_turns = if a.header_hash != b.header_hash {
        0
    } else {
        a.turns
            .iter()
            .zip(&b.turns)
            .take_while(|(x, y)| x.state_hash == y.state_hash)
            .count() as u32
    };
    let divergence_turn = (shared_turns as usize) < a.turns.len().max(b.turns.len());
    let divergence_turn = divergence_turn.then_some(shared_turns + 1);

    let (only_in_a, only_in_b) = match divergence_turn {
        Some(turn) => {
            let narrator = Narrator::new(&scenario, Viewer::Facilitator, s);
            let inputs =
                |log: &SessionLog| -> Vec<String> {
                    log.turns
                        .get(turn as usize - 1)
                        .map(|t| {
                            t.decisions
                                .iter()
                                .map(|d| narrator.decision(d))
                                .chain(t.overrides.iter().map(|o| {
                                    s.fmt("report_cmp_override", &[("reason", &o.reason)])
                                }))
                                .collect()
                        })
                        .unwrap_or_default()
                };
            let (ia, ib) = (inputs(a), inputs(b));
            (
                ia.iter().filter(|x| !ib.contains(x)).cloned().collect(),
                ib.iter().filter(|x| !ia.contains(x)).cloned().collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };

    let objectives = ra
        .objectives
        .iter()
        .zip(&rb.objectives)
        .map(|(x, y)| SideBySide {
            name: x.title.clone(),
            a: x.status_label.clone(),
            b: y.status_label.clone(),
            differs: x.status != y.status,
        })
        .collect();
    let metrics = metric_rows(&ra.metrics, s)
        .into_iter()
        .zip(metric_rows(&rb.metrics, s))
        .map(|((name, va), (_, vb))| SideBySide {
            differs: va != vb,
            name,
            a: va,
            b: vb,
        })
        .collect();
    let side = |name: &str, r: &AfterActionReport| Side {
        name: name.to_string(),
        turns_played: r.overview.turns_played,
        final_score: r.metrics.final_score,
        final_hash: r.overview.final_hash.clone(),
    };
    Ok(Comparison {
        scenario_id: ra.overview.scenario_id.clone(),
        title: ra.overview.title.clone(),
        seed: a.seed,
        a: side(names.0, &ra),
        b: side(names.1, &rb),
        shared_turns,
        divergence_turn,
        header_differences,
        only_in_a,
        only_in_b,
        objectives,
        metrics,
    })
}

fn divergence_text(c: &Comparison, s: &Strings) -> String {
    match c.divergence_turn {
        Some(t) => s.fmt(
            "report_cmp_diverge",
            &[("turn", &t.to_string()), ("n", &c.shared_turns.to_string())],
        ),
        None => s.fmt("report_cmp_same", &[("n", &c.shared_turns.to_string())]),
    }
}

pub fn markdown(c: &Comparison, s: &Strings) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {}\n",
        md(&c.title),
        md(s.get("report_cmp_title"))
    );
    let _ = writeln!(
        out,
        "- A: `{}`\n- B: `{}`\n- {}: {}\n",
        md(&c.a.name),
        md(&c.b.name),
        md(s.get("report_seed")),
        c.seed
    );
    let _ = writeln!(out, "## {}\n", md(s.get("report_cmp_divergence")));
    let _ = writeln!(out, "{}\n", md(&divergence_text(c, s)));
    for d in &c.header_differences {
        let _ = writeln!(out, "- {}", md(d));
    }
    if !c.header_differences.is_empty() {
        out.push('\n');
    }
    for (label, items) in [
        ("report_cmp_only_a", &c.only_in_a),
        ("report_cmp_only_b", &c.only_in_b),
    ] {
        if !items.is_empty() {
            let _ = writeln!(out, "**{}**\n", md(s.get(label)));
            for i in items {
                let _ = writeln!(out, "- {}", md(i));
            }
            out.push('\n');
        }
    }
    for (title, rows) in [
        ("objectives", &c.objectives),
        ("report_cmp_metrics", &c.metrics),
    ] {
        let _ = writeln!(out, "## {}\n", md(s.get(title)));
        let _ = writeln!(out, "| {} | A | B | |", md_cell(s.get("report_item")));
        out.push_str("|---|---|---|---|\n");
        for r in rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md_cell(&r.name),
                md_cell(&r.a),
                md_cell(&r.b),
                if r.differs { "≠" } else { "" }
            );
        }
        out.push('\n');
    }
    out
}

pub fn html(c: &Comparison, s: &Strings) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:24px}}table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #d0d7de;padding:4px 8px;text-align:left}}tr.differs td{{background:#fff8c5}}@media print{{body{{padding:0}}tr.differs td{{background:none;font-weight:600}}}}</style>\n</head>\n<body>\n",
        match s.lang() {
            Lang::En => "en",
            Lang::Ja => "ja",
        },
        esc(&c.title),
        esc(s.get("report_cmp_title"))
    );
    let _ = writeln!(
        out,
        "<h1>{} — {}</h1><ul><li>A: <code>{}</code></li><li>B: <code>{}</code></li><li>{}: {}</li></ul>",
        esc(&c.title),
        esc(s.get("report_cmp_title")),
        esc(&c.a.name),
        esc(&c.b.name),
        esc(s.get("report_seed")),
        c.seed
    );
    let _ = writeln!(
        out,
        "<h2>{}</h2><p>{}</p>",
        esc(s.get("report_cmp_divergence")),
        esc(&divergence_text(c, s))
    );
    let list = |out: &mut String, items: &[String]| {
        if !items.is_empty() {
            out.push_str("<ul>");
            for i in items {
                let _ = write!(out, "<li>{}</li>", esc(i));
            }
            out.push_str("</ul>");
        }
    };
    list(&mut out, &c.header_differences);
    for (label, items) in [
        ("report_cmp_only_a", &c.only_in_a),
        ("report_cmp_only_b", &c.only_in_b),
    ] {
        if !items.is_empty() {
            let _ = write!(out, "<h3>{}</h3>", esc(s.get(label)));
            list(&mut out, items);
        }
    }
    for (title, rows) in [
        ("objectives", &c.objectives),
        ("report_cmp_metrics", &c.metrics),
    ] {
        let _ = write!(
            out,
            "<h2>{}</h2><table><thead><tr><th>{}</th><th>A</th><th>B</th></tr></thead><tbody>",
            esc(s.get(title)),
            esc(s.get("report_item"))
        );
        for r in rows {
            let _ = write!(
                out,
                "<tr{}><td>{}</td><td>{}</td><td>{}</td></tr>",
                if r.differs { " class=\"differs\"" } else { "" },
                esc(&r.name),
                esc(&r.a),
                esc(&r.b)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
