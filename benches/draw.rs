//! Drawing speed of the terminal UI: a full frame at 200×60 into an
//! in-memory terminal, for the busiest screens (target: under 2 ms).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kizuna::tui::action::UiAction;
use kizuna::tui::app::Panel;
use kizuna::tui::fixture::{play_turn, tutorial};
use kizuna::tui::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn draw(c: &mut Criterion) {
    let mut app = tutorial(Lang::Ja);
    for _ in 0..6 {
        play_turn(&mut app);
    }
    app.apply(UiAction::ToggleFacilitator);
    app.size = ratatui::layout::Rect::new(0, 0, 200, 60);
    let mut group = c.benchmark_group("draw_200x60");
    for panel in [
        Panel::Map,
        Panel::Decisions,
        Panel::Infrastructure,
        Panel::Timeline,
    ] {
        app.panel = panel;
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
        group.bench_function(panel.key(), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| kizuna::tui::draw::draw(f, black_box(&app)))
                    .expect("draw");
            })
        });
    }
    group.finish();
}

/// From nothing to the first frame: load the largest built-in scenario,
/// start a session and draw once (target: within 150 ms of start).
fn first_frame(c: &mut Criterion) {
    use kizuna::scenario::load::{LoadOptions, load_builtin};
    use kizuna::session::{Controller, Session};
    use kizuna::tui::app::App;
    use kizuna::tui::i18n::Strings;
    use kizuna::tui::theme::Theme;
    c.bench_function("first_frame/tokyo-games_120x40", |b| {
        b.iter(|| {
            let loaded = load_builtin("tokyo-games", &LoadOptions::default()).expect("loads");
            let teams = vec![Controller::Human; loaded.scenario.teams.len()];
            let session = Session::new(&loaded, 1, teams, true);
            let mut app = App::new(session, Strings::new(Lang::En), Theme::named("default"));
            app.size = ratatui::layout::Rect::new(0, 0, 120, 40);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal
                .draw(|f| kizuna::tui::draw::draw(f, black_box(&app)))
                .expect("draw");
        })
    });
}

criterion_group!(benches, draw, first_frame);
criterion_main!(benches);
