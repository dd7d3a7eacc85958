//! A load test on loopback: `kizuna serve` with 20 observer seats (the
//! projector) and the two team seats connected at once over SSH, each a
//! russh client reading its frames into a screen of text. Three turns are
//! played; every turn must reach every screen. How long each took, from
//! the keypress that resolved the turn to the frame that shows it, is
//! printed per seat (`cargo test --release --test serve_load -- --nocapture`);
//! it is reported, not asserted. The whole test is bounded in time.

use std::io::{BufRead, BufReader};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;

const BIN: &str = env!("CARGO_BIN_EXE_kizuna");
const OBSERVERS: usize = 20;
const TURNS: u32 = 3;
/// Longest any step may take before the test fails rather than hangs.
const BOUND: Duration = Duration::from_secs(30);

struct AnyHostKey;

impl client::Handler for AnyHostKey {
    type Error = russh::Error;
    // The host key's check is the OpenSSH test's; here it is only load.
    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// The server, stopped (and so saving) when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

/// What one seat's screen shows, and when each turn first appeared on it.
struct Seat {
    name: String,
    screen: Mutex<vt100::Parser>,
    turn_seen: Mutex<Vec<Option<Instant>>>,
}

impl Seat {
    fn shows(&self, text: &str) -> bool {
        self.screen
            .lock()
            .is_ok_and(|s| s.screen().contents().contains(text))
    }
}

fn start_server(dir: &Path) -> (Server, u16) {
    let mut child = Command::new(BIN)
        .args(["serve", "tutorial", "--seed", "7", "--lang", "en"])
        .args(["--listen", "127.0.0.1:0", "--idle-timeout", "0"])
        .arg("--passphrases")
        .arg(dir.join("passphrases.txt"))
        .arg("--host-key")
        .arg(dir.join("host_key"))
        .arg("--autosave")
        .arg(dir.join("load.ron"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("its output");
    let server = Server(child);
    let mut port = None;
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("a line");
        if let Some(p) = line.strip_prefix("Serving tutorial on 127.0.0.1:") {
            port = p.trim().parse().ok();
        }
        if line.contains("Ctrl-C stops the server") {
            break;
        }
    }
    // Keep reading the console, as a terminal would.
    std::thread::spawn(move || lines.for_each(drop));
    (server, port.expect("the banner names the port"))
}

fn passphrase(dir: &Path, seat: &str) -> String {
    std::fs::read_to_string(dir.join("passphrases.txt"))
        .expect("passphrases")
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{seat} ")).map(str::to_string))
        .expect("a passphrase for the seat")
}

/// Connects a seat and reads its frames until the connection ends; returns
/// a way to type on it.
async fn connect(
    port: u16,
    user: &str,
    password: String,
    seat: Arc<Seat>,
) -> (Handle<AnyHostKey>, russh::ChannelWriteHalf<client::Msg>) {
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect(config, ("127.0.0.1", port), AnyHostKey)
        .await
        .expect("connects");
    let auth = handle
        .authenticate_password(user, password)
        .await
        .expect("authenticates");
    assert!(auth.success(), "{user} signs in: {auth:?}");
    let channel = handle.channel_open_session().await.expect("a session");
    channel
        .request_pty(false, "xterm-256color", 120, 40, 0, 0, &[])
        .await
        .expect("a pty");
    channel.request_shell(false).await.expect("a shell");
    let (mut read, write) = channel.split();
    tokio::spawn(async move {
        while let Some(msg) = read.wait().await {
            if let ChannelMsg::Data { data } = msg {
                let now = Instant::now();
                let Ok(mut screen) = seat.screen.lock() else {
                    return;
                };
                screen.process(&data);
                let text = screen.screen().contents();
                drop(screen);
                if let Ok(mut seen) = seat.turn_seen.lock() {
                    for (i, at) in seen.iter_mut().enumerate() {
                        if at.is_none() && text.contains(&format!("Turn {}/12", i + 1)) {
                            *at = Some(now);
                        }
                    }
                }
            }
        }
    });
    (handle, write)
}

/// Waits, bounded, until `ok` holds.
async fn until(what: &str, ok: impl Fn() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < BOUND, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[test]
fn twenty_observers_and_two_teams_each_see_every_turn() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (server, port) = start_server(dir.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let seats: Vec<Arc<Seat>> = ["jp", "us"]
        .iter()
        .map(|s| s.to_string())
        .chain((1..=OBSERVERS).map(|i| format!("observer {i}")))
        .map(|name| {
            Arc::new(Seat {
                name,
                screen: Mutex::new(vt100::Parser::new(
                    NonZeroU16::MIN.saturating_add(39),
                    NonZeroU16::MIN.saturating_add(119),
                    0,
                )),
                turn_seen: Mutex::new(vec![None; TURNS as usize + 1]),
            })
        })
        .collect();
    let latencies: Vec<Vec<Duration>> = runtime.block_on(async {
        let mut connections = Vec::new();
        for seat in &seats {
            let user = if seat.name.starts_with("observer") {
                "observer"
            } else {
                &seat.name
            };
            let password = passphrase(dir.path(), user);
            connections.push(connect(port, user, password, Arc::clone(seat)).await);
        }
        until("every screen at turn 1", || {
            seats.iter().all(|s| s.shows("Turn 1/12"))
        })
        .await;
        let mut resolved_at = Vec::new();
        for turn in 1..=TURNS {
            let (jp, us) = (&connections[0].1, &connections[1].1);
            // Japan closes its debrief if one opened, and ends its turn.
            jp.data(&b"\rey"[..]).await.expect("Japan types");
            until("Japan's end of turn to reach the US", || {
                seats[1].shows("Deciding: United States")
            })
            .await;
            let sent = Instant::now();
            us.data(&b"\rey"[..]).await.expect("the US types");
            let next = format!("Turn {}/12", turn + 1);
            until(&format!("every screen at turn {}", turn + 1), || {
                seats.iter().all(|s| s.shows(&next))
            })
            .await;
            resolved_at.push(sent);
        }
        for (_, write) in &connections {
            let _ = write.eof().await;
        }
        seats
            .iter()
            .map(|seat| {
                let seen = seat.turn_seen.lock().expect("times").clone();
                resolved_at
                    .iter()
                    .enumerate()
                    .map(|(i, sent)| {
                        seen[i + 1]
                            .expect("the turn reached the screen")
                            .saturating_duration_since(*sent)
                    })
                    .collect()
            })
            .collect()
    });
    println!("frame latency, end of turn to the frame showing the next turn (ms):");
    println!(
        "{:<12} {:>8} {:>8} {:>8}",
        "seat", "turn 1", "turn 2", "turn 3"
    );
    for (seat, times) in seats.iter().zip(&latencies) {
        let ms: Vec<String> = times
            .iter()
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1000.0))
            .collect();
        println!("{:<12} {:>8} {:>8} {:>8}", seat.name, ms[0], ms[1], ms[2]);
    }
    let mut all: Vec<Duration> = latencies.into_iter().flatten().collect();
    all.sort();
    println!(
        "all {} frames: median {:.1} ms, max {:.1} ms",
        all.len(),
        all[all.len() / 2].as_secs_f64() * 1000.0,
        all[all.len() - 1].as_secs_f64() * 1000.0
    );
    drop(runtime);
    drop(server);
    let replay = Command::new(BIN)
        .arg("replay")
        .arg(dir.path().join("load.ron"))
        .output()
        .expect("replay runs");
    let text = String::from_utf8_lossy(&replay.stdout);
    assert!(replay.status.success(), "{replay:?}");
    assert!(text.contains("3 turns replayed"), "{text}");
}
