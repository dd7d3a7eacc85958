//! `kizuna serve`: one session, each seat at its own terminal over SSH.
//!
//! - `access`: seats, their keys and passphrases, the host key, the brake
//!   on guessing;
//! - `ssh`: one connection (russh): sign-in and one interactive terminal;
//! - `room`: the table and a screen per connected seat, on one thread;
//! - `input`: keys from the bytes a remote terminal sends.
//!
//! The network runs on a small tokio runtime; the room runs on the calling
//! thread, since the screens share the table without locks.

pub mod access;
pub mod input;
pub mod room;
pub mod ssh;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::time::Duration;

use russh::MethodKind;
use russh::server::Config;

use crate::session::i18n::Lang;
use crate::session::table::Seat;
use crate::startup::{self, StartError, StartOptions};
use crate::tui::theme::Theme;

use access::{AuthLimiter, Credentials};
use room::{Room, RoomConfig, RoomEvent};

/// The limits a server keeps, each with its flag.
#[derive(Debug, Clone)]
pub struct ServeLimits {
    /// `--max-connections`: open connections, signed in or not.
    pub max_connections: usize,
    /// `--idle-timeout`: a seat that types nothing this long is
    /// disconnected (observers excepted); `None` never.
    pub idle_timeout: Option<Duration>,
    /// `--frames-queued`: frames waiting for a slow client before frames
    /// are skipped for it.
    pub frames_queued: usize,
    /// `--auth-failures`: failed sign-ins per address per minute before
    /// the address is refused for the rest of that minute.
    pub auth_failures: u32,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            max_connections: 64,
            idle_timeout: Some(Duration::from_secs(60 * 60)),
            frames_queued: 8,
            auth_failures: 10,
        }
    }
}

/// What `kizuna serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A built-in id or a path; `None` only with `--resume`.
    pub scenario: Option<String>,
    pub listen: SocketAddr,
    /// `--seat SEAT=PUBKEY_FILE`, as given.
    pub seat_keys: Vec<(String, PathBuf)>,
    /// `--passphrases FILE`: a passphrase for every seat without a key.
    pub passphrases: Option<PathBuf>,
    pub host_key: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub turn_timer: Option<Duration>,
    pub limits: ServeLimits,
    pub start: StartOptions,
}

/// A line on the facilitator's console. A console that has gone away
/// (a closed pipe, a closed terminal) loses the line, not the server.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// The default address: loopback only; reaching beyond is asked for.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:2222";

/// How often the room wakes without input, for the timer and idle seats.
const TICK: Duration = Duration::from_millis(250);

/// A prepared server: everything that can fail has been checked, and the
/// socket is bound, before anything runs.
pub struct Prepared {
    pub room: Room,
    listener: std::net::TcpListener,
    config: Arc<Config>,
    shared: Arc<ssh::Shared>,
    events: std::sync::mpsc::Receiver<RoomEvent>,
    sender: SyncSender<RoomEvent>,
    pub address: SocketAddr,
    /// Lines for the console before play starts.
    pub banner: Vec<String>,
    pub autosave: Option<PathBuf>,
}

/// Loads or resumes the session, reads the keys, makes the passphrases and
/// the host key, and binds the socket.
pub fn prepare(opts: &ServeOptions) -> Result<Prepared, StartError> {
    let session = match startup::resume(&opts.start)? {
        Some(s) => s,
        None => {
            let Some(id) = &opts.scenario else {
                return Err(StartError::Refused(
                    "serve needs a scenario (a built-in id or a path) or --resume LOG".into(),
                ));
            };
            let mut fresh = startup::new_session(id, &opts.start)?;
            let lang = opts.lang.unwrap_or(Lang::En);
            fresh
                .set_language(lang.code())
                .map_err(|e| StartError::Refused(e.to_string()))?;
            fresh
        }
    };
    let scenario = Arc::clone(session.scenario());
    let lang = startup::language(opts.lang, session.log().lang.as_deref(), None);

    let mut credentials = Credentials::default();
    for (name, path) in &opts.seat_keys {
        let Some(seat) = access::seat_named(&scenario, name) else {
            let seats: Vec<String> = access::all_seats(&scenario)
                .into_iter()
                .map(|s| access::seat_name(&scenario, s))
                .collect();
            return Err(StartError::Refused(format!(
                "--seat {name}=…: no such seat; the seats are {}",
                seats.join(", ")
            )));
        };
        credentials.add_key_file(seat, path)?;
    }
    let mut banner = Vec::new();
    if let Some(path) = &opts.passphrases {
        let mut lines = Vec::new();
        for seat in access::all_seats(&scenario) {
            if credentials.has_key(seat) {
                continue;
            }
            let passphrase = access::new_passphrase();
            lines.push((access::seat_name(&scenario, seat), passphrase.clone()));
            credentials.set_passphrase(seat, passphrase);
        }
        access::write_passphrases(path, &lines)?;
        banner.push(format!(
            "Passphrases (also in {}, readable by you only):",
            path.display()
        ));
        for (seat, p) in &lines {
            banner.push(format!("  {seat:<12} {p}"));
        }
    }
    let seated: Vec<Seat> = access::all_seats(&scenario)
        .into_iter()
        .filter(|&s| credentials.has_key(s) || credentials.any_passphrase())
        .collect();
    if seated.is_empty() {
        return Err(StartError::Refused(
            "no seat can sign in: give --seat SEAT=KEY.pub for each seat, or --passphrases FILE"
                .into(),
        ));
    }

    let host_key_path = opts
        .host_key
        .clone()
        .or_else(access::default_host_key)
        .ok_or_else(|| {
            StartError::Refused("no place for the host key: give --host-key FILE".into())
        })?;
    let host_key = access::host_key(&host_key_path)?;
    let fingerprint = access::fingerprint(&host_key);

    let listener = std::net::TcpListener::bind(opts.listen)
        .map_err(|e| StartError::Refused(format!("cannot listen on {}: {e}", opts.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|e| StartError::Refused(format!("cannot listen on {}: {e}", opts.listen)))?;

    let autosave = startup::autosave_path(&opts.start, &session);
    let mut methods = russh::MethodSet::empty();
    methods.push(MethodKind::PublicKey);
    if credentials.any_passphrase() {
        methods.push(MethodKind::Password);
    }
    let config = Arc::new(Config {
        methods,
        keys: vec![host_key],
        auth_rejection_time: Duration::from_millis(500),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        // Dead connections are found by keepalives; idle people by the room.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 4,
        nodelay: true,
        ..Default::default()
    });
    let (sender, events) = sync_channel(1024);
    let shared = Arc::new(ssh::Shared {
        scenario: Arc::clone(&scenario),
        credentials,
        limiter: AuthLimiter::new(opts.limits.auth_failures, Duration::from_secs(60)),
        room: sender.clone(),
        frames_queued: opts.limits.frames_queued.max(1),
        active: AtomicUsize::new(0),
    });

    banner.insert(0, format!("Serving {} on {address}", scenario.id));
    banner.insert(1, format!("Host key fingerprint: {fingerprint}"));
    banner.insert(2, format!("  (kept in {})", host_key_path.display()));
    let port = address.port();
    let host = if address.ip().is_loopback() {
        "localhost".to_string()
    } else {
        address.ip().to_string()
    };
    banner.push("Seats:".to_string());
    for seat in &seated {
        let name = access::seat_name(&scenario, *seat);
        banner.push(format!("  ssh -t -p {port} {name}@{host}"));
    }
    if let Some(path) = &autosave {
        banner.push(format!("Autosave: {}", path.display()));
    }
    banner.push("Ctrl-C stops the server and saves.".to_string());

    let room = Room::new(
        session,
        RoomConfig {
            autosave: autosave.clone(),
            lang,
            theme: Theme::from_env(std::env::var("NO_COLOR").ok().as_deref()),
            turn_timer: opts.turn_timer,
            idle_timeout: opts.limits.idle_timeout,
        },
        Box::new(|line| say(&line)),
    );
    Ok(Prepared {
        room,
        listener,
        config,
        shared,
        events,
        sender,
        address,
        banner,
        autosave,
    })
}

/// Serves until `stop` is set (Ctrl-C, SIGTERM, SIGHUP), then saves.
pub fn run(
    prepared: Prepared,
    max_connections: usize,
    stop: Arc<AtomicBool>,
) -> Result<(), String> {
    let Prepared {
        mut room,
        listener,
        config,
        shared,
        events,
        sender,
        ..
    } = prepared;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen: {e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network: {e}"))?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| format!("cannot listen: {e}"))?
    };
    runtime.spawn(accept(listener, config, shared, max_connections));
    // The room stops when asked, or when a signal sets the flag.
    let watcher = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = sender.send(RoomEvent::Stop);
        })
    };
    room.run(events, TICK);
    room.close_all();
    stop.store(true, Ordering::Relaxed);
    let _ = watcher.join();
    // Time for the connections to send their goodbyes before the runtime,
    // and every socket with it, goes.
    std::thread::sleep(Duration::from_millis(300));
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

async fn accept(
    listener: tokio::net::TcpListener,
    config: Arc<Config>,
    shared: Arc<ssh::Shared>,
    max_connections: usize,
) {
    let mut next: room::ConnId = 0;
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            // Out of file descriptors and the like: wait, then go on.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if shared.active.load(Ordering::SeqCst) >= max_connections {
            say(&format!(
                "refused {peer}: {max_connections} connections are open (--max-connections)"
            ));
            continue;
        }
        if !shared
            .limiter
            .allows(Some(peer.ip()), std::time::Instant::now())
        {
            continue;
        }
        let _ = stream.set_nodelay(true);
        shared.active.fetch_add(1, Ordering::SeqCst);
        next += 1;
        let handler = ssh::Connection::new(Arc::clone(&shared), next, Some(peer));
        let config = Arc::clone(&config);
        tokio::spawn(async move {
            if let Ok(session) = russh::server::run_stream(config, stream, handler).await {
                let _ = session.await;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::session::{Controller, Session};

    fn options(dir: &std::path::Path) -> ServeOptions {
        ServeOptions {
            scenario: Some("tutorial".into()),
            listen: "127.0.0.1:0".parse().expect("address"),
            seat_keys: Vec::new(),
            passphrases: Some(dir.join("passphrases.txt")),
            host_key: Some(dir.join("host_key")),
            lang: None,
            turn_timer: None,
            limits: ServeLimits::default(),
            start: StartOptions {
                seed: Some(7),
                autosave: Some(dir.join("served.ron")),
                ..StartOptions::default()
            },
        }
    }

    fn refusal(opts: &ServeOptions) -> String {
        match prepare(opts) {
            Err(StartError::Refused(why)) => why,
            Err(other) => panic!("a diagnostic, not a refusal: {other}"),
            Ok(_) => panic!("prepared"),
        }
    }

    #[test]
    fn a_served_session_resumes_from_its_log() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loaded = load_builtin("tutorial", &LoadOptions::default()).expect("tutorial");
        let controllers =
            Session::controllers_for(&loaded.scenario, &[], Controller::Human).expect("teams");
        let mut session = Session::new(&loaded, 7, controllers, true);
        for _ in 0..2 {
            session.play_turn(Vec::new(), Vec::new()).expect("a turn");
        }
        let log = dir.path().join("earlier.ron");
        crate::store::write_log(&log, session.log()).expect("written");
        let mut opts = options(dir.path());
        opts.scenario = None;
        opts.start.autosave = None;
        opts.start.resume = Some(log.clone());
        let prepared = prepare(&opts).expect("prepared");
        assert_eq!(prepared.room.table().session().turn(), 3);
        assert_eq!(
            prepared.autosave,
            Some(log),
            "a resumed session saves where it was"
        );
        assert!(prepared.address.ip().is_loopback());
        assert!(
            prepared
                .banner
                .iter()
                .any(|l| l.starts_with("Host key fingerprint: SHA256:"))
        );
    }

    #[test]
    fn a_server_nobody_can_sign_in_to_or_an_unknown_seat_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut opts = options(dir.path());
        opts.passphrases = None;
        assert!(refusal(&opts).contains("no seat can sign in"));
        opts.seat_keys = vec![("navy".into(), dir.path().join("navy.pub"))];
        let why = refusal(&opts);
        assert!(
            why.contains("no such seat; the seats are jp, us, facilitator, observer"),
            "{why}"
        );
        opts.seat_keys = vec![("jp".into(), dir.path().join("missing.pub"))];
        assert!(refusal(&opts).contains("cannot read the key file"));
        let mut opts = options(dir.path());
        opts.scenario = None;
        assert!(refusal(&opts).contains("needs a scenario"));
    }

    #[test]
    fn a_busy_port_is_refused_with_its_address() {
        let dir = tempfile::tempdir().expect("temp dir");
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let mut opts = options(dir.path());
        opts.listen = taken.local_addr().expect("address");
        let why = refusal(&opts);
        assert!(
            why.starts_with(&format!("cannot listen on {}", opts.listen)),
            "{why}"
        );
    }
}
