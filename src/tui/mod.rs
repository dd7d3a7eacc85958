//! The terminal UI: `kizuna play`. This module owns the terminal (raw mode,
//! alternate screen, mouse), the event loop and the restore-on-anything
//! guard; `app` holds the state and rules, `panels` draw it.

pub mod action;
pub mod app;
pub mod data;
pub mod decision_browser;
pub mod draw;
pub mod fixture;
pub mod i18n;
pub mod inbox;
pub mod keys;
pub mod layout;
pub mod panels;
pub mod theme;

use std::io::{self, Stdout};
use std::path::PathBuf;
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

use crate::startup::{self, StartError, StartOptions};

use app::App;
use i18n::{Lang, Strings};
use theme::Theme;

/// What `kizuna play` was asked for.
#[derive(Debug, Clone)]
pub struct PlayOptions {
    /// A built-in id or a path; the picker asks when there is none.
    pub scenario: Option<String>,
    /// `--lang`; without it, a resumed session's own language, else the
    /// locale's.
    pub lang: Option<Lang>,
    /// A facilitator-run screen: no passphrase for the facilitator's view.
    pub facilitator: bool,
    pub start: StartOptions,
}

/// How a session ended, for the message printed after the terminal is back.
#[derive(Debug, Clone)]
pub struct PlayEnd {
    pub saved: Option<PathBuf>,
    pub seed: u64,
    pub save_error: Option<String>,
    /// The language the session was played in, for the words printed after.
    pub lang: Lang,
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

/// Set by SIGTERM, SIGHUP or SIGINT (which arrives only outside raw mode;
/// in it Ctrl-C is a key); the loop then saves and leaves. A second signal
/// ends the process at once, in case the first is not heeded.
pub fn signal_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        let _ = signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&flag));
        let _ = signal_hook::flag::register(sig, Arc::clone(&flag));
    }
    flag
}

/// How long the loop waits for a key before it looks at signals again.
const INPUT_WAIT: Duration = Duration::from_millis(200);

/// The next terminal event, or `None` after [`INPUT_WAIT`] without one. A
/// terminal that hung up (a dropped SSH connection, a closed pane) is an
/// error, since no key will ever come and waiting on it would spin.
fn next_event() -> io::Result<Option<TermEvent>> {
    if terminal_hung_up() {
        return Err(io::Error::new(
            io::ErrorKind::BrokenPipe,
            "the terminal hung up",
        ));
    }
    if !event::poll(INPUT_WAIT)? {
        return Ok(None);
    }
    event::read().map(Some)
}

/// Whether standard input is a terminal whose other end has closed.
#[cfg(unix)]
fn terminal_hung_up() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::io::IsTerminal;
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return false;
    }
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    match poll(&mut fds, Some(&now)) {
        Ok(_) => fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
fn terminal_hung_up() -> bool {
    false
}

/// Runs `kizuna play`.
pub fn play(opts: PlayOptions) -> Result<PlayEnd, StartError> {
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());
    // Load what can fail before the terminal changes, so errors print plainly.
    let mut session = startup::resume(&opts.start)?;
    let lang = startup::language(
        opts.lang,
        session.as_ref().and_then(|s| s.log().lang.as_deref()),
        std::env::var("LANG").ok().as_deref(),
    );
    let strings = Strings::new(lang);
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
                        lang,
                    });
                }
            },
        };
        let mut fresh =
            startup::new_session(&id, &opts.start).inspect_err(|_| restore_terminal())?;
        // A new session keeps its language, so a resume opens in it.
        if let Err(e) = fresh.set_language(lang.code()) {
            restore_terminal();
            return Err(StartError::Refused(e.to_string()));
        }
        session = Some(fresh);
    }
    let Some(session) = session else {
        return Err(StartError::Refused("no session was started".to_string()));
    };
    let seed = session.log().seed;
    let autosave = startup::autosave_path(&opts.start, &session);
    let mut app = App::new(session, strings, theme);
    app.autosave = autosave.clone();
    app.begin(opts.facilitator);
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
        lang,
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
        let Some(input) = next_event()? else {
            continue;
        };
        match input {
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
        if let Some(TermEvent::Key(k)) = next_event()?
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
