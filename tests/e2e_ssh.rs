//! End to end over SSH: `kizuna serve` with the real OpenSSH client, each
//! seat in its own tmux terminal. Japan, the US and the facilitator sign
//! in with keys, checked against a known_hosts entry for the server's host
//! key; an intrusion only Japan detected and a message only Japan was sent
//! stay off the US screen; three turns
//! are played, each team ending its turn at its own terminal; Japan drops
//! and comes back to its queued decision; the server stops and the
//! autosave replays. Then the refusals: a wrong key, an unknown seat, a
//! command, a forwarded port, a wrong passphrase.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod tmux;
use tmux::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_kizuna");

fn ssh_present() -> bool {
    ["ssh", "ssh-keygen"].iter().all(|tool| {
        Command::new(tool)
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
    })
}

fn keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success(), "ssh-keygen: {out:?}");
    path
}

/// A running `kizuna serve` and what a client needs to reach it.
struct Server {
    tmux: Tmux,
    dir: PathBuf,
    port: u16,
}

impl Server {
    /// Starts the server in its own tmux terminal on a free loopback port
    /// and writes a known_hosts file holding its host key.
    fn start(tag: &str, dir: &Path, args: &str) -> Server {
        let host_key = dir.join("host_key");
        let cmd = format!(
            "env -u NO_COLOR '{BIN}' serve tutorial --seed 24 --lang en --listen 127.0.0.1:0 \
             --host-key '{}' --autosave '{}' {args}; echo KIZUNA_EXIT=$?; sleep 60",
            host_key.display(),
            dir.join("served.ron").display()
        );
        let tmux = Tmux::session(tag, &cmd);
        let banner = tmux.wait_for("Ctrl-C stops the server");
        let port = banner
            .lines()
            .find_map(|l| l.strip_prefix("Serving tutorial on 127.0.0.1:"))
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("no port in the banner:\n{banner}"));
        // The fingerprint printed is the host key's, as ssh-keygen sees it.
        let seen = Command::new("ssh-keygen")
            .arg("-lf")
            .arg(&host_key)
            .output()
            .expect("ssh-keygen -l");
        let seen = String::from_utf8_lossy(&seen.stdout).into_owned();
        let fingerprint = seen.split_whitespace().nth(1).expect("a fingerprint");
        assert!(
            banner.contains(&format!("Host key fingerprint: {fingerprint}")),
            "{banner}\n{seen}"
        );
        let public = Command::new("ssh-keygen")
            .arg("-yf")
            .arg(&host_key)
            .output()
            .expect("ssh-keygen -y");
        let public = String::from_utf8_lossy(&public.stdout).trim().to_string();
        std::fs::write(
            dir.join("known_hosts"),
            format!("[127.0.0.1]:{port} {public}\n"),
        )
        .expect("known_hosts");
        Server {
            tmux,
            dir: dir.to_path_buf(),
            port,
        }
    }

    /// `ssh` options: the host key checked strictly against our file.
    fn options(&self) -> Vec<String> {
        [
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            &format!(
                "UserKnownHostsFile={}",
                self.dir.join("known_hosts").display()
            ),
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "ConnectTimeout=10",
            "-p",
            &self.port.to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// A seat's terminal: `ssh -t` in its own tmux server, 120×40.
    fn seat(&self, tag: &str, seat: &str, key: &Path) -> Tmux {
        let cmd = format!(
            "env LANG=C ssh -t -o BatchMode=yes {} -i '{}' {seat}@127.0.0.1; echo SSH_EXIT=$?; sleep 60",
            self.options().join(" "),
            key.display()
        );
        Tmux::session(tag, &cmd)
    }

    /// `ssh` run to the end without a terminal, for the refusals.
    fn ssh(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("ssh");
        cmd.args(self.options())
            .args(["-o", "BatchMode=yes"])
            .args(args);
        run_bounded(cmd)
    }

    fn stop(&self) -> String {
        self.tmux.keys(&["C-c"]);
        self.tmux.wait_for("KIZUNA_EXIT=0")
    }
}

/// Runs a command to its end, killed after 20 s so a hang fails the test.
fn run_bounded(mut cmd: Command) -> Output {
    let child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the command starts");
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return;
            }
        }
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
    let out = child.wait_with_output().expect("the command ends");
    let _ = watchdog.join();
    out
}

/// Once `turn` is on the screen, closes the team's turn-start dialog (the
/// briefing or the debrief) if the turn opened one.
fn close_turn_start(seat: &Tmux, turn: u32) {
    let screen = seat.wait_for(&format!("Turn {turn}/12"));
    if screen.contains("Enter to the decisions") {
        seat.keys(&["Enter"]);
        seat.wait("the dialog to close", |s| {
            !s.contains("Enter to the decisions")
        });
    }
}

fn end_turn(seat: &Tmux) {
    seat.keys(&["e"]);
    seat.wait_for("'s turn?");
    seat.keys(&["y"]);
}

#[test]
fn three_seats_play_over_ssh_and_the_autosave_replays() {
    if !ssh_present() {
        panic!(
            "the OpenSSH client is not installed (apt-get install -y openssh-client; .ci/run installs it)"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (jp_key, us_key, fac_key) = (
        keygen(dir.path(), "jp"),
        keygen(dir.path(), "us"),
        keygen(dir.path(), "fac"),
    );
    let server = Server::start(
        "ssh-srv",
        dir.path(),
        &format!(
            "--seat jp='{}.pub' --seat us='{}.pub' --seat facilitator='{}.pub'",
            jp_key.display(),
            us_key.display(),
            fac_key.display()
        ),
    );
    let jp = server.seat("ssh-jp", "jp", &jp_key);
    let us = server.seat("ssh-us", "us", &us_key);
    let fac = server.seat("ssh-fac", "facilitator", &fac_key);
    close_turn_start(&jp, 1);
    close_turn_start(&us, 1);
    fac.wait_for("Facilitator");

    // The facilitator tells Japan alone something.
    fac.keys(&["i"]);
    fac.wait_for("Ad-hoc inject");
    fac.keys(&["-l", "Quiet word for Tokyo"]);
    fac.keys(&["Tab"]);
    fac.keys(&["-l", "A liaison call at noon"]);
    fac.keys(&["Tab", "1", "Enter"]);
    fac.wait_for("Inject queued");

    // Turn 1: Japan queues a decision and ends its turn first.
    jp.keys(&["4"]);
    jp.wait_for("Queued (0)");
    jp.keys(&["Space"]);
    jp.wait_for("Queued (1)");
    end_turn(&jp);
    let waiting = jp.wait_for("waiting for United States");
    assert!(waiting.contains("Turn 1/12"), "{waiting}");
    us.wait_for("Deciding: United States");
    end_turn(&us);
    for seat in [&jp, &us, &fac] {
        seat.wait_for("Turn 2/12");
    }

    // Only Japan was told.
    close_turn_start(&jp, 2);
    close_turn_start(&us, 2);
    jp.keys(&["3"]);
    jp.wait_for("Quiet word for Tokyo");
    us.keys(&["3"]);
    let inbox = us.wait_for("Morning briefing");
    assert!(!inbox.contains("Quiet word"), "the US inbox:\n{inbox}");

    // Turn 2: the US ends first this time.
    end_turn(&us);
    us.wait_for("waiting for Japan");
    end_turn(&jp);
    for seat in [&jp, &us, &fac] {
        seat.wait_for("Turn 3/12");
    }

    // In turn 2 the waterworks, a Japanese organisation, detected the
    // intrusion (seed 24): Japan's debrief and inbox say so, the US's do not.
    let debrief = jp.wait_for("detected an intrusion on Staff terminals");
    assert!(debrief.contains("Japan — turn 3"), "{debrief}");
    let us_debrief = us.wait_for("United States — turn 3");
    assert!(!us_debrief.contains("Staff terminals"), "{us_debrief}");
    close_turn_start(&us, 3);
    us.keys(&["3"]);
    let inbox = us.wait_for("Morning briefing");
    assert!(!inbox.contains("Detected on Staff terminals"), "{inbox}");
    close_turn_start(&jp, 3);
    jp.keys(&["3"]);
    jp.wait_for("Detected on Staff terminals");

    // Turn 3: Japan queues, drops its connection, and comes back to it.
    close_turn_start(&jp, 3);
    jp.keys(&["4", "Space"]);
    jp.wait_for("Queued (1)");
    drop(jp);
    server.tmux.wait_for("jp left");
    let jp = server.seat("ssh-jp2", "jp", &jp_key);
    close_turn_start(&jp, 3);
    jp.keys(&["4"]);
    let back = jp.wait_for("Queued (1)");
    assert!(
        back.contains("[x]"),
        "the queued decision is still ticked:\n{back}"
    );
    end_turn(&jp);
    end_turn(&us);
    for seat in [&jp, &us, &fac] {
        seat.wait_for("Turn 4/12");
    }

    // Stopping the server closes every seat and keeps the log.
    let console = server.stop();
    assert!(console.contains("turn 3 resolved"), "{console}");
    jp.wait_for("SSH_EXIT=0");
    let replay = Command::new(BIN)
        .arg("replay")
        .arg(dir.path().join("served.ron"))
        .output()
        .expect("replay runs");
    let text = String::from_utf8_lossy(&replay.stdout);
    assert!(replay.status.success(), "{replay:?}");
    assert!(
        text.contains("3 turns replayed, every hash matches"),
        "{text}"
    );
}

#[test]
fn wrong_keys_unknown_seats_commands_and_forwarding_are_refused() {
    if !ssh_present() {
        panic!(
            "the OpenSSH client is not installed (apt-get install -y openssh-client; .ci/run installs it)"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let jp_key = keygen(dir.path(), "jp");
    let stranger = keygen(dir.path(), "stranger");
    let passphrases = dir.path().join("passphrases.txt");
    let server = Server::start(
        "ssh-refuse",
        dir.path(),
        &format!(
            "--seat jp='{}.pub' --passphrases '{}'",
            jp_key.display(),
            passphrases.display()
        ),
    );
    let key = |k: &Path| k.display().to_string();

    let wrong = server.ssh(&["-i", &key(&stranger), "-tt", "jp@127.0.0.1"]);
    assert_eq!(wrong.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("Permission denied"));

    let unknown = server.ssh(&["-i", &key(&jp_key), "-tt", "root@127.0.0.1"]);
    assert_eq!(unknown.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Permission denied"));

    let exec = server.ssh(&["-i", &key(&jp_key), "jp@127.0.0.1", "cat", "/etc/passwd"]);
    assert_ne!(exec.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&exec.stderr);
    assert!(stderr.contains("exec request failed"), "{stderr}");
    assert!(exec.stdout.is_empty());

    let forward = server.ssh(&["-i", &key(&jp_key), "-W", "127.0.0.1:22", "jp@127.0.0.1"]);
    assert_ne!(forward.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&forward.stderr);
    assert!(stderr.contains("administratively prohibited"), "{stderr}");

    let subsystem = server.ssh(&["-i", &key(&jp_key), "-s", "jp@127.0.0.1", "sftp"]);
    assert_ne!(subsystem.status.code(), Some(0));

    // Without a pty the seat is told how to connect, and nothing is served.
    let no_pty = server.ssh(&["-i", &key(&jp_key), "-T", "jp@127.0.0.1"]);
    assert_ne!(no_pty.status.code(), Some(0));
    let said = String::from_utf8_lossy(&no_pty.stderr);
    assert!(said.contains("connect with ssh -t"), "{said}");

    // The passphrases file is the owner's alone; the observer signs in
    // with its passphrase and a wrong one is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&passphrases)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let list = std::fs::read_to_string(&passphrases).expect("passphrases");
    assert!(
        !list.contains("jp "),
        "a seat with a key gets no passphrase:\n{list}"
    );
    let observer = list
        .lines()
        .find_map(|l| l.strip_prefix("observer "))
        .expect("an observer passphrase")
        .to_string();
    let askpass = |answer: &str, name: &str| {
        let script = dir.path().join(name);
        std::fs::write(&script, format!("#!/bin/sh\necho '{answer}'\n")).expect("askpass");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700))
                .expect("chmod");
        }
        script
    };
    let wrong_pass = askpass("not-the-passphrase", "wrong.sh");
    let mut cmd = Command::new("ssh");
    cmd.args(server.options())
        .args([
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "NumberOfPasswordPrompts=1",
        ])
        .args(["-tt", "observer@127.0.0.1"])
        .env("SSH_ASKPASS", &wrong_pass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0");
    let refused = run_bounded(cmd);
    assert_eq!(refused.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Permission denied"));

    let right = askpass(&observer, "right.sh");
    let projector = Tmux::session(
        "ssh-observer",
        &format!(
            "env SSH_ASKPASS='{}' SSH_ASKPASS_REQUIRE=force DISPLAY=:0 ssh -t {} \
             -o PubkeyAuthentication=no observer@127.0.0.1; sleep 60",
            right.display(),
            server.options().join(" ")
        ),
    );
    let wall = projector.wait_for("Turn 1/12");
    assert!(wall.contains("Tutorial: the waterworks phish"), "{wall}");
    // The projector has no staff, decisions or facilitator controls.
    assert!(!wall.contains("Staff left"), "{wall}");
    projector.keys(&["f"]);
    let still = projector.wait_for("Turn 1/12");
    assert!(!still.contains("Facilitator"), "{still}");

    let console = server.stop();
    assert!(console.contains("refused a command"), "{console}");
    assert!(console.contains("refused port forwarding"), "{console}");
    assert!(
        console.contains("refused passphrase sign-in as 'observer'"),
        "{console}"
    );
}
