//! Ready-made apps for tests and benchmarks: the built-in tutorial with a
//! fixed seed, drawn into an in-memory terminal.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::scenario::load::{LoadOptions, load_builtin};
use crate::session::{Controller, Session};

use super::app::App;
use super::i18n::{Lang, Strings};
use super::theme::Theme;

/// The tutorial, seed 7, every team human, default colours.
pub fn tutorial(lang: Lang) -> App {
    tutorial_with(lang, &[])
}

/// The tutorial, seed 7, with some teams given to a controller.
pub fn tutorial_with(lang: Lang, teams: &[(&str, Controller)]) -> App {
    let loaded = load_builtin("tutorial", &LoadOptions::default()).expect("tutorial loads");
    let teams: Vec<(String, Controller)> =
        teams.iter().map(|(t, c)| ((*t).to_string(), *c)).collect();
    let controllers = Session::controllers_for(&loaded.scenario, &teams, Controller::Human)
        .expect("tutorial teams");
    let session = Session::new(&loaded, 7, controllers, true);
    App::new(session, Strings::new(lang), Theme::named("default"))
}

/// Every human team ends its turn once: one turn resolves.
pub fn play_turn(app: &mut App) {
    let before = app.session().turn();
    while app.session().turn() == before && !app.session().ended() {
        app.end_turn();
    }
}

/// The screen as text, one quoted line per row.
pub fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    app.size = ratatui::layout::Rect::new(0, 0, width, height);
    terminal.draw(|f| super::draw::draw(f, app)).expect("draw");
    if width == 0 || height == 0 {
        return String::new();
    }
    screen_text(terminal.backend().buffer())
}

/// The buffer as lines of text; the cell behind a wide character is
/// skipped, so a line reads as it looks.
pub fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    let width = buffer.area.width as usize;
    for row in buffer.content.chunks(width.max(1)) {
        let mut skip = 0usize;
        for cell in row {
            if skip == 0 {
                out.push_str(cell.symbol());
            }
            let w = ratatui::text::Span::raw(cell.symbol()).width();
            skip = skip.max(w).saturating_sub(1);
        }
        out.push_str("│\n");
    }
    out
}
