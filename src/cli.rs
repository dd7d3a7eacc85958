//! The command line: parsing, and one function per command. Everything a
//! command needs comes from the library; this file only wires and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::policy::PolicyKind;
use crate::report::summary;
use crate::scenario::builtin;
use crate::scenario::diagnostics::ScenarioError;
use crate::scenario::load::{self, LoadOptions};
use crate::scenario::params;
use crate::session::log;
use crate::session::replay::{self, ReplayError};
use crate::session::{Controller, Session};
use crate::tui;

/// Writes a line to standard output. A reader that went away (`| head`)
/// is not an error worth a panic: the rest of the output is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
    }};
}

#[derive(Parser, Debug)]
#[command(
    name = "kizuna",
    version,
    about = "A tabletop cyber-incident exercise simulator for the Japan–US alliance"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the built-in scenarios.
    List {
        #[arg(long, default_value = "en", value_parser = ["en", "ja"])]
        lang: String,
    },
    /// Validate scenario files; exit 1 with file:line:col diagnostics.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        limits: Limits,
    },
    /// Play in the terminal UI. Without a scenario, a picker lists the built-in ones.
    Play {
        /// A built-in scenario id or a path to a scenario file.
        scenario: Option<String>,
        #[command(flatten)]
        session: SessionArgs,
        /// A facilitator-run screen: the facilitator's view opens without
        /// a passphrase (otherwise one is chosen at the start).
        #[arg(long)]
        facilitator: bool,
        #[command(flatten)]
        limits: Limits,
    },
    /// Serve one session over SSH: each seat (a team, the facilitator, the
    /// observer's projector) at its own terminal. See docs/multiseat.md.
    Serve(Box<ServeArgs>),
    /// Run a scenario headless with computer-played teams.
    Run {
        /// A built-in scenario id or a path to a scenario file.
        scenario: String,
        #[arg(long)]
        seed: u64,
        /// Play exactly this many turns (overrides the scenario's limit).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::scenario::resolve::MAX_TURN_LIMIT)))]
        turns: Option<u32>,
        /// Who plays a team: ID=POLICY (idle, random, doctrine). Default doctrine.
        #[arg(long = "team", value_name = "ID=POLICY")]
        teams: Vec<String>,
        /// Change a scenario value: PATH=VALUE (see `kizuna params`).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<String>,
        /// Write the session log here (atomically).
        #[arg(long)]
        log: Option<PathBuf>,
        /// Print one JSON object instead of the readable summary.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: Limits,
    },
    /// List every value `--set PATH=VALUE` can change, with its value now.
    Params {
        /// A built-in scenario id or a path to a scenario file.
        scenario: String,
        /// Apply these first, to see their effect.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<String>,
        /// Only paths that start with this.
        #[arg(long)]
        prefix: Option<String>,
        #[command(flatten)]
        limits: Limits,
    },
    /// Run many seeds in-process and summarise; arms paired by seed.
    Sweep(SweepArgs),
    /// Combine sweep shard files and print the summary one run would have.
    Merge {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
        /// Also write the merged rows here (atomically).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value = "csv")]
        format: crate::sweep::Format,
        /// Largest shard file read, in bytes.
        #[arg(long, default_value_t = 1 << 30)]
        max_file_bytes: u64,
    },
    /// Re-simulate a session log; exit 0 if every turn's hash matches.
    Replay {
        log: PathBuf,
        /// Check only the first T turns.
        #[arg(long)]
        until: Option<u32>,
        #[arg(long, default_value_t = log::DEFAULT_MAX_LOG_BYTES)]
        max_log_bytes: u64,
    },
    /// Write the after-action report and improvement plan of a session log;
    /// with two logs, compare them (where they part, how outcomes differ).
    Report {
        /// One session log, or two logs of the same scenario and seed.
        #[arg(required = true, num_args = 1..=2, value_name = "LOG")]
        logs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        #[arg(long, default_value = "en", value_parser = ["en", "ja"])]
        lang: String,
        /// Write here (atomically) instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, default_value_t = log::DEFAULT_MAX_LOG_BYTES)]
        max_log_bytes: u64,
    },
    /// List a scenario's scripted injects as a master scenario events list.
    Msel {
        /// A built-in scenario id or a path to a scenario file.
        scenario: String,
        #[arg(long, value_enum, default_value_t = MselFormat::Csv)]
        format: MselFormat,
        #[arg(long, default_value = "en", value_parser = ["en", "ja"])]
        lang: String,
        /// Write here (atomically) instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        limits: Limits,
    },
    /// Print a shell completion script (e.g. `kizuna completions bash > ~/.local/share/bash-completion/completions/kizuna`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a synthetic scenario of N assets (for scale tests and benchmarks).
    Gen {
        /// How many assets (at most 1,000,000; over about 100,000 the file
        /// needs a raised --max-file-bytes to load).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::worldgen::MAX_ASSETS))]
        assets: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MselFormat {
    Csv,
    Md,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// A built-in scenario id or a path to a scenario file.
    pub scenario: String,
    /// Seeds A..B (B excluded) or A..=B.
    #[arg(long)]
    pub seeds: crate::sweep::SeedRange,
    /// Who plays a team in every arm: ID=POLICY. Default doctrine.
    #[arg(long = "team", value_name = "ID=POLICY")]
    pub teams: Vec<String>,
    /// An extra arm where this team is played by this policy.
    #[arg(long = "vs", value_name = "ID=POLICY")]
    pub vs: Vec<String>,
    /// Change a scenario value in every arm.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// An extra arm per value: PATH=V1,V2,…
    #[arg(long = "vary", value_name = "PATH=V1,V2,...")]
    pub vary: Vec<String>,
    /// Worker threads (default: the cores available).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Run only the K-th of N disjoint slices of the seeds.
    #[arg(long, default_value = "1/1")]
    pub shard: crate::sweep::Shard,
    /// Write one row per (seed, arm) here (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, default_value = "csv")]
    pub format: crate::sweep::Format,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub limits: Limits,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A built-in scenario id or a path to a scenario file (not with --resume).
    scenario: Option<String>,
    /// Address and port to listen on; beyond loopback only when asked.
    #[arg(long, default_value = crate::serve::DEFAULT_LISTEN)]
    listen: std::net::SocketAddr,
    /// Who may sit at a seat: SEAT=PUBKEY_FILE (authorized_keys format; repeat
    /// for several keys). Seats: the team ids, facilitator, observer.
    #[arg(long = "seat", value_name = "SEAT=PUBKEY_FILE")]
    seats: Vec<String>,
    /// Make a random passphrase for every seat without a key, write them
    /// here (mode 0600) and print them on this console.
    #[arg(long, value_name = "FILE")]
    passphrases: Option<PathBuf>,
    /// The server's host key, made on first use (default: the user's state directory).
    #[arg(long, value_name = "FILE")]
    host_key: Option<PathBuf>,
    #[command(flatten)]
    session: SessionArgs,
    /// Resolve each turn after this long, ready or not: 90s, 5m, 1h30m.
    #[arg(long, value_parser = parse_duration)]
    turn_timer: Option<std::time::Duration>,
    /// Most connections open at once, signed in or not.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    max_connections: u32,
    /// Disconnect a seat that types nothing this long (observers excepted); 0 never.
    #[arg(long, default_value = "1h", value_parser = parse_duration_or_zero)]
    idle_timeout: std::time::Duration,
    /// Frames queued for a slow client before frames are skipped for it.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    frames_queued: u32,
    /// Failed sign-ins per address per minute before the address is refused.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    auth_failures: u32,
    #[command(flatten)]
    limits: Limits,
}

/// How a played or served session starts.
#[derive(Debug, clap::Args)]
pub struct SessionArgs {
    /// Seed; from the clock if left out (kept in the log).
    #[arg(long)]
    seed: Option<u64>,
    /// Language; without it, a resumed session's own, else the locale's
    /// (LANG; for `serve`, each ssh client's).
    #[arg(long, value_parser = ["en", "ja"])]
    lang: Option<String>,
    /// Who plays a team: ID=human or ID=POLICY (idle, random, doctrine). Default human.
    #[arg(long = "team", value_name = "ID=human|POLICY")]
    teams: Vec<String>,
    /// Save the session log here after every turn (default: the user's state directory).
    #[arg(long)]
    autosave: Option<PathBuf>,
    /// Continue a saved session log, played or served (its team assignments are kept).
    #[arg(long)]
    resume: Option<PathBuf>,
    /// Change a scenario value: PATH=VALUE (see `kizuna params`).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    /// Largest log `--resume` reads, in bytes.
    #[arg(long, default_value_t = log::DEFAULT_MAX_LOG_BYTES)]
    max_log_bytes: u64,
}

impl SessionArgs {
    fn lang(&self) -> Option<tui::i18n::Lang> {
        self.lang.as_deref().map(|l| {
            if l == "ja" {
                tui::i18n::Lang::Ja
            } else {
                tui::i18n::Lang::En
            }
        })
    }

    /// The start options, or why the flags do not go together.
    fn start_options(self, load: LoadOptions) -> Result<crate::startup::StartOptions, String> {
        if !self.sets.is_empty() && self.resume.is_some() {
            return Err(
                "--set cannot be used with --resume: the log keeps the parameters it was played with"
                    .into(),
            );
        }
        Ok(crate::startup::StartOptions {
            seed: self.seed,
            teams: parse_teams(&self.teams, true)?,
            autosave: self.autosave,
            resume: self.resume,
            parameters: self.sets,
            load,
            max_log_bytes: Some(self.max_log_bytes),
        })
    }
}

/// `90s`, `5m`, `1h30m`, or a number of seconds; more than zero.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let d = parse_duration_or_zero(text)?;
    if d.is_zero() {
        return Err("a duration longer than zero, such as 90s or 5m".into());
    }
    Ok(d)
}

fn parse_duration_or_zero(text: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("'{text}' is not a duration: write 90s, 5m, 1h30m or a number of seconds");
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(std::time::Duration::from_secs(secs));
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        number.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
    }
    if !number.is_empty() || total > 7 * 24 * 3600 {
        return Err(bad());
    }
    Ok(std::time::Duration::from_secs(total))
}

/// Input limits, applied before parsing.
#[derive(Args, Debug, Clone)]
pub struct Limits {
    /// Largest scenario or library file read, in bytes.
    #[arg(long, default_value_t = LoadOptions::default().max_file_bytes)]
    pub max_file_bytes: u64,
    /// Deepest nesting of brackets in a file.
    #[arg(long, default_value_t = LoadOptions::default().max_nesting)]
    pub max_nesting: usize,
    /// Most library files a scenario may include.
    #[arg(long, default_value_t = LoadOptions::default().max_includes)]
    pub max_includes: usize,
    /// Most entities (organisations, assets, injects …) in a scenario.
    #[arg(long, default_value_t = LoadOptions::default().max_entities)]
    pub max_entities: usize,
    /// Longest string in a file, in bytes.
    #[arg(long, default_value_t = LoadOptions::default().max_string_bytes)]
    pub max_string_bytes: usize,
}

impl Limits {
    fn options(&self) -> LoadOptions {
        LoadOptions::default()
            .max_file_bytes(self.max_file_bytes)
            .max_nesting(self.max_nesting)
            .max_includes(self.max_includes)
            .max_entities(self.max_entities)
            .max_string_bytes(self.max_string_bytes)
    }
}

pub fn main_with(cli: Cli) -> ExitCode {
    // Diagnostics wrap at spaces only: a flag named in a hint
    // (`--max-string-bytes`) stays whole, to be copied.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .build(),
        )
    }));
    match cli.command {
        Command::List { lang } => list(&lang),
        Command::Check { files, limits } => check(&files, &limits.options()),
        Command::Play {
            scenario,
            session,
            facilitator,
            limits,
        } => play(scenario, session, facilitator, &limits.options()),
        Command::Serve(args) => serve(*args),
        Command::Run {
            scenario,
            seed,
            turns,
            teams,
            sets,
            log,
            json,
            limits,
        } => run(
            &scenario,
            seed,
            turns,
            &teams,
            &sets,
            log,
            json,
            &limits.options(),
        ),
        Command::Params {
            scenario,
            sets,
            prefix,
            limits,
        } => params_cmd(&scenario, &sets, prefix.as_deref(), &limits.options()),
        Command::Sweep(args) => sweep_cmd(&args),
        Command::Merge {
            files,
            json,
            out,
            format,
            max_file_bytes,
        } => merge_cmd(&files, json, out.as_deref(), format, max_file_bytes),
        Command::Replay {
            log,
            until,
            max_log_bytes,
        } => replay_cmd(&log, until, max_log_bytes),
        Command::Report {
            logs,
            format,
            lang,
            output,
            max_log_bytes,
        } => report_cmd(&logs, format, &lang, output.as_deref(), max_log_bytes),
        Command::Msel {
            scenario,
            format,
            lang,
            output,
            limits,
        } => msel_cmd(
            &scenario,
            format,
            &lang,
            output.as_deref(),
            &limits.options(),
        ),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kizuna", &mut out);
            emit(&out, None)
        }
        Command::Gen { assets, seed } => {
            // Bounded by the parser above; the conversion cannot fail on a
            // 64-bit target, and a 32-bit one gets the largest it can hold.
            let assets = usize::try_from(assets).unwrap_or(usize::MAX);
            let text = crate::worldgen::generate_ron(assets, seed);
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // The reader stopped early (`| head`): not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write the scenario: {e}")),
            }
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    if args.scenario.is_some() && args.session.resume.is_some() {
        return fail("give a scenario or --resume LOG, not both");
    }
    let lang = args.session.lang();
    let start = match args.session.start_options(args.limits.options()) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let mut seat_keys = Vec::new();
    for s in &args.seats {
        match s.split_once('=') {
            Some((seat, file)) if !seat.is_empty() && !file.is_empty() => {
                seat_keys.push((seat.to_string(), PathBuf::from(file)))
            }
            _ => {
                return fail(&format!(
                    "--seat {s}: write SEAT=PUBKEY_FILE, as jp=alice.pub"
                ));
            }
        }
    }
    let limits = crate::serve::ServeLimits {
        max_connections: args.max_connections as usize,
        idle_timeout: (!args.idle_timeout.is_zero()).then_some(args.idle_timeout),
        frames_queued: args.frames_queued as usize,
        auth_failures: args.auth_failures,
    };
    let options = crate::serve::ServeOptions {
        scenario: args.scenario,
        listen: args.listen,
        seat_keys,
        passphrases: args.passphrases,
        host_key: args.host_key,
        lang,
        turn_timer: args.turn_timer,
        limits,
        start,
    };
    let prepared = match crate::serve::prepare(&options) {
        Ok(p) => p,
        Err(crate::startup::StartError::Diagnostic { context, error }) => {
            eprintln!("error: {context}");
            return report_scenario_error(error);
        }
        Err(crate::startup::StartError::Refused(why)) => return fail(&why),
    };
    for line in &prepared.banner {
        crate::serve::say(line);
    }
    let autosave = prepared.autosave.clone();
    let stop = tui::signal_flag();
    match crate::serve::run(prepared, options.limits.max_connections, stop) {
        Ok(()) => {
            if let Some(path) = autosave {
                crate::serve::say(&format!("Saved: {}", path.display()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// One `file:line:col: message` line per located problem (for editors and
/// scripts), then the full diagnostic; a file that could not be read is
/// reported once.
fn report_scenario_error(e: ScenarioError) -> ExitCode {
    for p in e.problems().iter().filter(|p| p.has_position()) {
        eprintln!("{}", p.location_line());
    }
    eprintln!("{:?}", miette::Report::new(e));
    ExitCode::FAILURE
}

fn list(lang: &str) -> ExitCode {
    for (id, title) in builtin::builtin_titles() {
        let title = if lang == "ja" { &title.ja } else { &title.en };
        say!("{id:<16} {title}");
    }
    ExitCode::SUCCESS
}

fn check(files: &[PathBuf], opts: &LoadOptions) -> ExitCode {
    let mut failed = false;
    for file in files {
        // A file of that name first; else a built-in id (`check tutorial`).
        let loaded = match file.to_str() {
            Some(arg) if !file.exists() => load::load_scenario_arg(arg, opts),
            _ => load::load_file(file, opts),
        };
        match loaded {
            Ok(loaded) => {
                let s = &loaded.scenario;
                say!(
                    "{}: ok — {} organisations, {} assets, {} attackers, {} injects, {} objectives, {} teams",
                    file.display(),
                    s.organisations.len(),
                    s.assets.len(),
                    s.attackers.len(),
                    s.injects.len(),
                    s.objectives.len(),
                    s.teams.len()
                );
            }
            Err(e) => {
                failed = true;
                report_scenario_error(e);
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Parses `ID=POLICY` pairs; `play` also accepts `ID=human`.
fn parse_teams(teams: &[String], human_allowed: bool) -> Result<Vec<(String, Controller)>, String> {
    let expected = if human_allowed {
        "ID=human or ID=POLICY"
    } else {
        "ID=POLICY, e.g. jp=doctrine"
    };
    teams
        .iter()
        .map(|t| {
            let (id, who) = t
                .split_once('=')
                .ok_or_else(|| format!("--team '{t}': expected {expected}"))?;
            let c: Controller = who.parse().map_err(|e| format!("--team '{t}': {e}"))?;
            if c == Controller::Human && !human_allowed {
                return Err(format!(
                    "--team '{t}': a headless run has no human players; use idle, random or doctrine"
                ));
            }
            Ok((id.to_string(), c))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn play(
    scenario: Option<String>,
    session: SessionArgs,
    facilitator: bool,
    opts: &LoadOptions,
) -> ExitCode {
    let lang = session.lang();
    let start = match session.start_options(opts.clone()) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    // Parameters are checked before the terminal changes, so their
    // diagnostics print plainly.
    if let Some(id) = &scenario
        && !start.parameters.is_empty()
        && let Err(e) = load_with_parameters(id, &start.parameters, opts)
    {
        return report_scenario_error(e);
    }
    let options = tui::PlayOptions {
        scenario,
        lang,
        facilitator,
        start,
    };
    match tui::play(options) {
        Ok(end) => {
            let strings = tui::i18n::Strings::new(end.lang);
            if let Some(e) = end.save_error {
                eprintln!("{}", strings.fmt("exit_warning", &[("err", &e)]));
            }
            if let Some(path) = end.saved {
                let path = path.display().to_string();
                println!(
                    "{}",
                    strings.fmt(
                        "exit_saved",
                        &[("path", &path), ("seed", &end.seed.to_string())]
                    )
                );
            }
            ExitCode::SUCCESS
        }
        Err(crate::startup::StartError::Diagnostic { context, error }) => {
            eprintln!("error: {context}");
            report_scenario_error(error)
        }
        Err(crate::startup::StartError::Refused(why)) => fail(&why),
    }
}

#[allow(clippy::too_many_arguments)]
fn run(
    scenario: &str,
    seed: u64,
    turns: Option<u32>,
    teams: &[String],
    sets: &[String],
    log_path: Option<PathBuf>,
    json: bool,
    opts: &LoadOptions,
) -> ExitCode {
    let loaded = match load_with_parameters(scenario, sets, opts) {
        Ok(l) => l,
        Err(e) => return report_scenario_error(e),
    };
    if let Some(path) = &log_path
        && let Some(problem) = crate::store::overwrites_scenario(path, scenario, &loaded)
    {
        return fail(&format!("--log: {problem}"));
    }
    let overrides = match parse_teams(teams, false) {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    let controllers = match policy_controllers(&loaded, &overrides) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let mut session = Session::new(&loaded, seed, controllers, log_path.is_some());
    let strings = crate::session::i18n::Strings::new(crate::session::i18n::Lang::En);
    let narrator = crate::session::narrator::Narrator::new(
        &loaded.scenario,
        crate::perspective::Viewer::Facilitator,
        &strings,
    );
    let mut lines = Vec::new();
    let mut printer = |o: &crate::sim::TurnOutcome| {
        if !json {
            lines.push(summary::turn_line(&narrator, &loaded.scenario, o));
        }
    };
    match turns {
        Some(t) => session.run_exactly(t, &mut printer),
        None => session.run(loaded.scenario.turn_limit, &mut printer),
    }
    if let Some(path) = &log_path
        && let Err(e) = crate::store::write_log(path, session.log())
    {
        return fail(&format!("cannot write the log to {}: {e}", path.display()));
    }
    let final_hash = session.state_hash();
    let out = if json {
        summary::json(&session, final_hash).to_string()
    } else {
        let mut text = lines.join("\n");
        text.push('\n');
        text.push_str(&summary::outcome_text(&session, final_hash));
        text
    };
    say!("{out}");
    ExitCode::SUCCESS
}

/// Loads a scenario argument and applies `--set` parameters to it.
fn load_with_parameters(
    scenario: &str,
    sets: &[String],
    opts: &LoadOptions,
) -> Result<crate::scenario::Loaded, ScenarioError> {
    let loaded = load::load_scenario_arg(scenario, opts)?;
    params::apply_all(&loaded, sets)
}

/// Every team played by a policy: doctrine unless `--team` says otherwise.
fn policy_controllers(
    loaded: &crate::scenario::Loaded,
    overrides: &[(String, Controller)],
) -> Result<Vec<Controller>, String> {
    Session::controllers_for(
        &loaded.scenario,
        overrides,
        Controller::Policy(PolicyKind::Doctrine),
    )
    .map_err(|e| {
        let known: Vec<&str> = loaded
            .scenario
            .teams
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        format!("{e} (teams: {})", known.join(", "))
    })
}

fn params_cmd(
    scenario: &str,
    sets: &[String],
    prefix: Option<&str>,
    opts: &LoadOptions,
) -> ExitCode {
    let loaded = match load_with_parameters(scenario, sets, opts) {
        Ok(l) => l,
        Err(e) => return report_scenario_error(e),
    };
    let all = params::list(&loaded.scenario);
    let shown: Vec<_> = all
        .iter()
        .filter(|p| prefix.is_none_or(|x| p.path.starts_with(x)))
        .collect();
    let width = shown.iter().map(|p| p.path.len()).max().unwrap_or(0);
    let vwidth = shown
        .iter()
        .map(|p| p.value.len())
        .max()
        .unwrap_or(0)
        .min(24);
    for p in shown {
        say!("{:<width$}  {:<vwidth$}  {}", p.path, p.value, p.meaning);
    }
    ExitCode::SUCCESS
}

fn sweep_cmd(args: &SweepArgs) -> ExitCode {
    use crate::sweep::{self, plan};
    let opts = args.limits.options();
    let loaded = match load_with_parameters(&args.scenario, &args.sets, &opts) {
        Ok(l) => l,
        Err(e) => return report_scenario_error(e),
    };
    if let Some(out) = &args.out
        && let Some(problem) = crate::store::overwrites_scenario(out, &args.scenario, &loaded)
    {
        return fail(&format!("--out: {problem}"));
    }
    let teams = match parse_teams(&args.teams, false) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let vs = match parse_teams(&args.vs, false) {
        Ok(t) => t,
        Err(e) => return fail(&e.replace("--team", "--vs")),
    };
    let controllers = match policy_controllers(&loaded, &teams) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let arms = match plan::arms(&loaded, &controllers, &vs, &args.vary) {
        Ok(a) => a,
        Err(plan::PlanError::Flag(e)) => return fail(&e),
        Err(plan::PlanError::Scenario(e)) => return report_scenario_error(e),
    };
    let runs = u128::from(args.seeds.len()) * arms.len() as u128;
    if runs > u128::from(plan::MAX_RUNS) {
        return fail(&format!(
            "{runs} runs asked for ({} seeds × {} arms); at most {} in one sweep: split it with --shard",
            args.seeds.len(),
            arms.len(),
            plan::MAX_RUNS
        ));
    }
    if args.shard != sweep::Shard::WHOLE && args.out.is_none() {
        return fail("--shard needs --out FILE: the rows are what `kizuna merge` combines");
    }
    let plan = sweep::Plan {
        arms,
        seeds: args.seeds,
        shard: args.shard,
    };
    let jobs = args.jobs.unwrap_or_else(sweep::default_jobs);
    if jobs == 0 {
        return fail("--jobs must be at least 1");
    }
    let total = plan.seeds_here().len() * plan.arms.len() as u64;
    let bar = progress_bar(total);
    let table = sweep::run(&plan, jobs, &|| bar.inc(1));
    bar.finish_and_clear();
    finish_sweep(table, args.out.as_deref(), args.format, args.json)
}

/// A progress bar on standard error when it is a terminal; none otherwise.
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} runs, {per_sec}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Writes the rows if asked, then prints the summary.
fn finish_sweep(
    table: crate::sweep::Table,
    out: Option<&std::path::Path>,
    format: crate::sweep::Format,
    json: bool,
) -> ExitCode {
    if let Some(path) = out {
        let bytes = match table.to_bytes(format) {
            Ok(b) => b,
            Err(e) => return fail(&format!("cannot encode the rows: {e}")),
        };
        if let Err(e) = crate::store::write_atomic(path, &bytes) {
            return fail(&format!("cannot write {}: {e}", path.display()));
        }
    }
    let summary = crate::sweep::summarise(&table);
    if json {
        say!("{}", summary.to_json());
    } else {
        let text = summary.to_text();
        say!("{}", text.trim_end());
    }
    ExitCode::SUCCESS
}

fn merge_cmd(
    files: &[PathBuf],
    json: bool,
    out: Option<&std::path::Path>,
    format: crate::sweep::Format,
    max_bytes: u64,
) -> ExitCode {
    if let Some(out) = out
        && let Some(input) = files.iter().find(|f| crate::store::same_file(out, f))
    {
        return fail(&format!(
            "--out: {} is one of the shards being merged; choose another file",
            input.display()
        ));
    }
    let mut tables = Vec::new();
    for f in files {
        match crate::sweep::Table::read(f, max_bytes) {
            Ok(t) => tables.push(t),
            Err(e) => return fail(&e),
        }
    }
    match crate::sweep::Table::merge(tables) {
        Ok(table) => finish_sweep(table, out, format, json),
        Err(e) => fail(&format!("cannot merge: {e}")),
    }
}

/// Prints why a log did not replay, as `kizuna replay` does.
fn replay_failed(path: &std::path::Path, e: ReplayError) -> ExitCode {
    match e {
        ReplayError::Scenario(e) => {
            eprintln!("{}: {}", path.display(), ReplayError::Scenario(e.clone()));
            report_scenario_error(e)
        }
        e => {
            eprintln!("{}: replay failed: {e}", path.display());
            if let Some(turn) = e.turn() {
                eprintln!("first differing turn: {turn}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Writes `bytes` to `output` atomically, or to standard output.
fn emit(bytes: &[u8], output: Option<&std::path::Path>) -> ExitCode {
    if let Some(path) = output {
        return match crate::store::write_atomic(path, bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("cannot write {}: {e}", path.display())),
        };
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader stopped early (`| head`): not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write the output: {e}")),
    }
}

fn report_cmd(
    logs: &[PathBuf],
    format: ReportFormat,
    lang: &str,
    output: Option<&std::path::Path>,
    max_bytes: u64,
) -> ExitCode {
    use crate::report::{aar, compare, html, markdown};
    use crate::session::i18n::{Lang, Strings};
    if let Some(out) = output
        && let Some(input) = logs.iter().find(|l| crate::store::same_file(out, l))
    {
        return fail(&format!(
            "-o: {} is the log being reported on; choose another file",
            input.display()
        ));
    }
    let lang = if lang == "ja" { Lang::Ja } else { Lang::En };
    let strings = Strings::new(lang);
    let mut read = Vec::new();
    for path in logs {
        match crate::store::read_log(path, max_bytes) {
            Ok(l) => read.push(l),
            Err(e) => return report_scenario_error(e),
        }
    }
    let text = match (read.as_slice(), logs) {
        ([one], [path]) => {
            let report = match aar::build(one, lang) {
                Ok(r) => r,
                Err(e) => return replay_failed(path, e),
            };
            match format {
                ReportFormat::Md => markdown::render(&report, &strings),
                ReportFormat::Html => html::render(&report, &strings),
                ReportFormat::Json => match serde_json::to_string_pretty(&report) {
                    Ok(j) => j + "\n",
                    Err(e) => return fail(&format!("cannot encode the report: {e}")),
                },
            }
        }
        ([a, b], [pa, pb]) => {
            let names = (pa.display().to_string(), pb.display().to_string());
            let c = match compare::compare(a, b, (&names.0, &names.1), lang) {
                Ok(c) => c,
                Err(compare::CompareError::Replay { which, error }) => {
                    return replay_failed(if which == "A" { pa } else { pb }, error);
                }
                Err(e) => return fail(&e.to_string()),
            };
            match format {
                ReportFormat::Md => compare::markdown(&c, &strings),
                ReportFormat::Html => compare::html(&c, &strings),
                ReportFormat::Json => match serde_json::to_string_pretty(&c) {
                    Ok(j) => j + "\n",
                    Err(e) => return fail(&format!("cannot encode the comparison: {e}")),
                },
            }
        }
        _ => return fail("report takes one log, or two to compare"),
    };
    emit(text.as_bytes(), output)
}

fn msel_cmd(
    scenario: &str,
    format: MselFormat,
    lang: &str,
    output: Option<&std::path::Path>,
    opts: &LoadOptions,
) -> ExitCode {
    use crate::report::msel;
    use crate::session::i18n::{Lang, Strings};
    let loaded = match load::load_scenario_arg(scenario, opts) {
        Ok(l) => l,
        Err(e) => return report_scenario_error(e),
    };
    if let Some(out) = output
        && let Some(problem) = crate::store::overwrites_scenario(out, scenario, &loaded)
    {
        return fail(&format!("-o: {problem}"));
    }
    let strings = Strings::new(if lang == "ja" { Lang::Ja } else { Lang::En });
    let rows = msel::rows(&loaded.scenario, &strings);
    let bytes = match format {
        MselFormat::Csv => match msel::csv(&rows) {
            Ok(b) => b,
            Err(e) => return fail(&format!("cannot encode the list: {e}")),
        },
        MselFormat::Md => msel::markdown(&loaded.scenario, &rows, &strings).into_bytes(),
    };
    emit(&bytes, output)
}

fn replay_cmd(path: &std::path::Path, until: Option<u32>, max_bytes: u64) -> ExitCode {
    let log = match crate::store::read_log(path, max_bytes) {
        Ok(l) => l,
        Err(e) => return report_scenario_error(e),
    };
    match replay::replay(&log, until) {
        Ok((session, summary)) => {
            if let Some(engine) = &summary.other_engine {
                eprintln!(
                    "note: the log was written by engine {engine}, this is {}",
                    log::ENGINE_VERSION
                );
            }
            let status: Vec<&str> = session
                .sim()
                .read()
                .objectives()
                .status
                .iter()
                .map(|s| summary::status_name(*s))
                .collect();
            say!(
                "{}: ok — {} turns replayed, every hash matches (last {}); objectives: {}",
                path.display(),
                summary.turns_checked,
                summary.final_hash,
                status.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(e) => replay_failed(path, e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        for bad in ["", "0", "5x", "m", "5m3", "99999999999999999999h", "8d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
