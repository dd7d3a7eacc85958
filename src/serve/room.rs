//! The room: one table and a screen per connected seat, on one thread.
//! Connections hand it what their people type and it hands back frames;
//! it knows nothing of SSH, so all of it runs in tests without a socket.
//!
//! Each screen is the local terminal UI's `App` bound to its seat and
//! drawn into its own ratatui terminal the size of the client's window.
//! A command from one screen is passed on to every other as notices,
//! each screen wording only what its seat may know. The room also runs
//! the turn timer and saves the log after every turn.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

use crate::session::Session;
use crate::session::i18n::Lang;
use crate::session::table::{Command, Notice, Seat, Table};
use crate::tui::app::{App, SharedTable};
use crate::tui::i18n::Strings;
use crate::tui::theme::Theme;

use super::input::KeyDecoder;

/// A connection's number, unique for the server's life.
pub type ConnId = u64;

/// What connections tell the room.
#[derive(Debug)]
pub enum RoomEvent {
    /// A signed-in seat opened its terminal.
    Join(Joining),
    Input {
        conn: ConnId,
        bytes: Vec<u8>,
    },
    Resize {
        conn: ConnId,
        width: u16,
        height: u16,
    },
    Leave {
        conn: ConnId,
    },
    /// The server is stopping: save and return.
    Stop,
}

/// A seat that opened its terminal.
#[derive(Debug)]
pub struct Joining {
    pub conn: ConnId,
    pub seat: Seat,
    /// From the client's `LANG`, if it sent one.
    pub lang: Option<Lang>,
    pub width: u16,
    pub height: u16,
    /// Frames for the client; bounded, so a slow client skips frames
    /// instead of holding the room up.
    pub out: Sender<Vec<u8>>,
}

/// How the room runs.
#[derive(Debug, Clone)]
pub struct RoomConfig {
    pub autosave: Option<PathBuf>,
    /// For seats whose client sends no `LANG`.
    pub lang: Lang,
    pub theme: Theme,
    /// The turn resolves when this runs out, ready or not.
    pub turn_timer: Option<Duration>,
    /// A seat that types nothing for this long is disconnected (observers,
    /// who never type, excepted).
    pub idle_timeout: Option<Duration>,
}

/// Bytes a terminal backend writes, collected into one frame; the screen
/// keeps a second handle to take each frame from.
#[derive(Debug, Default, Clone)]
pub struct FrameSink(Rc<RefCell<Vec<u8>>>);

impl FrameSink {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

impl Write for FrameSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a closed screen leaves behind on the client's terminal.
pub fn goodbye() -> Vec<u8> {
    let mut sink = FrameSink::default();
    let _ = execute!(sink, LeaveAlternateScreen, Show);
    sink.take()
}

struct Screen {
    seat: Seat,
    app: App,
    terminal: Terminal<CrosstermBackend<FrameSink>>,
    frames: FrameSink,
    keys: KeyDecoder,
    out: Sender<Vec<u8>>,
    /// A frame was skipped: the next one repaints everything.
    stale: bool,
    dirty: bool,
    last_input: Instant,
}

impl Screen {
    /// Draws the screen and queues the frame; a full queue skips it.
    fn draw(&mut self) {
        let area = Rect::new(0, 0, self.app.size.width, self.app.size.height);
        if self.stale {
            // Forget what the client was shown: the frame after a skipped
            // one must paint every cell.
            let _ = self.terminal.resize(area);
        }
        if self
            .terminal
            .draw(|f| crate::tui::draw::draw(f, &self.app))
            .is_err()
        {
            return;
        }
        let frame = self.frames.take();
        self.dirty = false;
        if frame.is_empty() {
            return;
        }
        self.stale = match self.out.try_send(frame) {
            Ok(()) => false,
            Err(TrySendError::Full(_)) => true,
            // The connection is gone; its Leave is on the way.
            Err(TrySendError::Closed(_)) => false,
        };
        // Try again on the next pass, when the client may have caught up.
        self.dirty = self.stale;
    }
}

/// Keeps time for the turn timer: the time left, which restarts whenever
/// the turn changes and stands still while the session is paused.
struct TurnTimer {
    length: Duration,
    left: Duration,
    /// The chain value the timer started on: a new turn, a rewind or a
    /// branch switch changes it.
    turn_chain: u64,
    last_tick: Instant,
}

pub struct Room {
    table: SharedTable,
    config: RoomConfig,
    screens: BTreeMap<ConnId, Screen>,
    timer: Option<TurnTimer>,
    /// Lines for the facilitator's console.
    console: Box<dyn FnMut(String)>,
}

impl Room {
    pub fn new(session: Session, config: RoomConfig, console: Box<dyn FnMut(String)>) -> Room {
        let table = Rc::new(RefCell::new(Table::new(session)));
        let now = Instant::now();
        let timer = config.turn_timer.map(|length| TurnTimer {
            length,
            left: length,
            turn_chain: table.borrow().session().chain_hash(),
            last_tick: now,
        });
        Room {
            table,
            config,
            screens: BTreeMap::new(),
            timer,
            console,
        }
    }

    pub fn table(&self) -> std::cell::Ref<'_, Table> {
        self.table.borrow()
    }

    /// The seats connected now, by connection.
    pub fn seats(&self) -> Vec<(ConnId, Seat)> {
        self.screens.iter().map(|(c, s)| (*c, s.seat)).collect()
    }

    /// Runs until `Stop` or until every sender is gone, waking at least
    /// every `tick` for the timer and idle seats.
    pub fn run(&mut self, events: Receiver<RoomEvent>, tick: Duration) {
        loop {
            match events.recv_timeout(tick) {
                Ok(RoomEvent::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(event) => self.handle(event, Instant::now()),
                Err(RecvTimeoutError::Timeout) => {}
            }
            // Take whatever else has arrived before drawing once.
            while let Ok(event) = events.try_recv() {
                if matches!(event, RoomEvent::Stop) {
                    self.save();
                    return;
                }
                self.handle(event, Instant::now());
            }
            self.tick(Instant::now());
            self.draw();
        }
        self.save();
    }

    /// Closes every screen: each connection sends its last frames, puts
    /// the client's terminal back and closes.
    pub fn close_all(&mut self) {
        let conns: Vec<ConnId> = self.screens.keys().copied().collect();
        for conn in conns {
            self.close(conn, "was disconnected: the server is stopping");
        }
    }

    pub fn handle(&mut self, event: RoomEvent, now: Instant) {
        match event {
            RoomEvent::Join(joining) => self.join(joining, now),
            RoomEvent::Input { conn, bytes } => self.input(conn, &bytes, now),
            RoomEvent::Resize {
                conn,
                width,
                height,
            } => {
                if let Some(s) = self.screens.get_mut(&conn) {
                    let area = Rect::new(0, 0, width, height);
                    s.app.size = area;
                    let _ = s.terminal.resize(area);
                    s.dirty = true;
                }
            }
            RoomEvent::Leave { conn } => {
                if let Some(s) = self.screens.remove(&conn) {
                    let name = self.seat_name(s.seat);
                    (self.console)(format!("{name} left (connection {conn})"));
                }
            }
            RoomEvent::Stop => {}
        }
    }

    fn join(&mut self, joining: Joining, now: Instant) {
        let Joining {
            conn,
            seat,
            lang,
            width,
            height,
            out,
        } = joining;
        let strings = Strings::new(lang.unwrap_or(self.config.lang));
        let mut app = App::at(
            Rc::clone(&self.table),
            Some(seat),
            strings,
            self.config.theme,
        );
        app.autosave = self.config.autosave.clone();
        app.size = Rect::new(0, 0, width, height);
        app.turn_clock = self.timer.as_ref().map(|t| t.left);
        app.begin(false);
        let mut sink = FrameSink::default();
        let _ = execute!(sink, EnterAlternateScreen, Hide);
        let frames = sink.clone();
        let Ok(terminal) = Terminal::with_options(
            CrosstermBackend::new(sink),
            TerminalOptions {
                viewport: Viewport::Fixed(app.size),
            },
        ) else {
            return;
        };
        let name = self.seat_name(seat);
        (self.console)(format!("{name} joined (connection {conn})"));
        self.screens.insert(
            conn,
            Screen {
                seat,
                app,
                terminal,
                frames,
                keys: KeyDecoder::default(),
                out,
                stale: false,
                dirty: true,
                last_input: now,
            },
        );
    }

    fn input(&mut self, conn: ConnId, bytes: &[u8], now: Instant) {
        let Some(screen) = self.screens.get_mut(&conn) else {
            return;
        };
        screen.last_input = now;
        screen.dirty = true;
        for key in screen.keys.feed(bytes) {
            screen.app.on_key(key);
        }
        let notices = std::mem::take(&mut screen.app.outbox);
        let quit = screen.app.quit;
        if !notices.is_empty() {
            self.pass_on(Some(conn), &notices);
        }
        if quit {
            self.close(conn, "left");
        }
    }

    /// Tells every screen but the sender's what a command changed.
    fn pass_on(&mut self, from: Option<ConnId>, notices: &[Notice]) {
        for (c, s) in self.screens.iter_mut() {
            if Some(*c) != from {
                s.app.observe(notices);
            }
            s.dirty = true;
        }
        for n in notices {
            let line = match n {
                Notice::Resolved { turn } => format!("turn {turn} resolved"),
                Notice::Rewound { to, reason } => format!("rewound to turn {to}: {reason}"),
                Notice::BranchSwitched { branch, .. } => format!("switched to branch {branch}"),
                Notice::StandIn { team, policy } => {
                    let name = self.seat_name(Seat::Team(*team));
                    match policy {
                        Some(p) => format!("{p} stands in for {name}"),
                        None => format!("{name} decides for itself again"),
                    }
                }
                _ => continue,
            };
            (self.console)(line);
        }
    }

    /// Ends a connection from the room's side: its frames stop, and the
    /// connection closes once the last one is sent.
    fn close(&mut self, conn: ConnId, why: &str) {
        if let Some(s) = self.screens.remove(&conn) {
            let name = self.seat_name(s.seat);
            (self.console)(format!("{name} {why} (connection {conn})"));
        }
    }

    /// The timer and idle seats.
    pub fn tick(&mut self, now: Instant) {
        if let Some(limit) = self.config.idle_timeout {
            let idle: Vec<ConnId> = self
                .screens
                .iter()
                .filter(|(_, s)| {
                    s.seat != Seat::Observer && now.duration_since(s.last_input) >= limit
                })
                .map(|(c, _)| *c)
                .collect();
            for conn in idle {
                self.close(conn, "was idle too long and was disconnected");
            }
        }
        let Some(timer) = &mut self.timer else {
            return;
        };
        let (chain, paused, ended) = {
            let table = self.table.borrow();
            (
                table.session().chain_hash(),
                table.paused(),
                table.session().ended(),
            )
        };
        let elapsed = now.saturating_duration_since(timer.last_tick);
        timer.last_tick = now;
        if chain != timer.turn_chain {
            timer.turn_chain = chain;
            timer.left = timer.length;
        } else if !paused && !ended {
            timer.left = timer.left.saturating_sub(elapsed);
        }
        let shown = (!ended).then_some(timer.left);
        let expired = timer.left.is_zero() && !paused && !ended;
        for s in self.screens.values_mut() {
            // Redraw when the shown second changes.
            let second = |d: Duration| d.as_millis().div_ceil(1000);
            if s.app.turn_clock.map(second) != shown.map(second) {
                s.dirty = true;
            }
            s.app.turn_clock = shown;
        }
        if expired {
            self.resolve_now("the turn timer ran out");
        }
    }

    /// Resolves the turn from the room itself (the timer), as the
    /// facilitator would, and saves.
    fn resolve_now(&mut self, why: &str) {
        let result = self
            .table
            .borrow_mut()
            .command(Seat::Facilitator, Command::ResolveNow);
        match result {
            Ok(notices) => {
                (self.console)(why.to_string());
                self.pass_on(None, &notices);
                self.save();
            }
            Err(e) => (self.console)(format!("{why}, but the turn was not resolved: {e}")),
        }
    }

    fn save(&mut self) {
        let Some(path) = &self.config.autosave else {
            return;
        };
        let result = crate::store::write_log(path, self.table.borrow().session().log());
        if let Err(e) = result {
            (self.console)(format!("cannot save {}: {e}", path.display()));
        }
    }

    /// Draws every screen that changed.
    pub fn draw(&mut self) {
        for s in self.screens.values_mut() {
            if s.dirty {
                s.draw();
            }
        }
    }

    fn seat_name(&self, seat: Seat) -> String {
        super::access::seat_name(self.table.borrow().scenario(), seat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::session::Controller;
    use tokio::sync::mpsc::{Receiver as FrameReceiver, channel};

    fn room(turn_timer: Option<Duration>, idle_timeout: Option<Duration>) -> Room {
        let loaded = load_builtin("tutorial", &LoadOptions::default()).expect("tutorial");
        let controllers =
            Session::controllers_for(&loaded.scenario, &[], Controller::Human).expect("teams");
        let session = Session::new(&loaded, 7, controllers, true);
        Room::new(
            session,
            RoomConfig {
                autosave: None,
                lang: Lang::En,
                theme: Theme::named("default"),
                turn_timer,
                idle_timeout,
            },
            Box::new(|_| {}),
        )
    }

    /// A client: the frames it was sent, read into a screen of text.
    struct Client {
        frames: FrameReceiver<Vec<u8>>,
        screen: vt100::Parser,
    }

    impl Client {
        fn read(&mut self) -> String {
            while let Ok(frame) = self.frames.try_recv() {
                self.screen.process(&frame);
            }
            self.screen.screen().contents()
        }
    }

    fn join(room: &mut Room, conn: ConnId, seat: Seat, lang: Option<Lang>, queue: usize) -> Client {
        let (out, frames) = channel(queue);
        room.handle(
            RoomEvent::Join(Joining {
                conn,
                seat,
                lang,
                width: 120,
                height: 40,
                out,
            }),
            Instant::now(),
        );
        room.draw();
        Client {
            frames,
            screen: vt100::Parser::new(
                std::num::NonZeroU16::MIN.saturating_add(39),
                std::num::NonZeroU16::MIN.saturating_add(119),
                0,
            ),
        }
    }

    fn keys(room: &mut Room, conn: ConnId, bytes: &[u8]) {
        room.handle(
            RoomEvent::Input {
                conn,
                bytes: bytes.to_vec(),
            },
            Instant::now(),
        );
        room.draw();
    }

    #[test]
    fn each_seat_is_drawn_in_its_own_language_and_the_turn_reaches_every_screen() {
        let mut room = room(None, None);
        let mut jp = join(&mut room, 1, Seat::Team(0), Some(Lang::Ja), 64);
        let mut us = join(&mut room, 2, Seat::Team(1), None, 64);
        let mut wall = join(&mut room, 3, Seat::Observer, None, 64);
        assert!(jp.read().contains("ターン 1/12"), "{}", jp.read());
        assert!(us.read().contains("Turn 1/12"));
        assert!(wall.read().contains("Turn 1/12"));
        // Each team closes its briefing and ends its turn.
        keys(&mut room, 1, b"\re");
        keys(&mut room, 1, b"y");
        assert!(
            us.read().contains("Deciding: United States"),
            "{}",
            us.read()
        );
        keys(&mut room, 2, b"\rey");
        assert_eq!(room.table().session().turn(), 2);
        assert!(jp.read().contains("ターン 2/12"));
        assert!(us.read().contains("Turn 2/12"));
        assert!(wall.read().contains("Turn 2/12"));
        // L switches one screen's language only.
        keys(&mut room, 3, b"L");
        assert!(wall.read().contains("ターン 2/12"));
        assert!(us.read().contains("Turn 2/12"));
    }

    #[test]
    fn a_client_that_reads_nothing_skips_frames_and_never_holds_up_the_others() {
        let mut room = room(None, None);
        // A queue of one frame that nobody drains.
        let mut stuck = join(&mut room, 1, Seat::Observer, None, 1);
        let mut jp = join(&mut room, 2, Seat::Team(0), None, 64);
        let mut us = join(&mut room, 3, Seat::Team(1), None, 64);
        for turn in 2..=4 {
            keys(&mut room, 2, b"\rey");
            keys(&mut room, 3, b"\rey");
            assert_eq!(room.table().session().turn(), turn);
            assert!(jp.read().contains(&format!("Turn {turn}/12")));
            assert!(us.read().contains(&format!("Turn {turn}/12")));
        }
        // The slow client has its first frame; once it reads, it is
        // repainted whole with the latest turn.
        assert!(stuck.read().contains("Turn 1/12"));
        room.draw();
        let caught_up = stuck.read();
        assert!(caught_up.contains("Turn 4/12"), "{caught_up}");
        assert!(!caught_up.contains("Turn 1/12"));
    }

    #[test]
    fn the_turn_timer_resolves_the_turn_stands_still_when_paused_and_shows_everywhere() {
        let mut room = room(Some(Duration::from_secs(90)), None);
        let mut jp = join(&mut room, 1, Seat::Team(0), None, 64);
        let mut fac = join(&mut room, 2, Seat::Facilitator, None, 64);
        let t0 = Instant::now();
        room.tick(t0);
        room.tick(t0 + Duration::from_secs(30));
        room.draw();
        assert!(jp.read().contains("⏱ 1:00"), "{}", jp.read());
        assert!(fac.read().contains("⏱ 1:00"));
        // Paused, the clock stands still.
        keys(&mut room, 2, b"p");
        room.tick(t0 + Duration::from_secs(200));
        assert_eq!(room.table().session().turn(), 1);
        keys(&mut room, 2, b"p");
        room.tick(t0 + Duration::from_secs(259));
        assert_eq!(room.table().session().turn(), 1);
        room.tick(t0 + Duration::from_secs(261));
        assert_eq!(room.table().session().turn(), 2, "the timer ran out");
        room.draw();
        assert!(jp.read().contains("Turn 2/12"));
        // A new turn starts a full timer.
        room.tick(t0 + Duration::from_secs(262));
        room.draw();
        assert!(jp.read().contains("⏱ 1:30"), "{}", jp.read());
        room.tick(t0 + Duration::from_secs(263));
        room.draw();
        assert!(jp.read().contains("⏱ 1:29"), "{}", jp.read());
    }

    #[test]
    fn an_idle_seat_is_disconnected_but_the_projector_is_not() {
        let mut room = room(None, Some(Duration::from_secs(600)));
        let _jp = join(&mut room, 1, Seat::Team(0), None, 64);
        let _wall = join(&mut room, 2, Seat::Observer, None, 64);
        let _us = join(&mut room, 3, Seat::Team(1), None, 64);
        let later = Instant::now() + Duration::from_secs(300);
        room.handle(
            RoomEvent::Input {
                conn: 3,
                bytes: b"j".to_vec(),
            },
            later,
        );
        room.tick(Instant::now() + Duration::from_secs(601));
        assert_eq!(room.seats(), vec![(2, Seat::Observer), (3, Seat::Team(1))]);
        // Quitting closes the screen, and leaving twice is harmless.
        keys(&mut room, 3, b"\rqy");
        assert_eq!(room.seats(), vec![(2, Seat::Observer)]);
        room.handle(RoomEvent::Leave { conn: 3 }, Instant::now());
        room.handle(RoomEvent::Leave { conn: 2 }, Instant::now());
        assert!(room.seats().is_empty());
    }
}
