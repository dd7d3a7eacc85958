//! `kizuna._kizuna`: the engine for Python. The Python package around it
//! (`python/kizuna/`) turns the JSON these functions return into plain
//! Python data, and builds the PettingZoo and Gymnasium environments on
//! `Env` and `VecEnv`. Everything here goes through the library's own
//! front doors (`load`, `Table`, `env`, `sweep`), as every front end does.

// Constructors take Python keyword arguments, one per flag of the CLI.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use kizuna::env::vector::VecEnv as RustVecEnv;
use kizuna::env::{Env as RustEnv, EnvConfig, Reward};
use kizuna::perspective::{Viewer, visible};
use kizuna::policy::PolicyKind;
use kizuna::scenario::diagnostics::ScenarioError as RustScenarioError;
use kizuna::scenario::load::{LoadOptions, Loaded, load_scenario_arg};
use kizuna::scenario::model::TeamIdx;
use kizuna::session::i18n::{Lang, Strings};
use kizuna::session::narrator::Narrator;
use kizuna::session::table::{Command, Seat, Table};
use kizuna::session::{Controller, Session as RustSession};
use kizuna::sim::decision::Decision;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _kizuna,
    ScenarioError,
    PyException,
    "A scenario that does not load: `file`, `line` and `column` of the first problem, and `message`, the whole rendered diagnostic."
);

/// A scenario error as a Python exception carrying its place.
fn scenario_error(py: Python<'_>, e: &RustScenarioError) -> PyErr {
    let mut rendered = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    if handler.render_report(&mut rendered, e).is_err() {
        rendered = e.to_string();
    }
    let first = e.problems().first();
    let file = first.map(|p| p.path.clone()).unwrap_or_default();
    let (line, column) = first
        .filter(|p| p.has_position())
        .map_or((0, 0), |p| (p.line, p.col));
    let err = ScenarioError::new_err(rendered.clone());
    let value = err.value(py);
    let _ = value.setattr("file", file);
    let _ = value.setattr("line", line);
    let _ = value.setattr("column", column);
    let _ = value.setattr("message", rendered);
    err
}

/// Loads a built-in id or a path, then applies `set` (PATH → VALUE, as `--set`).
fn load_with(py: Python<'_>, scenario: &str, set: &BTreeMap<String, String>) -> PyResult<Loaded> {
    let loaded =
        load_scenario_arg(scenario, &LoadOptions::default()).map_err(|e| scenario_error(py, &e))?;
    if set.is_empty() {
        return Ok(loaded);
    }
    let args: Vec<String> = set.iter().map(|(k, v)| format!("{k}={v}")).collect();
    kizuna::scenario::params::apply_all(&loaded, &args).map_err(|e| scenario_error(py, &e))
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn policy(name: &str) -> PyResult<PolicyKind> {
    name.parse()
        .map_err(|e: kizuna::policy::UnknownPolicy| PyValueError::new_err(e.to_string()))
}

fn lang(code: &str) -> PyResult<Lang> {
    match code {
        "en" => Ok(Lang::En),
        "ja" => Ok(Lang::Ja),
        _ => Err(PyValueError::new_err(format!(
            "no language '{code}': en or ja"
        ))),
    }
}

/// A loaded scenario, described as JSON (id, title, teams, organisations,
/// assets, attackers, objectives).
#[pyfunction]
#[pyo3(signature = (scenario, set = BTreeMap::new()))]
fn load(py: Python<'_>, scenario: &str, set: BTreeMap<String, String>) -> PyResult<String> {
    let loaded = load_with(py, scenario, &set)?;
    let sc = &loaded.scenario;
    let names = |v: Vec<(String, String)>| {
        v.into_iter()
            .map(|(id, name)| serde_json::json!({"id": id, "name": name}))
            .collect::<Vec<_>>()
    };
    json(&serde_json::json!({
        "id": sc.id,
        "title": sc.title.en,
        "turn_limit": sc.turn_limit,
        "teams": names(sc.teams.iter().map(|t| (t.id.clone(), t.name.en.clone())).collect()),
        "organisations": names(sc.organisations.iter().map(|o| (o.id.clone(), o.name.en.clone())).collect()),
        "assets": names(sc.assets.iter().map(|a| (a.id.clone(), a.name.en.clone())).collect()),
        "attackers": names(sc.attackers.iter().map(|a| (a.id.clone(), a.name.en.clone())).collect()),
        "objectives": sc
            .objectives
            .iter()
            .map(|o| serde_json::json!({"id": o.id, "name": o.title.en, "weight": o.weight}))
            .collect::<Vec<_>>(),
        "source_hash": kizuna::session::log::hex(loaded.source_hash),
    }))
}

/// One session through the table, as a seat would drive it.
#[pyclass(unsendable)]
struct Session {
    table: Table,
    lang: Lang,
}

impl Session {
    fn team(&self, id: &str) -> PyResult<TeamIdx> {
        let sc = self.table.scenario();
        sc.teams
            .iter()
            .position(|t| t.id == id)
            .map(|t| t as TeamIdx)
            .ok_or_else(|| {
                let ids: Vec<&str> = sc.teams.iter().map(|t| t.id.as_str()).collect();
                PyValueError::new_err(format!(
                    "the scenario has no team '{id}'; its teams are {}",
                    ids.join(", ")
                ))
            })
    }

    fn decision(json: &str) -> PyResult<Decision> {
        serde_json::from_str(json)
            .map_err(|e| PyValueError::new_err(format!("not a decision: {e}")))
    }

    fn command(&mut self, seat: Seat, command: Command) -> PyResult<()> {
        self.table.command(seat, command).map(|_| ()).map_err(|e| {
            let strings = Strings::new(self.lang);
            let narrator = Narrator::new(self.table.scenario(), Viewer::Facilitator, &strings);
            PyValueError::new_err(narrator.command_refused(&e))
        })
    }
}

#[pymethods]
impl Session {
    #[new]
    #[pyo3(signature = (scenario, seed, teams = BTreeMap::new(), set = BTreeMap::new(), lang = "en"))]
    fn new(
        py: Python<'_>,
        scenario: &str,
        seed: u64,
        teams: BTreeMap<String, String>,
        set: BTreeMap<String, String>,
        lang: &str,
    ) -> PyResult<Session> {
        let loaded = load_with(py, scenario, &set)?;
        let mut assigned = Vec::new();
        for (team, who) in teams {
            // "python" (or "human"): decided by the caller through submit().
            let controller = match who.as_str() {
                "python" | "human" => Controller::Human,
                other => Controller::Policy(policy(other)?),
            };
            assigned.push((team, controller));
        }
        let controllers = RustSession::controllers_for(
            &loaded.scenario,
            &assigned,
            Controller::Policy(PolicyKind::Doctrine),
        )
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let mut session = RustSession::new(&loaded, seed, controllers, true);
        let lang = self::lang(lang)?;
        session
            .set_language(lang.code())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Session {
            table: Table::new(session),
            lang,
        })
    }

    /// The turn about to be played (1 at the start).
    #[getter]
    fn turn(&self) -> u32 {
        self.table.session().turn()
    }

    #[getter]
    fn ended(&self) -> bool {
        self.table.session().ended()
    }

    /// A team's view as JSON: what that team may know, nothing more.
    fn view(&self, team: &str) -> PyResult<String> {
        json(&self.table.team_view(self.team(team)?))
    }

    /// Ground truth as JSON, as the facilitator sees it.
    fn facilitator_view(&self) -> PyResult<String> {
        json(&self.table.facilitator_view())
    }

    /// The decisions a team may take now, as JSON: each with its cost,
    /// duration, whether it is queued, and why not if it is refused.
    fn decisions(&self, team: &str) -> PyResult<String> {
        let view = self.table.team_view(self.team(team)?);
        let strings = Strings::new(self.lang);
        let narrator = Narrator::new(self.table.scenario(), Viewer::Team(view.team), &strings);
        let list: Vec<serde_json::Value> = view
            .decisions
            .iter()
            .map(|c| {
                serde_json::json!({
                    "decision": c.decision,
                    "text": narrator.decision(&c.decision),
                    "cost": c.cost,
                    "duration": c.duration,
                    "queued": c.queued,
                    "allowed": c.status.is_ok(),
                    "refusal": c.status.as_ref().err().map(|r| narrator.refusal(r)),
                })
            })
            .collect();
        json(&list)
    }

    /// Queues a decision (as JSON, as `decisions` gives it) for a team
    /// played from Python; raises ValueError with the reason if refused.
    fn submit(&mut self, team: &str, decision: &str) -> PyResult<()> {
        let t = self.team(team)?;
        self.command(Seat::Team(t), Command::Submit(Self::decision(decision)?))
    }

    /// Takes a queued decision back.
    fn withdraw(&mut self, team: &str, decision: &str) -> PyResult<()> {
        let t = self.team(team)?;
        self.command(Seat::Team(t), Command::Withdraw(Self::decision(decision)?))
    }

    /// Resolves the turn with the decisions queued and the policies', and
    /// returns its events as JSON: each event, and its wording for every
    /// team that saw it (and for the facilitator).
    fn step(&mut self) -> PyResult<String> {
        self.command(Seat::Facilitator, Command::ResolveNow)?;
        let session = self.table.session();
        let scenario = session.scenario();
        let strings = Strings::new(self.lang);
        let Some(outcome) = session.history().last() else {
            return json(&serde_json::json!({"turn": 0, "events": []}));
        };
        let events: Vec<serde_json::Value> = outcome
            .events
            .iter()
            .map(|e| {
                let mut text = serde_json::Map::new();
                for (t, team) in scenario.teams.iter().enumerate() {
                    let viewer = Viewer::Team(t as TeamIdx);
                    if visible(e, viewer, scenario) {
                        let words = Narrator::new(scenario, viewer, &strings).event(e).0;
                        text.insert(team.id.clone(), words.into());
                    }
                }
                let words = Narrator::new(scenario, Viewer::Facilitator, &strings)
                    .event(e)
                    .0;
                text.insert("facilitator".into(), words.into());
                serde_json::json!({"event": e, "text": text})
            })
            .collect();
        json(&serde_json::json!({
            "turn": outcome.turn,
            "score": outcome.score,
            "ended": outcome.ended,
            "events": events,
        }))
    }

    /// The simulation's state hash, as the CLI prints it (16 hex digits).
    fn state_hash(&mut self) -> String {
        kizuna::session::log::hex(self.table.state_hash())
    }

    /// The log's chained hash after the last turn: every turn's state hash
    /// chained from the header, as `kizuna replay` prints it ("last").
    fn chain_hash(&self) -> String {
        kizuna::session::log::hex(self.table.session().chain_hash())
    }

    /// Writes the session log (atomically); `kizuna replay` verifies it and
    /// `kizuna report` reads it.
    fn save_log(&self, path: PathBuf) -> PyResult<()> {
        kizuna::store::write_log(&path, self.table.session().log())
            .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display())))
    }
}

fn env_config(
    agents: Vec<String>,
    opponents: &str,
    max_decisions_per_turn: u32,
    reward: &str,
) -> PyResult<EnvConfig> {
    Ok(EnvConfig {
        agents,
        opponents: policy(opponents)?,
        max_decisions_per_turn: max_decisions_per_turn.max(1),
        reward: reward.parse::<Reward>().map_err(PyValueError::new_err)?,
    })
}

/// The core of the PettingZoo and Gymnasium environments: agents play
/// teams, one decision or "end turn" per step each.
#[pyclass(unsendable)]
struct Env {
    env: RustEnv,
}

#[pymethods]
impl Env {
    #[new]
    #[pyo3(signature = (scenario, agents, seed, opponents = "doctrine", max_decisions_per_turn = 8, reward = "score", set = BTreeMap::new()))]
    fn new(
        py: Python<'_>,
        scenario: &str,
        agents: Vec<String>,
        seed: u64,
        opponents: &str,
        max_decisions_per_turn: u32,
        reward: &str,
        set: BTreeMap<String, String>,
    ) -> PyResult<Env> {
        let loaded = load_with(py, scenario, &set)?;
        let config = env_config(agents, opponents, max_decisions_per_turn, reward)?;
        RustEnv::new(loaded, config, seed)
            .map(|env| Env { env })
            .map_err(PyValueError::new_err)
    }

    fn reset(&mut self, seed: u64) {
        self.env.reset(seed);
    }

    #[getter]
    fn observation_len(&self) -> usize {
        self.env.encoding().len()
    }

    #[getter]
    fn agents(&self) -> Vec<String> {
        self.env.agent_ids()
    }

    fn action_count(&self, agent: usize) -> usize {
        self.env.action_count(agent)
    }

    /// The decision an action stands for, as JSON; `None` for "end turn".
    fn action_meaning(&self, agent: usize, action: usize) -> PyResult<Option<String>> {
        self.env.decision(agent, action).map(json).transpose()
    }

    /// Agent `i`'s observation as float32 bytes.
    fn observe<'py>(&self, py: Python<'py>, agent: usize) -> Bound<'py, PyBytes> {
        let mut out = vec![0.0f32; self.env.encoding().len()];
        self.env.observe(agent, &mut out);
        f32_bytes(py, &out)
    }

    /// Agent `i`'s action mask as bytes (1 = allowed).
    fn mask<'py>(&self, py: Python<'py>, agent: usize) -> Bound<'py, PyBytes> {
        let mut out = vec![0u8; self.env.action_count(agent)];
        self.env.mask(agent, &mut out);
        PyBytes::new(py, &out)
    }

    /// Every agent acts once; returns (rewards, terminated, resolved).
    fn step(&mut self, actions: Vec<usize>) -> (Vec<f32>, bool, bool) {
        let s = self.env.step(&actions);
        (s.rewards, s.terminated, s.resolved)
    }

    #[getter]
    fn turn(&self) -> u32 {
        self.env.session().turn()
    }

    fn state_hash(&mut self) -> String {
        kizuna::session::log::hex(self.env.state_hash())
    }

    fn chain_hash(&self) -> String {
        kizuna::session::log::hex(self.env.session().chain_hash())
    }

    fn save_log(&self, path: PathBuf) -> PyResult<()> {
        kizuna::store::write_log(&path, self.env.session().log())
            .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display())))
    }
}

/// `n` single-agent environments stepped together in Rust.
#[pyclass]
struct VecEnv {
    env: RustVecEnv,
}

#[pymethods]
impl VecEnv {
    #[new]
    #[pyo3(signature = (scenario, n, team, seed, opponents = "doctrine", max_decisions_per_turn = 8, reward = "score", threads = 1, set = BTreeMap::new()))]
    fn new(
        py: Python<'_>,
        scenario: &str,
        n: usize,
        team: String,
        seed: u64,
        opponents: &str,
        max_decisions_per_turn: u32,
        reward: &str,
        threads: usize,
        set: BTreeMap<String, String>,
    ) -> PyResult<VecEnv> {
        let loaded = load_with(py, scenario, &set)?;
        let config = env_config(vec![team], opponents, max_decisions_per_turn, reward)?;
        RustVecEnv::new(&loaded, &config, n, seed, threads)
            .map(|env| VecEnv { env })
            .map_err(PyValueError::new_err)
    }

    #[getter]
    fn observation_len(&self) -> usize {
        self.env.observation_len()
    }

    #[getter]
    fn action_count(&self) -> usize {
        self.env.action_count()
    }

    #[getter]
    fn num_envs(&self) -> usize {
        self.env.len()
    }

    /// Resets every environment; returns (observations, masks) as bytes.
    fn reset<'py>(
        &mut self,
        py: Python<'py>,
        seed: u64,
    ) -> (Bound<'py, PyBytes>, Bound<'py, PyBytes>) {
        let (mut obs, mut masks) = self.buffers();
        self.env.reset(seed, &mut obs, &mut masks);
        (f32_bytes(py, &obs), PyBytes::new(py, &masks))
    }

    /// Steps every environment (`actions` as int64 bytes); returns
    /// (observations, masks, rewards, terminated) as bytes. The lock on
    /// Python is released while Rust steps.
    #[allow(clippy::type_complexity)]
    fn step<'py>(
        &mut self,
        py: Python<'py>,
        actions: &[u8],
    ) -> PyResult<(
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
    )> {
        let n = self.env.len();
        if actions.len() != n * 8 {
            return Err(PyValueError::new_err(format!(
                "{n} actions expected as int64, got {} bytes",
                actions.len()
            )));
        }
        let actions: Vec<usize> = actions
            .chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                usize::try_from(i64::from_le_bytes(b)).unwrap_or(usize::MAX)
            })
            .collect();
        let (mut obs, mut masks) = self.buffers();
        let env = &mut self.env;
        let step = py.detach(|| env.step(&actions, &mut obs, &mut masks));
        let done: Vec<u8> = step.terminated.iter().map(|&d| u8::from(d)).collect();
        Ok((
            f32_bytes(py, &obs),
            PyBytes::new(py, &masks),
            f32_bytes(py, &step.rewards),
            PyBytes::new(py, &done),
        ))
    }

    /// Environment `i`'s state hash.
    fn state_hash(&mut self, i: usize) -> PyResult<String> {
        let env = self
            .env
            .env_mut(i)
            .ok_or_else(|| PyValueError::new_err(format!("no environment {i}")))?;
        Ok(kizuna::session::log::hex(env.state_hash()))
    }
}

impl VecEnv {
    fn buffers(&self) -> (Vec<f32>, Vec<u8>) {
        let n = self.env.len();
        (
            vec![0.0; n * self.env.observation_len()],
            vec![0; n * self.env.action_count()],
        )
    }
}

/// Float32 values as little-endian bytes, written straight into the
/// Python object (numpy reads them with `frombuffer`).
fn f32_bytes<'py>(py: Python<'py>, values: &[f32]) -> Bound<'py, PyBytes> {
    let mut bytes = Vec::with_capacity(values.len() * 4);
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    PyBytes::new(py, &bytes)
}

/// Runs a sweep as `kizuna sweep` does; returns (header, rows as JSON
/// lines, summary as JSON).
#[pyfunction]
#[pyo3(signature = (scenario, seeds, teams = BTreeMap::new(), vs = BTreeMap::new(), vary = Vec::new(), set = BTreeMap::new(), jobs = None))]
fn sweep(
    py: Python<'_>,
    scenario: &str,
    seeds: (u64, u64),
    teams: BTreeMap<String, String>,
    vs: BTreeMap<String, String>,
    vary: Vec<String>,
    set: BTreeMap<String, String>,
    jobs: Option<usize>,
) -> PyResult<(Vec<String>, String, String)> {
    use kizuna::sweep::{plan, run, stats, table::Format};
    let loaded = load_with(py, scenario, &set)?;
    let parse = |m: BTreeMap<String, String>| -> PyResult<Vec<(String, Controller)>> {
        m.into_iter()
            .map(|(t, p)| Ok((t, Controller::Policy(policy(&p)?))))
            .collect()
    };
    let controllers = RustSession::controllers_for(
        &loaded.scenario,
        &parse(teams)?,
        Controller::Policy(PolicyKind::Doctrine),
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    if seeds.1 <= seeds.0 {
        return Err(PyValueError::new_err(
            "seeds: (start, end) with start < end",
        ));
    }
    let arms = plan::arms(&loaded, &controllers, &parse(vs)?, &vary).map_err(|e| match e {
        plan::PlanError::Scenario(s) => scenario_error(py, &s),
        plan::PlanError::Flag(why) => PyValueError::new_err(why),
    })?;
    let plan = plan::Plan::whole(arms, seeds.0..seeds.1);
    let jobs = jobs.unwrap_or_else(run::default_jobs).max(1);
    let table = py.detach(|| run::run(&plan, jobs, &|| {}));
    let rows = table
        .to_bytes(Format::Jsonl)
        .map_err(PyValueError::new_err)?;
    let summary = stats::summarise(&table).to_json();
    Ok((
        table.header(),
        String::from_utf8_lossy(&rows).into_owned(),
        summary,
    ))
}

#[pymodule]
fn _kizuna(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_class::<Session>()?;
    m.add_class::<Env>()?;
    m.add_class::<VecEnv>()?;
    Ok(())
}
