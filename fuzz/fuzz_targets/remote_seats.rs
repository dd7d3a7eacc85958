//! Any bytes as what four served seats (Japan, the US, the facilitator, an
//! observer) send over SSH: raw terminal input split anywhere, window
//! changes to any size, departures and returns, and time passing for the
//! turn timer and idle seats. The room must never panic, and every frame it
//! queues must be drawn from the seat's own screen.
#![no_main]
#![forbid(unsafe_code)]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::serve::room::{Joining, Room, RoomConfig, RoomEvent};
use kizuna::session::i18n::Lang;
use kizuna::session::table::Seat;
use kizuna::session::{Controller, Session};
use kizuna::tui::theme::Theme;
use libfuzzer_sys::fuzz_target;

/// Bytes read from one input at most, so one input cannot run for long.
const MAX_BYTES: usize = 4_096;
const SEATS: [Seat; 4] = [
    Seat::Team(0),
    Seat::Team(1),
    Seat::Facilitator,
    Seat::Observer,
];

fn tutorial() -> &'static Loaded {
    static TUTORIAL: OnceLock<Loaded> = OnceLock::new();
    TUTORIAL.get_or_init(|| {
        load_builtin("tutorial", &LoadOptions::default()).expect("the built-in tutorial loads")
    })
}

fn join(room: &mut Room, conn: u64, now: Instant) -> tokio::sync::mpsc::Receiver<Vec<u8>> {
    let (out, frames) = tokio::sync::mpsc::channel(4);
    let seat = SEATS[conn as usize % SEATS.len()];
    room.handle(
        RoomEvent::Join(Joining {
            conn,
            seat,
            lang: None,
            width: 100,
            height: 30,
            out,
        }),
        now,
    );
    frames
}

fuzz_target!(|data: &[u8]| {
    let loaded = tutorial();
    let Ok(controllers) = Session::controllers_for(&loaded.scenario, &[], Controller::Human) else {
        return;
    };
    let session = Session::new(loaded, 7, controllers, true);
    let mut room = Room::new(
        session,
        RoomConfig {
            autosave: None,
            lang: Lang::En,
            theme: Theme::named("default"),
            turn_timer: Some(Duration::from_secs(30)),
            idle_timeout: Some(Duration::from_secs(120)),
        },
        Box::new(|_| {}),
    );
    let mut now = Instant::now();
    let mut frames: Vec<_> = (0..SEATS.len() as u64)
        .map(|c| join(&mut room, c, now))
        .collect();
    let mut seat = 0u64;
    let mut bytes = data.iter().take(MAX_BYTES).copied().peekable();
    let mut chunk = Vec::new();
    while let Some(b) = bytes.next() {
        // 0xf8..=0xff are commands; everything else is typed by the seat.
        match b {
            0xf8..=0xfb => {
                room.handle(
                    RoomEvent::Input {
                        conn: seat,
                        bytes: std::mem::take(&mut chunk),
                    },
                    now,
                );
                seat = u64::from(b - 0xf8);
            }
            0xfc => {
                let width = u16::from(bytes.next().unwrap_or(0));
                let height = u16::from(bytes.next().unwrap_or(0));
                room.handle(
                    RoomEvent::Resize {
                        conn: seat,
                        width,
                        height,
                    },
                    now,
                );
            }
            0xfd => {
                room.handle(RoomEvent::Leave { conn: seat }, now);
                frames[seat as usize] = join(&mut room, seat, now);
            }
            0xfe => {
                now += Duration::from_secs(u64::from(bytes.next().unwrap_or(1)));
                room.tick(now);
            }
            0xff => {
                room.handle(
                    RoomEvent::Input {
                        conn: seat,
                        bytes: std::mem::take(&mut chunk),
                    },
                    now,
                );
                room.draw();
                for f in &mut frames {
                    while f.try_recv().is_ok() {}
                }
            }
            _ => chunk.push(b),
        }
    }
    room.handle(
        RoomEvent::Input {
            conn: seat,
            bytes: chunk,
        },
        now,
    );
    room.tick(now);
    room.draw();
});
