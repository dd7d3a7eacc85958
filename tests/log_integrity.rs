//! The log's hash chain covers everything in it: each edit of a saved log
//! is refused by replay, naming the part that was changed.

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, load_builtin};
use kizuna::session::log::{Branch, SessionLog};
use kizuna::session::replay::{ReplayError, replay};
use kizuna::session::{Controller, Session};

/// A tutorial session on doctrine: six turns, a rewind to turn 3 (one
/// branch) and three more turns, read back from its text.
fn logged() -> SessionLog {
    let loaded = match load_builtin("tutorial", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    };
    let teams = vec![Controller::Policy(PolicyKind::Doctrine); loaded.scenario.teams.len()];
    let mut s = Session::new(&loaded, 11, teams, true);
    s.run_exactly(6, |_| {});
    if let Err(e) = s.rewind(3, "try again") {
        panic!("{e}");
    }
    s.run_exactly(3, |_| {});
    reread(s.log())
}

fn reread(log: &SessionLog) -> SessionLog {
    match SessionLog::parse("log.ron", &log.to_ron()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

fn refused(log: &SessionLog) -> ReplayError {
    match replay(&reread(log), None) {
        Ok(_) => panic!("an edited log replayed"),
        Err(e) => e,
    }
}

#[test]
fn an_untouched_log_replays_with_its_branch() {
    let log = logged();
    assert_eq!(log.turns.len(), 6);
    assert_eq!(log.branches.len(), 1);
    assert_eq!(log.end.turns, 6);
    let (_, summary) = replay(&log, None).expect("the log replays");
    assert_eq!(summary.turns_checked, 6);
}

#[test]
fn removing_the_last_turns_is_named() {
    let mut log = logged();
    log.turns.truncate(4);
    assert!(matches!(
        refused(&log),
        ReplayError::TurnCount {
            recorded: 6,
            found: 4
        }
    ));
    // Also adjusting the count does not hide it: the seal differs.
    log.end.turns = 4;
    assert!(matches!(refused(&log), ReplayError::End { .. }));
}

#[test]
fn changing_who_played_a_team_is_named() {
    let mut log = logged();
    log.teams[0].controller = "idle".into();
    assert!(matches!(refused(&log), ReplayError::Header { .. }));
}

#[test]
fn changing_the_seed_or_the_engine_is_named() {
    let mut log = logged();
    log.seed += 1;
    assert!(matches!(refused(&log), ReplayError::Header { .. }));
    let mut log = logged();
    log.engine = "0.0.1".into();
    assert!(matches!(refused(&log), ReplayError::Header { .. }));
}

#[test]
fn writing_branches_is_named() {
    let mut log = logged();
    log.branches.push(Branch {
        rewound_to: 1,
        reason: "planted".into(),
        base: log.header_hash.clone(),
        abandoned: log.turns[1..3].to_vec(),
    });
    assert!(matches!(refused(&log), ReplayError::End { .. }));
    let mut log = logged();
    log.branches[0].rewound_to = 2;
    assert!(matches!(refused(&log), ReplayError::End { .. }));
    let mut log = logged();
    log.branches[0].reason = "nothing happened".into();
    assert!(matches!(refused(&log), ReplayError::End { .. }));
    let mut log = logged();
    log.branches.clear();
    assert!(matches!(refused(&log), ReplayError::End { .. }));
}

#[test]
fn editing_a_turn_is_named_at_that_turn() {
    let mut log = logged();
    log.turns[2].decisions.pop();
    assert!(matches!(
        refused(&log),
        ReplayError::Mismatch { turn: 3, .. }
    ));
}

#[test]
fn unknown_fields_are_refused_where_they_are() {
    let text = logged().to_ron();
    let edited = text.replacen("seed:", "note: \"hello\",\n    seed:", 1);
    assert_ne!(edited, text);
    let e = match SessionLog::parse("log.ron", &edited) {
        Ok(_) => panic!("a log with an unknown field parsed"),
        Err(e) => e,
    };
    let lines = e.location_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("log.ron:") && l.contains("note")),
        "{lines:#?}"
    );
}

/// The facilitator's notes are sealed with the end: a log with notes
/// replays, and adding, editing or removing one is named.
#[test]
fn notes_are_kept_and_editing_them_is_named() {
    let loaded = match load_builtin("tutorial", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    };
    let teams = vec![Controller::Policy(PolicyKind::Doctrine); loaded.scenario.teams.len()];
    let mut s = Session::new(&loaded, 11, teams, true);
    s.run_exactly(2, |_| {});
    s.add_note(
        "2026-12-03T09:15:00Z".into(),
        "JP team hesitated on sharing".into(),
    );
    s.run_exactly(1, |_| {});
    let log = reread(s.log());
    assert_eq!(log.notes.len(), 1);
    assert_eq!(log.notes[0].turn, 3);
    assert!(replay(&log, None).is_ok(), "a log with notes replays");
    let mut edited = log.clone();
    edited.notes[0].text = "JP team shared at once".into();
    assert!(matches!(refused(&edited), ReplayError::End { .. }));
    let mut removed = log.clone();
    removed.notes.clear();
    assert!(matches!(refused(&removed), ReplayError::End { .. }));
    let mut added = logged();
    added.notes.push(kizuna::session::log::FacilitatorNote {
        turn: 1,
        at: "2026-12-03T09:00:00Z".into(),
        text: "planted".into(),
    });
    assert!(matches!(refused(&added), ReplayError::End { .. }));
}

/// The language a session was played in is part of the header: recorded
/// before the first turn only, replayed, and an edit of it is named.
#[test]
fn the_language_is_kept_in_the_header() {
    let loaded = match load_builtin("tutorial", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    };
    let teams = vec![Controller::Policy(PolicyKind::Doctrine); loaded.scenario.teams.len()];
    let mut s = Session::new(&loaded, 11, teams, true);
    if let Err(e) = s.set_language("ja") {
        panic!("{e}");
    }
    s.run_exactly(2, |_| {});
    assert!(s.set_language("en").is_err(), "not once play has begun");
    let log = reread(s.log());
    assert_eq!(log.lang.as_deref(), Some("ja"));
    assert!(replay(&log, None).is_ok());
    let mut edited = log.clone();
    edited.lang = Some("en".into());
    assert!(matches!(refused(&edited), ReplayError::Header { .. }));
    let mut removed = log;
    removed.lang = None;
    assert!(matches!(refused(&removed), ReplayError::Header { .. }));
}
