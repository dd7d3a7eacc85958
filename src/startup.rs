//! Starting a session for a front end: a new one from a scenario id or
//! path with `--set` parameters, or one resumed from its log; and where it
//! autosaves. The terminal UI uses this today and a server or a binding
//! can use it tomorrow; the session itself never touches files.

use std::path::{Path, PathBuf};

use crate::scenario::diagnostics::ScenarioError;
use crate::scenario::load::{LoadOptions, load_scenario_arg};
use crate::session::log::DEFAULT_MAX_LOG_BYTES;
use crate::session::replay::ReplayError;
use crate::session::{Controller, Session};

/// How to start: everything but the scenario's id, which a front end may
/// ask for once it knows these.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub seed: Option<u64>,
    /// (team id, controller) pairs; the other teams are played by people.
    pub teams: Vec<(String, Controller)>,
    pub autosave: Option<PathBuf>,
    pub resume: Option<PathBuf>,
    /// `--set PATH=VALUE` parameters for a new session.
    pub parameters: Vec<String>,
    pub load: LoadOptions,
    /// Largest log `resume` reads (`--max-log-bytes`); the default if `None`.
    pub max_log_bytes: Option<u64>,
}

/// Why a session did not start.
#[derive(Debug)]
pub enum StartError {
    /// A scenario or log that does not load, shown as a diagnostic with
    /// its file, line and column.
    Diagnostic {
        context: String,
        error: ScenarioError,
    },
    /// Anything else, in words.
    Refused(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Diagnostic { context, error } => write!(f, "{context}: {error}"),
            StartError::Refused(why) => f.write_str(why),
        }
    }
}

impl From<String> for StartError {
    fn from(why: String) -> Self {
        StartError::Refused(why)
    }
}

/// The session resumed from `--resume`, if asked for: its log is read,
/// replayed and every hash checked.
pub fn resume(opts: &StartOptions) -> Result<Option<Session>, StartError> {
    let Some(path) = &opts.resume else {
        return Ok(None);
    };
    let max_bytes = opts.max_log_bytes.unwrap_or(DEFAULT_MAX_LOG_BYTES);
    let log = crate::store::read_log(path, max_bytes).map_err(|error| StartError::Diagnostic {
        context: format!("cannot read {}", path.display()),
        error,
    })?;
    Session::resume(log).map(Some).map_err(|e| match e {
        ReplayError::Scenario(error) => StartError::Diagnostic {
            context: format!(
                "cannot resume {}: the scenario embedded in it does not load",
                path.display()
            ),
            error,
        },
        other => StartError::Refused(format!("cannot resume {}: {other}", path.display())),
    })
}

/// A new session of scenario `id` (a built-in id or a path). The seed is
/// the clock's when none is given; an autosave file that would overwrite
/// one of the scenario's files is refused.
pub fn new_session(id: &str, opts: &StartOptions) -> Result<Session, StartError> {
    let loaded = load_scenario_arg(id, &opts.load)
        .and_then(|l| crate::scenario::params::apply_all(&l, &opts.parameters))
        .map_err(|error| StartError::Diagnostic {
            context: format!("cannot start {id}"),
            error,
        })?;
    if let Some(path) = &opts.autosave
        && let Some(problem) = crate::store::overwrites_scenario(path, id, &loaded)
    {
        return Err(StartError::Refused(format!("--autosave: {problem}")));
    }
    let controllers = Session::controllers_for(&loaded.scenario, &opts.teams, Controller::Human)
        .map_err(|e| StartError::Refused(e.to_string()))?;
    let seed = opts.seed.unwrap_or_else(clock_seed);
    Ok(Session::new(&loaded, seed, controllers, true))
}

/// Where the session autosaves: `--autosave`, else the log it resumed,
/// else the default file for its scenario and seed. The folder is made if
/// missing.
pub fn autosave_path(opts: &StartOptions, session: &Session) -> Option<PathBuf> {
    let path = opts
        .autosave
        .clone()
        .or_else(|| opts.resume.clone())
        .or_else(|| default_autosave(&session.scenario().id, session.log().seed));
    if let Some(dir) = path.as_deref().and_then(Path::parent)
        && !dir.as_os_str().is_empty()
    {
        // A failure shows when the first save is attempted.
        let _ = std::fs::create_dir_all(dir);
    }
    path
}

/// The default autosave file: `$XDG_STATE_HOME/kizuna/` or
/// `~/.local/state/kizuna/`, named by scenario and seed.
pub fn default_autosave(scenario: &str, seed: u64) -> Option<PathBuf> {
    Some(state_dir()?.join(format!("{scenario}-{seed}.ron")))
}

/// `$XDG_STATE_HOME/kizuna/` or `~/.local/state/kizuna/`: autosaves and
/// the server's host key.
pub fn state_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("state"))
        })?;
    Some(base.join("kizuna"))
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
}

/// The language to play in: `--lang` if given, else the language a
/// resumed session was played in, else the locale's (`LANG`).
pub fn language(
    explicit: Option<crate::session::i18n::Lang>,
    logged: Option<&str>,
    locale: Option<&str>,
) -> crate::session::i18n::Lang {
    use crate::session::i18n::Lang;
    explicit
        .or_else(|| logged.map(|l| Lang::from_locale(Some(l))))
        .unwrap_or_else(|| Lang::from_locale(locale))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_resumed_session_keeps_its_language_unless_told() {
        use crate::session::i18n::Lang;
        assert_eq!(language(None, Some("ja"), Some("en_US.UTF-8")), Lang::Ja);
        assert_eq!(language(Some(Lang::En), Some("ja"), None), Lang::En);
        assert_eq!(language(None, None, Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(language(None, None, None), Lang::En);
    }
    use super::*;

    #[test]
    fn a_new_session_takes_its_seed_parameters_and_controllers() {
        let opts = StartOptions {
            seed: Some(11),
            teams: vec![(
                "us".into(),
                Controller::Policy(crate::policy::PolicyKind::Idle),
            )],
            parameters: vec!["turn_limit=5".into()],
            ..StartOptions::default()
        };
        let session = match new_session("tutorial", &opts) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(session.log().seed, 11);
        assert_eq!(session.scenario().turn_limit, 5);
        assert_eq!(
            session.controllers(),
            &[
                Controller::Human,
                Controller::Policy(crate::policy::PolicyKind::Idle)
            ]
        );
    }

    #[test]
    fn bad_starts_say_what_is_wrong() {
        let opts = StartOptions {
            teams: vec![("mars".into(), Controller::Human)],
            ..StartOptions::default()
        };
        let said = |e: Option<StartError>| e.map(|e| e.to_string()).unwrap_or_default();
        let err = said(new_session("tutorial", &opts).err());
        assert!(err.contains("mars"), "{err}");
        let err = said(new_session("no-such-scenario", &StartOptions::default()).err());
        assert!(err.contains("no-such-scenario"), "{err}");
        let opts = StartOptions {
            resume: Some(PathBuf::from("/nonexistent/kizuna.ron")),
            ..StartOptions::default()
        };
        let err = said(resume(&opts).err());
        assert!(err.contains("/nonexistent/kizuna.ron"), "{err}");
    }

    #[test]
    fn the_autosave_is_the_flag_then_the_resumed_log_then_the_default() {
        let session = match new_session(
            "tutorial",
            &StartOptions {
                seed: Some(3),
                ..StartOptions::default()
            },
        ) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let flag = dir.path().join("a").join("flag.ron");
        let resumed = dir.path().join("resumed.ron");
        let opts = StartOptions {
            autosave: Some(flag.clone()),
            resume: Some(resumed.clone()),
            ..StartOptions::default()
        };
        assert_eq!(autosave_path(&opts, &session), Some(flag.clone()));
        assert!(dir.path().join("a").is_dir(), "the folder is made");
        let opts = StartOptions {
            resume: Some(resumed.clone()),
            ..StartOptions::default()
        };
        assert_eq!(autosave_path(&opts, &session), Some(resumed));
        let default = autosave_path(&StartOptions::default(), &session);
        assert!(
            default.is_none_or(|p| p.ends_with("kizuna/tutorial-3.ron")),
            "named by scenario and seed"
        );
    }
}
