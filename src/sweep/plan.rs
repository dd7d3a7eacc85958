//! What a sweep runs: a range of seeds (or one shard of it) and the arms,
//! each a scenario with its parameters and who plays each team.

use std::fmt;
use std::str::FromStr;

use crate::scenario::diagnostics::ScenarioError;
use crate::scenario::load::Loaded;
use crate::scenario::params;
use crate::session::Controller;

/// Seeds `A..B` (B excluded) or `A..=B` (B included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedRange {
    pub start: u64,
    /// One past the last seed.
    pub end: u64,
}

impl SeedRange {
    pub fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Display for SeedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Most runs one sweep may plan, seeds times arms: a mistyped range is
/// refused at once rather than run for days.
pub const MAX_RUNS: u64 = 100_000_000;

impl FromStr for SeedRange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("--seeds '{s}': expected A..B (B excluded) or A..=B, e.g. 1..401");
        let (a, b, inclusive) = if let Some((a, b)) = s.split_once("..=") {
            (a, b, true)
        } else if let Some((a, b)) = s.split_once("..") {
            (a, b, false)
        } else {
            return Err(bad());
        };
        let start: u64 = a.trim().parse().map_err(|_| bad())?;
        let last: u64 = b.trim().parse().map_err(|_| bad())?;
        let end = if inclusive {
            last.checked_add(1).ok_or_else(bad)?
        } else {
            last
        };
        if end <= start {
            return Err(format!("--seeds '{s}' holds no seed"));
        }
        Ok(SeedRange { start, end })
    }
}

/// The K-th of N disjoint, contiguous slices of the seeds (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// This shard's seeds. Every seed of `seeds` is in exactly one shard.
    pub fn slice(&self, seeds: SeedRange) -> SeedRange {
        let len = u128::from(seeds.len());
        let at = |k: u64| seeds.start + (len * u128::from(k) / u128::from(self.count)) as u64;
        SeedRange {
            start: at(self.index - 1),
            end: at(self.index),
        }
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("--shard '{s}': expected K/N with 1 ≤ K ≤ N, e.g. 3/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// One arm: a label, the scenario with its parameters, and controllers.
#[derive(Debug, Clone)]
pub struct Arm {
    pub label: String,
    pub loaded: Loaded,
    pub controllers: Vec<Controller>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub arms: Vec<Arm>,
    pub seeds: SeedRange,
    pub shard: Shard,
}

impl Plan {
    /// Every arm over every seed of `seeds`, in one process.
    pub fn whole(arms: Vec<Arm>, seeds: std::ops::Range<u64>) -> Plan {
        Plan {
            arms,
            seeds: SeedRange {
                start: seeds.start,
                end: seeds.end,
            },
            shard: Shard::WHOLE,
        }
    }

    /// The seeds this process runs.
    pub fn seeds_here(&self) -> SeedRange {
        self.shard.slice(self.seeds)
    }
}

/// Why a plan cannot be made.
#[derive(Debug)]
pub enum PlanError {
    /// A flag's text is wrong.
    Flag(String),
    /// A parameter does not apply to the scenario.
    Scenario(ScenarioError),
}

/// The arms: the base (its `--team` and `--set` already applied), then one
/// per `--vs ID=POLICY`, then one per value of each `--vary PATH=V1,V2`.
pub fn arms(
    base: &Loaded,
    base_controllers: &[Controller],
    vs: &[(String, Controller)],
    vary: &[String],
) -> Result<Vec<Arm>, PlanError> {
    let mut arms = vec![Arm {
        label: "base".into(),
        loaded: base.clone(),
        controllers: base_controllers.to_vec(),
    }];
    for (team, controller) in vs {
        let Some(t) = base.scenario.team_index(team) else {
            let known: Vec<&str> = base.scenario.teams.iter().map(|t| t.id.as_str()).collect();
            return Err(PlanError::Flag(format!(
                "--vs '{team}={controller}': the scenario has no team '{team}' (teams: {})",
                known.join(", ")
            )));
        };
        let mut controllers = base_controllers.to_vec();
        controllers[t as usize] = *controller;
        arms.push(Arm {
            label: format!("{team}={controller}"),
            loaded: base.clone(),
            controllers,
        });
    }
    for v in vary {
        let Some((path, values)) = v.split_once('=') else {
            return Err(PlanError::Flag(format!(
                "--vary '{v}': expected PATH=V1,V2,…, e.g. organisations.cisa.staff=12,24"
            )));
        };
        for value in split_values(values) {
            let set = format!("{path}={value}");
            let loaded =
                params::apply_all(base, std::slice::from_ref(&set)).map_err(PlanError::Scenario)?;
            arms.push(Arm {
                label: set,
                loaded,
                controllers: base_controllers.to_vec(),
            });
        }
    }
    let mut labels: Vec<&str> = arms.iter().map(|a| a.label.as_str()).collect();
    labels.sort_unstable();
    if let Some(w) = labels.windows(2).find(|w| w[0] == w[1]) {
        return Err(PlanError::Flag(format!(
            "the arm '{}' is asked for twice",
            w[0]
        )));
    }
    Ok(arms)
}

/// Splits `V1,V2,…` at commas outside brackets, so list values such as
/// `[(points_to: "X", strength: 500)],[]` stay whole.
pub fn split_values(values: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut in_string) = (0i32, 0, false);
    for (i, c) in values.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if depth == 0 && !in_string => {
                out.push(values[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(values[start..].trim());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_ranges_read_like_rust() {
        assert_eq!("1..401".parse(), Ok(SeedRange { start: 1, end: 401 }));
        assert_eq!("1..=400".parse(), Ok(SeedRange { start: 1, end: 401 }));
        assert!("5..5".parse::<SeedRange>().is_err());
        assert!("a..b".parse::<SeedRange>().is_err());
        assert!("0..=18446744073709551615".parse::<SeedRange>().is_err());
    }

    #[test]
    fn shards_cover_every_seed_once() {
        let seeds = SeedRange { start: 7, end: 110 };
        for count in 1..=9 {
            let mut next = seeds.start;
            for index in 1..=count {
                let s = Shard { index, count }.slice(seeds);
                assert_eq!(s.start, next, "{index}/{count} starts where the last ended");
                next = s.end;
            }
            assert_eq!(next, seeds.end);
        }
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
    }

    #[test]
    fn vary_values_split_outside_brackets() {
        assert_eq!(split_values("1,2, 3"), ["1", "2", "3"]);
        assert_eq!(
            split_values(r#"[],[(points_to: "a,b", strength: 5)]"#),
            ["[]", r#"[(points_to: "a,b", strength: 5)]"#]
        );
    }
}
