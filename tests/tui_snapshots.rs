//! What a user sees: every screen of the terminal UI at 80×24 and 120×40,
//! in English and Japanese, drawn into an in-memory terminal. The tutorial
//! with seed 7 after a few turns, so panels have something in them.

use kizuna::tui::action::UiAction;
use kizuna::tui::app::{App, Panel};
use kizuna::tui::decision_browser::DecisionTab;
use kizuna::tui::fixture::{play_turn, render, tutorial};
use kizuna::tui::i18n::Lang;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Three turns played; Japan queued a decision in the first.
fn played(lang: Lang) -> App {
    let mut app = tutorial(lang);
    app.apply(UiAction::Panel(3));
    let first_ok = app
        .candidates()
        .iter()
        .position(|c| c.status.is_ok())
        .expect("a legal decision");
    app.select_candidate(first_ok);
    app.apply(UiAction::ToggleQueue);
    for _ in 0..3 {
        play_turn(&mut app);
    }
    app.status = None;
    app
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ja => "ja",
    }
}

fn snap(app: &mut App, name: &str) {
    for (w, h) in SIZES {
        let screen = render(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn every_panel_for_a_team() {
    for lang in [Lang::En, Lang::Ja] {
        let mut app = played(lang);
        for p in Panel::ALL {
            app.panel = p;
            snap(&mut app, &format!("team_{}_{}", lang_name(lang), p.key()));
        }
    }
}

#[test]
fn every_panel_for_the_facilitator() {
    for lang in [Lang::En, Lang::Ja] {
        let mut app = played(lang);
        app.apply(UiAction::ToggleFacilitator);
        for p in Panel::ALL {
            app.panel = p;
            snap(
                &mut app,
                &format!("facilitator_{}_{}", lang_name(lang), p.key()),
            );
        }
    }
}

#[test]
fn overlays() {
    for lang in [Lang::En, Lang::Ja] {
        let l = lang_name(lang);
        let mut app = played(lang);
        app.apply(UiAction::Help);
        snap(&mut app, &format!("help_{l}"));
        app.help = false;
        app.apply(UiAction::Quit);
        snap(&mut app, &format!("quit_{l}"));
        app.dialog = None;
        app.apply(UiAction::ToggleFacilitator);
        app.apply(UiAction::Inject);
        snap(&mut app, &format!("inject_{l}"));
        app.dialog = None;
        app.apply(UiAction::Panel(0));
        app.apply(UiAction::Override);
        snap(&mut app, &format!("override_{l}"));
    }
}

#[test]
fn the_start_and_a_tiny_terminal() {
    for lang in [Lang::En, Lang::Ja] {
        let mut app = tutorial(lang);
        snap(&mut app, &format!("start_{}", lang_name(lang)));
        let tiny = render(&mut app, 40, 10);
        insta::assert_snapshot!(format!("tiny_{}", lang_name(lang)), tiny);
    }
}

#[test]
fn the_scenario_picker() {
    use kizuna::tui::i18n::Strings;
    use kizuna::tui::theme::Theme;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    for lang in [Lang::En, Lang::Ja] {
        let strings = Strings::new(lang);
        let theme = Theme::named("default");
        for (w, h) in SIZES {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| kizuna::tui::panels::picker::draw(f, &strings, &theme, 0))
                .unwrap();
            let screen = kizuna::tui::fixture::screen_text(t.backend().buffer());
            insta::assert_snapshot!(format!("picker_{}_{w}x{h}", lang_name(lang)), screen);
        }
    }
}

/// The hot-seat screens: the facilitator's passphrase, the first turn's
/// briefing, the end-of-turn question, the hand-over, and a debrief.
#[test]
fn hot_seat_screens() {
    use kizuna::tui::app::Dialog;
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    for lang in [Lang::En, Lang::Ja] {
        let l = lang_name(lang);
        let mut app = tutorial(lang);
        app.begin(false);
        snap(&mut app, &format!("passphrase_{l}"));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        snap(&mut app, &format!("briefing_{l}"));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.apply(UiAction::EndTurn);
        snap(&mut app, &format!("confirm_end_{l}"));
        app.on_key(KeyEvent::from(KeyCode::Char('y')));
        assert!(matches!(app.dialog, Some(Dialog::HandOver { .. })));
        snap(&mut app, &format!("handover_{l}"));
        // Play on to a turn the team has news of.
        let mut app = played(lang);
        for _ in 0..8 {
            let view = app.team_view();
            let news = view
                .debrief(view.public.turn - 1)
                .is_some_and(|d| !d.is_quiet());
            if news {
                break;
            }
            play_turn(&mut app);
        }
        app.dialog = Some(Dialog::TurnStart { team: 0, scroll: 0 });
        snap(&mut app, &format!("debrief_{l}"));
    }
}

/// The decisions panel searched, filtered and on its other tabs.
#[test]
fn decisions_searched_and_filtered() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    for lang in [Lang::En, Lang::Ja] {
        let l = lang_name(lang);
        let mut app = played(lang);
        app.decisions.tab = DecisionTab::Operational;
        snap(&mut app, &format!("decisions_operational_{l}"));
        app.apply(UiAction::Search);
        for c in "email".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.apply(UiAction::KindFilter(1));
        snap(&mut app, &format!("decisions_search_{l}"));
        app.apply(UiAction::ClearFilters);
        app.apply(UiAction::Select);
        app.decisions.tab = DecisionTab::Queued;
        snap(&mut app, &format!("decisions_queued_{l}"));
    }
}

/// Rewind picks a turn from a list with its headline, asks for a reason
/// and then for confirmation; the branch list shows the lines left.
#[test]
fn rewind_and_branch_lists() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    for lang in [Lang::En, Lang::Ja] {
        let l = lang_name(lang);
        let mut app = played(lang);
        app.apply(UiAction::ToggleFacilitator);
        app.apply(UiAction::Rewind);
        snap(&mut app, &format!("rewind_list_{l}"));
        app.on_key(KeyEvent::from(KeyCode::Up));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        for c in "replay the tip-off".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        app.on_key(KeyEvent::from(KeyCode::Enter));
        snap(&mut app, &format!("rewind_confirm_{l}"));
        app.on_key(KeyEvent::from(KeyCode::Char('y')));
        app.apply(UiAction::Branches);
        snap(&mut app, &format!("branches_{l}"));
        app.dialog = None;
        app.apply(UiAction::Msel);
        snap(&mut app, &format!("msel_{l}"));
    }
}

/// The end of the exercise: objectives and why, the attacker's path, the
/// key decisions, the report.
#[test]
fn end_of_exercise() {
    for lang in [Lang::En, Lang::Ja] {
        let mut app = played(lang);
        while !app.session().ended() {
            play_turn(&mut app);
        }
        app.open_end_of_exercise();
        snap(&mut app, &format!("end_{}", lang_name(lang)));
    }
}

/// The projector layout, for the screen on the wall.
#[test]
fn projector() {
    for lang in [Lang::En, Lang::Ja] {
        let mut app = played(lang);
        for _ in 0..3 {
            play_turn(&mut app);
        }
        app.apply(UiAction::Projector);
        snap(&mut app, &format!("projector_{}", lang_name(lang)));
    }
}
