//! Who may sit where: each seat's public keys or passphrase, the server's
//! host key, and the brake on guessing. The SSH user name is the seat:
//! a team's id, `facilitator` or `observer`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use russh::keys::ssh_key::{AuthorizedKeys, LineEnding};
use russh::keys::{Algorithm, HashAlg, PrivateKey, PublicKey};

use crate::scenario::Scenario;
use crate::scenario::model::TeamIdx;
use crate::session::table::Seat;

/// Largest key file read.
const MAX_KEY_FILE_BYTES: u64 = 1 << 20;

/// The SSH user name of a seat.
pub fn seat_name(scenario: &Scenario, seat: Seat) -> String {
    match seat {
        Seat::Team(t) => scenario
            .teams
            .get(t as usize)
            .map_or_else(String::new, |team| team.id.clone()),
        Seat::Facilitator => "facilitator".to_string(),
        Seat::Observer => "observer".to_string(),
    }
}

/// The seat an SSH user name names, if any.
pub fn seat_named(scenario: &Scenario, name: &str) -> Option<Seat> {
    match name {
        "facilitator" => Some(Seat::Facilitator),
        "observer" => Some(Seat::Observer),
        _ => scenario
            .teams
            .iter()
            .position(|t| t.id == name)
            .map(|t| Seat::Team(t as TeamIdx)),
    }
}

/// Every seat of a scenario, in the order the console lists them.
pub fn all_seats(scenario: &Scenario) -> Vec<Seat> {
    let mut seats: Vec<Seat> = (0..scenario.teams.len() as TeamIdx)
        .map(Seat::Team)
        .collect();
    seats.push(Seat::Facilitator);
    seats.push(Seat::Observer);
    seats
}

/// What each seat signs in with.
#[derive(Debug, Default)]
pub struct Credentials {
    keys: Vec<(Seat, PublicKey)>,
    passphrases: Vec<(Seat, String)>,
}

impl Credentials {
    /// Adds every key of an authorized_keys-style file to a seat.
    pub fn add_key_file(&mut self, seat: Seat, path: &Path) -> Result<usize, String> {
        let bytes = crate::store::read_bounded(path, MAX_KEY_FILE_BYTES)
            .map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{}: a key file is text (UTF-8)", path.display()))?;
        let mut added = 0;
        for (n, entry) in AuthorizedKeys::new(&text).enumerate() {
            let entry = entry.map_err(|e| {
                format!(
                    "{}: entry {} is not an OpenSSH public key ({e}); \
                     give the .pub file, as in ~/.ssh/id_ed25519.pub",
                    path.display(),
                    n + 1
                )
            })?;
            self.keys.push((seat, entry.public_key().clone()));
            added += 1;
        }
        if added == 0 {
            return Err(format!("{}: no public key in the file", path.display()));
        }
        Ok(added)
    }

    pub fn has_key(&self, seat: Seat) -> bool {
        self.keys.iter().any(|(s, _)| *s == seat)
    }

    pub fn set_passphrase(&mut self, seat: Seat, passphrase: String) {
        self.passphrases.retain(|(s, _)| *s != seat);
        self.passphrases.push((seat, passphrase));
    }

    pub fn any_passphrase(&self) -> bool {
        !self.passphrases.is_empty()
    }

    /// Whether `key` may sit at `seat`.
    pub fn key_fits(&self, seat: Seat, key: &PublicKey) -> bool {
        self.keys
            .iter()
            .any(|(s, k)| *s == seat && k.key_data() == key.key_data())
    }

    /// Whether `typed` is `seat`'s passphrase; compared in constant time.
    pub fn passphrase_fits(&self, seat: Seat, typed: &str) -> bool {
        self.passphrases
            .iter()
            .filter(|(s, _)| *s == seat)
            .any(|(_, p)| constant_time_eq(p.as_bytes(), typed.as_bytes()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random passphrase: 20 letters and digits that cannot be misread
/// (no 0/o, 1/l/i), in groups of five; about 100 bits.
pub fn new_passphrase() -> String {
    use rand::RngExt;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out = String::new();
    for i in 0..20 {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    out
}

/// Writes the passphrases, one `seat passphrase` line each, readable by
/// the owner only.
pub fn write_passphrases(path: &Path, lines: &[(String, String)]) -> Result<(), String> {
    let text: String = lines.iter().map(|(s, p)| format!("{s} {p}\n")).collect();
    write_private(path, text.as_bytes())
        .map_err(|e| format!("cannot write the passphrases to {}: {e}", path.display()))
}

/// Writes a file only its owner can read, atomically.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::store::write_atomic(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// The server's host key: read from `path`, or made once and kept there,
/// so participants can check the same fingerprint every time.
pub fn host_key(path: &Path) -> Result<PrivateKey, String> {
    if path.exists() {
        let bytes = crate::store::read_bounded(path, MAX_KEY_FILE_BYTES)
            .map_err(|e| format!("cannot read the host key {}: {e}", path.display()))?;
        return PrivateKey::from_openssh(&bytes).map_err(|e| {
            format!(
                "{} is not an OpenSSH private key ({e}); move it away and a new one is made",
                path.display()
            )
        });
    }
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| format!("cannot make a host key: {e}"))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot make the folder {}: {e}", dir.display()))?;
    }
    write_private(path, text.as_bytes())
        .map_err(|e| format!("cannot keep the host key in {}: {e}", path.display()))?;
    Ok(key)
}

/// `SHA256:…`, as `ssh` shows it when it first meets a host.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// The default host key file, beside the autosaves.
pub fn default_host_key() -> Option<PathBuf> {
    crate::startup::state_dir().map(|d| d.join("ssh_host_ed25519_key"))
}

/// Failed sign-ins per address: past `limit` within `window`, the address
/// is refused until the window has passed.
#[derive(Debug)]
pub struct AuthLimiter {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl AuthLimiter {
    pub fn new(limit: u32, window: Duration) -> AuthLimiter {
        AuthLimiter {
            limit,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `ip` may try now.
    pub fn allows(&self, ip: Option<IpAddr>, now: Instant) -> bool {
        let Some(ip) = ip else {
            return true;
        };
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        match map.get(&ip) {
            Some(&(since, n)) if now.duration_since(since) < self.window => n < self.limit,
            Some(_) => {
                map.remove(&ip);
                true
            }
            None => true,
        }
    }

    /// Counts a failed attempt from `ip`.
    pub fn failed(&self, ip: Option<IpAddr>, now: Instant) {
        let Some(ip) = ip else {
            return;
        };
        if let Ok(mut map) = self.failures.lock() {
            // Forget old addresses so the map cannot grow without end.
            let window = self.window;
            map.retain(|_, (since, _)| now.duration_since(*since) < window);
            let entry = map.entry(ip).or_insert((now, 0));
            entry.1 = entry.1.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};

    fn tutorial() -> std::sync::Arc<Scenario> {
        load_builtin("tutorial", &LoadOptions::default())
            .expect("tutorial")
            .scenario
    }

    #[test]
    fn user_names_are_seats() {
        let sc = tutorial();
        for seat in all_seats(&sc) {
            assert_eq!(seat_named(&sc, &seat_name(&sc, seat)), Some(seat));
        }
        assert_eq!(seat_named(&sc, "root"), None);
        assert_eq!(seat_named(&sc, ""), None);
    }

    #[test]
    fn keys_fit_their_own_seat_only_and_passphrases_must_match_exactly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("key");
        let other = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("key");
        let file = dir.path().join("alice.pub");
        let line = key.public_key().to_openssh().expect("encode");
        std::fs::write(&file, format!("# Alice\n{line} alice@laptop\n")).expect("write");
        let mut c = Credentials::default();
        assert_eq!(c.add_key_file(Seat::Team(0), &file), Ok(1));
        assert!(c.key_fits(Seat::Team(0), key.public_key()));
        assert!(!c.key_fits(Seat::Team(1), key.public_key()));
        assert!(!c.key_fits(Seat::Team(0), other.public_key()));
        c.set_passphrase(Seat::Observer, "abcde-fghjk".into());
        assert!(c.passphrase_fits(Seat::Observer, "abcde-fghjk"));
        assert!(!c.passphrase_fits(Seat::Observer, "abcde-fghj"));
        assert!(!c.passphrase_fits(Seat::Facilitator, "abcde-fghjk"));

        let private = dir.path().join("id_ed25519");
        std::fs::write(&private, "-----BEGIN OPENSSH PRIVATE KEY-----\n").expect("write");
        let err = c.add_key_file(Seat::Team(0), &private).unwrap_err();
        assert!(
            err.contains("entry 1 is not an OpenSSH public key"),
            "{err}"
        );
        let empty = dir.path().join("empty.pub");
        std::fs::write(&empty, "\n# nothing\n").expect("write");
        assert!(
            c.add_key_file(Seat::Team(0), &empty)
                .unwrap_err()
                .contains("no public key")
        );
    }

    #[test]
    fn the_host_key_is_made_once_kept_private_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state").join("host_key");
        let first = host_key(&path).expect("made");
        let again = host_key(&path).expect("read");
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").expect("write");
        assert!(
            host_key(&path)
                .unwrap_err()
                .contains("not an OpenSSH private key")
        );
    }

    #[test]
    fn passphrases_are_random_and_readable() {
        let a = new_passphrase();
        assert_eq!(a.len(), 23);
        assert_ne!(a, new_passphrase());
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
        assert!(!a.contains(['0', 'o', '1', 'l', 'i']));
    }

    #[test]
    fn guessing_is_braked_per_address_and_forgiven_after_the_window() {
        let limiter = AuthLimiter::new(3, Duration::from_secs(60));
        let ip: Option<IpAddr> = "10.0.0.7".parse().ok();
        let other: Option<IpAddr> = "10.0.0.8".parse().ok();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.allows(ip, t0));
            limiter.failed(ip, t0);
        }
        assert!(!limiter.allows(ip, t0 + Duration::from_secs(1)));
        assert!(limiter.allows(other, t0), "another address is not braked");
        assert!(limiter.allows(ip, t0 + Duration::from_secs(61)));
    }
}
