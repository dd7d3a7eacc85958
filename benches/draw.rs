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

criterion_group!(benches, draw);
criterion_main!(benches);
