//! The terminal UI: `kizuna play`. This module owns the terminal (raw mode,
//! alternate screen, mouse), the event loop and the restore-on-anything
//! guard; `app` holds the state and rules, `panels` draw it.

pub mod action;
pub mod app;
pub mod data;
pub mod draw;
pub mod fixture;
pub mod i18n;
pub mod keys;
pub mod layout;
pub mod panels;
pub mod theme;

use std::io::{self, Stdout};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyCode, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::Rect;

use crate::scenario::load::{LoadOptions, load_scenario_arg};
use crate::session::log::DEFAULT_MAX_LOG_BYTES;
use crate::session::{Controller, Session};

use app::App;
use i18n::{Lang, Strings};
use theme::Theme;

/// What `kizuna play` was asked for.
#[derive(Debug, Clone)]
pub struct PlayOptions {
    pub scenario: Option<String>,
    pub seed: Option<u64>,
    pub lang: Lang,
    pub teams: Vec<(String, Controller)>,
    pub autosave: Option<PathBuf>,
    pub resume: Option<PathBuf>,
    /// `--set PATH=VALUE` parameters for a new session.
    pub parameters: Vec<String>,
    pub load: LoadOptions,
}

/// How a session ended, for the message printed after the terminal is back.
#[derive(Debug, Clone)]
pub struct PlayEnd {
    pub saved: Option<PathBuf>,
    pub seed: u64,
    pub save_error: Option<String>,
}

/// The default autosave file: `$XDG_STATE_HOME/kizuna/` or
/// `~/.local/state/kizuna/`, named by scenario and seed.
pub fn default_autosave(scenario: &str, seed: u64) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("state"))
        })?;
    Some(base.join("kizuna").join(format!("{scenario}-{seed}.ron")))
}

/// Restores the terminal; safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

/// Puts the terminal back when dropped, whatever the way out.
struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, EnableMouseCapture) {
            restore_terminal();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore_terminal();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Set by SIGTERM or SIGHUP; the loop then leaves cleanly.
fn signal_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&flag));
    }
    flag
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
}

/// Runs `kizuna play`.
pub fn play(opts: PlayOptions) -> Result<PlayEnd, String> {
    let strings = Strings::new(opts.lang);
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());
    // Load what can fail before the terminal changes, so errors print plainly.
    let mut session = match &opts.resume {
        Some(path) => {
            let log = crate::store::read_log(path, DEFAULT_MAX_LOG_BYTES)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Some(
                Session::resume(log)
                    .map_err(|e| format!("cannot resume {}: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let stop = signal_flag();
    let mut guard = TerminalGuard::enter().map_err(|e| format!("cannot open the terminal: {e}"))?;
    if session.is_none() {
        let id = match &opts.scenario {
            Some(id) => id.clone(),
            None => match pick(&mut guard, &strings, &theme, &stop).map_err(|e| e.to_string())? {
                Some(id) => id,
                None => {
                    return Ok(PlayEnd {
                        saved: None,
                        seed: 0,
                        save_error: None,
                    });
                }
            },
        };
        let loaded = load_scenario_arg(&id, &opts.load)
            .and_then(|l| crate::scenario::params::apply_all(&l, &opts.parameters))
            .map_err(|e| {
                restore_terminal();
                format!("{e}")
            })?;
        if let Some(path) = &opts.autosave
            && let Some(problem) = crate::store::overwrites_scenario(path, &id, &loaded)
        {
            restore_terminal();
            return Err(format!("--autosave: {problem}"));
        }
        let controllers =
            Session::controllers_for(&loaded.scenario, &opts.teams, Controller::Human)
                .map_err(|e| e.to_string())?;
        let seed = opts.seed.unwrap_or_else(clock_seed);
        session = Some(Session::new(&loaded, seed, controllers, true));
    }
    let session = session.expect("a session was made above");
    let seed = session.log().seed;
    let autosave = opts
        .autosave
        .clone()
        .or_else(|| opts.resume.clone())
        .or_else(|| default_autosave(&session.scenario().id, seed));
    if let Some(dir) = autosave.as_deref().and_then(Path::parent)
        && !dir.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut app = App::new(session, strings, theme);
    app.autosave = autosave.clone();
    app.save();
    let result = run_loop(&mut guard, &mut app, &stop);
    app.save();
    drop(guard);
    result.map_err(|e| e.to_string())?;
    let save_error = app.status.as_ref().filter(|s| s.contains("save")).cloned();
    Ok(PlayEnd {
        saved: autosave,
        seed,
        save_error,
    })
}

fn run_loop(guard: &mut TerminalGuard, app: &mut App, stop: &AtomicBool) -> io::Result<()> {
    loop {
        let size = guard.terminal.size()?;
        app.size = Rect::new(0, 0, size.width, size.height);
        guard.terminal.draw(|f| draw::draw(f, app))?;
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        match event::read()? {
            TermEvent::Key(k) if k.kind == KeyEventKind::Press => app.on_key(k),
            TermEvent::Mouse(m) => {
                if let Some(a) = action::map_mouse(m) {
                    app.apply(a);
                }
            }
            _ => {}
        }
    }
}

/// The scenario picker; `None` if the user quits.
fn pick(
    guard: &mut TerminalGuard,
    strings: &Strings,
    theme: &Theme,
    stop: &AtomicBool,
) -> io::Result<Option<String>> {
    let entries = panels::picker::entries();
    let mut selected = 0usize;
    loop {
        guard
            .terminal
            .draw(|f| panels::picker::draw(f, strings, theme, selected))?;
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        if let TermEvent::Key(k) = event::read()?
            && k.kind == KeyEventKind::Press
        {
            match k.code {
                KeyCode::Up | KeyCode::Char('k') => selected = selected.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => {
                    selected = (selected + 1).min(entries.len().saturating_sub(1))
                }
                KeyCode::Enter => return Ok(entries.get(selected).map(|e| e.0.clone())),
                KeyCode::Char('q') | KeyCode::Esc => return Ok(None),
                _ => {}
            }
        }
    }
}
