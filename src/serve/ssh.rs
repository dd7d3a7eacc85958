//! One SSH connection: sign-in as a seat, one interactive terminal, and
//! nothing else (no commands, no forwarding, no agent, no subsystems).
//! What the person types goes to the room; the room's frames come back
//! through a bounded queue drained by this connection's own task, so a
//! slow client waits alone.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::Instant;

use russh::server::VerifiedPublicKey;
use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session};
use russh::{Channel, ChannelId, ChannelOpenFailure, Pty};

use crate::scenario::Scenario;
use crate::session::i18n::Lang;
use crate::session::table::Seat;

use super::access::{AuthLimiter, Credentials, seat_named};
use super::room::{ConnId, Joining, RoomEvent, goodbye};
use super::say;

/// Largest terminal served: a bigger window request is cut to this, so a
/// client cannot make the server allocate a huge screen.
pub const MAX_COLUMNS: u16 = 500;
pub const MAX_ROWS: u16 = 200;

/// Most bytes of input taken from one packet; typing never comes close.
const MAX_INPUT_BYTES: usize = 4096;

/// What every connection shares.
pub struct Shared {
    pub scenario: Arc<Scenario>,
    pub credentials: Credentials,
    pub limiter: AuthLimiter,
    pub room: SyncSender<RoomEvent>,
    /// Frames queued per connection before frames are skipped.
    pub frames_queued: usize,
    /// Connections open now.
    pub active: AtomicUsize,
}

pub struct Connection {
    shared: Arc<Shared>,
    conn: ConnId,
    peer: Option<SocketAddr>,
    seat: Option<Seat>,
    channel: Option<ChannelId>,
    size: Option<(u16, u16)>,
    lang: Option<Lang>,
    joined: bool,
}

impl Connection {
    pub fn new(shared: Arc<Shared>, conn: ConnId, peer: Option<SocketAddr>) -> Connection {
        Connection {
            shared,
            conn,
            peer,
            seat: None,
            channel: None,
            size: None,
            lang: None,
            joined: false,
        }
    }

    fn who(&self) -> String {
        match self.peer {
            Some(p) => format!("connection {} from {p}", self.conn),
            None => format!("connection {}", self.conn),
        }
    }

    fn ip(&self) -> Option<std::net::IpAddr> {
        self.peer.map(|p| p.ip())
    }

    /// Signs `user` in to the seat it names if `fits` holds; otherwise
    /// refuses, counting the failure against the address.
    fn sign_in(
        &mut self,
        user: &str,
        how: &str,
        fits: impl Fn(&Credentials, Seat) -> bool,
    ) -> Auth {
        if !self.shared.limiter.allows(self.ip(), Instant::now()) {
            return Auth::reject();
        }
        let user = printable(user);
        match seat_named(&self.shared.scenario, &user) {
            Some(seat) if fits(&self.shared.credentials, seat) => {
                self.seat = Some(seat);
                say(&format!("{user} signed in with a {how} ({})", self.who()));
                Auth::Accept
            }
            _ => {
                self.shared.limiter.failed(self.ip(), Instant::now());
                say(&format!(
                    "refused {how} sign-in as '{user}' ({})",
                    self.who()
                ));
                Auth::reject()
            }
        }
    }

    fn leave(&mut self) {
        if self.joined {
            self.joined = false;
            let _ = self.shared.room.send(RoomEvent::Leave { conn: self.conn });
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.leave();
        self.shared.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A user name as typed, safe to print on the console.
fn printable(s: &str) -> String {
    s.chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn clamp_size(columns: u32, rows: u32) -> (u16, u16) {
    (
        columns.clamp(1, u32::from(MAX_COLUMNS)) as u16,
        rows.clamp(1, u32::from(MAX_ROWS)) as u16,
    )
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        // A key that does not fit is only an offer, not a failure: the
        // client may hold others.
        let fits = self.shared.limiter.allows(self.ip(), Instant::now())
            && seat_named(&self.shared.scenario, user)
                .is_some_and(|seat| self.shared.credentials.key_fits(seat, offer.public_key));
        Ok(if fits { Auth::Accept } else { Auth::reject() })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.sign_in(user, "key", |c, seat| c.key_fits(seat, key.public_key)))
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        Ok(self.sign_in(user, "passphrase", |c, seat| {
            c.passphrase_fits(seat, password)
        }))
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One terminal per connection.
        if self.channel.is_some() {
            reply.reject(ChannelOpenFailure::ResourceShortage).await;
        } else {
            self.channel = Some(channel.id());
            reply.accept().await;
        }
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host: &str,
        _port: u32,
        _from: &str,
        _from_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        say(&format!("refused port forwarding ({})", self.who()));
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        say(&format!("refused remote port forwarding ({})", self.who()));
        Ok(false)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        say(&format!(
            "refused a command ({}): only a terminal is served",
            self.who()
        ));
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        say(&format!(
            "refused the subsystem '{}' ({})",
            printable(name),
            self.who()
        ));
        session.channel_failure(channel)
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        columns: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.size = Some(clamp_size(columns, rows));
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        _channel: ChannelId,
        name: &str,
        value: &str,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if matches!(name, "LANG" | "LC_ALL" | "LC_MESSAGES") && !value.is_empty() {
            self.lang = Some(Lang::from_locale(Some(value)));
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (Some(seat), Some((width, height))) = (self.seat, self.size) else {
            // Say why on the client's error stream, then end with a failure status.
            session.channel_success(channel)?;
            session.extended_data(
                channel,
                1,
                b"kizuna serves an interactive terminal only: connect with ssh -t\r\n".to_vec(),
            )?;
            session.exit_status_request(channel, 1)?;
            session.eof(channel)?;
            return session.close(channel);
        };
        if self.joined {
            return session.channel_failure(channel);
        }
        session.channel_success(channel)?;
        let (out, mut frames) = tokio::sync::mpsc::channel::<Vec<u8>>(self.shared.frames_queued);
        let handle = session.handle();
        tokio::spawn(async move {
            while let Some(frame) = frames.recv().await {
                if handle.data(channel, frame).await.is_err() {
                    return;
                }
            }
            // The room closed the screen: leave the client's terminal as it was.
            let _ = handle.data(channel, goodbye()).await;
            let _ = handle.exit_status_request(channel, 0).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        });
        let joined = self.shared.room.send(RoomEvent::Join(Joining {
            conn: self.conn,
            seat,
            lang: self.lang,
            width,
            height,
            out,
        }));
        self.joined = joined.is_ok();
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        columns: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (width, height) = clamp_size(columns, rows);
        self.size = Some((width, height));
        if self.joined {
            let _ = self.shared.room.send(RoomEvent::Resize {
                conn: self.conn,
                width,
                height,
            });
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.joined {
            return Ok(());
        }
        let bytes = data[..data.len().min(MAX_INPUT_BYTES)].to_vec();
        match self.shared.room.try_send(RoomEvent::Input {
            conn: self.conn,
            bytes,
        }) {
            // Under a flood of input the room drops keys rather than memory.
            Ok(()) | Err(TrySendError::Full(_)) => Ok(()),
            Err(TrySendError::Disconnected(_)) => Err(russh::Error::Disconnect),
        }
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.leave();
        Ok(())
    }

    async fn channel_close(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.leave();
        Ok(())
    }
}
