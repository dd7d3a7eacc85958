//! Sweep rows and their files. The columns are a documented contract
//! (docs/research.md): `seed`, `arm`, `score`, one `objective.ID` column per
//! objective (`met`, `failed` or `pending`), the metrics in [`METRICS`]
//! (empty where a turn never came), and `final_state_hash`.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::session::Session;
use crate::session::log::hex;
use crate::sim::resources::ObjectiveStatus;

/// The metric columns, in order, and what each measures.
pub const METRICS: &[(&str, &str)] = &[
    ("records_lost", "personal records stolen"),
    ("customer_hours_lost", "people without service × hours"),
    (
        "peak_impact",
        "highest criticality-weighted availability lost, permille",
    ),
    ("public_trust", "public trust at the end, permille"),
    ("alliance_trust", "alliance trust at the end, permille"),
    ("detections", "compromises detected"),
    ("compromises", "footholds the attackers gained"),
    ("first_detection", "turn of the first detection"),
    (
        "first_detection_by_government",
        "turn a government organisation first knew of a compromise",
    ),
    ("first_statement", "turn of the first public statement"),
    (
        "detection_to_statement",
        "turns from the first detection to the first public statement",
    ),
    ("article5_turn", "turn Article 5 consultations opened"),
    (
        "correct_attributions",
        "public attributions that were right",
    ),
    ("wrong_attributions", "public attributions that were wrong"),
    ("turns_played", "turns until the scenario ended"),
];

pub const HASH_COLUMN: &str = "final_state_hash";
const OBJECTIVE_PREFIX: &str = "objective.";

/// One run's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub seed: u64,
    pub arm: String,
    pub score: i64,
    /// `met`, `failed` or `pending`, one per objective.
    pub objectives: Vec<String>,
    /// One per [`METRICS`] entry; `None` where the event never happened.
    pub metrics: Vec<Option<i64>>,
    pub final_state_hash: String,
}

/// Rows with their objective ids, sorted by (seed, arm order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub objective_ids: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "csv" => Ok(Format::Csv),
            "jsonl" => Ok(Format::Jsonl),
            _ => Err(format!("unknown format '{s}': expected csv or jsonl")),
        }
    }
}

/// The row of a finished session.
pub fn row_of(session: &mut Session, seed: u64, arm: &str) -> Row {
    let hash = hex(session.state_hash());
    let read = session.sim().read();
    let objectives = read.objectives();
    let politics = read.politics();
    let metrics = read.metrics();
    let status = |s: &ObjectiveStatus| match s {
        ObjectiveStatus::Met => "met",
        ObjectiveStatus::Failed => "failed",
        ObjectiveStatus::Pending => "pending",
    };
    let correct = politics.attributions.iter().filter(|a| a.3).count() as i64;
    let wrong = politics.attributions.len() as i64 - correct;
    let values = [
        Some(metrics.records_lost as i64),
        Some((metrics.customer_minutes_lost / 60) as i64),
        Some(i64::from(metrics.peak_impact)),
        Some(i64::from(politics.public_trust)),
        Some(i64::from(politics.alliance_trust)),
        Some(i64::from(metrics.detections)),
        Some(i64::from(metrics.compromises_total)),
        politics.first_detection.map(i64::from),
        metrics.government_aware.map(i64::from),
        politics.first_statement.map(i64::from),
        politics
            .first_detection
            .zip(politics.first_statement)
            .map(|(seen, said)| i64::from(said) - i64::from(seen)),
        politics.article5_turn.map(i64::from),
        Some(correct),
        Some(wrong),
        Some(i64::from(read.turn().saturating_sub(1))),
    ];
    Row {
        seed,
        arm: arm.to_string(),
        score: i64::from(objectives.score),
        objectives: objectives.status.iter().map(|s| status(s).into()).collect(),
        metrics: values.to_vec(),
        final_state_hash: hash,
    }
}

impl Table {
    pub fn header(&self) -> Vec<String> {
        let mut h = vec!["seed".to_string(), "arm".into(), "score".into()];
        h.extend(
            self.objective_ids
                .iter()
                .map(|id| format!("{OBJECTIVE_PREFIX}{id}")),
        );
        h.extend(METRICS.iter().map(|(m, _)| m.to_string()));
        h.push(HASH_COLUMN.into());
        h
    }

    fn fields(row: &Row) -> Vec<String> {
        let mut f = vec![row.seed.to_string(), row.arm.clone(), row.score.to_string()];
        f.extend(row.objectives.iter().cloned());
        f.extend(
            row.metrics
                .iter()
                .map(|m| m.map(|v| v.to_string()).unwrap_or_default()),
        );
        f.push(row.final_state_hash.clone());
        f
    }

    pub fn to_bytes(&self, format: Format) -> Result<Vec<u8>, String> {
        match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(self.header()).map_err(|e| e.to_string())?;
                for row in &self.rows {
                    w.write_record(Self::fields(row))
                        .map_err(|e| e.to_string())?;
                }
                w.into_inner().map_err(|e| e.to_string())
            }
            Format::Jsonl => {
                let header = self.header();
                let mut out = Vec::new();
                for row in &self.rows {
                    let mut obj = Map::new();
                    obj.insert("seed".into(), json!(row.seed));
                    obj.insert("arm".into(), json!(row.arm));
                    obj.insert("score".into(), json!(row.score));
                    for (id, s) in self.objective_ids.iter().zip(&row.objectives) {
                        obj.insert(format!("{OBJECTIVE_PREFIX}{id}"), json!(s));
                    }
                    for ((name, _), v) in METRICS.iter().zip(&row.metrics) {
                        obj.insert(name.to_string(), v.map_or(Value::Null, |v| json!(v)));
                    }
                    obj.insert(HASH_COLUMN.into(), json!(row.final_state_hash));
                    debug_assert_eq!(obj.len(), header.len());
                    out.extend(Value::Object(obj).to_string().as_bytes());
                    out.push(b'\n');
                }
                Ok(out)
            }
        }
    }

    /// Reads a shard file (CSV or JSON lines, told apart by the first
    /// byte), refusing anything larger than `max_bytes`.
    pub fn read(path: &Path, max_bytes: u64) -> Result<Table, String> {
        let shown = path.display();
        let bytes = crate::store::read_bounded(path, max_bytes).map_err(|e| match e {
            crate::scenario::sources::ReadError::TooLarge { size } => format!(
                "{shown}: {} (raise it with --max-file-bytes)",
                crate::scenario::sources::ReadError::over_limit(size, max_bytes)
            ),
            other => format!("{shown}: cannot read: {other}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text"))?;
        if text.trim_start().starts_with('{') {
            Self::parse_jsonl(&shown.to_string(), &text)
        } else {
            Self::parse_csv(&shown.to_string(), &text)
        }
    }

    /// Objective ids from a header, checking the fixed columns are all there.
    fn objective_ids_from(shown: &str, header: &[String]) -> Result<Vec<String>, String> {
        let ids: Vec<String> = header
            .iter()
            .filter_map(|h| h.strip_prefix(OBJECTIVE_PREFIX).map(str::to_string))
            .collect();
        let expected = Table {
            objective_ids: ids.clone(),
            rows: Vec::new(),
        }
        .header();
        if header != expected.as_slice() {
            return Err(format!(
                "{shown}: not a sweep file of this version: the columns should be {}",
                expected.join(",")
            ));
        }
        Ok(ids)
    }

    fn parse_csv(shown: &str, text: &str) -> Result<Table, String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = r
            .headers()
            .map_err(|e| format!("{shown}:1: {e}"))?
            .iter()
            .map(str::to_string)
            .collect();
        let ids = Self::objective_ids_from(shown, &header)?;
        let mut rows = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| format!("{shown}:{line}: {e}"))?;
            let fields: Vec<&str> = rec.iter().collect();
            rows.push(Self::row_from(shown, line, &fields, ids.len())?);
        }
        Ok(Table {
            objective_ids: ids,
            rows,
        })
    }

    fn parse_jsonl(shown: &str, text: &str) -> Result<Table, String> {
        let mut ids: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let n = i + 1;
            let obj: Map<String, Value> =
                serde_json::from_str(line).map_err(|e| format!("{shown}:{n}: {e}"))?;
            let header: Vec<String> = obj.keys().cloned().collect();
            let these = {
                let found: Vec<String> = header
                    .iter()
                    .filter_map(|h| h.strip_prefix(OBJECTIVE_PREFIX).map(str::to_string))
                    .collect();
                found
            };
            let known = ids.get_or_insert_with(|| these.clone());
            if *known != these {
                return Err(format!("{shown}:{n}: the objectives differ from line 1's"));
            }
            let order = Table {
                objective_ids: known.clone(),
                rows: Vec::new(),
            }
            .header();
            let mut fields = Vec::new();
            for col in &order {
                let v = obj
                    .get(col)
                    .ok_or_else(|| format!("{shown}:{n}: no '{col}'"))?;
                fields.push(match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                });
            }
            if obj.len() != order.len() {
                return Err(format!("{shown}:{n}: unexpected fields"));
            }
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            rows.push(Self::row_from(shown, n, &refs, known.len())?);
        }
        Ok(Table {
            objective_ids: ids.unwrap_or_default(),
            rows,
        })
    }

    fn row_from(shown: &str, line: usize, f: &[&str], objectives: usize) -> Result<Row, String> {
        let expected = 3 + objectives + METRICS.len() + 1;
        if f.len() != expected {
            return Err(format!(
                "{shown}:{line}: {} fields, expected {expected}",
                f.len()
            ));
        }
        let int = |col: usize, s: &str| -> Result<i64, String> {
            s.parse()
                .map_err(|_| format!("{shown}:{line}: field {} is '{s}', not a number", col + 1))
        };
        let seed: u64 = f[0]
            .parse()
            .map_err(|_| format!("{shown}:{line}: seed '{}' is not a number", f[0]))?;
        let mut objectives_v = Vec::new();
        for (k, s) in f[3..3 + objectives].iter().enumerate() {
            if !matches!(*s, "met" | "failed" | "pending") {
                return Err(format!(
                    "{shown}:{line}: field {} is '{s}', expected met, failed or pending",
                    4 + k
                ));
            }
            objectives_v.push(s.to_string());
        }
        let mut metrics = Vec::new();
        for (k, s) in f[3 + objectives..3 + objectives + METRICS.len()]
            .iter()
            .enumerate()
        {
            metrics.push(if s.is_empty() {
                None
            } else {
                Some(int(3 + objectives + k, s)?)
            });
        }
        let hash = f[expected - 1];
        if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "{shown}:{line}: '{hash}' is not a 16-digit state hash"
            ));
        }
        Ok(Row {
            seed,
            arm: f[1].to_string(),
            score: int(2, f[2])?,
            objectives: objectives_v,
            metrics,
            final_state_hash: hash.to_string(),
        })
    }

    /// Combines shard tables: the same objectives, no (seed, arm) twice,
    /// and every seed with the same arms in the same order.
    pub fn merge(tables: Vec<Table>) -> Result<Table, String> {
        let mut ids: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for t in tables {
            if t.rows.is_empty() {
                continue;
            }
            match &ids {
                Some(known) if *known != t.objective_ids => {
                    return Err("the files come from scenarios with different objectives".into());
                }
                Some(_) => {}
                None => ids = Some(t.objective_ids.clone()),
            }
            rows.extend(t.rows);
        }
        let table = Table {
            objective_ids: ids.unwrap_or_default(),
            rows,
        };
        table.sorted()
    }

    /// Sorts by seed, keeping each seed's arms in the order of the lowest
    /// seed, and checks that every seed has exactly those arms.
    pub fn sorted(mut self) -> Result<Table, String> {
        let Some(first_seed) = self.rows.iter().map(|r| r.seed).min() else {
            return Ok(self);
        };
        let arms: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.seed == first_seed)
            .map(|r| r.arm.clone())
            .collect();
        let position = |arm: &str| arms.iter().position(|a| a == arm);
        for r in &self.rows {
            if position(&r.arm).is_none() {
                return Err(format!(
                    "seed {} has an arm '{}' that seed {first_seed} does not",
                    r.seed, r.arm
                ));
            }
        }
        self.rows
            .sort_by_key(|r| (r.seed, position(&r.arm).unwrap_or(usize::MAX)));
        for w in self.rows.windows(2) {
            if (w[0].seed, &w[0].arm) == (w[1].seed, &w[1].arm) {
                return Err(format!(
                    "seed {} arm '{}' appears twice (the same shard given twice?)",
                    w[0].seed, w[0].arm
                ));
            }
        }
        for chunk in self.rows.chunk_by(|a, b| a.seed == b.seed) {
            if chunk.len() != arms.len() {
                return Err(format!(
                    "seed {} has {} of the {} arms",
                    chunk[0].seed,
                    chunk.len(),
                    arms.len()
                ));
            }
        }
        Ok(self)
    }

    /// The arms in order.
    pub fn arms(&self) -> Vec<&str> {
        let Some(first) = self.rows.first() else {
            return Vec::new();
        };
        self.rows
            .iter()
            .take_while(|r| r.seed == first.seed)
            .map(|r| r.arm.as_str())
            .collect()
    }
}
