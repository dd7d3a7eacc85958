//! A tmux server of our own, for tests that drive a terminal as a person
//! would: send keys, read the screen, wait (bounded) for text.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }
    /// Waits (bounded) until the screen satisfies `ok`.
    pub fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; the screen was:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    pub fn wait_for(&self, text: &str) -> String {
        self.wait(text, |s| s.contains(text))
    }
}

impl Tmux {
    /// A fresh tmux server on its own socket with one 120×40 session named
    /// `e2e` running `command`.
    pub fn session(tag: &str, command: &str) -> Tmux {
        assert!(
            tmux_present(),
            "tmux is not installed: the end-to-end terminal test needs it \
             (apt-get install -y tmux; .ci/run installs it)"
        );
        let tmux = Tmux {
            socket: format!("kizuna-e2e-{tag}-{}", std::process::id()),
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "120",
            "-y",
            "40",
            command,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        tmux
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Our own server on our own socket.
        let _ = self.run(&["kill-server"]);
    }
}

pub fn tmux_present() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}
