//! The application state of the local terminal: which seat is at the
//! keyboard, the panel and row selected, dialogs in progress. It is a
//! client of the session's table: every change goes in as a command from a
//! seat, and everything drawn comes from that seat's owned view. No drawing
//! and no terminal I/O here, so all of it is testable.

use std::cell::{Ref, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use crate::perspective::Viewer;
use crate::policy::PolicyKind;
use crate::scenario::Scenario;
use crate::scenario::model::{AssetIdx, Sector, TeamIdx, Text};
use crate::session::Session;
use crate::session::narrator::{Narrator, Tone};
use crate::session::table::{Command, CommandRefused, Notice, Seat, Table};
use crate::session::view::{Candidate, FacilitatorView, StaffLine, TeamView, TurnEvents};
use crate::sim::event::Event;
use crate::sim::overrides::{Change, Override};

use super::action::{UiAction, map_key};
use super::decision_browser::DecisionBrowser;
use super::i18n::{Lang, Strings};
use super::keys::KeyMap;
use super::layout;
use super::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Infrastructure,
    Map,
    Inbox,
    Decisions,
    Timeline,
    Scores,
}

impl Panel {
    pub const ALL: [Panel; 6] = [
        Panel::Infrastructure,
        Panel::Map,
        Panel::Inbox,
        Panel::Decisions,
        Panel::Timeline,
        Panel::Scores,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Panel::Infrastructure => "tab_infra",
            Panel::Map => "tab_map",
            Panel::Inbox => "tab_inbox",
            Panel::Decisions => "tab_decisions",
            Panel::Timeline => "tab_timeline",
            Panel::Scores => "tab_scores",
        }
    }
    pub fn index(self) -> usize {
        Panel::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// A facilitator's form in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Inject {
        title: String,
        text: String,
        /// Teams ticked as recipients; none until chosen.
        to: Vec<bool>,
        /// 0 = title, 1 = text, 2 = recipients.
        field: usize,
    },
    Availability {
        asset: AssetIdx,
        value: String,
        reason: String,
        /// 0 = value, 1 = reason, 2 = evict.
        field: usize,
        /// Also throw every attacker off the asset.
        evict: bool,
    },
    Objective {
        objective: u32,
        met: bool,
        reason: String,
    },
    /// Back to the end of a turn picked from the list of turns played.
    Rewind {
        /// 0 = the start of the exercise.
        to: u32,
        reason: String,
        /// 0 = the list, 1 = the reason.
        field: usize,
        /// Asking "are you sure?".
        confirming: bool,
    },
    /// Back onto a line of play a rewind abandoned.
    Branches {
        selected: usize,
        reason: String,
        /// 0 = the list, 1 = the reason.
        field: usize,
        confirming: bool,
    },
    ConfirmQuit,
    /// "End this team's turn?"
    ConfirmEndTurn,
    /// The screen is covered until the next team is at the keyboard.
    HandOver {
        team: TeamIdx,
    },
    /// The opening of a team's turn: the briefing (on the first turn),
    /// injects arriving now, and the debrief of the turn just played.
    TurnStart {
        team: TeamIdx,
        scroll: u16,
    },
    /// The facilitator chooses a passphrase for the facilitator's view.
    SetPassphrase {
        first: String,
        second: String,
        /// 0 = first, 1 = again.
        field: usize,
    },
    /// The facilitator's passphrase, to open the facilitator's view.
    Unlock {
        typed: String,
    },
    /// A note for the record, kept in the log with the time.
    Note {
        text: String,
    },
    /// The scenario's scripted injects as a running order (MSEL): fire
    /// one early, hold one back or release it.
    Msel {
        selected: usize,
    },
    /// The end of the exercise: objectives, the attacker's path, the key
    /// decisions, and the written report.
    EndOfExercise {
        scroll: u16,
    },
    /// Hands a human team to a policy while its people are away, or back.
    StandIn {
        /// Among the human teams, in team order.
        selected: usize,
    },
}

/// What a key did to a pick-reason-confirm dialog.
enum Picked {
    Stay,
    Go,
}

/// Who may open the facilitator's view at this keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilitatorAccess {
    /// A facilitator-run screen, or nobody chose a passphrase.
    Open,
    Passphrase(String),
}

pub use super::inbox::InboxItem;

/// A row of the infrastructure list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfraRow {
    Sector(Sector),
    Asset(AssetIdx),
}

/// What a compromise looks like to the viewer: its level and since when
/// (ground truth), or when the team learnt of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenCompromise {
    pub level: u8,
    pub since: u32,
    pub detected: bool,
}

/// The table a screen sends commands to: owned by one screen for local
/// play, shared by every connected seat's screen on a server. Screens live
/// on one thread and never hold a borrow across a command.
pub type SharedTable = Rc<RefCell<Table>>;

pub struct App {
    table: SharedTable,
    /// The scenario, kept apart from the table so panels can borrow it.
    scenario: Arc<Scenario>,
    /// The seat this screen is bound to (a served connection), or `None`
    /// for the local keyboard that teams and the facilitator take turns at.
    seat: Option<Seat>,
    /// What this screen's commands changed, for the server to pass on to
    /// the other screens.
    pub outbox: Vec<Notice>,
    /// Time left before the turn is resolved anyway, when a timer runs.
    pub turn_clock: Option<std::time::Duration>,
    pub strings: Strings,
    pub keys: KeyMap,
    pub theme: Theme,
    pub panel: Panel,
    /// Selected row in each panel.
    pub rows: [usize; 6],
    /// The team at the keyboard.
    team: TeamIdx,
    /// Whether the facilitator's ground truth is on screen.
    facilitator: bool,
    /// The views last received: the team at the keyboard's, and ground
    /// truth while the facilitator looks.
    team_view: TeamView,
    truth: Option<FacilitatorView>,
    pub help: bool,
    pub dialog: Option<Dialog>,
    pub status: Option<String>,
    pub autosave: Option<PathBuf>,
    pub quit: bool,
    /// Lines the inbox detail pane is scrolled by.
    pub detail_scroll: u16,
    /// The decisions panel's tab, search and filters.
    pub decisions: DecisionBrowser,
    /// Who may open the facilitator's view.
    pub access: FacilitatorAccess,
    /// The projector layout: the public picture only, large.
    pub projector: bool,
    /// The after-action report, built when the exercise ends.
    pub end_report: Option<Box<crate::report::aar::AfterActionReport>>,
    /// Ground truth of every turn, revealed to the room at the end.
    end_history: Vec<TurnEvents>,
    /// Inbox entries each viewer has read, by key.
    read: std::collections::HashSet<(Viewer, String)>,
    /// The last frame's size, to place mouse clicks.
    pub size: Rect,
}

impl App {
    pub fn new(session: Session, strings: Strings, theme: Theme) -> App {
        let table = Rc::new(RefCell::new(Table::new(session)));
        App::at(table, None, strings, theme)
    }

    /// A screen onto a shared table: for a bound seat, or (`None`) the
    /// local keyboard.
    pub fn at(table: SharedTable, seat: Option<Seat>, strings: Strings, theme: Theme) -> App {
        let (scenario, team_view) = {
            let t = table.borrow();
            (Arc::clone(t.session().scenario()), t.team_view(0))
        };
        let mut app = App {
            table,
            scenario,
            seat,
            outbox: Vec::new(),
            turn_clock: None,
            strings,
            keys: KeyMap::builtin(),
            theme,
            panel: Panel::Infrastructure,
            rows: [0; 6],
            team: 0,
            facilitator: false,
            team_view,
            truth: None,
            help: false,
            dialog: None,
            status: None,
            autosave: None,
            quit: false,
            detail_scroll: 0,
            decisions: DecisionBrowser::default(),
            access: FacilitatorAccess::Open,
            projector: false,
            read: Default::default(),
            end_report: None,
            end_history: Vec::new(),
            size: Rect::new(0, 0, 120, 40),
        };
        match app.human_teams().first() {
            Some(&t) => app.team = t,
            // Nobody plays: the facilitator watches.
            None => app.facilitator = true,
        }
        match seat {
            Some(Seat::Team(t)) => {
                app.team = t;
                app.facilitator = false;
            }
            Some(Seat::Facilitator) => app.facilitator = true,
            Some(Seat::Observer) => {
                app.facilitator = false;
                app.projector = true;
            }
            None => {}
        }
        app.refresh();
        app
    }

    /// What another screen's command changed: fresh views, and for a bound
    /// seat the words and dialogs that follow. Each seat is told only what
    /// it may know: a team hears of its own queue, not another team's.
    pub fn observe(&mut self, notices: &[Notice]) {
        self.refresh();
        let Some(seat) = self.seat else {
            return;
        };
        for n in notices {
            let mine = match n {
                Notice::Queued { team, .. } | Notice::Withdrawn { team, .. } => {
                    seat == Seat::Facilitator || seat == Seat::Team(*team)
                }
                Notice::Pending { .. } | Notice::Cancelled { .. } | Notice::Noted => {
                    seat == Seat::Facilitator
                }
                Notice::Ready { .. }
                | Notice::Paused
                | Notice::Resumed
                | Notice::Resolved { .. }
                | Notice::Rewound { .. }
                | Notice::BranchSwitched { .. }
                | Notice::StandIn { .. } => true,
            };
            if mine {
                self.notice(n);
            }
        }
        self.follow(notices);
    }

    /// A bound seat's screen after the turn moved: the debrief of the new
    /// turn for a team, the end of the exercise for everyone.
    fn follow(&mut self, notices: &[Notice]) {
        let Some(seat) = self.seat else {
            return;
        };
        let moved = notices.iter().any(|n| {
            matches!(
                n,
                Notice::Resolved { .. } | Notice::Rewound { .. } | Notice::BranchSwitched { .. }
            )
        });
        if !moved {
            return;
        }
        if self.session().ended() {
            self.open_end_of_exercise();
            return;
        }
        if let Seat::Team(team) = seat
            && matches!(self.dialog, None | Some(Dialog::ConfirmEndTurn))
        {
            self.dialog = None;
            self.open_turn_start(team);
        }
    }

    /// The human teams still deciding this turn, by name.
    pub fn deciding_names(&self) -> Vec<String> {
        let public = &self.team_view.public;
        public
            .teams
            .iter()
            .enumerate()
            .filter(|(_, st)| st.human && !st.ready && !public.ended)
            .map(|(i, _)| self.team_name(i as TeamIdx).to_string())
            .collect()
    }

    /// The turn timer as shown, `⏱ 4:05`, while one runs.
    pub fn clock_text(&self) -> Option<String> {
        // A countdown shows the second it is in, so 0:00 is the end.
        let left = self.turn_clock?.as_millis().div_ceil(1000);
        Some(self.strings.fmt(
            "turn_clock",
            &[("t", &format!("{}:{:02}", left / 60, left % 60))],
        ))
    }

    /// Switches the screen's language between English and Japanese.
    fn switch_language(&mut self) {
        let next = match self.strings.lang() {
            Lang::En => Lang::Ja,
            Lang::Ja => Lang::En,
        };
        self.strings = Strings::new(next);
    }

    /// Asks the table for the views of the seats at the keyboard again.
    /// An observer receives the public picture only.
    fn refresh(&mut self) {
        let table = self.table.borrow();
        self.team_view = match self.seat {
            Some(Seat::Observer) => TeamView::public_only(table.public_view()),
            _ => table.team_view(self.team),
        };
        self.truth = self.facilitator.then(|| table.facilitator_view());
    }

    pub fn table(&self) -> Ref<'_, Table> {
        self.table.borrow()
    }
    pub fn session(&self) -> Ref<'_, Session> {
        Ref::map(self.table.borrow(), Table::session)
    }
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn human_teams(&self) -> Vec<TeamIdx> {
        self.table.borrow().human_teams()
    }
    /// The seat this screen is bound to, if it is a served one.
    pub fn seat(&self) -> Option<Seat> {
        self.seat
    }
    /// The team at the keyboard.
    pub fn team(&self) -> TeamIdx {
        self.team
    }
    /// Hands the keyboard to a team.
    pub fn set_team(&mut self, team: TeamIdx) {
        if (team as usize) < self.scenario().teams.len() {
            self.team = team;
            self.refresh();
        }
    }
    /// Whether the facilitator's ground truth is on screen.
    pub fn facilitator(&self) -> bool {
        self.facilitator
    }
    pub fn set_facilitator(&mut self, on: bool) {
        // With no human team there is nobody else to show.
        self.facilitator = on || self.human_teams().is_empty();
        self.refresh();
    }

    pub fn viewer(&self) -> Viewer {
        if self.facilitator {
            Viewer::Facilitator
        } else {
            Viewer::Team(self.team)
        }
    }

    /// The view of the team at the keyboard.
    pub fn team_view(&self) -> &TeamView {
        &self.team_view
    }
    /// Ground truth, while the facilitator looks.
    pub fn truth(&self) -> Option<&FacilitatorView> {
        self.truth.as_ref()
    }
    /// Service availability per asset, as everyone sees it.
    pub fn availability(&self) -> &[u16] {
        &self.team_view.public.availability
    }

    pub fn team_name(&self, team: TeamIdx) -> &str {
        self.scenario()
            .teams
            .get(team as usize)
            .map_or("", |t| self.strings.text(&t.name))
    }

    pub fn text<'a>(&self, t: &'a Text) -> &'a str {
        self.strings.text(t)
    }

    /// The narrator for whoever is at the screen.
    pub fn narrator(&self) -> Narrator<'_> {
        Narrator::new(self.scenario(), self.viewer(), &self.strings)
    }

    // ---- input ------------------------------------------------------

    /// A key press: a dialog takes raw keys; otherwise keys become actions.
    pub fn on_key(&mut self, key: KeyEvent) {
        if self.dialog.is_some() {
            self.dialog_key(key);
            return;
        }
        if self.help {
            self.help = false;
            return;
        }
        if self.decisions.searching && self.panel == Panel::Decisions {
            self.search_key(key);
            return;
        }
        if let Some(a) = map_key(&self.keys, key) {
            self.apply(a);
        }
        self.mark_read();
    }

    pub fn apply(&mut self, action: UiAction) {
        if self.dialog.is_some() || self.help {
            // Mouse actions while an overlay is open only close help.
            self.help = false;
            return;
        }
        self.status = None;
        match action {
            UiAction::Up | UiAction::ScrollUp => self.move_row(-1),
            UiAction::Down | UiAction::ScrollDown => self.move_row(1),
            UiAction::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            UiAction::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(1),
            UiAction::Left => self.switch_panel(-1),
            UiAction::Right => self.switch_panel(1),
            UiAction::NextPanel => self.switch_panel(1),
            UiAction::PrevPanel => self.switch_panel(-1),
            UiAction::Panel(i) => {
                if let Some(p) = Panel::ALL.get(i) {
                    self.panel = *p;
                }
            }
            UiAction::Select | UiAction::ToggleQueue => {
                if self.panel == Panel::Decisions {
                    self.toggle_queue();
                }
            }
            UiAction::EndTurn => {
                if self.session().ended() {
                    self.open_end_of_exercise();
                } else if self.seat == Some(Seat::Observer) {
                    self.status = Some(self.strings.get("refused_ObserverOnly").to_string());
                } else if self.facilitator && self.human_teams().is_empty() {
                    self.end_turn();
                } else if !self.session().ended() {
                    self.dialog = Some(Dialog::ConfirmEndTurn);
                }
            }
            UiAction::ToggleFacilitator if self.seat.is_some() => {
                self.status = Some(self.strings.get("status_seat_fixed").to_string());
            }
            UiAction::ToggleFacilitator => {
                if self.facilitator || self.access == FacilitatorAccess::Open {
                    self.set_facilitator(!self.facilitator);
                } else {
                    self.dialog = Some(Dialog::Unlock {
                        typed: String::new(),
                    });
                }
            }
            UiAction::Help => self.help = true,
            UiAction::Quit => self.dialog = Some(Dialog::ConfirmQuit),
            UiAction::Inject => {
                if self.need_facilitator() {
                    self.dialog = Some(Dialog::Inject {
                        title: String::new(),
                        text: String::new(),
                        to: vec![false; self.scenario().teams.len()],
                        field: 0,
                    });
                }
            }
            UiAction::Override => {
                if self.need_facilitator() {
                    self.open_override();
                }
            }
            UiAction::Pause => {
                if self.need_facilitator() {
                    let command = if self.table().paused() {
                        Command::Resume
                    } else {
                        Command::Pause
                    };
                    self.send(Seat::Facilitator, command);
                }
            }
            UiAction::Rewind => {
                if self.need_facilitator() {
                    let played = self.session().history().len() as u32;
                    self.dialog = Some(Dialog::Rewind {
                        to: played.saturating_sub(1),
                        reason: String::new(),
                        field: 0,
                        confirming: false,
                    });
                }
            }
            // An observer's screen is the projector and nothing else.
            UiAction::Projector if self.seat == Some(Seat::Observer) => {}
            UiAction::Projector => self.projector = !self.projector,
            UiAction::Language => self.switch_language(),
            UiAction::StandIn => {
                if self.need_facilitator() {
                    if self.human_teams().is_empty() {
                        self.status = Some(self.strings.get("status_no_humans").to_string());
                    } else {
                        self.dialog = Some(Dialog::StandIn { selected: 0 });
                    }
                }
            }
            UiAction::Msel => {
                if self.need_facilitator() {
                    if self.scenario().injects.is_empty() {
                        self.status = Some(self.strings.get("status_no_msel").to_string());
                    } else {
                        self.dialog = Some(Dialog::Msel { selected: 0 });
                    }
                }
            }
            UiAction::Note => {
                if self.need_facilitator() {
                    self.dialog = Some(Dialog::Note {
                        text: String::new(),
                    });
                }
            }
            UiAction::Branches => {
                if self.need_facilitator() {
                    if self.truth().is_some_and(|t| t.branches.is_empty()) {
                        self.status = Some(self.strings.get("status_no_branches").to_string());
                    } else {
                        self.dialog = Some(Dialog::Branches {
                            selected: 0,
                            reason: String::new(),
                            field: 0,
                            confirming: false,
                        });
                    }
                }
            }
            UiAction::Click { column, row } => {
                self.click(column, row);
                self.mark_read();
            }
            UiAction::PageUp => self.move_row(-(self.page_rows() as isize)),
            UiAction::PageDown => self.move_row(self.page_rows() as isize),
            UiAction::First => self.move_row(isize::MIN / 2),
            UiAction::Last => self.move_row(isize::MAX / 2),
            UiAction::Search => {
                self.panel = Panel::Decisions;
                self.decisions.searching = true;
            }
            UiAction::DecisionTab => {
                if self.panel == Panel::Decisions {
                    self.decisions.tab = self.decisions.tab.next();
                    self.decisions.kind = None;
                }
                self.panel = Panel::Decisions;
                self.rows[Panel::Decisions.index()] = 0;
            }
            UiAction::OrgFilter(by) => {
                if self.panel == Panel::Decisions {
                    let orgs: Vec<_> = self.staff_left().iter().map(|l| l.org).collect();
                    self.decisions.cycle_org(&orgs, by.into());
                    self.rows[Panel::Decisions.index()] = 0;
                }
            }
            UiAction::KindFilter(by) => {
                if self.panel == Panel::Decisions {
                    let cands = self.team_view.decisions.clone();
                    self.decisions.cycle_kind(&cands, by.into());
                    self.rows[Panel::Decisions.index()] = 0;
                }
            }
            UiAction::ClearFilters => {
                if self.panel == Panel::Decisions {
                    self.decisions.clear();
                }
            }
        }
    }

    /// Keys while a search of the decisions is being typed: every
    /// character goes into the search; Enter keeps it, Esc drops it.
    fn search_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter => self.decisions.searching = false,
            KeyCode::Esc => {
                self.decisions.searching = false;
                self.decisions.query.clear();
            }
            KeyCode::Backspace => {
                self.decisions.query.pop();
            }
            KeyCode::Up => self.move_row(-1),
            KeyCode::Down => self.move_row(1),
            KeyCode::Char(c) if !c.is_control() => {
                self.decisions.query.push(c);
                self.rows[Panel::Decisions.index()] = 0;
            }
            _ => {}
        }
    }

    /// Rows of the current panel's list that fit on the screen.
    fn page_rows(&self) -> usize {
        let body = layout::areas(self.size).body;
        layout::list_area(self.panel, body)
            .map_or(1, |a| a.height.saturating_sub(3) as usize)
            .max(1)
    }

    fn need_facilitator(&mut self) -> bool {
        if !self.facilitator {
            self.status = Some(self.strings.get("status_need_fac").to_string());
        }
        self.facilitator
    }

    fn switch_panel(&mut self, by: isize) {
        let n = Panel::ALL.len() as isize;
        let i = (self.panel.index() as isize + by).rem_euclid(n);
        self.panel = Panel::ALL[i as usize];
    }

    pub fn row_count(&self, panel: Panel) -> usize {
        match panel {
            Panel::Infrastructure | Panel::Map => self.scenario().assets.len(),
            Panel::Inbox => self.inbox().len(),
            Panel::Decisions => self.decision_order().len(),
            Panel::Timeline => self.timeline().len(),
            Panel::Scores => self.scenario().objectives.len(),
        }
    }

    fn move_row(&mut self, by: isize) {
        let count = self.row_count(self.panel);
        let i = self.panel.index();
        if count == 0 {
            self.rows[i] = 0;
            return;
        }
        let next = (self.rows[i] as isize)
            .saturating_add(by)
            .clamp(0, count as isize - 1);
        if self.rows[i] != next as usize {
            self.detail_scroll = 0;
        }
        self.rows[i] = next as usize;
        // The map and the list share the selected asset.
        if matches!(self.panel, Panel::Infrastructure | Panel::Map) {
            self.rows[0] = next as usize;
            self.rows[1] = next as usize;
        }
    }

    /// The selected row of a panel, clamped to what exists now.
    pub fn selected(&self, panel: Panel) -> usize {
        let n = self.row_count(panel);
        self.rows[panel.index()].min(n.saturating_sub(1))
    }

    fn click(&mut self, column: u16, row: u16) {
        let areas = layout::areas(self.size);
        if let Some(i) = layout::tab_at(&self.strings, areas.tabs, column, row) {
            self.panel = Panel::ALL[i];
            return;
        }
        if let Some(list) = layout::list_area(self.panel, areas.body)
            && row > list.y
            && row < list.bottom().saturating_sub(1)
            && column >= list.x
            && column < list.right()
        {
            let height = list.height.saturating_sub(2) as usize;
            let clicked = (row - list.y - 1) as usize;
            let i = self.panel.index();
            if self.panel == Panel::Infrastructure {
                // The list shows sector headings between the assets.
                let rows = self.infra_rows();
                let order = self.asset_order();
                let shown = self.infra_row_of(self.selected(Panel::Infrastructure));
                let target = layout::scroll_offset(shown, height) + clicked;
                if let Some(InfraRow::Asset(a)) = rows.get(target)
                    && let Some(pos) = order.iter().position(|x| x == a)
                {
                    self.rows[0] = pos;
                    self.rows[1] = pos;
                }
            } else {
                let offset = layout::scroll_offset(self.selected(self.panel), height);
                let target = offset + clicked;
                if target < self.row_count(self.panel) {
                    self.rows[i] = target;
                }
            }
        }
    }

    /// The row of the infrastructure list that shows the `n`th asset.
    pub fn infra_row_of(&self, n: usize) -> usize {
        let order = self.asset_order();
        let Some(asset) = order.get(n) else {
            return 0;
        };
        self.infra_rows()
            .iter()
            .position(|r| *r == InfraRow::Asset(*asset))
            .unwrap_or(0)
    }

    // ---- commands to the table ------------------------------------------

    /// Sends a command as `seat`, words what happened (or why not) on the
    /// status line, saves after a turn or a rewind, and asks for fresh
    /// views. Returns the notices, empty if refused.
    fn send(&mut self, seat: Seat, command: Command) -> Vec<Notice> {
        let result = match self.table.try_borrow_mut() {
            Ok(mut table) => table.command(seat, command),
            // Unreachable while screens hold no borrow across a command;
            // a refusal rather than a panic if that ever changes.
            Err(_) => Err(CommandRefused::Busy),
        };
        match result {
            Ok(notices) => {
                self.outbox.extend(notices.iter().cloned());
                for n in &notices {
                    self.notice(n);
                }
                if notices.iter().any(|n| {
                    matches!(
                        n,
                        Notice::Resolved { .. }
                            | Notice::Rewound { .. }
                            | Notice::BranchSwitched { .. }
                            | Notice::Noted
                    )
                }) {
                    self.save();
                }
                self.refresh();
                self.follow(&notices);
                notices
            }
            Err(refused) => {
                self.status = Some(self.refused(&refused));
                Vec::new()
            }
        }
    }

    fn notice(&mut self, notice: &Notice) {
        let s = &self.strings;
        let text = match notice {
            Notice::Queued { decision, .. } => {
                let what = self.narrator().decision(decision);
                s.fmt("status_queued", &[("what", &what)])
            }
            Notice::Withdrawn { decision, .. } => {
                let what = self.narrator().decision(decision);
                s.fmt("status_unqueued", &[("what", &what)])
            }
            Notice::Ready { team } => s.fmt("turn_ended", &[("team", self.team_name(*team))]),
            Notice::Paused => s.get("status_paused").to_string(),
            Notice::Resumed => s.get("status_resumed").to_string(),
            Notice::Pending { index } => match self.table().pending().get(*index) {
                Some(Override {
                    change: Change::AdHocInject { .. },
                    ..
                }) => s.get("status_inject").to_string(),
                _ => s.get("status_override").to_string(),
            },
            Notice::Cancelled { .. } => s.get("status_cancelled").to_string(),
            Notice::Resolved { turn } => s.fmt("status_resolved", &[("n", &turn.to_string())]),
            Notice::Rewound { to, .. } => s.fmt("status_rewound", &[("n", &to.to_string())]),
            Notice::BranchSwitched { turns, .. } => {
                s.fmt("status_branch", &[("n", &turns.to_string())])
            }
            Notice::Noted => s.get("status_noted").to_string(),
            Notice::StandIn { team, policy } => match policy {
                Some(p) => s.fmt(
                    "status_stand_in",
                    &[("team", self.team_name(*team)), ("policy", p.name())],
                ),
                None => s.fmt("status_stand_in_back", &[("team", self.team_name(*team))]),
            },
        };
        self.status = Some(text);
    }

    /// A refusal in the viewer's language.
    fn refused(&self, refused: &CommandRefused) -> String {
        match refused {
            CommandRefused::Decision(r) => {
                let why = self.narrator().refusal(r);
                self.strings.fmt("status_refused", &[("why", &why)])
            }
            CommandRefused::TurnAlreadyEnded => self
                .strings
                .fmt("turn_ended", &[("team", self.team_name(self.team))]),
            other => self.narrator().command_refused(other),
        }
    }

    /// Staff left this turn for each of the team's organisations.
    pub fn staff_left(&self) -> &[StaffLine] {
        &self.team_view.staff
    }

    /// Every decision the team at the keyboard's organisations might take.
    pub fn candidates(&self) -> &[Candidate] {
        &self.team_view.decisions
    }

    /// The candidates the decisions panel lists, as indices into
    /// [`App::candidates`], in display order.
    pub fn decision_order(&self) -> Vec<usize> {
        let narrator = self.narrator();
        self.decisions
            .shown(&self.team_view.decisions, &self.team_view.queued, |c| {
                format!(
                    "{} {}",
                    narrator.decision(&c.decision),
                    narrator.org_short(c.decision.org)
                )
            })
    }

    /// The decision under the cursor, as an index into [`App::candidates`].
    pub fn selected_candidate(&self) -> Option<usize> {
        self.decision_order()
            .get(self.selected(Panel::Decisions))
            .copied()
    }

    /// Puts the cursor on a candidate: opens its tab and drops filters
    /// that hide it.
    pub fn select_candidate(&mut self, candidate: usize) {
        let Some(kind) = self
            .candidates()
            .get(candidate)
            .map(|c| c.decision.action.kind())
        else {
            return;
        };
        self.decisions.clear();
        self.decisions.tab = if kind.is_strategic() {
            super::decision_browser::DecisionTab::Strategic
        } else {
            super::decision_browser::DecisionTab::Operational
        };
        self.panel = Panel::Decisions;
        if let Some(row) = self.decision_order().iter().position(|&i| i == candidate) {
            self.rows[Panel::Decisions.index()] = row;
        }
    }

    /// Queues or un-queues the selected decision.
    pub fn toggle_queue(&mut self) {
        if self.facilitator && self.human_teams().is_empty() {
            return;
        }
        let Some(c) = self
            .selected_candidate()
            .and_then(|i| self.candidates().get(i))
        else {
            return;
        };
        let command = if c.queued {
            Command::Withdraw(c.decision.clone())
        } else {
            Command::Submit(c.decision.clone())
        };
        self.send(Seat::Team(self.team), command);
    }

    /// The team at the keyboard ends its turn and hands over to the next
    /// team still deciding; when none is left, the turn resolves. With
    /// nobody playing, the facilitator resolves it.
    pub fn end_turn(&mut self) {
        let humans = self.human_teams();
        // A served facilitator forces the turn; a served team only ends its own.
        match self.seat {
            Some(Seat::Facilitator) => {
                self.send(Seat::Facilitator, Command::ResolveNow);
                return;
            }
            Some(Seat::Team(team)) => {
                let notices = self.send(Seat::Team(team), Command::EndTurn);
                let resolved = notices.iter().any(|n| matches!(n, Notice::Resolved { .. }));
                let waiting = self.deciding_names();
                if !notices.is_empty() && !resolved && !waiting.is_empty() {
                    self.status = Some(
                        self.strings
                            .fmt("status_waiting_for", &[("teams", &waiting.join(", "))]),
                    );
                }
                return;
            }
            Some(Seat::Observer) | None => {}
        }
        if humans.is_empty() {
            self.send(Seat::Facilitator, Command::ResolveNow);
            return;
        }
        let notices = self.send(Seat::Team(self.team), Command::EndTurn);
        let next = if notices.iter().any(|n| matches!(n, Notice::Resolved { .. })) {
            humans.first().copied()
        } else {
            self.table().deciding().first().copied()
        };
        if let Some(t) = next
            && !notices.is_empty()
        {
            self.set_team(t);
        }
    }

    /// The first screen of a session: with people playing, the
    /// facilitator chooses a passphrase for the facilitator's view unless
    /// the screen is facilitator-run; then the first team's briefing.
    pub fn begin(&mut self, facilitator_run: bool) {
        match self.seat {
            Some(Seat::Team(team)) => {
                self.open_turn_start(team);
                return;
            }
            Some(Seat::Facilitator | Seat::Observer) => return,
            None => {}
        }
        let Some(&first) = self.human_teams().first() else {
            return;
        };
        if facilitator_run {
            self.access = FacilitatorAccess::Open;
            self.open_turn_start(first);
        } else {
            self.dialog = Some(Dialog::SetPassphrase {
                first: String::new(),
                second: String::new(),
                field: 0,
            });
        }
    }

    /// Ends the turn of the team at the keyboard (confirmed), then covers
    /// the screen for the next team, or opens the debrief when the same
    /// person plays on.
    fn end_turn_and_hand_over(&mut self) {
        if self.seat.is_some() {
            // Every seat, this one too, follows the turn through its notices.
            self.end_turn();
            return;
        }
        let before = self.session().turn();
        let was = self.team;
        self.end_turn();
        let moved = self.session().turn() != before || self.team != was;
        if !moved {
            return;
        }
        if self.session().ended() {
            self.open_end_of_exercise();
            return;
        }
        if self.human_teams().len() > 1 {
            self.dialog = Some(Dialog::HandOver { team: self.team });
        } else {
            self.open_turn_start(self.team);
        }
    }

    /// The end-of-exercise screen, with the report built from the log.
    pub fn open_end_of_exercise(&mut self) {
        if self.end_report.is_none() {
            let built = crate::report::aar::build(self.session().log(), self.strings.lang());
            match built {
                Ok(r) => self.end_report = Some(Box::new(r)),
                Err(e) => {
                    self.status = Some(e.to_string());
                    return;
                }
            }
        }
        let history = self.table().facilitator_view().history;
        self.end_history = history;
        self.dialog = Some(Dialog::EndOfExercise { scroll: 0 });
    }

    /// Writes the after-action report as HTML beside the autosaved log.
    fn write_report(&mut self) {
        if matches!(self.seat, Some(Seat::Team(_) | Seat::Observer)) {
            self.status = Some(self.strings.get("status_need_fac").to_string());
            return;
        }
        let (Some(report), Some(log)) = (self.end_report.as_deref(), self.autosave.as_ref()) else {
            self.status = Some(self.strings.get("status_no_report_path").to_string());
            return;
        };
        let path = log.with_extension("html");
        let html = crate::report::html::render(report, &self.strings);
        self.status = Some(match crate::store::write_atomic(&path, html.as_bytes()) {
            Ok(()) => self.strings.fmt(
                "status_report_written",
                &[("path", &path.display().to_string())],
            ),
            Err(e) => self
                .strings
                .fmt("status_save_failed", &[("err", &e.to_string())]),
        });
    }

    /// Every event of every turn, revealed at the end of the exercise.
    pub fn truth_history(&self) -> &[TurnEvents] {
        &self.end_history
    }

    /// The opening of `team`'s turn, when there is something to read.
    fn open_turn_start(&mut self, team: TeamIdx) {
        let view = &self.team_view;
        let turn = view.public.turn;
        let news = turn == 1
            || !view.arriving.is_empty()
            || turn
                .checked_sub(1)
                .and_then(|t| view.debrief(t))
                .is_some_and(|d| !d.is_quiet());
        if news {
            self.dialog = Some(Dialog::TurnStart { team, scroll: 0 });
        }
    }

    /// Writes the log to the autosave file, if there is one.
    pub fn save(&mut self) {
        let Some(path) = &self.autosave else {
            return;
        };
        let written = crate::store::write_log(path, self.session().log());
        if let Err(e) = written {
            self.status = Some(
                self.strings
                    .fmt("status_save_failed", &[("err", &e.to_string())]),
            );
        }
    }

    // ---- facilitator ----------------------------------------------------

    fn open_override(&mut self) {
        match self.panel {
            Panel::Scores => {
                if !self.scenario().objectives.is_empty() {
                    self.dialog = Some(Dialog::Objective {
                        objective: self.selected(Panel::Scores) as u32,
                        met: true,
                        reason: String::new(),
                    });
                }
            }
            _ => {
                if let Some(&asset) = self.asset_order().get(self.selected(Panel::Infrastructure)) {
                    let now = self
                        .availability()
                        .get(asset as usize)
                        .copied()
                        .unwrap_or(0);
                    self.dialog = Some(Dialog::Availability {
                        asset,
                        // People type percentages; the model keeps permille.
                        value: (now / 10).to_string(),
                        reason: String::new(),
                        field: 0,
                        evict: false,
                    });
                }
            }
        }
    }

    /// Sends a facilitator command from a dialog; the dialog stays open
    /// when it is refused, so nothing typed is lost.
    fn submit_dialog(&mut self, command: Command) -> bool {
        !self.send(Seat::Facilitator, command).is_empty()
    }

    fn dialog_key(&mut self, key: KeyEvent) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        if key.code == KeyCode::Esc {
            return;
        }
        let teams = self.scenario().teams.len();
        let mut keep = true;
        match &mut dialog {
            Dialog::ConfirmEndTurn => {
                keep = false;
                if matches!(
                    key.code,
                    KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
                ) {
                    self.end_turn_and_hand_over();
                    return;
                }
            }
            Dialog::HandOver { team } => {
                // Only Enter: a stray key must not uncover the screen.
                if key.code == KeyCode::Enter {
                    let team = *team;
                    self.set_team(team);
                    self.set_facilitator(false);
                    self.open_turn_start(team);
                    return;
                }
            }
            Dialog::TurnStart { scroll, .. } => match key.code {
                KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1),
                KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                KeyCode::PageDown => *scroll = scroll.saturating_add(10),
                KeyCode::Enter | KeyCode::Char(' ') => keep = false,
                _ => {}
            },
            Dialog::SetPassphrase {
                first,
                second,
                field,
            } => match key.code {
                KeyCode::Tab | KeyCode::BackTab => *field = 1 - *field,
                KeyCode::Backspace => {
                    if *field == 0 {
                        first.pop();
                    } else {
                        second.pop();
                    }
                }
                KeyCode::Char(c) => {
                    if *field == 0 {
                        first.push(c);
                    } else {
                        second.push(c);
                    }
                }
                KeyCode::Enter => {
                    if first.is_empty() && second.is_empty() {
                        self.access = FacilitatorAccess::Open;
                        keep = false;
                    } else if *field == 0 {
                        *field = 1;
                    } else if first == second {
                        self.access = FacilitatorAccess::Passphrase(first.clone());
                        self.status = Some(self.strings.get("status_locked").to_string());
                        keep = false;
                    } else {
                        second.clear();
                        self.status =
                            Some(self.strings.get("status_passphrase_differs").to_string());
                    }
                    if !keep {
                        self.set_facilitator(false);
                        if let Some(&t) = self.human_teams().first() {
                            self.open_turn_start(t);
                        }
                        return;
                    }
                }
                _ => {}
            },
            Dialog::Unlock { typed } => match key.code {
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char(c) => typed.push(c),
                KeyCode::Enter => {
                    keep = false;
                    if self.access == FacilitatorAccess::Passphrase(typed.clone()) {
                        self.set_facilitator(true);
                    } else {
                        self.status = Some(self.strings.get("status_wrong_passphrase").to_string());
                    }
                }
                _ => {}
            },
            Dialog::Note { text } => match key.code {
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) => text.push(c),
                KeyCode::Enter => {
                    keep = !self.submit_dialog(Command::Note {
                        at: crate::time::utc_now(),
                        text: text.clone(),
                    });
                }
                _ => {}
            },
            Dialog::Msel { selected } => {
                let count = self.scenario().injects.len();
                let inject = *selected as u32;
                let status = self.truth().and_then(|t| t.injects.get(*selected).copied());
                match key.code {
                    KeyCode::Up | KeyCode::Char('k') => *selected = selected.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => {
                        *selected = (*selected + 1).min(count.saturating_sub(1));
                    }
                    KeyCode::Char('x') => {
                        let reason = self.strings.get("msel_reason_fire").to_string();
                        self.send_overrides(vec![Change::FireInject { inject }], &reason);
                    }
                    KeyCode::Char('h') => {
                        let hold = !status.is_some_and(|s| s.held);
                        let key = if hold {
                            "msel_reason_hold"
                        } else {
                            "msel_reason_release"
                        };
                        let reason = self.strings.get(key).to_string();
                        self.send_overrides(vec![Change::HoldInject { inject, hold }], &reason);
                    }
                    KeyCode::Enter => keep = false,
                    _ => {}
                }
            }
            Dialog::EndOfExercise { scroll } => match key.code {
                KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1),
                KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                KeyCode::PageDown => *scroll = scroll.saturating_add(10),
                KeyCode::Char('w') => self.write_report(),
                KeyCode::Enter => keep = false,
                _ => {}
            },
            Dialog::StandIn { selected } => {
                let humans = self.human_teams();
                match key.code {
                    KeyCode::Up | KeyCode::Char('k') => *selected = selected.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => {
                        *selected = (*selected + 1).min(humans.len().saturating_sub(1))
                    }
                    KeyCode::Enter | KeyCode::Char('d' | 'r' | 'i') => {
                        if let Some(&team) = humans.get(*selected) {
                            let policy = match key.code {
                                KeyCode::Char('r') => Some(PolicyKind::Random),
                                KeyCode::Char('i') => Some(PolicyKind::Idle),
                                KeyCode::Char('d') => Some(PolicyKind::Doctrine),
                                // Enter toggles: a stand-in, or the people back.
                                _ => match self.table().stand_in(team) {
                                    Some(_) => None,
                                    None => Some(PolicyKind::Doctrine),
                                },
                            };
                            self.send(Seat::Facilitator, Command::StandIn { team, policy });
                        }
                    }
                    KeyCode::Char('h') => {
                        if let Some(&team) = humans.get(*selected) {
                            self.send(Seat::Facilitator, Command::StandIn { team, policy: None });
                        }
                    }
                    _ => {}
                }
            }
            Dialog::ConfirmQuit => {
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    self.quit = true;
                }
                keep = false;
            }
            Dialog::Inject {
                title,
                text,
                to,
                field,
            } => match key.code {
                KeyCode::Tab => *field = (*field + 1) % 3,
                KeyCode::BackTab => *field = (*field + 2) % 3,
                KeyCode::Enter => {
                    let chosen: Vec<TeamIdx> = (0..teams as TeamIdx)
                        .filter(|&t| to.get(t as usize).copied().unwrap_or(false))
                        .collect();
                    let words = |s: &str| Text {
                        en: s.to_string(),
                        ja: s.to_string(),
                    };
                    keep = !self.submit_dialog(Command::Inject {
                        title: words(title),
                        text: words(text),
                        to: chosen,
                    });
                }
                KeyCode::Backspace => {
                    match field {
                        0 => title.pop(),
                        1 => text.pop(),
                        _ => None,
                    };
                }
                // In the recipients field a number ticks that team.
                KeyCode::Char(c) if *field == 2 => {
                    if let Some(slot) = c
                        .to_digit(10)
                        .and_then(|d| (d as usize).checked_sub(1))
                        .and_then(|i| to.get_mut(i))
                    {
                        *slot = !*slot;
                    }
                }
                KeyCode::Char(c) if *field == 0 => title.push(c),
                KeyCode::Char(c) => text.push(c),
                _ => {}
            },
            Dialog::Availability {
                asset,
                value,
                reason,
                field,
                evict,
            } => match key.code {
                KeyCode::Tab => *field = (*field + 1) % 3,
                KeyCode::BackTab => *field = (*field + 2) % 3,
                KeyCode::Char(' ') if *field == 2 => *evict = !*evict,
                KeyCode::Char(_) if *field == 2 => {}
                KeyCode::Backspace => {
                    if *field == 0 {
                        value.pop();
                    } else {
                        reason.pop();
                    }
                }
                KeyCode::Char(c) if *field == 0 && c.is_ascii_digit() => value.push(c),
                KeyCode::Char(_) if *field == 0 => {}
                KeyCode::Char(c) => reason.push(c),
                KeyCode::Enter => match value.parse::<u16>().ok().filter(|v| *v <= 100) {
                    Some(percent) => {
                        let v = percent * 10;
                        let mut changes = vec![Change::SetAvailability {
                            asset: *asset,
                            availability: v,
                        }];
                        if *evict {
                            // Ground truth: every attacker holding the asset.
                            let mut holders: Vec<u16> = self
                                .truth()
                                .and_then(|t| t.assets.get(*asset as usize))
                                .map(|a| a.compromises.iter().map(|c| c.attacker).collect())
                                .unwrap_or_default();
                            holders.dedup();
                            changes.extend(holders.into_iter().map(|attacker| Change::Evict {
                                asset: *asset,
                                attacker,
                            }));
                        }
                        keep = !self.send_overrides(changes, reason);
                    }
                    None => self.status = Some(self.strings.get("status_bad_percent").to_string()),
                },
                _ => {}
            },
            Dialog::Objective {
                objective,
                met,
                reason,
            } => match key.code {
                KeyCode::Tab | KeyCode::BackTab => *met = !*met,
                KeyCode::Backspace => {
                    reason.pop();
                }
                KeyCode::Char(c) => reason.push(c),
                KeyCode::Enter => {
                    let change = Change::SetObjective {
                        objective: *objective,
                        met: *met,
                    };
                    keep = !self.send_overrides(vec![change], reason);
                }
                _ => {}
            },
            Dialog::Rewind {
                to,
                reason,
                field,
                confirming,
            } => {
                let played = self.session().history().len() as u32;
                let mut pick = *to as usize;
                match self.pick_with_reason(
                    key,
                    &mut pick,
                    played as usize + 1,
                    reason,
                    field,
                    confirming,
                ) {
                    Picked::Go => keep = !self.rewind(pick as u32, reason),
                    Picked::Stay => {}
                }
                *to = pick as u32;
            }
            Dialog::Branches {
                selected,
                reason,
                field,
                confirming,
            } => {
                let count = self.truth().map_or(0, |t| t.branches.len());
                if let Picked::Go =
                    self.pick_with_reason(key, selected, count, reason, field, confirming)
                {
                    keep = !self.submit_dialog(Command::SwitchBranch {
                        branch: *selected,
                        reason: reason.clone(),
                    });
                    if !keep && let Some(&t) = self.human_teams().first() {
                        self.set_team(t);
                    }
                }
            }
        }
        if keep {
            self.dialog = Some(dialog);
        }
    }

    /// Keys of a dialog that picks a row of a list, asks for a reason and
    /// then for confirmation: Go when confirmed.
    fn pick_with_reason(
        &mut self,
        key: KeyEvent,
        selected: &mut usize,
        count: usize,
        reason: &mut String,
        field: &mut usize,
        confirming: &mut bool,
    ) -> Picked {
        if *confirming {
            match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => return Picked::Go,
                _ => *confirming = false,
            }
            return Picked::Stay;
        }
        match key.code {
            KeyCode::Tab | KeyCode::BackTab => *field = 1 - *field,
            KeyCode::Up if *field == 0 => *selected = selected.saturating_sub(1),
            KeyCode::Down if *field == 0 => {
                *selected = (*selected + 1).min(count.saturating_sub(1));
            }
            KeyCode::Home if *field == 0 => *selected = 0,
            KeyCode::End if *field == 0 => *selected = count.saturating_sub(1),
            KeyCode::Char('k') if *field == 0 => *selected = selected.saturating_sub(1),
            KeyCode::Char('j') if *field == 0 => {
                *selected = (*selected + 1).min(count.saturating_sub(1));
            }
            KeyCode::Char(_) if *field == 0 => {}
            KeyCode::Backspace => {
                reason.pop();
            }
            KeyCode::Char(c) => reason.push(c),
            KeyCode::Enter if *field == 0 => *field = 1,
            KeyCode::Enter => {
                if reason.trim().is_empty() {
                    self.status = Some(self.refused(&CommandRefused::ReasonRequired));
                } else {
                    *confirming = true;
                }
            }
            _ => {}
        }
        Picked::Stay
    }

    /// What happened in a turn, in a few words, for the rewind list.
    pub fn turn_headline(&self, turn: u32) -> String {
        let Some(truth) = self.truth() else {
            return String::new();
        };
        if turn == 0 {
            return self.strings.get("rewind_start").to_string();
        }
        let narrator = self.narrator();
        let notable: Vec<String> = truth
            .history
            .iter()
            .find(|t| t.turn == turn)
            .map(|t| {
                t.events
                    .iter()
                    .filter(|e| {
                        matches!(
                            e,
                            Event::InjectFired { .. }
                                | Event::AdHocInject { .. }
                                | Event::StageStarted { .. }
                                | Event::AssetDown { .. }
                                | Event::Detected { .. }
                                | Event::RecordsStolen { .. }
                                | Event::ObjectiveFailed { .. }
                                | Event::ObjectiveMet { .. }
                                | Event::PublicAttribution { .. }
                                | Event::Article5Consulted { .. }
                        )
                    })
                    .take(2)
                    .map(|e| narrator.event(e).0)
                    .collect()
            })
            .unwrap_or_default();
        let score = truth
            .public
            .score_history
            .get(turn as usize - 1)
            .copied()
            .unwrap_or(0);
        let mut line = self
            .strings
            .fmt("debrief_score", &[("n", &score.to_string())]);
        for n in notable {
            line.push_str(" · ");
            line.push_str(&n);
        }
        line
    }

    /// Sends overrides that share one reason; true if all were taken.
    fn send_overrides(&mut self, changes: Vec<Change>, reason: &str) -> bool {
        changes.into_iter().all(|change| {
            self.submit_dialog(Command::Override(Override {
                change,
                reason: reason.to_string(),
            }))
        })
    }

    /// Rewinds to the end of turn `to` and plays on from there as a
    /// branch; true if done.
    pub fn rewind(&mut self, to: u32, reason: &str) -> bool {
        let done = self.submit_dialog(Command::Rewind {
            to,
            reason: reason.to_string(),
        });
        if done && let Some(&t) = self.human_teams().first() {
            self.set_team(t);
        }
        done
    }

    // ---- what the panels show ---------------------------------------------

    /// Assets in display order: grouped by sector, then scenario order.
    pub fn asset_order(&self) -> Vec<AssetIdx> {
        let assets = &self.scenario().assets;
        let mut order: Vec<AssetIdx> = (0..assets.len() as AssetIdx).collect();
        order.sort_by_key(|&a| {
            let s = assets[a as usize].sector;
            (Sector::ALL.iter().position(|x| *x == s).unwrap_or(0), a)
        });
        order
    }

    /// The infrastructure list with sector headings.
    pub fn infra_rows(&self) -> Vec<InfraRow> {
        let assets = &self.scenario().assets;
        let mut rows = Vec::new();
        let mut last = None;
        for a in self.asset_order() {
            let s = assets[a as usize].sector;
            if last != Some(s) {
                rows.push(InfraRow::Sector(s));
                last = Some(s);
            }
            rows.push(InfraRow::Asset(a));
        }
        rows
    }

    /// Compromises of an asset as the viewer knows them.
    pub fn compromises_of(&self, asset: AssetIdx) -> Vec<SeenCompromise> {
        match &self.truth {
            Some(truth) => truth
                .assets
                .get(asset as usize)
                .map(|a| {
                    a.compromises
                        .iter()
                        .map(|c| SeenCompromise {
                            level: c.level,
                            since: c.since,
                            detected: c.detected,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            None => self
                .team_view
                .assets
                .get(asset as usize)
                .map(|a| {
                    a.intrusions
                        .iter()
                        .map(|k| SeenCompromise {
                            level: 0,
                            since: k.seen,
                            detected: true,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// An asset's monitoring level, if the viewer knows it.
    pub fn monitoring(&self, asset: AssetIdx) -> Option<u16> {
        match &self.truth {
            Some(truth) => truth.assets.get(asset as usize).map(|a| a.monitoring),
            None => self
                .team_view
                .assets
                .get(asset as usize)
                .and_then(|a| a.monitoring),
        }
    }

    /// The turns played, with the events the viewer may see.
    pub fn history(&self) -> &[TurnEvents] {
        match &self.truth {
            Some(truth) => &truth.history,
            None => &self.team_view.history,
        }
    }

    /// Events of each turn the viewer may see, newest turn first.
    pub fn timeline(&self) -> Vec<(u32, String, Tone)> {
        let narrator = self.narrator();
        let mut out = Vec::new();
        for turn in self.history().iter().rev() {
            for e in &turn.events {
                let (text, tone) = narrator.event(e);
                out.push((turn.turn, text, tone));
            }
        }
        out
    }

    /// What the viewer received, newest first: see [`super::inbox`].
    pub fn inbox(&self) -> Vec<InboxItem> {
        super::inbox::items(self)
    }

    /// Whether the viewer has had an inbox entry under the cursor.
    pub fn is_read(&self, item: &InboxItem) -> bool {
        self.read.contains(&(self.viewer(), item.key.clone()))
    }

    /// Marks the inbox entry under the cursor as read.
    fn mark_read(&mut self) {
        if self.panel != Panel::Inbox || self.dialog.is_some() {
            return;
        }
        if let Some(item) = self.inbox().get(self.selected(Panel::Inbox)) {
            self.read.insert((self.viewer(), item.key.clone()));
        }
    }

    /// Score after each turn played.
    pub fn score_history(&self) -> Vec<u64> {
        self.team_view
            .public
            .score_history
            .iter()
            .map(|&s| u64::from(s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::DecisionKind;
    use crate::session::Controller;
    use crate::sim::decision::{Refusal, Tlp};
    use crate::sim::event::Event;
    use crate::tui::fixture::{play_turn, render, tutorial, tutorial_with};
    use crate::tui::i18n::Lang;

    #[test]
    fn queue_unqueue_and_end_turn_for_each_human_team() {
        let mut app = tutorial(Lang::En);
        assert_eq!(app.human_teams(), vec![0, 1]);
        assert_eq!(app.team(), 0);
        app.apply(UiAction::Panel(3));
        assert_eq!(app.panel, Panel::Decisions);
        // Find an available decision and queue it.
        let i = app
            .candidates()
            .iter()
            .position(|c| c.status.is_ok())
            .expect("something is possible on turn 1");
        app.select_candidate(i);
        let d = app.candidates()[i].decision.clone();
        let before = app.staff_left().to_vec();
        app.apply(UiAction::ToggleQueue);
        let queued = |app: &App, t: TeamIdx| {
            app.table()
                .queue(t)
                .map_or_else(Vec::new, |q| q.decisions().to_vec())
        };
        assert_eq!(queued(&app, 0), vec![d.clone()]);
        assert!(app.candidates()[i].queued);
        let after = app.staff_left();
        assert!(
            after.iter().zip(&before).any(|(a, b)| a.left() < b.left()),
            "staff is promised"
        );
        // Un-queue and queue again.
        app.apply(UiAction::ToggleQueue);
        assert!(queued(&app, 0).is_empty());
        app.apply(UiAction::ToggleQueue);
        assert_eq!(queued(&app, 0).len(), 1);
        // Japan ends; the US is now at the keyboard; nothing resolved yet.
        app.end_turn();
        assert_eq!(app.team(), 1);
        assert_eq!(app.session().turn(), 1);
        app.end_turn();
        // Both ended: the turn resolved with Japan's decision.
        assert_eq!(app.session().turn(), 2);
        assert_eq!(app.team(), 0);
        assert!(queued(&app, 0).is_empty() && queued(&app, 1).is_empty());
        assert_eq!(app.session().log().turns[0].decisions[0], d);
        assert!(
            app.session().history()[0]
                .events
                .iter()
                .any(|e| matches!(e, Event::DecisionStarted { decision, .. } if *decision == d))
        );
    }

    #[test]
    fn a_computer_team_needs_no_end_turn() {
        let mut app = tutorial_with(
            Lang::En,
            &[("us", Controller::Policy(crate::policy::PolicyKind::Idle))],
        );
        assert_eq!(app.human_teams(), vec![0]);
        app.end_turn();
        assert_eq!(app.session().turn(), 2);
    }

    #[test]
    fn decisions_are_browsed_by_tab_search_filter_and_page() {
        use crate::tui::decision_browser::DecisionTab;
        let mut app = tutorial(Lang::En);
        let key = |app: &mut App, code: KeyCode| app.on_key(KeyEvent::from(code));
        key(&mut app, KeyCode::Char('t'));
        assert_eq!(app.panel, Panel::Decisions);
        assert_eq!(app.decisions.tab, DecisionTab::Strategic);
        let kinds = |app: &App| -> Vec<DecisionKind> {
            app.decision_order()
                .iter()
                .map(|&i| app.candidates()[i].decision.action.kind())
                .collect()
        };
        assert!(!kinds(&app).is_empty());
        assert!(kinds(&app).iter().all(|k| k.is_strategic()));
        key(&mut app, KeyCode::Char('t'));
        assert_eq!(app.decisions.tab, DecisionTab::Operational);
        let operational = app.decision_order().len();
        assert!(kinds(&app).iter().all(|k| !k.is_strategic()));
        // Keys typed into the search are text: `e` does not end the turn.
        key(&mut app, KeyCode::Char('/'));
        for c in "patch".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        assert_eq!(app.session().turn(), 1);
        assert!(!kinds(&app).is_empty());
        assert!(kinds(&app).iter().all(|k| *k == DecisionKind::Patch));
        key(&mut app, KeyCode::Enter);
        assert!(!app.decisions.searching);
        assert_eq!(app.decisions.query, "patch", "Enter keeps the search");
        // Paging stays within the list.
        key(&mut app, KeyCode::End);
        let n = app.decision_order().len();
        assert_eq!(app.selected(Panel::Decisions), n - 1);
        key(&mut app, KeyCode::PageUp);
        key(&mut app, KeyCode::Home);
        assert_eq!(app.selected(Panel::Decisions), 0);
        key(&mut app, KeyCode::Esc);
        assert_eq!(app.decision_order().len(), operational, "Esc clears");
        // The organisation filter narrows to one of the team's.
        key(&mut app, KeyCode::Char(']'));
        let org = app.decisions.org.expect("a filter is set");
        assert!(
            app.decision_order()
                .iter()
                .all(|&i| app.candidates()[i].decision.org == org)
        );
        // Queued: what was queued, in order.
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char(' '));
        key(&mut app, KeyCode::Char('t'));
        assert_eq!(app.decisions.tab, DecisionTab::Queued);
        let queued = app.table().queue(0).map(|q| q.decisions().to_vec());
        assert!(queued.as_ref().is_some_and(|q| q.len() == 1));
        let shown: Vec<_> = app
            .decision_order()
            .iter()
            .map(|&i| app.candidates()[i].decision.clone())
            .collect();
        assert_eq!(Some(shown), queued);
    }

    #[test]
    fn hot_seat_confirms_covers_the_screen_and_locks_the_facilitator_view() {
        let mut app = tutorial(Lang::En);
        let key = |app: &mut App, code: KeyCode| app.on_key(KeyEvent::from(code));
        let typed = |app: &mut App, text: &str| {
            for c in text.chars() {
                app.on_key(KeyEvent::from(KeyCode::Char(c)));
            }
        };
        // The facilitator chooses a passphrase; a mismatch is asked again.
        app.begin(false);
        typed(&mut app, "kizuna");
        key(&mut app, KeyCode::Enter);
        typed(&mut app, "kizunx");
        key(&mut app, KeyCode::Enter);
        assert!(matches!(app.dialog, Some(Dialog::SetPassphrase { .. })));
        typed(&mut app, "kizuna");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.access, FacilitatorAccess::Passphrase("kizuna".into()));
        // Japan's turn opens with the briefing and the inject due now.
        assert!(matches!(
            app.dialog,
            Some(Dialog::TurnStart { team: 0, .. })
        ));
        assert!(!app.team_view().arriving.is_empty());
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("Briefing") && screen.contains("Arriving now"),
            "{screen}"
        );
        key(&mut app, KeyCode::Enter);
        assert!(app.dialog.is_none());
        // The facilitator's view needs the passphrase.
        key(&mut app, KeyCode::Char('f'));
        typed(&mut app, "guess");
        key(&mut app, KeyCode::Enter);
        assert!(!app.facilitator());
        assert_eq!(app.status.as_deref(), Some("Wrong passphrase"));
        key(&mut app, KeyCode::Char('f'));
        typed(&mut app, "kizuna");
        key(&mut app, KeyCode::Enter);
        assert!(app.facilitator());
        // Ending a turn asks; any other key goes back.
        key(&mut app, KeyCode::Char('e'));
        assert_eq!(app.dialog, Some(Dialog::ConfirmEndTurn));
        key(&mut app, KeyCode::Char('n'));
        assert!(app.dialog.is_none());
        assert!(!app.table().ready(0));
        key(&mut app, KeyCode::Char('e'));
        key(&mut app, KeyCode::Char('y'));
        assert!(app.table().ready(0));
        // The next team gets a covered screen: nothing of Japan's, nor the
        // facilitator's ground truth, until it takes the keyboard.
        assert_eq!(app.dialog, Some(Dialog::HandOver { team: 1 }));
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("Pass the keyboard to United States"),
            "{screen}"
        );
        for private in [
            "Infrastructure",
            "Inbox",
            "Morning briefing",
            "Facilitator │",
        ] {
            assert!(!screen.contains(private), "{private} shows: {screen}");
        }
        key(&mut app, KeyCode::Char('x'));
        assert_eq!(app.dialog, Some(Dialog::HandOver { team: 1 }), "only Enter");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.team(), 1);
        assert!(
            !app.facilitator(),
            "the hand-over leaves the facilitator view"
        );
        // The US ends too: the turn resolves and Japan is handed back the
        // keyboard, then reads its debrief of turn 1.
        if app.dialog.is_some() {
            key(&mut app, KeyCode::Enter);
        }
        key(&mut app, KeyCode::Char('e'));
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.session().turn(), 2);
        assert_eq!(app.dialog, Some(Dialog::HandOver { team: 0 }));
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.team(), 0);
    }

    #[test]
    fn a_facilitator_run_screen_needs_no_passphrase() {
        let mut app = tutorial(Lang::En);
        app.begin(true);
        assert_eq!(app.access, FacilitatorAccess::Open);
        assert!(matches!(app.dialog, Some(Dialog::TurnStart { .. })));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.on_key(KeyEvent::from(KeyCode::Char('f')));
        assert!(app.facilitator());
    }

    #[test]
    fn the_exercise_ends_with_a_debrief_and_writes_its_report() {
        let mut app = tutorial_with(
            Lang::En,
            &[(
                "us",
                Controller::Policy(crate::policy::PolicyKind::Doctrine),
            )],
        );
        let dir = tempfile::tempdir().expect("temp dir");
        app.autosave = Some(dir.path().join("tutorial-7.ron"));
        let key = |app: &mut App, code: KeyCode| app.on_key(KeyEvent::from(code));
        for _ in 0..40 {
            if matches!(app.dialog, Some(Dialog::EndOfExercise { .. })) {
                break;
            }
            if app.dialog.is_some() {
                key(&mut app, KeyCode::Enter);
            }
            key(&mut app, KeyCode::Char('e'));
            key(&mut app, KeyCode::Char('y'));
        }
        assert!(app.session().ended());
        assert!(matches!(app.dialog, Some(Dialog::EndOfExercise { .. })));
        let screen = render(&mut app, 120, 60);
        for part in [
            "End of the exercise",
            "Objectives, and why",
            "Keep the water flowing",
            "The attacker's path, revealed",
            "Ashen Crane",
            "Key decision points",
        ] {
            assert!(screen.contains(part), "{part} missing: {screen}");
        }
        key(&mut app, KeyCode::Char('w'));
        let html = std::fs::read_to_string(dir.path().join("tutorial-7.html"))
            .expect("the report was written");
        assert!(html.contains("<svg") && html.contains("Keep the water flowing"));
        // Closed, it opens again from the end-turn key.
        key(&mut app, KeyCode::Enter);
        assert!(app.dialog.is_none());
        key(&mut app, KeyCode::Char('e'));
        assert!(matches!(app.dialog, Some(Dialog::EndOfExercise { .. })));
    }

    #[test]
    fn the_msel_fires_early_and_holds_scripted_injects() {
        let mut app = tutorial(Lang::En);
        let key = |app: &mut App, code: KeyCode| app.on_key(KeyEvent::from(code));
        app.set_facilitator(true);
        // The first inject fires in turn 1; pick the one after it.
        app.apply(UiAction::Msel);
        key(&mut app, KeyCode::Down);
        let Some(Dialog::Msel { selected }) = app.dialog.clone() else {
            panic!("the MSEL is open");
        };
        let inject = selected as u32;
        assert!(
            app.truth()
                .is_some_and(|t| t.injects[selected].fired.is_none())
        );
        key(&mut app, KeyCode::Char('x'));
        assert_eq!(
            app.table().pending().last().map(|o| o.change.clone()),
            Some(Change::FireInject { inject })
        );
        key(&mut app, KeyCode::Char('x'));
        assert_eq!(
            app.status.as_deref(),
            Some("That inject has already fired, or fires next turn")
        );
        // Hold the next one back.
        key(&mut app, KeyCode::Down);
        key(&mut app, KeyCode::Char('h'));
        let held = inject + 1;
        key(&mut app, KeyCode::Enter);
        play_turn(&mut app);
        let truth = app.truth().expect("the facilitator looks");
        assert_eq!(truth.injects[selected].fired, Some(1), "fired early");
        assert!(truth.injects[held as usize].held);
        let session = app.session();
        let log = &session.log().turns[0].overrides;
        assert!(log.iter().all(|o| o.reason.contains("MSEL")));
    }

    #[test]
    fn the_projector_shows_only_the_public_picture() {
        let mut app = tutorial(Lang::En);
        for _ in 0..6 {
            play_turn(&mut app);
        }
        app.set_facilitator(true);
        app.on_key(KeyEvent::from(KeyCode::Char('P')));
        assert!(app.projector);
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("Key services") && screen.contains("Last turn"),
            "{screen}"
        );
        let attacker = app.text(&app.scenario().attackers[0].name).to_string();
        for private in [attacker.as_str(), "ground truth", "Inbox", "Facilitator"] {
            assert!(!screen.contains(private), "{private} on the wall: {screen}");
        }
        // The last turn's public news is there: an outage everyone saw.
        let down = app.team_view().public.headlines.len();
        assert!(down > 0, "the tutorial has public news by turn 6");
        app.on_key(KeyEvent::from(KeyCode::Char('P')));
        assert!(!app.projector);
    }

    #[test]
    fn refused_decisions_say_why_and_are_not_queued() {
        let mut app = tutorial(Lang::En);
        let cands = app.candidates();
        let i = cands
            .iter()
            .position(|c| c.status.is_err())
            .expect("some decision is unavailable");
        app.panel = Panel::Decisions;
        app.select_candidate(i);
        app.toggle_queue();
        assert!(app.table().queue(0).is_some_and(|q| q.is_empty()));
        assert!(
            app.status
                .as_deref()
                .unwrap_or("")
                .starts_with("Not possible")
        );
    }

    #[test]
    fn fog_of_war_hides_undetected_compromises() {
        let mut app = tutorial(Lang::En);
        let mut found = None;
        for _ in 0..8 {
            play_turn(&mut app);
            let undetected: Vec<_> = app
                .session()
                .sim()
                .read()
                .compromises()
                .into_iter()
                .filter(|c| !c.detected)
                .collect();
            if let Some(c) = undetected.first() {
                found = Some(c.clone());
                break;
            }
        }
        let c = found.expect("seed 7 gives an undetected compromise early");
        let known = app.session().lens(0).known_compromises();
        assert!(known.iter().all(|k| k.asset != c.asset));
        let attacker = app.scenario().attackers[c.attacker as usize]
            .name
            .en
            .clone();
        // The team's screens never show it.
        app.set_facilitator(false);
        assert!(app.compromises_of(c.asset).is_empty());
        for p in 0..6 {
            app.apply(UiAction::Panel(p));
            let screen = render(&mut app, 120, 40);
            assert!(!screen.contains(&attacker), "panel {p} names the attacker");
            assert!(!screen.contains("undetected"), "panel {p}");
        }
        assert!(
            app.timeline()
                .iter()
                .all(|(_, t, _)| !t.contains(&attacker))
        );
        // The facilitator sees it.
        app.apply(UiAction::ToggleFacilitator);
        assert!(!app.compromises_of(c.asset).is_empty());
        app.apply(UiAction::Panel(0));
        app.rows[0] = app
            .asset_order()
            .iter()
            .position(|&a| a == c.asset)
            .unwrap();
        let screen = render(&mut app, 120, 40);
        assert!(screen.contains("undetected"));
        assert!(app.timeline().iter().any(|(_, t, _)| t.contains(&attacker)));
    }

    #[test]
    fn the_inbox_detail_scrolls_and_resets_on_a_new_selection() {
        let mut app = tutorial(Lang::En);
        // Turn 6 brings a second scripted inject.
        for _ in 0..6 {
            play_turn(&mut app);
        }
        app.apply(UiAction::Panel(2));
        app.apply(UiAction::DetailDown);
        app.apply(UiAction::DetailDown);
        app.apply(UiAction::DetailUp);
        assert_eq!(app.detail_scroll, 1);
        app.apply(UiAction::DetailUp);
        app.apply(UiAction::DetailUp);
        assert_eq!(app.detail_scroll, 0, "never above the top");
        app.apply(UiAction::DetailDown);
        assert!(app.inbox().len() > 1, "six turns leave several messages");
        app.apply(UiAction::Down);
        assert_eq!(app.detail_scroll, 0, "a new message starts at its top");
    }

    #[test]
    fn the_facilitator_can_throw_an_attacker_off_an_asset() {
        let mut app = tutorial(Lang::En);
        let mut held = None;
        for _ in 0..8 {
            play_turn(&mut app);
            held = app.session().sim().read().compromises().first().cloned();
            if held.is_some() {
                break;
            }
        }
        let c = held.expect("seed 7 gives a compromise early");
        app.apply(UiAction::ToggleFacilitator);
        app.apply(UiAction::Panel(0));
        app.rows[0] = app
            .asset_order()
            .iter()
            .position(|&a| a == c.asset)
            .expect("the asset is listed");
        app.apply(UiAction::Override);
        app.on_key(KeyEvent::from(KeyCode::Tab));
        for ch in "cleaned by hand".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(ch)));
        }
        app.on_key(KeyEvent::from(KeyCode::Tab));
        app.on_key(KeyEvent::from(KeyCode::Char(' ')));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert!(app.dialog.is_none());
        play_turn(&mut app);
        let session = app.session();
        let rec = session.log().turns.last().expect("a turn was played");
        assert!(rec.overrides.iter().any(|o| matches!(
            o.change,
            Change::Evict { asset, attacker } if asset == c.asset && attacker == c.attacker
        ) && o.reason == "cleaned by hand"));
        // Gone at the start of that turn (it may have come back since).
        assert!(
            app.session()
                .history()
                .last()
                .is_some_and(|o| o.events.iter().any(|e| matches!(
                    e,
                    crate::sim::event::Event::Overridden {
                        change: Change::Evict { .. },
                        ..
                    }
                )))
        );
    }

    #[test]
    fn the_inbox_has_one_entry_per_message_detections_and_unread_marks() {
        use crate::tui::inbox::InboxKind;
        // Seed 6: doctrine play detects the intruder several times.
        let loaded = crate::scenario::load::load_builtin(
            "tutorial",
            &crate::scenario::load::LoadOptions::default(),
        )
        .expect("tutorial loads");
        let doctrine = Controller::Policy(crate::policy::PolicyKind::Doctrine);
        let session = Session::new(&loaded, 6, vec![doctrine; 2], true);
        let mut app = App::new(
            session,
            Strings::new(Lang::En),
            crate::tui::theme::Theme::named("default"),
        );
        while !app.session().ended() {
            app.end_turn();
        }
        app.set_team(0);
        app.set_facilitator(true);
        // Every delivery of the same message in a turn is one entry.
        let deliveries: usize = app
            .session()
            .history()
            .iter()
            .flat_map(|o| &o.events)
            .filter(|e| matches!(e, Event::MessageDelivered { .. }))
            .count();
        let items = app.inbox();
        let messages: Vec<_> = items
            .iter()
            .filter(|m| matches!(m.kind, InboxKind::Intel | InboxKind::Report))
            .collect();
        let recipients: usize = messages.iter().map(|m| m.recipients.len()).sum();
        assert_eq!(recipients, deliveries, "every delivery is a recipient");
        assert!(
            messages.iter().any(|m| m.recipients.len() > 1),
            "some message reached several organisations"
        );
        let detected = app
            .session()
            .history()
            .iter()
            .flat_map(|o| &o.events)
            .filter(|e| matches!(e, Event::Detected { .. }))
            .count();
        assert!(detected > 0, "doctrine detects something in the tutorial");
        let entries = items
            .iter()
            .filter(|m| m.kind == InboxKind::Detection)
            .count();
        assert_eq!(entries, detected, "each detection is an entry");
        // What is under the cursor in the inbox is read; the rest is not.
        assert!(items.iter().all(|m| !app.is_read(m)));
        app.on_key(KeyEvent::from(KeyCode::Char('3')));
        app.on_key(KeyEvent::from(KeyCode::Down));
        let items = app.inbox();
        assert!(app.is_read(&items[0]) && app.is_read(&items[1]));
        assert!(!app.is_read(&items[2]));
    }

    #[test]
    fn facilitator_controls_go_through_overrides_and_rewind() {
        let mut app = tutorial(Lang::En);
        // Not for players.
        app.apply(UiAction::Inject);
        assert!(app.dialog.is_none());
        app.apply(UiAction::ToggleFacilitator);
        // Ad-hoc inject to the US only: digits in the title and text are
        // text, not team toggles.
        app.apply(UiAction::Inject);
        let type_text = |app: &mut App, text: &str| {
            for c in text.chars() {
                app.on_key(KeyEvent::from(KeyCode::Char(c)));
            }
        };
        type_text(&mut app, "NHK call 2");
        app.on_key(KeyEvent::from(KeyCode::Tab));
        type_text(&mut app, "NHK reporter calls at 10:30 re 1.25m records");
        // Nobody ticked yet: refused, and nothing typed is lost.
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert!(app.table().pending().is_empty());
        assert_eq!(
            app.status.as_deref(),
            Some("An inject needs at least one team")
        );
        assert!(
            matches!(&app.dialog, Some(Dialog::Inject { text, .. }) if text.ends_with("1.25m records"))
        );
        app.on_key(KeyEvent::from(KeyCode::Tab));
        app.on_key(KeyEvent::from(KeyCode::Char('2'))); // the US
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert!(app.dialog.is_none());
        // Override the first asset's availability with a reason.
        app.apply(UiAction::Panel(0));
        app.apply(UiAction::Override);
        // Availability is typed as a percentage.
        for _ in 0..4 {
            app.on_key(KeyEvent::from(KeyCode::Backspace));
        }
        app.on_key(KeyEvent::from(KeyCode::Char('2')));
        app.on_key(KeyEvent::from(KeyCode::Char('0')));
        app.on_key(KeyEvent::from(KeyCode::Tab));
        for c in "storm".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        app.on_key(KeyEvent::from(KeyCode::Enter));
        // The waiting change shows beside the asset, by name.
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains("Waiting for the turn to resolve: Availability of"),
            "{screen}"
        );
        assert!(screen.contains("set to 20%"), "{screen}");
        // Mark an objective as met.
        app.apply(UiAction::Panel(5));
        app.apply(UiAction::Override);
        for c in "judged".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert_eq!(app.table().pending().len(), 3);
        // Pause blocks the turn.
        app.apply(UiAction::Pause);
        app.end_turn();
        app.end_turn();
        assert_eq!(app.session().turn(), 1);
        assert_eq!(app.status.as_deref(), Some("Paused by the facilitator"));
        app.apply(UiAction::Pause);
        play_turn(&mut app);
        assert_eq!(app.session().turn(), 2);
        {
            let session = app.session();
            let rec = &session.log().turns[0];
            assert_eq!(rec.overrides.len(), 3);
            assert!(matches!(
                &rec.overrides[0].change,
                Change::AdHocInject { title, text, to }
                    if *to == vec![1]
                        && title.en == "NHK call 2"
                        && text.en == "NHK reporter calls at 10:30 re 1.25m records"
            ));
            assert_eq!(rec.overrides[1].reason, "storm");
            assert!(matches!(
                rec.overrides[1].change,
                Change::SetAvailability {
                    availability: 200,
                    ..
                }
            ));
            assert!(matches!(
                rec.overrides[2].change,
                Change::SetObjective { met: true, .. }
            ));
        }
        // The inject reached the US inbox only.
        app.set_facilitator(false);
        app.set_team(1);
        assert!(
            app.inbox()
                .iter()
                .any(|m| m.title == "NHK call 2" && m.body.contains("10:30"))
        );
        app.set_team(0);
        assert!(app.inbox().iter().all(|m| m.title != "NHK call 2"));
        // Rewind to the end of turn 1 and play on as a branch; a rewind
        // needs a reason, and the dialog keeps what was typed until then.
        app.set_facilitator(true);
        play_turn(&mut app);
        // The list opens on the turn before the last; Up picks turn 0.
        app.apply(UiAction::Rewind);
        assert!(matches!(app.dialog, Some(Dialog::Rewind { to: 1, .. })));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert_eq!(app.status.as_deref(), Some("A reason is required"));
        assert!(app.dialog.is_some());
        assert_eq!(app.session().turn(), 3);
        for c in "wrong call".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        app.on_key(KeyEvent::from(KeyCode::Enter));
        // It asks before it rewinds; `n` goes back to the form.
        assert!(matches!(
            app.dialog,
            Some(Dialog::Rewind {
                confirming: true,
                ..
            })
        ));
        app.on_key(KeyEvent::from(KeyCode::Char('n')));
        assert_eq!(app.session().turn(), 3);
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.on_key(KeyEvent::from(KeyCode::Char('y')));
        assert!(app.dialog.is_none());
        assert_eq!(app.session().turn(), 2);
        {
            let session = app.session();
            let branches = &session.log().branches;
            assert_eq!(branches.len(), 1);
            assert_eq!(branches[0].reason, "wrong call");
        }
        play_turn(&mut app);
        assert_eq!(app.session().turn(), 3);
        // Back onto the abandoned line, from the branch list.
        app.apply(UiAction::Branches);
        for c in "compare".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        assert!(
            matches!(&app.dialog, Some(Dialog::Branches { reason, .. }) if reason.is_empty()),
            "letters in the list are not the reason"
        );
        app.on_key(KeyEvent::from(KeyCode::Tab));
        for c in "compare".chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(c)));
        }
        app.on_key(KeyEvent::from(KeyCode::Enter));
        app.on_key(KeyEvent::from(KeyCode::Enter));
        assert!(app.dialog.is_none(), "{:?}", app.status);
        assert_eq!(app.session().turn(), 3, "the old line had two turns");
        let session = app.session();
        let branches = &session.log().branches;
        assert_eq!(branches.len(), 1, "the line left is now the branch");
        assert_eq!(branches[0].reason, "compare");
    }

    #[test]
    fn every_refusal_is_worded_in_both_languages() {
        use crate::scenario::model::Authority;
        let all = vec![
            Refusal::UnknownOrganisation(1),
            Refusal::UnknownAsset(1),
            Refusal::UnknownAttacker(1),
            Refusal::NotAllowedInScenario(DecisionKind::Hunt),
            Refusal::MissingAuthority(Authority::IncidentResponse),
            Refusal::NotEnoughStaff {
                needed: 2,
                available: 1,
            },
            Refusal::NotResponsibleForAsset,
            Refusal::AlreadyInProgress,
            Refusal::AlreadyIsolated,
            Refusal::NoBackups,
            Refusal::BackupsDestroyed,
            Refusal::NothingToPatch,
            Refusal::MonitoringAtMaximum,
            Refusal::NoIndicators,
            Refusal::NoEvidence,
            Refusal::TlpNotPermitted {
                tlp: Tlp::Red,
                trust: 500,
                needed: 700,
            },
            Refusal::NoRecipients,
            Refusal::SelfAssistance,
            Refusal::NoStaffToLend,
            Refusal::AlreadyAssisted,
            Refusal::AlertAtMaximum,
            Refusal::AlreadyConsulted,
            Refusal::LiaisonActive,
            Refusal::InfrastructureDown,
            Refusal::NotYourOrganisation,
        ];
        for lang in [Lang::En, Lang::Ja] {
            let app = tutorial(lang);
            for r in &all {
                let text = app.narrator().refusal(r);
                assert!(!text.starts_with("refusal_"), "{r:?} has no string");
                assert!(!text.contains('{'), "{r:?}: {text}");
            }
        }
        let app = tutorial(Lang::En);
        // The English wording matches the engine's.
        let r = Refusal::NotEnoughStaff {
            needed: 2,
            available: 1,
        };
        assert_eq!(app.narrator().refusal(&r), r.to_string());
    }

    /// The tutorial's table with a screen bound to each seat, as a server
    /// holds them: Japan, the US, the facilitator and an observer.
    fn seated() -> (App, App, App, App) {
        let local = tutorial(Lang::En);
        let table = Rc::clone(&local.table);
        let at = |seat| {
            let mut app = App::at(
                Rc::clone(&table),
                Some(seat),
                Strings::new(Lang::En),
                Theme::named("default"),
            );
            app.begin(false);
            app
        };
        (
            at(Seat::Team(0)),
            at(Seat::Team(1)),
            at(Seat::Facilitator),
            at(Seat::Observer),
        )
    }

    /// Passes what one screen's commands changed to the others.
    fn pass_on(from: &mut App, to: &mut [&mut App]) {
        let notices = std::mem::take(&mut from.outbox);
        for app in to {
            app.observe(&notices);
        }
    }

    #[test]
    fn seated_teams_end_their_turns_on_their_own_and_hear_only_their_own_queue() {
        let (mut jp, mut us, mut fac, mut obs) = seated();
        assert!(matches!(jp.dialog, Some(Dialog::TurnStart { team: 0, .. })));
        jp.dialog = None;
        us.dialog = None;
        jp.apply(UiAction::Panel(Panel::Decisions.index()));
        let first_ok = jp
            .decision_order()
            .into_iter()
            .position(|i| jp.candidates()[i].status.is_ok())
            .expect("something to decide");
        jp.rows[Panel::Decisions.index()] = first_ok;
        jp.toggle_queue();
        let queued = jp.team_view().queued.clone();
        assert_eq!(queued.len(), 1);
        let what = jp.narrator().decision(&queued[0]);
        pass_on(&mut jp, &mut [&mut us, &mut fac, &mut obs]);
        assert!(us.status.as_deref().is_none_or(|s| !s.contains(&what)));
        assert!(us.team_view().queued.is_empty(), "Japan's queue is Japan's");
        assert!(fac.status.as_deref().is_some_and(|s| s.contains(&what)));

        jp.end_turn();
        assert_eq!(jp.session().turn(), 1, "the US is still deciding");
        let waiting = jp.status.clone().unwrap_or_default();
        assert!(waiting.contains(us.team_name(1)), "{waiting}");
        pass_on(&mut jp, &mut [&mut us, &mut fac, &mut obs]);
        assert_eq!(us.deciding_names(), vec![us.team_name(1).to_string()]);
        assert!(render(&mut obs, 120, 40).contains(us.team_name(1)));
        // A second end of turn is refused, and the queue cannot change.
        jp.end_turn();
        assert_eq!(
            jp.status.as_deref(),
            Some(
                jp.strings
                    .fmt("turn_ended", &[("team", jp.team_name(0))])
                    .as_str()
            )
        );

        us.apply(UiAction::EndTurn);
        us.on_key(KeyEvent::from(KeyCode::Char('y')));
        assert_eq!(
            us.session().turn(),
            2,
            "both teams ended: the turn resolves"
        );
        pass_on(&mut us, &mut [&mut jp, &mut fac, &mut obs]);
        assert_eq!(jp.team_view().public.turn, 2);
        assert_eq!(obs.team_view().public.turn, 2);
        assert!(jp.team_view().queued.is_empty());
    }

    #[test]
    fn a_seated_facilitator_forces_the_turn_and_seats_stay_put() {
        let (mut jp, _us, mut fac, mut obs) = seated();
        jp.dialog = None;
        assert!(fac.facilitator() && fac.truth().is_some());
        jp.apply(UiAction::ToggleFacilitator);
        assert!(!jp.facilitator(), "a team's seat cannot open ground truth");
        assert_eq!(
            jp.status.as_deref(),
            Some(jp.strings.get("status_seat_fixed"))
        );
        jp.apply(UiAction::Inject);
        assert!(jp.dialog.is_none());
        fac.apply(UiAction::EndTurn);
        fac.on_key(KeyEvent::from(KeyCode::Enter));
        assert_eq!(fac.session().turn(), 2, "forced without the teams");
        pass_on(&mut fac, &mut [&mut jp, &mut obs]);
        assert!(
            matches!(jp.dialog, None | Some(Dialog::TurnStart { team: 0, .. })),
            "{:?}",
            jp.dialog
        );
        assert_eq!(jp.team_view().public.turn, 2);
    }

    #[test]
    fn an_observer_holds_the_public_picture_only_and_sends_nothing() {
        let (_jp, _us, _fac, mut obs) = seated();
        assert!(obs.projector);
        let view = obs.team_view();
        assert!(view.staff.is_empty() && view.decisions.is_empty() && view.assets.is_empty());
        assert!(view.history.is_empty() && view.facts == Default::default());
        obs.apply(UiAction::Projector);
        assert!(obs.projector, "the projector is all an observer has");
        obs.apply(UiAction::EndTurn);
        assert_eq!(obs.session().turn(), 1);
        obs.apply(UiAction::ToggleFacilitator);
        assert!(obs.truth().is_none());
        obs.apply(UiAction::Language);
        assert_eq!(obs.strings.lang(), Lang::Ja);
    }

    #[test]
    fn the_facilitator_hands_a_team_to_a_stand_in_and_back() {
        let (mut jp, mut us, mut fac, _obs) = seated();
        jp.dialog = None;
        us.dialog = None;
        jp.end_turn();
        pass_on(&mut jp, &mut [&mut us, &mut fac]);
        assert_eq!(fac.session().turn(), 1);
        fac.apply(UiAction::StandIn);
        assert_eq!(fac.dialog, Some(Dialog::StandIn { selected: 0 }));
        fac.on_key(KeyEvent::from(KeyCode::Down));
        fac.on_key(KeyEvent::from(KeyCode::Char('d')));
        assert_eq!(fac.table().stand_in(1), Some(PolicyKind::Doctrine));
        assert_eq!(
            fac.session().turn(),
            2,
            "Japan was ready and the stand-in covers the US: the turn resolves"
        );
        pass_on(&mut fac, &mut [&mut jp, &mut us]);
        assert_eq!(us.team_view().public.turn, 2);
        us.apply(UiAction::Panel(Panel::Decisions.index()));
        us.toggle_queue();
        assert_eq!(
            us.status.as_deref(),
            Some(us.strings.get("refused_StoodIn"))
        );
        // Japan alone keeps the turn now.
        jp.dialog = None;
        jp.end_turn();
        assert_eq!(jp.session().turn(), 3);
        fac.on_key(KeyEvent::from(KeyCode::Char('h')));
        assert_eq!(fac.table().stand_in(1), None);
        pass_on(&mut fac, &mut [&mut jp, &mut us]);
        jp.dialog = None;
        jp.end_turn();
        assert_eq!(jp.session().turn(), 3, "the US decides for itself again");
    }

    #[test]
    fn every_command_refusal_is_worded_in_both_languages() {
        let all = vec![
            CommandRefused::ObserverOnly,
            CommandRefused::FacilitatorOnly,
            CommandRefused::TeamOnly,
            CommandRefused::UnknownTeam(4),
            CommandRefused::NotHuman,
            CommandRefused::AlreadyQueued,
            CommandRefused::NotQueued,
            CommandRefused::TurnAlreadyEnded,
            CommandRefused::Paused,
            CommandRefused::NotPaused,
            CommandRefused::Ended,
            CommandRefused::ReasonRequired,
            CommandRefused::EmptyInject,
            CommandRefused::UntitledInject,
            CommandRefused::EmptyNote,
            CommandRefused::InjectAlreadyFired,
            CommandRefused::NoRecipients,
            CommandRefused::InvalidOverride("x".into()),
            CommandRefused::NoSuchPending(2),
            CommandRefused::BadRewind { to: 9, played: 3 },
            CommandRefused::NoSuchBranch(1),
            CommandRefused::BranchElsewhere(0),
            CommandRefused::NoChain,
            CommandRefused::StoodIn,
            CommandRefused::Busy,
        ];
        for lang in [Lang::En, Lang::Ja] {
            let app = tutorial(lang);
            for r in &all {
                let text = app.narrator().command_refused(r);
                assert!(!text.starts_with("refused_"), "{r:?} has no string");
                assert!(!text.contains('{'), "{r:?}: {text}");
            }
        }
    }

    #[test]
    fn quit_asks_first() {
        let mut app = tutorial(Lang::En);
        app.apply(UiAction::Quit);
        app.on_key(KeyEvent::from(KeyCode::Char('n')));
        assert!(!app.quit && app.dialog.is_none());
        app.apply(UiAction::Quit);
        app.on_key(KeyEvent::from(KeyCode::Char('y')));
        assert!(app.quit);
    }

    #[test]
    fn clicks_pick_tabs_and_rows_and_tiny_screens_do_not_panic() {
        let mut app = tutorial(Lang::Ja);
        app.size = Rect::new(0, 0, 120, 40);
        app.apply(UiAction::Click { column: 1, row: 1 });
        assert_eq!(app.panel, Panel::Infrastructure);
        let areas = layout::areas(app.size);
        let list = layout::list_area(Panel::Infrastructure, areas.body).unwrap();
        // Row 4 shows an asset after a sector heading; row 3 is a heading.
        app.apply(UiAction::Click {
            column: list.x + 3,
            row: list.y + 4,
        });
        let picked = app.asset_order()[app.selected(Panel::Infrastructure)];
        assert_eq!(app.infra_rows()[3], InfraRow::Asset(picked));
        let before = app.selected(Panel::Infrastructure);
        app.apply(UiAction::Click {
            column: list.x + 3,
            row: list.y + 3,
        });
        assert_eq!(
            app.selected(Panel::Infrastructure),
            before,
            "a heading selects nothing"
        );
        app.apply(UiAction::ScrollDown);
        assert_eq!(app.selected(Panel::Infrastructure), before + 1);
        // Timeline rows map one to one.
        app.apply(UiAction::Panel(4));
        play_turn(&mut app);
        let tl = layout::list_area(Panel::Timeline, areas.body).unwrap();
        app.apply(UiAction::Click {
            column: tl.x + 2,
            row: tl.y + 2,
        });
        assert_eq!(
            app.selected(Panel::Timeline),
            1.min(app.timeline().len() - 1)
        );
        for (w, h) in [
            (0, 0),
            (1, 1),
            (10, 3),
            (59, 15),
            (60, 16),
            (80, 24),
            (300, 100),
        ] {
            for p in 0..6 {
                app.apply(UiAction::Panel(p));
                let _ = render(&mut app, w, h);
            }
        }
        assert!(render(&mut app, 40, 10).contains("端末が小さすぎます"));
    }
}
