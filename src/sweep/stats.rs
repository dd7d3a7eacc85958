//! The summary of a sweep, from its rows alone: per arm the spread of the
//! score, each objective's success rate and the metrics' means; each later
//! arm paired by seed with the first, with a bootstrap 95% interval whose
//! resampling is seeded, so the same rows always give the same summary.

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::table::{METRICS, Table};

/// Bootstrap resamples per interval.
pub const BOOTSTRAP_RESAMPLES: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub median: f64,
    pub p5: f64,
    pub p95: f64,
    pub sd: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricMean {
    pub name: String,
    /// Runs where the metric had a value.
    pub runs: usize,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub name: String,
    /// Seeds where both arms had a value.
    pub seeds: usize,
    pub mean: Option<f64>,
    pub ci95: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paired {
    pub against: String,
    pub seeds: usize,
    /// Seeds whose final state is the same in both arms.
    pub identical_final_state: usize,
    pub score: Difference,
    pub metrics: Vec<Difference>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmSummary {
    pub arm: String,
    pub runs: usize,
    pub score: Spread,
    /// (objective id, share of runs that met it).
    pub objectives_met: Vec<(String, f64)>,
    pub metrics: Vec<MetricMean>,
    pub paired: Option<Paired>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub seeds: usize,
    pub first_seed: Option<u64>,
    pub last_seed: Option<u64>,
    pub arms: Vec<ArmSummary>,
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Linear interpolation between order statistics (the usual "type 7").
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn spread(xs: &[f64]) -> Spread {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let m = mean(xs).unwrap_or(0.0);
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64
    } else {
        0.0
    };
    Spread {
        mean: m,
        median: quantile(&sorted, 0.5),
        p5: quantile(&sorted, 0.05),
        p95: quantile(&sorted, 0.95),
        sd: var.sqrt(),
    }
}

/// Percentile bootstrap of the mean, resampling seeded by `label`.
pub fn bootstrap_ci(diffs: &[f64], label: &str) -> Option<(f64, f64)> {
    if diffs.len() < 2 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(xxhash_rust::xxh3::xxh3_64(label.as_bytes()));
    let n = diffs.len();
    let mut means: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| {
            let mut sum = 0.0;
            for _ in 0..n {
                sum += diffs[rng.random_range(0..n)];
            }
            sum / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    Some((quantile(&means, 0.025), quantile(&means, 0.975)))
}

fn difference(
    name: &str,
    label: &str,
    pairs: impl Iterator<Item = (Option<i64>, Option<i64>)>,
) -> Difference {
    let diffs: Vec<f64> = pairs.filter_map(|(a, b)| Some((b? - a?) as f64)).collect();
    Difference {
        name: name.to_string(),
        seeds: diffs.len(),
        mean: mean(&diffs),
        ci95: bootstrap_ci(&diffs, &format!("{label}/{name}")),
    }
}

/// Summarises a sorted table (see [`Table::sorted`]).
pub fn summarise(table: &Table) -> Summary {
    let arms = table.arms();
    let k = arms.len().max(1);
    let per_arm = |a: usize| table.rows.iter().skip(a).step_by(k);
    let mut out = Vec::new();
    for (a, label) in arms.iter().enumerate() {
        let scores: Vec<f64> = per_arm(a).map(|r| r.score as f64).collect();
        let runs = scores.len();
        let objectives_met = table
            .objective_ids
            .iter()
            .enumerate()
            .map(|(o, id)| {
                let met = per_arm(a).filter(|r| r.objectives[o] == "met").count();
                (id.clone(), met as f64 / runs.max(1) as f64)
            })
            .collect();
        let metrics = METRICS
            .iter()
            .enumerate()
            .map(|(m, (name, _))| {
                let values: Vec<f64> = per_arm(a)
                    .filter_map(|r| r.metrics[m])
                    .map(|v| v as f64)
                    .collect();
                MetricMean {
                    name: name.to_string(),
                    runs: values.len(),
                    mean: mean(&values),
                }
            })
            .collect();
        let paired = (a > 0).then(|| {
            let pairs = || per_arm(0).zip(per_arm(a));
            Paired {
                against: arms[0].to_string(),
                seeds: runs,
                identical_final_state: pairs()
                    .filter(|(x, y)| x.final_state_hash == y.final_state_hash)
                    .count(),
                score: difference(
                    "score",
                    label,
                    pairs().map(|(x, y)| (Some(x.score), Some(y.score))),
                ),
                metrics: METRICS
                    .iter()
                    .enumerate()
                    .map(|(m, (name, _))| {
                        difference(
                            name,
                            label,
                            pairs().map(|(x, y)| (x.metrics[m], y.metrics[m])),
                        )
                    })
                    .collect(),
            }
        });
        out.push(ArmSummary {
            arm: label.to_string(),
            runs,
            score: spread(&scores),
            objectives_met,
            metrics,
            paired,
        });
    }
    Summary {
        seeds: table.rows.len() / k,
        first_seed: table.rows.first().map(|r| r.seed),
        last_seed: table.rows.last().map(|r| r.seed),
        arms: out,
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
}

fn fmt_ci(ci: Option<(f64, f64)>) -> String {
    ci.map_or_else(String::new, |(lo, hi)| format!(" [{lo:+.2}, {hi:+.2}]"))
}

impl Summary {
    /// The readable summary `sweep` and `merge` print.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let seeds = match (self.first_seed, self.last_seed) {
            (Some(a), Some(b)) => format!("seeds {a}..={b}"),
            _ => "no seeds".into(),
        };
        s.push_str(&format!(
            "{} runs: {seeds} ({} seeds) × {} arms\n\n",
            self.seeds * self.arms.len(),
            self.seeds,
            self.arms.len()
        ));
        let width = self
            .arms
            .iter()
            .map(|a| a.arm.chars().count())
            .max()
            .unwrap_or(3)
            .max(3);
        s.push_str(&format!(
            "{:<width$}  {:>6}  {:>7} {:>7} {:>7} {:>7} {:>7}\n",
            "arm", "runs", "mean", "median", "p5", "p95", "sd"
        ));
        for a in &self.arms {
            s.push_str(&format!(
                "{:<width$}  {:>6}  {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2}\n",
                a.arm, a.runs, a.score.mean, a.score.median, a.score.p5, a.score.p95, a.score.sd
            ));
        }
        if let Some(first) = self.arms.first() {
            s.push_str("\nobjectives met (share of runs)\n");
            for (o, (id, _)) in first.objectives_met.iter().enumerate() {
                let rates: Vec<String> = self
                    .arms
                    .iter()
                    .map(|a| format!("{}: {:.3}", a.arm, a.objectives_met[o].1))
                    .collect();
                s.push_str(&format!("  {id:<24} {}\n", rates.join("  ")));
            }
            s.push_str("\nmetrics (mean over runs where they happened)\n");
            for (m, (name, _)) in METRICS.iter().enumerate() {
                let means: Vec<String> = self
                    .arms
                    .iter()
                    .map(|a| format!("{}: {}", a.arm, fmt_opt(a.metrics[m].mean)))
                    .collect();
                s.push_str(&format!("  {name:<30} {}\n", means.join("  ")));
            }
        }
        for a in self.arms.iter().skip(1) {
            let Some(p) = &a.paired else { continue };
            s.push_str(&format!(
                "\n{} − {} (paired by seed; mean difference, 95% bootstrap CI)\n",
                a.arm, p.against
            ));
            s.push_str(&format!(
                "  final state identical on {}/{} seeds\n",
                p.identical_final_state, p.seeds
            ));
            for d in std::iter::once(&p.score).chain(&p.metrics) {
                if d.seeds == 0 {
                    continue;
                }
                s.push_str(&format!(
                    "  {:<30} {:>+9.2}{}  (n={})\n",
                    d.name,
                    d.mean.unwrap_or(0.0),
                    fmt_ci(d.ci95),
                    d.seeds
                ));
            }
        }
        s
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&xs, 0.5), 3.0);
        assert_eq!(quantile(&xs, 0.0), 1.0);
        assert_eq!(quantile(&xs, 1.0), 5.0);
        assert!((quantile(&xs, 0.05) - 1.2).abs() < 1e-12);
        let s = spread(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.mean, 5.0);
        assert!((s.sd - 2.138_089_935).abs() < 1e-6);
    }

    #[test]
    fn the_bootstrap_is_seeded_and_brackets_the_mean() {
        let diffs: Vec<f64> = (0..200).map(|i| f64::from(i % 7) - 1.0).collect();
        let a = bootstrap_ci(&diffs, "x");
        assert_eq!(a, bootstrap_ci(&diffs, "x"), "same rows, same interval");
        let (lo, hi) = a.expect("an interval");
        let m = mean(&diffs).expect("a mean");
        assert!(lo < m && m < hi, "{lo} < {m} < {hi}");
        assert!(lo > 1.5 && hi < 2.5, "tight around 2: [{lo}, {hi}]");
        assert_eq!(bootstrap_ci(&[0.0; 50], "x"), Some((0.0, 0.0)));
    }
}
