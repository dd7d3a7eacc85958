//! End to end: the real binary in a real terminal (tmux). Plays three
//! turns of the tutorial, opens help and the facilitator view, resizes the
//! window, quits, and checks the terminal came back and the autosaved log
//! replays.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod tmux;
use tmux::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_kizuna");

/// Starts `kizuna play tutorial` in a fresh tmux server of 120×40.
fn start(tag: &str, save: &Path) -> Tmux {
    start_play(
        tag,
        &format!(
            "tutorial --seed 7 --lang en --team us=idle --autosave '{}'",
            save.display()
        ),
    )
}

/// Starts `kizuna play ARGS` in a fresh tmux server of 120×40; the pane
/// prints the exit status and stays open a minute to be read.
fn start_play(tag: &str, args: &str) -> Tmux {
    let cmd = format!(
        "env -u NO_COLOR TERM=xterm-256color '{BIN}' play {args}; echo KIZUNA_EXIT=$?; sleep 60"
    );
    Tmux::session(tag, &cmd)
}

#[test]
fn play_three_turns_resize_quit_and_replay() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("tutorial-7.ron");
    let tmux = start("play", &save);
    // The facilitator locks their view with a passphrase, typed twice.
    tmux.wait_for("Facilitator's passphrase");
    tmux.keys(&["fac", "Enter", "fac", "Enter"]);
    // Japan's briefing opens the first turn.
    tmux.wait_for("Briefing");
    tmux.keys(&["Enter"]);
    tmux.wait("the briefing to close", |s| !s.contains("Briefing"));
    tmux.wait_for("Turn 1/12");
    for next in ["Turn 2/12", "Turn 3/12", "Turn 4/12"] {
        // Ending a turn asks first.
        tmux.keys(&["e"]);
        tmux.wait_for("End Japan's turn?");
        tmux.keys(&["y"]);
        tmux.wait_for(next);
        // The debrief of the turn, when there was news, closes on Enter.
        close_turn_start(&tmux);
    }
    // Help opens and any key closes it.
    tmux.keys(&["?"]);
    tmux.wait_for("Press any key to close");
    tmux.keys(&["x"]);
    tmux.wait("help to close", |s| !s.contains("Press any key to close"));
    // The facilitator's ground truth needs the passphrase.
    tmux.keys(&["f"]);
    tmux.wait_for("Facilitator's view: passphrase");
    tmux.keys(&["nope", "Enter"]);
    tmux.wait_for("Wrong passphrase");
    tmux.keys(&["f"]);
    tmux.wait_for("Facilitator's view: passphrase");
    tmux.keys(&["fac", "Enter"]);
    tmux.wait_for("│ Facilitator │");
    tmux.keys(&["6"]);
    tmux.wait_for("Attackers (ground truth)");
    // Resizing: smaller, too small, and back.
    tmux.run(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    tmux.wait("80 columns", |s| {
        s.contains("Turn 4/12") && s.lines().all(|l| l.chars().count() <= 80)
    });
    tmux.run(&["resize-window", "-t", "e2e", "-x", "40", "-y", "10"]);
    tmux.wait_for("Terminal too small");
    tmux.run(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    tmux.wait_for("Turn 4/12");
    // Quit asks first.
    let end = quit(&tmux);
    // The normal screen is back: the UI is gone, the exit message is there.
    assert!(!end.contains("Infrastructure │"), "{end}");
    assert!(end.contains("Session saved to"), "{end}");
    assert!(Path::new(&save).exists());
    let replay = replayed(&save);
    let text = String::from_utf8_lossy(&replay.stdout);
    assert!(
        replay.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    assert!(text.contains("3 turns replayed"), "{text}");
    // The log keeps the language played in, for the resume.
    let saved = std::fs::read_to_string(&save).expect("the log");
    assert!(
        saved.contains("lang: Some(\"en\")"),
        "no language in the log"
    );
    drop(tmux);

    // The saved session resumes where it stopped.
    let tmux = start_play("resume", &format!("--resume '{}'", save.display()));
    // No passphrase this time: the facilitator's view stays open.
    tmux.wait_for("Facilitator's passphrase");
    tmux.keys(&["Enter"]);
    tmux.wait("the passphrase to close", |s| {
        !s.contains("Facilitator's passphrase")
    });
    close_turn_start(&tmux);
    tmux.wait_for("Turn 4/12");
    tmux.keys(&["e"]);
    tmux.wait_for("End Japan's turn?");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Turn 5/12");
    close_turn_start(&tmux);
    quit(&tmux);
    let replay = replayed(&save);
    let text = String::from_utf8_lossy(&replay.stdout);
    assert!(text.contains("4 turns replayed"), "{text}");
}

/// Quits with `q` and `y`; the program ends with status 0. The screen
/// after it is returned.
fn quit(tmux: &Tmux) -> String {
    tmux.keys(&["q"]);
    tmux.wait_for("(y/n)");
    tmux.keys(&["y"]);
    let end = tmux.wait_for("KIZUNA_EXIT=");
    assert!(end.contains("KIZUNA_EXIT=0"), "{end}");
    end
}

/// `kizuna replay` of a saved log.
fn replayed(save: &Path) -> Output {
    Command::new(BIN)
        .arg("replay")
        .arg(save)
        .output()
        .expect("replay runs")
}

/// Closes the opening screen of a turn if it is up (it opens only when
/// there is news for the team).
fn close_turn_start(tmux: &Tmux) {
    // The opening is drawn in the same frame as the new turn.
    if tmux.screen().contains("Enter to the decisions") {
        tmux.keys(&["Enter"]);
        tmux.wait("the turn's opening to close", |s| {
            !s.contains("Enter to the decisions")
        });
    }
}

/// The pid of the program the pane's shell started (Linux: /proc).
#[cfg(target_os = "linux")]
fn child_of_pane(tmux: &Tmux) -> Option<u32> {
    let out = tmux.run(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"]);
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).ok()?;
    children.split_whitespace().next()?.parse().ok()
}

/// Plays the tutorial's first turn (the facilitator's passphrase left
/// empty), so the autosave holds one turn.
fn play_one_turn(tmux: &Tmux) {
    tmux.wait_for("Facilitator's passphrase");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Briefing");
    tmux.keys(&["Enter"]);
    tmux.wait("the briefing to close", |s| !s.contains("Briefing"));
    tmux.keys(&["e", "y"]);
    tmux.wait_for("Turn 2/12");
}

/// Asserts the log holds `turns` turns and replays.
fn replays_with_turns(save: &Path, turns: u32) {
    let replay = replayed(save);
    let text = String::from_utf8_lossy(&replay.stdout);
    assert!(
        replay.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    assert!(text.contains(&format!("{turns} turns replayed")), "{text}");
}

/// SIGTERM, SIGHUP and SIGINT (sent, not typed: in raw mode Ctrl-C is a
/// key) each save, restore the terminal and exit 0.
#[cfg(target_os = "linux")]
#[test]
fn a_signal_restores_the_terminal_and_keeps_the_log() {
    for signal in ["TERM", "HUP", "INT"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let save = dir.path().join("tutorial-7.ron");
        let tmux = start(&format!("sig{signal}"), &save);
        play_one_turn(&tmux);
        let pid = child_of_pane(&tmux).expect("the program's pid");
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(kill.success());
        let end = tmux.wait_for("KIZUNA_EXIT=");
        assert!(end.contains("KIZUNA_EXIT=0"), "SIG{signal}: {end}");
        assert!(!end.contains("Infrastructure │"), "SIG{signal}: {end}");
        replays_with_turns(&save, 1);
    }
}

/// Starts `kizuna play ARGS` as a job of an interactive shell in a tmux
/// pane, as a person would (the shell, not the program, leads the
/// session), and returns the program's pid.
#[cfg(target_os = "linux")]
fn start_in_shell(tag: &str, args: &str, marker: &str) -> (Tmux, u32) {
    let tmux = Tmux::session(tag, "bash --norc --noprofile");
    tmux.keys(&[
        &format!("env -u NO_COLOR TERM=xterm-256color '{BIN}' play {args}"),
        "Enter",
    ]);
    play_one_turn(&tmux);
    let pid = pid_with_argument(marker).expect("the program's pid");
    (tmux, pid)
}

/// The pid of a running `kizuna` whose command line holds `marker`.
#[cfg(target_os = "linux")]
fn pid_with_argument(marker: &str) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline);
            (cmdline.starts_with(BIN) && cmdline.contains(marker)).then_some(pid)
        })
}

/// Waits (bounded) for a process to end; a survivor is killed so it does
/// not spin on after the test, and the test fails.
#[cfg(target_os = "linux")]
fn ends_within(pid: u32, limit: Duration, what: &str) {
    let start = Instant::now();
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "))
    };
    while alive() {
        if start.elapsed() > limit {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("kizuna play was still running {limit:?} after {what}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The terminal goes away under a running `play` (a closed pane, a killed
/// tmux session: what an SSH drop does): it saves and exits at once
/// instead of spinning on a dead terminal.
#[cfg(target_os = "linux")]
#[test]
fn play_exits_and_keeps_the_log_when_its_terminal_closes() {
    for how in ["kill-pane", "kill-session"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let save = dir.path().join(format!("hangup-{how}.ron"));
        let args = format!(
            "tutorial --seed 7 --lang en --team us=idle --autosave '{}'",
            save.display()
        );
        let (tmux, pid) = start_in_shell(how, &args, &save.display().to_string());
        let out = tmux.run(&[how, "-t", "e2e"]);
        assert!(out.status.success(), "tmux {how}: {out:?}");
        ends_within(pid, Duration::from_secs(10), how);
        replays_with_turns(&save, 1);
    }
}

/// A facilitator runs tokyo-games at one screen: searches the decisions
/// and queues a strategic one, fires an inject with digits in its text to
/// both teams, rewinds with a reason, plays to the end, and writes the
/// report; the log then reports and replays.
#[test]
fn a_facilitator_runs_tokyo_games_to_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("tg.ron");
    let tmux = start_play(
        "tg",
        &format!(
            "tokyo-games --seed 3 --lang en --team us=doctrine --facilitator --autosave '{}'",
            save.display()
        ),
    );
    // A facilitator-run screen opens on Japan's briefing.
    tmux.wait_for("Briefing");
    tmux.keys(&["Enter"]);
    tmux.wait("the briefing to close", |s| !s.contains("Briefing"));
    // Search the decisions and queue a strategic one.
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "public statement"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("/public statement");
    tmux.keys(&["Space"]);
    tmux.wait_for("Queued (1)");
    // An inject with digits in its text, to both teams.
    tmux.keys(&["f"]);
    tmux.wait_for("│ Facilitator │");
    tmux.keys(&["i"]);
    tmux.wait_for("Ad-hoc inject");
    tmux.keys(&["-l", "NHK call 2"]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", "NHK reporter calls at 10:30 re 1.25m records"]);
    tmux.keys(&["Tab", "1", "2", "Enter"]);
    tmux.wait_for("Inject queued for next turn");
    end_turns(&tmux, 2);
    tmux.keys(&["3"]);
    tmux.wait_for("NHK call 2");
    // Rewind to turn 1 (the list opens on the turn before the last) with
    // a reason, confirmed.
    tmux.keys(&["r"]);
    tmux.wait_for("Pick the turn to go back to");
    tmux.keys(&["Enter"]);
    tmux.keys(&["-l", "replay from turn 1"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Rewind to the end of turn 1?");
    tmux.keys(&["y"]);
    tmux.wait_for("Turn 2/48");
    // To the end, then the report.
    tmux.keys(&["1"]);
    end_turns(&tmux, 60);
    tmux.wait_for("End of the exercise");
    tmux.keys(&["w"]);
    tmux.wait_for("Report written to");
    let html = std::fs::read_to_string(dir.path().join("tg.html")).expect("the report");
    assert!(html.contains("<svg") && html.contains("replay from turn 1"));
    tmux.keys(&["Enter"]);
    quit(&tmux);
    let replay = replayed(&save);
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let report = Command::new(BIN)
        .args(["report", "--format", "md"])
        .arg(&save)
        .output()
        .expect("report runs");
    let md = String::from_utf8_lossy(&report.stdout);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    for part in ["replay from turn 1", "Public statement", "Appendix A"] {
        assert!(md.contains(part), "{part} is missing from the report");
    }
}

/// Ends Japan's turn up to `turns` times (confirming each), closing the
/// opening of each new turn; stops at the end of the exercise.
fn end_turns(tmux: &Tmux, turns: usize) {
    for _ in 0..turns {
        let s = tmux.screen();
        if s.contains("End of the exercise") {
            return;
        }
        if s.contains("Enter to the decisions") {
            tmux.keys(&["Enter"]);
            tmux.wait("the turn's opening to close", |s| {
                !s.contains("Enter to the decisions")
            });
        }
        tmux.keys(&["e"]);
        tmux.wait_for("End Japan's turn?");
        tmux.keys(&["y"]);
        tmux.wait("the turn to resolve", |s| !s.contains("End Japan's turn?"));
    }
    close_turn_start(tmux);
}

/// A small deterministic generator for the kill moments, so a failing run
/// can be repeated.
struct Moments(u64);

impl Moments {
    /// The next delay in `0..max_ms` milliseconds.
    fn next_ms(&mut self, max_ms: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % max_ms
    }
}

/// The turns a saved log holds.
fn saved_turns(save: &Path) -> usize {
    let text = std::fs::read_to_string(save).expect("the autosave is readable");
    match kizuna::session::log::SessionLog::parse("autosave", &text) {
        Ok(log) => log.turns.len(),
        Err(e) => panic!("the autosave does not parse: {e}"),
    }
}

/// `kill -9` at random moments while turns are played and saved, 30
/// times: the autosave always exists, always replays, and `--resume`
/// opens at the turn after the last one it holds.
#[cfg(target_os = "linux")]
#[test]
fn kill_9_at_random_moments_never_loses_the_autosave() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("crash.ron");
    let mut moments = Moments(7);
    for round in 0..30 {
        // Start over before the game ends, so every round plays turns.
        if save.exists() && saved_turns(&save) >= 9 {
            std::fs::remove_file(&save).expect("remove the autosave");
        }
        let resuming = save.exists();
        let before = if resuming { saved_turns(&save) } else { 0 };
        let args = if resuming {
            format!("--resume '{}' --facilitator", save.display())
        } else {
            format!(
                "tutorial --seed 7 --lang en --team us=idle --facilitator --autosave '{}'",
                save.display()
            )
        };
        let tmux = start_play(&format!("crash{round}"), &args);
        let opening = format!("Turn {}/12", before + 1);
        tmux.wait_for(&opening);
        let pid = child_of_pane(&tmux).expect("the program's pid");
        // Play on (closing any opening screen, ending turns) for a random
        // while, then kill without warning.
        let deadline = Instant::now() + Duration::from_millis(moments.next_ms(1_500));
        while Instant::now() < deadline {
            tmux.keys(&["Enter", "e", "y"]);
            std::thread::sleep(Duration::from_millis(moments.next_ms(60)));
        }
        let killed = Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success(), "round {round}");
        ends_within(pid, Duration::from_secs(10), "kill -9");
        assert!(save.exists(), "round {round}: no autosave");
        let after = saved_turns(&save);
        assert!(
            after >= before,
            "round {round}: {after} turns after {before}"
        );
        replays_with_turns(&save, after as u32);
    }
}

/// `sweep --out` and `report -o` killed at random moments leave either no
/// file or a whole one under the final name.
#[cfg(target_os = "linux")]
#[test]
fn kill_9_never_leaves_a_half_written_sweep_or_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("session.ron");
    let ran = Command::new(BIN)
        .args(["run", "tutorial", "--seed", "3", "--log"])
        .arg(&log)
        .output()
        .expect("run runs");
    assert!(ran.status.success());
    let rows = dir.path().join("rows.csv");
    let report = dir.path().join("report.html");
    let mut moments = Moments(11);
    for round in 0..10 {
        let _ = std::fs::remove_file(&rows);
        let _ = std::fs::remove_file(&report);
        let mut sweep = Command::new(BIN)
            .args([
                "sweep", "tutorial", "--seeds", "0..400", "--jobs", "1", "--out",
            ])
            .arg(&rows)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("sweep starts");
        let mut html = Command::new(BIN)
            .arg("report")
            .arg(&log)
            .args(["--format", "html", "-o"])
            .arg(&report)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("report starts");
        // The report takes tens of milliseconds, the sweep about a second
        // (debug build): the kills fall before, during and after the writes.
        std::thread::sleep(Duration::from_millis(moments.next_ms(80)));
        let _ = html.kill();
        std::thread::sleep(Duration::from_millis(moments.next_ms(1_500)));
        let _ = sweep.kill();
        let _ = sweep.wait();
        let _ = html.wait();
        if let Ok(text) = std::fs::read_to_string(&rows) {
            // A header and one row per seed: 400 runs and nothing cut.
            assert_eq!(text.lines().count(), 401, "round {round}: rows cut");
            assert!(text.ends_with('\n'), "round {round}");
        }
        if let Ok(text) = std::fs::read_to_string(&report) {
            assert!(
                text.trim_end().ends_with("</html>"),
                "round {round}: report cut"
            );
        }
    }
}
