//! Hostile input never panics: damaged session logs, arbitrary `--set`
//! arguments and random key sequences in the terminal UI. The always-on
//! companions of the fuzz targets in `fuzz/`, sized to run in seconds.

use std::sync::OnceLock;

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin, source_hash};
use kizuna::scenario::params;
use kizuna::session::log::{SessionLog, header_hash, hex};
use kizuna::session::replay::{ReplayError, replay};
use kizuna::session::{Controller, Session};
use kizuna::tui::action::UiAction;
use kizuna::tui::app::App;
use kizuna::tui::fixture::{render, tutorial_with};
use kizuna::tui::i18n::Lang;
use proptest::prelude::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Turns in the log the mutations start from: enough for turn records to
/// damage, few enough to replay quickly in a debug build.
const LOG_TURNS: u32 = 3;

fn tutorial() -> &'static Loaded {
    static TUTORIAL: OnceLock<Loaded> = OnceLock::new();
    TUTORIAL.get_or_init(|| {
        load_builtin("tutorial", &LoadOptions::default()).expect("the built-in tutorial loads")
    })
}

/// A real log: the tutorial played by the doctrine policy, as written.
fn real_log() -> &'static str {
    static LOG: OnceLock<String> = OnceLock::new();
    LOG.get_or_init(|| {
        let loaded = tutorial();
        let controllers = Session::controllers_for(
            &loaded.scenario,
            &[],
            Controller::Policy(PolicyKind::Doctrine),
        )
        .expect("no overrides");
        let mut session = Session::new(loaded, 11, controllers, true);
        session.run(LOG_TURNS, |_| {});
        session.log().to_ron()
    })
}

// ---- session logs ------------------------------------------------------

/// Where an edit lands: anywhere (mostly the embedded scenario files,
/// which are most of a log), or near the end, where the turn records,
/// branches and seal are.
#[derive(Debug, Clone)]
enum At {
    Anywhere(usize),
    FromEnd(usize),
}

impl At {
    fn index(&self, len: usize) -> usize {
        match self {
            At::Anywhere(n) => n % (len + 1),
            At::FromEnd(n) => len.saturating_sub(*n),
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(At, usize),
    Insert(At, String),
    Replace(At, char),
}

fn at() -> impl Strategy<Value = At> {
    prop_oneof![
        any::<usize>().prop_map(At::Anywhere),
        (0usize..3000).prop_map(At::FromEnd),
    ]
}

fn log_edit() -> impl Strategy<Value = Edit> {
    let piece = prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("r#\"".to_string()),
        Just("turn: 4294967295,".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-1".to_string()),
        Just("state_hash: \"ffffffffffffffff\",".to_string()),
        Just("overrides: [Availability(asset: 999, value: 70000)],".to_string()),
        Just("parameters: [\"turn_limit=0\"],".to_string()),
        "\\PC{0,8}",
    ];
    prop_oneof![
        (at(), 1usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (at(), piece).prop_map(|(a, s)| Edit::Insert(a, s)),
        (at(), any::<char>()).prop_map(|(a, c)| Edit::Replace(a, c)),
    ]
}

fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match e {
            Edit::Delete(at, n) => {
                let start = at.index(chars.len()).min(chars.len());
                let end = (start + n).min(chars.len());
                chars.drain(start..end);
            }
            Edit::Insert(at, s) => {
                let i = at.index(chars.len());
                chars.splice(i..i, s.chars());
            }
            Edit::Replace(at, c) => {
                if !chars.is_empty() {
                    let i = at.index(chars.len()).min(chars.len() - 1);
                    chars[i] = *c;
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// Replays a log whose hashes were brought in line with its content, so
/// a changed decision, override or parameter reaches the model instead of
/// stopping at the first hash check. Each stale hash is put right and the
/// log replayed again, a bounded number of times.
fn replay_with_matching_hashes(mut log: SessionLog) -> Result<(), TestCaseError> {
    let source = source_hash(&log.source_files());
    log.source_hash = hex(source);
    log.header_hash = hex(header_hash(&log, source));
    for _ in 0..=LOG_TURNS + 2 {
        match replay(&log, Some(LOG_TURNS + 2)) {
            Err(ReplayError::Mismatch { turn, actual, .. }) => {
                match log.turns.get_mut((turn as usize).saturating_sub(1)) {
                    Some(record) => record.state_hash = actual,
                    None => return Ok(()),
                }
            }
            Err(ReplayError::TurnCount { found, .. }) => log.end.turns = found,
            Err(ReplayError::End { actual, .. }) => log.end.hash = actual,
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                return Ok(());
            }
            Ok(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Parses a log and, when it parses, replays it as it is and with its
/// hashes put right: no panic, and every error says something.
fn parse_and_replay(text: &str) -> Result<(), TestCaseError> {
    match SessionLog::parse("damaged.log", text) {
        Ok(log) => {
            if let Err(e) = replay(&log, Some(LOG_TURNS + 2)) {
                prop_assert!(!e.to_string().is_empty());
            }
            replay_with_matching_hashes(log)?;
        }
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            prop_assert!(!e.location_lines().is_empty());
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
    Ok(())
}

#[test]
fn the_undamaged_log_replays() {
    let log = SessionLog::parse("real.log", real_log()).expect("the real log parses");
    let (_, summary) = replay(&log, None).expect("the real log replays");
    assert_eq!(summary.turns_checked, LOG_TURNS);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn damaged_logs_fail_cleanly(edits in proptest::collection::vec(log_edit(), 1..5)) {
        parse_and_replay(&apply_edits(real_log(), &edits))?;
    }

    #[test]
    fn cut_logs_fail_cleanly(keep in 0usize..100_000) {
        let text = real_log();
        let mut end = keep.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        parse_and_replay(&text[..end])?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_are_not_a_log(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        parse_and_replay(&String::from_utf8_lossy(&bytes))?;
    }
}

// ---- --set PATH=VALUE ------------------------------------------------------

/// Values of every shape a parameter takes, and some of none.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("[(points_to: \"jp\", strength: 500)]".to_string()),
        Just("18446744073709551616".to_string()),
        Just("4294967295".to_string()),
        Just("1e9".to_string()),
        Just("".to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "\\PC{0,12}",
    ]
}

/// A settable path of the tutorial, picked by index.
fn real_path(index: usize) -> String {
    let all = params::list(&tutorial().scenario);
    all[index % all.len()].path.clone()
}

/// Refused parameters come with a located diagnostic that renders.
fn check_set(args: &[String]) -> Result<(), TestCaseError> {
    match params::apply_all(tutorial(), args) {
        Ok(changed) => prop_assert_eq!(&changed.parameters, args),
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            prop_assert!(!e.location_lines().is_empty());
            let _ = format!("{:?}", miette::Report::new(e));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_set_arguments_never_panic(arg in "\\PC{0,40}") {
        check_set(&[arg])?;
    }

    #[test]
    fn path_shaped_set_arguments_never_panic(
        path in "[a-z_]{0,12}(\\.[a-zA-Z0-9_<>\\-]{0,12}){0,4}",
        value in value(),
    ) {
        check_set(&[format!("{path}={value}")])?;
    }

    #[test]
    fn real_paths_with_any_value_never_panic(
        picks in proptest::collection::vec((any::<usize>(), value()), 1..4),
    ) {
        let args: Vec<String> =
            picks.iter().map(|(i, v)| format!("{}={v}", real_path(*i))).collect();
        check_set(&args)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A scenario that accepted its parameters plays without a panic.
    #[test]
    fn accepted_parameters_play(
        picks in proptest::collection::vec((any::<usize>(), value()), 1..4),
    ) {
        let args: Vec<String> =
            picks.iter().map(|(i, v)| format!("{}={v}", real_path(*i))).collect();
        if let Ok(changed) = params::apply_all(tutorial(), &args) {
            let controllers = Session::controllers_for(
                &changed.scenario,
                &[],
                Controller::Policy(PolicyKind::Doctrine),
            )
            .expect("no overrides");
            let mut session = Session::new(&changed, 3, controllers, false);
            session.run(2, |_| {});
        }
    }
}

// ---- the terminal UI ---------------------------------------------------

/// What a user can do at the keyboard and mouse.
#[derive(Debug, Clone)]
enum Input {
    Key(KeyEvent),
    Click(u16, u16),
    Scroll(bool),
}

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        // The bound keys, often, so play gets somewhere.
        4 => prop::sample::select(
            "ejkhlfirbnmoPKJgGt[]{}/? 123456q".chars().collect::<Vec<_>>()
        )
        .prop_map(KeyCode::Char),
        2 => prop::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Backspace,
            KeyCode::Delete,
        ]),
        1 => (1u8..=12).prop_map(KeyCode::F),
        1 => any::<char>().prop_map(KeyCode::Char),
    ]
}

fn input() -> impl Strategy<Value = Input> {
    let modifiers = prop::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ]);
    prop_oneof![
        8 => (key_code(), modifiers).prop_map(|(c, m)| Input::Key(KeyEvent::new(c, m))),
        1 => (0u16..130, 0u16..45).prop_map(|(c, r)| Input::Click(c, r)),
        1 => any::<bool>().prop_map(Input::Scroll),
    ]
}

/// Screen sizes drawn to, from the usual to the degenerate.
const SIZES: [(u16, u16); 5] = [(80, 24), (120, 40), (30, 8), (1, 1), (0, 0)];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_keys_never_panic(
        japanese in any::<bool>(),
        facilitator_run in any::<bool>(),
        one_human in any::<bool>(),
        size in 0usize..SIZES.len(),
        inputs in proptest::collection::vec(input(), 0..150),
    ) {
        let lang = if japanese { Lang::Ja } else { Lang::En };
        let teams: &[(&str, Controller)] = if one_human {
            &[("us", Controller::Policy(PolicyKind::Idle))]
        } else {
            &[]
        };
        let mut app: App = tutorial_with(lang, teams);
        app.begin(facilitator_run);
        let (width, height) = SIZES[size];
        for (n, input) in inputs.into_iter().enumerate() {
            match input {
                Input::Key(k) => app.on_key(k),
                Input::Click(column, row) => app.apply(UiAction::Click { column, row }),
                Input::Scroll(up) => {
                    app.apply(if up { UiAction::ScrollUp } else { UiAction::ScrollDown })
                }
            }
            if app.quit {
                break;
            }
            if n % 8 == 7 {
                render(&mut app, width, height);
            }
        }
        render(&mut app, width, height);
    }
}

/// What a remote seat may send: keys as terminals encode them, halves of
/// escape sequences and of UTF-8 characters, and raw bytes.
fn remote_chunk() -> impl Strategy<Value = Vec<u8>> {
    let keys: Vec<&'static [u8]> = vec![
        b"\r",
        b"e",
        b"y",
        b"q",
        b"n",
        b"i",
        b"a",
        b"L",
        b"p",
        b"r",
        b"b",
        b"4",
        b"3",
        b" ",
        b"\t",
        b"\x1b",
        b"\x1b[A",
        b"\x1b[B",
        b"\x1b[Z",
        b"\x1b[5~",
        b"\x1b[",
        b"\xe6\x97",
        b"\xa5",
        b"\x03",
        b"\x7f",
        b"j",
        b"k",
        b"f",
        b"P",
        b"m",
        b"?",
        b"d",
        b"h",
    ];
    prop_oneof![
        4 => proptest::sample::select(keys).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

#[derive(Debug, Clone)]
enum RemoteEvent {
    Bytes(usize, Vec<u8>),
    Resize(usize, u16, u16),
    Leave(usize),
}

fn remote_event() -> impl Strategy<Value = RemoteEvent> {
    prop_oneof![
        12 => (0usize..4, remote_chunk()).prop_map(|(s, b)| RemoteEvent::Bytes(s, b)),
        1 => (0usize..4, 0u16..300, 0u16..120).prop_map(|(s, w, h)| RemoteEvent::Resize(s, w, h)),
        1 => (0usize..4).prop_map(RemoteEvent::Leave),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Served seats typing anything at all, resizing to nothing and
    /// dropping out: the room neither panics nor hangs.
    #[test]
    fn bytes_from_remote_seats_never_panic(
        events in proptest::collection::vec(remote_event(), 0..120),
        timer in any::<bool>(),
    ) {
        use kizuna::serve::room::{Joining, Room, RoomConfig, RoomEvent};
        use kizuna::session::table::Seat;
        use std::time::{Duration, Instant};
        let loaded = tutorial();
        let controllers =
            Session::controllers_for(&loaded.scenario, &[], Controller::Human).expect("teams");
        let session = Session::new(loaded, 7, controllers, true);
        let mut room = Room::new(
            session,
            RoomConfig {
                autosave: None,
                lang: Lang::En,
                theme: kizuna::tui::theme::Theme::named("default"),
                turn_timer: timer.then_some(Duration::from_secs(5)),
                idle_timeout: Some(Duration::from_secs(60)),
            },
            Box::new(|_| {}),
        );
        let seats = [Seat::Team(0), Seat::Team(1), Seat::Facilitator, Seat::Observer];
        let mut receivers = Vec::new();
        let start = Instant::now();
        for (conn, seat) in seats.iter().enumerate() {
            let (out, frames) = tokio::sync::mpsc::channel(4);
            receivers.push(frames);
            room.handle(
                RoomEvent::Join(Joining { conn: conn as u64, seat: *seat, lang: None, width: 100, height: 30, out }),
                start,
            );
        }
        for (n, event) in events.into_iter().enumerate() {
            let now = start + Duration::from_millis(250 * n as u64);
            match event {
                RemoteEvent::Bytes(s, bytes) => room.handle(RoomEvent::Input { conn: s as u64, bytes }, now),
                RemoteEvent::Resize(s, width, height) => {
                    room.handle(RoomEvent::Resize { conn: s as u64, width, height }, now)
                }
                RemoteEvent::Leave(s) => room.handle(RoomEvent::Leave { conn: s as u64 }, now),
            }
            room.tick(now);
            room.draw();
            for r in &mut receivers {
                while r.try_recv().is_ok() {}
            }
        }
    }

    /// Printable text typed in any chunks arrives as exactly those keys.
    #[test]
    fn typed_text_arrives_whole_however_it_is_split(
        text in "[ -~あ-んア-ン日本]{0,40}",
        cut in any::<proptest::sample::Index>(),
    ) {
        use kizuna::serve::input::KeyDecoder;
        let bytes = text.as_bytes();
        let at = cut.index(bytes.len() + 1);
        let mut decoder = KeyDecoder::default();
        let mut keys = decoder.feed(&bytes[..at]);
        keys.extend(decoder.feed(&bytes[at..]));
        let typed: String = keys
            .iter()
            .filter_map(|k| match k.code { KeyCode::Char(c) => Some(c), _ => None })
            .collect();
        prop_assert_eq!(typed, text);
    }
}
