//! Delivering a letter: the `.eml` file a mail program opens (RFC 5322, built with lettre).
//!
//! Save first, send second: the `.eml` and the record exist before any connection, so a
//! family can always open the letter in their own mail program, whatever the network does.

pub mod eml;
pub mod smtp;
pub mod stored;

use lettre::address::Envelope;

use crate::config::Smtp;

/// What sends mail: lettre over rustls ([`smtp::Lettre`]) for real, a recording stub in tests.
/// Commands are given one, so nothing reaches for the network on its own.
pub trait Mailer {
    /// Connects and signs in, sends nothing (`iep config smtp --test`).
    fn test(&self, smtp: &Smtp, password: &str) -> Result<(), SendError>;
    /// Sends `bytes` to the envelope's recipients; the server's reply when it accepted them.
    fn send(
        &self,
        smtp: &Smtp,
        password: &str,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<String, SendError>;
}

/// Why a letter was not sent, in words for the parent, and whether trying again later can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// Whether it is worth trying again without changing anything.
    pub kind: Failure,
    /// What happened and what to do.
    pub message: String,
}

/// The kinds of failure a caller branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The server said try later (4xx), or the network failed: the same letter may go later.
    Temporary,
    /// The server refused it (5xx), or the sign-in was refused: something must change first.
    Permanent,
    /// The account settings cannot work (a certificate file that cannot be read, a password the
    /// server did not accept): nothing is wrong with the letter.
    Setup,
    /// The whole message was written, then the connection was lost or the server went quiet
    /// before it answered: the letter may have arrived, and sending it again may deliver it
    /// twice.
    Unconfirmed,
}

impl SendError {
    /// A failure of the account's settings.
    pub fn setup(message: impl Into<String>) -> Self {
        SendError {
            kind: Failure::Setup,
            message: message.into(),
        }
    }
}

/// A mailer that sends nothing and keeps what it was given, for tests and dry runs.
#[derive(Debug, Default)]
pub struct Recording {
    /// Each message: the envelope's recipients and the bytes.
    pub sent: std::sync::Mutex<Vec<(Vec<String>, Vec<u8>)>>,
    /// What every call answers: the server's reply, or a failure.
    pub answer: Option<SendError>,
}

impl Mailer for Recording {
    fn test(&self, _: &Smtp, _: &str) -> Result<(), SendError> {
        self.answer.clone().map_or(Ok(()), Err)
    }

    fn send(
        &self,
        _: &Smtp,
        _: &str,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<String, SendError> {
        if let Some(e) = &self.answer {
            return Err(e.clone());
        }
        let to = envelope.to().iter().map(ToString::to_string).collect();
        self.sent
            .lock()
            .expect("a test's mailer is not poisoned")
            .push((to, bytes.to_vec()));
        Ok("250 recorded".to_owned())
    }
}
